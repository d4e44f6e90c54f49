/**
 * The network between regions: a one-way latency matrix (`intra` inside a region, the scenario's
 * pairs between two), uniform jitter added on cross-region hops only (a share of the one-way
 * latency: a hop of 38 ms with jitter 10 % takes 38–41.8 ms), and partitions that cut pairs of
 * regions for a while. A pair the scenario does not list costs `intra`.
 */
import type { Rng } from '../kernel/random.js';

/** Latency and reachability between regions, indexed by region number. */
export class Network {
  readonly regions: string[];
  /** One-way base latency, row-major `[from * n + to]`. */
  readonly base: Float64Array;
  private readonly jitter: number;
  private readonly cut: Int32Array;
  private readonly rng: Rng;
  /** Whether any hop has a latency at all (lets the engine skip network events entirely). */
  readonly zero: boolean;

  constructor(
    regions: string[],
    latency: { intra: number; jitter: number; pairs: { a: string; b: string; oneWay: number }[] },
    rng: Rng,
  ) {
    const n = regions.length;
    this.regions = regions;
    this.base = new Float64Array(n * n).fill(latency.intra);
    for (const p of latency.pairs) {
      const a = regions.indexOf(p.a);
      const b = regions.indexOf(p.b);
      if (a < 0 || b < 0 || a === b) continue;
      this.base[a * n + b] = p.oneWay;
      this.base[b * n + a] = p.oneWay;
    }
    this.jitter = latency.jitter;
    this.cut = new Int32Array(n * n);
    this.rng = rng;
    this.zero = this.base.every((x) => x === 0);
  }

  /** The one-way base latency from `a` to `b`, without jitter. */
  oneWay(a: number, b: number): number {
    return this.base[a * this.regions.length + b];
  }

  /** One sampled one-way delay from region `a` to `b`. */
  delay(a: number, b: number): number {
    const d = this.base[a * this.regions.length + b];
    if (a === b || this.jitter === 0 || d === 0) return d;
    return d * (1 + this.jitter * this.rng());
  }

  /** Whether `a` can reach `b` now. */
  reachable(a: number, b: number): boolean {
    return this.cut[a * this.regions.length + b] === 0;
  }

  /** Starts (+1) or ends (-1) a partition between `a` and `b`. */
  partition(a: number, b: number, delta: number): void {
    const n = this.regions.length;
    this.cut[a * n + b] += delta;
    this.cut[b * n + a] += delta;
  }
}
