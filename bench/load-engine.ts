/**
 * `npm run bench load-engine`: the open-model generator against Debian's nginx (`return 200`, one
 * worker) on loopback, in one run, each line with both raw numbers and the ratio:
 *
 * - `load-engine-ceiling`: per transport (raw sockets, undici), the highest constant rate the
 *   generator keeps, one worker, beside raw autocannon's closed-loop maximum (goal ≥ 1.0×) and
 *   wrk's. A rate is kept when, after a 1 s warm-up, over 4 s measured, ≥ 99 % of the offered
 *   requests were sent on time (sent, and handed over ≤ 10 ms after their intended start) and the
 *   corrected p99 is ≤ 5 ms. The warm-up is left out exactly as `load --warmup` leaves it out of
 *   the service's numbers and of the generator's lag (connections opening, the JIT compiling the
 *   hot path): the first search measured 2 s probes from the first request, so one connection
 *   burst or compile pause decided a probe, and it found 1.6 k/s while 5 k/s held a 1.4 ms p99.
 *   nginx answers in microseconds, so that corrected p99 is the generator's own addition. CPU per
 *   request (user + system of this process over requests sent) is printed beside autocannon's:
 *   on a busy machine that ratio says more than the rates.
 * - `load-engine-latency`: p50/p99 at 5 k/s per transport after the same warm-up, beside wrk's
 *   latency (goal p50 ≤ 0.3 ms, p99 ≤ 2 ms).
 * - `load-engine-workers`: requests/s of a closed loop with `workers: 2` vs 1 (nginx, else a node
 *   target), with the cores and the load average: on 2 cores the target shares them.
 * - `load-engine-saturation`: `backline load` at 5× the ceiling ends with exit 3 and the generator
 *   message, within the duration plus the timeout.
 *
 * Without nginx the nginx lines say why they are skipped; without wrk its columns are absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startLoad } from '../loadtests/autocannon/driver.js';
import { DEFAULT_TRANSPORT, type TransportKind } from '../loadtests/transport/open.js';
import { benchScenario } from './load-scenario.js';
import { type BenchTarget, startNginx, startNodeTarget } from './load-targets.js';

const CONNECTIONS = 50;
/** Each probe: this warm-up (sent, not measured), then the measured seconds. */
const WARMUP_SECONDS = 1;
const PROBE_SECONDS = 4;
/** A rate is kept when this share of the offered requests left on time… */
const ON_TIME = 0.99;
/** …and the corrected p99 (the generator's own addition against nginx) is at most this, ms. */
const P99_MS = 5;
const KINDS: TransportKind[] = ['socket', 'undici'];
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** One constant-rate probe: did the generator keep it, and at what latency and CPU. */
interface Probe {
  rate: number;
  ok: boolean;
  /** Sent and not late, over intended (after the warm-up). */
  onTime: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUsPerRequest: number;
}

async function probe(
  url: string,
  rate: number,
  kind: TransportKind,
  seconds = PROBE_SECONDS,
): Promise<Probe> {
  const scenario = benchScenario(url, rate, WARMUP_SECONDS + seconds, CONNECTIONS);
  const o = await startLoad(scenario, { transport: kind, timeout: 2, warmup: WARMUP_SECONDS }).outcome;
  const g = o.result.generator!;
  const j = o.result.journeys.req;
  const errors = Object.values(j.errors).reduce((a, b) => a + b, 0);
  const onTime = g.intended > 0 ? (g.sent / g.intended) * (1 - g.lateShare) : 0;
  return {
    rate,
    ok: onTime >= ON_TIME && j.latency.p99 <= P99_MS && errors === 0 && j.count > 0,
    onTime: r3(onTime),
    p50: j.latency.p50,
    p99: j.latency.p99,
    errors,
    cpuUsPerRequest: Math.round((g.cpuSeconds / Math.max(1, g.sent)) * 1e7) / 10,
  };
}

/**
 * From 4 k/s: doubles while probes hold (halves while they fail, down to 250/s), then bisects 3
 * times between the highest rate that held and the lowest that did not. 0 when none held. A rate
 * that fails is tried once more: other processes on the machine can only make a probe fail (a
 * request sent late or answered late is never counted on time), so a pass is never noise.
 */
