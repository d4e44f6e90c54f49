/**
 * One meaning of a timeline's `errors` (results/run-result.ts, `JourneyTimeline`): the failed share
 * (0..1) of the journeys finished in the interval, in simulations and load runs alike. Load runs
 * used to write the failed count there while simulations wrote the share, so anything reading both
 * (the HTML report's "Failed journeys over time", a predicted-vs-measured page) had to know which.
 * Load runs now also write the count apart, as `failed`; a load result without it is an old one
 * whose `errors` are counts, and the report still reads it right.
 */
import { describe, expect, it } from 'vitest';
import { LoadCollector } from '../../loadtests/collector.js';
import { failedShare } from '../../reports/html/timeline.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';

const META = {
  scenario: 's',
  scenarioHash: 'h',
  seed: 1,
  tool: 'autocannon',
  seconds: 3,
  partial: false,
  target: { url: 'http://127.0.0.1' },
};

/** Second 0: 3 ok + 1 failed; second 1: nothing; second 2: 2 failed. Journey `b` only succeeds. */
function record(c: LoadCollector): void {
  for (const t of [0.1, 0.2, 0.3]) c.ok(0, t, t, t + 0.01);
  c.fail(0, 'status_503', 0.5, 0.4);
  c.ok(1, 0.6, 0.6, 0.61);
  c.fail(0, 'timeout', 2.5, 2.2);
  c.fail(0, 'refused', 2.6, 2.55);
  c.advance(3);
}

describe('timeline errors of a load run', () => {
  it('are the failed share per interval, with the count beside them as `failed`', () => {
    const c = new LoadCollector(['a', 'b']);
    record(c);
    const tl = c.result(META).timeline!;
    expect(tl.journeys.a.errors).toEqual([0.25, 0, 1]);
    expect(tl.journeys.a.failed).toEqual([1, 0, 2]);
    expect(tl.journeys.a.throughput).toEqual([4, 0, 2]);
    expect(tl.journeys.b.errors).toEqual([0, 0, 0]);
    expect(tl.journeys.b.failed).toEqual([0, 0, 0]);
  });

  it('merge from worker threads into the same shares and counts', () => {
    const one = new LoadCollector(['a', 'b']);
    record(one);
    const parts = [new LoadCollector(['a', 'b']), new LoadCollector(['a', 'b'])];
    for (const p of parts) p.keepIntervals = true;
    // Split the same events over two threads.
    for (const t of [0.1, 0.2]) parts[0].ok(0, t, t, t + 0.01);
    parts[1].ok(0, 0.3, 0.3, 0.31);
    parts[1].fail(0, 'status_503', 0.5, 0.4);
    parts[0].ok(1, 0.6, 0.6, 0.61);
    parts[0].fail(0, 'timeout', 2.5, 2.2);
    parts[1].fail(0, 'refused', 2.6, 2.55);
    for (const p of parts) p.advance(3);
    const merged = LoadCollector.merged(
      ['a', 'b'],
      parts.map((p) => p.state()),
    );
    const a = one.result(META).timeline!.journeys.a;
    const b = merged.result(META).timeline!.journeys.a;
    expect({ errors: b.errors, failed: b.failed }).toEqual({ errors: a.errors, failed: a.failed });
  });
});

describe('the report reads errors as one thing', () => {
  it("plots a load run's failed share in % (25 %, 0 %, 100 %), not its count", () => {
    const c = new LoadCollector(['a', 'b']);
    record(c);
    const r = c.result(META);
    expect(failedShare(r, 'a')).toEqual([25, 0, 100]);
  });

  it('still reads a load result written before (errors were counts, no `failed` series)', () => {
    const c = new LoadCollector(['a', 'b']);
    record(c);
    const r = c.result(META);
    const j = r.timeline!.journeys.a;
    const old = {
      ...r,
      timeline: { ...r.timeline!, journeys: { a: { ...j, errors: j.failed!, failed: undefined } } },
    } as RunResult;
    delete old.timeline!.journeys.a.failed;
    const share = failedShare(old, 'a');
    expect(share.slice(0, 1).concat(share.slice(2))).toEqual([25, 100]);
    // An interval with no journey has no share.
    expect(share[1]).toBeNaN();
  });

  it("reads a simulation's errors the same way, and a simulation has no `failed` series", () => {
    const r = simulateSync(loadScenario('breaker', ['duration=90s', 'replications=1']));
    const name = Object.keys(r.timeline!.journeys)[0];
    const s = r.timeline!.journeys[name];
    expect(s.failed).toBeUndefined();
    expect(s.errors.some((e) => e > 0)).toBe(true);
    for (const e of s.errors) expect(e).toBeGreaterThanOrEqual(0);
    for (const e of s.errors) expect(e).toBeLessThanOrEqual(1);
    expect(failedShare(r, name)).toEqual(s.errors.map((e) => e * 100));
  });
});
