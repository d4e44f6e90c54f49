/**
 * The twin's CDN: an in-memory LRU of item ids per edge, sized in bytes from the catalog's mean
 * item size. A hit costs the edge time; a miss the origin time, then the item is cached.
 */

/** An LRU set of item ids (Map keeps insertion order; re-inserting moves an item to the end). */
export class LruCache {
  private readonly items = new Map<string, true>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** True on a hit; a miss inserts `key`, evicting the least recently used item when full. */
  touch(key: string): boolean {
    if (this.items.delete(key)) {
      this.items.set(key, true);
      this.hits++;
      return true;
    }
    this.misses++;
    if (this.capacity <= 0) return false;
    if (this.items.size >= this.capacity) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.set(key, true);
    return false;
  }
}
