import type { HttpMethod, WomClientError } from '../errors.js';

/** The `RateLimit-*` headers of a response, when present. */
export interface RateLimitInfo {
  /** `RateLimit-Limit`: requests allowed per window. */
  limit: number | undefined;
  /** `RateLimit-Remaining`: requests left in the current window. */
  remaining: number | undefined;
  /** `RateLimit-Reset`: time until the window resets, in milliseconds (the header is in seconds). */
  reset: number | undefined;
  /** `Retry-After`, in milliseconds (the header is in seconds or an HTTP date). */
  retryAfter: number | undefined;
}

/** Sent just before each HTTP request (each attempt) leaves. */
export interface WomRequestEvent {
  type: 'request';
  /** Identifies one call across its attempts, unique within a client. */
  requestId: number;
  method: HttpMethod;
  /** The URL with its query string (never with credentials). */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** Sent when an attempt's response headers arrive, whatever the status. */
export interface WomResponseEvent {
  type: 'response';
  requestId: number;
  method: HttpMethod;
  url: string;
  attempt: number;
  status: number;
  /** From sending to the response headers, in milliseconds. */
  durationMs: number;
  /** The response's `RateLimit-*` and `Retry-After` headers. */
  rateLimit: RateLimitInfo;
}

/** Sent when a failed attempt will be retried. */
export interface WomRetryEvent {
  type: 'retry';
  requestId: number;
  method: HttpMethod;
  url: string;
  /** The attempt that failed. */
  attempt: number;
  /** The wait before the next attempt, in milliseconds (the rate limiter may add to it). */
  delayMs: number;
  /** Why the attempt failed. */
  error: WomClientError;
}

/** Sent when the rate limiter holds requests back. */
export interface WomRateLimitWaitEvent {
  type: 'rateLimitWait';
  /** How long until requests may be sent again, in milliseconds. */
  waitMs: number;
  /** Calls waiting. */
  queued: number;
  /**
   * `'window'`: this client used up its own window; `'server'`: the server's headers or a global
   * 429 said the window is used up (another process may share the key or IP).
   */
  reason: 'window' | 'server';
}

/** Sent for every HTTP 429 received. */
export interface WomRateLimitedEvent {
  type: 'rateLimited';
  requestId: number;
  method: HttpMethod;
  url: string;
  attempt: number;
  /**
   * `'global'`: the API's rate limit (the whole client pauses for `retryAfter`); `'player'`:
   * the per-player update cooldown (`PLAYER_IS_RATE_LIMITED`; only that player waits).
   */
  scope: 'global' | 'player';
  /** The server's `Retry-After`, in milliseconds. */
  retryAfter: number | undefined;
  /** The player the cooldown is for, when `scope` is `'player'` and the call named one. */
  player: string | undefined;
}

/** Everything the client reports through the `onEvent` option. Branch on `type`. */
export type WomClientEvent =
  WomRequestEvent | WomResponseEvent | WomRetryEvent | WomRateLimitWaitEvent | WomRateLimitedEvent;
