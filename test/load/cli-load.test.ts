import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { k6Script } from '../../loadtests/k6/script.js';
import { loadScenario } from '../../scenarios/load.js';
import { backlineAsync, ROOT } from '../cli.js';
import { freePort, startServer } from './servers.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const scenario = fixture('load-cli.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'backline-load-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('backline load', () => {
  it('refuses a non-loopback target with exit 2 before any request', async () => {
    const out = join(tmp, 'refused');
    const r = await backlineAsync(['load', scenario, '--target', 'http://93.184.216.34:8080', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to load `93\.184\.216\.34`: it is not loopback/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports an unreachable target with exit 3 and writes nothing', async () => {
    const port = await freePort();
    const out = join(tmp, 'unreachable');
    const r = await backlineAsync(['load', scenario, '--target', `http://127.0.0.1:${port}`, '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `target http://127.0.0.1:${port} is unreachable: connection refused (is it running?); nothing was sent or written\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('loads a loopback server and prints the RunResult with --json', async () => {
    const s = await startServer();
    try {
      const r = await backlineAsync(['load', scenario, '--target', s.url, '--json', '--allow-late']);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.kind).toBe('load');
      expect(result.journeys.play.count + result.journeys.search.count).toBe(50);
      expect(result.budgets.map((b: { pass: boolean }) => b.pass)).toEqual([true, true]);
      expect(s.seen.filter((x) => x.url.startsWith('/v1/tracks/')).length).toBe(result.journeys.play.count);
    } finally {
      await s.close();
    }
  });

  it('serves the twin, loads it and writes predicted beside measured (--twin --predict)', async () => {
    const out = join(tmp, 'twin');
    const r = await backlineAsync([
      'load',
      scenario,
      '--twin',
      '--predict',
      '--duration',
      '2',
      '--out',
      out,
      '--allow-late',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('predicted (simulation) vs measured:');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.services.gateway.served).toBeGreaterThan(50);
    expect(readFileSync(join(out, 'report.html'), 'utf8').length).toBeGreaterThan(1000);
  });

  it('marks every journey not comparable when --rate replaced the arrivals the simulation predicts', async () => {
    const r = await backlineAsync([
      'load',
      scenario,
      '--twin',
      '--predict',
      '--rate',
      '20',
      '--duration',
      '1',
      '--allow-late',
    ]);
    expect(r.stdout).toContain('predicted (simulation) vs measured:');
    expect(r.stdout).toMatch(/not comparable/);
    expect(r.stdout).toContain("--rate 20/s replaced the scenario's arrivals");
  });
});

describe('backline k6 and merge', () => {
  it('exports a script and a TestRun with the script in a ConfigMap', async () => {
    const script = k6Script(loadScenario(scenario));
    expect(script).toContain("import http from 'k6/http';");
    const file = join(tmp, 'testrun.yaml');
    const r = await backlineAsync([
      'k6',
      scenario,
      '--operator',
      '--target',
      'http://gateway.staging.svc',
      '--results-pvc',
      'results',
      '--parallelism',
      '3',
      '--out',
      file,
    ]);
    expect(r.code).toBe(0);
    const [cm, tr] = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    expect(tr.spec.parallelism).toBe(3);
    expect(cm.data['test.ts']).toBe(script);
  });

  it('prints the script inside JSON with --json', async () => {
    const r = await backlineAsync(['k6', scenario, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'k6-script',
      scenario: 'load-cli',
      content: k6Script(loadScenario(scenario)),
    });
  });

  it('merges runner outputs, names the malformed line, and fails the error budget (exit 1)', async () => {
    const r = await backlineAsync([
      'merge',
      fixture('k6-points-a.ndjson'),
      fixture('k6-points-b.ndjson'),
      '--scenario',
      scenario,
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\S*k6-points-a\.ndjson:157 {2}not JSON/);
    const result = JSON.parse(r.stdout);
    expect(result.journeys.play.count).toBe(104);
    expect(result.budgets.map((b: { pass: boolean }) => b.pass)).toEqual([true, false]); // p99 < 5s passes, errors < 0.5 % fails
  });
});

describe('backline serve', () => {
  it('prints its endpoints, answers journeys and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'serve', scenario, '--json'], {
      cwd: ROOT,
    });
    let out = '';
    const endpoints = await new Promise<{ url: string; services: Record<string, string> }>(
      (resolve, reject) => {
        child.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
      },
    );
    const res = await fetch(`${endpoints.url}/v1/tracks/42/play`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ journey: 'play' });
    expect((await fetch(`${endpoints.url}/nothing`)).status).toBe(404);
    expect(Object.keys(endpoints.services)).toEqual(['gateway', 'auth']);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
    await expect(fetch(endpoints.url)).rejects.toThrow();
  });
});
