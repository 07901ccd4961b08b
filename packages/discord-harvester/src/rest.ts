import { AsyncLocalStorage } from 'node:async_hooks';
import {
  DefaultRestOptions,
  DiscordAPIError,
  HTTPError,
  REST,
  RateLimitError,
  type RateLimitData,
  type ResponseLike,
} from 'discord.js';
import { DiscordHarvesterError } from './errors.js';
import type { HarvestEvent } from './events.js';
import { RequestPacer } from './scheduler.js';

/** What one run (a harvest, a member listing, a check) counts and decides about its requests. */
export class RequestTracker {
  /** HTTP requests sent (every attempt, 429s included). */
  requests = 0;
  /** HTTP 429 responses received. */
  rateLimited = 0;
  readonly #maxRateLimitHits: number;
  readonly #emit: (event: HarvestEvent) => void;
  readonly #signal: AbortSignal;
  /** 429s in a row per request path (a route and its major parameter). */
  readonly #consecutiveByPath = new Map<string, number>();
  /** 429s in a row across the run, with no successful response anywhere in between. */
  #consecutiveInRun = 0;

  /** The controllers of the requests in flight, all aborted when the run's signal aborts. */
  readonly #inFlight = new Set<AbortController>();

  constructor(maxRateLimitHits: number, emit: (event: HarvestEvent) => void, signal: AbortSignal) {
    this.#maxRateLimitHits = maxRateLimitHits;
    this.#emit = emit;
    this.#signal = signal;
    // One listener for the whole run, however many requests are in flight.
    signal.addEventListener(
      'abort',
      () => {
        for (const controller of this.#inFlight) controller.abort(signal.reason);
        this.#inFlight.clear();
      },
      { once: true },
    );
  }

  /** A controller for one request, aborted when the run stops; give it back with `release`. */
  requestController(): AbortController {
    const controller = new AbortController();
    if (this.#signal.aborted) controller.abort(this.#signal.reason);
    else this.#inFlight.add(controller);
    return controller;
  }

  release(controller: AbortController): void {
    this.#inFlight.delete(controller);
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  emit(event: HarvestEvent): void {
    this.#emit(event);
  }

  /** @internal Called by the `makeRequest` hook for every HTTP response. */
  onResponse(
    context: RequestContext,
    status: number,
    durationMs: number,
    retryAfterMs: number | undefined,
    global: boolean,
  ): void {
    this.#countRequest(context, status, durationMs);
    const key = pathKey(context.path);
    if (status === 429) {
      this.rateLimited += 1;
      const consecutive = (this.#consecutiveByPath.get(key) ?? 0) + 1;
      this.#consecutiveByPath.set(key, consecutive);
      this.#consecutiveInRun += 1;
      context.pending429 = { retryAfterMs, global, consecutive };
      context.lastRetryAfterMs = retryAfterMs;
    } else if (status >= 200 && status < 300) {
      this.#consecutiveByPath.delete(key);
      this.#consecutiveInRun = 0;
    }
  }

  /** @internal Called by the `makeRequest` hook when no response arrived. */
  onNetworkFailure(context: RequestContext, durationMs: number): void {
    this.#countRequest(context, null, durationMs);
  }

  /** Counts one request attempt (answered or not) and reports it as a `request` event. */
  #countRequest(context: RequestContext, status: number | null, durationMs: number): void {
    this.requests += 1;
    if (context.counter !== undefined) context.counter.requests += 1;
    this.#emit({
      type: 'request',
      method: 'GET',
      route: context.route,
      path: context.path,
      status,
      durationMs,
      channelId: context.channelId,
    });
  }

  /**
   * @internal Called by the `rejectOnRateLimit` hook, both before a request that must wait for a
   * known limit and after a real 429. Returns `true` to make discord.js throw instead of waiting.
   */
  onRateLimit(context: RequestContext, data: RateLimitData): boolean {
    const pending = context.pending429;
    if (pending !== undefined) {
      // The 429 this request just received (the hook saw its status first).
      context.pending429 = undefined;
      const retryAfterMs = pending.retryAfterMs ?? Math.max(0, Math.round(data.retryAfter));
      this.#emit({
        type: 'rate-limited',
        route: context.route,
        path: context.path,
        retryAfterMs,
        global: pending.global || data.global,
        consecutive: pending.consecutive,
        channelId: context.channelId,
      });
      if (
        pending.consecutive >= this.#maxRateLimitHits ||
        this.#consecutiveInRun >= this.#maxRateLimitHits * 4
      ) {
        context.rateLimitRejected = true;
        return true;
      }
      return this.#signal.aborted;
    }
    this.#emit({
      type: 'rate-limit-wait',
      route: context.route,
      waitMs: Math.max(0, Math.round(data.timeToReset)),
      global: data.global,
      channelId: context.channelId,
    });
    return this.#signal.aborted;
  }
}

