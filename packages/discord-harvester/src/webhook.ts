/**
 * Posting a message through a Discord webhook URL (Execute Webhook), over discord.js `REST`.
 * The token lives in the URL's path, so every error, field and `cause` is scrubbed of it.
 */
import {
  DefaultRestOptions,
  DiscordAPIError,
  HTTPError,
  REST,
  RateLimitError,
  Routes,
  type RateLimitData,
  type ResponseLike,
} from 'discord.js';
import { DiscordHarvesterError } from './errors.js';
import type { DiscordHarvesterErrorCode, DiscordHarvesterErrorDetails } from './errors.js';

/** What a webhook failure carries besides the URL and route. */
type FailDetails = Omit<DiscordHarvesterErrorDetails, 'url' | 'route' | 'channelId'>;

/** A message to post through a webhook. At least `content` or one embed is required. */
export interface WebhookMessage {
  /** The text, up to 2000 characters. */
  content?: string;
  /** Overrides the webhook's name for this message (1–80 characters, not containing "discord"). */
  username?: string;
  /** Overrides the webhook's avatar for this message (an http(s) image URL). */
  avatarUrl?: string;
  /** Up to 10 rich embeds, with at most 6000 characters of text in all. */
  embeds?: WebhookEmbed[];
  /**
   * Sends `allowed_mentions: { parse: [] }`, so that `@everyone`, `@here`, user and role mentions
   * in the text (a player named "@everyone") never ping anyone. `false` lets Discord's defaults
   * apply.
   * @defaultValue `true`
   */
  suppressMentions?: boolean;
}

/** A rich embed (Discord's limits in brackets). */
export interface WebhookEmbed {
  /** [256 characters] */
  title?: string;
  /** [4096 characters] */
  description?: string;
  /** Makes the title a link (http or https). */
  url?: string;
  /** The colour of the left border, `0x000000`–`0xFFFFFF`. */
  color?: number;
  /** An ISO 8601 date shown in the footer, such as `new Date().toISOString()`. */
  timestamp?: string;
  /** [25 fields; name 1–256, value 1–1024 characters] */
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  /** [2048 characters] */
  footer?: { text: string };
}

/** Options of {@link postWebhookMessage}. */
export interface PostWebhookOptions {
  /** Aborts the post (the promise rejects with `ABORTED`; nothing is sent after the abort). */
  signal?: AbortSignal;
  /**
   * The time limit of each attempt, in milliseconds.
   * @defaultValue `15_000`
   */
  timeoutMs?: number;
  /**
   * Retries after a 5xx response, a timeout or a network failure (with 0.25 s, 0.5 s, 1 s… between
   * attempts). 429s are waited out separately and do not count.
   * @defaultValue `3`
   */
  retries?: number;
  /** Appended to the User-Agent, such as `'clanstats-cli/1.2.0'`. */
  userAgentSuffix?: string;
  /**
   * Called before each wait for a rate limit (a 429's `Retry-After`, or a bucket known to be
   * empty). Errors it throws are ignored.
   */
  onRateLimit?: (info: { retryAfterMs: number; global: boolean }) => void;
}

/** The message Discord created. */
export interface PostedWebhookMessage {
  id: string;
  /** The channel (or thread) it was posted in. */
  channelId: string;
}

/** The defaults of {@link PostWebhookOptions}. */
export const DefaultPostWebhookOptions = {
  timeoutMs: 15_000,
  retries: 3,
} as const satisfies Required<Pick<PostWebhookOptions, 'timeoutMs' | 'retries'>>;

/** 429s tolerated in one post before it fails with `RATE_LIMITED`. */
const MAX_RATE_LIMIT_HITS = 5;
/** The longest rate-limit wait accepted, in milliseconds; a longer one fails with `RATE_LIMITED`. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;
const ROUTE = 'POST /webhooks/:id/:token';

const DISCORD_HOSTS = new Set([
  'discord.com',
  'discordapp.com',
  'ptb.discord.com',
  'canary.discord.com',
  'ptb.discordapp.com',
  'canary.discordapp.com',
]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WEBHOOK_PATH = /^\/api(?:\/v\d{1,2})?\/webhooks\/(\d{17,20})\/([\w-]{1,200})\/?$/;

function invalidUrl(reason: string): DiscordHarvesterError {
  return new DiscordHarvesterError(
    'INVALID_WEBHOOK_URL',
    `Invalid webhook URL: ${reason} (expected https://discord.com/api/webhooks/<id>/<token>)`,
    { field: 'url' },
  );
}

/**
 * Splits a webhook URL into its id, token and API base. Accepts `https://discord.com/api/webhooks/<id>/<token>`
 * (also `discordapp.com`, `ptb.` and `canary.`, and versioned paths such as `/api/v10/webhooks/…`),
 * and `http(s)://127.0.0.1:PORT/api/webhooks/…` (loopback only over plain http, for test servers).
 * A query string or fragment is ignored. Throws `INVALID_WEBHOOK_URL` (never showing the token).
 *
 * @example
 * ```ts
 * parseWebhookUrl('https://discord.com/api/webhooks/123456789012345678/AbC-token');
 * // { id: '123456789012345678', token: 'AbC-token', apiBase: 'https://discord.com/api' }
 * ```
 */
