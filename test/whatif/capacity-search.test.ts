import { describe, expect, it } from 'vitest';
import { judgeAnswer } from '../../cli/capacity-confidence.js';
import {
  bracket,
  nextRates,
  type ProbeVerdict,
  roundRate,
  roundsLeft,
  type SearchStart,
} from '../../cli/capacity-search.js';
import { parseBudget } from '../../cli/commands/capacity.js';
import { loadScenario } from '../../scenarios/load.js';

const estimate: SearchStart = { estimate: 0.8, estimateIsBound: false, baseRate: 0.5 };
const bound: SearchStart = { estimate: 31715.7, estimateIsBound: true, baseRate: 1500 };

/** Runs the planner against a budget that holds exactly up to `threshold`. */
function search(start: SearchStart, threshold: number, k: number, tolerance: number, maxRuns = 60) {
  const probes: ProbeVerdict[] = [];
  let rounds = 0;
  for (;;) {
    const rates = nextRates(probes, start, Math.min(k, maxRuns - probes.length), tolerance);
    if (rates.length === 0) break;
    expect(rates.length).toBeLessThanOrEqual(k);
    probes.push(...rates.map((rate) => ({ rate, pass: rate <= threshold })));
    rounds++;
  }
  return { probes, rounds, interval: bracket(probes) };
}

describe('capacity search rounds', () => {
  it('starts around an analytic estimate, or climbs from the scenario rate below a saturation bound', () => {
    expect(nextRates([], estimate, 1, 0.02)).toEqual([0.8]);
    expect(nextRates([], estimate, 2, 0.02)).toEqual([
      roundRate(0.8 / 1.25 ** (1 / 3)),
      roundRate(0.8 * 1.25 ** (1 / 3)),
    ]);
    // 31.7 k/s is where the bottleneck saturates: start at the scenario's 1.5 k/s ×√2 and ×2.
    expect(nextRates([], bound, 2, 0.05)).toEqual([2121.32, 3000]);
  });

  it('climbs ×√2 per probe while all pass, falls ÷2 per probe while all fail, cuts a bracket in k+1 parts', () => {
    expect(nextRates([{ rate: 2, pass: true }], estimate, 2, 0.02)).toEqual([2.82843, 4]);
    expect(nextRates([{ rate: 8, pass: false }], estimate, 2, 0.02)).toEqual([4, 2]);
    const cut = nextRates(
      [
        { rate: 1, pass: true },
        { rate: 2, pass: false },
      ],
      estimate,
      2,
      0.02,
    );
    expect(cut).toEqual([1.25992, 1.5874]);
    // Narrow enough: nothing more to probe; a rate already probed is never probed again.
    expect(
      nextRates(
        [
          { rate: 1, pass: true },
          { rate: 1.01, pass: false },
        ],
        estimate,
        2,
        0.02,
      ),
    ).toEqual([]);
    expect(nextRates([{ rate: 0.8, pass: true }, ...[]], { ...estimate, estimate: 0.8 }, 1, 0.02)).toEqual([
      1.13137,
    ]);
  });

  it('never places the answer above a rate that failed (a pass above a failure is ignored)', () => {
    expect(
      bracket([
        { rate: 1, pass: true },
        { rate: 2, pass: false },
        { rate: 3, pass: true },
      ]),
    ).toEqual([1, 2]);
    expect(bracket([{ rate: 3, pass: false }])).toEqual([0, 3]);
    expect(bracket([{ rate: 3, pass: true }])).toEqual([3, Number.POSITIVE_INFINITY]);
  });

  it('brackets any threshold to the tolerance, in no more rounds than it predicted', () => {
    for (const k of [1, 2, 3])
      for (const threshold of [0.001, 0.37, 0.8, 0.81, 2.5, 1000, 2.6e5]) {
        const start = { ...estimate, estimate: 0.8 };
        const first = search(start, threshold, k, 0.02);
        const [lo, hi] = first.interval;
        expect(lo).toBeLessThanOrEqual(threshold);
        expect(hi).toBeGreaterThan(threshold);
        expect((hi - lo) / lo).toBeLessThanOrEqual(0.02);
        // Once bracketed, the prediction is an upper bound on the rounds still needed.
        const i = first.probes.findIndex((_, n) => {
          const [a, b] = bracket(first.probes.slice(0, n + 1));
          return a > 0 && Number.isFinite(b);
        });
        const roundOf = Math.floor(i / k) + 1;
        const after = first.probes.slice(0, roundOf * k);
        expect(first.rounds - roundOf).toBeLessThanOrEqual(roundsLeft(after, k, 0.02));
      }
    // Two rates a round need fewer rounds than one: log-width shrinks ÷3 instead of ÷2.
    expect(search(bound, 2500, 2, 0.05).rounds).toBeLessThan(search(bound, 2500, 1, 0.05).rounds);
    expect(
      roundsLeft(
        [
          { rate: 1, pass: true },
          { rate: 2, pass: false },
        ],
        2,
        0.05,
      ),
    ).toBe(3);
  });
});

describe('how sure the answer is', () => {
  const s = loadScenario('mmc');
  const budget = parseBudget('req.mean < 5000ms', s);

  it('judges each budget by its 95 % Student-t interval over the seeds', () => {
    // mean 5150, sd 213.57, t(2) = 4.303: half-width 530.5, straddling the 5000 ms limit.
    const c = judgeAnswer(0.81, [3, 4, 5], [budget], [[4946], [5132], [5372]]);
    expect(c.budgets[0].mean).toBeCloseTo(5150, 6);
    expect(c.budgets[0].ci?.[0]).toBeCloseTo(4619.46, 1);
    expect(c.budgets[0].ci?.[1]).toBeCloseTo(5680.54, 1);
    expect(c.budgets[0].verdict).toBe('unsure');
    expect(judgeAnswer(0.7, [3, 4, 5], [budget], [[3300], [3400], [3500]]).budgets[0].verdict).toBe('met');
    expect(judgeAnswer(0.9, [3, 4, 5], [budget], [[9000], [9100], [8900]]).budgets[0].verdict).toBe('missed');
  });

  it('calls a run that measured nothing missed, and one run never more than unsure', () => {
    const none = judgeAnswer(1, [3, 4], [budget], [[Number.NaN], [4000]]);
    expect(none.budgets[0].verdict).toBe('missed');
    expect(none.budgets[0].ci).toBeUndefined();
    expect(judgeAnswer(1, [3], [budget], [[10]]).budgets[0].verdict).toBe('unsure');
  });
});
