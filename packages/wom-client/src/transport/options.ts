import type { WomClientEvent } from './events.js';

/** `T` with every property required and never `undefined` (options after defaults are applied). */
export type Defined<T> = { [Key in keyof T]-?: Exclude<T[Key], undefined> };

/**
 * How failed requests are retried. Retries use exponential backoff with jitter and are bounded
 * both by count ({@link RetryOptions.limit}) and by time ({@link RetryOptions.maxRetryTime}).
 *
 * Retried: the global HTTP 429 (after its `Retry-After`); for GET requests also 500, 502, 503,
 * 504, timeouts and network errors (connection refused or reset, `socket hang up`, `fetch
 * failed`). Never retried: other 4xx (400, 401, 403, 404, 409), invalid bodies (a wrong shape
 * or JSON that does not parse is the same on every read), aborts.
 *
 * POST requests are retried only when the server provably did not act on them: the global 429
 * (the limiter rejects before any handler runs), a connection that was never established
 * (`ECONNREFUSED`, DNS failures), and a 503 whose JSON body has a `HISCORES_*` code (the
 * update could not reach the Jagex hiscores, so nothing changed).
 */
export interface RetryOptions {
  /**
   * The most retries after the first attempt (so at most `limit + 1` requests per call).
   * @defaultValue `3`
   */
  limit?: number | undefined;
  /**
   * The total time budget for a call's retries, in milliseconds, counted from its first attempt.
   * A retry whose wait (backoff or `Retry-After`) would end after it is not made; the call
   * fails at once with the last error, which carries `retryAfter`.
   * @defaultValue `60_000`
   */
  maxRetryTime?: number | undefined;
  /**
   * The base of the exponential backoff, in milliseconds: retry `n` waits up to
   * `baseDelay * 2 ** (n - 1)`, capped at {@link RetryOptions.maxDelay}.
   * @defaultValue `1_000`
   */
  baseDelay?: number | undefined;
  /**
   * The longest single backoff delay, in milliseconds (before jitter).
   * @defaultValue `15_000`
   */
  maxDelay?: number | undefined;
  /**
   * The jitter: `'equal'` waits between half and all of the backoff delay, `'full'` between 0
   * and all of it, `'none'` exactly the delay.
   * @defaultValue `'equal'`
   */
  jitter?: 'equal' | 'full' | 'none' | undefined;
  /**
   * The longest per-player update cooldown (`PLAYER_IS_RATE_LIMITED`), in milliseconds, that is
   * waited out before retrying **once**. A longer cooldown fails at once with `retryAfter`.
   * Set `0` to never wait.
   * @defaultValue `5_000`
   */
  maxPlayerCooldownWait?: number | undefined;
}

/**
 * The client-side rate limiter: a fixed window of `points` requests per `windowMs`, shared by
 * every concurrent call of one client, kept in step with the server's `RateLimit-*` headers.
 */
export interface RateLimitOptions {
  /**
   * Requests allowed per window. If the server reports a smaller `RateLimit-Limit`, the smaller
   * one is used.
   * @defaultValue `20` without an API key, `100` with one (the Wise Old Man limits)
   */
  points?: number | undefined;
  /**
   * The window length, in milliseconds.
   * @defaultValue `60_000`
   */
  windowMs?: number | undefined;
}

/** Options of the Wise Old Man client and its transport. */
export interface WomClientOptions {
  /**
   * An API key from the Wise Old Man team, sent as the `x-api-key` header. Raises the limit to
   * 100 requests per minute. It never appears in error messages, error fields or events.
   * @defaultValue none
   */
  apiKey?: string | undefined;
  /**
   * Identifies your application to Wise Old Man (they ask for a way to contact you, for example
   * your Discord name). Sent as both `User-Agent` and `x-user-agent`.
   * @defaultValue `'@clanstats/wom-client/<version>'`
   * @example `'my-clan-bot (discord: alice)'`
   */
  userAgent?: string | undefined;
  /**
   * The API's base URL.
   * @defaultValue `'https://api.wiseoldman.net/v2'`
   */
  baseUrl?: string | undefined;
  /**
   * The time limit of each attempt (headers and body), in milliseconds. A timed-out attempt
   * fails with code `TIMEOUT` and is not retried.
   * @defaultValue `30_000`
   */
  timeout?: number | undefined;
  /**
   * The retry policy; a number is {@link RetryOptions.limit}; `false` disables retries.
   * @defaultValue `{ limit: 3, maxRetryTime: 60_000, baseDelay: 1_000, maxDelay: 15_000, jitter: 'equal', maxPlayerCooldownWait: 5_000 }`
   */
  retry?: RetryOptions | number | false | undefined;
  /**
   * The client-side rate limiter; `false` disables it (a global 429's `Retry-After` still
   * pauses the client).
   * @defaultValue `{ points: 20 (100 with an API key), windowMs: 60_000 }`
   */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * The `fetch` implementation, for proxies, custom agents or tests.
   * @defaultValue `globalThis.fetch`
   */
  fetch?: typeof fetch | undefined;
  /**
   * Turn ISO-8601 timestamps (`2026-08-01T09:41:57.103Z`) in responses into `Date` objects.
   * @defaultValue `true`
   */
  parseDates?: boolean | undefined;
  /**
   * Receives typed events (requests, responses, retries, rate-limit waits, 429s). The client never
   * prints; route these to your logger. Errors thrown by the listener are ignored.
   * @defaultValue none
   */
  onEvent?: ((event: WomClientEvent) => void) | undefined;
}

