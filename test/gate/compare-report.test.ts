/**
 * `backline compare` and `backline report` on saved results, through the compiled CLI.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../results/compare.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';
import { backline, ROOT } from '../cli.js';

const GATED = join(ROOT, 'test/gate/fixtures/gated.yaml');
let dir: string;
let fast: string;
let slow: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backline-compare-'));
  fast = join(dir, 'fast.json');
  slow = join(dir, 'slow.json');
  writeFileSync(fast, JSON.stringify(simulateSync(loadScenario(GATED, ['services.server.workers=5']))));
  writeFileSync(slow, JSON.stringify(simulateSync(loadScenario(GATED))));
});

describe('backline compare', () => {
  it('prints per-journey and per-service deltas with significance marks', () => {
    const r = backline(['compare', fast, slow]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^req\s+[\d.]+ → [\d.]+ \(\+\d+\.\d %\) ▲\s+[\d.]+ → [\d.]+ \(\+\d+\.\d %\) ▲/m);
    expect(r.stdout).toMatch(/^server\s+\d+\.\d+ → \d+\.\d+ \(\+\d+\.\d %\) ▲/m);
    expect(r.stdout).toContain('regressions beyond 10.0 %:');
  });

  it('prints the comparison as JSON with --json', () => {
    const r = backline(['compare', slow, fast, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as Comparison;
    expect(c.journeys.map((j) => j.name)).toEqual(['req']);
    expect(c.journeys[0].p99?.mark).toBe('▼');
    expect(c.journeys[0].p99?.relative).toBeLessThan(-0.1);
    expect(c.services[0].utilization?.b).toBeLessThan(c.services[0].utilization!.a);
    expect(c.regressions).toEqual([]);
  });
});

describe('backline report', () => {
  it('renders the four reports from a saved result with another as predicted', () => {
    const out = join(dir, 'report');
    const r = backline(['report', slow, '--predicted', fast, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(
      ['result.json', 'report.html', 'junit.xml', 'summary.md'].map((f) => join(out, f)),
    );
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Predicted vs measured</h2>');
    expect(html).toContain('Latency CDF · req');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /\| req \| [\d.]+ \| [\d.]+ \| -\d+\.\d % \|/,
    );
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(slow, 'utf8')),
    );
  });

  it('exits 2 for a file that is not a result', () => {
    const r = backline(['report', GATED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gated\.yaml: not JSON/);
  });
});
