/**
 * `load` fails to start cleanly: a `--metrics` port that cannot be bound is exit 2 before the twin
 * starts (it used to be found after the twin was serving, and the command never ended), and a twin
 * that cannot start does not leave the metrics server holding the process open. Each run is given
 * 30 s where it takes about 2: a hang is a failure, not a test timeout. `--tool k6` without k6 on
 * PATH is exit 3 before anything starts (it used to be found once the twin was serving).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli.js';
import { newMark, processesMarked } from '../leftovers.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
let busy: Server;
let port: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  port = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

/**
 * `backline load …` with a marker, PATH holding node alone (no k6), watched while it runs: every
 * other process carrying the marker (a twin, a target, k6) is one it started.
 */
async function loadWatched(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'backline-no-k6-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
  const mark = newMark();
  const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'load', FIXTURE, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', PATH: bin, [mark]: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const started = new Set<number>();
  let scanned = false;
  for (let done = false; !done; ) {
    const found = processesMarked(mark);
    if (found) scanned = true;
    for (const pid of found ?? []) if (pid !== child.pid) started.add(pid);
    done = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 20)),
    ]);
  }
  clearTimeout(killer);
  if (!scanned) console.log('skipped the started-process check: no /proc on this system');
  const left = processesMarked(mark) ?? [];
  rmSync(dir, { recursive: true, force: true });
  return { code: await exited, stderr, started: [...started], left };
}

/** `backline load …` with a unique marker in its environment, killed after 30 s. */
function load(args: string[]) {
  const mark = newMark();
  const r = spawnSync(process.execPath, [`${ROOT}dist/cli/main.js`, 'load', FIXTURE, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', [mark]: '1' },
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  const left = processesMarked(mark);
  if (left === undefined) console.log('skipped the leftover-process check: no /proc on this system');
  return { code: r.status, signal: r.signal, stderr: r.stderr, left: left ?? [] };
}

describe('load fails to start cleanly', () => {
  it('a busy --metrics port: exit 2 before the twin starts, nothing left running', () => {
    const run = load(['--twin', '--duration', '1s', '--no-dashboard', '--metrics', `127.0.0.1:${port}`]);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(`--metrics 127.0.0.1:${port}: cannot listen (EADDRINUSE)\n`);
    expect(run.left).toEqual([]);
  }, 40_000);

  it('a busy twin --port with --metrics: exit 2, and the metrics server does not keep it running', () => {
    const run = load([
      '--twin',
      '--port',
      String(port),
      '--duration',
      '1s',
      '--no-dashboard',
      '--metrics',
      '127.0.0.1:0',
    ]);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(run.left).toEqual([]);
  }, 40_000);

  it('--tool k6 with no k6 on PATH: exit 3 before the twin or the metrics server starts', async () => {
    const run = await loadWatched(['--twin', '--tool', 'k6', '--duration', '1s', '--metrics', '127.0.0.1:0']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.started, run.stderr).toEqual([]);
    expect(run.stderr).toContain('k6 is not installed or not on PATH');
    expect(run.stderr).not.toContain('twin serving');
    expect(run.stderr).not.toContain('metrics at');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.left).toEqual([]);
  }, 40_000);
});
