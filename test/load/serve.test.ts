import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin } from '../../loadtests/twin/twin.js';
import { UsageError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';
import { ROOT } from '../cli.js';

/** `backline serve …`, killed after 15 s if it has not exited by then (the bug was a hang). */
function serve(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'serve', ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    });
  });
}

/** Listening TCP servers of this process. */
const listeners = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

let taken: net.Server;
let port = 0;
beforeAll(async () => {
  taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  port = (taken.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => taken.close(() => r())));

describe('serve on a port it cannot have', () => {
  // Before the fix: `serve` printed an internal error and hung with every service port still open.
  it('exits 2 at once with a clear message when the port is taken', async () => {
    const t0 = Date.now();
    const r = await serve(['breaker', '--port', String(port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).not.toContain('internal error');
    // It could only exit because no listener was left open (a hang is killed at 15 s: code null).
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('exits 2 for a port outside 0..65535', async () => {
    const r = await serve(['breaker', '--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port expects a port number from 0 to 65535, got `70000`');
  });

  it('closes every listener it opened when the edge port is taken', async () => {
    const before = listeners();
    const err = await startTwin(loadScenario('breaker', []), { port }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    // 7 replica ports, 3 service fronts: all closed again (a handle goes a tick after its close).
    await new Promise((r) => setTimeout(r, 50));
    expect(listeners()).toBe(before);
  });
});
