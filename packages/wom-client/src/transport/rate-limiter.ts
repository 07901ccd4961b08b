import { onAbort } from './abort.js';

/** Time and timers, injectable for tests. `now` is monotonic, in milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `performance.now()` and the global timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per window; `Infinity` disables the client-side limit (pauses still apply). */
  points: number;
  /** The window length, in milliseconds. */
  windowMs: number;
  clock?: Clock;
  /** Called when queued requests must wait a known time. */
  onWait?: (info: { waitMs: number; queued: number; reason: 'window' | 'server' }) => void;
}

/** What a response said about the server's rate limit (all times in milliseconds). */
export interface RateLimitObservation {
  limit: number | undefined;
  remaining: number | undefined;
  reset: number | undefined;
}

/** How an attempt ended, reported through {@link RateLimitTicket.settle}. */
export interface SettleInfo {
  /** Whether response headers arrived (any status). */
  responded: boolean;
  /**
   * The response's global rate-limit headers. Leave out for responses whose headers are not
   * about the global limit (the per-player cooldown 429 replaces them).
   */
  rateLimit?: RateLimitObservation | undefined;
}

/** A permission to send one request, handed out by {@link RateLimiter.acquire}. */
export interface RateLimitTicket {
  /** Report that the response headers arrived, or that the attempt failed without a response. */
  settle(info: SettleInfo): void;
}

interface TicketState {
  readonly windowId: number;
  readonly dispatchedAt: number;
  settledAt: number | undefined;
}

interface WindowState {
  readonly id: number;
  /** Requests counted in this window: own dispatches, carried-over ones, server corrections. */
  used: number;
  /** When the window ends; `undefined` until the first of its requests settles. */
  end: number | undefined;
  /** A lower bound of when the server's window began (earliest dispatch that may count in it). */
  serverStartMin: number | undefined;
  /** Whether `end` was set by the server (a 429 or headers), for the wait event's reason. */
  serverPaused: boolean;
  readonly tickets: Set<TicketState>;
}

interface Waiter {
  resolve: (ticket: RateLimitTicket) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  /** Unregisters the abort callback once the waiter leaves the queue. */
  forget: (() => void) | undefined;
}

/**
 * A fixed-window client-side rate limiter that never lets a request out that would exceed the
 * server's window, for a server that (like Wise Old Man's `rate-limiter-flexible`) starts a
 * fixed window at the first request it counts.
 *
 * The server's window start is unknown, so it is bracketed: it is no later than the moment the
 * first response of the client's window arrives (the window's end is set from that moment),
 * and no earlier than the first dispatch that may count in it. Requests that may land in the
 * server's next window (still in flight at the rollover, or answered after the earliest possible
 * server reset) are counted in the client's next window too.
 *
 * Until the first response of the limiter's life arrives, only one request is in flight, so
 * that a lower `RateLimit-Limit` on the server is learnt before a burst goes out.
 */
export class RateLimiter {
  #points: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #onWait: RateLimiterOptions['onWait'];
  readonly #enabled: boolean;
  #window: WindowState;
  #inFlight = 0;
  #probing: boolean;
  readonly #queue: Waiter[] = [];
  #timer: unknown;
  #timerAt: number | undefined;

