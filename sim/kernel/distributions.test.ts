import { describe, expect, it } from 'vitest';
import type { DistSpec } from '../../math/dist-spec.js';
import {
  distMean,
  distQuantile,
  distVariance,
  inverseNormalCdf,
  lognormalFromMedianP99,
  sampler,
  scaleDist,
} from './distributions.js';
import { RandomStreams } from './random.js';

const N = 500_000;

interface Sample {
  sorted: Float64Array;
  mean: number;
  variance: number;
  /** Standard error of `variance`, sqrt((m4 - m2²) / n), from the sample's own central moments. */
  varianceSe: number;
}

function draw(spec: DistSpec, name: string, n = N): Sample {
  const next = sampler(spec, new RandomStreams(99).stream(name));
  const xs = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    xs[i] = next();
    sum += xs[i];
  }
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d2 = (xs[i] - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  return { sorted: xs.sort(), mean, variance: m2, varianceSe: Math.sqrt(Math.max(0, m4 - m2 * m2) / n) };
}

/** Nearest-rank quantile of sorted samples, the same definition `distQuantile` uses for `empirical`. */
function sampleQuantile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

/**
 * The sample p-quantile falls below Q(p - δ) or above Q(p + δ) only if the count of samples below one of
 * those points is δ off its expectation; with δ = 4 binomial standard errors that has probability ~6e-5.
 * Checking in probability space needs no density, so it works for every distribution, discrete ones too.
 */
function expectQuantileMatches(spec: DistSpec, sample: Sample, p: number): void {
  const n = sample.sorted.length;
  const delta = 4 * Math.sqrt((p * (1 - p)) / n);
  const observed = sampleQuantile(sample.sorted, p);
  expect(observed).toBeGreaterThanOrEqual(distQuantile(spec, Math.max(0, p - delta)));
  expect(observed).toBeLessThanOrEqual(distQuantile(spec, Math.min(1, p + delta)));
}

/** Mean within 4 standard errors sqrt(Var/n); variance within 4 of its own standard errors. */
function expectMomentsMatch(spec: DistSpec, sample: Sample): void {
  const n = sample.sorted.length;
  const variance = distVariance(spec);
  expect(Math.abs(sample.mean - distMean(spec))).toBeLessThanOrEqual(4 * Math.sqrt(variance / n));
  expect(Math.abs(sample.variance - variance)).toBeLessThanOrEqual(4 * sample.varianceSe + 1e-12 * variance);
}

const continuous: Array<[string, DistSpec]> = [
  ['uniform(2, 5)', { kind: 'uniform', min: 2, max: 5 }],
  ['exp(mean 0.003)', { kind: 'exp', mean: 0.003 }],
  ['normal(3, 2)', { kind: 'normal', mean: 3, sd: 2 }],
  ['lognormal(mu -6, sigma 0.5)', { kind: 'lognormal', mu: -6, sigma: 0.5 }],
  ['gamma(shape 0.4, scale 2) (boosted branch)', { kind: 'gamma', shape: 0.4, scale: 2 }],
  ['gamma(shape 1, scale 0.5)', { kind: 'gamma', shape: 1, scale: 0.5 }],
  ['gamma(shape 7.5, scale 0.01)', { kind: 'gamma', shape: 7.5, scale: 0.01 }],
  ['weibull(shape 0.7, scale 1)', { kind: 'weibull', shape: 0.7, scale: 1 }],
  ['weibull(shape 3, scale 0.02)', { kind: 'weibull', shape: 3, scale: 0.02 }],
  // Shape 10 keeps the fourth moment's own estimate stable enough to judge the variance by.
  ['pareto(scale 0.001, shape 10)', { kind: 'pareto', scale: 0.001, shape: 10 }],
];

const discrete: Array<[string, DistSpec]> = [
  ['zipf(s 1, n 1000)', { kind: 'zipf', s: 1, n: 1000 }],
  ['zipf(s 0.8, n 100000)', { kind: 'zipf', s: 0.8, n: 100_000 }],
  ['empirical([1, 2, 2, 3, 10])', { kind: 'empirical', values: [1, 2, 2, 3, 10] }],
];

