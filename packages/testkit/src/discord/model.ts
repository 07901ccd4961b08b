/**
 * The synthetic Discord guild: ground truth for tests of a Discord harvester, served by
 * `startFakeDiscordServer`. Produced by `createSyntheticDiscord(clan)`.
 *
 * Ids are snowflake strings whose timestamps are the creation times. Dates are ISO strings in
 * `Date.toISOString()` form (the wire uses Discord's `+00:00` form). Messages are stored compactly
 * (typed arrays per channel); message objects and their text are derived on demand.
 */
import type { IsoDate } from '../clan/model.js';

/** Discord channel types used by the fake (`ChannelType` in discord-api-types). */
export const DISCORD_CHANNEL_TYPES = {
  GUILD_TEXT: 0,
  GUILD_VOICE: 2,
  GUILD_CATEGORY: 4,
  GUILD_ANNOUNCEMENT: 5,
  ANNOUNCEMENT_THREAD: 10,
  PUBLIC_THREAD: 11,
  PRIVATE_THREAD: 12,
  GUILD_FORUM: 15,
  GUILD_MEDIA: 16,
} as const;

/** Discord message types the fake generates (`MessageType` in discord-api-types). */
export const DISCORD_MESSAGE_TYPES = {
  DEFAULT: 0,
  USER_JOIN: 7,
  THREAD_CREATED: 18,
  REPLY: 19,
  THREAD_STARTER_MESSAGE: 21,
} as const;

/** Permission bits the fake uses (as bigint, like Discord's permission strings). */
export const DISCORD_PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  ADD_REACTIONS: 1n << 6n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  MANAGE_MESSAGES: 1n << 13n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  CONNECT: 1n << 20n,
  SPEAK: 1n << 21n,
  MANAGE_THREADS: 1n << 34n,
  CREATE_PUBLIC_THREADS: 1n << 35n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
} as const;

/** How the bot sees a channel: readable, not visible (403 50001), or visible without history (`[]`). */
export type SyntheticDiscordAccess = 'ok' | 'no-view' | 'no-history';

/** What a channel is for in the layout (drives who talks there and about what). */
export type SyntheticDiscordChannelRole =
  | 'category'
  | 'general'
  | 'relay'
  | 'pvm'
  | 'help'
  | 'media'
  | 'announcements'
  | 'voice'
  | 'staff'
  | 'bot-log'
  | 'rules'
  | 'chat'
  | 'thread'
  | 'post';

/** A role of the guild. */
export interface SyntheticDiscordRole {
  readonly id: string;
  readonly name: string;
  /** The permission bits as a decimal string, as on the wire. */
  readonly permissions: string;
  readonly position: number;
  readonly color: number;
  readonly hoist: boolean;
  readonly managed: boolean;
  readonly mentionable: boolean;
  /** For a bot's managed role: `{ bot_id }`. */
  readonly botId: string | null;
}

/** A permission overwrite on a channel (`type` 0 = role, 1 = member). */
export interface SyntheticDiscordOverwrite {
  readonly id: string;
  readonly type: 0 | 1;
  /** Decimal permission strings. */
  readonly allow: string;
  readonly deny: string;
}

/** The guild. */
export interface SyntheticDiscordGuildInfo {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly createdAt: IsoDate;
  /** `@everyone` first (its id is the guild id), then by position. */
  readonly roles: readonly SyntheticDiscordRole[];
  /** The channel where `USER_JOIN` messages appear (`#general`). */
  readonly systemChannelId: string | null;
  readonly rulesChannelId: string | null;
}

/** A user (human, bot or the relay bot); webhooks are not users. */
export interface SyntheticDiscordUser {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly bot: boolean;
  /** The clan member's player id for clan members; null for guests and bots. */
  readonly playerId: number | null;
  /** What the user is: a clan member, a guest (not in the clan), or a bot. */
  readonly kind: 'member' | 'guest' | 'bot';
  /** When the user (last) joined the guild. */
  readonly joinedAt: IsoDate;
  /** When the user left the guild; null while still a member. They only post in between. */
  readonly leftAt: IsoDate | null;
}

/** A guild member (a user currently in the guild, bots included). */
export interface SyntheticDiscordMember {
  readonly userId: string;
  readonly nickname: string | null;
  readonly joinedAt: IsoDate;
  /** Role ids (without `@everyone`). */
  readonly roles: readonly string[];
}

/** A webhook that posts messages (its messages carry `webhook_id`; the author is the webhook). */
export interface SyntheticDiscordWebhook {
  readonly id: string;
  readonly name: string;
  readonly channelId: string;
}

