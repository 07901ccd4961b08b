/**
 * `createSyntheticDiscord(clan)`: the clan's Discord guild with a year of messages (or, with
 * `scale`, an exact number of messages over a bench layout), stored compactly and deterministic.
 */
import type { SyntheticClan, SyntheticMember } from '../clan/model.js';
import { generateDiscordUsername, generateDisplayName, generateGlobalName } from '../clan/names.js';
import { TestkitError } from '../errors.js';
import { createRandom, hashString } from '../random.js';
import type { Random } from '../random.js';
import { forumTitle, threadName } from './content.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES, DISCORD_PERMISSIONS } from './model.js';
import type {
  SyntheticDiscord,
  SyntheticDiscordChannelRole,
  SyntheticDiscordOverwrite,
  SyntheticDiscordRole,
} from './model.js';
import { isHumanAuthor } from './messages.js';
import { dayFactor, localDays, sampleTimeInDay } from './rhythm.js';
import type { LocalDay } from './rhythm.js';
import { snowflakeBigInt } from './snowflake.js';
import type { ChannelState, DiscordState, UserState, WebhookState } from './state.js';
import { createSyntheticDiscordView } from './view.js';
import {
  FLAG_ATTACHMENT,
  FLAG_BROADCAST,
  FLAG_EMBED,
  FLAG_EVERYONE,
  FLAG_HAS_THREAD,
  FLAG_PING,
  FLAG_QUESTION,
  FLAG_STARTER,
  MessageColumns,
} from './store.js';
import { userJson, webhookJson } from './wire.js';

/** Options of {@link createSyntheticDiscord}. */
export interface SyntheticDiscordOptions {
  /**
   * The clan's IANA time zone, for the daily and weekly rhythm.
   * @defaultValue `'Europe/London'`
   */
  timeZone?: string;
  /**
   * A multiplier on every member's chattiness (and on posts and threads).
   * @defaultValue `1`
   */
  messageScale?: number;
  /**
   * Bench layout: exactly `messages` messages spread over `channels` text channels, threads and
   * forum posts (about half text channels, a quarter threads, a quarter posts), instead of the
   * clan layout. Everything is readable by the bot.
   * @example `{ messages: 1_000_000, channels: 40 }`
   */
  scale?: { messages: number; channels: number };
}

