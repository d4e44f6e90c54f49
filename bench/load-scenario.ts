/** The one-journey scenario the load benchmarks send: `GET /` at a constant rate. */
import { parseScenario } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/schema.js';

/** `rate` requests/s of `GET /` for `seconds` against `url` over `connections`, through the schema. */
export function benchScenario(url: string, rate: number, seconds: number, connections = 50): Scenario {
  return parseScenario(
    `name: bench-load
seed: 1
duration: ${seconds}s
users: { arrivals: poisson(${rate}/s), journeys: { req: { steps: [svc] } } }
services: { svc: { time: 1ms } }
load:
  target: ${JSON.stringify(url)}
  connections: ${connections}
  maxRequests: 100000000
  maxDuration: 600s
  profile: [{ hold: ${rate}/s, for: ${seconds}s }]
  requests: { req: "GET /" }
`,
    'bench-load.yaml',
  );
}
