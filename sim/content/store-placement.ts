/**
 * Where a store's copies of a key live and which of them a read waits for: one pure rule the
 * simulator (`store.ts`) and the twin (`loadtests/twin/store.ts`) share, so both place keys and
 * count answers alike.
 *
 * Cassandra's NetworkTopologyStrategy with the same replication factor in every datacenter. A store
 * with `regions` runs a ring of `shards` nodes in each listed region (the same ring, so a key's
 * copies are nodes i, j, k of every region); a key has `replication` copies in each. A read goes to
 * a coordinator: the caller's own region when the store runs there and a node of it is up, else the
 * nearest store region (by one-way latency) the caller can reach that has a node up. `local-one` /
 * `local-quorum` ask only the coordinator region's copies and need 1 / ⌊RF/2⌋+1 of them; `one` /
 * `quorum` / `all` ask every copy in every region and need 1 / ⌊RF·R/2⌋+1 / RF·R answers. Without
 * `regions` the store is one datacenter every caller reaches at no network cost, and the local
 * levels equal their global ones.
 */
import type { Store } from '../../scenarios/schema.js';
import { hashUnit, mix32 } from './catalog.js';

/** Consistency levels (CONTRACT.md). */
export type Consistency = Store['consistency'];

/** Answers needed at consistency `consistency` when `copies` replicas are asked. */
export function needed(consistency: Consistency, copies: number): number {
  if (consistency === 'one' || consistency === 'local-one') return 1;
  if (consistency === 'all') return copies;
  return Math.floor(copies / 2) + 1;
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

  /** Writes the first `rf` distinct nodes clockwise from `x` into `out` from `at`; returns how many. */
  replicas(x: number, rf: number, out: Int32Array, at = 0): number {
    const n = this.pos.length;
    let i = this.point(x);
    let found = 0;
    const want = Math.min(rf, this.nodes);
    for (let step = 0; step < n && found < want; step++, i = (i + 1) % n) {
      const node = this.owner[i];
      let dup = false;
      for (let j = 0; j < found; j++) if (out[at + j] === node) dup = true;
      if (!dup) out[at + found++] = node;
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

/** The network as a placement sees it, indexed by the scenario's region numbers. */
export interface StoreGeo {
  /** The one-way base latency from `a` to `b` (orders the regions by distance). */
  oneWay(a: number, b: number): number;
  /** Whether `a` can reach `b` now (no partition between them). */
  reachable(a: number, b: number): boolean;
}

/** The store fields placement reads, plus the ring's salt. */
export type StorePlacementDef = Pick<Store, 'shards' | 'vnodes' | 'replication' | 'consistency'> & {
  regions?: readonly string[];
  ringSeed?: number;
};

/** A store's nodes by region, its key placement and its read rule. */
export class StorePlacement {
  readonly ring: Ring;
  readonly shards: number;
  /** Copies of a key in each store region. */
  readonly rf: number;
  /** Scenario region index of each store region; `[-1]` when the store lists no regions. */
  readonly dcs: Int32Array;
  /** Whether the store lists regions (reads then pay the network between them). */
  readonly regional: boolean;
  /** Whether reads ask the coordinator's region only (`local-one`, `local-quorum`). */
  readonly local: boolean;
  /** Answers a read needs. */
  readonly need: number;
  /** Every node of every region; node `d × shards + i` is node i of store region d. */
  readonly nodes: number;
  private readonly salt: number;
  private readonly regionCount: number;
  /** Per caller region: store regions, its own first, then by one-way latency (built on first use). */
  private order: Int32Array[] | undefined;

  constructor(def: StorePlacementDef, regionNames: readonly string[]) {
    this.shards = def.shards;
    this.regionCount = regionNames.length;
    this.ring = new Ring(def.shards, def.vnodes, def.ringSeed ?? 0);
    this.rf = Math.min(def.replication, def.shards);
    this.regional = (def.regions?.length ?? 0) > 0;
    this.dcs = this.regional
      ? Int32Array.from(def.regions ?? [], (r) => {
          const i = regionNames.indexOf(r);
          if (i < 0) throw new RangeError(`store: region ${JSON.stringify(r)} is not declared`);
          return i;
        })
      : Int32Array.of(-1);
    this.local = def.consistency === 'local-one' || def.consistency === 'local-quorum';
    this.need = needed(def.consistency, this.local ? this.rf : this.rf * this.dcs.length);
    this.nodes = def.shards * this.dcs.length;
    this.salt = mix32(def.ringSeed ?? 0, 0x2545f491);
  }

  /** Most nodes a read asks. */
  get maxAsked(): number {
    return this.local ? this.rf : this.rf * this.dcs.length;
  }

  /** Store region of node `node` (an index into {@link dcs}). */
  dcOf(node: number): number {
    return Math.floor(node / this.shards);
  }

  /**
   * The coordinator's store region (an index into {@link dcs}) for a caller in scenario region
   * `from`, or -1 when the caller reaches no store region with a node up. Always 0 without regions.
   */
  coordinator(from: number, geo: StoreGeo, hasLive: (dc: number) => boolean): number {
    if (!this.regional) return 0;
    this.order ??= this.nearest(geo);
    const order = this.order[from];
    if (order === undefined) return -1;
    for (let i = 0; i < order.length; i++) {
      const dc = order[i];
      const r = this.dcs[dc];
      if (r !== from && !geo.reachable(from, r)) continue;
      if (hasLive(dc)) return dc;
    }
    return -1;
  }

  /**
   * Writes the nodes a read of `key` coordinated in store region `dc` asks into `out` (room for
   * {@link maxAsked}): that region's copies only at a local level, else every region's, region by
   * region. Returns how many.
   */
  replicas(key: number, dc: number, out: Int32Array): number {
    const x = hashUnit(key, this.salt);
    const n = this.ring.replicas(x, this.rf, out);
    if (this.local || !this.regional) {
      if (dc > 0) for (let i = 0; i < n; i++) out[i] += dc * this.shards;
      return n;
    }
    // Every region has the same ring: its copies are the same node numbers, offset by the region.
    for (let d = 1; d < this.dcs.length; d++)
      for (let i = 0; i < n; i++) out[d * n + i] = out[i] + d * this.shards;
    return n * this.dcs.length;
  }

  private nearest(geo: StoreGeo): Int32Array[] {
    return Array.from({ length: this.regionCount }, (_, from) => {
      const cost = (d: number) => (this.dcs[d] === from ? -1 : geo.oneWay(from, this.dcs[d]));
      const dcs = Array.from(this.dcs, (_, d) => d).sort((a, b) => cost(a) - cost(b) || a - b);
      return Int32Array.from(dcs);
    });
  }
}
