/**
 * Per-listener taste: each simulated client has its own favourites, `favourites` tracks drawn once
 * from the catalog's popularity law, and a track choice replays one of them (uniformly) with
 * probability `replay`; otherwise it is a fresh draw from the global law. People replay their own
 * music (Louail & Barthelemy 2017, "Headphones on the wire": most users favour repetition of the same
 * songs; Benson, Kumar & Tomkins, WWW 2016: 15–59 % of consumptions are repeats), which one global law
 * shared by all listeners cannot express: there, a client's cache catches only what anyone would.
 * Global popularity is unchanged, since the favourites themselves come from the global law.
 */
import type { Rng } from '../kernel/random.js';
import type { Catalog } from './catalog.js';

/** Chooses each client's next track. */
export class Taste {
  private readonly favs: Int32Array;
  private readonly size: number;

  constructor(
    private readonly catalog: Catalog,
    clients: number,
    favourites: number,
    private readonly replay: number,
    private readonly rng: Rng,
  ) {
    this.size = replay > 0 ? favourites : 0;
    this.favs = new Int32Array(clients * this.size);
    for (let i = 0; i < this.favs.length; i++) this.favs[i] = catalog.next();
  }

  /** Client `c`'s favourites (a view, for warming its cache). */
  of(c: number): Int32Array {
    return this.favs.subarray(c * this.size, (c + 1) * this.size);
  }

  /** The next track client `c` plays. */
  next(c: number): number {
    if (this.size > 0 && this.rng() < this.replay)
      return this.favs[c * this.size + Math.floor(this.rng() * this.size)];
    return this.catalog.next();
  }
}
