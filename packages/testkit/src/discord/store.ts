/**
 * Compact message storage: one set of typed arrays per channel, ascending id. Message objects and
 * text are derived on demand (see `messages.ts`); nothing per message is a JS object.
 */
import { snowflakeBigInt } from './snowflake.js';

/** The message asks a question. */
export const FLAG_QUESTION = 1;
/** A reply that pings its target (`mentions` holds the replied-to author). */
export const FLAG_PING = 2;
/** One image attachment. */
export const FLAG_ATTACHMENT = 4;
/** One rich embed. */
export const FLAG_EMBED = 8;
/** A thread was started from this message (`extra` = the thread's channel index). */
export const FLAG_HAS_THREAD = 16;
/** Mentions `@everyone`. */
export const FLAG_EVERYONE = 32;
/** The first message of a forum/media post (its id is the post's id). */
export const FLAG_STARTER = 64;
/** Relay line `n` (0–2) is a broadcast: `FLAG_BROADCAST << n`. */
export const FLAG_BROADCAST = 256;

/** One message's columns, read out. */
export interface MessageRow {
  readonly type: number;
  readonly flags: number;
  readonly author: number;
  readonly time: number;
  /** Seconds to the last edit; 0 = never edited. */
  readonly edit: number;
  readonly replyTo: number;
  readonly extra: number;
}

/** Growable parallel typed arrays for one channel's messages, ascending id and time. */
export class MessageColumns {
  length = 0;
  ids: BigUint64Array;
  /** Epoch milliseconds. */
  times: Float64Array;
  /** A user index (≥ 0) or a webhook as `-(webhookIndex + 1)`. */
  authors: Int32Array;
  types: Uint8Array;
  flags: Uint16Array;
  /** The replied-to message's index in the same channel; -1 for none. */
  replyTo: Int32Array;
  /** Seconds from creation to the last edit; 0 = never edited. */
  edits: Uint32Array;
  /** Per type: the thread's channel index (HAS_THREAD, THREAD_CREATED), the parent message index (THREAD_STARTER). */
  extra: Int32Array;
  /** Relay channels only: three clan-member indices per message (-1 = no line). */
  relay: Int32Array | null;
  /** The low 22 bits of ids: this channel's worker/process bits. */
  readonly #workerBits: number;
  #lastMillis = -1;
  #increment = 0;

  constructor(channelIndex: number, capacity: number, relay: boolean) {
    const size = Math.max(4, capacity);
    this.#workerBits = (channelIndex & 0x3ff) << 12;
    this.ids = new BigUint64Array(size);
    this.times = new Float64Array(size);
    this.authors = new Int32Array(size);
    this.types = new Uint8Array(size);
    this.flags = new Uint16Array(size);
    this.replyTo = new Int32Array(size);
    this.edits = new Uint32Array(size);
    this.extra = new Int32Array(size);
    this.relay = relay ? new Int32Array(size * 3) : null;
  }

  #grow(): void {
    const size = this.ids.length * 2;
    const grow = <ArrayType extends { length: number; set(array: ArrayType): void }>(
      array: ArrayType,
      create: (length: number) => ArrayType,
      factor = 1,
    ): ArrayType => {
      const next = create(size * factor);
      next.set(array);
      return next;
    };
    this.ids = grow(this.ids, (length) => new BigUint64Array(length));
    this.times = grow(this.times, (length) => new Float64Array(length));
    this.authors = grow(this.authors, (length) => new Int32Array(length));
    this.types = grow(this.types, (length) => new Uint8Array(length));
    this.flags = grow(this.flags, (length) => new Uint16Array(length));
    this.replyTo = grow(this.replyTo, (length) => new Int32Array(length));
    this.edits = grow(this.edits, (length) => new Uint32Array(length));
    this.extra = grow(this.extra, (length) => new Int32Array(length));
    if (this.relay !== null) this.relay = grow(this.relay, (length) => new Int32Array(length), 3);
  }

  /**
   * Appends a message at `millis` (not before the previous one; moved forward a millisecond when
   * 4096 share one) and returns its index. Its id encodes the (possibly moved) time.
   */
  push(millis: number, author: number, type: number, flags: number): number {
    if (this.length === this.ids.length) this.#grow();
    let time = Math.max(Math.floor(millis), this.#lastMillis);
    if (time === this.#lastMillis) {
      this.#increment++;
      if (this.#increment > 0xfff) {
        time++;
        this.#increment = 0;
      }
    } else {
      this.#increment = 0;
    }
    this.#lastMillis = time;
    const index = this.length++;
    this.ids[index] = snowflakeBigInt(time, this.#workerBits | this.#increment);
    this.times[index] = time;
    this.authors[index] = author;
    this.types[index] = type;
    this.flags[index] = flags;
    this.replyTo[index] = -1;
    this.edits[index] = 0;
    this.extra[index] = -1;
    if (this.relay !== null) this.relay.fill(-1, index * 3, index * 3 + 3);
    return index;
  }

  /** One message's columns (ids excepted). */
  row(index: number): MessageRow {
    return {
      type: this.types[index] ?? 0,
      flags: this.flags[index] ?? 0,
      author: this.authors[index] ?? -1,
      time: this.times[index] ?? 0,
      edit: this.edits[index] ?? 0,
      replyTo: this.replyTo[index] ?? -1,
      extra: this.extra[index] ?? -1,
    };
  }

  /** The time of the last message, or -Infinity. */
  get lastTime(): number {
    return this.length === 0 ? -Infinity : (this.times[this.length - 1] ?? -Infinity);
  }

  /** The first index whose id is ≥ `id` (binary search). */
  lowerBound(id: bigint): number {
    let low = 0;
    let high = this.length;
    const ids = this.ids;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ids[middle] ?? 0n) < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The index of the message with this id, or -1. */
  indexOf(id: bigint): number {
    const index = this.lowerBound(id);
    return index < this.length && this.ids[index] === id ? index : -1;
  }

  /** The first index whose time is ≥ `millis`. */
  lowerBoundTime(millis: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] ?? 0) < millis) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Bytes held by the arrays (capacity, not length). */
  get byteLength(): number {
    return (
      this.ids.byteLength +
      this.times.byteLength +
      this.authors.byteLength +
      this.types.byteLength +
      this.flags.byteLength +
      this.replyTo.byteLength +
      this.edits.byteLength +
      this.extra.byteLength +
      (this.relay?.byteLength ?? 0)
    );
  }
}
