/**
 * Virtual users: each has its own variables, feed rows and cookie jar, and runs one flow at a
 * time. Closed-model users are fixed (user `k` is always the same virtual user); in the open model
 * an arrival takes a free virtual user or makes a new one (as k6's arrival-rate executors reuse
 * VUs), so a session (log in) runs once per virtual user, not once per arrival.
 */
import { CookieJar } from './cookies.js';
import type { FeedCursor } from './feeds.js';

/** One virtual user. */
export interface VirtualUser {
  id: number;
  vars: Map<string, string>;
  rows: Map<string, readonly string[]>;
  jar: CookieJar;
  /** Whether its session steps have run successfully. */
  sessionDone: boolean;
}

/** Makes, lends and keeps virtual users. */
export class UserPool {
  private readonly free: VirtualUser[] = [];
  private readonly fixed = new Map<number, VirtualUser>();
  private made = 0;

  constructor(
    private readonly feeds: readonly FeedCursor[],
    private readonly host: string,
  ) {}

  /** Virtual users made so far. */
  get size(): number {
    return this.made;
  }

  /** A new virtual user with a row of every feed, or the name of the feed that ran out. */
  private make(): VirtualUser | { exhausted: string } {
    const rows = new Map<string, readonly string[]>();
    for (const f of this.feeds) {
      const row = f.take();
      if (row === undefined) return { exhausted: f.name };
      rows.set(f.name, row);
    }
    return { id: ++this.made, vars: new Map(), rows, jar: new CookieJar(this.host), sessionDone: false };
  }

  /** Closed model: user `k`'s own virtual user (made on first use). */
  user(k: number): VirtualUser | { exhausted: string } {
    const have = this.fixed.get(k);
    if (have) return have;
    const u = this.make();
    if ('id' in u) this.fixed.set(k, u);
    return u;
  }

  /** Open model: a free virtual user, or a new one. Give it back with {@link release}. */
  acquire(): VirtualUser | { exhausted: string } {
    return this.free.pop() ?? this.make();
  }

  release(u: VirtualUser): void {
    this.free.push(u);
  }
}
