/**
 * Spawning `backline` from a benchmark and accounting for it: each child's wall span (to show that
 * processes meant to run side by side did overlap) and the CPU seconds the children used, read from
 * the kernel's per-process account of waited-for children (`/proc/self/stat` cutime + cstime), so a
 * line can say how many cores the machine actually gave — the difference between "sharding does
 * not help" and "no second core was free".
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** Clock ticks per second of /proc times (USER_HZ: 100 on Linux). */
const HZ = 100;

/** One finished child: when it ran (ms since the benchmark's clock origin) and what it printed. */
export interface ChildRun {
  start: number;
  end: number;
  stdout: string;
}

/** Runs `backline …args` (CI mode, no TTY); rejects unless it exits 0. */
export function backline(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ start, end: performance.now(), stdout })
        : reject(new Error(`backline ${args[0]} exited ${code}`)),
    );
  });
}

/** CPU seconds used so far by this process's finished children (undefined off Linux). */
export function childCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / HZ;
  } catch {
    return undefined;
  }
}

/** Wall seconds, child CPU seconds and cores used (CPU ÷ wall) of `work`. */
export async function measured<T>(work: () => Promise<T>) {
  const cpu0 = childCpuSeconds();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = childCpuSeconds();
  const cpu = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
  return { value, seconds, cpu, cores: cpu === undefined ? undefined : cpu / seconds };
}

/** `x` with 3 decimals (2 with `digits`), for JSON lines. */
export const round = (x: number | undefined, digits = 3) =>
  x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits;

/** The 1-minute load average and whether Linux shares CPU fairly between sessions (autogroup). */
export function machine() {
  let autogroup: boolean | undefined;
  try {
    autogroup = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    autogroup = undefined;
  }
  return { loadavg1: round(loadavg()[0], 2), autogroup };
}

/**
 * `{ comparable: false, why }` when the children were given fewer than 1.5 cores on average: a
 * target set for 2 idle cores cannot be judged then. Empty when they were (or when unknown).
 */
export function notComparable(cores: number | undefined): { comparable?: false; why?: string } {
  if (cores === undefined || cores >= 1.5) return {};
  return {
    comparable: false,
    why: `the machine gave ${cores.toFixed(2)} cores, not the 2 the target assumes`,
  };
}
