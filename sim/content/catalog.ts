/**
 * The content catalog: up to 10 M items with Zipf popularity and a size distribution.
 *
 * No per-item array: popularity ranks come from the kernel's rejection-inversion sampler (O(1) memory),
 * and an item's size is a pure function of its id (a hash mapped through the size distribution's
 * quantile), so every model that asks for item 123's size gets the same answer without a table.
 */
import type { DistSpec } from '../../scenarios/distribution.js';
import { distQuantile } from '../kernel/distributions.js';
import type { Rng } from '../kernel/random.js';
import { zipfSampler } from '../kernel/zipf.js';

/** The scenario's `catalog` section (CONTRACT.md), plus an optional per-region popularity shift. */
export interface CatalogOptions {
  items: number;
  /** `zipf(s)`; any other kind means uniform popularity. */
  popularity: DistSpec;
  /** Item size in bytes. */
  size: DistSpec;
  /**
   * Per-region shift of the popularity ranking, in ranks: region r's rank k is item
   * (k − 1 + r · regionShift) mod items. 0 (default) = one global ranking.
   */
  regionShift?: number;
}

/**
 * The catalog a scenario with content but no `catalog` section gets: 1 M tracks, zipf(1), sizes
 * lognormal with a 4 MB median and a 12 MB p99 (the simulation's CDN and P2P, and the twin's CDN).
 */
export const DEFAULT_CATALOG = {
  items: 1_000_000,
  popularity: { kind: 'zipf' as const, s: 1, n: 1_000_000 },
  // 2.3263478740408408 is the standard normal's 99th percentile.
  size: {
    kind: 'lognormal' as const,
    mu: Math.log(4e6),
    sigma: (Math.log(12e6) - Math.log(4e6)) / 2.3263478740408408,
  },
} satisfies CatalogOptions;

/** 32-bit integer mix (murmur3's finaliser) of an id and a salt. */
export function mix32(x: number, salt = 0): number {
  let h = (Math.imul(x >>> 0, 0x9e3779b1) ^ (x / 4294967296) ^ salt) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in (0, 1) from a hash, never 0 or 1 (so quantiles stay finite). */
export function hashUnit(x: number, salt = 0): number {
  return (mix32(x, salt) + 0.5) / 4294967296;
}

/** A fast quantile function u → x for `spec` (closed forms; others fall back to `distQuantile`). */
export function quantileFn(spec: DistSpec): (u: number) => number {
  switch (spec.kind) {
    case 'const': {
      const v = spec.value;
      return () => v;
    }
    case 'uniform': {
      const { min, max } = spec;
      return (u) => min + u * (max - min);
    }
    case 'exp': {
      const m = spec.mean;
      return (u) => -m * Math.log1p(-u);
    }
    case 'lognormal': {
      const { mu, sigma } = spec;
      return (u) => Math.exp(mu + sigma * acklam(u));
    }
    case 'pareto': {
      const { scale, shape } = spec;
      return (u) => scale * (1 - u) ** (-1 / shape);
    }
    case 'weibull': {
      const { scale, shape } = spec;
      return (u) => scale * (-Math.log1p(-u)) ** (1 / shape);
    }
    default:
      return (u) => distQuantile(spec, u);
  }
}

// Acklam's coefficients, hoisted so a size lookup allocates no arrays.
const A0 = -39.69683028665376;
const A1 = 220.9460984245205;
const A2 = -275.9285104469687;
const A3 = 138.357751867269;
const A4 = -30.66479806614716;
const B0 = -54.47609879822406;
const B1 = 161.5858368580409;
const B2 = -155.6989798598866;
const B3 = 66.80131188771972;
const B4 = -13.28068155288572;
const C0 = -0.007784894002430293;
const C1 = -0.3223964580411365;
const C2 = -2.400758277161838;
const C3 = -2.549732539343734;
const D0 = 0.007784695709041462;
const D1 = 0.3224671290700398;
const D2 = 2.445134137142996;
const D3 = 3.754408661907416;

/** Acklam's inverse normal CDF without refinement (relative error < 1.2e-9): ample for sizes. */
function acklam(p: number): number {
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x = ((((C0 * q + C1) * q + C2) * q + C3) * q + 4.374664141464968) * q + 2.938163982698783;
    const y = (((D0 * q + D1) * q + D2) * q + D3) * q + 1;
    return p < low ? x / y : -(x / y);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + 2.506628277459239) * q) /
    (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1)
  );
}

/** Entries of the size memo (a power of two). */
const MEMO = 1 << 16;

/** Items with popularity and sizes; `next()` draws the item of one request. */
export class Catalog {
  readonly items: number;
  /** Zipf exponent (0 = uniform). */
  readonly skew: number;
  private readonly draw: () => number;
  private readonly sizeOf: (u: number) => number;
  private readonly salt: number;
  private readonly shift: number;
  // Direct-mapped memo of recent sizes: popular items are asked for many times per request, and a
  // size costs a hash, a log and an exp. Sizes are pure, so the memo changes no answer.
  private readonly memoItem = new Float64Array(MEMO).fill(Number.NaN);
  private readonly memoSize = new Float64Array(MEMO);

  /**
   * @param rng the stream that picks requested items.
   * @param salt varies the size assignment (a replication or seed); sizes never use `rng`.
   */
  constructor(opts: CatalogOptions, rng: Rng, salt = 0) {
    if (!Number.isSafeInteger(opts.items) || opts.items < 1) {
      throw new RangeError(`catalog: items must be a positive integer (got ${opts.items})`);
    }
    this.items = opts.items;
    this.skew = opts.popularity.kind === 'zipf' ? opts.popularity.s : 0;
    this.draw = zipfSampler(this.items, this.skew, rng);
    this.sizeOf = quantileFn(opts.size);
    this.salt = salt;
    this.shift = opts.regionShift ?? 0;
  }

  /** The item (0-based id) of the next request from `region` (an index). */
  next(region = 0): number {
    const rank = this.draw() - 1;
    if (this.shift === 0 || region === 0) return rank;
    return (rank + region * this.shift) % this.items;
  }

  /** Size of `item` in bytes (at least 1), the same every time it is asked. */
  size(item: number): number {
    const m = item & (MEMO - 1);
    if (this.memoItem[m] === item) return this.memoSize[m];
    const s = Math.max(1, Math.round(this.sizeOf(hashUnit(item, this.salt))));
    this.memoItem[m] = item;
    this.memoSize[m] = s;
    return s;
  }

  /** Mean item size, estimated from the first 4096 ids' sizes (the hash makes them a fair sample). */
  meanSize(): number {
    const n = Math.min(this.items, 4096);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.size(i);
    return sum / n;
  }
}
