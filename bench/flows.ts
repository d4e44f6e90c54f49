/**
 * Flows cost no measurable throughput: the same closed loop (50 users, no think time) against
 * nginx (a Node target when nginx is absent), once as 3 single-request journeys and once as one
 * journey that is a flow of those 3 steps drawing a row of a 10 k-row feed per virtual user, with a
 * header from the feed and a status check. Requests per second of both, and their ratio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoad } from '../loadtests/autocannon/driver.js';
import { loadScenario } from '../scenarios/load.js';
import { type BenchTarget, startNginx, startNodeTarget } from './load-targets.js';

const USERS = 50;

function scenarioText(target: string, seconds: number, flow: boolean): string {
  const head = `name: bench-flows
duration: ${seconds}s
users:
  arrivals: "closed(users: ${USERS}, think: const(1ms))"
  journeys: ${flow ? '{ play: { steps: [svc] } }' : '{ a: { steps: [svc] }, b: { steps: [svc] }, c: { steps: [svc] } }'}
services: { svc: { time: "exp(1ms)" } }
load:
  target: ${target}
  connections: ${USERS}
  maxDuration: ${seconds}s
`;
  if (!flow) return `${head}  requests: { a: GET /a, b: GET /b, c: GET /c }\n`;
  return `${head}  feeds: { accounts: { file: accounts.csv, order: sequential } }
  requests:
    play:
      - get: { url: "/a?u={{feed.accounts.user}}" }
      - get: { url: /b, headers: { x-user: "{{feed.accounts.user}}" } }
      - get: { url: /c, check: { status: 200 } }
`;
}

async function rate(dir: string, target: string, seconds: number, flow: boolean): Promise<number> {
  const file = join(dir, flow ? 'flow.yaml' : 'single.yaml');
  writeFileSync(file, scenarioText(target, seconds, flow));
  const o = await startLoad(loadScenario(file)).outcome;
  const journeys = Object.values(o.result.journeys).reduce(
    (a, j) => a + j.count - Object.values(j.errors).reduce((x, y) => x + y, 0),
    0,
  );
  const requests = flow ? journeys * 3 : journeys;
  return requests / (o.result.window.end - o.result.window.start);
}

/** Requests per second of 3 single requests and of a 3-step flow with a 10 k-row feed, one run. */
export async function benchFlows(seconds = 5): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'backline-bench-flows-'));
  const rows = Array.from({ length: 10_000 }, (_, i) => `user${i},pw${i}`).join('\n');
  writeFileSync(join(dir, 'accounts.csv'), `user,password\n${rows}\n`);
  const nginx = await startNginx();
  const target: BenchTarget = 'url' in nginx ? nginx : await startNodeTarget();
  try {
    // A short warm-up of each for the JIT, then the measured runs in alternating order.
    await rate(dir, target.url, 1, false);
    await rate(dir, target.url, 1, true);
    const single = await rate(dir, target.url, seconds, false);
    const flow = await rate(dir, target.url, seconds, true);
    return {
      bench: 'flows',
      target: 'url' in nginx ? 'nginx' : 'node',
      feedRows: 10_000,
      singleRequestsPerSec: Math.round(single),
      flowRequestsPerSec: Math.round(flow),
      ratio: Math.round((flow / single) * 1000) / 1000,
      loadAverage: loadavg()[0],
    };
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
