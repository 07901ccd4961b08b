import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSyntheticClan } from '../clan/generate.js';
import { standardizeUsername } from '../clan/names.js';
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
import type { RouteContext, RouteReply } from './context.js';
import { HttpError } from './errors.js';
import { FixedWindowLimiter } from '../http/rate-limit.js';
import { DefaultFakeWomRateLimitOptions } from './rate-limit.js';
import type { FakeWomRateLimitOptions } from './rate-limit.js';
import { GROUP_ROUTES } from './routes-groups.js';
import { NAME_ROUTES } from './routes-names.js';
import { PLAYER_ROUTES } from './routes-players.js';
import { advanceDurationMs } from '../clan/progress.js';
import type { AdvanceDuration } from '../clan/progress.js';
import { advanceWomState } from './advance.js';
import type { WomAdvanceResult } from './advance.js';
import { createWomState } from './state.js';
import type { WomState } from './state.js';

/** Options of {@link startFakeWomServer}. */
export interface FakeWomServerOptions {
  /**
   * The clan the server serves.
   * @defaultValue `createSyntheticClan()`
   */
  clan?: SyntheticClan;
  /**
   * Global rate limiting, or `false` for none (no `RateLimit-*` headers, like upstream in tests).
   * @defaultValue `{ points: 20, keyedPoints: 100, windowMs: 60_000 }`
   */
  rateLimit?: FakeWomRateLimitOptions | false;
  /**
   * Valid API keys (`x-api-key`). Any other key gets 403. Omitted: every key is accepted.
   * @defaultValue `undefined`
   */
  apiKeys?: readonly string[];
  /**
   * Behave like a server before 2026-07-04: no bulk endpoints (404 `ENDPOINT_NOT_FOUND`), and
   * `limit` (default 20, max 100 000) / `offset` on group hiscores and gained.
   * @defaultValue `false`
   */
  legacy?: boolean;
  /**
   * Per-player update cooldown of `POST /players/:username`, in milliseconds.
   * @defaultValue `60_000`
   */
  playerUpdateCooldownMs?: number;
  /**
   * The server clock.
   * @defaultValue a clock that starts at the clan's `now` and advances in real time
   */
  now?: () => Date;
  /**
   * Usernames the fake Jagex hiscores do not know: `POST /players/:username` answers 400
   * `HISCORES_USERNAME_NOT_FOUND` for them (matched after standardizing).
   * @defaultValue `[]`
   */
  hiscoresNotFound?: readonly string[];
  /**
   * The version string `GET /v2/` answers.
   * @defaultValue `'2.8.52'`
   */
  version?: string;
}

/** One logged request. */
export interface FakeWomRequest {
  readonly method: string;
  /** The raw path and query as received, e.g. `/v2/players/ze%20zima?limit=5`. */
  readonly url: string;
  /** The raw (still URL-encoded) path without the query, e.g. `/v2/players/ze%20zima`. */
  readonly path: string;
  /** The matched route, e.g. `GET /groups/:id/hiscores`; null when none matched. */
  readonly route: string | null;
  readonly query: URLSearchParams;
  /** Request headers, names lowercased (repeated headers joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body of POSTs (or the raw text when it is not JSON); undefined otherwise. */
  readonly body: unknown;
  /** The status sent; null when the socket was reset or the client went away first. */
  status: number | null;
  /** The fault that hit the request, if any. */
  readonly fault: FaultKind | null;
  /** The server clock when the request arrived. */
  readonly at: Date;
}

/** Counters, with a `reset()`. */
export interface FakeWomStats extends RequestCounters {
  /** Global 429s sent (rate limit exceeded, or a `rate-limit-storm` fault). */
  rateLimited: number;
  /** Per-player 429s (`PLAYER_IS_RATE_LIMITED`). */
  playerRateLimited: number;
  /** Requests per raw path (without query). */
  byPath: Record<string, number>;
  /** Requests per matched route, e.g. `GET /groups/:id/bulk-gained`. */
  byRoute: Record<string, number>;
  /** Zeroes every counter and empties `server.requests`. */
  reset(): void;
}

