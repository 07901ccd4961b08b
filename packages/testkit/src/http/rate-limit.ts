/** A fixed-window rate limiter, shared by the fake servers. */

/** The outcome of consuming one point. */
export interface RateLimitResult {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (`ceil(msBeforeNext / 1000)`). */
  readonly resetSeconds: number;
  /** Milliseconds until the window resets (exact). */
  readonly resetMs: number;
  readonly limited: boolean;
}

/** A fixed-window limiter: each key's window starts at its first request; every request costs 1. */
export class FixedWindowLimiter {
  readonly #buckets = new Map<string, { start: number; consumed: number }>();
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Consumes one point for `key` at time `now` against `limit`. */
  consume(key: string, limit: number, now: number): RateLimitResult {
    return this.#apply(key, limit, now, 1);
  }

  /** The state of `key`'s window at `now` without consuming anything. */
  peek(key: string, limit: number, now: number): RateLimitResult {
    return this.#apply(key, limit, now, 0);
  }

  #apply(key: string, limit: number, now: number, cost: number): RateLimitResult {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || now >= bucket.start + this.#windowMs) {
      bucket = { start: now, consumed: 0 };
      if (cost > 0) this.#buckets.set(key, bucket);
    }
    bucket.consumed += cost;
    const msBeforeNext = Math.max(0, bucket.start + this.#windowMs - now);
    return {
      limit,
      remaining: Math.max(0, limit - bucket.consumed),
      resetSeconds: Math.ceil(msBeforeNext / 1000),
      resetMs: msBeforeNext,
      limited: bucket.consumed > limit,
    };
  }

  /** Forgets every window. */
  reset(): void {
    this.#buckets.clear();
  }
}
