/**
 * Feed rows handed to virtual users: each new virtual user draws one row of every feed, so its
 * session and journeys use the same account. `sequential` hands rows out in order (wrapping),
 * `random` draws them from a seeded stream, `unique` gives each row to one user only; past the last
 * row `exhausted: stop` refuses new users (their journeys fail with cause `feed_exhausted`, nothing
 * is sent) and `exhausted: recycle` starts over. With worker threads each thread walks its own
 * slice of the rows.
 */

import type { FeedData } from '../../scenarios/load-feeds.js';
import type { Feed } from '../../scenarios/schema.js';
import type { Rng } from '../../sim/kernel/random.js';

/** One feed's rows and where the next draw comes from. */
export class FeedCursor {
  private next: number;

  constructor(
    readonly name: string,
    readonly feed: Feed,
    readonly data: FeedData,
    private readonly rng: Rng,
    /**
     * This generator thread's share of the rows (`--workers`): rows k, k + N, k + 2N… of slice k
     * of N, like k6 execution segments, so no row of a `unique` feed goes to two threads.
     */
    private readonly slice: { index: number; count: number } = { index: 0, count: 1 },
  ) {
    this.next = slice.index;
  }

  /** The next row, or undefined when a `unique` feed with `exhausted: stop` has run out. */
  take(): readonly string[] | undefined {
    const rows = this.data.rows;
    if (this.feed.order === 'random') return rows[Math.floor(this.rng() * rows.length)];
    if (this.next >= rows.length) {
      if (this.feed.order === 'unique' && this.feed.exhausted === 'stop') return undefined;
      this.next = this.slice.index % rows.length;
    }
    const row = rows[this.next];
    this.next += this.slice.count;
    return row;
  }
}