/** The Wise Old Man API's per-minute limit without an API key. */
export const DEFAULT_POINTS_WITHOUT_API_KEY = 20;
/** The Wise Old Man API's per-minute limit with an API key. */
export const DEFAULT_POINTS_WITH_API_KEY = 100;

/** The defaults of {@link RetryOptions}. */
export const DefaultRetryOptions = {
  limit: 3,
  maxRetryTime: 60_000,
  baseDelay: 1_000,
  maxDelay: 15_000,
  jitter: 'equal',
  maxPlayerCooldownWait: 5_000,
} as const satisfies Defined<RetryOptions>;

/** The Wise Old Man API's rate-limit window, in milliseconds. */
const DEFAULT_WINDOW_MS = 60_000;

/**
 * The defaults of the scalar {@link WomClientOptions}. See {@link DefaultRetryOptions} for
 * `retry`; `rateLimit` defaults to `{ points: 20 (100 with an API key), windowMs: 60_000 }`.
 */
export const DefaultWomClientOptions = {
  baseUrl: 'https://api.wiseoldman.net/v2',
  userAgent: `@clanstats/wom-client/${__PACKAGE_VERSION__}`,
  timeout: 30_000,
  parseDates: true,
} as const satisfies Defined<
  Pick<WomClientOptions, 'baseUrl' | 'userAgent' | 'timeout' | 'parseDates'>
>;

/** Options after defaults and validation. */
export interface ResolvedOptions {
  apiKey: string | undefined;
  userAgent: string;
  baseUrl: string;
  timeout: number;
  retry: Defined<RetryOptions>;
  rateLimit: Defined<RateLimitOptions> | false;
  fetch: typeof fetch | undefined;
  parseDates: boolean;
  onEvent: ((event: WomClientEvent) => void) | undefined;
}

function assertNumber(name: string, value: number, minimum: number, integer = false): void {
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < minimum ||
    (integer && !Number.isInteger(value))
  )
    throw new RangeError(
      `WomClient: option ${name} must be ${integer ? 'an integer' : 'a number'} >= ${minimum}, got ${String(value)}`,
    );
}

/** Applies defaults and checks values; throws `RangeError`/`TypeError` on invalid options. */
export function resolveOptions(options: WomClientOptions): ResolvedOptions {
  const apiKey = options.apiKey === '' ? undefined : options.apiKey;
  const timeout = options.timeout ?? DefaultWomClientOptions.timeout;
  assertNumber('timeout', timeout, 1);

  const retryInput = options.retry;
  const retry: Defined<RetryOptions> =
    retryInput === false
      ? { ...DefaultRetryOptions, limit: 0 }
      : typeof retryInput === 'number'
        ? { ...DefaultRetryOptions, limit: retryInput }
        : { ...DefaultRetryOptions, ...stripUndefined(retryInput ?? {}) };
  assertNumber('retry.limit', retry.limit, 0, true);
  assertNumber('retry.maxRetryTime', retry.maxRetryTime, 0);
  assertNumber('retry.baseDelay', retry.baseDelay, 0);
  assertNumber('retry.maxDelay', retry.maxDelay, 0);
  assertNumber('retry.maxPlayerCooldownWait', retry.maxPlayerCooldownWait, 0);
  if (!['equal', 'full', 'none'].includes(retry.jitter))
    throw new RangeError(`WomClient: option retry.jitter must be 'equal', 'full' or 'none'`);

  let rateLimit: Defined<RateLimitOptions> | false = false;
  if (options.rateLimit !== false) {
    rateLimit = {
      points:
        options.rateLimit?.points ??
        (apiKey === undefined ? DEFAULT_POINTS_WITHOUT_API_KEY : DEFAULT_POINTS_WITH_API_KEY),
      windowMs: options.rateLimit?.windowMs ?? DEFAULT_WINDOW_MS,
    };
    assertNumber('rateLimit.points', rateLimit.points, 1, true);
    assertNumber('rateLimit.windowMs', rateLimit.windowMs, 1);
  }

  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new TypeError('WomClient: option fetch must be a function');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function')
    throw new TypeError('WomClient: option onEvent must be a function');

  const baseUrl = options.baseUrl ?? DefaultWomClientOptions.baseUrl;
  try {
    new URL(baseUrl);
  } catch (error) {
    throw new TypeError(`WomClient: option baseUrl is not a valid URL`, { cause: error });
  }

  return {
    apiKey,
    userAgent: options.userAgent ?? DefaultWomClientOptions.userAgent,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeout,
    retry,
    rateLimit,
    fetch: options.fetch,
    parseDates: options.parseDates ?? DefaultWomClientOptions.parseDates,
    onEvent: options.onEvent,
  };
}

function stripUndefined<Value extends object>(value: Value): Partial<Defined<Value>> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<Defined<Value>>;
}
