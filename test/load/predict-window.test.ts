import { describe, expect, it } from 'vitest';
import { predictWindowMismatch } from '../../cli/load/predict-window.js';
import { loadScenario } from '../../scenarios/load.js';

describe('a --predict comparison says when the load offered something else than the scenario', () => {
  it('a --rate replaces the arrivals: every scenario is not comparable', () => {
    expect(predictWindowMismatch(loadScenario('mmc'), { rate: 150, duration: undefined })).toBe(
      "--rate 150/s replaced the scenario's arrivals; the simulation runs the scenario's own",
    );
  });

  it('a short --duration of a spike with autoscaling (autoscale-lag, 600 s) is not comparable', () => {
    expect(predictWindowMismatch(loadScenario('autoscale-lag'), { rate: undefined, duration: 5 })).toBe(
      '--duration 5 s loaded the first 5 s of a 600 s scenario whose spike arrivals, autoscaling the simulation runs in full',
    );
  });

  it('a short --duration of a stationary scenario (mmc: Poisson, no faults, no autoscaling) stays comparable', () => {
    expect(predictWindowMismatch(loadScenario('mmc'), { rate: undefined, duration: 5 })).toBeUndefined();
  });

  it('the full duration of a scenario with faults stays comparable', () => {
    const s = loadScenario('breaker');
    expect(s.faults.length).toBeGreaterThan(0);
    expect(predictWindowMismatch(s, { rate: undefined, duration: s.duration })).toBeUndefined();
    expect(predictWindowMismatch(s, { rate: undefined, duration: s.duration - 1 })).toMatch(
      /^--duration \d+ s .*faults/,
    );
  });
});
