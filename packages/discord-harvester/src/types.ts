/**
 * The items, pages and records a harvest produces. Every id is a Discord snowflake as a decimal
 * string (17–20 digits); every time is epoch milliseconds.
 */

/** A channel or thread, as discovered. */
export interface HarvestChannel {
  /** The channel's (or thread's) id. */
  id: string;
  /** The guild it belongs to. */
  guildId: string;
  /** The category of a channel, or the parent channel of a thread; `null` for neither. */
  parentId: string | null;
  /**
   * Discord's channel type: 0 text, 2 voice, 4 category, 5 announcement, 10 announcement thread,
   * 11 public thread, 12 private thread, 13 stage, 15 forum, 16 media.
   */
  type: number;
  /** The channel name, or a thread's (forum post's) title. */
  name: string;
  /** Types 10, 11 and 12. */
  isThread: boolean;
  /** Whether the thread is archived (always `false` for channels). */
  archived: boolean;
  /** When the thread was last archived or unarchived (epoch ms); `null` for channels. */
  archiveTimestamp: number | null;
  /**
   * The newest message id Discord reported for the channel, a hint only (for a forum, the newest
   * post's id). `null` when Discord reported none.
   */
  lastMessageId: string | null;
  /** Who created the thread (forum post author); `null` for channels. */
  ownerId: string | null;
}

/**
 * A message, reduced to what activity analytics need. Structurally a `@clanstats/store`
 * `MessageRecord` (plus `answerToId`).
 */
export interface HarvestedMessage {
  id: string;
  /** The channel or thread the message is in. */
  channelId: string;
  /** The author's user id (for a webhook message, the webhook's id). */
  authorId: string;
  /** When the message was last edited (epoch ms); `null` if never. */
  editedAt: number | null;
  /**
   * Discord's message type: 0 default, 19 reply, 7 member join, 18 thread created, 21 thread
   * starter, … Types other than 0 and 19 are system messages: keep or filter them by `type`.
   */
  type: number;
  /** For a reply (type 19), the id of the message replied to. */
  replyToId: string | null;
  /** Whether the message is in a thread or forum post. */
  inThread: boolean;
  /** Whether the author is a bot or Discord's system user (never a question or an answer). */
  isBot: boolean;
  /** Whether the message was sent through a webhook. */
  isWebhook: boolean;
  /** User mentions + role mentions + 1 for `@everyone`/`@here`. */
  mentionCount: number;
  /** Attachments (always 0 without the Message Content intent). */
  attachmentCount: number;
  /** Whether the message asks a question (see the README's Q&A rules). */
  isQuestion: boolean;
  /**
   * The question this message answers: the replied-to message id, or the thread id for a
   * message in a question thread or forum post; `null` if none.
   */
  answerToId: string | null;
  /** The in-game name, for a relayed clan-chat message holding exactly one chat line. */
  relayRsn: string | null;
  /** The text, only with the `includeContent` option; otherwise `null`. */
  content: string | null;
}

/** An author seen on a page. */
export interface HarvestedUser {
  id: string;
  /** The unique handle (a webhook's name for webhook authors). */
  username: string;
  /** The display name, when set. */
  globalName: string | null;
  /** Bots, webhooks and Discord's system user. */
  bot: boolean;
}

/** One clan-chat line relayed into Discord by a bot (see the `relay` option). */
export interface RelayLine {
  /** The Discord message holding the line. */
  messageId: string;
  /** The line's position in the message, from 0. */
  line: number;
  /** The in-game name as written. */
  rsn: string;
  /** The in-game name normalised (lowercase; `-`, `_` and spaces as one space; trimmed). */
  normalizedRsn: string;
  /** Whether the line's text asks a question. */
  isQuestion: boolean;
  /** The line's chat text, only with the `includeContent` option; otherwise `null`. */
  content: string | null;
}

/** Harvest progress of one channel. Satisfied structurally by the store's checkpoint record. */
export interface HarvestCheckpoint {
  channelId: string;
  /** The newest message id harvested: incremental runs page forward from here. */
  newestId: string | null;
  /** The oldest message id reached by the backfill (paging backwards). */
  oldestId: string | null;
  /** The backfill reached the `since` date or the channel's first message. */
  backfillDone: boolean;
  /** The backfill's start date (epoch ms); `null` means "from the channel's first message". */
  backfillSince: number | null;
}

/** Where the harvester reads stored checkpoints. Satisfied structurally by the store's `DiscordWriter`. */
export interface CheckpointReader {
  getCheckpoint(
    channelId: string,
  ): HarvestCheckpoint | undefined | Promise<HarvestCheckpoint | undefined>;
}

/** The first item of every harvest. */
export interface GuildItem {
  type: 'guild';
  guild: { id: string; name: string };
}

/**
 * Channels and threads discovered. The first one (right after the `guild` item) lists the guild's
 * channels and its active threads; archived threads, read while harvesting starts, and threads found
 * through a parent message's `thread` field come in further `channels` items. Each channel and
 * thread is listed exactly once, before any other item about it.
 */
export interface ChannelsItem {
  type: 'channels';
  channels: HarvestChannel[];
}

