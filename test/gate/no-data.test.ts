/**
 * A gate never passes on no data: a budget over a journey with 0 measured samples fails the run
 * (exit 3, "no requests completed for journey play") in sim, check and merge alike, unless the
 * budget says `or no data`; a load result that lacks the journey altogether is the same case.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateLoadBudgets } from '../../loadtests/budgets.js';
import type { RunResult } from '../../results/run-result.js';
import { backline } from '../cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-nodata-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `play` has so small a weight that none of its journeys run in a minute at 10/s. */
function scenario(playBudget: string): string {
  const file = join(tmp, `nodata-${playBudget.length}.yaml`);
  writeFileSync(
    file,
    [
      'name: nodata',
      'duration: 60s',
      'users:',
      '  arrivals: poisson(10/s)',
      '  journeys:',
      '    req: { steps: [server] }',
      '    play: { weight: 0.0000001, steps: [server] }',
      'services:',
      '  server: { workers: 4, time: exp(10ms) }',
      'budgets:',
      '  req.p99: < 1s',
      `  play.p99: ${playBudget}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('a budget over a journey with no samples', () => {
  const file = scenario('< 400ms');

  it('fails sim with exit 3 and says which journey had none', () => {
    const r = backline(['sim', file, '--no-history']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('backline: run failed: no requests completed for journey play');
    expect(r.stdout).toMatch(/play\.p99 < 400ms +NaN +400 +FAIL: no data/);
  });

  it('fails check with exit 3 (JSON verdict names the reason)', () => {
    const r = backline(['check', file, '--no-history', '--json', '--out', join(tmp, 'check')]);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.exitCode).toBe(3);
    expect(out.failed).toEqual(['no requests completed for journey play']);
  });

  it('fails merge of a runner result with exit 3', () => {
    // merge combines load runners: the simulated result stands in for one (same RunResult shape).
    const sim = JSON.parse(backline(['sim', file, '--no-history', '--json']).stdout);
    const saved = join(tmp, 'runner.json');
    writeFileSync(saved, JSON.stringify({ ...sim, kind: 'load' }));
    const r = backline(['merge', saved, '--scenario', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no requests completed for journey play');
  });

  it('passes when the budget says `or no data`', () => {
    const r = backline(['sim', scenario('< 400ms or no data'), '--no-history']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/play\.p99 < 400ms or no data +NaN +400 +pass: no data/);
  });

  it('keeps a load budget whose journey sent nothing, as no data (it was dropped before)', () => {
    const result = { journeys: {}, budgets: [] } as unknown as RunResult;
    const budget = { expr: 'play.p99 < 400ms', subject: 'play', metric: 'p99', op: '<' as const, limit: 400 };
    const [b] = evaluateLoadBudgets(result, [{ ...budget, kind: 'journey' }]);
    expect(b).toMatchObject({ pass: false, noData: 'no requests completed for journey play' });
  });
});
