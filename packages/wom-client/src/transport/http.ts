import type { RateLimitInfo } from './events.js';
import { onAbort } from './abort.js';
import type { Defined, RetryOptions } from './options.js';

/** Values accepted in a query string; `undefined` entries are dropped, dates sent as ISO-8601. */
export type SearchParamValue = string | number | boolean | Date | undefined;

/** Query parameters of a request. */
export type SearchParams = Readonly<Record<string, SearchParamValue>>;

/** Serializes query parameters: drops `undefined`, sends dates with `toISOString()`. */
export function toSearchParams(searchParams: SearchParams | undefined): URLSearchParams {
  const result = new URLSearchParams();
  if (searchParams === undefined) return result;
  for (const [key, value] of Object.entries(searchParams)) {
    if (value === undefined) continue;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime()))
        throw new RangeError(`Query parameter '${key}' is an invalid Date`);
      result.append(key, value.toISOString());
    } else {
      result.append(key, String(value));
    }
  }
  return result;
}

/** A URL for messages and events: no username or password, even if the base URL had them. */
export function displayUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * `Retry-After` in milliseconds: delay-seconds (`37`) or an HTTP date. `now` is the wall clock
 * (`Date.now()`), used for dates only.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const seconds = parseNonNegative(value);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  if (value === null) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `RateLimit-*` and `Retry-After` headers of a response, times in milliseconds. */
export function parseRateLimitHeaders(headers: Headers): RateLimitInfo {
  const reset = parseNonNegative(headers.get('ratelimit-reset'));
  return {
    limit: parseNonNegative(headers.get('ratelimit-limit')),
    remaining: parseNonNegative(headers.get('ratelimit-remaining')),
    reset: reset === undefined ? undefined : Math.round(reset * 1000),
    retryAfter: parseRetryAfter(headers.get('retry-after')),
  };
}

/** The exact form of `Date.prototype.toISOString()`, which is how the server sends dates. */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function reviveDate(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.length === 24 && ISO_DATE_PATTERN.test(value)
    ? new Date(value)
    : value;
}

/** Parses JSON, turning ISO-8601 timestamps into `Date`s when `parseDates` is set. Throws `SyntaxError`. */
export function parseJson(text: string, parseDates: boolean): unknown {
  return parseDates ? JSON.parse(text, reviveDate) : JSON.parse(text);
}

/** The first characters of a body, for error messages and `bodySnippet`. */
export function snippet(text: string, length = 200): string {
  const trimmed = text.trim();
  return trimmed.length > length ? `${trimmed.slice(0, length)}…` : trimmed;
}

/** The fields of a Wise Old Man error body `{ code?, message?, subError?, data? }`. */
export interface ErrorBody {
  code: string | undefined;
  message: string | undefined;
  subError: unknown;
  data: unknown;
}

/** Reads an error body; `undefined` if it is not a JSON object. */
export function parseErrorBody(text: string): ErrorBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  return {
    code: typeof record.code === 'string' && record.code !== '' ? record.code : undefined,
    message: typeof record.message === 'string' ? record.message : undefined,
    subError: record.subError,
    data: record.data,
  };
}

/**
 * The backoff before retry number `retry` (1-based), in milliseconds: exponential from
 * `baseDelay`, capped at `maxDelay`, with the configured jitter.
 */
export function backoffDelay(
  retry: number,
  options: Defined<Pick<RetryOptions, 'baseDelay' | 'maxDelay' | 'jitter'>>,
  random: () => number = Math.random,
): number {
  const delay = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.max(0, retry - 1));
  switch (options.jitter) {
    case 'none':
      return delay;
    case 'full':
      return Math.round(random() * delay);
    case 'equal':
      return Math.round(delay / 2 + (random() * delay) / 2);
  }
}

/** Network error codes meaning the connection was never established (the server saw nothing). */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The `code` of a network error or of its `cause` chain (`ECONNRESET`, `UND_ERR_SOCKET`, …). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a network error proves the request never reached the server. */
export function isNotConnectedError(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && NOT_CONNECTED_CODES.has(code);
}

/** A readable one-line description of a network error, including its cause's message. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  const causeMessage =
    cause instanceof Error && cause.message !== '' && cause.message !== error.message
      ? `: ${cause.message}`
      : '';
  return `${error.message}${causeMessage}`;
}

/** Resolves after `delayMs`, or rejects with `signal.reason` when the signal aborts first. */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      forget?.();
      resolve();
    }, delayMs);
    const forget =
      signal === undefined
        ? undefined
        : onAbort(signal, () => {
            clearTimeout(timer);
            reject(signal.reason as Error);
          });
  });
}
