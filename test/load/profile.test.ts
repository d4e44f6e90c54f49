/**
 * `backline load --profile doctor|flame -- <command>` for real: clinic@13 (an optional dependency)
 * wraps a loopback server while the load runs, then writes its HTML report. Skipped, not passed,
 * when clinic did not install.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findClinic } from '../../loadtests/profile/clinic.js';
import { backlineAsync } from '../cli.js';
import { freePort } from './servers.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const scenario = fixture('load-cli.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'backline-profile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const hasClinic = findClinic() !== undefined;

describe('backline load --profile (usage)', () => {
  it('refuses an unknown clinic tool with exit 2', async () => {
    const r = await backlineAsync(['load', scenario, '--profile', 'perf', '--', 'node', 'x.js']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile expects one of doctor, flame, heapprofiler, got `perf`');
  });

  it('says why bubbleprof is not offered', async () => {
    const r = await backlineAsync(['load', scenario, '--profile', 'bubbleprof', '--', 'node', 'x.js']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('clinicjs/node-clinic#477');
  });

  it('asks for the target command when --profile has none', async () => {
    const r = await backlineAsync(['load', scenario, '--profile', 'doctor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile needs the target command after `--`');
  });

  it('refuses a target command without --profile', async () => {
    const r = await backlineAsync(['load', scenario, '--', 'node', 'server.js']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unexpected arguments `node server.js`');
  });
});

describe.skipIf(!hasClinic)('backline load --profile (real clinic)', () => {
  it('profiles a server with clinic doctor while the load runs and records the report', async () => {
    const out = join(tmp, 'doctor');
    const r = await backlineAsync([
      'load',
      '--allow-late',
      scenario,
      '--profile',
      'doctor',
      '--rate',
      '100',
      '--duration',
      '2s',
      '--out',
      out,
      '--',
      'node',
      fixture('profile-server.mjs'),
    ]);
    expect(r.stderr).toMatch(
      /clinic doctor profiling node .*profile-server\.mjs at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(r.code).toBe(0);
    const report = /clinic doctor report: (.+\.clinic-doctor\.html)\n/.exec(r.stderr)?.[1];
    expect(report).toBeDefined();
    expect(report?.startsWith(join(out, 'clinic'))).toBe(true);
    expect(statSync(report as string).size).toBeGreaterThan(100_000);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.profile).toEqual({ tool: 'clinic doctor', report });
    // 100/s for 2 s: every request of the plan reached the profiled server and succeeded.
    const count = result.journeys.play.count + result.journeys.search.count;
    expect(count).toBeGreaterThanOrEqual(190);
    expect(result.journeys.play.errorRate + result.journeys.search.errorRate).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('profiled with clinic doctor');
  }, 180_000);

  it('profiles with clinic flame at a given --target and leaves no server behind', async () => {
    const out = join(tmp, 'flame');
    const port = await freePort();
    const target = `http://127.0.0.1:${port}`;
    const r = await backlineAsync(
      [
        'load',
        '--allow-late',
        scenario,
        '--profile',
        'flame',
        '--rate',
        '50',
        '--duration',
        '1s',
        '--json',
        '--target',
        target,
        '--out',
        out,
        '--',
        'node',
        fixture('profile-server.mjs'),
      ],
      { PORT: String(port) },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.target.url).toBe(`${target}/`);
    expect(result.profile.tool).toBe('clinic flame');
    expect(result.profile.report).toMatch(/\.clinic-flame\.html$/);
    expect(existsSync(result.profile.report)).toBe(true);
    expect(readdirSync(join(out, 'clinic')).some((f) => f.endsWith('.clinic-flame'))).toBe(true);
    // The profiled server was stopped: its port no longer answers.
    const refused = await fetch(target).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  }, 180_000);

  it('fails with exit 3 and the target output when the target exits before it listens', async () => {
    const out = join(tmp, 'exits');
    const r = await backlineAsync([
      'load',
      '--allow-late',
      scenario,
      '--profile',
      'doctor',
      '--out',
      out,
      '--',
      'node',
      fixture('exits-at-once.mjs'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the profiled target exited before it listened');
    expect(r.stderr).toContain('config missing: DATABASE_URL');
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  }, 120_000);
});
