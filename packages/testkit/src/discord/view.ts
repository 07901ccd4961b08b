/** The public `SyntheticDiscord` over the compact state, and `postMessages`' mutation. */
import { TestkitError } from '../errors.js';
import { toSyntheticMessage } from './messages.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES } from './model.js';
import type {
  SyntheticDiscord,
  SyntheticDiscordAccess,
  SyntheticDiscordChannel,
  SyntheticDiscordChannelRole,
  SyntheticDiscordMember,
  SyntheticDiscordMessage,
  SyntheticDiscordOverwrite,
  SyntheticDiscordUser,
} from './model.js';
import { bindState, channelAccess } from './state.js';
import type { ChannelState, DiscordState } from './state.js';
import { FLAG_QUESTION } from './store.js';
import { lastMessageIdOf } from './wire.js';

const iso = (millis: number | null): string | null =>
  millis === null ? null : new Date(millis).toISOString();

/** A live view of a channel: fields that change (archive state, counts) read the state. */
class ChannelView implements SyntheticDiscordChannel {
  readonly #state: DiscordState;
  readonly #channel: ChannelState;
  readonly id: string;
  readonly type: number;
  readonly name: string;
  readonly parentId: string | null;
  readonly position: number;
  readonly topic: string | null;
  readonly permissionOverwrites: readonly SyntheticDiscordOverwrite[];
  readonly role: SyntheticDiscordChannelRole;
  readonly createdAt: string;
  readonly ownerId: string | null;
  readonly private: boolean;
  readonly botJoined: boolean;
  readonly autoArchiveDuration: number | null;
  readonly titleIsQuestion: boolean;
  readonly access: SyntheticDiscordAccess;
  readonly accessReason: string | null;

  constructor(state: DiscordState, channel: ChannelState) {
    this.#state = state;
    this.#channel = channel;
    this.id = channel.id;
    this.type = channel.type;
    this.name = channel.name;
    this.parentId = state.channels[channel.parentIndex]?.id ?? null;
    this.position = channel.position;
    this.topic = channel.topic;
    this.permissionOverwrites = channel.overwrites;
    this.role = channel.role;
    this.createdAt = new Date(channel.createdAt).toISOString();
    this.ownerId = state.users[channel.ownerIndex]?.id ?? null;
    this.private = channel.isPrivate;
    this.botJoined = channel.botJoined;
    this.autoArchiveDuration = channel.autoArchiveDuration;
    this.titleIsQuestion = channel.titleIsQuestion;
    const { access, reason } = channelAccess(state, channel, false);
    this.access = access;
    this.accessReason = reason;
  }

  get archived(): boolean {
    return this.#channel.archived;
  }

