/**
 * Retries: exponential backoff with jitter, bounded by a retry budget.
 *
 * `attempts` counts every try, the first included (gRPC's `maxAttempts`), so `attempts: 3` means up
 * to two retries. The n-th retry waits `backoff · 2^(n-1)` with no jitter, a uniform draw below it
 * with `full` jitter, and half of it plus a uniform draw below the other half with `equal` jitter
 * (the AWS Architecture Blog's names). The budget is a token bucket in the style of Finagle's
 * RetryBudget: every first try deposits `budget` tokens, every retry spends one, and the bucket
 * starts with (and never falls below the deposits of) 10 tokens so a quiet service can still retry.
 */
import type { Service } from '../../scenarios/service.js';
import type { Rng } from '../kernel/random.js';

type RetryOptions = NonNullable<Service['retry']>;

const JITTER = { none: 0, full: 1, equal: 2 } as const;
const MIN_TOKENS = 10;

/** The retry policy callers apply to one service. */
export class RetryPolicy {
  readonly attempts: number;
  private readonly backoff: number;
  private readonly jitter: number;
  private readonly budget: number;
  private readonly cap: number;
  private tokens = MIN_TOKENS;
  private readonly rng: Rng;

  constructor(opts: RetryOptions, rng: Rng) {
    this.attempts = Math.max(1, Math.floor(opts.attempts));
    this.backoff = opts.backoff;
    this.jitter = JITTER[opts.jitter];
    this.budget = opts.budget ?? Number.POSITIVE_INFINITY;
    // Enough headroom for a burst of retries after a quiet spell, but bounded like a real bucket.
    this.cap = Number.isFinite(this.budget)
      ? Math.max(MIN_TOKENS, this.budget * 1000)
      : Number.POSITIVE_INFINITY;
    this.rng = rng;
  }

  /** Called for every first try: feeds the budget. */
  deposit(): void {
    if (this.tokens < this.cap) this.tokens = Math.min(this.cap, this.tokens + this.budget);
  }

  /** Whether try number `tries + 1` may go (spends a budget token when it may). */
  allow(tries: number): boolean {
    if (tries >= this.attempts) return false;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds to wait before retry number `n` (1-based). */
  delay(n: number): number {
    const b = this.backoff * 2 ** (n - 1);
    if (this.jitter === 0) return b;
    if (this.jitter === 1) return this.rng() * b;
    return b / 2 + (this.rng() * b) / 2;
  }
}

/**
 * Expected tries per logical call when each try fails independently with probability `p` and every
 * failure is retried up to `attempts` tries in all: 1 + p + p² + … + p^(attempts-1).
 */
export function expectedTries(p: number, attempts: number): number {
  let s = 0;
  for (let k = 0; k < attempts; k++) s += p ** k;
  return s;
}