/** A running fake WOM server. */
export interface FakeWomServer {
  /** Base URL for clients, e.g. `http://127.0.0.1:43121/v2`. */
  readonly url: string;
  /** `http://127.0.0.1:43121`. */
  readonly origin: string;
  readonly port: number;
  /** The clan being served. */
  readonly clan: SyntheticClan;
  /** Every request, oldest first (a live array). */
  readonly requests: FakeWomRequest[];
  readonly stats: FakeWomStats;
  /** Fault injection; `server.injectFault(...)` is a shortcut for `server.faults.inject(...)`. */
  readonly faults: {
    inject(fault: FaultSpec): InjectedFault;
    clear(): void;
    readonly active: ReadonlyArray<Readonly<FaultSpec>>;
  };
  /** Injects a fault (see {@link FaultSpec}). */
  injectFault(fault: FaultSpec): InjectedFault;
  /** Forgets every rate-limit window. */
  resetRateLimits(): void;
  /** The server clock. */
  now(): Date;
  /**
   * Simulates time passing: adds what WOM would have recorded over `duration` after the previous
   * advance (or `clan.now`): one snapshot per daily update of every current member WOM still
   * updates, with that day's progress (see the README). With the default clock the clock moves
   * forward by `duration`; with an injected `now` the caller moves it. Only adds progress: no
   * roster or name changes. Throws `INVALID_OPTIONS` for an invalid duration.
   *
   * @example `server.advance({ days: 1 })`
   */
  advance(duration: AdvanceDuration): WomAdvanceResult;
  /** The mutable state behind the endpoints (for advanced assertions). */
  readonly state: WomState;
  /** Stops listening and destroys open connections; the port is free when it resolves. */
  close(): Promise<void>;
}

const TOO_MANY_REQUESTS =
  'Too Many Requests. Please check https://docs.wiseoldman.net/#rate-limits--api-keys.';
const INVALID_KEY =
  'Invalid API Key. Please check https://docs.wiseoldman.net/#rate-limits--api-keys';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_BODY = 1_000_000;

function defaultBody(status: number): { body: string; type: string } {
  if (status === 502 || status === 504)
    return { body: proxyErrorPage(status), type: 'text/html; charset=UTF-8' };
  if (status === 503) {
    return {
      body: JSON.stringify({
        code: 'HISCORES_SERVICE_UNAVAILABLE',
        message: 'Jagex Hiscores Service is unavailable',
      }),
      type: JSON_TYPE,
    };
  }
  if (status === 429)
    return { body: JSON.stringify({ message: TOO_MANY_REQUESTS }), type: JSON_TYPE };
  return {
    body: JSON.stringify({ code: 'UNEXPECTED_ERROR', message: 'Unknown server error.' }),
    type: JSON_TYPE,
  };
}

/**
 * Starts a faithful fake of the Wise Old Man v2 API on `127.0.0.1` and a random free port, serving
 * a synthetic clan. Routes live under `/v2` like `https://api.wiseoldman.net/v2`.
 *
 * @example
 * ```ts
 * const server = await startFakeWomServer({ rateLimit: { points: 5, windowMs: 1000 } });
 * const response = await fetch(`${server.url}/groups/${server.clan.group.id}`);
 * await server.close();
 * ```
 */