  get archiveTimestamp(): string | null {
    return iso(this.#channel.archiveTimestamp);
  }

  get locked(): boolean {
    return this.#channel.locked;
  }

  get messageCount(): number {
    return this.#channel.messages.length;
  }

  get lastMessageId(): string | null {
    return lastMessageIdOf(this.#state, this.#channel);
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      type: this.type,
      name: this.name,
      parentId: this.parentId,
      role: this.role,
      archived: this.archived,
      access: this.access,
      messageCount: this.messageCount,
    };
  }
}

/** Wraps generated state as the public `SyntheticDiscord` (and links the two for the server). */
export function createSyntheticDiscordView(state: DiscordState): SyntheticDiscord {
  const views = new Map<ChannelState, ChannelView>();
  for (const channel of state.channels) views.set(channel, new ChannelView(state, channel));
  const ordered = [
    ...state.channels.filter((channel) => !channel.isThread),
    ...state.channels
      .filter((channel) => channel.isThread)
      .sort((left, right) => (left.idBig < right.idBig ? -1 : 1)),
  ].map((channel) => views.get(channel) as ChannelView);
  const byId = (left: { id: string }, right: { id: string }): number =>
    BigInt(left.id) < BigInt(right.id) ? -1 : 1;
  const users: SyntheticDiscordUser[] = state.users
    .map((user) => ({
      id: user.id,
      username: user.username,
      globalName: user.globalName,
      bot: user.bot,
      playerId: user.playerId,
      kind: user.kind,
      joinedAt: new Date(user.joinedAt).toISOString(),
      leftAt: iso(user.leftAt),
    }))
    .sort(byId);
  const members: SyntheticDiscordMember[] = state.users
    .filter((user) => user.leftAt === null)
    .map((user) => ({
      userId: user.id,
      nickname: user.nickname,
      joinedAt: new Date(user.joinedAt).toISOString(),
      roles: user.roles,
    }))
    .sort((left, right) => byId({ id: left.userId }, { id: right.userId }));
  const usersById = new Map(users.map((user) => [user.id, user]));
  const bot = state.users[state.botUserIndex];
  let questions: { version: number; ids: string[] } | null = null;
  const channelOf = (channelId: string): ChannelState => {
    const channel = state.channelsById.get(channelId);
    if (channel === undefined) {
      throw new TestkitError('INVALID_OPTIONS', `SyntheticDiscord: unknown channel ${channelId}`, {
        option: 'channelId',
      });
    }
    return channel;
  };
  const discord: SyntheticDiscord = {
    guild: {
      id: state.guildId,
      name: state.guildName,
      ownerId: state.ownerId,
      createdAt: new Date(state.createdAt).toISOString(),
      roles: state.roles,
      systemChannelId: state.channels[state.systemChannelIndex]?.id ?? null,
      rulesChannelId: state.channels[state.rulesChannelIndex]?.id ?? null,
    },
    botUser: { id: bot?.id ?? '0', username: bot?.username ?? 'ClanStats' },
    channels: ordered,
    members,
    users,
    webhooks: state.webhooks.map((webhook) => ({
      id: webhook.id,
      name: webhook.name,
      channelId: state.channels[webhook.channelIndex]?.id ?? '0',
    })),
    relayChannelId: state.channels[state.relayChannelIndex]?.id ?? '0',
    relayBotUserId: state.users[state.relayBotIndex]?.id ?? '0',
    timeZone: state.timeZone,
    startedAt: new Date(state.startedAt).toISOString(),
    now: new Date(state.now).toISOString(),
    get totalMessages() {
      let total = 0;
      for (const channel of state.channels) total += channel.messages.length;
      return total;
    },
    get questionIds() {
      if (questions?.version !== state.version) {
        const found: bigint[] = [];
        for (const channel of state.channels) {
          const columns = channel.messages;
          for (let index = 0; index < columns.length; index++) {
            if (((columns.flags[index] ?? 0) & FLAG_QUESTION) !== 0)
              found.push(columns.ids[index] ?? 0n);
          }
        }
        found.sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
        questions = { version: state.version, ids: found.map(String) };
      }
      return questions.ids;
    },
    channel: (channelId) => {
      const channel = state.channelsById.get(channelId);
      return channel === undefined ? undefined : views.get(channel);
    },
    user: (userId) => usersById.get(userId),
    messagesOf: (channelId) => {
      const channel = channelOf(channelId);
      const messages: SyntheticDiscordMessage[] = [];
      for (let index = 0; index < channel.messages.length; index++)
        messages.push(toSyntheticMessage(state, channel, index));
      return messages;
    },
    messageCountOf: (channelId) => channelOf(channelId).messages.length,
    message: (channelId, messageId) => {
      const channel = channelOf(channelId);
      if (!/^\d{1,20}$/.test(messageId)) return undefined;
      const index = channel.messages.indexOf(BigInt(messageId));
      return index < 0 ? undefined : toSyntheticMessage(state, channel, index);
    },
    accessOf: (channelId, options = {}) => {
      const { access, reason } = channelAccess(
        state,
        channelOf(channelId),
        options.manageThreads ?? false,
      );
      return { access, reason };
    },
  };
  bindState(discord, state);
  return discord;
}

/**
 * Appends `count` messages to a channel or thread at `now` or later (after every existing message
 * of the guild), unarchiving an archived thread. The implementation of `postMessages`.
 */
export function appendMessages(
  state: DiscordState,
  channelId: string,
  count: number,
  options: { authorId?: string; content?: string },
  now: number,
): SyntheticDiscordMessage[] {
  const channel = state.channelsById.get(channelId);
  const T = DISCORD_CHANNEL_TYPES;
  if (
    channel === undefined ||
    channel.type === T.GUILD_CATEGORY ||
    channel.type === T.GUILD_FORUM ||
    channel.type === T.GUILD_MEDIA
  ) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      `postMessages: ${channel === undefined ? 'unknown channel' : 'no messages can be posted in channel'} ${channelId}`,
      { option: 'channelId' },
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      'postMessages: count must be an integer in 0..1000000',
      {
        option: 'count',
      },
    );
  }
  let author = -1;
  if (options.authorId !== undefined) {
    author = state.users.findIndex((user) => user.id === options.authorId);
    if (author < 0) {
      throw new TestkitError(
        'INVALID_OPTIONS',
        `postMessages: unknown author ${options.authorId}`,
        {
          option: 'authorId',
        },
      );
    }
  }
  const present = state.users.filter((user) => !user.bot && user.leftAt === null);
  let time = now;
  for (const other of state.channels) time = Math.max(time, other.messages.lastTime + 1);
  const posted: SyntheticDiscordMessage[] = [];
  for (let message = 0; message < count; message++) {
    const by =
      author >= 0
        ? author
        : (present[(channel.messages.length + message) % Math.max(1, present.length)]?.index ?? 0);
    const index = channel.messages.push(time + message, by, DISCORD_MESSAGE_TYPES.DEFAULT, 0);
    if (options.content !== undefined) {
      channel.overrides ??= new Map();
      channel.overrides.set(index, options.content);
    }
    posted.push(toSyntheticMessage(state, channel, index));
  }
  if (count > 0 && channel.isThread && channel.archived) {
    channel.archived = false;
    channel.archiveTimestamp = time;
  }
  state.version++;
  return posted;
}
