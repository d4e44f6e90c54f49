/**
 * A sharded, replicated store in the manner of Cassandra: a consistent-hash ring with virtual nodes,
 * a replication factor, and per-request consistency.
 *
 * A key's replicas are the first `replication` distinct nodes met walking the ring clockwise from the
 * key's hash. A read at consistency `one`/`quorum`/`all` needs k = 1 / ⌊RF/2⌋+1 / RF answers; each
 * live replica answers after its own sampled time, so the request's latency is the k-th fastest
 * (the k-th order statistic). Crashed nodes do not answer: with fewer than k live replicas the request
 * fails at once (`unavailable`). Hot keys come from a Zipf skew over the key space.
 */
import type { LatencySummary } from '../../results/histogram.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { StoreResult } from '../../results/run-result.js';
import type { DistSpec } from '../../scenarios/distribution.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { zipfSampler } from '../kernel/zipf.js';
import { hashUnit, mix32 } from './catalog.js';

/** Consistency levels. */
export type Consistency = 'one' | 'quorum' | 'all';

/** The scenario's `stores.<name>` section (CONTRACT.md). */
export interface StoreOptions {
  shards: number;
  vnodes: number;
  replication: number;
  consistency: Consistency;
  key: 'user' | 'item';
  /** `zipf(s)` over the key space: hot keys. Absent → keys as given (or uniform). */
  skew?: DistSpec;
  /** One replica's service time. */
  time: DistSpec;
  /** Size of the key space when keys are drawn here (default 1 M). */
  keys?: number;
  /** Salt of the ring positions (a "ring seed"); default 0. */
  ringSeed?: number;
}

/** Called when a request completes; `ok` false = unavailable (too few live replicas). */
export type StoreDone = (token: number, ok: boolean) => void;

/** Answers needed at each consistency level for replication factor `rf`. */
export function needed(consistency: Consistency, rf: number): number {
  if (consistency === 'one') return 1;
  if (consistency === 'all') return rf;
  return Math.floor(rf / 2) + 1;
}

/** A consistent-hash ring: `nodes × vnodes` points on [0, 1). */
export class Ring {
  readonly nodes: number;
  private readonly pos: Float64Array;
  private readonly owner: Int32Array;

  constructor(nodes: number, vnodes: number, seed = 0) {
    if (!(nodes >= 1 && vnodes >= 1)) throw new RangeError('ring: nodes and vnodes must be >= 1');
    this.nodes = nodes;
    const n = nodes * vnodes;
    const points: [number, number][] = [];
    for (let node = 0; node < nodes; node++) {
      for (let v = 0; v < vnodes; v++) {
        // Two hashes give 53-bit positions, so ties between points practically never happen.
        const id = node * 1_000_003 + v;
        const hi = mix32(id, seed ^ 0x5bd1e995);
        const lo = mix32(id, seed ^ 0x1b873593) >>> 11;
        points.push([(hi * 2097152 + lo) / 2 ** 53, node]);
      }
    }
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.pos = new Float64Array(n);
    this.owner = new Int32Array(n);
    points.forEach(([p, o], i) => {
      this.pos[i] = p;
      this.owner[i] = o;
    });
  }

  /** Index of the first point at or after `x` (wrapping to 0). */
  point(x: number): number {
    const pos = this.pos;
    let lo = 0;
    let hi = pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pos[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === pos.length ? 0 : lo;
  }

  /** Writes the first `rf` distinct nodes clockwise from `x` into `out`; returns how many. */
  replicas(x: number, rf: number, out: Int32Array): number {
    const n = this.pos.length;
    let i = this.point(x);
    let found = 0;
    const want = Math.min(rf, this.nodes);
    for (let step = 0; step < n && found < want; step++, i = (i + 1) % n) {
      const node = this.owner[i];
      let dup = false;
      for (let j = 0; j < found; j++) if (out[j] === node) dup = true;
      if (!dup) out[found++] = node;
    }
    return found;
  }

  /** Share of the ring each node owns as primary (the arcs ending at its points). */
  ownership(): Float64Array {
    const share = new Float64Array(this.nodes);
    const n = this.pos.length;
    for (let i = 0; i < n; i++) {
      const prev = i === 0 ? this.pos[n - 1] - 1 : this.pos[i - 1];
      share[this.owner[i]] += this.pos[i] - prev;
    }
    return share;
  }
}

/** Coefficient of variation (population standard deviation / mean). */
export function coefficientOfVariation(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  if (mean === 0) return 0;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2;
  return Math.sqrt(ss / xs.length) / mean;
}

/** A store: ring, replicas, consistency, crashes, per-shard load and latency. */
export class Store {
  readonly name: string;
  readonly ring: Ring;
  readonly rf: number;
  readonly need: number;
  /** Requests each node served (every live replica contacted counts). */
  readonly load: Float64Array;
  latency = new LatencyHistogram();
  unavailable = 0;
  requests = 0;
  private readonly up: Uint8Array;
  private readonly time: () => number;
  private readonly keyDraw: (() => number) | undefined;
  private readonly uniform: Rng;
  private readonly keySpace: number;
  private readonly salt: number;
  private readonly reps: Int32Array;
  private readonly lat: Float64Array;
  private readonly hDone: number;
  private tokens: Float64Array;
  private starts: Float64Array;
  private free: Int32Array;
  private top = 0;
  private used = 0;

