/**
 * Which scenarios the stations engine (this folder) runs: an allow-list of every scenario field
 * with the values it supports. A field not named here, such as one a later feature adds to the
 * schema, sends the scenario to the topology engine, so no feature is ever silently ignored by the
 * fast path. On what it accepts the two engines give identical results (`test/engines.test.ts`).
 */
import type { Journey, Scenario, Service } from '../../scenarios/schema.js';

type Check<T> = (value: T, scenario: Scenario) => boolean;
type Allow<T> = { [K in keyof T]-?: Check<T[K]> };

const any = () => true;
const none = (v: unknown) => v === undefined;
const empty = (v: object | undefined) => v === undefined || Object.keys(v).length === 0;

const SERVICE: Allow<Service> = {
  replicas: any,
  workers: any,
  queue: any,
  time: any,
  balance: (v) => v === 'round-robin',
  regions: (v) => v === undefined || v.length <= 1,
  routes: empty,
  shed: (v) => v !== false,
  timeout: none,
  deadline: none,
  retry: none,
  breaker: none,
  hedge: none,
  autoscale: none,
  discovery: none,
  cost: none,
};

const JOURNEY: Allow<Journey> = {
  weight: any,
  // Every step a service: content targets (`stream`, `stores.x`) need the topology engine.
  steps: (steps, s) => steps.every((step) => Object.hasOwn(s.services, step.split('.')[0])),
  think: none,
};

const USERS: Allow<Scenario['users']> = {
  population: (v) => v === 0,
  premium: any,
  arrivals: (a) => a.kind === 'poisson',
  journeys: (js, s) => Object.values(js).every((j) => allowed(JOURNEY, j, s)),
};

const SCENARIO: Allow<Scenario> = {
  name: any,
  about: any,
  seed: any,
  duration: any,
  warmup: any,
  replications: any,
  budgets: any,
  load: any,
  regions: (r) => Object.keys(r).length <= 1,
  // Jitter only lengthens cross-region hops, which one region does not have.
  latency: (l) => l.intra === 0 && l.pairs.length === 0,
  users: (u, s) => allowed(USERS, u, s),
  services: (svcs, s) => Object.values(svcs).every((svc) => allowed(SERVICE, svc, s)),
  catalog: none,
  cdn: none,
  p2p: none,
  stores: empty,
  streams: empty,
  faults: (f) => f.length === 0,
};

function allowed<T extends object>(allow: Allow<T>, value: T, scenario: Scenario): boolean {
  for (const [key, v] of Object.entries(value)) {
    if (!Object.hasOwn(allow, key)) return v === undefined;
    if (!(allow[key as keyof T] as Check<unknown>)(v, scenario)) return false;
  }
  return true;
}

/** Whether the stations engine runs `scenario` exactly (else the topology engine runs it). */
export function fastPathAccepts(scenario: Scenario): boolean {
  return allowed(SCENARIO, scenario, scenario);
}
