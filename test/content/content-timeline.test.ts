/**
 * CDN hit ratio and stream lag over time: per-interval series in the simulation's timeline that add
 * up to the window's totals, the same for the same seed, and drawn in the HTML report.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';

describe('content over time in the simulation timeline', () => {
  it('cdn-zipf: per-interval hit ratio weighted by requests after the warm-up equals the overall hit ratio', () => {
    const s = loadScenario('cdn-zipf', ['duration=10m']);
    const r = simulateSync(s, { seed: 1, replications: 1 });
    const tl = r.timeline!;
    const edge = Object.keys(r.cdn!)[0];
    const series = tl.cdn![edge];
    expect(series.hitRatio.length).toBe(tl.t.length);
    let hits = 0;
    let requests = 0;
    tl.t.forEach((t, i) => {
      if (t < s.warmup) return;
      hits += series.hitRatio[i] * series.requests[i];
      requests += series.requests[i];
    });
    // Every request after the warm-up lands in exactly one interval (the warm-up ends on a boundary).
    expect(requests).toBe(r.cdn![edge].requests);
    // Per-interval ratios are rounded to 4 decimals: the weighted mean agrees to that.
    expect(hits / requests).toBeCloseTo(r.cdn![edge].hitRatio, 3);
    expect(r.cdn![edge].hitRatio).toBeGreaterThan(0.2);
    expect(JSON.stringify(simulateSync(s, { seed: 1, replications: 1 }).timeline)).toBe(JSON.stringify(tl));
    const html = renderHtml(r);
    expect(html).toContain('CDN hit ratio over time');
    expect(html).toContain('requests served from cache (%)');
  });

  it('consumer-lag: the lag series rises from about 10 to its peak while consumers are down, and its peak is the reported max', () => {
    const s = loadScenario('consumer-lag');
    const r = simulateSync(s, { seed: 1, replications: 1 });
    const tl = r.timeline!;
    const lag = tl.streams!.plays.lag;
    expect(lag.length).toBe(tl.t.length);
    const peak = Math.max(...lag);
    const at = tl.t[lag.indexOf(peak)];
    // Every lag sample falls in some interval: the series' peak is the window's max (after warm-up).
    expect(peak).toBe(r.streams!.plays.lagMessages.max);
    expect(peak).toBeGreaterThanOrEqual(r.streams!.plays.lagMessages.p99);
    // Two of four consumers are down from 2 m to 3 m; lag drains after that.
    expect(at).toBeGreaterThan(120);
    expect(at).toBeLessThan(240);
    expect(lag[0]).toBeLessThan(100);
    expect(lag[lag.length - 1]).toBeLessThan(100);
    const html = renderHtml(r);
    expect(html).toContain('Stream consumer lag over time');
    expect(html).toContain('peak lag per interval (messages)');
  });

  it('mmc (no CDN, no streams) has no content series', () => {
    const r = simulateSync(loadScenario('mmc', ['duration=100s', 'warmup=10s']), {
      seed: 1,
      replications: 1,
    });
    expect(r.timeline?.cdn).toBeUndefined();
    expect(r.timeline?.streams).toBeUndefined();
    expect(renderHtml(r)).not.toContain('CDN hit ratio over time');
  });
});
