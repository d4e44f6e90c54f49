/** The one-journey scenario the load benchmarks send: `GET /` at a constant rate. */
import type { LoadScenario } from '../loadtests/shape.js';
import { requestFlow } from '../scenarios/load-section.js';

/** `rate` requests/s of `GET /` for `seconds` against `url` over `connections`. */
export function benchScenario(url: string, rate: number, seconds: number, connections = 50): LoadScenario {
  return {
    name: 'bench-load',
    seed: 1,
    duration: seconds,
    users: { arrivals: { kind: 'poisson', rate }, journeys: { req: { weight: 1, steps: ['svc'] } } },
    services: {},
    load: {
      target: url,
      allow: [],
      tool: 'autocannon',
      connections,
      maxRequests: 100_000_000,
      maxDuration: 600,
      profile: [{ kind: 'hold', rate, for: seconds }],
      feeds: {},
      requests: { req: requestFlow('GET /') },
    },
  };
}
