/**
 * The CLI and the generator's honesty: a generator that cannot keep the schedule ends with exit 3
 * (budgets not judged) within its duration + timeout + 2 s and bounded memory; `--allow-late`
 * downgrades that to a warning; SIGINT against hostile targets exits within 2 s with a partial
 * result written.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backlineAsync, ROOT } from '../cli.js';
import { startServer, type TestServer } from './servers.js';

const fixture = join(ROOT, 'test/load/fixtures/load-cli.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'backline-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function server(): Promise<TestServer> {
  const s = await startServer();
  closers.push(s.close);
  return s;
}

/** `load --json` at 200 000/s offered, far beyond what one generator thread sends. */
function saturate(url: string, duration: string, ...extra: string[]) {
  return backlineAsync([
    'load',
    fixture,
    '--target',
    url,
    '--rate',
    '200000',
    '--duration',
    duration,
    '--timeout',
    '1s',
    '--json',
    ...extra,
  ]);
}

describe('load: the generator falls behind', () => {
  it('exits 3 with the generator message at 200 000/s offered, within duration + timeout + 2 s', async () => {
    const s = await server();
    const t0 = performance.now();
    const r = await saturate(s.url, '4s');
    const wall = (performance.now() - t0) / 1000;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /the load generator could not keep the schedule: .*use --workers or fewer connections/,
    );
    const result = JSON.parse(r.stdout);
    expect(result.generator.behind).toBeDefined();
    expect(result.generator.intended).toBe(800_000);
    expect(result.budgets).toEqual([]);
    // The run ends within 4 s + 1 s timeout + 2 s; the wall clock adds the CLI's start-up and
    // printing 800 k intended requests' result on a machine at load average ~19.
    expect(result.window.end).toBeLessThan(4 + 1 + 2);
    expect(wall).toBeLessThan(4 + 1 + 2 + 10);
  });

  it('--allow-late judges the budgets anyway and only warns', async () => {
    const s = await server();
    const r = await saturate(s.url, '1s', '--allow-late');
    expect(r.stderr).toMatch(/warning: the load generator could not keep the schedule/);
    expect([0, 1]).toContain(r.code);
    expect(JSON.parse(r.stdout).budgets.length).toBeGreaterThan(0);
  });
});

/** A target that accepts connections and never answers. */
async function silent(): Promise<{ url: string; connections: () => number }> {
  const socks = new Set<net.Socket>();
  let connections = 0;
  const srv = net.createServer((c) => {
    connections++;
    socks.add(c);
    c.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const c of socks) c.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, connections: () => connections };
}

describe('load: SIGINT', () => {
  it('exits within 2 s against a target that never answers and writes the partial result', async () => {
    const { url, connections } = await silent();
    const out = join(tmp, 'sigint');
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'dist/cli/main.js'),
        'load',
        fixture,
        '--target',
        url,
        '--duration',
        '60s',
        '--timeout',
        '60s',
        '--out',
        out,
        '--no-dashboard',
      ],
      { cwd: ROOT, env: { ...process.env, CI: 'true' } },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    // Start-up takes seconds on a busy machine and SIGINT before the handler exists would kill
    // it: wait for the load's connections (the first is the reachability probe).
    while (connections() < 3) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(code).not.toBe(null);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.partial).toBe(true);
    expect(stderr).not.toMatch(/internal error/);
  });
});
