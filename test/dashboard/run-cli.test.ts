import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backline, ROOT } from '../cli.js';

const FIX = join(ROOT, 'test/dashboard/fixtures');
const tmp = () => mkdtempSync(join(tmpdir(), 'backline-run-'));
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape sequences.
const ESC = /\x1b/;

describe('backline run off a terminal', () => {
  it('prints plain progress lines under CI=true, writes the reports and exits 0', () => {
    const out = tmp();
    const r = backline(['run', '--no-history', join(FIX, 'mm2.yaml'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^mm2\s+\d+%\s+rep \d\/2\s+t=\S+\/1h06m\s+\S+ events/m);
    expect(r.stderr).toMatch(/^mm2 {2}done {2}25\.\dk events in/m);
    expect(r.stdout).not.toMatch(ESC);
    expect(r.stderr).not.toMatch(ESC);
    expect(r.stdout).toMatch(/req\s+[\d,]+\s+1\.\d+ ±/);
    for (const f of ['result.json', 'report.html', 'junit.xml', 'summary.md'])
      expect(r.stdout).toContain(join(out, f));
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.budgets).toEqual([expect.objectContaining({ expr: 'req.p99 < 60s', pass: true })]);
  });

  it('prints the same RunResult with --json --no-dashboard as a plain run writes', () => {
    const a = tmp();
    backline(['run', '--no-history', join(FIX, 'mm2.yaml'), '--out', a]);
    const r = backline(
      ['run', '--no-history', join(FIX, 'mm2.yaml'), '--json', '--no-dashboard', '--out', tmp()],
      {
        CI: '',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*result\.json/);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(a, 'result.json'), 'utf8')));
  });

  it('exits 1 when a budget fails, 2 on bad input and 3 when the reports cannot be written', () => {
    const breach = backline(['run', '--no-history', join(FIX, 'mm2-breach.yaml'), '--out', tmp()]);
    expect(breach.code).toBe(1);
    expect(breach.stdout).toMatch(/req\.p99 < 100ms\s+\d+(\.\d+)?\s+100\s+FAIL/);
    expect(backline(['run', '--no-history', 'no-such-scenario']).code).toBe(2);
    const unwritable = backline(['run', '--no-history', join(FIX, 'mm2.yaml'), '--out', '/dev/null/x']);
    expect(unwritable.code).toBe(3);
    expect(unwritable.stderr).toMatch(/cannot write the reports/);
  });
});