/** The defaults of {@link SyntheticDiscordOptions}. */
export const DefaultSyntheticDiscordOptions = {
  timeZone: 'Europe/London',
  messageScale: 1,
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const { VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, CONNECT } = DISCORD_PERMISSIONS;
const EVERYONE_PERMISSIONS =
  VIEW_CHANNEL |
  SEND_MESSAGES |
  DISCORD_PERMISSIONS.EMBED_LINKS |
  DISCORD_PERMISSIONS.ATTACH_FILES |
  READ_MESSAGE_HISTORY |
  CONNECT |
  DISCORD_PERMISSIONS.SPEAK |
  DISCORD_PERMISSIONS.CREATE_PUBLIC_THREADS |
  DISCORD_PERMISSIONS.SEND_MESSAGES_IN_THREADS |
  (1n << 6n); /* ADD_REACTIONS */
const STAFF_RANKS = new Set(['owner', 'deputy_owner', 'general', 'captain']);
const ACTIVE_DAY: Record<string, number> = {
  'very-active': 0.8,
  active: 0.6,
  casual: 0.3,
  idle: 0.45,
  quit: 0.4,
  stale: 0.4,
  untracked: 0.5,
};
/** Thread and post ids come from message positions; keep channel indices below the layout bits. */
const MAX_CHANNELS = 1000;
const LAYOUT_BITS = 0x3fffff ^ 0xfff;

function fail(option: string, message: string): never {
  throw new TestkitError('INVALID_OPTIONS', `createSyntheticDiscord: ${message}`, { option });
}

function poisson(random: Random, mean: number): number {
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

interface ChannelSpec {
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
class Builder {
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
class AuthorPool {
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

function overwrite(
  id: string,
  type: 0 | 1,
  allow: bigint,
  deny: bigint,
): SyntheticDiscordOverwrite {
  return { id, type, allow: allow.toString(), deny: deny.toString() };
}

interface Layout {
  roles: SyntheticDiscordRole[];
  everyoneRoleId: string;
  staffRoleId: string;
  memberRoleId: string;
  guestRoleId: string;
  botsRoleId: string;
  botRoleId: string;
  botUserIndex: number;
  relayBotIndex: number;
  eventsBotIndex: number;
  carlBotIndex: number;
}

/** Roles, bots, clan members' Discord accounts and guests. */
function createPeople(
  builder: Builder,
  clan: SyntheticClan,
  guildCreatedAt: number,
  random: Random,
): Layout {
  const roleId = (offset: number): string => builder.layoutId(guildCreatedAt + offset).toString();
  const everyoneRoleId = builder.guildId;
  const staffRoleId = roleId(1000);
  const memberRoleId = roleId(2000);
  const guestRoleId = roleId(3000);
  const botsRoleId = roleId(4000);
  const botRoleId = roleId(5000);
  const role = (
    id: string,
    name: string,
    permissions: bigint,
    position: number,
    extra: Partial<SyntheticDiscordRole> = {},
  ): SyntheticDiscordRole => ({
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    botId: null,
    ...extra,
  });
  const bots: Array<{ name: string; created: number }> = [
    { name: 'ClanStats', created: Date.UTC(2026, 0, 12) },
    { name: 'Osrs clanchat', created: Date.UTC(2021, 4, 2) },
    { name: 'Clan Events', created: Date.UTC(2020, 8, 20) },
    { name: 'Carl-bot', created: Date.UTC(2018, 4, 3) },
  ];
  const botIds = bots.map(({ created }) =>
    snowflakeBigInt(Math.min(created, guildCreatedAt - DAY), random.int(0, 0x3fffff)).toString(),
  );
  const roles: SyntheticDiscordRole[] = [
    role(everyoneRoleId, '@everyone', EVERYONE_PERMISSIONS, 0),
    role(
      staffRoleId,
      'Staff',
      EVERYONE_PERMISSIONS |
        DISCORD_PERMISSIONS.MANAGE_THREADS |
        DISCORD_PERMISSIONS.MENTION_EVERYONE |
        (1n << 13n) /* MANAGE_MESSAGES */,
      5,
      { color: 0xe67e22, hoist: true, mentionable: true },
    ),
    role(memberRoleId, 'Clan Member', EVERYONE_PERMISSIONS, 3, { color: 0x3498db, hoist: true }),
    role(guestRoleId, 'Guest', EVERYONE_PERMISSIONS, 2, { color: 0x95a5a6 }),
    role(botsRoleId, 'Bots', EVERYONE_PERMISSIONS, 4, { color: 0x9b59b6 }),
    role(botRoleId, 'ClanStats', VIEW_CHANNEL | READ_MESSAGE_HISTORY, 1, {
      managed: true,
      botId: botIds[0] ?? null,
    }),
  ];

  const addUser = (user: Omit<UserState, 'index' | 'authorJson'>): UserState => {
    const index = builder.users.length;
    const complete: UserState = { ...user, index, authorJson: '' };
    const withJson: UserState = { ...complete, authorJson: userJson(complete) };
    builder.users.push(withJson);
    return withJson;
  };
  const botIndices = bots.map(
    ({ name }, index) =>
      addUser({
        id: botIds[index] ?? '0',
        username: name,
        globalName: null,
        bot: true,
        kind: 'bot',
        playerId: null,
        clanIndex: -1,
        nickname: null,
        joinedAt: index === 0 ? builder.now - 2 * DAY : guildCreatedAt + (index + 1) * HOUR,
        leftAt: null,
        roles: index === 0 ? [botRoleId] : [botsRoleId],
        chattiness: 0,
        staff: false,
      }).index,
  );

  const usedIds = new Set(botIds);
  clan.members.forEach((member, clanIndex) => {
    const identity = member.discord;
    if (identity === null || usedIds.has(identity.userId)) return;
    usedIds.add(identity.userId);
    const memberRandom = random.fork(clanIndex + 1);
    const joinedAt = Date.parse(identity.joinedAt);
    let leftAt: number | null = null;
    if (!identity.inGuild) {
      const clanLeft =
        member.membership.leftAt === null ? null : Date.parse(member.membership.leftAt);
      leftAt =
        clanLeft !== null && clanLeft > joinedAt
          ? Math.min(builder.now - HOUR, clanLeft + memberRandom.int(0, 14 * DAY))
          : joinedAt + (builder.now - joinedAt) * memberRandom.float(0.3, 0.95);
      leftAt = Math.max(joinedAt + HOUR, Math.floor(leftAt));
    }
    const current = member.membership.leftAt === null;
    const staff = current && STAFF_RANKS.has(member.membership.role);
    addUser({
      id: identity.userId,
      username: identity.username,
      globalName: identity.globalName,
      bot: false,
      kind: 'member',
      playerId: member.player.id,
      clanIndex,
      nickname: identity.nickname,
      joinedAt,
      leftAt,
      roles: [...(current ? [memberRoleId] : []), ...(staff ? [staffRoleId] : [])],
      chattiness: member.chattiness,
      staff,
    });
  });

  const withDiscord = builder.users.length - bots.length;
  const guests = Math.max(5, Math.round(withDiscord * 0.2));
  for (let guest = 0; guest < guests; guest++) {
    const guestRandom = random.fork(10_000 + guest);
    const displayName = generateDisplayName(guestRandom);
    const core = guest < 3;
    const joinedAt = core
      ? guildCreatedAt + guestRandom.int(HOUR, Math.max(HOUR, builder.start - guildCreatedAt))
      : guestRandom.int(guildCreatedAt + HOUR, builder.now - HOUR);
    const created = guestRandom.int(
      Date.UTC(2016, 0, 1),
      Math.max(Date.UTC(2016, 0, 2), joinedAt - DAY),
    );
    let id = snowflakeBigInt(created, guestRandom.int(0, 0x3fffff)).toString();
    while (usedIds.has(id)) id = (BigInt(id) + 1n).toString();
    usedIds.add(id);
    const left = !core && guestRandom.chance(0.25);
    addUser({
      id,
      username: `${generateDiscordUsername(guestRandom, displayName)}${guest}`.slice(0, 32),
      globalName: generateGlobalName(guestRandom, displayName),
      bot: false,
      kind: 'guest',
      playerId: null,
      clanIndex: -1,
      nickname: guestRandom.chance(0.3) ? displayName : null,
      joinedAt,
      leftAt: left
        ? guestRandom.int(joinedAt + HOUR, Math.max(joinedAt + HOUR, builder.now - HOUR))
        : null,
      roles: [guestRoleId],
      chattiness: Math.round(Math.exp(guestRandom.normal() * 0.8) * 1.5 * 100) / 100,
      staff: false,
    });
  }
  return {
    roles,
    everyoneRoleId,
    staffRoleId,
    memberRoleId,
    guestRoleId,
    botsRoleId,
    botRoleId,
    botUserIndex: botIndices[0] ?? 0,
    relayBotIndex: botIndices[1] ?? 0,
    eventsBotIndex: botIndices[2] ?? 0,
    carlBotIndex: botIndices[3] ?? 0,
  };
}

/** Days each clan member played (any stat changed), as a bitmap over the history's days. */
function playedDays(member: SyntheticMember, start: number, days: number): Uint8Array {
  const played = new Uint8Array(days);
  const { times, changeRows } = member.history;
  for (const row of changeRows) {
    const day = Math.floor(((times[row] ?? 0) - start) / DAY);
    if (day >= 0 && day < days) played[day] = 1;
  }
  return played;
}

/** The clan layout: categories, #general, relay, #pvm with threads, forum, media, voice, staff. */
function generateClanLayout(
  builder: Builder,
  clan: SyntheticClan,
  layout: Layout,
  options: { timeZone: string; messageScale: number; guildCreatedAt: number },
): { relay: ChannelState; system: ChannelState; rules: ChannelState | null } {
  const { guildCreatedAt, messageScale } = options;
  const random = builder.random;
  const at = (minutes: number): number => guildCreatedAt + minutes * MINUTE;
  const { everyoneRoleId, staffRoleId, botsRoleId } = layout;
  const T = DISCORD_CHANNEL_TYPES;
  let created = 0;
  let categoryPosition = 0;
  let channelPosition = 0;
  /** Adds a category (`parent` undefined) or a channel in `parent`, in creation order. */
  const add = (
    type: number,
    name: string,
    role: SyntheticDiscordChannelRole,
    parent?: ChannelState,
    extra: Partial<ChannelSpec> = {},
  ): ChannelState =>
    builder.addChannel({
      type,
      name,
      role,
      createdAt: at(++created),
      position: parent === undefined ? categoryPosition++ : channelPosition++,
      ...(parent === undefined ? {} : { parentIndex: parent.index }),
      ...extra,
    });
  const noSend = overwrite(everyoneRoleId, 0, 0n, SEND_MESSAGES);
  const information = add(T.GUILD_CATEGORY, 'Information', 'category');
  const clanCategory = add(T.GUILD_CATEGORY, 'Clan', 'category');
  const voiceCategory = add(T.GUILD_CATEGORY, 'Voice', 'category');
  const staffCategory = add(T.GUILD_CATEGORY, 'Staff', 'category', undefined, {
    overwrites: [
      overwrite(everyoneRoleId, 0, 0n, VIEW_CHANNEL),
      overwrite(staffRoleId, 0, VIEW_CHANNEL, 0n),
    ],
  });
  const rules = add(T.GUILD_TEXT, 'rules', 'rules', information, {
    topic: 'Read before posting',
    overwrites: [noSend],
  });
  const announcements = add(T.GUILD_ANNOUNCEMENT, 'announcements', 'announcements', information, {
    overwrites: [noSend, overwrite(staffRoleId, 0, SEND_MESSAGES, 0n)],
  });
  const general = add(T.GUILD_TEXT, 'general', 'general', clanCategory, { capacity: 32_768 });
  const relay = add(T.GUILD_TEXT, 'osrs-clan-chat', 'relay', clanCategory, {
    topic: 'In-game clan chat, relayed',
    overwrites: [noSend, overwrite(botsRoleId, 0, SEND_MESSAGES, 0n)],
    capacity: 16_384,
    relay: true,
  });
  const pvm = add(T.GUILD_TEXT, 'pvm', 'pvm', clanCategory, { capacity: 8192 });
  const help = add(T.GUILD_FORUM, 'help', 'help', clanCategory, { topic: 'Ask the clan' });
  const media = add(T.GUILD_MEDIA, 'screenshots', 'media', clanCategory);
  const voice = add(T.GUILD_VOICE, 'Clan Voice', 'voice', voiceCategory);
  const staff = add(T.GUILD_TEXT, 'staff', 'staff', staffCategory, {
    overwrites: staffCategory.overwrites,
  });
  const botLog = add(T.GUILD_TEXT, 'bot-log', 'bot-log', staffCategory, {
    overwrites: [
      overwrite(everyoneRoleId, 0, 0n, READ_MESSAGE_HISTORY | SEND_MESSAGES),
      overwrite(staffRoleId, 0, READ_MESSAGE_HISTORY, 0n),
      overwrite(botsRoleId, 0, SEND_MESSAGES, 0n),
    ],
  });
  builder.webhooks.push(
    makeWebhook(builder, 0, 'Wise Old Man', announcements.index, at(20)),
    makeWebhook(builder, 1, 'Drop Tracker', pvm.index, at(21)),
  );

  const now = builder.now;
  const start = builder.start;
  const users = builder.users;
  const humans = users.filter((user) => !user.bot);
  const pool = new AuthorPool(humans);
  const staffPool = new AuthorPool(humans.filter((user) => user.staff));
  const days = localDays(start, now, options.timeZone);
  const dayCount = Math.ceil((now - start) / DAY) + 1;
  const played = clan.members.map((member) => playedDays(member, start, dayCount));
  const memberWindows = clan.members.map((member) => ({
    from: Date.parse(member.membership.createdAt),
    until: member.membership.leftAt === null ? now : Date.parse(member.membership.leftAt),
  }));

  type Event =
    | { time: number; kind: 'human'; channel: ChannelState; user: UserState }
    | { time: number; kind: 'relay'; member: number }
    | { time: number; kind: 'join' | 'leave'; user: UserState }
    | { time: number; kind: 'event' | 'log' | 'announce' | 'drop' | 'gains' }
    | { time: number; kind: 'post'; forum: ChannelState; active?: boolean }
    | { time: number; kind: 'pvm-thread' | 'announce-thread' | 'loose-thread' }
    | { time: number; kind: 'private-thread'; joined: boolean };
  const special: Event[] = [
    { time: now - 20 * HOUR, kind: 'pvm-thread' },
    { time: now - 30 * HOUR, kind: 'post', forum: help, active: true },
    { time: now - 45 * DAY, kind: 'announce-thread' },
    { time: now - 120 * DAY, kind: 'private-thread', joined: true },
    { time: now - 50 * DAY, kind: 'private-thread', joined: false },
    { time: now - 200 * DAY, kind: 'loose-thread' },
  ].map(
    (event) =>
      ({ ...event, time: Math.max(start + HOUR, Math.min(now - HOUR, event.time)) }) as Event,
  );

  const humanChannels = [general, pvm, voice, staff];
  const humanWeights = [0.55, 0.2, 0.07, 0.18];
  const regularWeights = [0.55, 0.2, 0.07, 0];
  const threadChance = 0.006 * messageScale;

  const startPvmThread = (parentIndex: number, time: number, forceActive: boolean): void => {
    const author = pvm.messages.authors[parentIndex] ?? -1;
    const ownerUser = random.chance(0.8) ? users[author] : pool.pick(random, builder, time);
    if (ownerUser === undefined || ownerUser === null) return;
    const createdAt = (pvm.messages.times[parentIndex] ?? time) + random.int(5_000, 10 * MINUTE);
    if (createdAt >= now) return;
    const thread = builder.startThread(pvm, parentIndex, {
      type: T.PUBLIC_THREAD,
      name: threadName(random),
      owner: ownerUser.index,
      createdAt,
      autoArchiveDuration: forceActive ? 10080 : random.pick([60, 1440, 4320, 10080]),
    });
    fillThread(
      builder,
      pool,
      thread,
      createdAt,
      random.int(3, forceActive ? 12 : 45),
      ownerUser.index,
      forceActive ? 40 * MINUTE : 25 * MINUTE,
    );
  };

  for (const day of days) {
    const events: Event[] = [];
    const dayIndex = Math.floor((day.start - start) / DAY);
    const factor = dayFactor(day) * messageScale;
    const inDay = (time: number): boolean =>
      time >= Math.max(day.start, start) && time < Math.min(day.end, now);
    for (const user of humans) {
      if (user.joinedAt >= day.end || (user.leftAt !== null && user.leftAt <= day.start)) continue;
      const member = user.clanIndex >= 0 ? clan.members[user.clanIndex] : undefined;
      const playedToday = member !== undefined && (played[user.clanIndex]?.[dayIndex] ?? 0) === 1;
      const activeChance = Math.min(
        0.95,
        (member === undefined ? 0.35 : (ACTIVE_DAY[member.profile] ?? 0.4)) *
          (playedToday ? 1.3 : member === undefined ? 1 : 0.6),
      );
      if (!random.chance(activeChance)) continue;
      const count = poisson(random, user.chattiness * factor);
      const weights = user.staff ? humanWeights : regularWeights;
      for (let message = 0; message < count; message++) {
        const time = sampleTimeInDay(random, day);
        if (!inDay(time) || !builder.isPresent(user, time)) continue;
        events.push({
          time,
          kind: 'human',
          channel: random.weighted(humanChannels, weights),
          user,
        });
      }
    }
    clan.members.forEach((member, memberIndex) => {
      const window = memberWindows[memberIndex];
      if (window === undefined || window.from >= day.end || window.until <= day.start) return;
      if ((played[memberIndex]?.[dayIndex] ?? 0) !== 1) return;
      const count = poisson(random, (0.4 + 0.25 * member.chattiness) * factor);
      for (let line = 0; line < count; line++) {
        const time = sampleTimeInDay(random, day);
        if (time >= window.from && time < window.until && inDay(time))
          events.push({ time, kind: 'relay', member: memberIndex });
      }
      if (random.chance(0.12)) {
        const time = sampleTimeInDay(random, day);
        if (time >= window.from && time < window.until && inDay(time))
          events.push({ time, kind: 'relay', member: -1 - memberIndex });
      }
    });
    for (const user of users) {
      if (inDay(user.joinedAt) && !user.bot)
        events.push({ time: user.joinedAt, kind: 'join', user });
      if (user.leftAt !== null && inDay(user.leftAt))
        events.push({ time: user.leftAt, kind: 'leave', user });
    }
    const push = (kind: 'event' | 'log' | 'announce' | 'drop' | 'gains', time: number): void => {
      if (inDay(time)) events.push({ time, kind });
    };
    if (day.weekday === 1) push('event', day.start + 18 * HOUR + random.int(0, 10) * MINUTE);
    if (day.weekday === 0) push('gains', day.start + 21 * HOUR + random.int(0, 5) * MINUTE);
    if (random.chance(0.5 * messageScale)) push('drop', sampleTimeInDay(random, day));
    if (random.chance(0.6)) push('log', sampleTimeInDay(random, day));
    if (random.chance(0.04)) push('announce', sampleTimeInDay(random, day));
    if (random.chance(0.2 * messageScale)) {
      const time = sampleTimeInDay(random, day);
      if (inDay(time)) events.push({ time, kind: 'post', forum: help });
    }
    if (random.chance(0.08 * messageScale)) {
      const time = sampleTimeInDay(random, day);
      if (inDay(time)) events.push({ time, kind: 'post', forum: media });
    }
    for (const event of special) if (inDay(event.time)) events.push(event);
    events.sort((left, right) => left.time - right.time);

    for (const event of events) {
      switch (event.kind) {
        case 'human': {
          const index = builder.postHuman(event.channel, event.time, event.user.index);
          if (event.channel === pvm && random.chance(threadChance))
            startPvmThread(index, event.time, false);
          break;
        }
        case 'relay': {
          const speaker = event.member >= 0 ? event.member : -1 - event.member;
          const speakers = [speaker];
          let broadcasts = event.member >= 0 ? 0 : FLAG_BROADCAST;
          const lines = random.weighted([1, 2, 3], [0.72, 0.2, 0.08]);
          for (let line = 1; line < lines; line++) {
            const other = random.int(0, clan.members.length - 1);
            const window = memberWindows[other];
            if (window === undefined || event.time < window.from || event.time >= window.until)
              break;
            speakers.push(other);
            if (random.chance(0.1)) broadcasts |= FLAG_BROADCAST << line;
          }
          builder.postRelay(relay, event.time, layout.relayBotIndex, speakers, broadcasts);
          break;
        }
        case 'join':
          builder.postOther(
            general,
            event.time,
            event.user.index,
            DISCORD_MESSAGE_TYPES.USER_JOIN,
            0,
          );
          builder.postOther(botLog, event.time + 1500, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'leave':
          builder.postOther(botLog, event.time, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'log':
          builder.postOther(botLog, event.time, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'event':
          builder.postOther(
            announcements,
            event.time,
            layout.eventsBotIndex,
            0,
            FLAG_EMBED | FLAG_EVERYONE,
          );
          break;
        case 'gains':
          builder.postOther(announcements, event.time, -1, 0, FLAG_EMBED);
          break;
        case 'drop':
          builder.postOther(pvm, event.time, -2, 0, FLAG_EMBED);
          break;
        case 'announce':
        case 'announce-thread': {
          const author =
            staffPool.pick(random, builder, event.time) ?? pool.pick(random, builder, event.time);
          if (author === null) break;
          const index = builder.postHuman(
            announcements,
            event.time,
            author.index,
            random.chance(0.5) ? FLAG_EVERYONE : 0,
          );
          if (event.kind === 'announce-thread') {
            const createdAt = event.time + 2 * MINUTE;
            const thread = builder.startThread(announcements, index, {
              type: T.ANNOUNCEMENT_THREAD,
              name: 'Event discussion',
              owner: author.index,
              createdAt,
              autoArchiveDuration: 4320,
            });
            fillThread(
              builder,
              pool,
              thread,
              createdAt,
              random.int(6, 20),
              author.index,
              30 * MINUTE,
            );
          }
          break;
        }
        case 'post': {
          const owner = pool.pick(random, builder, event.time);
          if (owner === null) break;
          const isHelp = event.forum === help;
          const post = builder.startPost(event.forum, event.time, owner.index, {
            titleIsQuestion: isHelp && random.chance(0.7),
            autoArchiveDuration: event.active === true ? 10080 : random.pick([1440, 4320, 10080]),
          });
          fillThread(
            builder,
            pool,
            post,
            post.createdAt,
            isHelp ? random.int(1, 20) : random.int(0, 5),
            owner.index,
            isHelp ? 45 * MINUTE : 3 * HOUR,
          );
          break;
        }
        case 'pvm-thread': {
          const author = pool.pick(random, builder, event.time);
          if (author === null) break;
          startPvmThread(builder.postHuman(pvm, event.time, author.index), event.time, true);
          break;
        }
        case 'loose-thread': {
          const owner = pool.pick(random, builder, event.time);
          if (owner === null) break;
          const thread = builder.startThread(pvm, -1, {
            type: T.PUBLIC_THREAD,
            name: threadName(random),
            owner: owner.index,
            createdAt: event.time,
            autoArchiveDuration: 1440,
          });
          fillThread(
            builder,
            pool,
            thread,
            event.time,
            random.int(4, 15),
            owner.index,
            20 * MINUTE,
          );
          break;
        }
        case 'private-thread': {
          const owner =
            staffPool.pick(random, builder, event.time) ?? pool.pick(random, builder, event.time);
          if (owner === null) break;
          const thread = builder.startThread(pvm, -1, {
            type: T.PRIVATE_THREAD,
            name: event.joined ? 'Trial raid: applicants' : 'Staff: rank review',
            owner: owner.index,
            createdAt: event.time,
            autoArchiveDuration: 1440,
            isPrivate: true,
            botJoined: event.joined,
          });
          fillThread(
            builder,
            event.joined ? pool : staffPool.size > 1 ? staffPool : pool,
            thread,
            event.time,
            random.int(5, 15),
            owner.index,
            15 * MINUTE,
          );
          break;
        }
      }
    }
  }
  for (const channel of builder.channels) if (channel.isThread) builder.settleThread(channel);
  return { relay, system: general, rules };
}

function makeWebhook(
  builder: Builder,
  index: number,
  name: string,
  channelIndex: number,
  createdAt: number,
): WebhookState {
  const id = builder.layoutId(createdAt).toString();
  const webhook: WebhookState = { index, id, name, channelIndex, authorJson: '' };
  return { ...webhook, authorJson: webhookJson(webhook) };
}

/** Adds up to `count` messages to a thread after `from`, from the owner and others. */
function fillThread(
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

/** Exact counts summing to `total`, proportional to `weights` (largest remainder). */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((accumulator, weight) => accumulator + weight, 0);
  const shares = weights.map((weight) => (sum === 0 ? 0 : (total * weight) / sum));
  const counts = shares.map(Math.floor);
  let left = total - counts.reduce((accumulator, count) => accumulator + count, 0);
  const order = shares
    .map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((first, second) => second.remainder - first.remainder || first.index - second.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return counts;
}

/** Sorted message times in [from, until) following the rhythm, exactly `count` of them. */
function rhythmTimes(
  random: Random,
  days: readonly LocalDay[],
  from: number,
  until: number,
  count: number,
): Float64Array {
  const times = new Float64Array(count);
  if (count === 0) return times;
  const span = days.filter((day) => day.end > from && day.start < until);
  const weights = span.map(
    (day) =>
      dayFactor(day) *
      ((Math.min(day.end, until) - Math.max(day.start, from)) / (day.end - day.start)),
  );
  const perDay = allocate(count, weights);
  let offset = 0;
  span.forEach((day, dayIndex) => {
    const dayCount = perDay[dayIndex] ?? 0;
    const low = Math.max(day.start, from);
    const high = Math.min(day.end, until);
    for (let index = 0; index < dayCount; index++) {
      let time = sampleTimeInDay(random, day);
      if (time < low || time >= high) time = low + Math.floor(random.next() * (high - low));
      times[offset + index] = time;
    }
    times.subarray(offset, offset + dayCount).sort();
    offset += dayCount;
  });
  return times;
}

/** The bench layout: exactly `messages` messages over `channels` containers, all readable. */
function generateScaleLayout(
  builder: Builder,
  clan: SyntheticClan,
  layout: Layout,
  options: { timeZone: string; guildCreatedAt: number; messages: number; channels: number },
): { relay: ChannelState; system: ChannelState; rules: ChannelState | null } {
  const random = builder.random;
  const { now, start } = builder;
  const T = DISCORD_CHANNEL_TYPES;
  const containers = options.channels;
  const textCount = Math.max(1, Math.ceil(containers * 0.5));
  const threadCount = Math.floor((containers - textCount) / 2);
  const postCount = containers - textCount - threadCount;
  const at = (minutes: number): number => options.guildCreatedAt + minutes * MINUTE;
  const category = builder.addChannel({
    type: T.GUILD_CATEGORY,
    name: 'Text channels',
    role: 'category',
    position: 0,
    createdAt: at(1),
  });
  const weights = Array.from({ length: containers }, (_, index) => 1 / Math.pow(index + 1, 0.7));
  for (let index = weights.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [weights[index], weights[other]] = [weights[other] ?? 1, weights[index] ?? 1];
  }
  const counts = allocate(options.messages, weights);
  const days = localDays(start, now, options.timeZone);
  const humans = builder.users.filter((user) => !user.bot);
  const pool = new AuthorPool(humans);
  const speakers = new AuthorPool(humans.filter((user) => user.clanIndex >= 0));
  const fallback =
    humans.find((user) => user.joinedAt <= start && user.leftAt === null) ?? humans[0];
  const author = (time: number): number =>
    (pool.pick(random, builder, time) ?? fallback)?.index ?? 0;

  const texts: ChannelState[] = [];
  for (let text = 0; text < textCount; text++) {
    const isRelay = text === Math.min(1, textCount - 1);
    const count = counts[text] ?? 0;
    const channel = builder.addChannel({
      type: T.GUILD_TEXT,
      name: text === 0 ? 'general' : isRelay ? 'osrs-clan-chat' : `chat-${text + 1}`,
      role: text === 0 ? 'general' : isRelay ? 'relay' : 'chat',
      parentIndex: category.index,
      position: text,
      createdAt: at(2 + text),
      capacity: count,
      relay: isRelay,
    });
    texts.push(channel);
    const times = rhythmTimes(random, days, start, now, count);
    for (const time of times) {
      if (isRelay) {
        const first = speakers.size > 0 ? speakers.pick(random, builder, time) : null;
        const clanIndex = first?.clanIndex ?? random.int(0, Math.max(0, clan.members.length - 1));
        const lines = random.weighted([1, 2, 3], [0.72, 0.2, 0.08]);
        const members = [clanIndex];
        for (let line = 1; line < lines; line++)
          members.push(random.int(0, clan.members.length - 1));
        builder.postRelay(
          channel,
          time,
          layout.relayBotIndex,
          members,
          random.chance(0.1) ? FLAG_BROADCAST : 0,
        );
      } else {
        builder.postHuman(channel, time, author(time));
      }
    }
  }

  const forum =
    postCount > 0
      ? builder.addChannel({
          type: T.GUILD_FORUM,
          name: 'forum',
          role: 'help',
          parentIndex: category.index,
          position: textCount,
          createdAt: at(2 + textCount),
        })
      : null;
  const containerTimes = (count: number, archived: boolean): { from: number; until: number } => {
    const from = random.int(start + HOUR, Math.max(start + HOUR, now - 3 * DAY));
    const until = archived ? Math.min(now - 8 * DAY, from + random.int(1, 30) * DAY) : now;
    return { from, until: Math.max(from + Math.max(count, 1) * 10, until) };
  };
  const textParents = texts.filter((text) => text.role !== 'relay' && text.messages.length > 0);
  for (let thread = 0; thread < threadCount; thread++) {
    const count = counts[textCount + thread] ?? 0;
    const parent = textParents[thread % Math.max(1, textParents.length)];
    if (count === 0 || parent === undefined) continue;
    const archived = thread % 2 === 0;
    const range = containerTimes(count, archived);
    let parentIndex = Math.min(
      parent.messages.length - 1,
      parent.messages.lowerBoundTime(range.from),
    );
    while (parentIndex > 0 && ((parent.messages.flags[parentIndex] ?? 0) & FLAG_HAS_THREAD) !== 0)
      parentIndex--;
    const createdAt = (parent.messages.times[parentIndex] ?? range.from) + 30_000;
    const isPrivate = thread === 1;
    const channel = builder.startThread(parent, parentIndex, {
      type: isPrivate ? T.PRIVATE_THREAD : T.PUBLIC_THREAD,
      name: threadName(random),
      owner: parent.messages.authors[parentIndex] ?? author(createdAt),
      createdAt,
      autoArchiveDuration: 10080,
      isPrivate,
      botJoined: isPrivate,
      capacity: count,
    });
    const times = rhythmTimes(
      random,
      days,
      createdAt + 1,
      Math.max(range.until, createdAt + count * 10),
      count - 1,
    );
    for (const time of times) builder.postHuman(channel, time, author(time));
  }
  for (let post = 0; post < postCount && forum !== null; post++) {
    const count = counts[textCount + threadCount + post] ?? 0;
    if (count === 0) continue;
    const range = containerTimes(count, post % 3 !== 0);
    const owner = author(range.from);
    const channel = builder.startPost(forum, range.from, owner, {
      titleIsQuestion: random.chance(0.6),
      autoArchiveDuration: 10080,
      capacity: count,
    });
    const times = rhythmTimes(random, days, channel.createdAt + 1, range.until, count - 1);
    for (const time of times) builder.postHuman(channel, time, author(time));
  }
  for (const channel of builder.channels) if (channel.isThread) builder.settleThread(channel);
  const general = texts[0] ?? category;
  return { relay: texts[Math.min(1, texts.length - 1)] ?? general, system: general, rules: null };
}

/**
 * Generates the clan's Discord guild: roles, bots, members (clan members' Discord accounts,
 * guests, bots), the channel layout and a year of messages that follow members' chattiness,
 * membership and a daily/weekly rhythm. Deterministic: the same clan and options always give the
 * same guild, ids and messages. Messages are stored compactly and derived on demand.
 *
 * @example
 * ```ts
 * const clan = createSyntheticClan({ seed: 3 });
 * const discord = createSyntheticDiscord(clan, { timeZone: 'America/New_York' });
 * const server = await startFakeDiscordServer({ clan, discord });
 * ```
 */
export function createSyntheticDiscord(
  clan: SyntheticClan,
  options: SyntheticDiscordOptions = {},
): SyntheticDiscord {
  const timeZone = options.timeZone ?? DefaultSyntheticDiscordOptions.timeZone;
  const messageScale = options.messageScale ?? DefaultSyntheticDiscordOptions.messageScale;
  if (!(Number.isFinite(messageScale) && messageScale >= 0 && messageScale <= 100))
    fail('messageScale', 'messageScale must be a number in 0..100');
  const scale = options.scale;
  if (scale !== undefined) {
    if (!Number.isInteger(scale.messages) || scale.messages < 0 || scale.messages > 20_000_000)
      fail('scale', 'scale.messages must be an integer in 0..20000000');
    if (!Number.isInteger(scale.channels) || scale.channels < 1 || scale.channels > 900)
      fail('scale', 'scale.channels must be an integer in 1..900');
  }
  localDays(0, 1, timeZone);
  const now = Date.parse(clan.now);
  const guildCreatedAt = Date.parse(clan.discordGuild.createdAt);
  const start = Math.min(now - HOUR, Math.max(Date.parse(clan.startedAt), guildCreatedAt + DAY));
  const seedText = `discord:${clan.seed}:${clan.now}:${clan.discordGuild.id}`;
  const peopleRandom = createRandom(hashString(seedText));
  const messageRandom = createRandom(
    hashString(
      `${seedText}:${timeZone}:${messageScale}:${scale === undefined ? '' : `${scale.messages}/${scale.channels}`}`,
    ),
  );
  const builder = new Builder(messageRandom, clan.discordGuild.id, start, now);
  const layout = createPeople(builder, clan, guildCreatedAt, peopleRandom);
  const channels =
    scale === undefined
      ? generateClanLayout(builder, clan, layout, { timeZone, messageScale, guildCreatedAt })
      : generateScaleLayout(builder, clan, layout, { timeZone, guildCreatedAt, ...scale });
  const rankEmojiIds = new Map<string, string>();
  for (const member of clan.members) {
    const role = member.membership.role;
    if (!rankEmojiIds.has(role))
      rankEmojiIds.set(
        role,
        builder.layoutId(guildCreatedAt + (rankEmojiIds.size + 30) * MINUTE).toString(),
      );
  }
  const owner =
    clan.discordGuild.ownerUserId !== null &&
    builder.users.some((user) => user.id === clan.discordGuild.ownerUserId)
      ? clan.discordGuild.ownerUserId
      : ((builder.users.find((user) => user.staff) ?? builder.users.find((user) => !user.bot))
          ?.id ??
        builder.users[0]?.id ??
        '0');
  const state: DiscordState = {
    guildId: clan.discordGuild.id,
    guildName: clan.discordGuild.name,
    ownerId: owner,
    createdAt: guildCreatedAt,
    roles: layout.roles,
    everyoneRoleId: layout.everyoneRoleId,
    botRoleId: layout.botRoleId,
    users: builder.users,
    usersById: new Map(builder.users.map((user) => [user.id, user])),
    webhooks: builder.webhooks,
    channels: builder.channels,
    channelsById: new Map(builder.channels.map((channel) => [channel.id, channel])),
    clanMembers: clan.members,
    botUserIndex: layout.botUserIndex,
    relayBotIndex: layout.relayBotIndex,
    relayChannelIndex: channels.relay.index,
    systemChannelIndex: channels.system.index,
    rulesChannelIndex: channels.rules?.index ?? -1,
    timeZone,
    startedAt: start,
    now,
    rankEmojiIds,
    version: 0,
  };
  return createSyntheticDiscordView(state);
}
