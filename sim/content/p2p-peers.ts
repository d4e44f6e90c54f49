/**
 * Peer discovery for the hybrid P2P model: how many usable peers a client finds for a track it does
 * not hold, from the overlay search, the tracker and the NATs between them.
 *
 * A track's holders among online peers follow Che's occupancy: one cache holds item i with
 * probability p(i) = 1 − e^{−q_i·T}, so any set of R online peers holds Poisson(R·p(i)) copies. The
 * search does not see every online peer:
 *
 * - the overlay search asks `neighbours` peers and, over `hops` hops, their neighbours in turn (reach
 *   R = n + n(n−1) + …, at most everyone online); with `neighbours: 0` it reaches every online peer
 *   (the model before these limits);
 * - the tracker lists the `trackerMemory` most recent players of the track (taken as its holders in
 *   the whole population, online or not) and returns those of them online;
 * - a client behind a NAT (share `nat`, fixed per client) cannot connect to a peer behind a NAT, so
 *   each peer found is usable with probability 1 − nat; an open client reaches them all (the NAT'd
 *   side connects out);
 * - a search slower than `searchTimeout` finds nothing.
 *
 * Overlay and tracker answers are added: their overlap is a few holders in millions.
 */

import type { Rng } from '../kernel/random.js';
import { zipfHarmonic } from '../kernel/zipf.js';
import { zipfCheTime } from './analytic-cache.js';
import type { Catalog } from './catalog.js';
import { hashUnit } from './catalog.js';
import type { P2pOptions } from './p2p-options.js';

/** What one search found. */
export interface Found {
  /** Usable peers, at most `maxPeers`. */
  peers: number;
  /** Their aggregate upload rate to this client, bytes/s. */
  rate: number;
}

/** Counts usable peers for (client, item) lookups. */
export class PeerFinder {
  readonly found: Found = { peers: 0, rate: 0 };
  private readonly harmonic: number;
  private readonly cheT: number;
  private readonly skew: number;
  private readonly meanOnline: number;
  private readonly reach: number;
  private readonly legacy: boolean;

  constructor(
    private readonly o: P2pOptions,
    catalog: Catalog,
    private readonly rng: Rng,
  ) {
    this.skew = catalog.skew;
    this.harmonic = zipfHarmonic(catalog.items, this.skew);
    this.cheT = zipfCheTime(catalog.items, this.skew, o.cache / catalog.meanSize());
    this.meanOnline = o.online * o.population;
    this.reach =
      o.neighbours > 0 ? Math.min(this.meanOnline, overlayReach(o.neighbours, o.hops)) : this.meanOnline;
    // Without tracker or NAT the draws are exactly those of the unlimited model (same outputs).
    this.legacy = o.trackerMemory === 0 && o.nat === 0;
  }

  /** Probability that one client's cache holds `item` (Che occupancy). */
  occupancy(item: number): number {
    if (!Number.isFinite(this.cheT)) return 1;
    const q = (item + 1) ** -this.skew / this.harmonic;
    return -Math.expm1(-q * this.cheT);
  }

  /** Whether client `c` sits behind a NAT (a fixed property of the client). */
  natted(c: number): boolean {
    return this.o.nat > 0 && hashUnit(c, 0x4e4154) < this.o.nat;
  }

  /** Usable peers client `c` finds for `item`; `rate` drawn only when `withRate`. */
  find(c: number, item: number, withRate: boolean, searchTime = 0): Found {
    const f = this.found;
    f.peers = 0;
    f.rate = 0;
    const cap = this.o.maxPeers;
    const p = this.occupancy(item);
    let k: number;
    if (this.legacy) k = poisson(this.reach * p, cap, this.rng);
    else {
      k = poisson(this.reach * p, Number.POSITIVE_INFINITY, this.rng);
      if (this.o.trackerMemory > 0) {
        const listed = poisson(this.o.population * p, this.o.trackerMemory, this.rng);
        k += binomial(listed, this.o.online, Number.POSITIVE_INFINITY, this.rng);
      }
      k = this.natted(c) ? binomial(k, 1 - this.o.nat, cap, this.rng) : Math.min(k, cap);
    }
    if (this.o.searchTimeout > 0 && searchTime > this.o.searchTimeout) k = 0;
    f.peers = k;
    if (withRate) for (let i = 0; i < k; i++) f.rate -= this.o.uplink * Math.log(1 - this.rng());
    return f;
  }
}

/** Peers an overlay search reaches: n neighbours, each forwarding to its n − 1 others per hop. */
export function overlayReach(neighbours: number, hops: number): number {
  let reach = 0;
  let layer = neighbours;
  for (let h = 0; h < hops; h++) {
    reach += layer;
    layer *= Math.max(0, neighbours - 1);
  }
  return reach;
}

/** Poisson(mean) capped at `cap`, by inversion (a large mean returns the cap). */
function poisson(mean: number, cap: number, rng: Rng): number {
  if (mean > 50) return Number.isFinite(cap) ? cap : Math.round(mean);
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng();
  let k = 0;
  while (u > cdf && k < cap) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** Binomial(n, p) capped at `cap`, by Bernoulli draws that stop at the cap (n may be large). */
function binomial(n: number, p: number, cap: number, rng: Rng): number {
  if (p >= 1) return Math.min(n, cap);
  let k = 0;
  for (let i = 0; i < n && k < cap; i++) if (rng() < p) k++;
  return k;
}
