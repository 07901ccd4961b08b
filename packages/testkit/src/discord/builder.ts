/** The generation context shared by the clan and bench layouts: channels, ids, conversation. */
import { forumTitle } from './content.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES } from './model.js';
import type { SyntheticDiscordChannelRole, SyntheticDiscordOverwrite } from './model.js';
import type { Random } from '../random.js';
import { isHumanAuthor } from './messages.js';
import { snowflakeBigInt } from './snowflake.js';
import type { ChannelState, UserState, WebhookState } from './state.js';
import {
  FLAG_ATTACHMENT,
  FLAG_HAS_THREAD,
  FLAG_PING,
  FLAG_QUESTION,
  FLAG_STARTER,
  MessageColumns,
} from './store.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Thread and post ids come from message positions; keep channel indices below the layout bits. */
const MAX_CHANNELS = 1000;
const LAYOUT_BITS = 0x3fffff ^ 0xfff;

export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count++;
    product *= random.next();
  }
  return count;
}

export interface ChannelSpec {
  type: number;
  name: string;
  role: SyntheticDiscordChannelRole;
  parentIndex?: number;
  position?: number;
  topic?: string | null;
  overwrites?: readonly SyntheticDiscordOverwrite[];
  createdAt: number;
  id?: bigint;
  ownerIndex?: number;
  isPrivate?: boolean;
  botJoined?: boolean;
  autoArchiveDuration?: number | null;
  titleIsQuestion?: boolean;
  capacity?: number;
  relay?: boolean;
}

/** Mutable generation context shared by the clan and bench layouts. */
export class Builder {
  readonly random: Random;
  readonly now: number;
  readonly start: number;
  readonly channels: ChannelState[] = [];
  readonly users: UserState[] = [];
  readonly webhooks: WebhookState[] = [];
  readonly guildId: string;
  /** Per channel: the open question (index) and its time, for answers. */
  readonly #questionIndex: number[] = [];
  readonly #questionTime: number[] = [];
  #layoutCounter = 0;

  constructor(random: Random, guildId: string, start: number, now: number) {
    this.random = random;
    this.guildId = guildId;
    this.start = start;
    this.now = now;
  }

