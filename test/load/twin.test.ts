import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { LoadSchema, requestFlow } from '../../scenarios/load-section.js';
import type { Scenario } from '../../scenarios/schema.js';
import { simulateSync } from '../../sim/run.js';

const fixture = fileURLToPath(new URL('./fixtures/twin-light.yaml', import.meta.url));

let twins: Twin[] = [];
afterEach(async () => {
  await Promise.all(twins.map((t) => t.stop()));
  twins = [];
});

describe('the twin', () => {
  it('under light load measures a p50 within 15 % of the simulation', async () => {
    const scenario = loadScenario(fixture, []);
    const predicted = simulateSync(scenario, { replications: 1 });
    const twin = await startTwin(scenario);
    twins.push(twin);
    const o = await startLoad(scenario, {
      target: twin.endpoints.url,
      duration: 3,
    }).outcome;
    const measured = o.result.journeys.login;
    const sim = predicted.journeys.login;
    expect(measured.errorRate).toBe(0);
    expect(measured.count).toBeGreaterThan(22);
    expect(predicted.services?.gateway.utilization).toBeLessThan(0.7);
    expect(Math.abs(measured.latency.p50 - sim.latency.p50) / sim.latency.p50).toBeLessThan(0.15);
    const svc = twin.services();
    expect(svc.gateway.served).toBe(measured.count);
    expect(svc.auth.served).toBe(measured.count);
  });

  it('refuses connections to a crashed service during its fault window only', async () => {
    const scenario = parseScenario(
      `name: twin-crash
seed: 3
duration: 10s
users: { arrivals: poisson(50/s), journeys: { play: { steps: [gateway] } } }
services: { gateway: { replicas: 2, workers: 4, queue: 100, time: const(2ms) } }
faults: [{ at: 0.5s, for: 1s, crash: gateway, replicas: 2 }]
`,
      'twin-crash.yaml',
    );

    const twin = await startTwin(scenario);
    twins.push(twin);
    const direct: Scenario = {
      ...scenario,
      load: {
        ...LoadSchema.parse({ target: twin.endpoints.services.gateway }),
        connections: 10,
        maxRequests: 1000,
        maxDuration: 10,
        profile: [{ kind: 'hold', rate: 50, for: 2.2 }],
        requests: { play: requestFlow('GET /routes/play') },
      },
    };

    const [o, edge] = await Promise.all([
      startLoad(direct).outcome,
      startLoad({ ...direct, load: { ...direct.load!, target: twin.endpoints.url, requests: {} } }).outcome,
    ]);
    const j = o.result.journeys.play;
    expect(j.count).toBe(110);
    // One second of 50/s lands in the window: about 50 refused, the rest (before and after) served.
    expect(j.errors.refused).toBeGreaterThan(35);
    expect(j.errors.refused).toBeLessThan(60);
    expect(j.count - (j.errors.refused ?? 0) - (j.errors.reset ?? 0)).toBeGreaterThan(22);
    // Through the edge the caller knows no replica is up: 503 `unavailable` at once, as simulated.
    expect(edge.result.journeys.play.errors.status_503).toBeGreaterThan(35);
    expect(twin.faults).toEqual([{ at: 0.5, for: 1, label: 'crash gateway' }]);
  });
});
