/**
 * Every `code` a {@link DiscordHarvesterError} can have.
 *
 * - `UNAUTHORIZED`: Discord rejected the bot token (HTTP 401). Fatal.
 * - `FORBIDDEN`: HTTP 403 on a guild-level request (the bot is not in the guild, or lacks a
 *   permission the request needs). A 403 on one channel is never an error: the channel is
 *   reported as skipped.
 * - `GUILD_NOT_FOUND`: the guild does not exist or the bot cannot see it (404, code 10004).
 * - `RATE_LIMITED`: Discord kept answering HTTP 429 on a route (`maxRateLimitHits` in a row on one
 *   route, or four times that across the run without a successful response in between).
 * - `TIMEOUT`: a request took longer than `timeoutMs` on every attempt.
 * - `NETWORK`: no usable response after the retries (connection refused or reset, DNS failure).
 * - `SERVER_ERROR`: Discord answered 5xx on every attempt.
 * - `INVALID_RESPONSE`: a response that is not the JSON shape expected (`field` names the field).
 * - `HTTP_ERROR`: any other 4xx status (for example a 400 on a malformed request, or a 404 on an
 *   unknown route).
 * - `ABORTED`: the caller's `signal` aborted the harvest or the call.
 * - `INVALID_OPTIONS`: an option is missing or out of range (`field` names it); thrown by the
 *   constructor or a method before anything is sent.
 * - `INVALID_WEBHOOK_URL`: `postWebhookMessage` or `parseWebhookUrl` got something that is not a
 *   Discord webhook URL (`https://discord.com/api/webhooks/<id>/<token>`). Nothing was sent.
 * - `WEBHOOK_NOT_FOUND`: the webhook does not exist (deleted): HTTP 404, code 10015.
 * - `WEBHOOK_UNAUTHORIZED`: the webhook exists but the token in the URL is wrong (HTTP 401,
 *   code 50027).
 * - `INVALID_REQUEST`: the message breaks Discord's limits, found by `checkWebhookMessage` before
 *   sending (no `status`) or by Discord (HTTP 400: 50035 with field errors, 50006 empty message).
 *   `field` names the field(s), such as `embeds[0].title`.
 */
export const DISCORD_HARVESTER_ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'GUILD_NOT_FOUND',
  'RATE_LIMITED',
  'TIMEOUT',
  'NETWORK',
  'SERVER_ERROR',
  'INVALID_RESPONSE',
  'HTTP_ERROR',
  'ABORTED',
  'INVALID_OPTIONS',
  'INVALID_WEBHOOK_URL',
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_UNAUTHORIZED',
  'INVALID_REQUEST',
] as const;

/** One of {@link DISCORD_HARVESTER_ERROR_CODES}. */
export type DiscordHarvesterErrorCode = (typeof DISCORD_HARVESTER_ERROR_CODES)[number];

const discordHarvesterErrorMarker = Symbol.for(
  '@clanstats/discord-harvester.DiscordHarvesterError',
);

/** Facts a {@link DiscordHarvesterError} carries besides its code and message. */
export interface DiscordHarvesterErrorDetails {
  /** The HTTP status of the last response; `undefined` when no response arrived. */
  status?: number | undefined;
  /** The JSON error code in Discord's error body (`10004` Unknown Guild, `50001` Missing Access…). */
  discordCode?: number | undefined;
  /**
   * The request path with its query string (`/channels/…/messages?limit=100`), or for a webhook
   * post the redacted URL (`https://discord.com/api/webhooks/<id>/***`); never a token.
   */
  url?: string | undefined;
  /** The request's route, its ids replaced (`GET /channels/:id/messages`). */
  route?: string | undefined;
  /** How long Discord asked to wait before trying again, in milliseconds. */
  retryAfter?: number | undefined;
  /** The channel or thread being harvested when the error happened. */
  channelId?: string | undefined;
  /**
   * The option (`INVALID_OPTIONS`), response field (`INVALID_RESPONSE`) or message field(s)
   * (`INVALID_REQUEST`, comma-separated) at fault.
   */
  field?: string | undefined;
  /** The underlying error (a discord.js `DiscordAPIError`, `HTTPError`, `RateLimitError`…). */
  cause?: unknown;
}

/**
 * The one error class the harvester throws. Branch on `code`, never on the message; use
 * {@link isDiscordHarvesterError} rather than only `instanceof` when several copies of this
 * package may be loaded. No message, field or `cause` ever contains the bot token.
 *
 * @example
 * ```ts
 * try {
 *   for await (const item of harvester.harvest()) save(item);
 * } catch (error) {
 *   if (isDiscordHarvesterError(error) && error.code === 'UNAUTHORIZED') console.error('Bad token');
 *   else throw error;
 * }
 * ```
 */
export class DiscordHarvesterError extends Error {
  override readonly name = 'DiscordHarvesterError';
  /** What went wrong; one of {@link DISCORD_HARVESTER_ERROR_CODES}. */
  readonly code: DiscordHarvesterErrorCode;
  /** The HTTP status of the last response; `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** The JSON error code of Discord's error body, if any (`10004`, `50001`…). */
  readonly discordCode: number | undefined;
  /**
   * The request path with its query string, or a webhook post's redacted URL
   * (`https://discord.com/api/webhooks/<id>/***`). Never contains a token.
   */
  readonly url: string | undefined;
  /** The request's route with ids replaced, such as `GET /channels/:id/messages`. */
  readonly route: string | undefined;
  /** How long Discord asked to wait, in **milliseconds** (`RATE_LIMITED`). */
  readonly retryAfter: number | undefined;
  /** The channel or thread being harvested, when the error concerns one. */
  readonly channelId: string | undefined;
  /**
   * The option, response field or message field(s) at fault (`INVALID_OPTIONS`,
   * `INVALID_RESPONSE`, `INVALID_REQUEST`; several are comma-separated).
   */
  readonly field: string | undefined;
  readonly [discordHarvesterErrorMarker] = true;

  constructor(
    code: DiscordHarvesterErrorCode,
    message: string,
    details: DiscordHarvesterErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.discordCode = details.discordCode;
    this.url = details.url;
    this.route = details.route;
    this.retryAfter = details.retryAfter;
    this.channelId = details.channelId;
    this.field = details.field;
  }

  /** A plain-JSON view (code, message and the defined fields), for logs and process boundaries. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    for (const key of [
      'status',
      'discordCode',
      'url',
      'route',
      'retryAfter',
      'channelId',
      'field',
    ] as const) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    return json;
  }
}

/**
 * True for a {@link DiscordHarvesterError}, also across copies of this package (it checks a
 * global `Symbol.for` marker, not only the prototype chain).
 */
export function isDiscordHarvesterError(value: unknown): value is DiscordHarvesterError {
  return typeof value === 'object' && value !== null && discordHarvesterErrorMarker in value;
}