  /** An id for a non-message object created at `millis` (worker/process bits all ones). */
  layoutId(millis: number): bigint {
    this.#layoutCounter = (this.#layoutCounter + 1) & 0xfff;
    return snowflakeBigInt(millis, LAYOUT_BITS | this.#layoutCounter);
  }

  addChannel(spec: ChannelSpec): ChannelState {
    const index = this.channels.length;
    if (index >= MAX_CHANNELS) throw new RangeError('too many channels');
    const id = spec.id ?? this.layoutId(spec.createdAt);
    const isThread =
      spec.type === DISCORD_CHANNEL_TYPES.PUBLIC_THREAD ||
      spec.type === DISCORD_CHANNEL_TYPES.PRIVATE_THREAD ||
      spec.type === DISCORD_CHANNEL_TYPES.ANNOUNCEMENT_THREAD;
    const channel: ChannelState = {
      index,
      id: id.toString(),
      idBig: id,
      type: spec.type,
      name: spec.name,
      parentIndex: spec.parentIndex ?? -1,
      position: spec.position ?? 0,
      topic: spec.topic ?? null,
      overwrites: spec.overwrites ?? [],
      role: spec.role,
      createdAt: spec.createdAt,
      ownerIndex: spec.ownerIndex ?? -1,
      archived: false,
      archiveTimestamp: isThread ? spec.createdAt : null,
      locked: false,
      isPrivate: spec.isPrivate ?? false,
      botJoined: spec.botJoined ?? false,
      autoArchiveDuration: isThread ? (spec.autoArchiveDuration ?? 1440) : null,
      titleIsQuestion: spec.titleIsQuestion ?? false,
      starterIndex: -1,
      messages: new MessageColumns(index, spec.capacity ?? 64, spec.relay ?? false),
      threads: [],
      overrides: null,
      isThread,
    };
    this.channels.push(channel);
    this.#questionIndex.push(-1);
    this.#questionTime.push(0);
    if (spec.parentIndex !== undefined && isThread)
      this.channels[spec.parentIndex]?.threads.push(index);
    return channel;
  }

  isPresent(user: UserState, time: number): boolean {
    return user.joinedAt <= time && (user.leftAt === null || time < user.leftAt);
  }

  /**
   * Appends a human message: maybe an answer to the channel's open question, maybe a reply to a
   * recent message, maybe a question; sometimes edited or with an attachment.
   */
  postHuman(channel: ChannelState, time: number, author: number, extraFlags = 0): number {
    const random = this.random;
    const columns = channel.messages;
    let type: number = DISCORD_MESSAGE_TYPES.DEFAULT;
    let replyTo = -1;
    let flags = extraFlags;
    const open = this.#questionIndex[channel.index] ?? -1;
    if (
      open >= 0 &&
      columns.authors[open] !== author &&
      time - (this.#questionTime[channel.index] ?? 0) < 3 * HOUR &&
      random.chance(0.55)
    ) {
      replyTo = open;
      this.#questionIndex[channel.index] = -1;
    } else if (columns.length > 0 && random.chance(0.1)) {
      const target = columns.length - random.int(1, Math.min(6, columns.length));
      const targetType = columns.types[target];
      if (
        columns.authors[target] !== author &&
        isHumanAuthor(this.users, columns.authors[target] ?? -1) &&
        (targetType === DISCORD_MESSAGE_TYPES.DEFAULT || targetType === DISCORD_MESSAGE_TYPES.REPLY)
      )
        replyTo = target;
    }
    if (replyTo >= 0) {
      type = DISCORD_MESSAGE_TYPES.REPLY;
      if (random.chance(0.7)) flags |= FLAG_PING;
    } else if ((flags & FLAG_STARTER) === 0 && random.chance(0.1)) {
      flags |= FLAG_QUESTION;
    }
    if (channel.role !== 'media' && random.chance(0.03)) flags |= FLAG_ATTACHMENT;
    const index = columns.push(time, author, type, flags);
    columns.replyTo[index] = replyTo;
    if ((flags & FLAG_QUESTION) !== 0) {
      this.#questionIndex[channel.index] = index;
      this.#questionTime[channel.index] = time;
    }
    if (random.chance(0.04)) {
      const seconds = random.int(5, 7200);
      if ((columns.times[index] ?? 0) + seconds * 1000 < this.now) columns.edits[index] = seconds;
    }
    return index;
  }

  /** Appends a bot, webhook or system message. */
  postOther(
    channel: ChannelState,
    time: number,
    author: number,
    type: number,
    flags: number,
    extra = -1,
  ): number {
    const index = channel.messages.push(time, author, type, flags);
    channel.messages.extra[index] = extra;
    return index;
  }

  /** Appends a relay message with 1–3 lines spoken by `speakers` (clan member indices). */
  postRelay(
    channel: ChannelState,
    time: number,
    author: number,
    speakers: readonly number[],
    broadcasts: number,
  ): number {
    const index = channel.messages.push(time, author, DISCORD_MESSAGE_TYPES.DEFAULT, broadcasts);
    const relay = channel.messages.relay;
    if (relay !== null)
      speakers.slice(0, 3).forEach((member, line) => (relay[index * 3 + line] = member));
    return index;
  }

  /**
   * Starts a thread from a parent message (`parentIndex` ≥ 0: same id, a THREAD_STARTER_MESSAGE
   * first) or from nothing (a THREAD_CREATED message in the parent for public threads).
   */
  startThread(
    parent: ChannelState,
    parentIndex: number,
    options: {
      type: number;
      name: string;
      owner: number;
      createdAt: number;
      autoArchiveDuration: number;
      isPrivate?: boolean;
      botJoined?: boolean;
      capacity?: number;
    },
  ): ChannelState {
    const fromMessage = parentIndex >= 0;
    const thread = this.addChannel({
      type: options.type,
      name: options.name,
      role: 'thread',
      parentIndex: parent.index,
      createdAt: options.createdAt,
      ownerIndex: options.owner,
      isPrivate: options.isPrivate ?? false,
      botJoined: options.botJoined ?? false,
      autoArchiveDuration: options.autoArchiveDuration,
      capacity: options.capacity ?? 32,
      ...(fromMessage ? { id: parent.messages.ids[parentIndex] ?? 0n } : {}),
    });
    if (fromMessage) {
      parent.messages.flags[parentIndex] =
        (parent.messages.flags[parentIndex] ?? 0) | FLAG_HAS_THREAD;
      parent.messages.extra[parentIndex] = thread.index;
      thread.starterIndex = parentIndex;
      this.postOther(
        thread,
        options.createdAt,
        parent.messages.authors[parentIndex] ?? options.owner,
        DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE,
        0,
        parentIndex,
      );
    } else if (!(options.isPrivate ?? false)) {
      this.postOther(
        parent,
        options.createdAt,
        options.owner,
        DISCORD_MESSAGE_TYPES.THREAD_CREATED,
        0,
        thread.index,
      );
    }
    return thread;
  }

  /** Creates a forum or media post: its first message's id is the post's id. */
  startPost(
    forum: ChannelState,
    time: number,
    owner: number,
    options: { titleIsQuestion: boolean; autoArchiveDuration: number; capacity?: number },
  ): ChannelState {
    const media = forum.type === DISCORD_CHANNEL_TYPES.GUILD_MEDIA;
    const post = this.addChannel({
      type: DISCORD_CHANNEL_TYPES.PUBLIC_THREAD,
      name: forumTitle(this.random, options.titleIsQuestion),
      role: 'post',
      parentIndex: forum.index,
      createdAt: time,
      ownerIndex: owner,
      autoArchiveDuration: options.autoArchiveDuration,
      titleIsQuestion: options.titleIsQuestion,
      capacity: options.capacity ?? 16,
    });
    const flags =
      FLAG_STARTER | (options.titleIsQuestion ? FLAG_QUESTION : 0) | (media ? FLAG_ATTACHMENT : 0);
    const index = post.messages.push(time, owner, DISCORD_MESSAGE_TYPES.DEFAULT, flags);
    post.messages.replyTo[index] = -1;
    if (options.titleIsQuestion) {
      this.#questionIndex[post.index] = index;
      this.#questionTime[post.index] = time;
    }
    post.idBig = post.messages.ids[0] ?? 0n;
    post.id = post.idBig.toString();
    post.createdAt = post.messages.times[0] ?? time;
    post.archiveTimestamp = post.createdAt;
    return post;
  }

  /** Sets a thread's archive state from its last activity. */
  settleThread(thread: ChannelState): void {
    const last = Math.max(thread.createdAt, thread.messages.lastTime);
    const duration = (thread.autoArchiveDuration ?? 1440) * MINUTE;
    if (this.now - last > duration) {
      thread.archived = true;
      thread.archiveTimestamp = last + duration;
      thread.locked = this.random.chance(0.15);
    } else {
      thread.archived = false;
      thread.archiveTimestamp = thread.createdAt;
    }
  }
}

/** A speaker pool weighted by chattiness. */
export class AuthorPool {
  readonly #users: UserState[];
  readonly #cumulative: Float64Array;

  constructor(users: readonly UserState[]) {
    this.#users = users.filter((user) => !user.bot);
    this.#cumulative = new Float64Array(this.#users.length);
    let total = 0;
    this.#users.forEach((user, index) => {
      total += user.chattiness + 0.3;
      this.#cumulative[index] = total;
    });
  }

