/**
 * A hand-off queue between channel workers and the harvest's consumer, with backpressure: a
 * producer's `push` resolves only once the consumer has finished with the item (it asked for the
 * next one), so each worker holds at most one page at a time, however long the history.
 */

/** Rejects the pushes still waiting when the queue is cancelled or failed. */
export class QueueClosedError extends Error {
  override readonly name = 'QueueClosedError';
}

interface Pending<Item> {
  item: Item;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** An item taken from the queue; call `done()` once it has been handled. */
export interface Taken<Item> {
  item: Item;
  done: () => void;
}

export class HandOffQueue<Item> {
  readonly #buffer: Array<Pending<Item>> = [];
  /** Items handed to the consumer and not done yet. */
  readonly #outstanding = new Set<Pending<Item>>();
  #waiter:
    | { resolve: (value: Taken<Item> | undefined) => void; reject: (error: unknown) => void }
    | undefined;
  #closed = false;
  #failure: { error: Error } | undefined;
  #cancelled = false;

  /** Adds an item; resolves when the consumer is done with it, rejects if the queue is cancelled. */
  push(item: Item): Promise<void> {
    if (this.#cancelled || this.#failure !== undefined)
      return Promise.reject(new QueueClosedError('The harvest has stopped'));
    return new Promise<void>((resolve, reject) => {
      const pending: Pending<Item> = { item, resolve, reject };
      const waiter = this.#waiter;
      if (waiter !== undefined) {
        this.#waiter = undefined;
        waiter.resolve(this.#hand(pending));
      } else {
        this.#buffer.push(pending);
      }
    });
  }

  #hand(pending: Pending<Item>): Taken<Item> {
    this.#outstanding.add(pending);
    return {
      item: pending.item,
      done: () => {
        if (this.#outstanding.delete(pending)) pending.resolve();
      },
    };
  }

  /**
   * The next item; `undefined` once the queue is closed and empty. Rejects with the failure (after
   * the items already queued, for a failure that is not immediate).
   */
  take(): Promise<Taken<Item> | undefined> {
    const pending = this.#buffer.shift();
    if (pending !== undefined) return Promise.resolve(this.#hand(pending));
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#closed || this.#cancelled) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** No more items will come. */
  close(): void {
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(undefined);
  }

  /**
   * Ends the queue with an error (only the first counts). `immediate` drops the queued items (their
   * pushes reject); otherwise the consumer gets them first.
   */
  fail(error: unknown, immediate: boolean): void {
    if (this.#failure !== undefined) return;
    this.#failure = { error: error instanceof Error ? error : new Error(String(error)) };
    if (immediate) this.#rejectBuffered();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(this.#failure.error);
  }

  /** The consumer is gone: every waiting push rejects. */
  cancel(): void {
    this.#cancelled = true;
    this.#rejectBuffered();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(undefined);
  }

  #rejectBuffered(): void {
    const stopped = [...this.#buffer.splice(0), ...this.#outstanding];
    this.#outstanding.clear();
    for (const pending of stopped) pending.reject(new QueueClosedError('The harvest has stopped'));
  }
}
