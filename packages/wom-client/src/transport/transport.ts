import ky, { type KyInstance, type Options as KyOptions } from 'ky';
import { WomClientError, type HttpMethod } from '../errors.js';
import { onAbort } from './abort.js';
import type { RateLimitInfo, WomClientEvent } from './events.js';
import {
  backoffDelay,
  describeNetworkError,
  displayUrl,
  isNotConnectedError,
  parseErrorBody,
  parseJson,
  parseRateLimitHeaders,
  sleep,
  snippet,
  toSearchParams,
  type SearchParams,
} from './http.js';
import { ResponseShapeError, checkShape, type ShapeCheck } from '../validate.js';
import { resolveOptions, type ResolvedOptions, type WomClientOptions } from './options.js';
import { RateLimiter, systemClock, type RateLimitTicket, type SettleInfo } from './rate-limiter.js';

/** Per-call options of {@link Transport.request}. */
export interface TransportRequestInit {
  /** Query parameters: `undefined` values are dropped, dates are sent as ISO-8601. */
  searchParams?: SearchParams | undefined;
  /** A JSON body (POST only; a POST without one sends `{}`). */
  json?: unknown;
  /** Aborts the call: while queued, while waiting to retry, or in flight. */
  signal?: AbortSignal | undefined;
  /**
   * The player a player-update call is about. A `PLAYER_IS_RATE_LIMITED` cooldown then holds
   * back only this player's later calls instead of the whole client. Set it on update calls only.
   */
  player?: string | undefined;
  /**
   * Checks the parsed body's shape; a failure rejects the call with `INVALID_RESPONSE` naming the
   * field (not retried).
   */
  check?: ShapeCheck | undefined;
}

/** Per-call options of {@link Transport.requestText}. */
export interface TransportTextRequestInit {
  /** Query parameters: `undefined` values are dropped, dates are sent as ISO-8601. */
  searchParams?: SearchParams | undefined;
  /** Aborts the call: while queued, while waiting to retry, or in flight. */
  signal?: AbortSignal | undefined;
}

interface CallContext {
  readonly requestId: number;
  readonly method: HttpMethod;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
}

type RetryKind = 'none' | 'transient' | 'global-rate-limit' | 'player-rate-limit';

type AttemptResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: WomClientError; readonly retry: RetryKind };

const JSON_ACCEPT = 'application/json';
const TEXT_ACCEPT = 'text/csv, text/plain;q=0.9, */*;q=0.8';

/** Normalizes a username the way Wise Old Man does, so one player has one cooldown key. */
function playerKey(player: string): string {
  return player
    .replace(/[-_\s]+/g, ' ')
    .trim()
    .toLowerCase();
}

function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : '';
}

/**
 * The HTTP layer of the Wise Old Man client: one `ky` instance (its own retries and timeout
 * off), a client-side rate limiter shared by every concurrent call, the retry policy, JSON
 * parsing with date revival, and {@link WomClientError}s for every failure.
 */
export class Transport {
  readonly #options: ResolvedOptions;
  readonly #ky: KyInstance;
  readonly #limiter: RateLimiter;
  readonly #displayBase: string;
  readonly #playerCooldowns = new Map<string, number>();
  #requestCount = 0;
  #nextRequestId = 1;