async function ceiling(url: string, kind: TransportKind): Promise<{ rate: number; probes: Probe[] }> {
  const probes: Probe[] = [];
  const run = async (r: number) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const p = await probe(url, r, kind);
      probes.push(p);
      if (p.ok) return true;
    }
    return false;
  };
  let good = 0;
  let bad = 0;
  if (await run(4000)) {
    good = 4000;
    for (let r = 8000; r <= 256_000 && bad === 0; r *= 2) {
      if (await run(r)) good = r;
      else bad = r;
    }
  } else {
    bad = 4000;
    for (let r = 2000; r >= 250 && good === 0; r /= 2) {
      if (await run(r)) good = r;
      else bad = r;
    }
  }
  if (good === 0 || bad === 0) return { rate: good, probes };
  for (let i = 0; i < 3; i++) {
    const mid = Math.round((good + bad) / 2);
    if (await run(mid)) good = mid;
    else bad = mid;
  }
  return { rate: good, probes };
}

/** Raw autocannon's closed-loop requests/s and CPU µs per request (it runs in this process). */
async function autocannonMax(url: string, seconds = PROBE_SECONDS) {
  const cpu0 = process.cpuUsage();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const used = process.cpuUsage(cpu0);
  return {
    perSec: r.requests.total / seconds,
    cpuUsPerRequest: Math.round(((used.user + used.system) / Math.max(1, r.requests.total)) * 10) / 10,
  };
}

/** wrk's closed-loop rate and latency percentiles (ms), or undefined when wrk is not on PATH. */
function wrk(url: string, connections: number, seconds = PROBE_SECONDS) {
  const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) return undefined;
  const ms = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(r.stdout);
    if (!m) return Number.NaN;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? Number.NaN);
  return { perSec: Math.round(rps), p50: ms('50'), p99: ms('99') };
}

/**
 * Closed loop of 50 users without think time for `seconds` on `workers` threads: requests/s, and
 * CPU µs per request of the generator (this process) and of the target.
 */
async function closedRate(target: BenchTarget, workers: number, seconds = 3) {
  const s = benchScenario(target.url, 1, seconds, CONNECTIONS);
  s.users.arrivals = { kind: 'closed', users: CONNECTIONS, think: { kind: 'const', value: 0 } };
  const cpu0 = process.cpuUsage();
  const t0 = target.cpuSeconds();
  const o = await startLoad(s, { workers }).outcome;
  const used = process.cpuUsage(cpu0);
  const n = Math.max(1, o.result.journeys.req.count);
  return {
    perSec: n / (o.result.window.end - o.result.window.start),
    generatorUs: (used.user + used.system) / n,
    targetUs: ((target.cpuSeconds() - t0) / n) * 1e6,
  };
}

