/**
 * Client caches at their steady state before the first event, so no long warm-up is needed: each
 * client's LRU holds the most recent distinct tracks of an independent-reference history, with its
 * own favourites the most recent of all (a listener who replays them keeps them near the front).
 */

import { KeyIndex } from '../kernel/key-index.js';
import type { ByteCache } from './cache.js';
import type { Catalog } from './catalog.js';
import type { Taste } from './p2p-taste.js';

/** Fills `clients` partitions of `cache` (key = client × items + item) up to `capacity` bytes each. */
export function warmCaches(
  cache: ByteCache,
  catalog: Catalog,
  taste: Taste,
  clients: number,
  capacity: number,
): void {
  const items = catalog.items;
  const order: number[] = [];
  const sizes: number[] = [];
  // Enough draws to fill any cache the catalog's popularity allows; a cache holding the whole
  // catalog stops when every item is in.
  const maxDraws = Math.min(50_000_000, 50 * Math.ceil(capacity / catalog.meanSize()) + 10_000);
  // One index reused for every client (cleared between them) instead of a Set per client.
  const seen = new KeyIndex(1024);
  for (let c = 0; c < clients; c++) {
    order.length = 0;
    sizes.length = 0;
    let bytes = 0;
    seen.clear();
    const favs = taste.of(c);
    for (let draws = 0; draws < maxDraws && seen.size < items; draws++) {
      const item = catalog.next();
      if (seen.get(item) >= 0) continue;
      const size = catalog.size(item);
      if (bytes + size > capacity) break;
      seen.set(item, 0);
      order.push(item);
      sizes.push(size);
      bytes += size;
    }
    const base = c * items;
    // The first distinct item of the backward history is the most recent: admit it last.
    for (let i = order.length - 1; i >= 0; i--) cache.admit(base + order[i], sizes[i], 0, c);
    for (let i = 0; i < favs.length; i++) cache.admit(base + favs[i], catalog.size(favs[i]), 0, c);
  }
}
