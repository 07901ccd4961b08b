import type { REST } from 'discord.js';
import { DiscordHarvesterError } from './errors.js';
import type { HarvestEvent } from './events.js';
import type { RelayRule } from './relay.js';
import { isSnowflake } from './snowflake.js';

/** Options of {@link DiscordHarvester}. */
export interface DiscordHarvesterOptions {
  /**
   * The bot token (from the Developer Portal), without the `Bot ` prefix (a leading `Bot ` is
   * removed). It is sent only as the `Authorization` header and never appears in errors, events or
   * output. Ignored when `rest` is given.
   */
  token: string;
  /** The id of the guild (Discord server) to harvest. */
  guildId: string;
  /**
   * The API base URL without the version (the version is always 10). Ignored when `rest` is given.
   * @defaultValue `'https://discord.com/api'`
   */
  api?: string | undefined;
  /**
   * A configured discord.js `REST` instance to send requests through, instead of one the
   * harvester creates (then `token`, `api`, `timeoutMs` and `retries` are ignored). The harvester
   * wraps its `makeRequest` and `rejectOnRateLimit` options once; the wrappers only act on the
   * harvester's own requests.
   * @defaultValue none
   */
  rest?: REST | undefined;
  /**
   * Channels and threads harvested at the same time.
   * @defaultValue `8`
   */
  concurrency?: number | undefined;
  /**
   * HTTP 429 responses tolerated in a row on one route (a route and its channel or guild) before the
   * harvest fails with `RATE_LIMITED`; four times as many in a row across the run (no successful
   * response anywhere in between) also fail it. discord.js otherwise retries 429s forever.
   * @defaultValue `10`
   */
  maxRateLimitHits?: number | undefined;
  /**
   * The time limit of each request attempt, in milliseconds.
   * @defaultValue `15_000`
   */
  timeoutMs?: number | undefined;
  /**
   * Retries after a 5xx response, a timeout or a reset connection (per request).
   * @defaultValue `3`
   */
  retries?: number | undefined;
  /**
   * Put message text in the output (`content` of messages and relay lines). Off by default for
   * privacy: text is still read, to flag questions and parse relay lines, but not returned.
   * @defaultValue `false`
   */
  includeContent?: boolean | undefined;
  /**
   * Clan-chat relays to parse into relay lines.
   * @defaultValue `[]`
   * @example `[{ channelId: '1234567890123456789', authorName: /clan ?chat/i }]`
   */
  relay?: readonly RelayRule[] | undefined;
  /**
   * Receives typed events (requests, 429s, skipped channels…). The harvester never prints; route
   * them to your logger. Errors thrown by the listener are ignored.
   * @defaultValue none
   */
  onEvent?: ((event: HarvestEvent) => void) | undefined;
}

/** `T` with every property required and never `undefined` (options after defaults). */
type Defined<Type> = { [Key in keyof Type]-?: Exclude<Type[Key], undefined> };

/** The defaults of the optional {@link DiscordHarvesterOptions}. */
export const DefaultDiscordHarvesterOptions = {
  api: 'https://discord.com/api',
  concurrency: 8,
  maxRateLimitHits: 10,
  timeoutMs: 15_000,
  retries: 3,
  includeContent: false,
  relay: [],
} as const satisfies Defined<
  Pick<
    DiscordHarvesterOptions,
    | 'api'
    | 'concurrency'
    | 'maxRateLimitHits'
    | 'timeoutMs'
    | 'retries'
    | 'includeContent'
    | 'relay'
  >
>;

/** Options after defaults and validation. */
export interface ResolvedOptions {
  token: string;
  guildId: string;
  api: string;
  rest: REST | undefined;
  concurrency: number;
  maxRateLimitHits: number;
  timeoutMs: number;
  retries: number;
  includeContent: boolean;
  relay: readonly RelayRule[];
  onEvent: ((event: HarvestEvent) => void) | undefined;
}

