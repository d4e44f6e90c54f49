/**
 * `load` fails to start cleanly: a `--metrics` port that cannot be bound is exit 2 before the twin
 * starts (it used to be found after the twin was serving, and the command never ended), and a twin
 * that cannot start does not leave the metrics server holding the process open. Each run is given
 * 30 s where it takes about 2: a hang is a failure, not a test timeout.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
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
});
