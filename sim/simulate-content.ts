/**
 * The content models driven by journeys alone, without services: the content-only subset of the
 * full engine (`build.ts`), for scenarios, tests and benchmarks whose interesting part is content.
 */
import type { LatencySummary } from '../results/histogram.js';
import { LatencyHistogram } from '../results/histogram.js';
import type { Scenario } from '../scenarios/schema.js';
import { Content, type ContentScenario } from './content/content.js';
import type { ContentResults } from './content/content-results.js';
import { cumulative } from './kernel/cumulative.js';
import { distMean, sampler } from './kernel/distributions.js';
import type { Kernel } from './kernel/kernel.js';
import type { RandomStreams } from './kernel/random.js';

/** What {@link simulateContent} measured. */
export interface ContentRun extends ContentResults {
  journeys: Record<string, { count: number; errors: number; latency: LatencySummary }>;
  events: number;
  window: { start: number; end: number };
}

/**
 * Runs a scenario's journeys through the content models alone, for scenarios (or tests and
 * benchmarks) whose interesting part is content: each journey step that is a content target is
 * simulated, a step naming a service counts as instantaneous (and produces to the streams fed by
 * that route). Closed arrivals give each user a loop of journey, think, journey; Poisson arrivals
 * draw users from the population. The full engine (services, balancers, faults on services) lives
 * in `build.ts`; this is its content-only subset.
 */
export function simulateContent(
  scenario: ContentScenario & Pick<Scenario, 'duration'>,
  streams: RandomStreams,
  kernel: Kernel,
): ContentRun {
  const journeyNames = Object.keys(scenario.users.journeys);
  const weights = cumulative(journeyNames.map((n) => scenario.users.journeys[n].weight));
  const pick = streams.stream('journeys');
  const stats = journeyNames.map(() => ({ count: 0, errors: 0, latency: new LatencyHistogram() }));
  // Per journey in flight (slot = token).
  let sUser = new Float64Array(256);
  let sJourney = new Int32Array(256);
  let sStep = new Int32Array(256);
  let sStart = new Float64Array(256);
  let sFailed = new Uint8Array(256);
  const free: number[] = [];
  let used = 0;
  const a = scenario.users.arrivals;
  const think = a.kind === 'closed' ? sampler(a.think, streams.stream('users.think')) : undefined;
  const steps = journeyNames.map((n) => scenario.users.journeys[n].steps);
  const hStart = kernel.on((user) => begin(user));
  const hArrive = kernel.on(() => arrive());

  const done = (slot: number, ok: boolean) => {
    if (!ok) sFailed[slot] = 1;
    sStep[slot]++;
    advance(slot);
  };
  const content = new Content(kernel, scenario, streams, { done: (t, ok) => done(t, ok) });
  const c = content;
  const targets = steps.map((list) => list.map((s) => c.target(s)));
  let warm = scenario.warmup <= 0;
  if (!warm) {
    kernel.at(
      scenario.warmup,
      kernel.on(() => {
        warm = true;
        for (const s of stats) {
          s.count = 0;
          s.errors = 0;
          s.latency = new LatencyHistogram();
        }
      }),
    );
  }

  function alloc(): number {
    const f = free.pop();
    if (f !== undefined) return f;
    if (used === sUser.length) {
      const n = used * 2;
      const g = <T extends Float64Array | Int32Array | Uint8Array>(x: T, make: (k: number) => T): T => {
        const y = make(n);
        y.set(x);
        return y;
      };
      sUser = g(sUser, (k) => new Float64Array(k));
      sJourney = g(sJourney, (k) => new Int32Array(k));
      sStep = g(sStep, (k) => new Int32Array(k));
      sStart = g(sStart, (k) => new Float64Array(k));
      sFailed = g(sFailed, (k) => new Uint8Array(k));
    }
    return used++;
  }

  function begin(user: number): void {
    const slot = alloc();
    const u = pick();
    let j = 0;
    while (j < weights.length - 1 && u >= weights[j]) j++;
    sUser[slot] = user;
    sJourney[slot] = j;
    sStep[slot] = 0;
    sStart[slot] = kernel.now;
    sFailed[slot] = 0;
    advance(slot);
  }

  function advance(slot: number): void {
    const j = sJourney[slot];
    const user = sUser[slot];
    for (;;) {
      const k = sStep[slot];
      if (k >= steps[j].length || sFailed[slot] === 1) {
        const st = stats[j];
        if (warm) {
          st.count++;
          if (sFailed[slot] === 1) st.errors++;
          else st.latency.record(kernel.now - sStart[slot]);
        }
        free.push(slot);
        if (think) kernel.schedule(think(), hStart, user);
        return;
      }
      const t = targets[j][k];
      if (t >= 0) {
        c.request(t, slot, user);
        return;
      }
      c.routeCalled(steps[j][k], user);
      sStep[slot]++;
    }
  }

  function arrive(): void {
    if (a.kind !== 'poisson') return;
    const population = scenario.users.population || 1_000_000;
    begin(Math.floor(pick() * population));
    kernel.schedule(-Math.log(1 - pick()) / a.rate, hArrive);
  }

  if (a.kind === 'closed') {
    // Stagger the first journeys over one mean think time so users are not in lock step.
    const spread = distMean(a.think);
    for (let u = 0; u < a.users; u++) kernel.at((u / a.users) * spread, hStart, u);
  } else if (a.kind === 'poisson') {
    kernel.at(0, hArrive);
  } else {
    throw new RangeError(`simulateContent: arrivals ${a.kind} are for the full engine (build.ts)`);
  }
  kernel.run(scenario.duration);
  const results = content.results();
  return {
    ...results,
    journeys: Object.fromEntries(
      journeyNames.map((n, j) => [
        n,
        { count: stats[j].count, errors: stats[j].errors, latency: stats[j].latency.summary() },
      ]),
    ),
    events: kernel.fired,
    window: { start: Math.min(scenario.warmup, kernel.now), end: kernel.now },
  };
}
