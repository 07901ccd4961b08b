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
