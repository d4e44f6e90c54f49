/**
 * A sharded, replicated store in the manner of Cassandra: a consistent-hash ring with virtual nodes,
 * a replication factor, per-request consistency and, with `regions`, a datacenter per region.
 *
 * Which nodes hold a key and how many answers a read needs is `store-placement.ts` (shared with the
 * twin). Each asked live replica answers after its own sampled time, so the read's latency is the
 * k-th fastest answer (the k-th order statistic). With regions, a replica in another region than
 * the coordinator adds a sampled one-way latency each way, and the caller pays one each way to the
 * coordinator's region (the scenario's `latency`, as service calls do); replicas in the coordinator's
 * region add none (the store's `time` is read inside its datacenter). Crashed nodes, nodes in a
 * region under an `outage` and regions partitioned from the coordinator do not answer: with fewer
 * than k the read fails at once (`unavailable`). Hot keys come from a Zipf skew over the key space.
 */
import type { LatencySummary } from '../../results/histogram.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { StoreResult } from '../../results/run-result.js';
import type { DistSpec } from '../../scenarios/distribution.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { zipfSampler } from '../kernel/zipf.js';
import { StoreHealth } from './store-health.js';
import { type Consistency, type StoreGeo, StorePlacement } from './store-placement.js';

export { type Consistency, needed, Ring } from './store-placement.js';

/** The network a store with regions reads through (the engine's latency matrix and partitions). */
export interface StoreNetwork extends StoreGeo {
  /** One sampled one-way delay from region `a` to `b`, in seconds. */
  delay(a: number, b: number): number;
}

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
  /** The regions it runs in (a datacenter each); absent → one datacenter reached at no cost. */
  regions?: readonly string[];
}

/** Called when a request completes; `ok` false = unavailable (too few live replicas). */
export type StoreDone = (token: number, ok: boolean) => void;

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

/** A store: ring, replicas, consistency, regions, crashes, per-node load and latency. */
export class Store {
  readonly name: string;
  readonly placement: StorePlacement;
  /** The store's own regions (its `regions`), when it lists them. */
  private readonly regionNames: readonly string[] | undefined;
  /** Requests each node served (every live replica asked counts), region by region. */
  readonly load: Float64Array;
  latency = new LatencyHistogram();
  unavailable = 0;
  requests = 0;
  private readonly health: StoreHealth;
  private readonly time: () => number;
  private readonly keyDraw: (() => number) | undefined;
  private readonly uniform: Rng;
  private readonly keySpace: number;
  private readonly reps: Int32Array;
  private readonly lat: Float64Array;
  private readonly hDone: number;
  private tokens: Float64Array;
  private starts: Float64Array;
  private free: Int32Array;
  private top = 0;
  private used = 0;

  /**
   * `regionNames` and `network` place a store with `regions` (scenario region numbers, the engine's
   * network); a store without them needs neither.
   */
  constructor(
    private readonly kernel: Kernel,
    name: string,
    opts: StoreOptions,
    rng: (stream: string) => Rng,
    private readonly done: StoreDone,
    regionNames: readonly string[] = [],
    private readonly network?: StoreNetwork,
  ) {
    this.name = name;
    this.regionNames = opts.regions;
    this.placement = new StorePlacement(opts, regionNames);
    if (this.placement.regional && !network) throw new RangeError(`store ${name}: regions need the network`);
    const p = this.placement;
    this.load = new Float64Array(p.nodes);
    this.health = new StoreHealth(p);
    this.time = sampler(opts.time, rng(`store:${name}:time`));
    this.keySpace = opts.keys ?? 1_000_000;
    this.uniform = rng(`store:${name}:keys`);
    if (opts.skew?.kind === 'zipf') this.keyDraw = zipfSampler(this.keySpace, opts.skew.s, this.uniform);
    this.reps = new Int32Array(p.maxAsked);
    this.lat = new Float64Array(p.maxAsked);
    this.tokens = new Float64Array(64);
    this.starts = new Float64Array(64);
    this.free = new Int32Array(64);
    this.hDone = kernel.on((slot) => this.finish(slot));
  }

  /** Copies of a key per region. */
  get rf(): number {
    return this.placement.rf;
  }

  /** Answers a read needs. */
  get need(): number {
    return this.placement.need;
  }

  /** Whether keys are drawn here from the store's Zipf skew (hot keys) rather than given. */
  get skewed(): boolean {
    return this.keyDraw !== undefined;
  }

  /** Crashes nodes `0..count-1`, region by region (or brings them back with `isDown` false). */
  crash(count: number, isDown = true): void {
    for (let i = 0; i < Math.min(count, this.placement.nodes); i++) this.health.crash(i, isDown);
  }

  /** An outage of scenario region `region` starts (+1) or ends (-1): its nodes stop answering. */
  outage(region: number, delta: number): void {
    this.health.outage(region, delta);
  }

  /** Draws a key: Zipf-hot when the store has a skew, else uniform over the key space. */
  drawKey(): number {
    return this.keyDraw ? this.keyDraw() - 1 : Math.floor(this.uniform() * this.keySpace);
  }

  /**
   * Reads `key` (a user or item id; negative → drawn here) for caller `token` in scenario region
   * `from`. Completes through `done` after the k-th fastest live replica (plus the network to and
   * from the coordinator's region), or at once with ok=false when too few can answer.
   */
  request(token: number, key = -1, from = 0): void {
    const k = key >= 0 ? key : this.drawKey();
    this.requests++;
    const p = this.placement;
    const net = this.network;
    const dc = net ? p.coordinator(from, net, this.health.hasLive) : 0;
    if (dc < 0) {
      this.unavailable++;
      this.done(token, false);
      return;
    }
    const n = p.replicas(k, dc, this.reps);
    const at = p.dcs[dc];
    let live = 0;
    for (let i = 0; i < n; i++) {
      const node = this.reps[i];
      if (!this.health.answers(node, dc, net)) continue;
      this.load[node]++;
      const t = this.time();
      const d = p.dcOf(node);
      this.lat[live++] =
        net === undefined || d === dc ? t : t + net.delay(at, p.dcs[d]) + net.delay(p.dcs[d], at);
    }
    if (live < p.need) {
      this.unavailable++;
      this.done(token, false);
      return;
    }
    let t = kthSmallest(this.lat, live, p.need);
    if (net) t += net.delay(from, at) + net.delay(at, from);
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
    return storeResult(this.load, this.unavailable, this.latency.summary(), this.regionNames);
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

/** Builds a StoreResult from per-node load (and the store's regions, when it lists them). */
export function storeResult(
  load: ArrayLike<number>,
  unavailable: number,
  latency: LatencySummary,
  regions?: readonly string[],
): StoreResult {
  const out: StoreResult = {
    shards: load.length,
    load: Array.from(load),
    cv: Math.round(coefficientOfVariation(load) * 1e6) / 1e6,
    unavailable,
    latency,
  };
  if (regions?.length) out.regions = [...regions];
  return out;
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
