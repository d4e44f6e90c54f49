import { describe, expect, it } from 'vitest';
import { rankBand } from './rank-band.js';

describe('the binomial rank band of a sample quantile', () => {
  it('is n·q ± 1.96·√(n·q·(1−q)): 10 000 draws put their p99 between ranks 9 880.5 and 9 919.5', () => {
    const b = rankBand(10_000, 0.99);
    expect(b.low).toBeCloseTo(9900 - 1.959964 * Math.sqrt(99), 4);
    expect(b.high).toBeCloseTo(9900 + 1.959964 * Math.sqrt(99), 4);
    expect(b.high - b.low).toBeCloseTo(39.0, 1);
  });

  it('covers the true median’s rank about 95 % of the time (2 000 samples of 400 uniform draws)', () => {
    // Seeded LCG: the count of draws at or below the true median 0.5 is Binomial(400, 0.5).
    let x = 12345;
    const u = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const band = rankBand(400, 0.5);
    let inside = 0;
    for (let t = 0; t < 2000; t++) {
      let below = 0;
      for (let i = 0; i < 400; i++) if (u() <= 0.5) below++;
      if (below >= band.low && below <= band.high) inside++;
    }
    expect(inside / 2000).toBeGreaterThan(0.93);
    expect(inside / 2000).toBeLessThan(0.97);
  });
});
