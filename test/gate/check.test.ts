/**
 * `backline check` end to end (the compiled CLI, as CI runs it): each exit code reached by a real
 * scenario, the reports it writes, and regressions against a baseline judged with intervals.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { backline, ROOT } from '../cli.js';

const GATED = join(ROOT, 'test/gate/fixtures/gated.yaml');
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => n === 'testcase',
});
let dir: string;

/** The gated scenario with its p99 budget set to `limit`. */
function withP99Budget(limit: string): string {
  const file = join(dir, `gated-${limit.replace(/\W/g, '')}.yaml`);
  writeFileSync(file, readFileSync(GATED, 'utf8').replace('req.p99: < 30s', `req.p99: < ${limit}`));
  return file;
}

beforeAll(() => {
  // Keep this project's own CI job summary clean: only the test that asks for it gets one.
  delete process.env.GITHUB_STEP_SUMMARY;
  dir = mkdtempSync(join(tmpdir(), 'backline-check-'));
});

describe('backline check', () => {
  it('exits 0 when every budget holds, and writes the four reports with the verdicts', () => {
    const out = join(dir, 'pass');
    const step = join(dir, 'step-summary.md');
    writeFileSync(step, '# earlier step\n');
    const r = backline(['check', GATED, '--out', out, '--no-history'], { GITHUB_STEP_SUMMARY: step });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(step, 'utf8')).toMatch(/^# earlier step\n## backline · gated · ✅ PASS\n/);
    expect(r.stdout).toMatch(/req\.p99 < 30s\s+[\d.]+\s+30000\s+pass/);
    expect(r.stdout).toContain('check passed');
    expect(r.stdout).toContain(join(out, 'report.html'));
    const suite = parser.parse(readFileSync(join(out, 'junit.xml'), 'utf8')).testsuites.testsuite;
    expect(suite['@tests']).toBe('2');
    expect(suite['@failures']).toBe('0');
    expect(suite.testcase.map((c: Record<string, string>) => c['@name'])).toEqual([
      'req.p99 < 30s',
      'req.errors < 1%',
    ]);
    expect(readFileSync(join(out, 'summary.md'), 'utf8').split('\n')[0]).toBe(
      '## backline · gated · ✅ PASS',
    );
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.budgets.map((b: { pass: boolean }) => b.pass)).toEqual([true, true]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<td class="pass">pass</td>');
  });

  it('exits 1 when a budget fails, with value vs limit in the output and junit.xml', () => {
    const out = join(dir, 'fail');
    const r = backline(['check', withP99Budget('3s'), '--out', out, '--no-history']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL budget req\.p99 < 3s: value \d{4}\.\d+ vs limit 3000/);
    expect(r.stdout).toContain('check failed');
    const suite = parser.parse(readFileSync(join(out, 'junit.xml'), 'utf8')).testsuites.testsuite;
    expect(suite['@failures']).toBe('1');
    expect(suite.testcase[0].failure['@message']).toMatch(
      /^req\.p99 < 3s: value \d{4}(\.\d+)? \(95 % interval [\d.]+ – [\d.]+\) vs limit 3000$/,
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| `req.p99 < 3s` |');
  });

  it('exits 2 on bad input: a broken scenario, a foreign baseline', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'name: bad\nduration: 10s\nusers:\n  arrivals: poisson(1/s)\n  journeys:\n    a: { steps: [sever] }\nservices:\n  server: { time: exp(1ms) }\n',
    );
    const r1 = backline(['check', bad, '--no-history']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/did you mean `server`\?/);
    writeFileSync(join(dir, 'foreign.json'), '{"hello": "world"}');
    const r2 = backline(['check', GATED, '--baseline', join(dir, 'foreign.json'), '--no-history']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('not a backline result');
  });

  it('exits 3 when the run fails: its reports cannot be written', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = backline(['check', GATED, '--out', join(file, 'reports'), '--no-history']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cannot write the reports to .*a-file\/reports: ENOTDIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
