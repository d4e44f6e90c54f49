/**
 * Flows cost no measurable throughput: the same closed loop (50 users, no think time) against
 * nginx (a Node target when nginx is absent), once as 3 single-request journeys and once as one
 * journey that is a flow of those 3 steps drawing a row of a 10 k-row feed per virtual user, with a
 * header from the feed and a status check. Requests per second and CPU per request of both, in
 * alternating pairs (the machine is shared: the median of the pairs' ratios is the figure).
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

interface Measured {
  perSec: number;
  /** This process's CPU (user + system) per request, µs: steadier than requests/s on a busy machine. */
  cpuUs: number;
}

async function rate(dir: string, target: string, seconds: number, flow: boolean): Promise<Measured> {
  const file = join(dir, flow ? 'flow.yaml' : 'single.yaml');
  writeFileSync(file, scenarioText(target, seconds, flow));
  const scenario = loadScenario(file);
  const cpu0 = process.cpuUsage();
  const o = await startLoad(scenario).outcome;
  const cpu = process.cpuUsage(cpu0);
  const journeys = Object.values(o.result.journeys).reduce(
    (a, j) => a + j.count - Object.values(j.errors).reduce((x, y) => x + y, 0),
    0,
  );
  const requests = flow ? journeys * 3 : journeys;
  return {
    perSec: requests / (o.result.window.end - o.result.window.start),
    cpuUs: (cpu.user + cpu.system) / Math.max(1, requests),
  };
}

const PAIRS = 3;

/** Requests per second of 3 single requests and of a 3-step flow with a 10 k-row feed, one run. */
export async function benchFlows(seconds = 3): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'backline-bench-flows-'));
  const rows = Array.from({ length: 10_000 }, (_, i) => `user${i},pw${i}`).join('\n');
  writeFileSync(join(dir, 'accounts.csv'), `user,password\n${rows}\n`);
  const nginx = await startNginx();
  const target: BenchTarget = 'url' in nginx ? nginx : await startNodeTarget();
  try {
    // A short warm-up of each for the JIT, then pairs in alternating order.
    await rate(dir, target.url, 1, false);
    await rate(dir, target.url, 1, true);
    const pairs: { single: Measured; flow: Measured }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const first = await rate(dir, target.url, seconds, i % 2 === 1);
      const second = await rate(dir, target.url, seconds, i % 2 === 0);
      pairs.push(i % 2 === 0 ? { single: first, flow: second } : { single: second, flow: first });
    }
    const ratios = pairs.map((p) => p.flow.perSec / p.single.perSec);
    const mid = [...pairs.keys()].sort((a, b) => ratios[a] - ratios[b])[PAIRS >> 1];
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      bench: 'flows',
      target: 'url' in nginx ? 'nginx' : 'node',
      feedRows: 10_000,
      seconds,
      singleRequestsPerSec: Math.round(pairs[mid].single.perSec),
      flowRequestsPerSec: Math.round(pairs[mid].flow.perSec),
      ratio: r3(ratios[mid]),
      pairRatios: ratios.map(r3),
      cpuUsPerRequest: pairs.map((p) => ({ single: r3(p.single.cpuUs), flow: r3(p.flow.cpuUs) })),
      goal: 0.9,
      loadAverage: loadavg()[0],
    };
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
