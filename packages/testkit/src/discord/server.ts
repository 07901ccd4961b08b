import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSyntheticClan } from '../clan/generate.js';
import type { SyntheticClan } from '../clan/model.js';
import { TestkitError } from '../errors.js';
import { FaultQueue, proxyErrorPage } from '../http/faults.js';
import type { FaultKind, FaultSpec, InjectedFault } from '../http/faults.js';
import type { RequestCounters } from '../http/server.js';
import {
  RouteTable,
  applyFault,
  countRequest,
  createStats,
  listenLocal,
  readRequestTarget,
  recordingSend,
  truncateBody,
  writeResponse,
} from '../http/server.js';
import { createSyntheticDiscord } from './generate.js';
import type { SyntheticDiscord, SyntheticDiscordMessage } from './model.js';
import {
  DefaultFakeDiscordRateLimitOptions,
  DiscordRateLimiter,
  bucketHash,
  bucketHeaders,
  rateLimitedResponse,
} from './rate-limit.js';
import type { FakeDiscordRateLimitOptions } from './rate-limit.js';
import { DISCORD_ROUTES, DiscordHttpError } from './routes.js';
import type { DiscordRoute, DiscordRouteContext } from './routes.js';
import { stateOf } from './state.js';
import type { DiscordState } from './state.js';
import { appendMessages } from './view.js';
import { advanceDurationMs } from '../clan/progress.js';
import type { AdvanceDuration } from '../clan/progress.js';
import { advanceDiscordState } from './advance.js';
import type { DiscordAdvanceResult } from './advance.js';
import { WebhookHub, matchWebhookPath, webhookBucketKey } from './webhooks.js';
import type {
  FakeDiscordWebhook,
  FakeDiscordWebhookOptions,
  FakeDiscordWebhookPost,
} from './webhooks.js';

/** The privileged intents the fake app has enabled in its (imaginary) Developer Portal. */
export interface FakeDiscordIntents {
  /**
   * Message Content: off ⇒ `content: ''`, `embeds`, `attachments`, `components` empty.
   * @defaultValue `true`
   */
  messageContent?: boolean;
  /**
   * Server Members: off ⇒ `GET /guilds/:id/members` answers 403 50001.
   * @defaultValue `true`
   */
  guildMembers?: boolean;
}

/** Options of {@link startFakeDiscordServer}. */
export interface FakeDiscordServerOptions {
  /**
   * The clan whose Discord guild is served.
   * @defaultValue `createSyntheticClan()`
   */
  clan?: SyntheticClan;
  /**
   * The guild (ground truth); mutated by `postMessages`.
   * @defaultValue `createSyntheticDiscord(clan)`
   */
  discord?: SyntheticDiscord;
  /**
   * Valid bot tokens (`Authorization: Bot <token>`). Anything else gets 401
   * `{ message: '401: Unauthorized', code: 0 }`.
   * @defaultValue `['fake-discord-token']`
   */
  tokens?: readonly string[];
  /** @defaultValue both `true` */
  intents?: FakeDiscordIntents;
  /**
   * The bot's extra guild permissions. `manageThreads` adds MANAGE_THREADS to the bot's role: it
   * may list every archived private thread and read private threads it has not joined.
   * @defaultValue `{ manageThreads: false }`
   */
  botPermissions?: { manageThreads?: boolean };
  /**
   * Rate limits (real time), or `false` for none (then no `X-RateLimit-*` headers except on
   * injected 429s).
   * @defaultValue `{ global: { limit: 50, windowMs: 1000 }, messages: { limit: 5, windowMs: 1000 }, default: { limit: 10, windowMs: 1000 } }`
   */
  rateLimit?: false | FakeDiscordRateLimitOptions;
  /**
   * The server clock (for `postMessages`).
   * @defaultValue a clock that starts at the clan's `now` and advances in real time
   */
  now?: () => Date;
  /**
   * The webhooks served at `POST /api/webhooks/:id/:token` (also under `/api/v10`, `/api/v9`).
   * `[]` for none.
   * @defaultValue one webhook named `'ClanStats'` in `#announcements`, with a deterministic id and token
   */
  webhooks?: readonly FakeDiscordWebhookOptions[];
}

