/**
 * The gate against a baseline: a real slowdown fails the build (exit 1), noise between seeds does
 * not (exit 0). Baselines are simulated in-process; the candidate runs through the compiled CLI.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { tolerance } from '../../cli/commands/compare.js';
import { readResult } from '../../cli/commands/report.js';
import { UsageError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';
import { backline, ROOT } from '../cli.js';

const GATED = join(ROOT, 'test/gate/fixtures/gated.yaml');
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => n === 'testcase',
});
let dir: string;

function baseline(file: string, overrides: string[], seed?: number): string {
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify(simulateSync(loadScenario(GATED, overrides), { seed }), null, 2)}\n`);
  return path;
}

beforeAll(() => {
  // Keep this project's own CI job summary clean: only the test that asks for it gets one.
  delete process.env.GITHUB_STEP_SUMMARY;
  dir = mkdtempSync(join(tmpdir(), 'backline-regression-'));
});

describe('backline check --baseline', () => {
  it('exits 1 when p99 and mean rose significantly beyond the tolerance, 0 with a tolerance above the rise', () => {
    // Baseline: five workers (faster). Candidate: the scenario's four, same seed.
    const fast = baseline('fast.json', ['services.server.workers=5']);
    const out = join(dir, 'regressed');
    const r = backline(['check', GATED, '--baseline', fast, '--out', out, '--no-history']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL regression req\.p99 rose from [\d.]+ ms to [\d.]+ ms \(\+\d+(\.\d)? %, beyond the 10 % tolerance, 95 % intervals do not overlap\)/,
    );
    expect(r.stdout).toMatch(/req\s+.*\(\+\d+\.\d %\) ▲/);
    const suite = parser.parse(readFileSync(join(out, 'junit.xml'), 'utf8')).testsuites.testsuite;
    const failed = suite.testcase.filter((c: Record<string, unknown>) => c.failure);
    expect(failed.map((c: Record<string, string>) => c['@name'])).toEqual(['req.p99', 'req.mean']);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('**Regressions**');

    const rise =
      JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).journeys.req.latency.p99 /
      JSON.parse(readFileSync(fast, 'utf8')).journeys.req.latency.p99;
    expect(rise).toBeGreaterThan(1.2);
    const tol = `${Math.ceil((rise - 1) * 100) + 60}%`;
    const ok = backline([
      'check',
      GATED,
      '--baseline',
      fast,
      '--tolerance',
      tol,
      '--out',
      join(dir, 'tol'),
      '--no-history',
    ]);
    expect(ok.code).toBe(0);
  });

  it('exits 0 against a baseline of the same system with another seed: noise is not a regression', () => {
    const other = baseline('seed2.json', [], 2);
    const out = join(dir, 'noise');
    const r = backline(['check', GATED, '--baseline', other, '--out', out, '--no-history']);
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(other, 'utf8')).journeys.req.latency.p99;
    const b = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).journeys.req.latency.p99;
    expect(a).not.toBe(b);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(
      'No significant regression beyond the tolerance.',
    );
  });
});

describe('gate inputs', () => {
  it('parses --tolerance as a percentage or a share and rejects anything else', () => {
    expect(tolerance(undefined)).toBe(0.1);
    expect(tolerance('10%')).toBeCloseTo(0.1, 12);
    expect(tolerance('2.5%')).toBeCloseTo(0.025, 12);
    expect(tolerance('0.2')).toBe(0.2);
    expect(() => tolerance('ten')).toThrow(
      '--tolerance expects a percentage like 10% or a share like 0.1, got `ten`',
    );
    expect(() => tolerance('15')).toThrow(UsageError);
  });

  it('reads a baseline or refuses it with a usage error naming the file', () => {
    expect(() => readResult(join(dir, 'nope.json'), 'baseline')).toThrow(
      /^cannot read the baseline .*nope\.json: ENOENT$/,
    );
    writeFileSync(join(dir, 'broken.json'), '{"version": 1,');
    expect(() => readResult(join(dir, 'broken.json'))).toThrow(/broken\.json: not JSON/);
    writeFileSync(
      join(dir, 'old.json'),
      JSON.stringify({ version: 1, kind: 'sim', scenario: { name: 'x' }, journeys: {} }),
    );
    expect(readResult(join(dir, 'old.json')).budgets).toEqual([]);
  });
});
