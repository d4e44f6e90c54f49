import { describe, expect, it } from 'vitest';
import type { BudgetResult } from './run-result.js';
import { judge } from './verdict.js';

const pass: BudgetResult = { expr: 'play.p99 < 400ms', value: 120, limit: 400, pass: true };
const unsure: BudgetResult = { ...pass, value: 390, ci: [380, 410], pass: null };
const failed: BudgetResult = { ...pass, value: 420, pass: false };
const empty: BudgetResult = {
  ...pass,
  value: Number.NaN,
  pass: false,
  noData: 'no requests completed for journey play',
};

describe('the one verdict every command exits by', () => {
  it('passes on passing and unsure budgets, fails (budget) on a failed one or a regression', () => {
    expect(judge({ budgets: [pass, unsure] }).verdict).toBe('pass');
    expect(judge({ budgets: [pass, failed] }).verdict).toBe('budget');
    expect(judge({ budgets: [pass] }, { regressions: 1 }).verdict).toBe('budget');
  });

  it('fails the run (not just a budget) when a budget had no data, and says why once', () => {
    expect(judge({ budgets: [failed, empty, { ...empty, expr: 'play.errors < 1%' }] })).toEqual({
      verdict: 'run',
      reasons: ['no requests completed for journey play'],
    });
    // `or no data` made it pass: no failure.
    expect(judge({ budgets: [{ ...empty, pass: true }] }).verdict).toBe('pass');
  });

  it('judges a partial run on what it measured, unless the caller is a gate (partialFails)', () => {
    expect(judge({ budgets: [pass], partial: true }).verdict).toBe('pass');
    expect(judge({ budgets: [pass], partial: true }, { partialFails: true })).toEqual({
      verdict: 'run',
      reasons: ['the run was stopped before its end'],
    });
  });
});