  constructor(options: RateLimiterOptions) {
    this.#points = options.points;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock ?? systemClock;
    this.#onWait = options.onWait;
    this.#enabled = Number.isFinite(options.points);
    this.#probing = this.#enabled;
    this.#window = {
      id: 0,
      used: 0,
      end: undefined,
      serverStartMin: undefined,
      serverPaused: false,
      tickets: new Set(),
    };
  }

  /** The requests allowed per window now (the configured value, or the server's if smaller). */
  get points(): number {
    return this.#points;
  }

  /** Calls waiting for permission to send. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Requests sent whose response headers have not arrived yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Waits until a request may be sent without exceeding the window, first come first served.
   * Rejects with `signal.reason` if the signal aborts first.
   */
  acquire(signal?: AbortSignal): Promise<RateLimitTicket> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#queue.length === 0) {
      const ticket = this.#tryDispatch();
      if (ticket !== undefined) return Promise.resolve(ticket);
    }
    return new Promise<RateLimitTicket>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, forget: undefined };
      if (signal !== undefined) {
        waiter.forget = onAbort(signal, () => {
          const index = this.#queue.indexOf(waiter);
          if (index !== -1) this.#queue.splice(index, 1);
          reject(signal.reason as Error);
          this.#drain();
        });
      }
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  /**
   * The server said its window is used up until `until` (a global 429's `Retry-After`, or
   * `RateLimit-Remaining: 0` with `RateLimit-Reset`): send nothing before then.
   */
  pauseUntil(until: number): void {
    const window = this.#window;
    // The server knows when its window resets; an earlier estimate of this client's is replaced.
    window.end =
      window.serverPaused && window.end !== undefined ? Math.max(window.end, until) : until;
    window.used = Math.max(window.used, this.#points);
    window.serverStartMin = window.end - this.#windowMs;
    window.serverPaused = true;
    this.#drain();
  }

  #settle(ticket: TicketState, info: SettleInfo): void {
    if (ticket.settledAt !== undefined) return;
    const now = this.#clock.now();
    ticket.settledAt = now;
    this.#inFlight--;
    const window = this.#window;
    if (info.responded) this.#probing = false;
    if (info.rateLimit !== undefined && this.#enabled) this.#observe(ticket, info.rateLimit, now);
    if (ticket.windowId === window.id && window.end === undefined)
      window.end = now + this.#windowMs;
    this.#drain();
  }

  #observe(ticket: TicketState, observation: RateLimitObservation, now: number): void {
    const { limit, remaining, reset } = observation;
    if (limit === undefined || limit < 1) return;
    if (limit < this.#points) this.#points = limit;
    const window = this.#window;
    if (ticket.windowId !== window.id || remaining === undefined) return;
    const serverCount = limit - remaining;
    if (serverCount > window.used) {
      // The server counted more than this client sent: someone shares the key or IP, or the
      // windows are misaligned. Believe the server.
      window.used = serverCount;
      if (remaining <= 0) this.pauseUntil(now + (reset ?? this.#windowMs));
    }
  }

  #rollover(now: number): void {
    const previous = this.#window;
    const earliestReset = (previous.serverStartMin ?? now) + this.#windowMs;
    const carried = new Set<TicketState>();
    for (const ticket of previous.tickets) {
      const settledAt = ticket.settledAt;
      if (
        settledAt === undefined ||
        (settledAt > earliestReset && now < settledAt + this.#windowMs)
      )
        carried.add(ticket);
    }
    let serverStartMin: number | undefined;
    for (const ticket of carried)
      serverStartMin = Math.min(serverStartMin ?? ticket.dispatchedAt, ticket.dispatchedAt);
    this.#window = {
      id: previous.id + 1,
      used: carried.size,
      end: undefined,
      serverStartMin,
      serverPaused: false,
      tickets: carried,
    };
    // Carried requests alone fill the window: no own request can anchor its end, so end it one
    // window from now.
    if (carried.size >= this.#points) {
      this.#window.end = now + this.#windowMs;
      this.#window.serverStartMin = now;
    }
  }

  #tryDispatch(): RateLimitTicket | undefined {
    const now = this.#clock.now();
    let window = this.#window;
    if (window.end !== undefined && now >= window.end) {
      this.#rollover(now);
      window = this.#window;
    }
    if (this.#probing && this.#inFlight > 0) return undefined;
    if (window.used >= this.#points) return undefined;
    window.used++;
    window.serverStartMin ??= now;
    const state: TicketState = { windowId: window.id, dispatchedAt: now, settledAt: undefined };
    window.tickets.add(state);
    this.#inFlight++;
    return {
      settle: (info) => {
        this.#settle(state, info);
      },
    };
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const ticket = this.#tryDispatch();
      if (ticket === undefined) break;
      const waiter = this.#queue.shift() as Waiter;
      waiter.forget?.();
      waiter.resolve(ticket);
    }
    this.#armTimer();
  }

  #armTimer(): void {
    const window = this.#window;
    const end = window.end;
    const blockedUntilEnd =
      this.#queue.length > 0 &&
      end !== undefined &&
      window.used >= this.#points &&
      !(this.#probing && this.#inFlight > 0);
    if (!blockedUntilEnd) {
      // Nothing waits for a known time (an in-flight request's response will wake the queue).
      if (this.#queue.length === 0) this.#clearTimer();
      return;
    }
    if (this.#timerAt === end) return;
    this.#clearTimer();
    const waitMs = Math.max(0, Math.ceil(end - this.#clock.now()));
    this.#timerAt = end;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = undefined;
      this.#drain();
    }, waitMs);
    this.#onWait?.({
      waitMs,
      queued: this.#queue.length,
      reason: window.serverPaused ? 'server' : 'window',
    });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = undefined;
  }
}