/** One logged request. The token is never stored. */
export interface FakeDiscordRequest {
  readonly method: string;
  /**
   * The raw path and query, e.g. `/api/v10/channels/1234/messages?limit=100`. A webhook's token is
   * replaced by `***` (`/api/webhooks/1234/***?wait=true`).
   */
  readonly url: string;
  /** The raw path without the query (a webhook's token replaced by `***`). */
  readonly path: string;
  /** The matched route, e.g. `GET /channels/:id/messages`; null when none matched. */
  readonly route: string | null;
  readonly query: URLSearchParams;
  /** The major parameter (channel or guild id) of the route, or null. */
  readonly majorParameter: string | null;
  /** Request headers, names lowercased, **without** `authorization`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the request carried a valid `Authorization: Bot <token>`. */
  readonly authorized: boolean;
  /** The status sent; null when the socket was reset or the client went away first. */
  status: number | null;
  /** The fault that hit the request, if any. */
  readonly fault: FaultKind | null;
  /** The server clock when the request arrived. */
  readonly at: Date;
}

/** Counters, with a `reset()`. */
export interface FakeDiscordStats extends RequestCounters {
  /** 429s sent: route buckets, global, and injected storms. */
  rateLimited: number;
  /** Global 429s (`X-RateLimit-Global: true`). */
  globalRateLimited: number;
  /** Requests per matched route, e.g. `GET /channels/:id/messages`. */
  byRoute: Record<string, number>;
  /** Zeroes every counter and empties `server.requests`. */
  reset(): void;
}

