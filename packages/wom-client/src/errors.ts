/**
 * Codes the client itself assigns, when the server's response carries no `code` of its own
 * (or when there is no response at all).
 *
 * - `RATE_LIMITED`: the global rate limit (HTTP 429 whose body has no `code`), still hit after
 *   the retries the policy allows, or with a `Retry-After` beyond the retry time budget.
 * - `TIMEOUT`: an attempt took longer than the `timeout` option.
 * - `NETWORK_ERROR`: no usable response (connection refused or reset, DNS failure, body cut off).
 * - `INVALID_RESPONSE`: a body that is not the JSON expected (a proxy's HTML page, truncated JSON),
 *   or JSON of the wrong shape (a missing field, a wrong type, `null` where none is allowed, an
 *   unknown enum value where it matters); then `field` names the offending value.
 * - `HTTP_ERROR`: an error status whose JSON body has no `code`.
 * - `INVALID_API_KEY`: HTTP 403 without a `code` on a request that sent an API key.
 * - `ABORTED`: the caller's `signal` aborted the call.
 */
export const WOM_CLIENT_ERROR_CODES = [
  'RATE_LIMITED',
  'TIMEOUT',
  'NETWORK_ERROR',
  'INVALID_RESPONSE',
  'HTTP_ERROR',
  'INVALID_API_KEY',
  'ABORTED',
] as const;

/** One of {@link WOM_CLIENT_ERROR_CODES}. */
export type WomClientErrorCode = (typeof WOM_CLIENT_ERROR_CODES)[number];

/**
 * Codes the Wise Old Man API sends in error bodies (`{ code, message, subError?, data? }`) that
 * matter for clan tracking. The server may send others; they are passed through unchanged.
 */
export const WOM_SERVER_ERROR_CODES = [
  'GROUP_NOT_FOUND',
  'PLAYER_NOT_FOUND',
  'INVALID_PERIOD',
  'INVALID_DATE_RANGE',
  'NO_OUTDATED_MEMBERS',
  'MISSING_VERIFICATION_CODE',
  'INCORRECT_VERIFICATION_CODE',
  'INVALID_USERNAME',
  'HISCORES_USERNAME_NOT_FOUND',
  'HISCORES_SERVICE_UNAVAILABLE',
  'HISCORES_UNEXPECTED_ERROR',
  'PLAYER_IS_RATE_LIMITED',
  'PLAYER_IS_FLAGGED',
  'PLAYER_IS_ARCHIVED',
  'PLAYER_IS_BLOCKED',
  'PLAYER_OPTED_OUT',
  'RUNELITE_NAME_CHANGE_DETECTED',
  'ENDPOINT_NOT_FOUND',
  'VALIDATION_ERROR',
  'UNEXPECTED_ERROR',
  'UNEXPECTED_DATABASE_ERROR',
] as const;

/** One of {@link WOM_SERVER_ERROR_CODES}. */
export type WomServerErrorCode = (typeof WOM_SERVER_ERROR_CODES)[number];

/**
 * The `code` of a {@link WomClientError}: the server's own code when its error body has one,
 * otherwise one of the client's codes. Any other string the server sends passes through.
 */
// `string & {}` keeps editor autocomplete for the known codes while accepting any string.
export type WomErrorCode = WomClientErrorCode | WomServerErrorCode | (string & {});

/** The HTTP method of a request, as sent. */
export type HttpMethod = 'GET' | 'POST';

const womClientErrorMarker = Symbol.for('@clanstats/wom-client.WomClientError');

/** Facts a {@link WomClientError} carries besides its code and message. */
export interface WomClientErrorDetails {
  /** The HTTP status of the last response; `undefined` when no response arrived. */
  status?: number | undefined;
  /** The request's method. */
  method: HttpMethod;
  /** The request's URL with its query string (never with credentials). */
  url: string;
  /** How long the server asked to wait before trying again, in milliseconds. */
  retryAfter?: number | undefined;
  /** The `data` field of the server's error body. */
  data?: unknown;
  /** The `subError` field of the server's error body (for example for `INVALID_USERNAME`). */
  subError?: unknown;
  /** The start of a response body that could not be parsed (at most 200 characters). */
  bodySnippet?: string | undefined;
  /** For a body of the wrong shape: the JSON path of the offending value. */
  field?: string | undefined;
  /** HTTP requests sent for this call, retries included (0 if none was sent). */
  attempts: number;
  /** Whether the failure is transient, so that trying again later may succeed. */
  isRetryable?: boolean;
  /** The underlying error (a fetch `TypeError`, a `SyntaxError`, the abort reason). */
  cause?: unknown;
}

/**
 * The one error class the Wise Old Man client throws (it never resolves `undefined` on an
 * error). Branch on `code`, never on the message; use {@link isWomClientError} rather than only
 * `instanceof` when several copies of this package may be loaded.
 *
 * @example
 * ```ts
 * try {
 *   await client.groups.getGroupDetails(139);
 * } catch (error) {
 *   if (isWomClientError(error) && error.code === 'GROUP_NOT_FOUND') return undefined;
 *   throw error;
 * }
 * ```
 */
export class WomClientError extends Error {
  override readonly name = 'WomClientError';
  /** The server's error code when its body has one, else one of {@link WOM_CLIENT_ERROR_CODES}. */
  readonly code: WomErrorCode;
  /** The HTTP status of the last response; `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** The request's method. */
  readonly method: HttpMethod;
  /** The request's URL with its query string. It never contains the API key (sent as a header). */
  readonly url: string;
  /** How long the server asked to wait before trying again, in **milliseconds**, if it said. */
  readonly retryAfter: number | undefined;
  /** The `data` field of the server's error body, if any. */
  readonly data: unknown;
  /** The `subError` field of the server's error body, if any. */
  readonly subError: unknown;
  /** The start of a response body that was not valid JSON (at most 200 characters). */
  readonly bodySnippet: string | undefined;
  /**
   * For an `INVALID_RESPONSE` whose JSON has the wrong shape: the JSON path of the offending value
   * from the body's root, such as `memberships[12].player.id` or
   * `[3].data.skills.attack.experience` (`''` for the root itself). `undefined` otherwise.
   */
  readonly field: string | undefined;
  /** HTTP requests sent for this call, retries included (0 if the call failed before sending). */
  readonly attempts: number;
  /**
   * Whether the failure is transient (rate limits, 502/503/504, network errors, timeouts), so
   * that trying again later may succeed. The client has already retried what its policy allows.
   */
  readonly isRetryable: boolean;
  readonly [womClientErrorMarker] = true;

  constructor(code: WomErrorCode, message: string, details: WomClientErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.retryAfter = details.retryAfter;
    this.data = details.data;
    this.subError = details.subError;
    this.bodySnippet = details.bodySnippet;
    this.field = details.field;
    this.attempts = details.attempts;
    this.isRetryable = details.isRetryable ?? false;
  }
}

/**
 * True for a {@link WomClientError}, also across copies of this package (it checks a global
 * `Symbol.for` marker, not only the prototype chain).
 */
export function isWomClientError(value: unknown): value is WomClientError {
  return typeof value === 'object' && value !== null && womClientErrorMarker in value;
}