/** Per-request state shared by the hooks through async context. */
interface RequestContext {
  tracker: RequestTracker;
  route: string;
  path: string;
  channelId: string | null;
  counter: RequestCounter | undefined;
  /** Pages the request's channel has left (higher goes first when requests wait). */
  priority: number;
  pending429:
    { retryAfterMs: number | undefined; global: boolean; consecutive: number } | undefined;
  lastRetryAfterMs: number | undefined;
  rateLimitRejected: boolean;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/** Thrown into discord.js when the run has stopped (its name is not `AbortError`: no retry). */
class HarvestStoppedError extends Error {
  override readonly name = 'HarvestStoppedError';
  constructor() {
    super('The harvest has stopped');
  }
}
/** Connection failures, by the `code` Node or undici gives them, in words. */
const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  EAI_AGAIN: 'name lookup failed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/**
 * A connection that failed or broke before the response arrived (reset, refused, closed by the
 * other side). discord.js retries only errors named `AbortError` or with the code `ECONNRESET`,
 * but `fetch` reports a broken connection as `TypeError: fetch failed` with the real code in its
 * `cause`: this error carries `ECONNRESET` so that the `retries` option applies to every
 * connection failure, as documented. The original error is its `cause`.
 */
class ConnectionFailedError extends Error {
  override readonly name = 'ConnectionFailedError';
  /** What discord.js looks for to retry. */
  readonly code = 'ECONNRESET';
  /** What happened, in words (`connection reset`). */
  readonly reason: string;

  constructor(reason: string, cause: unknown) {
    super(`Connection failed: ${reason}`, { cause });
    this.reason = reason;
  }
}

/** `error` as a {@link ConnectionFailedError} when it is a connection failure; else as it is. */
function asRetryableConnectionFailure(error: unknown): unknown {
  if (error instanceof Error && error.name === 'AbortError') return error;
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    const reason = typeof code === 'string' ? CONNECTION_FAILURES[code] : undefined;
    if (reason !== undefined) return new ConnectionFailedError(reason, error);
    current = current.cause;
  }
  return error;
}

/** The pacer of each hooked REST instance (the global limit is per bot token). */
const pacers = new WeakMap<REST, RequestPacer>();

/** The margin past a bucket's reset, in milliseconds (see {@link createRest}). */
const REST_OFFSET_MS = 10;

/** discord.js's timer for the harvester's own instance: a backstop far beyond any attempt. */
const DISCORD_JS_TIMEOUT_MS = 30 * 60 * 1000;

/** Discord's global limit: requests per second per bot. */
export const DISCORD_GLOBAL_PER_SECOND = 50;

function pathKey(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function retryAfterOf(response: ResponseLike): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/**
 * Installs the counting hooks on a REST instance, once. They only act on requests made by this
 * package (recognised through async context); other requests on an injected instance behave as
 * the instance was configured.
 */
export function installHooks(
  rest: REST,
  globalPerSecond?: number,
  attemptTimeoutMs?: number,
): void {
  if (pacers.has(rest)) return;
  const options = rest.options;
  const pacer = new RequestPacer(globalPerSecond ?? options.globalRequestsPerSecond);
  pacers.set(rest, pacer);
  const makeRequest = options.makeRequest.bind(options);
  const originalReject = options.rejectOnRateLimit;

  options.makeRequest = async (url, init) => {
    const context = requestContext.getStore();
    if (context === undefined) return makeRequest(url, init);
    // After a stop, discord.js would retry the aborted attempt `retries` times without sending
    // anything: fail at once with an error it does not retry.
    const stopped = (): boolean => context.tracker.signal.aborted;
    if (stopped()) throw new HarvestStoppedError();
    // Wait for the pacer (priority-aware global limit); this runs after discord.js waited for the
    // request's own bucket, just before the request leaves.
    // discord.js aborts `init.signal` on its timeout and when the request's own signal aborts.
    try {
      await pacer.acquire(context.priority, init.signal ?? context.tracker.signal);
    } catch {
      if (stopped() || init.signal?.aborted !== true) throw new HarvestStoppedError();
      throw init.signal.reason;
    }
    const started = performance.now();
    let response: ResponseLike;
    try {
      response =
        attemptTimeoutMs === undefined
          ? await makeRequest(url, init)
          : await withAttemptTimeout(attemptTimeoutMs, init.signal, (signal) =>
              makeRequest(url, { ...init, signal }),
            );
    } catch (error) {
      context.tracker.onNetworkFailure(context, Math.round(performance.now() - started));
      if (stopped()) throw new HarvestStoppedError();
      throw asRetryableConnectionFailure(error);
    }
    context.tracker.onResponse(
      context,
      response.status,
      Math.round(performance.now() - started),
      response.status === 429 ? retryAfterOf(response) : undefined,
      response.status === 429 && response.headers.has('x-ratelimit-global'),
    );
    return response;
  };

  options.rejectOnRateLimit = async (data: RateLimitData): Promise<boolean> => {
    const context = requestContext.getStore();
    if (context?.tracker.onRateLimit(context, data) === true) return true;
    if (originalReject === null) return false;
    if (typeof originalReject === 'function') return originalReject(data);
    return originalReject.some((route) => data.route.startsWith(route.toLowerCase()));
  };
}

/**
 * Runs one attempt with its own time limit, which starts when the request leaves (after the
 * pacer), so a request that waited its turn behind a busy channel is not reported as timed out.
 * The abort reason is an `AbortError`, which discord.js retries and {@link toHarvestError} maps to
 * `TIMEOUT`. `outer` (discord.js's signal) still aborts the attempt.
 */
async function withAttemptTimeout<Result>(
  timeoutMs: number,
  outer: AbortSignal | null | undefined,
  attempt: (signal: AbortSignal) => Promise<Result>,
): Promise<Result> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException('The request timed out', 'AbortError'));
  }, timeoutMs);
  const forward = (): void => {
    controller.abort(outer?.reason);
  };
  if (outer?.aborted === true) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  try {
    return await attempt(controller.signal);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}

