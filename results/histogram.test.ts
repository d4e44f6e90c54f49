import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('LatencyHistogram', () => {
  it('counts exactly as HDR does when recording directly', () => {
    const ours = new LatencyHistogram();
    const direct = hdr.build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: 3 });
    const u = lcg(3);
    for (let i = 0; i < 200_000; i++) {
      // Log-uniform from 1 µs to 1000 s, so every bucket is exercised.
      const s = 1e-6 * 10 ** (9 * u());
      ours.record(s);
      direct.recordValue(Math.max(1, Math.round(s * 1e6)));
    }
    ours.record(4000); // beyond the fast path (> 2^31 µs)
    direct.recordValue(4000e6);
    for (const p of [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100]) {
      expect(ours.hdr.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
    }
    expect(ours.hdr.totalCount).toBe(200_001);
  });

  it('keeps the exact mean and max beside bucketed percentiles', () => {
    const h = new LatencyHistogram();
    for (const s of [0.001, 0.002, 0.003, 0.1234567]) h.record(s);
    const sum = h.summary();
    expect(sum.mean).toBeCloseTo(((0.001 + 0.002 + 0.003 + 0.1234567) / 4) * 1000, 9);
    expect(sum.max).toBeCloseTo(123.4567, 9);
    expect(sum.p50).toBeCloseTo(2, 2);
  });

  it('a decoded histogram grows when one with longer latencies is merged into it', () => {
    const short = new LatencyHistogram();
    short.record(0.002);
    const long = new LatencyHistogram();
    long.record(30);
    const h = LatencyHistogram.decode(short.encode(), short.sum);
    h.merge(LatencyHistogram.decode(long.encode(), long.sum));
    expect(h.count).toBe(2);
    expect(h.percentileMs(100)).toBeCloseTo(30_000, -2);
  });

  it('merges and survives an encode/decode round trip', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) a.record(i / 1000);
    for (let i = 1; i <= 1000; i++) b.record(1 + i / 1000);
    a.merge(b);
    expect(a.count).toBe(2000);
    expect(a.percentileMs(50)).toBeCloseTo(1000, -1);
    const back = LatencyHistogram.decode(a.encode(), a.sum);
    expect(back.count).toBe(2000);
    expect(back.percentileMs(99)).toBe(a.percentileMs(99));
    expect(back.meanMs()).toBeCloseTo(a.meanMs(), 9);
  });
});
