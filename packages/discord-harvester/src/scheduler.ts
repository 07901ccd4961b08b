/**
 * Request slots shared by every channel of a harvest: at most `size` channels have a page in
 * flight (or waiting to be consumed) at a time, and a free slot goes to the waiting channel with
 * the most work left. A channel keeps its slot from page to page until one with more work left
 * waits.
 *
 * Why: Discord limits each channel's message route on its own (5 requests per second on the fake,
 * like the live API), so a harvest can never take less than its largest channel's page count at
 * that rate. The largest channels must therefore start first and never wait behind small ones.
 * How much is left is only known after a channel's first page (from how long its newest 100
 * messages took to write); channels not read yet go first, then the largest estimate.
 */

/**
 * Inserts `waiter` into `list`, which stays sorted: highest priority first, then arrival order
 * (`order` ascending).
 */
function insertByPriority<TWaiter extends { priority: number; order: number }>(
  list: TWaiter[],
  waiter: TWaiter,
): void {
  let index = list.findIndex(
    (other) =>
      other.priority < waiter.priority ||
      (other.priority === waiter.priority && other.order > waiter.order),
  );
  if (index === -1) index = list.length;
  list.splice(index, 0, waiter);
}

interface Waiter {
  priority: number;
  order: number;
  resolve: () => void;
}

export class RequestSlots {
  #free: number;
  readonly #waiting: Waiter[] = [];
  #order = 0;
  #closed = false;

  constructor(size: number) {
    this.#free = size;
  }

  /**
   * Resolves when the caller may send its request. `priority`: the pages it expects to have left
   * (`Infinity` when unknown); higher goes first, ties in arrival order. After `close()`, resolves
   * at once (the caller then finds the harvest stopped).
   */
  acquire(priority: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { priority, order: this.#order, resolve };
      this.#order += 1;
      insertByPriority(this.#waiting, waiter);
    });
  }

  /**
   * For a holder between two pages: keeps the slot unless a waiter has a higher priority, in which
   * case the slot goes to it and the caller waits for the next one. A large channel thus keeps its
   * slot from page to page instead of queueing again behind channels that wait for their own
   * rate limits.
   */
  yieldTo(priority: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const top = this.#waiting[0];
    if (top === undefined || top.priority <= priority) return Promise.resolve();
    this.#waiting.shift();
    top.resolve();
    return this.acquire(priority);
  }

  /** Gives the slot to the next waiter, or frees it. */
  release(): void {
    if (this.#closed) return;
    const next = this.#waiting.shift();
    if (next === undefined) this.#free += 1;
    else next.resolve();
  }

  /** Lets every waiter through, now and later. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.resolve();
  }
}

interface PacedWaiter {
  priority: number;
  order: number;
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A priority-aware global request pacer (a token bucket): at most `burst + rate` requests in any
 * one-second interval, and when requests wait, the one with the highest priority goes first.
 *
 * discord.js's own global limiter serves waiting requests in no particular order, so small channels
 * starting their first pages (with fresh per-channel buckets, they send at once) can hold back the
 * largest channel, whose pace decides how long the whole harvest takes. This pacer runs just before
 * each request leaves, after discord.js has waited for the request's own bucket.
 */
export class RequestPacer {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;
  readonly #waiting: PacedWaiter[] = [];
  #order = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param perSecond - requests allowed per second (the global limit to stay under).
   * @param burst - tokens saved up at most (requests that may leave at once after a pause).
   */
  constructor(perSecond: number, burst = 2) {
    this.#burst = Math.max(1, burst);
    this.#ratePerMs = Math.max(1, perSecond - this.#burst) / 1000;
    this.#tokens = this.#burst;
    this.#updatedAt = performance.now();
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
    this.#updatedAt = now;
  }

  /** Resolves when a request of this priority may leave; rejects when `signal` aborts first. */
  acquire(priority: number, signal?: AbortSignal): Promise<void> {
    this.#refill();
    if (this.#waiting.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: PacedWaiter = {
        priority,
        order: this.#order,
        resolve,
        reject,
        signal,
        onAbort: undefined,
      };
      this.#order += 1;
      if (signal !== undefined) {
        waiter.onAbort = () => {
          const index = this.#waiting.indexOf(waiter);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(new Error('aborted while waiting to send'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      insertByPriority(this.#waiting, waiter);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiting.length === 0) return;
    this.#refill();
    const delay = Math.max(0, Math.ceil((1 - this.#tokens) / this.#ratePerMs));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#tokens >= 1) {
        const next = this.#waiting.shift();
        if (next === undefined) break;
        this.#tokens -= 1;
        if (next.onAbort !== undefined) next.signal?.removeEventListener('abort', next.onAbort);
        next.resolve();
      }
      this.#schedule();
    }, delay);
  }
}