/** Settings of the REST instance the harvester creates when none is injected. */
export interface RestSettings {
  token: string;
  api: string;
  timeoutMs: number;
  retries: number;
}

/** Creates the harvester's own REST instance (REST only; the gateway is never used). */
export function createRest(settings: RestSettings): REST {
  const rest = new REST({
    api: settings.api,
    version: '10',
    // Each attempt's time limit is applied by the hooks once the request leaves the pacer
    // (installHooks): discord.js's own timer would also count the time spent waiting there.
    timeout: DISCORD_JS_TIMEOUT_MS,
    retries: settings.retries,
    makeRequest: DefaultRestOptions.makeRequest,
    // The harvester's pacer keeps to Discord's global limit, in priority order; discord.js's own
    // global limiter (first come, first served) would otherwise hold back the largest channel.
    globalRequestsPerSecond: DISCORD_GLOBAL_PER_SECOND * 4,
    // How long past a bucket's reset a request waits. @discordjs/rest 2.6.3 adds it twice (to the
    // stored reset and again when waiting), so its default of 50 ms costs 100 ms per bucket window:
    // 10% of a one-second window. The reset is relative (X-RateLimit-Reset-After, measured by
    // Discord before the response travels back), so a small margin is enough.
    offset: REST_OFFSET_MS,
  });
  rest.setToken(settings.token);
  installHooks(rest, DISCORD_GLOBAL_PER_SECOND, settings.timeoutMs);
  return rest;
}

/** One GET request. */
export interface RequestSpec {
  /** The route with ids replaced, for events and errors: `GET /channels/:id/messages`. */
  route: string;
  /** The path after `/api/v10`, starting with `/`. */
  path: `/${string}`;
  query?: Record<string, string> | undefined;
  /** The channel the request is for, if any (for events and errors). */
  channelId?: string | null | undefined;
  /** Also counts the request's attempts here (per-channel request counts). */
  counter?: RequestCounter | undefined;
  /** Pages the channel has left: when requests wait for the global limit, higher goes first. */
  priority?: number | undefined;
}

/** A request count of one channel. */
export interface RequestCounter {
  requests: number;
}

/**
 * Sends GET requests through discord.js REST with the counting hooks in place, and turns every
 * failure into a {@link DiscordHarvesterError}.
 */
export class RestClient {
  readonly #rest: REST;

  constructor(rest: REST) {
    this.#rest = rest;
    installHooks(rest);
  }

  async get(tracker: RequestTracker, spec: RequestSpec): Promise<unknown> {
    const query = spec.query === undefined ? undefined : new URLSearchParams(spec.query);
    const queryString = query === undefined ? '' : query.toString();
    const path = queryString === '' ? spec.path : `${spec.path}?${queryString}`;
    const context: RequestContext = {
      tracker,
      route: spec.route,
      path,
      channelId: spec.channelId ?? null,
      counter: spec.counter,
      priority: spec.priority ?? Number.POSITIVE_INFINITY,
      pending429: undefined,
      lastRetryAfterMs: undefined,
      rateLimitRejected: false,
    };
    const runSignal = tracker.signal;
    if (runSignal.aborted) throw abortedError(runSignal, context);
    // One controller per request: discord.js adds an abort listener to the signal it is given and
    // never removes it, so the run's long-lived signal must not be passed directly.
    const controller = tracker.requestController();
    try {
      const body = await requestContext.run(context, () =>
        this.#rest.get(spec.path, {
          ...(query === undefined ? {} : { query }),
          signal: controller.signal,
        }),
      );
      // discord.js returns the raw bytes of a body that is not `application/json`.
      if (body instanceof ArrayBuffer) throw notJsonError(body, context);
      return body;
    } catch (error) {
      throw toHarvesterError(error, context, runSignal);
    } finally {
      tracker.release(controller);
    }
  }
}