/** A running fake Discord API. */
export interface FakeDiscordServer {
  /** `http://127.0.0.1:PORT/api`: pass as discord.js `REST` `api` (version 10). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  /** The clan behind the guild. */
  readonly clan: SyntheticClan;
  /** Ground truth, mutated by `postMessages`. */
  readonly discord: SyntheticDiscord;
  /** Every request, oldest first (a live array). */
  readonly requests: readonly FakeDiscordRequest[];
  readonly stats: FakeDiscordStats;
  /** The webhooks served, with the URL a user would paste (`${origin}/api/webhooks/<id>/<token>`). */
  readonly webhooks: readonly FakeDiscordWebhook[];
  /** Every accepted webhook execution, oldest first (a live array). */
  readonly webhookPosts: readonly FakeDiscordWebhookPost[];
  /** Injects a fault: the same kinds as the WOM fake (`'rate-limit-storm'` sends full 429 headers). */
  injectFault(fault: FaultSpec): InjectedFault;
  /** Removes every injected fault. */
  clearFaults(): void;
  /**
   * Appends `count` new messages to a channel or thread (ids after everything existing, times at
   * the server clock or later) and returns them. Posting into an archived thread unarchives it.
   */
  postMessages(
    channelId: string,
    count: number,
    options?: { authorId?: string; content?: string },
  ): SyntheticDiscordMessage[];
  /**
   * Simulates time passing: adds the messages of `duration` after the previous advance (or
   * `clan.now`): chat in `#general` and `#pvm` by people still in the guild, and the relay bot's
   * clan chat of members who played (see the README). With the default clock the clock moves
   * forward by `duration`; with an injected `now` the caller moves it. Throws `INVALID_OPTIONS`
   * for an invalid duration.
   *
   * @example `server.advance({ days: 1 })`
   */
  advance(duration: AdvanceDuration): DiscordAdvanceResult;
  /** Changes the enabled intents (unset fields keep their value). */
  setIntents(intents: FakeDiscordIntents): void;
  /** Changes the bot's extra permissions. */
  setBotPermissions(permissions: { manageThreads?: boolean }): void;
  /** Forgets every rate-limit window. */
  resetRateLimits(): void;
  /** The server clock. */
  now(): Date;
  /** Stops listening and destroys open connections; the port is free when it resolves. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json';
const API_PREFIX = '/api/v10';
const UNAUTHORIZED = JSON.stringify({ message: '401: Unauthorized', code: 0 });

function checkLimit(name: string, value: { limit: number; windowMs: number }): void {
  if (!(Number.isInteger(value.limit) && value.limit > 0 && value.windowMs > 0)) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      `startFakeDiscordServer: rateLimit.${name} needs an integer limit > 0 and windowMs > 0`,
      { option: 'rateLimit' },
    );
  }
}

function defaultBody(status: number): { body: string; type: string } {
  if (status === 502 || status === 504)
    return { body: proxyErrorPage(status, 'discord.com'), type: 'text/html; charset=UTF-8' };
  const messages: Record<number, string> = {
    400: '400: Bad Request',
    401: '401: Unauthorized',
    403: '403: Forbidden',
    404: '404: Not Found',
    429: 'You are being rate limited.',
    500: '500: Internal Server Error',
    503: '503: Service Unavailable',
  };
  return {
    body: JSON.stringify({ message: messages[status] ?? `${status}: Error`, code: 0 }),
    type: JSON_TYPE,
  };
}

/** The route's major parameter key for buckets: the channel or guild id, or `'global'`. */
function majorOf(route: DiscordRoute | null, params: Record<string, string>): string {
  if (route === null) return 'global';
  return route.pattern.startsWith('/channels/') || route.pattern.startsWith('/guilds/')
    ? (params.id ?? 'global')
    : 'global';
}

/**
 * Starts a faithful fake of the Discord REST API (v10) on `127.0.0.1` and a random free port,
 * serving a synthetic clan's guild. Point discord.js at it with
 * `new REST({ api: server.url, version: '10' }).setToken('fake-discord-token')`.
 *
 * @example
 * ```ts
 * const server = await startFakeDiscordServer({ intents: { messageContent: false } });
 * const rest = new REST({ api: server.url }).setToken('fake-discord-token');
 * const channels = await rest.get(Routes.guildChannels(server.discord.guild.id));
 * await server.close();
 * ```
 */
export async function startFakeDiscordServer(
  options: FakeDiscordServerOptions = {},
): Promise<FakeDiscordServer> {
  const clan = options.clan ?? createSyntheticClan();
  const discord = options.discord ?? createSyntheticDiscord(clan);
  const found = stateOf(discord);
  if (found === undefined) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      'startFakeDiscordServer: discord must come from createSyntheticDiscord()',
      { option: 'discord' },
    );
  }
  const state: DiscordState = found;
  const tokens = new Set(options.tokens ?? ['fake-discord-token']);
  const intents = {
    messageContent: options.intents?.messageContent ?? true,
    guildMembers: options.intents?.guildMembers ?? true,
  };
  let manageThreads = options.botPermissions?.manageThreads ?? false;
  const rateLimit =
    options.rateLimit === false
      ? null
      : {
          global: options.rateLimit?.global ?? DefaultFakeDiscordRateLimitOptions.global,
          messages: options.rateLimit?.messages ?? DefaultFakeDiscordRateLimitOptions.messages,
          default: options.rateLimit?.default ?? DefaultFakeDiscordRateLimitOptions.default,
          webhooks: options.rateLimit?.webhooks ?? DefaultFakeDiscordRateLimitOptions.webhooks,
        };
  if (rateLimit !== null) {
    checkLimit('global', rateLimit.global);
    checkLimit('messages', rateLimit.messages);
    checkLimit('default', rateLimit.default);
    checkLimit('webhooks', rateLimit.webhooks);
  }
  const limiter = rateLimit === null ? null : new DiscordRateLimiter(rateLimit);
  let offset = state.now - Date.now();
  const clock = options.now ?? ((): Date => new Date(Date.now() + offset));
  let advancedTo = state.now;
  const routes = new RouteTable(DISCORD_ROUTES);
  const webhookHub = new WebhookHub(state, options.webhooks);
  const faults = new FaultQueue();
  const requests: FakeDiscordRequest[] = [];
  const stats = createStats<FakeDiscordStats>(
    () => ({
      requests: 0,
      rateLimited: 0,
      globalRateLimited: 0,
      faults: 0,
      byRoute: {},
      byStatus: {},
    }),
    requests,
  );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = clock();
    const realNow = Date.now();
    const { method, url, path, query, headers } = readRequestTarget(request);
    // Execute Webhook: the token is in the path, so it is matched apart and never recorded.
    const webhook = matchWebhookPath(method, path);
    const authorization = headers.authorization;
    delete headers.authorization;
    const token = authorization?.startsWith('Bot ') === true ? authorization.slice(4) : null;
    const authorized = token !== null && tokens.has(token);
    // discord.js encodes `@me` as `%40me`: match on decoded segments.
    const routePath =
      path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)
        ? path
            .slice(API_PREFIX.length)
            .split('/')
            .map((segment) => {
              try {
                return decodeURIComponent(segment);
              } catch {
                return segment;
              }
            })
            .join('/')
        : null;
    const found = routePath === null ? null : routes.match(method, routePath);
    const routeName =
      webhook !== null ? webhook.route : found === null ? null : `${method} ${found.route.pattern}`;
    const params = found?.params ?? {};
    const major = webhook?.id ?? majorOf(found?.route ?? null, params);
    const fault = faults.take(method, path, webhook?.routePath ?? routePath ?? path);
    const entry: FakeDiscordRequest = {
      method,
      url: webhook === null ? url : `${webhook.redactedPath}${url.slice(path.length)}`,
      path: webhook?.redactedPath ?? path,
      route: routeName,
      query,
      majorParameter: major === 'global' ? null : major,
      headers,
      authorized,
      status: null,
      fault: fault?.kind ?? null,
      at,
    };
    requests.push(entry);
    countRequest(stats, routeName, fault !== null);
    const bucketRoute = routeName ?? `${method} unknown`;
    const send = recordingSend(response, entry, stats);

    if (
      fault !== null &&
      (await applyFault(fault, {
        jsonType: JSON_TYPE,
        send,
        defaultBody,
        htmlPage: (status) => proxyErrorPage(status, 'discord.com'),
        storm: (storm) => {
          const retryMs = (storm.retryAfterSeconds ?? 1) * 1000;
          const scope = storm.scope ?? 'user';
          const limit = limiter?.limitOf(bucketRoute).limit ?? 10;
          const reply = rateLimitedResponse(
            bucketHeaders(
              {
                limit,
                remaining: 0,
                resetSeconds: Math.ceil(retryMs / 1000),
                resetMs: retryMs,
                limited: true,
              },
              bucketHash(bucketRoute),
              realNow,
            ),
            scope,
            retryMs,
          );
          stats.rateLimited++;
          if (scope === 'global') stats.globalRateLimited++;
          send(429, reply.body, JSON_TYPE, reply.headers);
        },
        sleep: (ms) => http.sleep(ms, response),
        destroy: () => request.socket.destroy(),
      }))
    )
      return;
    const truncate = fault?.kind === 'truncated-json';
    const reply = (status: number, payload: string, extra: Record<string, string>): void => {
      send(status, truncate ? truncateBody(payload) : payload, JSON_TYPE, extra);
    };

    let rateHeaders: Record<string, string> = {};
    if (limiter !== null) {
      const identity =
        token !== null ? `token:${token}` : `ip:${request.socket.remoteAddress ?? 'unknown'}`;
      const decision =
        webhook !== null
          ? limiter.consumeWebhook(webhookBucketKey(webhook), realNow)
          : limiter.consume(identity, bucketRoute, major, realNow);
      rateHeaders = decision.headers;
      if (decision.limited !== null) {
        const limited = rateLimitedResponse(
          rateHeaders,
          decision.limited.scope,
          decision.limited.retryAfterMs,
        );
        stats.rateLimited++;
        if (decision.limited.scope === 'global') stats.globalRateLimited++;
        reply(429, limited.body, limited.headers);
        return;
      }
    }
    if (webhook !== null) {
      // No Authorization needed (a bot token is ignored).
      if (webhook.route === null) {
        reply(405, JSON.stringify({ message: '405: Method Not Allowed', code: 0 }), rateHeaders);
        return;
      }
      const answer = await webhookHub.execute(webhook, request, query, at);
      if (answer.status === 204) send(204, '', null, rateHeaders);
      else reply(answer.status, answer.body, rateHeaders);
      return;
    }
    if (!authorized) {
      reply(401, UNAUTHORIZED, rateHeaders);
      return;
    }
    if (found === null) {
      const known = routePath !== null && routes.matchesPath(routePath);
      reply(
        known ? 405 : 404,
        JSON.stringify({ message: known ? '405: Method Not Allowed' : '404: Not Found', code: 0 }),
        rateHeaders,
      );
      return;
    }
    const context: DiscordRouteContext = { state, params, query, intents, manageThreads };
    try {
      reply(200, found.route.handler(context), rateHeaders);
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        reply(error.status, JSON.stringify(error.body), rateHeaders);
        return;
      }
      throw error;
    }
  }

  const http = await listenLocal('startFakeDiscordServer', handle, (error, response) => {
    writeResponse(
      response,
      500,
      JSON.stringify({
        message: error instanceof Error ? `500: ${error.message}` : '500: Internal Server Error',
        code: 0,
      }),
      JSON_TYPE,
      {},
    );
  });
  const { origin, port } = http;
  return {
    url: `${origin}/api`,
    origin,
    port,
    clan,
    discord,
    requests,
    stats,
    webhooks: webhookHub.list(origin),
    webhookPosts: webhookHub.posts,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => {
      faults.clear();
    },
    postMessages: (channelId, count, postOptions = {}) =>
      appendMessages(state, channelId, count, postOptions, clock().getTime()),
    advance: (duration) => {
      const milliseconds = advanceDurationMs(duration, 'FakeDiscordServer.advance');
      const from = advancedTo;
      advancedTo += milliseconds;
      if (options.now === undefined) offset += milliseconds;
      return advanceDiscordState(state, clan, from, advancedTo);
    },
    setIntents: (next) => {
      if (next.messageContent !== undefined) intents.messageContent = next.messageContent;
      if (next.guildMembers !== undefined) intents.guildMembers = next.guildMembers;
    },
    setBotPermissions: (next) => {
      if (next.manageThreads !== undefined) manageThreads = next.manageThreads;
    },
    resetRateLimits: () => {
      limiter?.reset();
    },
    now: clock,
    close: () => http.close(),
  };
}
