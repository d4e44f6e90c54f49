/**
 * The topology catalog scenarios teach what their comments say, and runs are deterministic: the
 * same seed gives byte-identical JSON, watched (`simulate`) or not (`simulateSync`).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/load.js';
import { fastPathAccepts } from '../../sim/queueing/fast-path.js';
import { simulate, simulateSync } from '../../sim/run.js';

const NAMES = ['retry-storm', 'region-failover', 'autoscale-lag', 'breaker', 'fanout-tail'];

describe('topology catalog', () => {
  it('each scenario loads, says what it is about and runs on the topology engine', () => {
    for (const name of NAMES) {
      const s = loadScenario(name);
      expect(s.about?.length ?? 0).toBeGreaterThan(20);
      expect(fastPathAccepts(s)).toBe(false);
    }
    expect(fastPathAccepts(loadScenario('mmc'))).toBe(true);
  });

  it('retry-storm stays down after the fault without budgets and recovers with them', () => {
    const errorsAfter = (sets: string[]) => {
      const r = simulateSync(loadScenario('retry-storm', ['duration=110s', ...sets]));
      const tl = r.timeline!;
      const late = tl.t.map((t, i) => [t, tl.journeys.browse.errors[i]]).filter(([t]) => t >= 100);
      return late.reduce((a, [, e]) => a + e, 0) / late.length;
    };
    expect(errorsAfter([])).toBeGreaterThan(0.9);
    expect(errorsAfter(['services.db.retry.budget=10%', 'services.api.retry.budget=10%'])).toBeLessThan(0.01);
  });

  it('breaker opens during the fault, closes after it, and profile stays fast', () => {
    const r = simulateSync(loadScenario('breaker'));
    const tr = r.services!.recs.breaker!;
    expect(tr[0][1]).toBe('open');
    expect(tr[0][0]).toBeGreaterThanOrEqual(60);
    expect(tr[0][0]).toBeLessThan(70);
    expect(tr[tr.length - 1][1]).toBe('closed');
    expect(tr[tr.length - 1][0]).toBeGreaterThanOrEqual(120);
    expect(r.journeys.home.errors.breaker_open).toBeGreaterThan(0);
    expect(r.services!.recs.breakerOpen).toBe(r.journeys.home.errors.breaker_open);
    expect(r.services!.recs).not.toHaveProperty('shed');
    expect(r.journeys.profile.errorRate).toBe(0);
    expect(r.journeys.profile.latency.p99).toBeLessThan(20);
    expect(r.faults!.map((f) => f.label)).toEqual(['errors recs 70%', 'slow recs +400ms']);
  });

  it('is deterministic: same seed, byte-identical JSON, sliced or not', async () => {
    const s = loadScenario('region-failover', ['duration=130s', 'warmup=5s', 'replications=1']);
    const a = JSON.stringify(simulateSync(s));
    const b = JSON.stringify(await simulate(s, { sliceEvents: 50_000 }).result);
    expect(b).toBe(a);
    const c = JSON.stringify(simulateSync(s, { seed: 12 }));
    expect(c).not.toBe(a);
    const r = JSON.parse(a);
    expect(r.timeline.t.length).toBeGreaterThan(50);
    expect(Object.keys(r.timeline.services)).toEqual(['gateway', 'catalog']);
    expect(r.budgets.map((x: { pass: boolean }) => x.pass)).toEqual([true, true]);
  });
});