/** A 2xx answer that is not JSON: a proxy's or captive portal's page, most likely. */
function notJsonError(body: ArrayBuffer, context: RequestContext): DiscordHarvesterError {
  const text = new TextDecoder().decode(body.slice(0, 400)).replace(/\s+/g, ' ').trim();
  const snippet = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new DiscordHarvesterError(
    'INVALID_RESPONSE',
    `Not JSON from ${context.route}, so not from Discord (a proxy, captive portal or firewall may be answering instead): ${snippet === '' ? '(empty body)' : JSON.stringify(snippet)}`,
    { url: context.path, route: context.route, channelId: context.channelId ?? undefined },
  );
}

function abortedError(signal: AbortSignal, context: RequestContext): DiscordHarvesterError {
  return new DiscordHarvesterError('ABORTED', `Aborted: ${context.route}`, {
    url: context.path,
    route: context.route,
    channelId: context.channelId ?? undefined,
    cause: signal.reason,
  });
}

function toHarvesterError(
  error: unknown,
  context: RequestContext,
  signal: AbortSignal,
): DiscordHarvesterError {
  if (error instanceof DiscordHarvesterError) return error;
  const where = {
    url: context.path,
    route: context.route,
    channelId: context.channelId ?? undefined,
  };
  if (error instanceof RateLimitError && context.rateLimitRejected) {
    const retryAfter = context.lastRetryAfterMs ?? Math.max(0, Math.round(error.retryAfter));
    return new DiscordHarvesterError(
      'RATE_LIMITED',
      `Rate limited: ${context.route} kept answering HTTP 429 (retry after ${retryAfter} ms)`,
      { ...where, status: 429, retryAfter, cause: error },
    );
  }
  if (signal.aborted) return abortedError(signal, context);
  if (error instanceof RateLimitError) {
    // Rejected by the injected instance's own rejectOnRateLimit.
    const retryAfter = Math.max(0, Math.round(error.retryAfter));
    return new DiscordHarvesterError(
      'RATE_LIMITED',
      `Rate limited: ${context.route} (retry after ${retryAfter} ms)`,
      {
        ...where,
        status: 429,
        retryAfter,
        cause: error,
      },
    );
  }
  if (error instanceof DiscordAPIError) {
    const discordCode = typeof error.code === 'number' ? error.code : undefined;
    const details = { ...where, status: error.status, discordCode, cause: error };
    const suffix = `${context.route}: HTTP ${error.status}${discordCode === undefined ? '' : ` code ${discordCode}`}`;
    if (error.status === 401)
      return new DiscordHarvesterError(
        'UNAUTHORIZED',
        `Discord rejected the bot token on ${suffix}`,
        details,
      );
    if (error.status === 403)
      return new DiscordHarvesterError('FORBIDDEN', `Missing access on ${suffix}`, details);
    if (error.status === 404 && discordCode === 10004)
      return new DiscordHarvesterError('GUILD_NOT_FOUND', `Unknown guild on ${suffix}`, details);
    return new DiscordHarvesterError('HTTP_ERROR', `Request failed on ${suffix}`, details);
  }
  if (error instanceof HTTPError) {
    return new DiscordHarvesterError(
      'SERVER_ERROR',
      `Discord server error on ${context.route}: HTTP ${error.status}`,
      {
        ...where,
        status: error.status,
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new DiscordHarvesterError('TIMEOUT', `Timed out on ${context.route}`, {
      ...where,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new DiscordHarvesterError('INVALID_RESPONSE', `Invalid JSON from ${context.route}`, {
      ...where,
      cause: error,
    });
  }
  if (error instanceof Error && error.message.startsWith('Expected token to be set')) {
    // discord.js forgets the token after a 401.
    return new DiscordHarvesterError('UNAUTHORIZED', `No valid bot token for ${context.route}`, {
      ...where,
      cause: error,
    });
  }
  const reason = error instanceof ConnectionFailedError ? ` (${error.reason})` : '';
  return new DiscordHarvesterError('NETWORK', `Network error on ${context.route}${reason}`, {
    ...where,
    cause: error,
  });
}