  constructor(options: WomClientOptions = {}) {
    this.#options = resolveOptions(options);
    const resolved = this.#options;
    this.#displayBase = displayUrl(resolved.baseUrl);
    const headers: Record<string, string> = {
      accept: JSON_ACCEPT,
      'user-agent': resolved.userAgent,
      'x-user-agent': resolved.userAgent,
    };
    if (resolved.apiKey !== undefined) headers['x-api-key'] = resolved.apiKey;
    const kyOptions: KyOptions = {
      prefixUrl: resolved.baseUrl,
      throwHttpErrors: false,
      retry: 0,
      timeout: false,
      headers,
    };
    if (resolved.fetch !== undefined) kyOptions.fetch = resolved.fetch;
    this.#ky = ky.create(kyOptions);
    this.#limiter = new RateLimiter({
      points: resolved.rateLimit === false ? Number.POSITIVE_INFINITY : resolved.rateLimit.points,
      windowMs:
        resolved.rateLimit === false ? Number.POSITIVE_INFINITY : resolved.rateLimit.windowMs,
      onWait: (info) => {
        this.#emit({ type: 'rateLimitWait', ...info });
      },
    });
  }

  /** HTTP requests actually sent so far, retries included. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /**
   * Sends a request and resolves its JSON body (dates revived unless `parseDates` is off).
   * Rejects with a {@link WomClientError} on any failure; never resolves `undefined` for an
   * error status.
   *
   * @param path - The path below the base URL, already encoded (`groups/139` or `/groups/139`).
   */
  request<Result>(
    method: HttpMethod,
    path: string,
    init: TransportRequestInit = {},
  ): Promise<Result> {
    return this.#call(method, path, init, 'json') as Promise<Result>;
  }

  /** Sends a GET request and resolves its body as text (for CSV endpoints). */
  requestText(method: 'GET', path: string, init: TransportTextRequestInit = {}): Promise<string> {
    return this.#call(method, path, init, 'text') as Promise<string>;
  }

  #emit(event: WomClientEvent): void {
    const listener = this.#options.onEvent;
    if (listener === undefined) return;
    try {
      listener(event);
    } catch {
      // A listener's failure must not break requests.
    }
  }

  #abortedError(context: CallContext, attempts: number): WomClientError {
    return new WomClientError('ABORTED', `Request aborted: ${context.method} ${context.url}`, {
      method: context.method,
      url: context.url,
      attempts,
      cause: context.signal?.reason,
    });
  }

  async #call(
    method: HttpMethod,
    path: string,
    init: TransportRequestInit,
    responseType: 'json' | 'text',
  ): Promise<unknown> {
    const query = toSearchParams(init.searchParams);
    const relativePath = path.replace(/^\/+/, '');
    const queryString = query.toString();
    const context: CallContext = {
      requestId: this.#nextRequestId++,
      method,
      url: `${this.#displayBase}/${relativePath}${queryString === '' ? '' : `?${queryString}`}`,
      signal: init.signal,
    };
    const retry = this.#options.retry;
    // The retry budget starts with the first attempt, not with time spent queued before it.
    let deadline = Number.POSITIVE_INFINITY;
    const player = init.player === undefined ? undefined : playerKey(init.player);
    let attempts = 0;
    let playerRetried = false;

    for (;;) {
      if (context.signal?.aborted === true) throw this.#abortedError(context, attempts);
      if (player !== undefined) await this.#awaitPlayerCooldown(context, player, attempts);

      let ticket: RateLimitTicket;
      try {
        ticket = await this.#limiter.acquire(context.signal);
      } catch {
        throw this.#abortedError(context, attempts);
      }
      attempts++;
      if (attempts === 1) deadline = systemClock.now() + retry.maxRetryTime;
      const result = await this.#attempt(context, attempts, ticket, {
        relativePath,
        query,
        json: init.json,
        player,
        responseType,
        check: init.check,
      });
      if (result.ok) return result.value;

      const { error } = result;
      if (result.retry === 'none' || attempts > retry.limit) throw error;
      let delayMs: number;
      if (result.retry === 'player-rate-limit') {
        if (
          playerRetried ||
          error.retryAfter === undefined ||
          error.retryAfter > retry.maxPlayerCooldownWait
        )
          throw error;
        playerRetried = true;
        delayMs = error.retryAfter;
      } else {
        delayMs = Math.max(backoffDelay(attempts, retry), error.retryAfter ?? 0);
      }
      if (systemClock.now() + delayMs > deadline) throw error;
      this.#emit({
        type: 'retry',
        requestId: context.requestId,
        method,
        url: context.url,
        attempt: attempts,
        delayMs,
        error,
      });
      try {
        await sleep(delayMs, context.signal);
      } catch {
        throw this.#abortedError(context, attempts);
      }
    }
  }

  /** Waits out a short known cooldown of `player`, or fails at once for a long one. */
  async #awaitPlayerCooldown(
    context: CallContext,
    player: string,
    attempts: number,
  ): Promise<void> {
    const until = this.#playerCooldowns.get(player);
    if (until === undefined) return;
    const waitMs = Math.ceil(until - systemClock.now());
    if (waitMs <= 0) {
      this.#playerCooldowns.delete(player);
      return;
    }
    if (waitMs > this.#options.retry.maxPlayerCooldownWait)
      throw new WomClientError(
        'PLAYER_IS_RATE_LIMITED',
        `Player "${player}" was updated too recently; not sent, the cooldown from an earlier 429 ends in ${waitMs} ms: ${context.method} ${context.url}`,
        {
          method: context.method,
          url: context.url,
          attempts,
          retryAfter: waitMs,
          isRetryable: true,
        },
      );
    try {
      await sleep(waitMs, context.signal);
    } catch {
      throw this.#abortedError(context, attempts);
    }
  }

  #recordPlayerCooldown(player: string, retryAfter: number): void {
    const now = systemClock.now();
    if (this.#playerCooldowns.size > 1_000)
      for (const [key, until] of this.#playerCooldowns)
        if (until <= now) this.#playerCooldowns.delete(key);
    this.#playerCooldowns.set(player, now + retryAfter);
  }

  async #attempt(
    context: CallContext,
    attempt: number,
    ticket: RateLimitTicket,
    request: {
      relativePath: string;
      query: URLSearchParams;
      json: unknown;
      player: string | undefined;
      responseType: 'json' | 'text';
      check?: ShapeCheck | undefined;
    },
  ): Promise<AttemptResult> {
    const { method, url, requestId, signal } = context;
    const controller = new AbortController();
    const timeoutReason = new DOMException('The request timed out', 'TimeoutError');
    const timer = setTimeout(() => {
      controller.abort(timeoutReason);
    }, this.#options.timeout);
    const forgetAbort =
      signal === undefined
        ? undefined
        : onAbort(signal, () => {
            controller.abort(signal.reason);
          });
    if (signal?.aborted === true) controller.abort(signal.reason);

    let settled = false;
    const settle = (info: SettleInfo): void => {
      if (settled) return;
      settled = true;
      ticket.settle(info);
    };

    const kyOptions: KyOptions = { method, signal: controller.signal };
    if (request.query.size > 0) kyOptions.searchParams = request.query;
    if (method === 'POST') kyOptions.json = request.json ?? {};
    if (request.responseType === 'text') kyOptions.headers = { accept: TEXT_ACCEPT };

    const sentAt = systemClock.now();
    let status: number | undefined;
    let rateLimit: RateLimitInfo | undefined;
    let text: string;
    this.#requestCount++;
    this.#emit({ type: 'request', requestId, method, url, attempt });
    try {
      const response = await this.#ky(request.relativePath, kyOptions);
      status = response.status;
      rateLimit = parseRateLimitHeaders(response.headers);
      // A 429's headers are judged once its body says which limit it is about.
      if (status !== 429) settle({ responded: true, rateLimit });
      this.#emit({
        type: 'response',
        requestId,
        method,
        url,
        attempt,
        status,
        durationMs: systemClock.now() - sentAt,
        rateLimit,
      });
      text = await response.text();
    } catch (error) {
      settle({ responded: status !== undefined });
      const details = { status, method, url, attempts: attempt, cause: error };
      if (controller.signal.reason === timeoutReason)
        return {
          ok: false,
          // Reading again changes nothing on the server; a POST may have been acted on.
          retry: method === 'GET' ? 'transient' : 'none',
          error: new WomClientError(
            'TIMEOUT',
            `Request timed out after ${this.#options.timeout} ms${attemptsSuffix(attempt)}: ${method} ${url}`,
            { ...details, isRetryable: true },
          ),
        };
      if (signal?.aborted === true)
        return { ok: false, retry: 'none', error: this.#abortedError(context, attempt) };
      const retryable = method === 'GET' || (status === undefined && isNotConnectedError(error));
      return {
        ok: false,
        retry: retryable ? 'transient' : 'none',
        error: new WomClientError(
          'NETWORK_ERROR',
          `Request failed (${describeNetworkError(error)})${attemptsSuffix(attempt)}: ${method} ${url}`,
          { ...details, isRetryable: true },
        ),
      };
    } finally {
      clearTimeout(timer);
      forgetAbort?.();
    }

    if (status >= 200 && status < 300)
      return this.#success(context, attempt, status, text, request.responseType, request.check);
    return this.#failure(context, attempt, status, text, rateLimit, request.player, settle);
  }

  #success(
    context: CallContext,
    attempt: number,
    status: number,
    text: string,
    responseType: 'json' | 'text',
    check: ShapeCheck | undefined,
  ): AttemptResult {
    if (responseType === 'text') return { ok: true, value: text };
    if (status === 204) return { ok: true, value: undefined };
    const { method, url } = context;
    let value: unknown;
    try {
      if (text.trim() === '') throw new SyntaxError('Empty response body');
      value = parseJson(text, this.#options.parseDates);
    } catch (error) {
      const bodySnippet = snippet(text);
      return {
        ok: false,
        retry: 'none',
        error: new WomClientError(
          'INVALID_RESPONSE',
          `Invalid JSON in response with status code ${status}${attemptsSuffix(attempt)}: ${method} ${url}: ${bodySnippet === '' ? '(empty body)' : JSON.stringify(snippet(text, 80))}`,
          { status, method, url, attempts: attempt, bodySnippet, cause: error },
        ),
      };
    }
    if (check === undefined) return { ok: true, value };
    try {
      checkShape(check, value, this.#options.parseDates);
    } catch (error) {
      const field = error instanceof ResponseShapeError ? error.field : '';
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        retry: 'none',
        error: new WomClientError(
          'INVALID_RESPONSE',
          `Unexpected response shape with status code ${status} (${reason})${attemptsSuffix(attempt)}: ${method} ${url}`,
          { status, method, url, attempts: attempt, field, cause: error },
        ),
      };
    }
    return { ok: true, value };
  }

  #failure(
    context: CallContext,
    attempt: number,
    status: number,
    text: string,
    rateLimit: RateLimitInfo,
    player: string | undefined,
    settle: (info: SettleInfo) => void,
  ): AttemptResult {
    const { method, url, requestId } = context;
    const body = parseErrorBody(text);
    const isEmpty = text.trim() === '';
    let code: string;
    if (body?.code !== undefined) code = body.code;
    else if (status === 429) code = 'RATE_LIMITED';
    else if (body !== undefined || isEmpty)
      code =
        status === 403 && this.#options.apiKey !== undefined ? 'INVALID_API_KEY' : 'HTTP_ERROR';
    else code = 'INVALID_RESPONSE';

    let retry: RetryKind = 'none';
    let retryAfter: number | undefined;
    if (status === 429) {
      retryAfter = rateLimit.retryAfter ?? rateLimit.reset;
      const scope = body?.code === undefined ? 'global' : 'player';
      if (scope === 'global') {
        // The global limit: the whole client waits for the server's window to reset.
        settle({ responded: true, rateLimit });
        if (retryAfter !== undefined) this.#limiter.pauseUntil(systemClock.now() + retryAfter);
        retry = 'global-rate-limit';
      } else {
        // The per-player cooldown replaces the rate-limit headers (`RateLimit-Limit: 1`): they
        // say nothing about the global window. Only this player waits.
        settle({ responded: true });
        if (player !== undefined && retryAfter !== undefined)
          this.#recordPlayerCooldown(player, retryAfter);
        retry = 'player-rate-limit';
      }
      this.#emit({
        type: 'rateLimited',
        requestId,
        method,
        url,
        attempt,
        scope,
        retryAfter,
        player: scope === 'player' ? player : undefined,
      });
    } else if (status >= 500 && status <= 504 && status !== 501) {
      // WOM answers 500 for a database hiccup ("Please try again later"); 502–504 come from the
      // proxy in front of it. A GET is read again; a POST only when WOM provably did nothing.
      const hiscoresDown = status === 503 && body?.code?.startsWith('HISCORES_') === true;
      if (method === 'GET' || hiscoresDown) retry = 'transient';
    }

    const isRetryable = status === 429 || (status >= 500 && status <= 504 && status !== 501);
    const detail =
      code === 'INVALID_RESPONSE'
        ? `${code}: ${JSON.stringify(snippet(text, 80))}`
        : body?.message === undefined || body.message === ''
          ? code
          : `${code}: ${body.message}`;
    const error = new WomClientError(
      code,
      `Request failed with status code ${status} (${detail})${attemptsSuffix(attempt)}: ${method} ${url}`,
      {
        status,
        method,
        url,
        retryAfter,
        data: body?.data,
        subError: body?.subError,
        bodySnippet: body === undefined && !isEmpty ? snippet(text) : undefined,
        attempts: attempt,
        isRetryable,
      },
    );
    return { ok: false, error, retry };
  }
}
