/**
 * Plays last their track (`p2p.listen: track`) and listeners skip (`p2p.skip`): the next play comes
 * when the current track stops, a track skipped before its prefetch point prefetches nothing, and
 * `predictable` is the share of plays of the prefetched track among plays that follow a prefetch.
 */
import { describe, expect, it } from 'vitest';
import { P2pSchema } from '../../scenarios/content.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { parseSkipCurve, type SkipCurve } from '../../scenarios/skip-curve.js';
import { errorOf } from '../../scenarios/test-support.js';
import { advance, build } from '../../sim/build.js';
import type { Catalog } from '../../sim/content/catalog.js';
import type { P2p } from '../../sim/content/p2p.js';
import { Listening } from '../../sim/content/p2p-listen.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { simulateSync } from '../../sim/run.js';

/** One listener, 10-minute tracks (12 MB at 20 kB/s), nobody else online, for `duration`. */
const oneListener = (listen: string, duration = '1h') => `name: ten-minutes
duration: ${duration}
catalog: { items: 1000, size: const(12MB) }
users:
  arrivals: 'closed(users: 1, think: const(1s))'
  journeys:
    play: { steps: [stream] }
services:
  client: { time: const(0s) }
p2p: { online: 0%, listen: ${listen}, search: const(100ms), server: const(50ms), local: const(10ms), warm: false }
`;

describe('a listener hears the track before the next play', () => {
  it('10-minute tracks give 10-minute gaps: 6 plays in an hour (t ≈ 1, 602, 1203, 1804, 2405, 3006 s)', () => {
    const r = simulateSync(parseScenario(oneListener('track'), 'ten.yaml'));
    expect(r.p2p?.plays).toBe(6);
    expect(r.journeys.play.count).toBe(6);
  });

  it('without `listen: track` the next play follows the start of the last one by the think time alone', () => {
    const r = simulateSync(parseScenario(oneListener('none', '1m'), 'ten.yaml'));
    // 1 s of think + ~60 ms of start per play: about 56 plays a minute, not 0 or 1.
    expect(r.p2p?.plays).toBeGreaterThan(50);
  });

  it('the listener is busy until the track ends: 600 s after playback starts', () => {
    const s = parseScenario(oneListener('track'), 'ten.yaml');
    const model = build(s, s.seed, 0);
    const p2p = model.content?.p2p as P2p;
    advance(model, 300);
    // The first play (caches start empty, nobody online) was requested at 1 s and started 50 ms
    // (server) + 16 ms (16 kB at 1 MB/s) later.
    expect(p2p.listeningUntil(0)).toBeCloseTo(1 + 0.05 + 16_384 / 1e6 + 600, 6);
  });
});

/** Share skipped by `t` seconds into a `duration`-second track: the curve's CDF, written out. */
function skippedBy(curve: SkipCurve, t: number, duration: number): number {
  if (t <= 0) return 0;
  if (t >= duration) return curve.end;
  const xs = [0, ...curve.at.filter((a) => a < duration), duration];
  const ys = [0, ...curve.share.slice(0, xs.length - 2), curve.end];
  let i = 1;
  while (xs[i] < t) i++;
  return ys[i - 1] + ((ys[i] - ys[i - 1]) * (t - xs[i - 1])) / (xs[i] - xs[i - 1]);
}