export async function startFakeWomServer(
  options: FakeWomServerOptions = {},
): Promise<FakeWomServer> {
  const legacy = options.legacy ?? false;
  const cooldown = options.playerUpdateCooldownMs ?? 60_000;
  if (!(cooldown >= 0)) {
    throw new TestkitError('INVALID_OPTIONS', 'playerUpdateCooldownMs must be >= 0', {
      option: 'playerUpdateCooldownMs',
    });
  }
  const rateLimit =
    options.rateLimit === false
      ? null
      : { ...DefaultFakeWomRateLimitOptions, ...options.rateLimit };
  if (
    rateLimit !== null &&
    !(rateLimit.points > 0 && rateLimit.keyedPoints > 0 && rateLimit.windowMs > 0)
  ) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      'rateLimit points, keyedPoints and windowMs must be > 0',
      {
        option: 'rateLimit',
      },
    );
  }
  const clan = options.clan ?? createSyntheticClan();
  const apiKeys = options.apiKeys === undefined ? null : new Set(options.apiKeys);
  let offset = Date.parse(clan.now) - Date.now();
  const clock = options.now ?? ((): Date => new Date(Date.now() + offset));
  let advancedTo = Date.parse(clan.now);
  const version = options.version ?? '2.8.52';
  const hiscoresNotFound = new Set((options.hiscoresNotFound ?? []).map(standardizeUsername));
  const state = createWomState(clan);
  const limiter = new FixedWindowLimiter(rateLimit?.windowMs ?? 60_000);
  const faults = new FaultQueue();
  const routes = [...GROUP_ROUTES, ...PLAYER_ROUTES, ...NAME_ROUTES].filter(
    (route) => !legacy || !route.pattern.includes('/bulk-'),
  );
  const routeTable = new RouteTable(routes);
  const requests: FakeWomRequest[] = [];
  const stats = createStats<FakeWomStats>(
    () => ({
      requests: 0,
      rateLimited: 0,
      playerRateLimited: 0,
      faults: 0,
      byPath: {},
      byRoute: {},
      byStatus: {},
    }),
    requests,
  );
  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) break;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = clock();
    const { method, url: rawUrl, path, query, headers } = readRequestTarget(request);
    const routePath = path === '/v2' || path.startsWith('/v2/') ? path.slice(3) || '/' : null;
    const found = routePath === null ? null : routeTable.match(method, routePath);
    const rawBody =
      method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE'
        ? await readBody(request)
        : '';
    let body: unknown;
    let bodyError: string | null = null;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody) as unknown;
      } catch (error) {
        body = rawBody;
        bodyError = error instanceof Error ? error.message : 'Invalid JSON';
      }
    }
    const fault = method === 'OPTIONS' ? null : faults.take(method, path, routePath ?? path);
    const entry: FakeWomRequest = {
      method,
      url: rawUrl,
      path,
      route: found === null ? null : `${method} ${found.route.pattern}`,
      query,
      headers,
      body,
      status: null,
      fault: fault?.kind ?? null,
      at,
    };
    requests.push(entry);
    countRequest(stats, entry.route, fault !== null);
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    const send = recordingSend(response, entry, stats, { 'Access-Control-Allow-Origin': '*' });

    if (method === 'OPTIONS') {
      entry.status = 204;
      stats.byStatus['204'] = (stats.byStatus['204'] ?? 0) + 1;
      response.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
        ...(headers['access-control-request-headers'] === undefined
          ? {}
          : { 'Access-Control-Allow-Headers': headers['access-control-request-headers'] }),
        Vary: 'Access-Control-Request-Headers',
        'Content-Length': '0',
      });
      response.end();
      return;
    }

    if (
      fault !== null &&
      (await applyFault(fault, {
        jsonType: JSON_TYPE,
        send,
        defaultBody,
        htmlPage: (status) => proxyErrorPage(status),
        storm: (storm) => {
          const seconds = String(storm.retryAfterSeconds ?? 1);
          stats.rateLimited++;
          send(429, JSON.stringify({ message: TOO_MANY_REQUESTS }), JSON_TYPE, {
            'RateLimit-Limit': String(rateLimit?.points ?? 20),
            'RateLimit-Remaining': '0',
            'RateLimit-Reset': seconds,
            'Retry-After': seconds,
          });
        },
        sleep: (ms) => http.sleep(ms, response),
        destroy: () => request.socket.destroy(),
      }))
    )
      return;

    const truncate = fault?.kind === 'truncated-json';
    const reply = (
      status: number,
      payload: string,
      type: string | null,
      extra: Record<string, string> = {},
    ): void => {
      send(status, truncate ? truncateBody(payload) : payload, type, extra);
    };
    const replyJson = (
      status: number,
      value: unknown,
      extra: Record<string, string> = {},
    ): void => {
      reply(status, JSON.stringify(value), JSON_TYPE, extra);
    };

    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined && apiKeys !== null && !apiKeys.has(apiKey)) {
      replyJson(403, { message: INVALID_KEY });
      return;
    }
    let rateHeaders: Record<string, string> = {};
    if (rateLimit !== null) {
      const key =
        apiKey === undefined
          ? `ip:${headers['cf-connecting-ip'] ?? headers['x-forwarded-for'] ?? request.socket.remoteAddress ?? 'unknown'}`
          : `key:${apiKey}`;
      const result = limiter.consume(
        key,
        apiKey === undefined ? rateLimit.points : rateLimit.keyedPoints,
        at.getTime(),
      );
      rateHeaders = {
        'RateLimit-Limit': String(result.limit),
        'RateLimit-Remaining': String(result.remaining),
        'RateLimit-Reset': String(result.resetSeconds),
      };
      if (result.limited) {
        stats.rateLimited++;
        replyJson(
          429,
          { message: TOO_MANY_REQUESTS },
          { ...rateHeaders, 'Retry-After': String(result.resetSeconds) },
        );
        return;
      }
    }

    if (routePath === '/' && method === 'GET') {
      replyJson(200, version, rateHeaders);
      return;
    }
    if (found === null) {
      replyJson(404, { code: 'ENDPOINT_NOT_FOUND', message: 'Endpoint not found' }, rateHeaders);
      return;
    }
    if (bodyError !== null) {
      replyJson(400, { code: 'UNEXPECTED_ERROR', message: bodyError }, rateHeaders);
      return;
    }
    const params: Record<string, string> = {};
    try {
      for (const [name, value] of Object.entries(found.params))
        params[name] = decodeURIComponent(value);
    } catch {
      replyJson(
        400,
        { code: 'UNEXPECTED_ERROR', message: `Failed to decode param '${path}'` },
        rateHeaders,
      );
      return;
    }
    const context: RouteContext = {
      state,
      params,
      query,
      body,
      now: at.getTime(),
      legacy,
      playerUpdateCooldownMs: cooldown,
      hiscoresNotFound,
    };
    let result: RouteReply;
    try {
      result = found.route.handler(context);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.body.code === 'PLAYER_IS_RATE_LIMITED') stats.playerRateLimited++;
        replyJson(error.status, error.body, { ...rateHeaders, ...error.headers });
        return;
      }
      replyJson(
        500,
        {
          code: 'UNEXPECTED_ERROR',
          message: error instanceof Error ? error.message : 'Unknown server error.',
        },
        rateHeaders,
      );
      return;
    }
    if ('json' in result)
      replyJson(result.status, result.json, { ...rateHeaders, ...result.headers });
    else reply(result.status, result.text, result.contentType ?? null, rateHeaders);
  }

  const http = await listenLocal('startFakeWomServer', handle, (error, response) => {
    writeResponse(
      response,
      500,
      JSON.stringify({
        code: 'UNEXPECTED_ERROR',
        message: error instanceof Error ? error.message : 'Unknown server error.',
      }),
      JSON_TYPE,
      { 'Access-Control-Allow-Origin': '*' },
    );
  });
  const { origin, port } = http;
  const faultApi = {
    inject: (fault: FaultSpec): InjectedFault => faults.add(fault),
    clear: (): void => {
      faults.clear();
    },
    get active() {
      return faults.active;
    },
  };
  return {
    url: `${origin}/v2`,
    origin,
    port,
    clan,
    requests,
    stats,
    faults: faultApi,
    injectFault: (fault) => faults.add(fault),
    resetRateLimits: () => {
      limiter.reset();
    },
    now: clock,
    advance: (duration) => {
      const milliseconds = advanceDurationMs(duration, 'FakeWomServer.advance');
      const from = advancedTo;
      advancedTo += milliseconds;
      if (options.now === undefined) offset += milliseconds;
      return advanceWomState(state, clan, from, advancedTo);
    },
    state,
    close: () => http.close(),
  };
}