/** A real Discord id: 17–20 digits (shorter ids exist only in examples and break bucketing). */
export function isDiscordId(value: unknown): value is string {
  return isSnowflake(value) && value.length >= 17;
}

function invalid(field: string, message: string): DiscordHarvesterError {
  return new DiscordHarvesterError(
    'INVALID_OPTIONS',
    `DiscordHarvester: option ${field} ${message}`,
    {
      field,
    },
  );
}

function checkInteger(field: string, value: number, minimum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum)
    throw invalid(field, `must be an integer >= ${minimum}, got ${String(value)}`);
  return value;
}

/** Applies defaults and checks values; throws `INVALID_OPTIONS` naming the option. */
export function resolveOptions(options: DiscordHarvesterOptions): ResolvedOptions {
  // Checked at runtime for JavaScript callers.
  if (typeof (options as unknown) !== 'object' || (options as unknown) === null)
    throw invalid('options', 'must be an object');
  const rest = options.rest;
  let token = '';
  if (rest === undefined) {
    // Never echo the value: it may be a token.
    if (typeof options.token !== 'string' || options.token.trim() === '')
      throw invalid('token', 'must be a non-empty string (or pass a configured `rest`)');
    token = options.token.trim().replace(/^Bot\s+/i, '');
    if (token === '' || /\s/.test(token))
      throw invalid('token', 'must be a bot token without spaces');
  } else if (typeof rest !== 'object' || typeof (rest as { get?: unknown }).get !== 'function') {
    throw invalid('rest', 'must be a discord.js REST instance');
  }
  if (!isDiscordId(options.guildId))
    throw invalid('guildId', 'must be a snowflake string (17–20 digits)');
  const api = options.api ?? DefaultDiscordHarvesterOptions.api;
  if (typeof api !== 'string' || !/^https?:\/\/[^\s]+$/.test(api))
    throw invalid('api', 'must be an http(s) URL');
  const relay = options.relay ?? DefaultDiscordHarvesterOptions.relay;
  if (!Array.isArray(relay)) throw invalid('relay', 'must be an array of relay rules');
  relay.forEach((rule: RelayRule, index) => {
    if (typeof rule !== 'object' || !isDiscordId(rule.channelId))
      throw invalid(`relay[${index}].channelId`, 'must be a snowflake string');
    if (
      rule.authorIds !== undefined &&
      (!Array.isArray(rule.authorIds) || !rule.authorIds.every(isDiscordId))
    )
      throw invalid(`relay[${index}].authorIds`, 'must be an array of snowflake strings');
    if (
      rule.authorName !== undefined &&
      typeof rule.authorName !== 'string' &&
      !(rule.authorName instanceof RegExp)
    )
      throw invalid(`relay[${index}].authorName`, 'must be a string or a RegExp');
    if (rule.linePattern !== undefined && !(rule.linePattern instanceof RegExp))
      throw invalid(`relay[${index}].linePattern`, 'must be a RegExp');
  });
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function')
    throw invalid('onEvent', 'must be a function');
  return {
    token,
    guildId: options.guildId,
    api: api.replace(/\/+$/, ''),
    rest,
    concurrency: checkInteger(
      'concurrency',
      options.concurrency ?? DefaultDiscordHarvesterOptions.concurrency,
      1,
    ),
    maxRateLimitHits: checkInteger(
      'maxRateLimitHits',
      options.maxRateLimitHits ?? DefaultDiscordHarvesterOptions.maxRateLimitHits,
      1,
    ),
    timeoutMs: checkInteger(
      'timeoutMs',
      options.timeoutMs ?? DefaultDiscordHarvesterOptions.timeoutMs,
      1,
    ),
    retries: checkInteger('retries', options.retries ?? DefaultDiscordHarvesterOptions.retries, 0),
    includeContent: options.includeContent ?? DefaultDiscordHarvesterOptions.includeContent,
    relay,
    onEvent: options.onEvent,
  };
}