describe('the skip curve (Lamere 2014, desktop)', () => {
  const curve = parseSkipCurve('5s: 19.9%, 30s: 28.9%, end: 40.1%');

  it('draws listening times whose shares match the curve at 5 s, 30 s and the end over 200 000 plays', () => {
    const l = new Listening(curve, new RandomStreams(3).stream('skip'));
    const n = 200_000;
    let by5 = 0;
    let by30 = 0;
    let skipped = 0;
    let by135 = 0;
    for (let i = 0; i < n; i++) {
      const t = l.time(240);
      if (t < 5) by5++;
      if (t < 30) by30++;
      if (t < 135) by135++;
      if (t < 240) skipped++;
    }
    // Binomial standard deviation ≤ 0.0011 at n = 200 000: 0.004 is over 3.5 of them.
    expect(Math.abs(by5 / n - 0.199)).toBeLessThan(0.004);
    expect(Math.abs(by30 / n - 0.289)).toBeLessThan(0.004);
    expect(Math.abs(by135 / n - (0.289 + 0.112 / 2))).toBeLessThan(0.004); // halfway from 30 s to 240 s
    expect(Math.abs(skipped / n - 0.401)).toBeLessThan(0.004);
  });

  it('a 20-second track drops the 30 s point: 40.1 % skipped, 19.9 % within 5 s, none heard past its end', () => {
    const l = new Listening(curve, new RandomStreams(4).stream('skip'));
    const n = 100_000;
    let by5 = 0;
    let skipped = 0;
    for (let i = 0; i < n; i++) {
      const t = l.time(20);
      expect(t).toBeLessThanOrEqual(20);
      if (t < 5) by5++;
      if (t < 20) skipped++;
    }
    expect(Math.abs(by5 / n - 0.199)).toBeLessThan(0.005);
    expect(Math.abs(skipped / n - 0.401)).toBeLessThan(0.005);
  });

  it('parses the written form and `none`; the schema default is no skips', () => {
    expect(curve.at).toEqual([5, 30]);
    expect(curve.share[0]).toBeCloseTo(0.199, 12);
    expect(curve.share[1]).toBeCloseTo(0.289, 12);
    expect(curve.end).toBeCloseTo(0.401, 12);
    expect(parseSkipCurve('none')).toEqual({ at: [], share: [], end: 0 });
    expect(P2pSchema.parse({ online: '1%' }).skip.end).toBe(0);
    expect(P2pSchema.parse({ online: '1%' }).listen).toBe('none');
  });

  it.each([
    ['5s: 30%, 30s: 20%, end: 40%', 'shares must not fall'],
    ['5s: 20%, end: 40%, 30s: 50%', '`end` must be the last point'],
    ['5s: 20%, 30s: 30%', 'the last point must be `end`'],
    ['30s: 20%, 5s: 30%, end: 40%', 'positions must be positive and rising'],
    ['0s: 20%, end: 40%', 'positions must be positive and rising'],
    ['5s: 20%, end: 140%', 'must be between 0% and 100%'],
    ['5s: 20\r\n%, end: 40%', 'bad skip point'],
    ['"5s": 20%, end: 40%', 'bad duration'],
    ['__proto__: 20%, end: 40%', 'bad duration'],
    ['5s 20%, end: 40%', 'expected `position: share`'],
    ['', 'expected up to 32'],
    [Array.from({ length: 40 }, (_, i) => `${i + 1}s: 1%`).join(', '), 'expected up to 32'],
  ])('refuses %j (%s)', (text, message) => {
    expect(() => parseSkipCurve(text)).toThrow(message);
  });

  it('a bad curve in a scenario is reported at its file:line:col', () => {
    const text = oneListener('track').replace('listen: track', "listen: track, skip: '5s: 30%, end: 20%'");
    expect(errorOf(() => parseScenario(text, 'skip.yaml'))).toMatch(
      /^skip\.yaml:10:\d+ {2}bad skip curve: shares must not fall/,
    );
    expect(errorOf(() => parseScenario(oneListener('always'), 'l.yaml'))).toMatch(
      /^l\.yaml:10:\d+ {2}unknown listen `always`/,
    );
    // Open arrivals do not wait for anyone's track: asking for it would silently do nothing.
    const open = oneListener('track').replace("'closed(users: 1, think: const(1s))'", 'poisson(1/s)');
    expect(errorOf(() => parseScenario(open, 'o.yaml'))).toMatch(
      /^o\.yaml:10:\d+ {2}`listen: track` needs closed arrivals, e\.g\. `closed\(users: 1000, think: const\(1s\)\)`: poisson arrivals/,
    );
  });
});

describe('spotify-2010: `predictable` is the share of plays of the prefetched track', () => {
  /** Share of prefetched plays after the scenario's 20-minute warm-up, over 20 more minutes. */
  const prefetched = (overrides: string[]) => {
    const s = loadScenario('spotify-2010', ['duration=40m', ...overrides]);
    const model = build(s, s.seed, 0);
    const p2p = model.content?.p2p as P2p;
    advance(model, 2400);
    return { share: p2p.prefetchedPlays / p2p.plays, p2p, s, catalog: model.content?.catalog as Catalog };
  };

  it('without skips every play follows a prefetch: 61 % of plays are of the prefetched track (±2.5 points over ~4 500 plays)', () => {
    const { share, p2p } = prefetched(['p2p.skip=none']);
    expect(p2p.plays).toBeGreaterThan(4000);
    expect(p2p.skips).toBe(0);
    // Binomial sd √(0.61·0.39/4500) = 0.0073: 0.025 is over 3 of them.
    expect(Math.abs(share - 0.61)).toBeLessThan(0.025);
  });

  it('with skips, only plays after a track heard past its prefetch point can be prefetched: 61 % × P(reach)', () => {
    const { share, p2p, s, catalog } = prefetched([]);
    const curve = s.p2p!.skip;
    const reach = (d: number) => 1 - skippedBy(curve, d - 30, d);
    // P(a play's track is heard to its end − 30 s), weighted by how often tracks are played: the
    // 1 000 most popular items one by one (their own durations, 45 % of plays under Zipf(1) over
    // 8 M), the rest by the size law (lognormal, median 240 s, p99 600 s at 20 kB/s) by quadrature.
    let harmonic = 0;
    for (let k = 8e6; k >= 1; k--) harmonic += 1 / k;
    let head = 0;
    let headMass = 0;
    for (let i = 0; i < 1000; i++) {
      head += reach(catalog.size(i) / 20_000) / (i + 1) / harmonic;
      headMass += 1 / (i + 1) / harmonic;
    }
    const sigma = Math.log(12 / 4.8) / 2.3263478740408408;
    let tail = 0;
    let mass = 0;
    for (let z = -6; z <= 6; z += 0.001) {
      const w = Math.exp((-z * z) / 2);
      tail += w * reach(240 * Math.exp(sigma * z));
      mass += w;
    }
    const expected = 0.61 * (head + ((1 - headMass) * tail) / mass);
    expect(tail / mass).toBeCloseTo(0.617, 3);
    expect(expected / 0.61).toBeCloseTo(0.64, 3);
    // ~7 000 plays: binomial sd ≈ 0.006, so 0.02 is over 3 of them.
    expect(Math.abs(share - expected)).toBeLessThan(0.02);
    // Skips: 40.1 % of plays (±2 points).
    expect(Math.abs(p2p.skips / p2p.plays - 0.401)).toBeLessThan(0.02);
  });
});