  constructor(
    private readonly kernel: Kernel,
    name: string,
    opts: StoreOptions,
    rng: (stream: string) => Rng,
    private readonly done: StoreDone,
  ) {
    this.name = name;
    this.ring = new Ring(opts.shards, opts.vnodes, opts.ringSeed ?? 0);
    this.rf = Math.min(opts.replication, opts.shards);
    this.need = needed(opts.consistency, this.rf);
    this.load = new Float64Array(opts.shards);
    this.up = new Uint8Array(opts.shards).fill(1);
    this.time = sampler(opts.time, rng(`store:${name}:time`));
    this.keySpace = opts.keys ?? 1_000_000;
    this.uniform = rng(`store:${name}:keys`);
    if (opts.skew?.kind === 'zipf') this.keyDraw = zipfSampler(this.keySpace, opts.skew.s, this.uniform);
    this.salt = mix32(opts.ringSeed ?? 0, 0x2545f491);
    this.reps = new Int32Array(this.rf);
    this.lat = new Float64Array(this.rf);
    this.tokens = new Float64Array(64);
    this.starts = new Float64Array(64);
    this.free = new Int32Array(64);
    this.hDone = kernel.on((slot) => this.finish(slot));
  }

  /** Whether keys are drawn here from the store's Zipf skew (hot keys) rather than given. */
  get skewed(): boolean {
    return this.keyDraw !== undefined;
  }

  /** Crashes nodes `0..count-1` (or brings them back with `isDown` false). */
  crash(count: number, isDown = true): void {
    for (let i = 0; i < Math.min(count, this.up.length); i++) this.up[i] = isDown ? 0 : 1;
  }

  /** Draws a key: Zipf-hot when the store has a skew, else uniform over the key space. */
  drawKey(): number {
    return this.keyDraw ? this.keyDraw() - 1 : Math.floor(this.uniform() * this.keySpace);
  }

  /**
   * Reads `key` (a user or item id; negative → drawn here) for caller `token`. Completes through
   * `done` after the k-th fastest live replica, or at once with ok=false when too few are live.
   */
  request(token: number, key = -1): void {
    const k = key >= 0 ? key : this.drawKey();
    this.requests++;
    const n = this.ring.replicas(hashUnit(k, this.salt), this.rf, this.reps);
    let live = 0;
    for (let i = 0; i < n; i++) {
      const node = this.reps[i];
      if (this.up[node] === 0) continue;
      this.load[node]++;
      this.lat[live++] = this.time();
    }
    if (live < this.need) {
      this.unavailable++;
      this.done(token, false);
      return;
    }
    const t = kthSmallest(this.lat, live, this.need);
    const slot = this.alloc(token);
    this.kernel.schedule(t, this.hDone, slot);
  }

  /** Forgets counters (end of warm-up). */
  resetStats(): void {
    this.load.fill(0);
    this.unavailable = 0;
    this.requests = 0;
    this.latency = new LatencyHistogram();
  }

  /** The store's section of the RunResult. */
  result(): StoreResult {
    return storeResult(this.load, this.unavailable, this.latency.summary());
  }

  private finish(slot: number): void {
    const token = this.tokens[slot];
    this.latency.record(this.kernel.now - this.starts[slot]);
    this.free[this.top++] = slot;
    this.done(token, true);
  }

  private alloc(token: number): number {
    let s: number;
    if (this.top > 0) s = this.free[--this.top];
    else {
      if (this.used === this.tokens.length) {
        const n = this.used * 2;
        const t = new Float64Array(n);
        t.set(this.tokens);
        this.tokens = t;
        const st = new Float64Array(n);
        st.set(this.starts);
        this.starts = st;
        const f = new Int32Array(n);
        f.set(this.free);
        this.free = f;
      }
      s = this.used++;
    }
    this.tokens[s] = token;
    this.starts[s] = this.kernel.now;
    return s;
  }
}

/** Builds a StoreResult from per-shard load. */
export function storeResult(
  load: ArrayLike<number>,
  unavailable: number,
  latency: LatencySummary,
): StoreResult {
  return {
    shards: load.length,
    load: Array.from(load),
    cv: Math.round(coefficientOfVariation(load) * 1e6) / 1e6,
    unavailable,
    latency,
  };
}

/** The k-th smallest (1-based) of the first `n` values of `a`; reorders them (n is tiny: ≤ RF). */
export function kthSmallest(a: Float64Array, n: number, k: number): number {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
  return a[k - 1];
}
