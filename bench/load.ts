/**
 * `backline load` driver vs raw autocannon against the same loopback server, in one run: requests
 * per second of each and their ratio (target ≥ 0.95). The server runs in a child process so the
 * load generators do not share its event loop. Both use 50 keep-alive connections for the same
 * duration, in alternating pairs; the ratio is the median of the pairs' ratios (shared machines
 * drift, pairs taken back to back less so).
 *
 * `backline` here is the `--max` mode (autocannon in-process, with our per-journey booking, plan
 * and templates); the open-model scheduler's ceiling is reported beside it for information.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { startLoad } from '../loadtests/autocannon/driver.js';
import { benchScenario } from './load-scenario.js';

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end('ok'));
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (c) => resolve(String(c).trim())),
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

async function raw(url: string, seconds: number): Promise<number> {
  const r = await autocannon({ url, connections: 50, duration: seconds });
  return r.requests.total / seconds;
}

async function ours(url: string, seconds: number): Promise<number> {
  const o = await startLoad(benchScenario(url, 1, seconds), { mode: 'max', duration: seconds }).outcome;
  return o.result.journeys.req.count / o.result.window.end;
}

const PAIRS = 4;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs the benchmark and returns its JSON line. */
export async function benchLoad(seconds = 2): Promise<Record<string, unknown>> {
  const { child, url } = await startChild();
  try {
    await raw(url, 1); // warm the server and the JIT
    await ours(url, 1);
    const rawRates: number[] = [];
    const ourRates: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternate which goes first, so a drifting machine load does not favour either.
      const first = i % 2 === 0 ? await raw(url, seconds) : await ours(url, seconds);
      const second = i % 2 === 0 ? await ours(url, seconds) : await raw(url, seconds);
      const [r, o] = i % 2 === 0 ? [first, second] : [second, first];
      rawRates.push(r);
      ourRates.push(o);
      ratios.push(o / r);
    }
    const rawRate = median(rawRates);
    const ourRate = median(ourRates);
    // The open model at 1.2× the raw rate: how much of it the scheduler can actually start and finish.
    const offered = Math.round(rawRate * 1.2);
    const open = await startLoad(benchScenario(url, offered, seconds), { timeout: 5 }).outcome;
    const openRate = open.sent / Math.max(seconds, open.result.window.end);
    const round = (x: number) => Math.round(x);
    return {
      bench: 'load-driver-vs-autocannon',
      seconds,
      connections: 50,
      autocannonReqPerSec: round(rawRate),
      backlineReqPerSec: round(ourRate),
      ratio: Math.round(median(ratios) * 1000) / 1000,
      pairRatios: ratios.map((r) => Math.round(r * 1000) / 1000),
      target: 0.95,
      openModel: { offeredPerSec: offered, achievedPerSec: round(openRate) },
    };
  } finally {
    child.kill();
  }
}
