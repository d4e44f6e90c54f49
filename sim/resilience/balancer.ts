/**
 * Balancers: which replica of a group (one service in one region) takes the next request.
 * Only routable replicas are chosen; -1 means none is.
 *
 * - round-robin: the next routable replica after the last one used.
 * - least-conn: the replica with the fewest requests (in service, waiting on calls, or queued);
 *   ties go to the first after the round-robin cursor, so equal replicas share the load.
 * - p2c: two distinct random routable replicas, the less loaded wins (Mitzenmacher's power of two
 *   choices: the maximum load falls from Θ(log n / log log n) to Θ(log log n)).
 * - random: uniform over routable replicas.
 * - hash: consistent hashing of the user id onto a ring of virtual nodes (64 per replica), walking
 *   clockwise past replicas that are not routable, so a crash only moves that replica's users.
 */
import type { Service } from '../../scenarios/service.js';
import type { Rng } from '../kernel/random.js';

type BalancePolicy = Service['balance'];

/** What a balancer reads of the replicas it picks from (the topology's replica columns, a twin's pool). */
export interface ReplicaLoads {
  /** Whether replica `r` takes new requests. */
  routable(r: number): boolean;
  /** Requests replica `r` holds (serving and waiting). */
  load(r: number): number;
}

const POLICIES: Record<BalancePolicy, number> = {
  'round-robin': 0,
  'least-conn': 1,
  p2c: 2,
  random: 3,
  hash: 4,
};
const VNODES = 64;

/** A 32-bit integer mix (Murmur3's finaliser): spreads consecutive ids over the ring. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Chooses among the replicas of one group. */
export class Balancer {
  private readonly policy: number;
  private readonly pool: ReplicaLoads;
  /** Replica ids of the group, in slot order. */
  readonly slots: Int32Array;
  private readonly rng: Rng;
  private cursor = 0;
  private ringPoint: Uint32Array | undefined;
  private ringOwner: Int32Array | undefined;

  constructor(policy: BalancePolicy, pool: ReplicaLoads, slots: readonly number[], rng: Rng) {
    this.policy = POLICIES[policy];
    this.pool = pool;
    this.slots = Int32Array.from(slots);
    this.rng = rng;
    if (this.policy === 4) this.buildRing();
  }

  /** A routable replica for a request of `user`, or -1. */
  pick(user: number): number {
    switch (this.policy) {
      case 0:
        return this.roundRobin();
      case 1:
        return this.leastConn();
      case 2:
        return this.p2c();
      case 3:
        return this.random();
      default:
        return this.hash(user);
    }
  }

  private roundRobin(): number {
    const s = this.slots;
    const n = s.length;
    for (let k = 0; k < n; k++) {
      const i = this.cursor;
      this.cursor = i + 1 === n ? 0 : i + 1;
      if (this.pool.routable(s[i])) return s[i];
    }
    return -1;
  }

  private leastConn(): number {
    const s = this.slots;
    const n = s.length;
    const pool = this.pool;
    let best = -1;
    let bestLoad = Number.POSITIVE_INFINITY;
    const from = this.cursor;
    for (let k = 0; k < n; k++) {
      const i = from + k < n ? from + k : from + k - n;
      const r = s[i];
      if (!pool.routable(r)) continue;
      const l = pool.load(r);
      if (l < bestLoad) {
        bestLoad = l;
        best = r;
        this.cursor = i + 1 === n ? 0 : i + 1;
      }
    }
    return best;
  }

  private random(): number {
    const s = this.slots;
    const n = s.length;
    // Probe from a random start: uniform when all are routable, still correct when some are not.
    const start = Math.floor(this.rng() * n);
    for (let k = 0; k < n; k++) {
      const i = start + k < n ? start + k : start + k - n;
      if (this.pool.routable(s[i])) return s[i];
    }
    return -1;
  }

  private p2c(): number {
    const s = this.slots;
    const n = s.length;
    const pool = this.pool;
    if (n > 1) {
      // Two distinct slots uniformly; the common case (both routable) needs no loop.
      const i = Math.floor(this.rng() * n);
      let j = Math.floor(this.rng() * (n - 1));
      if (j >= i) j++;
      const a = s[i];
      const b = s[j];
      const okA = pool.routable(a);
      const okB = pool.routable(b);
      if (okA && okB) return pool.load(b) < pool.load(a) ? b : a;
      if (okA) return a;
      if (okB) return b;
    }
    return this.random();
  }

  private buildRing(): void {
    const n = this.slots.length * VNODES;
    const pts: [number, number][] = [];
    for (let i = 0; i < this.slots.length; i++) {
      for (let v = 0; v < VNODES; v++)
        pts.push([mix32(mix32(this.slots[i] + 1) ^ (v * 0x9e3779b1)), this.slots[i]]);
    }
    pts.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    this.ringPoint = Uint32Array.from(pts, (p) => p[0]);
    this.ringOwner = Int32Array.from(pts, (p) => p[1]);
    if (this.ringPoint.length !== n) throw new Error('ring size');
  }

  private hash(user: number): number {
    const pts = this.ringPoint!;
    const own = this.ringOwner!;
    const h = mix32(user + 0x27d4eb2f);
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = 0; k < pts.length; k++) {
      const i = lo + k < pts.length ? lo + k : lo + k - pts.length;
      if (this.pool.routable(own[i])) return own[i];
    }
    return -1;
  }
}
