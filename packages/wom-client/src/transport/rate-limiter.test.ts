import { describe, expect, it } from 'vitest';
import { RateLimiter, type Clock, type RateLimitTicket } from './rate-limiter.js';

/** A manual clock: timers run only when the test advances time. */
class ManualClock implements Clock {
  time = 0;
  #timers: Array<{ at: number; id: number; callback: () => void }> = [];
  #nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ at: this.time + Math.max(0, delayMs), id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Runs every timer due up to `this.time + ms`, in order, letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flush();
      this.#timers.sort((left, right) => left.at - right.at || left.id - right.id);
      const next = this.#timers[0];
      if (next === undefined || next.at > target) break;
      this.#timers.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = target;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let index = 0; index < 10; index++) await Promise.resolve();
}

/** Acquires and records when the ticket was granted. */
function track(limiter: RateLimiter, clock: ManualClock, signal?: AbortSignal) {
  const state: { ticket: RateLimitTicket | undefined; at: number | undefined; error: unknown } = {
    ticket: undefined,
    at: undefined,
    error: undefined,
  };
  limiter.acquire(signal).then(
    (ticket) => {
      state.ticket = ticket;
      state.at = clock.now();
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return state;
}

const ok = { responded: true } as const;

describe('RateLimiter', () => {
  it('sends one request until the first response arrives, then fills the window', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 3, windowMs: 1000, clock });
    const first = track(limiter, clock);
    const second = track(limiter, clock);
    const third = track(limiter, clock);
    await clock.advance(0);
    expect(first.ticket).toBeDefined();
    expect(second.ticket).toBeUndefined();
    await clock.advance(10);
    first.ticket?.settle(ok);
    await clock.advance(0);
    expect(second.at).toBe(10);
    expect(third.at).toBe(10);
  });

  it('ends the window one window after its first response and holds the rest until then', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const limiter = new RateLimiter({
      points: 2,
      windowMs: 1000,
      clock,
      onWait: ({ waitMs, reason }) => {
        expect(reason).toBe('window');
        waits.push(waitMs);
      },
    });
    const first = track(limiter, clock);
    await clock.advance(5);
    first.ticket?.settle(ok); // the window ends at 1005
    const second = track(limiter, clock);
    const third = track(limiter, clock);
    await clock.advance(0);
    expect(second.at).toBe(5);
    expect(third.ticket).toBeUndefined();
    second.ticket?.settle(ok);
    await clock.advance(999);
    expect(third.ticket).toBeUndefined();
    await clock.advance(1);
    expect(third.at).toBe(1005);
    expect(waits).toEqual([1000]);
    expect(limiter.queued).toBe(0);
  });

  it('grants in arrival order', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 1, windowMs: 100, clock });
    const order: number[] = [];
    const tickets = [0, 1, 2, 3].map((index) =>
      limiter.acquire().then((ticket) => {
        order.push(index);
        ticket.settle(ok);
      }),
    );
    await clock.advance(1000);
    await Promise.all(tickets);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('counts a request still in flight at the rollover in the next window', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 2, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle(ok); // the window ends at 1000
    const slow = track(limiter, clock); // never answers before the rollover
    await clock.advance(1000);
    const next = track(limiter, clock);
    const blocked = track(limiter, clock);
    await clock.advance(0);
    expect(slow.at).toBe(0);
    expect(next.at).toBe(1000);
    expect(blocked.ticket).toBeUndefined(); // `slow` + `next` fill the new window
    next.ticket?.settle(ok); // the new window ends at 2000
    slow.ticket?.settle(ok);
    await clock.advance(999);
    expect(blocked.ticket).toBeUndefined();
    await clock.advance(1);
    expect(blocked.at).toBe(2000);
  });

  it('counts a request answered after the earliest possible server reset in the next window', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 2, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    // The first response takes 100 ms: the server's window began between 0 and 100.
    await clock.advance(100);
    first.ticket?.settle(ok); // the client's window ends at 1100
    await clock.advance(895);
    const late = track(limiter, clock); // sent at 995, may arrive after the server reset at 1000
    await clock.advance(10);
    late.ticket?.settle(ok); // answered at 1005
    await clock.advance(95); // 1100: rollover
    const next = track(limiter, clock);
    const blocked = track(limiter, clock);
    await clock.advance(0);
    expect(next.at).toBe(1100);
    expect(blocked.ticket).toBeUndefined();
  });

  it('adopts a smaller RateLimit-Limit from the server', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 5, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle({ responded: true, rateLimit: { limit: 2, remaining: 1, reset: 1000 } });
    const granted = [track(limiter, clock), track(limiter, clock), track(limiter, clock)];
    await clock.advance(0);
    expect(limiter.points).toBe(2);
    expect(granted.map((state) => state.ticket !== undefined)).toEqual([true, false, false]);
  });

  it('never raises its limit above the configured one', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 2, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle({ responded: true, rateLimit: { limit: 100, remaining: 99, reset: 60 } });
    expect(limiter.points).toBe(2);
  });

  it('waits for the server reset when the server counted more than this client sent', async () => {
    const clock = new ManualClock();
    const reasons: string[] = [];
    const limiter = new RateLimiter({
      points: 20,
      windowMs: 60_000,
      clock,
      onWait: ({ reason }) => reasons.push(reason),
    });
    const first = track(limiter, clock);
    await clock.advance(0);
    // Another process used the key: remaining 0, reset in 37 s.
    first.ticket?.settle({
      responded: true,
      rateLimit: { limit: 20, remaining: 0, reset: 37_000 },
    });
    const next = track(limiter, clock);
    await clock.advance(36_999);
    expect(next.ticket).toBeUndefined();
    await clock.advance(1);
    expect(next.at).toBe(37_000);
    expect(reasons).toEqual(['server']);
  });

  it('takes the server count when it is ahead but not exhausted', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 5, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle({ responded: true, rateLimit: { limit: 5, remaining: 2, reset: 1000 } });
    const granted = [1, 2, 3].map(() => track(limiter, clock));
    await clock.advance(0);
    expect(granted.map((state) => state.ticket !== undefined)).toEqual([true, true, false]);
  });

  it('ignores remaining counts from responses of an earlier window', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 2, windowMs: 100, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle(ok);
    const old = track(limiter, clock);
    await clock.advance(100);
    old.ticket?.settle({ responded: true, rateLimit: { limit: 2, remaining: 0, reset: 1000 } });
    const next = track(limiter, clock);
    await clock.advance(0);
    expect(next.ticket).toBeDefined();
  });

  it('pauses every caller until a global 429 says the window resets', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 20, windowMs: 60_000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle(ok);
    limiter.pauseUntil(clock.now() + 5000);
    const waiting = [track(limiter, clock), track(limiter, clock)];
    await clock.advance(4999);
    expect(waiting.every((state) => state.ticket === undefined)).toBe(true);
    await clock.advance(1);
    expect(waiting.map((state) => state.at)).toEqual([5000, 5000]);
  });

  it('rejects a queued caller whose signal aborts and keeps serving the others', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 1, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle(ok);
    const controller = new AbortController();
    const aborted = track(limiter, clock, controller.signal);
    const other = track(limiter, clock);
    await clock.advance(10);
    controller.abort(new Error('stop'));
    await clock.advance(0);
    expect(aborted.error).toEqual(new Error('stop'));
    expect(limiter.queued).toBe(1);
    await clock.advance(990);
    expect(other.at).toBe(1000);
    expect(aborted.ticket).toBeUndefined();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new RateLimiter({ points: 1, windowMs: 1000, clock: new ManualClock() });
    await expect(limiter.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  it('does not limit when disabled, but still honours a pause', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      points: Number.POSITIVE_INFINITY,
      windowMs: Number.POSITIVE_INFINITY,
      clock,
    });
    const many = Array.from({ length: 50 }, () => track(limiter, clock));
    await clock.advance(0);
    expect(many.every((state) => state.ticket !== undefined)).toBe(true);
    for (const state of many) state.ticket?.settle(ok);
    limiter.pauseUntil(clock.now() + 100);
    const paused = track(limiter, clock);
    await clock.advance(99);
    expect(paused.ticket).toBeUndefined();
    await clock.advance(1);
    expect(paused.at).toBe(100);
  });

  it('settling a ticket twice counts once', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ points: 5, windowMs: 1000, clock });
    const first = track(limiter, clock);
    await clock.advance(0);
    first.ticket?.settle(ok);
    first.ticket?.settle(ok);
    expect(limiter.inFlight).toBe(0);
  });

  it.each([1, 42, 2024, 31_337, 777_777])(
    'never exceeds a fixed-window server under random latencies (simulation, seed %i)',
    async (initialSeed) => {
      // A model of rate-limiter-flexible: a fixed window starting at the first request counted.
      const points = 10;
      const windowMs = 1000;
      let seed = initialSeed;
      const random = (): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const clock = new ManualClock();
      const limiter = new RateLimiter({ points, windowMs, clock });
      let serverStart = Number.NEGATIVE_INFINITY;
      let serverCount = 0;
      let maxCount = 0;
      let done = 0;
      const total = 400;
      const arrive = (): { limit: number; remaining: number; reset: number } => {
        const now = clock.now();
        if (now >= serverStart + windowMs) {
          serverStart = now;
          serverCount = 0;
        }
        serverCount++;
        maxCount = Math.max(maxCount, serverCount);
        return {
          limit: points,
          remaining: Math.max(0, points - serverCount),
          reset: Math.ceil((serverStart + windowMs - now) / 1000) * 1000,
        };
      };
      const send = async (): Promise<void> => {
        const ticket = await limiter.acquire();
        const upLatency = random() < 0.1 ? 300 + random() * 900 : random() * 40;
        const downLatency = random() * 40;
        clock.setTimeout(() => {
          const rateLimit = arrive();
          clock.setTimeout(() => {
            ticket.settle({ responded: true, rateLimit });
            done++;
          }, downLatency);
        }, upLatency);
      };
      // Callers arrive in bursts and trickles over time.
      for (let index = 0; index < total; index++)
        clock.setTimeout(() => void send(), index < 100 ? 0 : random() * 40_000);
      for (let step = 0; step < 200 && done < total; step++) await clock.advance(1000);
      expect(done).toBe(total);
      expect(maxCount).toBeLessThanOrEqual(points);
    },
  );
});