/** One page of messages of one channel. Save it with its checkpoint in one transaction. */
export interface MessagesPage {
  type: 'messages';
  channel: HarvestChannel;
  /** Ascending by `BigInt(id)`, deduplicated. */
  messages: HarvestedMessage[];
  /** The authors of these messages, deduplicated. */
  users: HarvestedUser[];
  /** Clan-chat lines parsed from relay messages on this page. */
  relayLines: RelayLine[];
  /** The channel's checkpoint after this page. */
  checkpoint: HarvestCheckpoint;
  /** `'backfill'`: paging back in time (`before`); `'forward'`: new messages (`after`). */
  direction: 'backfill' | 'forward';
  /**
   * `false` when the Message Content intent is off (then `isQuestion` is false everywhere,
   * `answerToId` comes from reply structure alone, and relay lines cannot be parsed).
   */
  contentAvailable: boolean;
}

/** Why a channel was not harvested. */
export type ChannelSkipReason =
  'missing-access' | 'no-read-history' | 'unknown-channel' | 'not-joined';

/** A channel not harvested. Pre-checked skips cost no request. */
export interface ChannelSkippedItem {
  type: 'channel-skipped';
  channel: HarvestChannel;
  /**
   * `'missing-access'`: no View Channel (or no Connect for voice), or Discord answered 403;
   * `'no-read-history'`: no Read Message History; `'unknown-channel'`: Discord answered 404 (the
   * channel was deleted meanwhile); `'not-joined'`: a private thread the bot has not joined, without
   * Manage Threads.
   */
  reason: ChannelSkipReason;
  /** The HTTP status, when a request was answered with an error. */
  status?: number;
  /** Discord's error code, when a request was answered with an error. */
  discordCode?: number;
}

/** A channel finished. */
export interface ChannelDoneItem {
  type: 'channel-done';
  channel: HarvestChannel;
  /** Messages yielded for the channel in this run. */
  messages: number;
  /** Requests sent for the channel in this run (retries and 429s included). */
  requests: number;
  /** The channel's `last_message_id` showed nothing new, so no message request was sent. */
  upToDate: boolean;
}

/** Anything a harvest yields; branch on `type`. */
export type HarvestItem =
  GuildItem | ChannelsItem | MessagesPage | ChannelSkippedItem | ChannelDoneItem;

/** Live counters of a harvest run (they change while it runs). */
export interface HarvestStats {
  /** HTTP requests sent (retries and 429 responses included). */
  requests: number;
  /** HTTP 429 responses received. */
  rateLimited: number;
  /** Messages yielded. */
  messages: number;
  /** Pages yielded. */
  pages: number;
  /** Channels and threads finished (`channel-done` items). */
  channels: number;
  /** Channels and threads skipped (`channel-skipped` items). */
  skipped: number;
  /** From the start of the run to its end (or to now, while it runs), in milliseconds. */
  durationMs: number;
}

/** One harvest: iterate it once with `for await`; read `stats` during or after. */
export interface HarvestRun extends AsyncIterable<HarvestItem> {
  readonly stats: HarvestStats;
}

/** Options of {@link DiscordHarvester.harvest}. */
export interface HarvestOptions {
  /**
   * Where stored checkpoints come from (the store's `DiscordWriter`). Without it every channel is
   * backfilled from scratch.
   * @defaultValue none
   */
  checkpoints?: CheckpointReader | undefined;
  /**
   * The backfill's start date (a `Date` or epoch ms): older messages are not fetched. A later run
   * with an earlier `since` (or none) resumes the backfill further back.
   * @defaultValue none: the whole history
   */
  since?: Date | number | undefined;
  /**
   * Only these channels (and their threads, and threads named by id).
   * @defaultValue every readable channel
   */
  channelIds?: readonly string[] | undefined;
  /** Aborts the harvest: the iterator then throws `ABORTED`. */
  signal?: AbortSignal | undefined;
}

/** A guild member. */
export interface HarvestedMember {
  user: HarvestedUser;
  userId: string;
  /** The server nickname, when set. */
  nickname: string | null;
  /** When the member joined the guild (epoch ms), when known. */
  joinedAt: number | null;
  /** Role ids. */
  roles: string[];
}

/** One page of {@link DiscordHarvester.members}. */
export interface MembersPage {
  /** `'members-list'`: the paged member list; `'lookup'`: one-by-one lookups of known users. */
  source: 'members-list' | 'lookup';
  members: HarvestedMember[];
  /** Looked-up user ids that are no longer in the guild. */
  missing: string[];
}

/** Options of {@link DiscordHarvester.members}. */
export interface MembersOptions {
  /**
   * User ids to look up one by one when the member list is not available (no Server Members
   * intent), typically every author seen.
   * @defaultValue none
   */
  knownUserIds?: Iterable<string> | undefined;
  signal?: AbortSignal | undefined;
}

/** The result of {@link DiscordHarvester.check}. */
export interface GuildCheck {
  guild: { id: string; name: string; ownerId: string };
  /** The bot user the token belongs to. */
  bot: HarvestedUser;
  /** The bot member's role ids. */
  botRoles: string[];
  /**
   * The bot's guild-level permissions (before channel overwrites), as flags of the harvesting
   * permissions and the raw bitfield as a decimal string.
   */
  permissions: {
    bits: string;
    administrator: boolean;
    viewChannel: boolean;
    readMessageHistory: boolean;
    connect: boolean;
    manageThreads: boolean;
  };
  /** Requests the check sent. */
  requests: number;
}
