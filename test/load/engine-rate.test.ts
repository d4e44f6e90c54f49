/**
 * The open model holds 5 000/s within 2 % as a real loopback server sees it. The server runs in its
 * own process (on the test's event loop it would take the generator's CPU), stamps each request's
 * arrival and reports them over IPC.
 *
 * The generator's contract is "keep the schedule, or say you did not": on CI, test files run in
 * parallel on 2 cores (load average 15–20 measured), where no process is sure to get the CPU 5 000
 * times a second. So the 2 % is judged whenever the generator says it kept the schedule; when it
 * says it fell behind, the test checks that it said so by the stated rule (> 1 % late or < 97 %
 * sent). Run alone on a quiet machine (CI unset, load average ≤ cores) it must keep the schedule.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { scenarioOf } from './scenario.js';

const SERVER = `
const http = require('node:http');
const at = [];
const s = http.createServer((req, res) => { at.push(performance.now()); res.end('ok'); });
s.keepAliveTimeout = 60000;
process.on('message', () => process.send({ count: at.length, first: at[0], last: at[at.length - 1] }));
s.listen(0, '127.0.0.1', () => process.send({ port: s.address().port }));
`;

let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill();
});

/** The stamping server in a child process: its URL and `report()` of what it saw. */
async function stampingServer() {
  const c = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child = c;
  const next = <T>() => new Promise<T>((resolve) => c.once('message', (m) => resolve(m as T)));
  const { port } = await next<{ port: number }>();
  return {
    url: `http://127.0.0.1:${port}`,
    report: () => {
      const r = next<{ count: number; first: number; last: number }>();
      c.send('report');
      return r;
    },
  };
}

describe('open model at 5 000/s', () => {
  it('holds the rate within 2 % as a server in another process sees it, or says it fell behind', async () => {
    const server = await stampingServer();
    const scenario = scenarioOf(
      `name: rate-5k
seed: 5
duration: 3s
users: { arrivals: poisson(1/s), journeys: { req: { steps: [svc] } } }
services: { svc: { time: 1ms } }
load: { target: "http://127.0.0.1:1", connections: 20, maxDuration: 10s, profile: [{ hold: 5000/s, for: 3s }] }
`,
      { target: server.url },
    );
    const o = await startLoad(scenario, { timeout: 2 }).outcome;
    const seen = await server.report();
    const g = o.result.generator!;
    expect(g.intended).toBe(15_000);
    // Nothing is sent twice or invented (a request that timed out may not have been read).
    expect(seen.count).toBeLessThanOrEqual(g.sent);
    expect(o.result.journeys.req.count).toBe(g.sent);
    // Uniform spacing: 15 000 arrivals 0.2 ms apart, so the first and last are 2.9998 s apart.
    const rate = (seen.count - 1) / ((seen.last - seen.first) / 1000);
    const alone = !process.env.CI && os.loadavg()[0] <= os.availableParallelism();
    if (alone) expect(g.behind).toBeUndefined();
    if (g.behind === undefined) {
      expect(g.sent).toBe(15_000);
      expect(o.result.journeys.req.errors).toEqual({});
      expect(seen.count).toBe(15_000);
      expect(Math.abs(rate - 5000) / 5000).toBeLessThan(0.02);
    } else {
      expect(g.lateShare > 0.01 || g.sent < 0.97 * g.intended).toBe(true);
      console.warn(`5 000/s not judged: the generator said it fell behind (${g.behind}), rate ${rate}/s`);
    }
  });
});
