/** Discord-style rate limiting: a global limit per token and per-route buckets per major parameter. */
import { FixedWindowLimiter } from '../http/rate-limit.js';
import type { RateLimitResult } from '../http/rate-limit.js';
import { hashString } from '../random.js';

/** A limit: `limit` requests per fixed window of `windowMs` milliseconds. */
export interface FakeDiscordLimit {
  limit: number;
  windowMs: number;
}

/** Options of the fake Discord server's rate limits. */
export interface FakeDiscordRateLimitOptions {
  /**
   * Per token (per IP without a token), across all routes; a 429 with `X-RateLimit-Global: true`
   * and `X-RateLimit-Scope: global`.
   * @defaultValue `{ limit: 50, windowMs: 1000 }`
   */
  global?: FakeDiscordLimit;
  /**
   * `GET /channels/:id/messages`, per channel.
   * @defaultValue `{ limit: 5, windowMs: 1000 }`
   */
  messages?: FakeDiscordLimit;
  /**
   * Every other route, per route and major parameter (channel or guild id).
   * @defaultValue `{ limit: 10, windowMs: 1000 }`
   */
  default?: FakeDiscordLimit;
  /**
   * `POST /webhooks/:id/:token`, per webhook (id and token); not counted against the global limit.
   * @defaultValue `{ limit: 5, windowMs: 2000 }`
   */
  webhooks?: FakeDiscordLimit;
}

/** The defaults of {@link FakeDiscordRateLimitOptions}. */
export const DefaultFakeDiscordRateLimitOptions = {
  global: { limit: 50, windowMs: 1000 },
  messages: { limit: 5, windowMs: 1000 },
  default: { limit: 10, windowMs: 1000 },
  webhooks: { limit: 5, windowMs: 2000 },
} as const satisfies Required<FakeDiscordRateLimitOptions>;

/** The route whose bucket is `messages`. */
export const MESSAGES_ROUTE = 'GET /channels/:id/messages';

/** The route whose bucket is `webhooks`. */
export const WEBHOOK_BUCKET_ROUTE = 'POST /webhooks/:id/:token';

/** A stable 32-hex-digit bucket id for a route (like Discord's opaque `X-RateLimit-Bucket`). */
export function bucketHash(route: string): string {
  let hex = '';
  for (let part = 0; part < 4; part++)
    hex += hashString(`${part}:${route}`).toString(16).padStart(8, '0');
  return hex;
}

/** The outcome of one request against the limits. */
export interface DiscordRateDecision {
  /** `X-RateLimit-*` headers for the route bucket (every response). */
  readonly headers: Record<string, string>;
  /** Set when the request must get a 429. */
  readonly limited: null | { readonly scope: 'global' | 'user'; readonly retryAfterMs: number };
}

function seconds(ms: number): string {
  return (Math.ceil(ms) / 1000).toFixed(3);
}

/** The route-bucket headers of a limiter result. */
export function bucketHeaders(
  result: RateLimitResult,
  bucket: string,
  now: number,
): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': seconds(now + result.resetMs),
    'X-RateLimit-Reset-After': seconds(result.resetMs),
    'X-RateLimit-Bucket': bucket,
  };
}

/** The global limiter and the per-route limiters, on the real clock. */
export class DiscordRateLimiter {
  readonly options: Required<FakeDiscordRateLimitOptions>;
  readonly #global: FixedWindowLimiter;
  readonly #messages: FixedWindowLimiter;
  readonly #default: FixedWindowLimiter;
  readonly #webhooks: FixedWindowLimiter;

  constructor(options: Required<FakeDiscordRateLimitOptions>) {
    this.options = options;
    this.#webhooks = new FixedWindowLimiter(options.webhooks.windowMs);
    this.#global = new FixedWindowLimiter(options.global.windowMs);
    this.#messages = new FixedWindowLimiter(options.messages.windowMs);
    this.#default = new FixedWindowLimiter(options.default.windowMs);
  }

  /** The limit of a route's bucket. */
  limitOf(route: string): FakeDiscordLimit {
    if (route === WEBHOOK_BUCKET_ROUTE) return this.options.webhooks;
    return route === MESSAGES_ROUTE ? this.options.messages : this.options.default;
  }

  /**
   * Consumes a point of a webhook's bucket (`key`: the webhook id and a hash of its token).
   * Webhook executions need no bot token and do not count against the global limit.
   */
  consumeWebhook(key: string, now: number): DiscordRateDecision {
    const bucket = bucketHash(WEBHOOK_BUCKET_ROUTE);
    const result = this.#webhooks.consume(`${bucket}:${key}`, this.options.webhooks.limit, now);
    return {
      headers: bucketHeaders(result, bucket, now),
      limited: result.limited ? { scope: 'user', retryAfterMs: result.resetMs } : null,
    };
  }

  /**
   * Checks the global limit for `identity` (token or IP), then consumes a point of the route's
   * bucket for `major`. A request refused globally does not consume its route bucket.
   */
  consume(identity: string, route: string, major: string, now: number): DiscordRateDecision {
    const bucket = bucketHash(route);
    const routeLimiter = route === MESSAGES_ROUTE ? this.#messages : this.#default;
    const routeLimit = this.limitOf(route).limit;
    const key = `${bucket}:${major}`;
    const global = this.#global.consume(identity, this.options.global.limit, now);
    if (global.limited) {
      return {
        headers: bucketHeaders(routeLimiter.peek(key, routeLimit, now), bucket, now),
        limited: { scope: 'global', retryAfterMs: global.resetMs },
      };
    }
    const result = routeLimiter.consume(key, routeLimit, now);
    return {
      headers: bucketHeaders(result, bucket, now),
      limited: result.limited ? { scope: 'user', retryAfterMs: result.resetMs } : null,
    };
  }

  /** Forgets every window. */
  reset(): void {
    this.#global.reset();
    this.#messages.reset();
    this.#default.reset();
    this.#webhooks.reset();
  }
}

/** The headers and body of a 429. */
export function rateLimitedResponse(
  headers: Record<string, string>,
  scope: 'global' | 'user' | 'shared',
  retryAfterMs: number,
): { headers: Record<string, string>; body: string } {
  const retryAfter = Math.max(0.001, Math.ceil(retryAfterMs) / 1000);
  const outgoing: Record<string, string> = {
    ...headers,
    'Retry-After': retryAfter.toFixed(3),
    'X-RateLimit-Scope': scope,
  };
  if (scope === 'global') outgoing['X-RateLimit-Global'] = 'true';
  return {
    headers: outgoing,
    body: JSON.stringify({
      message: 'You are being rate limited.',
      retry_after: retryAfter,
      global: scope === 'global',
    }),
  };
}