  get size(): number {
    return this.#users.length;
  }

  /** A user present at `time` (weighted), or null after a few misses and a scan. */
  pick(random: Random, builder: Builder, time: number, except = -1): UserState | null {
    const total = this.#cumulative[this.#cumulative.length - 1] ?? 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      const roll = random.next() * total;
      let low = 0;
      let high = this.#users.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((this.#cumulative[middle] ?? 0) <= roll) low = middle + 1;
        else high = middle;
      }
      const user = this.#users[low];
      if (user !== undefined && user.index !== except && builder.isPresent(user, time)) return user;
    }
    const present = this.#users.filter(
      (user) => user.index !== except && builder.isPresent(user, time),
    );
    return present.length === 0 ? null : random.pick(present);
  }
}

/** Adds up to `count` messages to a thread after `from`, from the owner and others. */
export function fillThread(
  builder: Builder,
  pool: AuthorPool,
  thread: ChannelState,
  from: number,
  count: number,
  owner: number,
  meanGap: number,
): void {
  const random = builder.random;
  let time = from;
  for (let message = 0; message < count; message++) {
    time += Math.floor(-Math.log(1 - random.next()) * meanGap) + 1000;
    if (random.chance(0.08)) time += random.int(2, 30) * HOUR;
    if (time >= builder.now) break;
    const ownerUser = builder.users[owner];
    const author =
      ownerUser !== undefined && random.chance(0.35) && builder.isPresent(ownerUser, time)
        ? ownerUser
        : pool.pick(random, builder, time, owner);
    if (author === null) continue;
    builder.postHuman(thread, time, author.index);
  }
}