/** A channel or a thread (threads have a `thread` part). */
export interface SyntheticDiscordChannel {
  readonly id: string;
  /** One of {@link DISCORD_CHANNEL_TYPES}. */
  readonly type: number;
  readonly name: string;
  /** The category of a channel, the channel/forum of a thread; null at top level. */
  readonly parentId: string | null;
  readonly position: number;
  readonly topic: string | null;
  readonly permissionOverwrites: readonly SyntheticDiscordOverwrite[];
  /** What the channel is for in the layout. */
  readonly role: SyntheticDiscordChannelRole;
  readonly createdAt: IsoDate;
  /** Threads: the creator. Null for channels. */
  readonly ownerId: string | null;
  /** Threads: archived (changes when `postMessages` posts into an archived thread). */
  readonly archived: boolean;
  /** Threads: when the archive status last changed (creation time for never-archived threads). */
  readonly archiveTimestamp: IsoDate | null;
  readonly locked: boolean;
  /** True for private threads (type 12). */
  readonly private: boolean;
  /** Threads: whether the bot is a member of the thread. */
  readonly botJoined: boolean;
  /** Threads: minutes of inactivity before archiving (60, 1440, 4320 or 10080). */
  readonly autoArchiveDuration: number | null;
  /** Forum posts: the title is a question (answers in the post get `answerToId` = the post id). */
  readonly titleIsQuestion: boolean;
  /** How the bot (with the default permissions: no MANAGE_THREADS) sees the channel. */
  readonly access: SyntheticDiscordAccess;
  /** Why the bot cannot read it, in words; null when `access` is `'ok'`. */
  readonly accessReason: string | null;
  /** Messages in the channel (changes with `postMessages`). */
  readonly messageCount: number;
  /** The newest message id (for forums and media channels: the newest post id); null when empty. */
  readonly lastMessageId: string | null;
}

/** One line of a relay (clan chat) message. */
export interface SyntheticRelayLine {
  /** The 0-based line number within the message content. */
  readonly line: number;
  /** The member's current display name (may contain spaces, `-`, `_`). */
  readonly rsn: string;
  /** `'chat'`: `<:Rank:id> **RSN**: text`; `'broadcast'`: `**RSN** received a drop: …` (no colon after the name). */
  readonly kind: 'chat' | 'broadcast';
  /** The text after `**RSN**: ` (chat) or after `**RSN** ` (broadcast). */
  readonly text: string;
  /** The chat line asks a question (broadcasts never do). */
  readonly isQuestion: boolean;
  /** The clan member's player id. */
  readonly playerId: number;
}

/** A message, as ground truth. */
export interface SyntheticDiscordMessage {
  readonly id: string;
  readonly channelId: string;
  /** The user id, or the webhook id for webhook messages. */
  readonly authorId: string;
  /** One of {@link DISCORD_MESSAGE_TYPES}. */
  readonly type: number;
  readonly timestamp: IsoDate;
  readonly editedTimestamp: IsoDate | null;
  /** The replied-to message (type 19) or the thread's parent message (type 21); otherwise null. */
  readonly replyToId: string | null;
  /** A human message that asks a question (text, or a forum post's starter under a question title). */
  readonly isQuestion: boolean;
  /**
   * The question this message answers: the replied-to message when it is another author's
   * question; else the thread id when the message is in a thread/post whose title or starter is a
   * question and the author is not the thread owner. Null for bots and system messages.
   */
  readonly answerToId: string | null;
  /** The full text (what the wire shows with the Message Content intent). */
  readonly content: string;
  readonly isBot: boolean;
  readonly webhookId: string | null;
  /** `USER_JOIN`, `THREAD_CREATED` or `THREAD_STARTER_MESSAGE`. */
  readonly isSystem: boolean;
  /** User ids mentioned (replies that ping their target). */
  readonly mentionIds: readonly string[];
  readonly attachmentCount: number;
  /** The thread started from this message (flag `HAS_THREAD`), if any. */
  readonly threadId: string | null;
  /** Relay messages only: the clan-chat lines. */
  readonly relayLines?: readonly SyntheticRelayLine[];
}

/** The whole synthetic guild: ground truth. Mutated only by a server's `postMessages`. */
export interface SyntheticDiscord {
  readonly guild: SyntheticDiscordGuildInfo;
  /** The bot the fake server authenticates as. */
  readonly botUser: { readonly id: string; readonly username: string };
  /** Every channel and thread, channels in layout order then threads in id order. */
  readonly channels: readonly SyntheticDiscordChannel[];
  /** Current guild members (bots included), ascending user id. */
  readonly members: readonly SyntheticDiscordMember[];
  /** Every user who appears (members, people who left, bots), ascending id. */
  readonly users: readonly SyntheticDiscordUser[];
  readonly webhooks: readonly SyntheticDiscordWebhook[];
  /** The clan-chat relay channel (`#osrs-clan-chat`). */
  readonly relayChannelId: string;
  /** The relay bot ("Osrs clanchat"). */
  readonly relayBotUserId: string;
  /** The time zone of the daily/weekly rhythm. */
  readonly timeZone: string;
  /** The first and last instants messages were generated for. */
  readonly startedAt: IsoDate;
  readonly now: IsoDate;
  /** All messages, every channel and thread. */
  readonly totalMessages: number;
  /** Ids of every message with `isQuestion`, ascending. */
  readonly questionIds: readonly string[];
  /** The channel (or thread) with this id, or undefined. */
  channel(channelId: string): SyntheticDiscordChannel | undefined;
  /** The user with this id, or undefined. */
  user(userId: string): SyntheticDiscordUser | undefined;
  /** A channel's messages, ascending id (built on each call; prefer `messageCountOf` for counts). */
  messagesOf(channelId: string): SyntheticDiscordMessage[];
  /** A channel's message count. */
  messageCountOf(channelId: string): number;
  /** One message of a channel by id, or undefined. */
  message(channelId: string, messageId: string): SyntheticDiscordMessage | undefined;
  /**
   * How the bot sees a channel; with `manageThreads` the bot also reads private threads it has not
   * joined.
   */
  accessOf(
    channelId: string,
    options?: { manageThreads?: boolean },
  ): { access: SyntheticDiscordAccess; reason: string | null };
}