/** `backline load` at `rate` for 3 s: exit code, elapsed seconds and the generator message. */
function saturate(url: string, rate: number) {
  const dir = mkdtempSync(join(tmpdir(), 'backline-bench-engine-'));
  try {
    const file = join(dir, 'sat.yaml');
    writeFileSync(
      file,
      `name: saturation\nduration: 3s\nusers:\n  arrivals: poisson(rate: ${rate}/s)\n  journeys: { req: { steps: [svc] } }\nservices: { svc: { time: "const(1ms)" } }\nbudgets: { req.p99: "< 1s" }\nload:\n  target: ${url}\n  connections: ${CONNECTIONS}\n  requests: { req: GET / }\n`,
    );
    const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [main, 'load', file, '--workers', '1', '--timeout', '1s', '--no-dashboard', '--json'],
      { encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const message = /the load generator could not keep the schedule[^\n]*/.exec(r.stderr)?.[0];
    let runSeconds: number | null = null;
    try {
      runSeconds = JSON.parse(r.stdout).window.end;
    } catch {}
    return { exit: r.status, seconds: r3((performance.now() - t0) / 1000), runSeconds, message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Closed loop on 1 and 2 worker threads (thread start-up is outside the measured window). On a
 * machine whose cores the target shares, no thread count beats cores ÷ (generator + target CPU
 * per request): printed as `boundPerSec` and `boundRatio` from the one-thread run's CPU.
 */
async function workersLine(target: BenchTarget, name: string, load: () => number[]): Promise<object> {
  await closedRate(target, 1, 1);
  const one = await closedRate(target, 1);
  const two = await closedRate(target, 2);
  const cores = availableParallelism();
  const bound = cores / ((one.generatorUs + one.targetUs) / 1e6);
  return {
    bench: 'load-engine-workers',
    target: name,
    cores,
    workers1PerSec: Math.round(one.perSec),
    workers2PerSec: Math.round(two.perSec),
    ratio: r3(two.perSec / one.perSec),
    generatorCpuUsPerRequest: r3(one.generatorUs),
    targetCpuUsPerRequest: r3(one.targetUs),
    boundPerSec: Number.isFinite(bound) ? Math.round(bound) : null,
    boundRatio: Number.isFinite(bound) ? r3(bound / one.perSec) : null,
    loadAverage: load(),
  };
}

/** Runs the benchmark; returns its JSON lines. */
export async function benchLoadEngine(): Promise<object[]> {
  const lines: object[] = [];
  const load = () => loadavg().map((x) => Math.round(x * 10) / 10);
  const nginx = await startNginx();
  if ('skip' in nginx) lines.push({ bench: 'load-engine-ceiling', skipped: nginx.skip });
  else {
    try {
      await autocannonMax(nginx.url, 1); // warm nginx and autocannon's JIT
      const ac = await autocannonMax(nginx.url);
      const w = wrk(nginx.url, CONNECTIONS);
      const ceilings: Record<string, number> = {};
      for (const kind of KINDS) {
        const c = await ceiling(nginx.url, kind);
        ceilings[kind] = c.rate;
        const top = c.probes.find((p) => p.rate === c.rate);
        lines.push({
          bench: 'load-engine-ceiling',
          transport: kind,
          ceilingPerSec: c.rate,
          autocannonMaxPerSec: Math.round(ac.perSec),
          ratio: r3(c.rate / ac.perSec),
          goal: 1.0,
          cpuUsPerRequestAtCeiling: top?.cpuUsPerRequest ?? null,
          autocannonCpuUsPerRequest: ac.cpuUsPerRequest,
          ...(w ? { wrkMaxPerSec: w.perSec, ratioToWrk: r3(c.rate / w.perSec) } : { wrk: 'not on PATH' }),
          probes: c.probes.map((p) => [p.rate, p.ok ? 'ok' : 'no', p.onTime, p.p99, p.cpuUsPerRequest]),
          probeColumns: ['rate', 'kept', 'onTime', 'p99Ms', 'cpuUsPerRequest'],
          loadAverage: load(),
        });
      }
      const floor = wrk(nginx.url, 10);
      for (const kind of KINDS) {
        const p = await probe(nginx.url, 5000, kind);
        lines.push({
          bench: 'load-engine-latency',
          transport: kind,
          rate: 5000,
          p50Ms: p.p50,
          p99Ms: p.p99,
          onTime: p.onTime,
          cpuUsPerRequest: p.cpuUsPerRequest,
          goal: { p50Ms: 0.3, p99Ms: 2 },
          ...(floor
            ? { wrkP50Ms: floor.p50, wrkP99Ms: floor.p99, wrkConnections: 10 }
            : { wrk: 'not on PATH' }),
          loadAverage: load(),
        });
      }
      const best = Math.max(ceilings[DEFAULT_TRANSPORT], 1000);
      const s = saturate(nginx.url, best * 5);
      lines.push({
        bench: 'load-engine-saturation',
        offeredPerSec: best * 5,
        ceilingPerSec: best,
        durationSeconds: 3,
        timeoutSeconds: 1,
        exit: s.exit,
        runSeconds: s.runSeconds,
        elapsedSecondsWithStartup: s.seconds,
        message: s.message ?? null,
        goal: 'exit 3 with the generator message',
        loadAverage: load(),
      });
      lines.push(await workersLine(nginx, 'nginx', load));
    } finally {
      await nginx.stop();
    }
  }
  // The issue asks for a node target too; on 2 cores it shares them with both threads.
  const node: BenchTarget = await startNodeTarget();
  try {
    lines.push(await workersLine(node, 'node', load));
  } finally {
    await node.stop();
  }
  return lines;
}