export function parseWebhookUrl(url: string): { id: string; token: string; apiBase: string } {
  if (typeof url !== 'string' || url.trim() === '') throw invalidUrl('empty');
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalidUrl('not a URL');
  }
  const loopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw invalidUrl('only https is allowed (http only for 127.0.0.1 and localhost)');
  if (!loopback && (!DISCORD_HOSTS.has(parsed.hostname) || parsed.port !== ''))
    throw invalidUrl(`${parsed.hostname} is not a Discord host`);
  if (parsed.username !== '' || parsed.password !== '')
    throw invalidUrl('credentials are not allowed in the URL');
  const found = WEBHOOK_PATH.exec(parsed.pathname);
  if (found === null) throw invalidUrl('the path is not /api/webhooks/<id>/<token>');
  const [, id = '', token = ''] = found;
  return { id, token, apiBase: `${parsed.protocol}//${parsed.host}/api` };
}

/** Length in code points, as Discord counts. */
function lengthOf(text: string): number {
  let length = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- counting code points
  for (const _ of text) length++;
  return length;
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Checks a message against Discord's limits without sending anything: content ≤ 2000, username
 * 1–80 (no "discord" or "clyde", not "everyone" or "here"), ≤ 10 embeds, title ≤ 256,
 * description ≤ 4096, ≤ 25 fields (name 1–256, value 1–1024), footer ≤ 2048, ≤ 6000 characters
 * of embed text in all, colour and timestamp valid, and not empty. Lengths count Unicode code
 * points. Throws `INVALID_REQUEST` whose `field` names every field at fault (comma-separated,
 * such as `embeds[0].title`) and whose message says what is wrong with each.
 */
export function checkWebhookMessage(message: WebhookMessage): void {
  const problems: Array<{ field: string; text: string }> = [];
  const add = (field: string, text: string): void => {
    problems.push({ field, text });
  };
  const text = (field: string, value: unknown, max: number, required = false): number => {
    if (value === undefined) {
      if (required) add(field, 'is required');
      return 0;
    }
    if (typeof value !== 'string') {
      add(field, 'must be a string');
      return 0;
    }
    const length = lengthOf(value);
    if (required && length === 0) add(field, 'must not be empty');
    else if (length > max) add(field, `is ${length} characters long; Discord allows ${max}`);
    return length;
  };
  if (typeof message !== 'object' || (message as unknown) === null) {
    throw new DiscordHarvesterError('INVALID_REQUEST', 'Invalid webhook message: not an object', {
      field: 'message',
    });
  }
  text('content', message.content, 2000);
  if (message.username !== undefined) {
    text('username', message.username, 80, true);
    const lower = typeof message.username === 'string' ? message.username.toLowerCase() : '';
    for (const word of ['discord', 'clyde'])
      if (lower.includes(word)) add('username', `must not contain "${word}"`);
    if (lower === 'everyone' || lower === 'here') add('username', `must not be "${lower}"`);
  }
  if (message.avatarUrl !== undefined) {
    text('avatarUrl', message.avatarUrl, 2048);
    if (typeof message.avatarUrl === 'string' && !isHttpUrl(message.avatarUrl))
      add('avatarUrl', 'must be an http(s) URL');
  }
  if (message.suppressMentions !== undefined && typeof message.suppressMentions !== 'boolean')
    add('suppressMentions', 'must be a boolean');
  const embeds: unknown = message.embeds;
  let embedCount = 0;
  if (embeds !== undefined) {
    if (!Array.isArray(embeds)) add('embeds', 'must be an array');
    else {
      embedCount = embeds.length;
      if (embeds.length > 10) add('embeds', `has ${embeds.length} embeds; Discord allows 10`);
      let total = 0;
      embeds.forEach((value: unknown, index) => {
        const at = `embeds[${index}]`;
        if (typeof value !== 'object' || value === null) {
          add(at, 'must be an object');
          return;
        }
        const embed = value as WebhookEmbed;
        total += text(`${at}.title`, embed.title, 256);
        total += text(`${at}.description`, embed.description, 4096);
        if (embed.url !== undefined && (typeof embed.url !== 'string' || !isHttpUrl(embed.url)))
          add(`${at}.url`, 'must be an http(s) URL');
        if (
          embed.color !== undefined &&
          !(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff)
        )
          add(`${at}.color`, 'must be an integer from 0 to 0xFFFFFF');
        if (
          embed.timestamp !== undefined &&
          (typeof embed.timestamp !== 'string' || !Number.isFinite(Date.parse(embed.timestamp)))
        )
          add(`${at}.timestamp`, 'must be an ISO 8601 date');
        const fields: unknown = embed.fields;
        if (fields !== undefined) {
          if (!Array.isArray(fields)) add(`${at}.fields`, 'must be an array');
          else {
            if (fields.length > 25)
              add(`${at}.fields`, `has ${fields.length} fields; Discord allows 25`);
            fields.forEach((field: unknown, fieldIndex) => {
              const fieldAt = `${at}.fields[${fieldIndex}]`;
              if (typeof field !== 'object' || field === null) {
                add(fieldAt, 'must be an object');
                return;
              }
              const { name, value: fieldValue } = field as { name?: unknown; value?: unknown };
              total += text(`${fieldAt}.name`, name, 256, true);
              total += text(`${fieldAt}.value`, fieldValue, 1024, true);
            });
          }
        }
        if (embed.footer !== undefined)
          total += text(`${at}.footer.text`, embed.footer.text, 2048, true);
      });
      if (total > 6000)
        add('embeds', `holds ${total} characters of text in all; Discord allows 6000`);
    }
  }
  const content = typeof message.content === 'string' ? message.content : '';
  if (problems.length === 0 && content === '' && embedCount === 0)
    add('content', 'the message is empty: set content or at least one embed');
  if (problems.length === 0) return;
  const fields = [...new Set(problems.map((problem) => problem.field))];
  const listed = problems
    .slice(0, 5)
    .map((problem) => `${problem.field} ${problem.text}`)
    .join('; ');
  throw new DiscordHarvesterError(
    'INVALID_REQUEST',
    `Invalid webhook message: ${listed}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
    { field: fields.join(', ') },
  );
}

/** The Execute Webhook JSON body of a message. */
function toBody(message: WebhookMessage): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (message.content !== undefined && message.content !== '') body.content = message.content;
  if (message.username !== undefined) body.username = message.username;
  if (message.avatarUrl !== undefined) body.avatar_url = message.avatarUrl;
  if (message.embeds !== undefined && message.embeds.length > 0) {
    body.embeds = message.embeds.map((embed) => {
      const out: Record<string, unknown> = {};
      if (embed.title !== undefined) out.title = embed.title;
      if (embed.description !== undefined) out.description = embed.description;
      if (embed.url !== undefined) out.url = embed.url;
      if (embed.color !== undefined) out.color = embed.color;
      if (embed.timestamp !== undefined) out.timestamp = new Date(embed.timestamp).toISOString();
      if (embed.fields !== undefined) {
        out.fields = embed.fields.map((field) => ({
          name: field.name,
          value: field.value,
          inline: field.inline ?? false,
        }));
      }
      if (embed.footer !== undefined) out.footer = { text: embed.footer.text };
      return out;
    });
  }
  if (message.suppressMentions !== false) body.allowed_mentions = { parse: [] };
  return body;
}

/** Replaces the token in every string of an error, its fields and its `cause` chain, in place. */
function scrubToken(value: unknown, token: string, seen = new Set<object>(), depth = 0): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return;
  seen.add(value);
  for (const key of Object.getOwnPropertyNames(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) continue;
    const current: unknown = descriptor.value;
    if (typeof current === 'string') {
      if (!current.includes(token)) continue;
      const scrubbed = current.replaceAll(token, '***');
      if (descriptor.writable === true) (value as Record<string, unknown>)[key] = scrubbed;
      else if (descriptor.configurable === true)
        Object.defineProperty(value, key, { ...descriptor, value: scrubbed });
    } else {
      scrubToken(current, token, seen, depth + 1);
    }
  }
}

function retryAfterOf(response: ResponseLike): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** Thrown into discord.js when the caller aborted: nothing is sent after that. */
class PostStoppedError extends Error {
  override readonly name = 'PostStoppedError';
  constructor() {
    super('The webhook post was aborted');
  }
}

/** The field paths of a Discord 50035 `errors` tree, as `embeds[0].title`. */
function errorPaths(tree: unknown, path = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [];
  const paths: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors') {
      paths.push(path === '' ? 'body' : path);
      continue;
    }
    const name = key === 'avatar_url' ? 'avatarUrl' : key;
    const next = /^\d+$/.test(key) ? `${path}[${key}]` : path === '' ? name : `${path}.${name}`;
    paths.push(...errorPaths(value, next));
  }
  return paths;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new PostStoppedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new PostStoppedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Posts a message through a webhook URL (`POST /webhooks/<id>/<token>?wait=true`) and resolves to
 * the created message's id and channel. The message is checked first ({@link checkWebhookMessage});
 * mentions are suppressed unless `suppressMentions: false`. 429s are waited out (at most 5 per
 * post, each at most 60 s, otherwise `RATE_LIMITED`); 5xx responses, timeouts and network failures
 * are retried `retries` times. Every failure is a `DiscordHarvesterError` whose message, fields
 * and `cause` never contain the token (the URL shows as `https://discord.com/api/webhooks/<id>/***`).
 *
 * @example
 * ```ts
 * try {
 *   const posted = await postWebhookMessage(process.env.DISCORD_WEBHOOK_URL ?? '', {
 *     embeds: [{ title: 'Weekly summary', description: '12 new 99s', color: 0x3498db }],
 *   });
 * } catch (error) {
 *   if (isDiscordHarvesterError(error) && error.code === 'WEBHOOK_NOT_FOUND') forgetWebhook();
 *   else throw error;
 * }
 * ```
 */
export async function postWebhookMessage(
  url: string,
  message: WebhookMessage,
  options: PostWebhookOptions = {},
): Promise<PostedWebhookMessage> {
  const { id, token, apiBase } = parseWebhookUrl(url);
  const timeoutMs = options.timeoutMs ?? DefaultPostWebhookOptions.timeoutMs;
  const retries = options.retries ?? DefaultPostWebhookOptions.retries;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw new DiscordHarvesterError('INVALID_OPTIONS', 'timeoutMs must be > 0', {
      field: 'timeoutMs',
    });
  if (!(Number.isInteger(retries) && retries >= 0))
    throw new DiscordHarvesterError('INVALID_OPTIONS', 'retries must be an integer ≥ 0', {
      field: 'retries',
    });
  checkWebhookMessage(message);
  const redactedUrl = `${apiBase}/webhooks/${id}/***`;
  const where = { url: redactedUrl, route: ROUTE };
  const fail = (
    code: DiscordHarvesterErrorCode,
    text: string,
    details: FailDetails = {},
  ): DiscordHarvesterError => {
    scrubToken(details.cause, token);
    const error = new DiscordHarvesterError(
      code,
      `${text} (POST ${redactedUrl})`.replaceAll(token, '***'),
      {
        ...where,
        ...details,
      },
    );
    return error;
  };

  const callerSignal = options.signal;
  if (callerSignal?.aborted === true)
    throw fail('ABORTED', 'Webhook post aborted', { cause: callerSignal.reason });
  // One controller per call: discord.js never removes the listeners it adds to a signal.
  const controller = new AbortController();
  const onCallerAbort = (): void => {
    controller.abort(callerSignal?.reason);
  };
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  let hits = 0;
  let pending429: number | undefined;
  let skipNextWaitNotice = false;
  let rejected: { retryAfter: number } | undefined;
  const notify = (retryAfterMs: number, global: boolean): void => {
    try {
      options.onRateLimit?.({ retryAfterMs, global });
    } catch {
      // A listener's error is not the post's.
    }
  };
  const appendix = [`@clanstats/discord-harvester/${__PACKAGE_VERSION__}`, options.userAgentSuffix]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const rest = new REST({
    api: apiBase,
    version: '10',
    timeout: timeoutMs,
    // Retries are ours (5xx, timeouts and network failures alike, with a backoff).
    retries: 0,
    hashSweepInterval: 0,
    handlerSweepInterval: 0,
    userAgentAppendix: appendix,
    makeRequest: async (requestUrl, init) => {
      if (controller.signal.aborted) throw new PostStoppedError();
      const response = await DefaultRestOptions.makeRequest(requestUrl, init);
      if (response.status === 429) pending429 = retryAfterOf(response) ?? 0;
      return response;
    },
    rejectOnRateLimit: (data: RateLimitData): boolean => {
      if (controller.signal.aborted) return true;
      const real = pending429;
      pending429 = undefined;
      if (real !== undefined) hits++;
      else if (skipNextWaitNotice) {
        // discord.js waits for the bucket right after a 429 it already reported.
        skipNextWaitNotice = false;
        return false;
      }
      const waitMs = real ?? Math.max(0, Math.round(data.timeToReset));
      if (hits > MAX_RATE_LIMIT_HITS || waitMs > MAX_RATE_LIMIT_WAIT_MS) {
        rejected = { retryAfter: waitMs };
        return true;
      }
      skipNextWaitNotice = real !== undefined;
      notify(waitMs, data.global);
      return false;
    },
  });

  const body = toBody(message);
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener(
      'abort',
      () => {
        reject(new PostStoppedError());
      },
      { once: true },
    );
  });
  stopped.catch(() => undefined);
  try {
    for (let attempt = 0; ; attempt++) {
      let error: DiscordHarvesterError;
      try {
        const sent = rest.post(Routes.webhook(id, token), {
          body,
          query: new URLSearchParams({ wait: 'true' }),
          auth: false,
          signal: controller.signal,
        });
        sent.catch(() => undefined);
        const result: unknown = await Promise.race([sent, stopped]);
        return toPosted(result, fail);
      } catch (caught) {
        if (caught instanceof DiscordHarvesterError) throw caught;
        error = toWebhookError(caught, controller.signal, rejected, fail);
      }
      const retryable =
        error.code === 'SERVER_ERROR' || error.code === 'TIMEOUT' || error.code === 'NETWORK';
      if (!retryable || attempt >= retries) throw error;
      try {
        await sleep(250 * 2 ** attempt, controller.signal);
      } catch {
        throw fail('ABORTED', 'Webhook post aborted', { cause: callerSignal?.reason });
      }
    }
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

type Fail = (
  code: DiscordHarvesterErrorCode,
  text: string,
  details?: FailDetails,
) => DiscordHarvesterError;

function toPosted(result: unknown, fail: Fail): PostedWebhookMessage {
  if (typeof result !== 'object' || result === null || result instanceof ArrayBuffer)
    throw fail('INVALID_RESPONSE', 'Webhook post answered without the created message', {
      field: 'id',
    });
  const { id, channel_id: channelId } = result as { id?: unknown; channel_id?: unknown };
  if (typeof id !== 'string')
    throw fail('INVALID_RESPONSE', 'Webhook post: no message id', { field: 'id' });
  if (typeof channelId !== 'string')
    throw fail('INVALID_RESPONSE', 'Webhook post: no channel id', { field: 'channel_id' });
  return { id, channelId };
}

function toWebhookError(
  error: unknown,
  signal: AbortSignal,
  rejected: { retryAfter: number } | undefined,
  fail: Fail,
): DiscordHarvesterError {
  if (error instanceof RateLimitError && rejected !== undefined) {
    return fail(
      'RATE_LIMITED',
      `Webhook post rate limited (retry after ${rejected.retryAfter} ms)`,
      { status: 429, retryAfter: rejected.retryAfter, cause: error },
    );
  }
  if (signal.aborted) return fail('ABORTED', 'Webhook post aborted', { cause: signal.reason });
  if (error instanceof DiscordAPIError) {
    const discordCode = typeof error.code === 'number' ? error.code : undefined;
    const details = { status: error.status, discordCode, cause: error };
    const what = `HTTP ${error.status}${discordCode === undefined ? '' : ` code ${discordCode}`}`;
    if (error.status === 404 && discordCode === 10015)
      return fail('WEBHOOK_NOT_FOUND', `Unknown webhook: ${what}`, details);
    if (error.status === 401)
      return fail('WEBHOOK_UNAUTHORIZED', `Discord rejected the webhook token: ${what}`, details);
    if (error.status === 400) {
      const raw = error.rawError as { errors?: unknown };
      const paths = errorPaths(raw.errors);
      const field =
        paths.length > 0 ? paths.join(', ') : discordCode === 50006 ? 'content' : undefined;
      return fail(
        'INVALID_REQUEST',
        `Discord refused the message: ${what} ${error.message.split('\n').join('; ')}`,
        field === undefined ? details : { ...details, field },
      );
    }
    return fail('HTTP_ERROR', `Webhook post failed: ${what}`, details);
  }
  if (error instanceof HTTPError)
    return fail('SERVER_ERROR', `Discord server error: HTTP ${error.status}`, {
      status: error.status,
      cause: error,
    });
  if (error instanceof Error && error.name === 'AbortError')
    return fail('TIMEOUT', 'Webhook post timed out', { cause: error });
  if (error instanceof SyntaxError)
    return fail('INVALID_RESPONSE', 'Webhook post: invalid JSON in the answer', { cause: error });
  return fail('NETWORK', 'Webhook post: network error', { cause: error });
}
