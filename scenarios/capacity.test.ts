/**
 * The static capacity check: visits per journey, offered load, ρ warnings.
 */
import { describe, expect, it } from 'vitest';
import { capacityWarnings, offeredLoad, visitsPerJourney } from './capacity.js';
import { parseScenario } from './load.js';

const CAPACITY = `name: cap
duration: 10m
users:
  arrivals: poisson(1k/s)
  journeys:
    a: { weight: 3, steps: [gateway.a] }
    b: { weight: 1, steps: [gateway.b, auth] }
services:
  gateway:
    replicas: 2
    time: const(1ms)
    routes:
      a: [auth.check, { parallel: [db, { call: db, p: 50% }] }]
      b: []
  auth: { workers: 2, time: exp(2ms), routes: { check: [] } }
  db: { replicas: 3, time: uniform(1ms, 3ms) }
`;

describe('static capacity check', () => {
  it('counts visits through weights, routes, probabilities and fan-out', () => {
    // a (¾ of journeys): gateway, auth, db twice (once always, once with p = ½); b (¼): gateway, auth.
    expect(visitsPerJourney(parseScenario(CAPACITY, 'c.yaml'))).toEqual({ gateway: 1, auth: 1, db: 1.125 });
  });

  it('computes ρ = rate × visits × mean time ÷ (replicas × workers)', () => {
    const load = offeredLoad(parseScenario(CAPACITY, 'c.yaml'));
    expect(load.map((o) => [o.service, o.visits, o.meanTime, o.replicas, o.workers])).toEqual([
      ['gateway', 1, 0.001, 2, 1],
      ['auth', 1, 0.002, 1, 2],
      ['db', 1.125, 0.002, 3, 1],
    ]);
    // 1000 × 1 × 1 ms ÷ 2 = 0.5; 1000 × 1 × 2 ms ÷ 2 = 1; 1000 × 1.125 × 2 ms ÷ 3 = 0.75.
    expect(load.map((o) => o.rho)).toEqual([0.5, 1, 0.75]);
  });

  it('warns at ρ ≥ 1 with the numbers', () => {
    expect(capacityWarnings(parseScenario(CAPACITY, 'c.yaml'))).toEqual([
      'auth: offered load ρ = 1.00 (1000/s × 1 visit × 2 ms ÷ (1 × 2 workers)) — queues will grow until rejected',
    ]);
  });

  it('counts replicas in every region and says when autoscaling can catch up', () => {
    const s = parseScenario(CAPACITY, 'c.yaml', [
      'regions={ eu: { users: 50% }, us: { users: 50% } }',
      'users.arrivals=poisson(5k/s)',
      'services.gateway.autoscale={ max: 4, target: 60% }',
    ]);
    expect(capacityWarnings(s)).toEqual([
      'gateway: offered load ρ = 1.25 (5000/s × 1 visit × 1 ms ÷ (2 regions × 2 × 1 workers)) — until autoscaling adds replicas (ρ = 0.63 at its max of 4), queues grow',
      'auth: offered load ρ = 2.50 (5000/s × 1 visit × 2 ms ÷ (2 regions × 1 × 2 workers)) — queues will grow until rejected',
      'db: offered load ρ = 1.88 (5000/s × 1.125 visits × 2 ms ÷ (2 regions × 3 × 1 workers)) — queues will grow until rejected',
    ]);
  });
});