describe('sampler', () => {
  for (const [label, spec] of [...continuous, ...discrete]) {
    it(`${label}: sample mean and variance match distMean/distVariance, p50/p90/p99 match distQuantile`, () => {
      const sample = draw(spec, label);
      expectMomentsMatch(spec, sample);
      for (const p of [0.5, 0.9, 0.99]) expectQuantileMatches(spec, sample, p);
    });
  }

  it('const always returns its value', () => {
    const next = sampler({ kind: 'const', value: 0.25 }, new RandomStreams(1).stream('c'));
    for (let i = 0; i < 100; i++) expect(next()).toBe(0.25);
    expect(distVariance({ kind: 'const', value: 0.25 })).toBe(0);
    expect(distQuantile({ kind: 'const', value: 0.25 }, 0.99)).toBe(0.25);
  });

  it('pareto with shape 1.5 has the closed-form quantiles though its variance is infinite', () => {
    const spec: DistSpec = { kind: 'pareto', scale: 1, shape: 1.5 };
    expect(distVariance(spec)).toBe(Number.POSITIVE_INFINITY);
    expect(distMean(spec)).toBeCloseTo(3, 12);
    const sample = draw(spec, 'pareto heavy');
    for (const p of [0.5, 0.9, 0.99]) expectQuantileMatches(spec, sample, p);
  });

  it('lognormal(median 2ms, p99 12ms) has sample median ≈ 0.002 (±1%) and p99 ≈ 0.012 (±2%)', () => {
    // With 1e6 draws one binomial standard error moves the median by ~0.1% and the p99 by ~0.3%,
    // so ±1% and ±2% are over 6 standard errors.
    const spec: DistSpec = { kind: 'lognormal', ...lognormalFromMedianP99(0.002, 0.012) };
    const sample = draw(spec, 'lognormal 2ms/12ms', 1_000_000);
    expect(Math.abs(sampleQuantile(sample.sorted, 0.5) / 0.002 - 1)).toBeLessThan(0.01);
    expect(Math.abs(sampleQuantile(sample.sorted, 0.99) / 0.012 - 1)).toBeLessThan(0.02);
    expect(Math.abs(distQuantile(spec, 0.5) / 0.002 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(distQuantile(spec, 0.99) / 0.012 - 1)).toBeLessThan(1e-12);
  });

  it('is reproducible: the same stream gives the same draws', () => {
    const spec: DistSpec = { kind: 'gamma', shape: 2, scale: 1 };
    const a = sampler(spec, new RandomStreams(5).stream('g'));
    const b = sampler(spec, new RandomStreams(5).stream('g'));
    for (let i = 0; i < 1000; i++) expect(a()).toBe(b());
  });

  it('empirical sampling is not affected by later edits to the values array', () => {
    const values = [1, 2, 3];
    const next = sampler({ kind: 'empirical', values }, new RandomStreams(1).stream('e'));
    values[0] = 1000;
    values[1] = 1000;
    values[2] = 1000;
    for (let i = 0; i < 100; i++) expect(next()).toBeLessThanOrEqual(3);
  });

  it('rejects invalid parameters with a message naming the distribution', () => {
    const rng = new RandomStreams(1).stream('bad');
    const bad: DistSpec[] = [
      { kind: 'exp', mean: 0 },
      { kind: 'uniform', min: 2, max: 1 },
      { kind: 'normal', mean: 0, sd: -1 },
      { kind: 'gamma', shape: 0, scale: 1 },
      { kind: 'weibull', shape: 1, scale: Number.NaN },
      { kind: 'pareto', scale: -1, shape: 2 },
      { kind: 'zipf', s: 1, n: 0 },
      { kind: 'empirical', values: [] },
    ];
    for (const spec of bad) {
      expect(() => sampler(spec, rng)).toThrow(new RegExp(`^${spec.kind} distribution`));
      expect(() => distMean(spec)).toThrow(new RegExp(`^${spec.kind} distribution`));
    }
  });
});

describe('distMean / distVariance', () => {
  it('give the textbook values', () => {
    expect(distMean({ kind: 'uniform', min: 2, max: 5 })).toBe(3.5);
    expect(distVariance({ kind: 'uniform', min: 2, max: 5 })).toBe(0.75);
    expect(distVariance({ kind: 'exp', mean: 0.5 })).toBe(0.25);
    expect(distMean({ kind: 'lognormal', mu: 0, sigma: 1 })).toBeCloseTo(Math.exp(0.5), 14);
    expect(distVariance({ kind: 'lognormal', mu: 0, sigma: 1 })).toBeCloseTo((Math.E - 1) * Math.E, 13);
    expect(distVariance({ kind: 'gamma', shape: 3, scale: 2 })).toBe(12);
    // Weibull shape 2: mean = λ√π/2, variance = λ²(1 - π/4).
    expect(distMean({ kind: 'weibull', shape: 2, scale: 1 })).toBeCloseTo(Math.sqrt(Math.PI) / 2, 13);
    expect(distVariance({ kind: 'weibull', shape: 2, scale: 1 })).toBeCloseTo(1 - Math.PI / 4, 13);
    expect(distMean({ kind: 'pareto', scale: 1, shape: 1 })).toBe(Number.POSITIVE_INFINITY);
    expect(distVariance({ kind: 'pareto', scale: 1, shape: 2 })).toBe(Number.POSITIVE_INFINITY);
    expect(distVariance({ kind: 'pareto', scale: 1, shape: 3 })).toBeCloseTo(0.75, 14);
    expect(distMean({ kind: 'empirical', values: [1, 2, 2, 3, 10] })).toBe(3.6);
    expect(distVariance({ kind: 'empirical', values: [1, 2, 2, 3, 10] })).toBeCloseTo(10.64, 12);
    // Zipf s = 0 over 1..n is uniform: mean (n + 1)/2, variance (n² - 1)/12.
    expect(distMean({ kind: 'zipf', s: 0, n: 99 })).toBeCloseTo(50, 10);
    expect(distVariance({ kind: 'zipf', s: 0, n: 99 })).toBeCloseTo((99 * 99 - 1) / 12, 8);
    // Zipf s = 1: mean is n / H(n, 1).
    expect(distMean({ kind: 'zipf', s: 1, n: 10_000_000 })).toBeCloseTo(1e7 / 16.695311365859855, 6);
  });
});

describe('distQuantile', () => {
  it('gives closed forms for exp, uniform, weibull, pareto, normal', () => {
    expect(distQuantile({ kind: 'exp', mean: 2 }, 0.5)).toBeCloseTo(2 * Math.LN2, 14);
    expect(distQuantile({ kind: 'uniform', min: 2, max: 5 }, 0.9)).toBeCloseTo(4.7, 14);
    expect(distQuantile({ kind: 'weibull', shape: 2, scale: 3 }, 0.5)).toBeCloseTo(
      3 * Math.sqrt(Math.LN2),
      14,
    );
    expect(distQuantile({ kind: 'pareto', scale: 2, shape: 1 }, 0.99)).toBeCloseTo(200, 10);
    expect(distQuantile({ kind: 'normal', mean: 10, sd: 2 }, 0.975)).toBeCloseTo(
      10 + 2 * 1.959963984540054,
      7,
    );
    expect(distQuantile({ kind: 'exp', mean: 1 }, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(distQuantile({ kind: 'exp', mean: 1 }, 0)).toBe(0);
  });

  it('inverts the gamma CDF to 1e-10 relative (chi-square and Erlang reference values)', () => {
    // Chi-square(1) = gamma(0.5, 2): p95 = 3.841458820694124; chi-square(10) = gamma(5, 2): p99 = 23.20925117...
    expect(distQuantile({ kind: 'gamma', shape: 0.5, scale: 2 }, 0.95) / 3.841458820694124 - 1).toBeCloseTo(
      0,
      10,
    );
    expect(distQuantile({ kind: 'gamma', shape: 5, scale: 2 }, 0.99) / 23.209251158954356 - 1).toBeCloseTo(
      0,
      10,
    );
    // Gamma(2, 1) median 1.678346990016661; gamma(1, θ) is exponential.
    expect(distQuantile({ kind: 'gamma', shape: 2, scale: 1 }, 0.5) / 1.678346990016661 - 1).toBeCloseTo(
      0,
      10,
    );
    for (const p of [1e-9, 0.01, 0.5, 0.99, 1 - 1e-9]) {
      const exact = -3 * Math.log1p(-p);
      expect(distQuantile({ kind: 'gamma', shape: 1, scale: 3 }, p) / exact - 1).toBeCloseTo(0, 10);
    }
    // A tiny shape puts nearly all mass near 0; the inversion must still land (CDF x^a / Γ(a+1) there).
    expect(distQuantile({ kind: 'gamma', shape: 0.05, scale: 1 }, 0.01)).toBeGreaterThan(0);
  });

  it('uses nearest rank for empirical values', () => {
    const spec: DistSpec = { kind: 'empirical', values: [10, 1, 3, 2, 2] };
    expect(distQuantile(spec, 0)).toBe(1);
    expect(distQuantile(spec, 0.2)).toBe(1);
    expect(distQuantile(spec, 0.5)).toBe(2);
    expect(distQuantile(spec, 0.61)).toBe(3);
    expect(distQuantile(spec, 0.9)).toBe(10);
    expect(distQuantile(spec, 1)).toBe(10);
  });

  it('returns the smallest zipf rank whose CDF reaches p, also for n = 1e9', () => {
    const spec: DistSpec = { kind: 'zipf', s: 1, n: 1000 };
    let h = 0;
    for (let k = 1; k <= 1000; k++) h += 1 / k;
    for (const p of [0.1, 0.5, 0.9, 0.99]) {
      const q = distQuantile(spec, p);
      let cdfBefore = 0;
      for (let k = 1; k < q; k++) cdfBefore += 1 / k / h;
      expect(cdfBefore).toBeLessThan(p);
      expect(cdfBefore + 1 / q / h).toBeGreaterThanOrEqual(p);
    }
    expect(distQuantile(spec, 0)).toBe(1);
    expect(distQuantile(spec, 1)).toBe(1000);
    // For n = 1e9, s = 1, the median rank is about e^(H(n)/2 - γ) ≈ sqrt(n) · e^(-γ/2) ≈ 23,700.
    const median = distQuantile({ kind: 'zipf', s: 1, n: 1e9 }, 0.5);
    expect(median).toBeGreaterThan(23_000);
    expect(median).toBeLessThan(24_500);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => distQuantile({ kind: 'exp', mean: 1 }, 1.5)).toThrow(/p must be in \[0, 1\]/);
    expect(() => distQuantile({ kind: 'exp', mean: 1 }, Number.NaN)).toThrow(/p must be in \[0, 1\]/);
  });
});

describe('inverseNormalCdf', () => {
  it('matches 30-digit reference quantiles to 1e-14 relative and is antisymmetric', () => {
    // References from mpmath (sqrt(2)·erfinv(2p - 1), or a root of ncdf for 1e-300).
    const reference: Array<[number, number]> = [
      [0.5, 0],
      [0.9, 1.2815515655446004],
      [0.975, 1.9599639845400543],
      [0.99, 2.326347874040841],
      [0.999, 3.0902323061678136],
      [0.05, -1.6448536269514726],
      [0.3, -0.5244005127080408],
      [1e-10, -6.361340902404057],
      [1e-300, -37.0470962993612],
    ];
    for (const [p, z] of reference) {
      expect(Math.abs(inverseNormalCdf(p) - z)).toBeLessThanOrEqual(1e-14 * Math.abs(z));
      // 1 - p is rounded (to 1 for p = 1e-300), so antisymmetry is checked against the p that
      // 1 - (1 - p) really is.
      const upper = 1 - p;
      if (upper < 1) expect(inverseNormalCdf(upper) + inverseNormalCdf(1 - upper)).toBe(0);
    }
    expect(Number.isFinite(inverseNormalCdf(Number.MIN_VALUE))).toBe(true);
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('lognormalFromMedianP99', () => {
  it('gives mu = ln(median) and sigma = ln(p99 / median) / 2.3263478740408408', () => {
    const { mu, sigma } = lognormalFromMedianP99(0.002, 0.012);
    expect(mu).toBe(Math.log(0.002));
    expect(sigma).toBeCloseTo(Math.log(6) / 2.3263478740408408, 15);
  });

  it('rejects p99 <= median and non-positive values', () => {
    expect(() => lognormalFromMedianP99(0.01, 0.01)).toThrow(/median < p99/);
    expect(() => lognormalFromMedianP99(0.01, 0.005)).toThrow(/median < p99/);
    expect(() => lognormalFromMedianP99(0, 0.005)).toThrow(/median < p99/);
  });
});

describe('scaleDist', () => {
  const specs: DistSpec[] = [
    ...continuous.map(([, spec]) => spec),
    { kind: 'const', value: 0.5 },
    { kind: 'empirical', values: [1, 2, 2, 3, 10] },
  ];

  it('multiplies every quantile and the mean by the factor and the variance by its square', () => {
    for (const spec of specs) {
      const scaled = scaleDist(spec, 3);
      expect(scaled.kind).toBe(spec.kind);
      const mean = distMean(spec);
      const variance = distVariance(spec);
      expect(Math.abs(distMean(scaled) - 3 * mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean));
      expect(Math.abs(distVariance(scaled) - 9 * variance)).toBeLessThanOrEqual(1e-12 * variance);
      for (const p of [0.1, 0.5, 0.99]) {
        const base = distQuantile(spec, p);
        expect(Math.abs(distQuantile(scaled, p) - 3 * base)).toBeLessThanOrEqual(1e-9 * Math.abs(base));
      }
    }
  });

  it('leaves the original spec untouched and refuses zipf and non-positive factors', () => {
    const spec: DistSpec = { kind: 'empirical', values: [1, 2] };
    scaleDist(spec, 2);
    expect(spec).toEqual({ kind: 'empirical', values: [1, 2] });
    expect(() => scaleDist({ kind: 'zipf', s: 1, n: 10 }, 2)).toThrow(/ranks, not times/);
    expect(() => scaleDist(spec, 0)).toThrow(/factor/);
    expect(() => scaleDist(spec, Number.POSITIVE_INFINITY)).toThrow(/factor/);
  });
});
