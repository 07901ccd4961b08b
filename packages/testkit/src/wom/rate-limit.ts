/** Options of the fake server's global rate limiter (WOM's `rate-limiter-flexible` setup). */
export interface FakeWomRateLimitOptions {
  /**
   * Requests per window without an API key.
   * @defaultValue `20`
   */
  points?: number;
  /**
   * Requests per window with a valid API key.
   * @defaultValue `100`
   */
  keyedPoints?: number;
  /**
   * Window length in milliseconds; a fixed window starting at the key's first request.
   * @defaultValue `60_000`
   */
  windowMs?: number;
}

/** The defaults of {@link FakeWomRateLimitOptions}. */
export const DefaultFakeWomRateLimitOptions = {
  points: 20,
  keyedPoints: 100,
  windowMs: 60_000,
} as const satisfies Required<FakeWomRateLimitOptions>;

/** The outcome of consuming one point. */
export interface RateLimitResult {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (`ceil(msBeforeNext / 1000)`). */
  readonly resetSeconds: number;
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
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || now >= bucket.start + this.#windowMs) {
      bucket = { start: now, consumed: 0 };
      this.#buckets.set(key, bucket);
    }
    bucket.consumed++;
    const msBeforeNext = Math.max(0, bucket.start + this.#windowMs - now);
    return {
      limit,
      remaining: Math.max(0, limit - bucket.consumed),
      resetSeconds: Math.ceil(msBeforeNext / 1000),
      limited: bucket.consumed > limit,
    };
  }

  /** Forgets every window. */
  reset(): void {
    this.#buckets.clear();
  }
}
