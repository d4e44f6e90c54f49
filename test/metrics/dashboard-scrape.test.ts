/**
 * The shipped Grafana dashboard against what backline really exposes: `backline run` (a simulation)
 * and `backline load` (a loopback server that fails every 10th play) are scraped over HTTP while
 * they run, as Prometheus would, until `backline_run_finished` is 1. Every metric name in the
 * dashboard's queries and variables must have samples in those scrapes, and each scrape passes
 * `promtool check metrics` (skipped with a printed reason where promtool is absent).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlineAsync } from '../cli.js';
import { freePort, has } from './prometheus-server.js';

/** Every `expr` and variable `query` of the dashboard, however deeply its panels nest. */
function queries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) queries(x, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'expr' || k === 'query') && typeof v === 'string') out.push(v);
      else queries(v, out);
    }
  return out;
}

/** Metric names that have at least one sample in an exposition text. */
function sampled(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]),
  );
}

/** Runs the CLI with `--metrics` on a free port and scrapes it every 100 ms; the last full scrape. */
async function scrapeWhile(args: string[]): Promise<{ code: number | null; stderr: string; text: string }> {
  const port = await freePort();
  const run = backlineAsync([...args, '--metrics', `127.0.0.1:${port}`]);
  let done = false;
  let code: number | null = null;
  let stderr = '';
  void run.then((r) => {
    done = true;
    code = r.code;
    stderr = r.stderr;
  });
  let text = '';
  while (!done) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      const body = await res.text();
      if (res.ok && body.includes('backline_run_finished')) text = body;
    } catch {
      // Not listening yet, or gone.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { code, stderr, text };
}

function promtool(text: string): { ok: boolean; out: string } | undefined {
  if (!has('promtool')) return undefined;
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

describe('the Grafana dashboard against real scrapes of run and load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backline-dash-'));
  let plays = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.includes('/play') && ++plays % 10 === 0) res.writeHead(503).end('busy');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  let target = '';
  let sim = '';
  let load = '';

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [a, b] = await Promise.all([
      scrapeWhile([
        'run',
        'spotify',
        '--set',
        'users.arrivals=poisson(200/s)',
        '--no-history',
        '--no-dashboard',
        '--out',
        join(dir, 'run'),
      ]),
      scrapeWhile([
        'load',
        'test/load/fixtures/load-cli.yaml',
        '--set',
        `load.target=${target}`,
        '--rate',
        '40',
        '--duration',
        '2s',
        '--allow-late',
        '--json',
      ]),
    ]);
    expect({ run: a.code, load: b.code }, `${a.stderr}\n${b.stderr}`).toEqual({ run: 0, load: 1 });
    sim = a.text;
    load = b.text;
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('were scraped to the end of both runs', () => {
    expect(sim).toMatch(/^backline_run_finished\{[^}]*kind="sim"[^}]*\} 1$/m);
    expect(load).toMatch(/^backline_run_finished\{[^}]*kind="load"[^}]*\} 1$/m);
  });

  it('pass promtool check metrics', () => {
    for (const text of [sim, load]) {
      const r = promtool(text);
      if (!r) {
        console.log('skipped: promtool is not installed (Debian package prometheus)');
        return;
      }
      expect(r.out).toBe('');
      expect(r.ok).toBe(true);
    }
  });

  it('name in the dashboard only metrics that run or load expose with samples', () => {
    const dashboard = JSON.parse(readFileSync('dashboards/backline.json', 'utf8'));
    const all = queries(dashboard);
    expect(all.length).toBeGreaterThan(10);
    const names = new Set(all.flatMap((q) => q.match(/\bbackline_[a-z0-9_]+/g) ?? []));
    expect(names.size).toBeGreaterThan(5);
    const exposed = new Set([...sampled(sim), ...sampled(load)]);
    expect([...names].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('expose no load-generator figures for a simulation, which has no generator', () => {
    // The simulation's scrape read `backline_generator_late_ratio 0`: a figure nothing measured.
    expect([...sampled(sim)].filter((n) => n.startsWith('backline_generator_'))).toEqual([]);
    expect(sampled(load)).toContain('backline_generator_late_ratio');
  });
});
