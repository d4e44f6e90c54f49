/**
 * Sharded sweeps across processes: the same 8-point grid as one `backline sweep` process (one
 * worker) and as 2 shard processes (`--shard 1/2`, `--shard 2/2`, one worker each) started
 * together, then `backline merge` of the shards. Wall times include each process's start-up, as a
 * CI matrix or an Indexed Job pays it. Target: ≥ 1.7× on 2 idle cores; the load average says how
 * idle the machine was.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const GRID = [
  'mmc',
  '--set',
  'duration=600000s',
  '--set',
  'warmup=1000s',
  '--replications',
  '1',
  '--vary',
  'services.server.workers=4,5,6,8',
  '--vary',
  'users.arrivals=poisson(3/s),poisson(3.2/s)',
  '--workers',
  '1',
];

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: 'ignore',
      env: { ...process.env, CI: 'true' },
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`backline ${args[0]} exited ${code}`)),
    );
  });
}

/** One benchmark line. */
export async function benchSweepShards(shards = 2) {
  const dir = mkdtempSync(join(tmpdir(), 'backline-bench-shards-'));
  try {
    const load0 = loadavg()[0];
    const t0 = performance.now();
    await run(['sweep', ...GRID, '--out', join(dir, 'one')]);
    const t1 = performance.now();
    const outs = Array.from({ length: shards }, (_, i) => join(dir, `shard-${i + 1}`));
    await Promise.all(
      outs.map((o, i) => run(['sweep', ...GRID, '--shard', `${i + 1}/${shards}`, '--out', o])),
    );
    const t2 = performance.now();
    await run(['merge', ...outs.map((o) => join(o, 'sweep.json')), '--out', join(dir, 'merged.json')]);
    const one = (t1 - t0) / 1000;
    const sharded = (t2 - t1) / 1000;
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      bench: 'sweep-shards',
      points: 8,
      shards,
      oneProcessSeconds: r3(one),
      shardedSeconds: r3(sharded),
      speedup: Math.round((one / sharded) * 100) / 100,
      identical:
        readFileSync(join(dir, 'one', 'sweep.json'), 'utf8') ===
        readFileSync(join(dir, 'merged.json'), 'utf8'),
      loadavg1: [Math.round(load0 * 100) / 100, Math.round(loadavg()[0] * 100) / 100],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
