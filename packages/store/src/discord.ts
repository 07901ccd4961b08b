import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import {
  checkSnowflake,
  toFlag,
  toMillis,
  toMillisOrNull,
  type Instant,
  type Snowflake,
} from './values.js';

/** A Discord guild (server). */
export interface GuildRecord {
  id: Snowflake;
  name: string;
}

/** A channel or thread of a guild. */
export interface ChannelRecord {
  id: Snowflake;
  guildId: Snowflake;
  /** The category of a channel, or the parent channel of a thread. */
  parentId?: Snowflake | null;
  /** Discord's channel type number (0 text, 5 announcement, 11 public thread, 15 forum, ...). */
  type: number;
  name: string;
  isThread?: boolean;
  archived?: boolean;
  archiveTimestamp?: Instant | null;
  lastMessageId?: Snowflake | null;
  /** Who opened a thread or forum post. */
  ownerId?: Snowflake | null;
}

/** A Discord user. */
export interface UserRecord {
  id: Snowflake;
  username: string;
  /** The display name, when set. */
  globalName?: string | null;
  bot?: boolean;
}

/** A user's membership of a guild. */
export interface GuildMemberRecord {
  userId: Snowflake;
  nickname?: string | null;
  joinedAt?: Instant | null;
  roles?: readonly Snowflake[];
}

/** A message, reduced to what activity analytics need. */
export interface MessageRecord {
  id: Snowflake;
  channelId: Snowflake;
  authorId: Snowflake;
  editedAt?: Instant | null;
  /** Discord's message type number (0 default, 19 reply, ...). */
  type?: number;
  replyToId?: Snowflake | null;
  inThread?: boolean;
  isBot?: boolean;
  isWebhook?: boolean;
  mentionCount?: number;
  attachmentCount?: number;
  isQuestion?: boolean;
  /**
   * The question this message answers: a reply to someone else's question, or a message by someone
   * else in a thread or forum post opened by a question (then the thread's opening message id).
   */
  answerToId?: Snowflake | null;
  /** The in-game name of a clan-chat line relayed into Discord by a bot. */
  relayRsn?: string | null;
  /** The text, only when the clan opted in to storing it. */
  content?: string | null;
}

/** One line of in-game clan chat relayed into Discord by a bot, attributed to its RuneScape name. */
export interface RelayLineRecord {
  /** The bot's message that carried the line. */
  messageId: Snowflake;
  /** The 0-based line of that message. */
  line: number;
  /** The RuneScape name as written in the line. */
  rsn: string;
  /** WOM's standardized form of the name: lowercase, `-` and `_` as spaces. */
  normalizedRsn: string;
  isQuestion?: boolean;
  /** The text, only when the clan opted in to storing it. */
  content?: string | null;
}

/** Per-channel harvest progress. */
export interface CheckpointRecord {
  channelId: Snowflake;
  /** The newest message id stored: incremental runs page forward from here. */
  newestId: Snowflake | null;
  /** The oldest message id reached by the backfill, paging backwards. */
  oldestId: Snowflake | null;
  /** The backfill reached the start date (or the channel's first message). */
  backfillDone: boolean;
  /** The backfill's start date, when one was set. */
  backfillSince: number | null;
  /** When the checkpoint was last written (epoch ms). */
  updatedAt: number;
}

/**
 * One harvested page: its messages, their authors, the relayed clan-chat lines, and the checkpoint
 * after it. A `MessagesPage` of `@clanstats/discord-harvester` is one, as it is.
 */
export interface DiscordPage {
  users?: readonly UserRecord[];
  messages: readonly MessageRecord[];
  relayLines?: readonly RelayLineRecord[];
  checkpoint: Omit<CheckpointRecord, 'updatedAt'>;
}

const messageColumns = 15;
const messagesPerStatement = 25;
const messageSql = `(${Array.from({ length: messageColumns }, () => '?').join(', ')})`;
const messageValues = (rows: number): string =>
  `INSERT INTO discord_messages (id, channel_id, author_id, edited_at, type, reply_to_id, in_thread,
     is_bot, is_webhook, mention_count, attachment_count, is_question, answer_to_id, relay_rsn, content)
   VALUES ${Array.from({ length: rows }, () => messageSql).join(', ')}`;
/** Messages not stored yet; a message already stored is left alone (`changes` tells). */
const messageInsert = (rows: number): string =>
  `${messageValues(rows)} ON CONFLICT (id) DO NOTHING`;
/** The same, returning the ids it inserted. */
const messageInsertReturning = (rows: number): string => `${messageInsert(rows)} RETURNING id`;
/** A message that is already stored: updated only if it was edited. */
const messageUpsert = `${messageValues(1)}
   ON CONFLICT (id) DO UPDATE SET edited_at = excluded.edited_at, content = excluded.content,
     mention_count = excluded.mention_count, attachment_count = excluded.attachment_count,
     is_question = excluded.is_question, answer_to_id = excluded.answer_to_id,
     relay_rsn = excluded.relay_rsn
   WHERE edited_at IS NOT excluded.edited_at OR content IS NOT excluded.content
     OR relay_rsn IS NOT excluded.relay_rsn OR is_question IS NOT excluded.is_question
     OR answer_to_id IS NOT excluded.answer_to_id`;
const authorDaysPerStatement = 50;
const authorDayUpsert = (rows: number): string =>
  `INSERT INTO discord_author_days (author_id, day, messages, questions, answers, first_id, last_id)
   VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
   ON CONFLICT (author_id, day) DO UPDATE SET messages = messages + excluded.messages,
     questions = questions + excluded.questions, answers = answers + excluded.answers,
     first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id)`;
const channelDayUpsert = `INSERT INTO discord_channel_days (channel_id, day, messages, questions, answers)
   VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (channel_id, day) DO UPDATE SET messages = messages + excluded.messages,
     questions = questions + excluded.questions, answers = answers + excluded.answers`;
type MessageParams = Array<number | string | null>;

const discordEpochMs = 1_420_070_400_000;
const dayMs = 86_400_000;

/**
 * The UTC day number of a snowflake's send time (epoch ms / 86,400,000, floored), as SQLite's
 * `created_at / 86400000`. A float is off by at most 1 ms here, so BigInt is needed only next to
 * midnight.
 */
function snowflakeDay(id: string): number {
  const millis = Math.floor(Number(id) / 4_194_304) + discordEpochMs;
  const inDay = millis % dayMs;
  if (inDay >= 2 && inDay <= dayMs - 3) return (millis - inDay) / dayMs;
  return Number(((BigInt(id) >> 22n) + BigInt(discordEpochMs)) / BigInt(dayMs));
}

const snowflakeBefore = (left: string, right: string): boolean =>
  left.length === right.length ? left < right : BigInt(left) < BigInt(right);

/** One (author, UTC day) of `discord_author_days`, summed over the messages one call inserted. */
interface AuthorDay {
  authorId: string;
  day: number;
  messages: number;
  questions: number;
  answers: number;
  firstId: string;
  lastId: string;
}

/** One (channel, UTC day) of `discord_channel_days`, summed over the messages one call inserted. */
interface ChannelDay {
  channelId: string;
  day: number;
  messages: number;
  questions: number;
  answers: number;
}

/**
 * Sums inserted human messages (types 0 and 19, not bots or webhooks) per author and UTC day
 * (`discord_author_days`) and per channel and UTC day (`discord_channel_days`).
 */
class AuthorDays {
  readonly #days = new Map<string, AuthorDay>();
  readonly #channelDays = new Map<string, ChannelDay>();
  /** The channel day last added to: a call's messages are mostly from one channel and day. */
  #channelDay: ChannelDay | undefined;
  /** Each author's latest entry: most calls hold one day, so this saves building a key. */
  readonly #latest = new Map<string, AuthorDay>();
  /** The last day seen, and its first id and the next day's, as decimal strings. */
  #day = Number.NaN;
  #dayFrom = '';
  #dayTo = '';

  /** The UTC day of `id`, without parsing it when it falls on the same day as the last one. */
  #dayOf(id: string): number {
    if (
      id.length === this.#dayFrom.length &&
      id.length === this.#dayTo.length &&
      id >= this.#dayFrom &&
      id < this.#dayTo
    ) {
      return this.#day;
    }
    const day = snowflakeDay(id);
    const dayStart = (value: number): string =>
      (BigInt(Math.max(0, value * dayMs - discordEpochMs)) << 22n).toString();
    this.#day = day;
    this.#dayFrom = dayStart(day);
    this.#dayTo = dayStart(day + 1);
    return day;
  }

  add(message: MessageRecord, id: string): void {
    if (message.isBot === true || message.isWebhook === true) return;
    const type = message.type ?? 0;
    if (type !== 0 && type !== 19) return;
    const day = this.#dayOf(id);
    let entry = this.#latest.get(message.authorId);
    if (entry?.day !== day) {
      const key = `${message.authorId}:${day}`;
      entry = this.#days.get(key);
      if (entry === undefined) {
        entry = {
          authorId: message.authorId,
          day,
          messages: 0,
          questions: 0,
          answers: 0,
          firstId: id,
          lastId: id,
        };
        this.#days.set(key, entry);
      }
      this.#latest.set(message.authorId, entry);
    }
    const question = message.isQuestion === true;
    const answer = message.answerToId !== null && message.answerToId !== undefined;
    entry.messages += 1;
    if (question) entry.questions += 1;
    if (answer) entry.answers += 1;
    if (snowflakeBefore(id, entry.firstId)) entry.firstId = id;
    if (snowflakeBefore(entry.lastId, id)) entry.lastId = id;

    let channel = this.#channelDay;
    if (channel?.day !== day || channel.channelId !== message.channelId) {
      const key = `${message.channelId}:${day}`;
      channel = this.#channelDays.get(key);
      if (channel === undefined) {
        channel = { channelId: message.channelId, day, messages: 0, questions: 0, answers: 0 };
        this.#channelDays.set(key, channel);
      }
      this.#channelDay = channel;
    }
    channel.messages += 1;
    if (question) channel.questions += 1;
    if (answer) channel.answers += 1;
  }

  /**
   * Adds the sums: one upsert per channel and day, then one per author and day
   * (`authorDaysPerStatement` rows per statement, then one statement per row for the rest).
   */
  write(
    many: BetterSqlite3.Statement<[unknown[]]>,
    one: BetterSqlite3.Statement<[unknown[]]>,
    channelDay: BetterSqlite3.Statement<[unknown[]]>,
  ): void {
    for (const entry of this.#channelDays.values()) {
      channelDay.run([entry.channelId, entry.day, entry.messages, entry.questions, entry.answers]);
    }
    const params: unknown[] = [];
    let left = this.#days.size;
    for (const entry of this.#days.values()) {
      params.push(
        entry.authorId,
        entry.day,
        entry.messages,
        entry.questions,
        entry.answers,
        BigInt(entry.firstId),
        BigInt(entry.lastId),
      );
      if (left < authorDaysPerStatement) {
        one.run(params);
        params.length = 0;
      } else if (params.length === 7 * authorDaysPerStatement) {
        many.run(params);
        params.length = 0;
        left -= authorDaysPerStatement;
      }
    }
  }
}

/** Thrown inside the fast path of `insertMessages` (and caught there) when a message was stored. */
class AlreadyStored extends Error {}
const alreadyStored = new AlreadyStored('a message of this call is already stored');

interface CheckpointRow {
  channel_id: bigint;
  newest_id: bigint | null;
  oldest_id: bigint | null;
  backfill_done: bigint;
  backfill_since: bigint | null;
  updated_at: bigint;
}

function toCheckpoint(row: CheckpointRow): CheckpointRecord {
  return {
    channelId: row.channel_id.toString(),
    newestId: row.newest_id === null ? null : row.newest_id.toString(),
    oldestId: row.oldest_id === null ? null : row.oldest_id.toString(),
    backfillDone: row.backfill_done === 1n,
    backfillSince: row.backfill_since === null ? null : Number(row.backfill_since),
    updatedAt: Number(row.updated_at),
  };
}

const optionalSnowflake = (id: Snowflake | null | undefined, field: string): string | null =>
  id === null || id === undefined ? null : checkSnowflake(id, field);

/** Writes Discord data. Every method is idempotent: writing the same data twice changes nothing. */
export class DiscordWriter {
  readonly #db: BetterSqlite3.Database;
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#statements = {
      guild: db.prepare(`INSERT INTO discord_guilds (id, name, fetched_at) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, fetched_at = excluded.fetched_at`),
      channel:
        db.prepare(`INSERT INTO discord_channels (id, guild_id, parent_id, type, name, is_thread, archived,
          archive_timestamp, last_message_id, owner_id, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
          is_thread = excluded.is_thread, archived = excluded.archived,
          archive_timestamp = excluded.archive_timestamp, last_message_id = excluded.last_message_id,
          owner_id = excluded.owner_id, fetched_at = excluded.fetched_at`),
      user: db.prepare(`INSERT INTO discord_users (id, username, global_name, is_bot, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET username = excluded.username, global_name = excluded.global_name,
          is_bot = excluded.is_bot, updated_at = excluded.updated_at
        WHERE username IS NOT excluded.username OR global_name IS NOT excluded.global_name
          OR is_bot IS NOT excluded.is_bot`),
      member:
        db.prepare(`INSERT INTO discord_members (guild_id, user_id, nickname, joined_at, roles, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (guild_id, user_id) DO UPDATE SET nickname = excluded.nickname, joined_at = excluded.joined_at,
          roles = excluded.roles, updated_at = excluded.updated_at
        WHERE nickname IS NOT excluded.nickname OR joined_at IS NOT excluded.joined_at
          OR roles IS NOT excluded.roles`),
      relayLine:
        db.prepare(`INSERT INTO discord_relay_lines (message_id, line, rsn, normalized_rsn, is_question, content)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (message_id, line) DO UPDATE SET rsn = excluded.rsn, normalized_rsn = excluded.normalized_rsn,
          is_question = excluded.is_question, content = excluded.content
        WHERE rsn IS NOT excluded.rsn OR normalized_rsn IS NOT excluded.normalized_rsn
          OR is_question IS NOT excluded.is_question OR content IS NOT excluded.content`),
      messages: db.prepare<[MessageParams]>(messageInsert(messagesPerStatement)),
      message: db.prepare<[MessageParams]>(messageInsert(1)),
      messagesReturning: db
        .prepare<[MessageParams], bigint>(messageInsertReturning(messagesPerStatement))
        .pluck(true)
        .safeIntegers(true),
      messageReturning: db
        .prepare<[MessageParams], bigint>(messageInsertReturning(1))
        .pluck(true)
        .safeIntegers(true),
      messageUpsert: db.prepare<[MessageParams]>(messageUpsert),
      authorDays: db.prepare<[unknown[]]>(authorDayUpsert(authorDaysPerStatement)),
      channelDay: db.prepare<[unknown[]]>(channelDayUpsert),
      authorDay: db.prepare<[unknown[]]>(authorDayUpsert(1)),
      getCheckpoint: db
        .prepare<[string], CheckpointRow>(`SELECT * FROM discord_checkpoints WHERE channel_id = ?`)
        .safeIntegers(true),
      allCheckpoints: db
        .prepare<[], CheckpointRow>(`SELECT * FROM discord_checkpoints ORDER BY channel_id`)
        .safeIntegers(true),
      saveCheckpoint:
        db.prepare(`INSERT INTO discord_checkpoints (channel_id, newest_id, oldest_id, backfill_done,
          backfill_since, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel_id) DO UPDATE SET newest_id = excluded.newest_id, oldest_id = excluded.oldest_id,
          backfill_done = excluded.backfill_done, backfill_since = excluded.backfill_since,
          updated_at = excluded.updated_at`),
    };
  }

  /** Inserts or updates a guild. */
  upsertGuild(guild: GuildRecord, fetchedAt: Instant = Date.now()): void {
    this.#statements.guild.run(
      checkSnowflake(guild.id, 'guild.id'),
      guild.name,
      toMillis(fetchedAt, 'fetchedAt'),
    );
  }

  /** Inserts or updates channels and threads. One transaction. */
  upsertChannels(channels: readonly ChannelRecord[], fetchedAt: Instant = Date.now()): void {
    const fetched = toMillis(fetchedAt, 'fetchedAt');
    this.#db.transaction(() => {
      for (const channel of channels) {
        this.#statements.channel.run(
          checkSnowflake(channel.id, 'channel.id'),
          checkSnowflake(channel.guildId, 'channel.guildId'),
          optionalSnowflake(channel.parentId, 'channel.parentId'),
          channel.type,
          channel.name,
          toFlag(channel.isThread),
          toFlag(channel.archived),
          toMillisOrNull(channel.archiveTimestamp, 'channel.archiveTimestamp'),
          optionalSnowflake(channel.lastMessageId, 'channel.lastMessageId'),
          optionalSnowflake(channel.ownerId, 'channel.ownerId'),
          fetched,
        );
      }
    })();
  }

  /** Inserts or updates users; returns how many rows changed. One transaction. */
  upsertUsers(users: readonly UserRecord[], updatedAt: Instant = Date.now()): number {
    const updated = toMillis(updatedAt, 'updatedAt');
    let changed = 0;
    this.#db.transaction(() => {
      for (const user of users) {
        changed += this.#statements.user.run(
          checkSnowflake(user.id, 'user.id'),
          user.username,
          user.globalName ?? null,
          toFlag(user.bot),
          updated,
        ).changes;
      }
    })();
    return changed;
  }

  /** Inserts or updates guild members and their nicknames; returns how many rows changed. */
  upsertMembers(
    guildId: Snowflake,
    members: readonly GuildMemberRecord[],
    updatedAt: Instant = Date.now(),
  ): number {
    const guild = checkSnowflake(guildId, 'guildId');
    const updated = toMillis(updatedAt, 'updatedAt');
    let changed = 0;
    this.#db.transaction(() => {
      for (const member of members) {
        changed += this.#statements.member.run(
          guild,
          checkSnowflake(member.userId, 'member.userId'),
          member.nickname ?? null,
          toMillisOrNull(member.joinedAt, 'member.joinedAt'),
          member.roles === undefined ? null : JSON.stringify(member.roles),
          updated,
        ).changes;
      }
    })();
    return changed;
  }

  /**
   * Inserts messages; a message already stored is updated only if it was edited. Returns how many
   * rows were inserted or changed. One transaction, which also adds the inserted human messages
   * (types 0 and 19, not bots or webhooks) to `discord_author_days`, once per author and UTC day.
   */
  insertMessages(messages: readonly MessageRecord[]): number {
    try {
      return this.#insertNew(messages);
    } catch (error) {
      if (error !== alreadyStored) throw error;
    }
    return this.#insertChecked(messages);
  }

  /**
   * The fast path, when every message is new (a harvest's usual case): multi-row inserts, and the
   * day sums taken from the input. Throws `alreadyStored`, rolled back, once a row was skipped.
   */
  #insertNew(messages: readonly MessageRecord[]): number {
    return this.#db.transaction(() => {
      const days = new AuthorDays();
      this.#bindMessages(
        messages,
        (message, id) => {
          days.add(message, id);
        },
        (params, rows) => {
          const statement = rows === 1 ? this.#statements.message : this.#statements.messages;
          if (statement.run(params).changes !== rows) throw alreadyStored;
        },
      );
      days.write(
        this.#statements.authorDays,
        this.#statements.authorDay,
        this.#statements.channelDay,
      );
      return messages.length;
    })();
  }

  /**
   * The checked path, when some messages are stored already (or repeated in the call): each
   * statement returns the ids it inserted, only those are summed, and the others are applied as
   * edits after the day sums are written (the trigger discord_author_days_flags then moves an
   * edited message between the question and answer counts).
   */
  #insertChecked(messages: readonly MessageRecord[]): number {
    return this.#db.transaction(() => {
      const days = new AuthorDays();
      const edits: MessageParams[] = [];
      const pending: Array<{ message: MessageRecord; id: string }> = [];
      let changed = 0;
      this.#bindMessages(
        messages,
        (message, id) => {
          pending.push({ message, id });
        },
        (params, rows) => {
          const statement =
            rows === 1 ? this.#statements.messageReturning : this.#statements.messagesReturning;
          const inserted = new Set(statement.all(params));
          changed += inserted.size;
          pending.forEach(({ message, id }, position) => {
            // Each id once, at its first row; a repeat is an edit.
            if (inserted.delete(BigInt(id))) days.add(message, id);
            else
              edits.push(params.slice(position * messageColumns, (position + 1) * messageColumns));
          });
          pending.length = 0;
        },
      );
      days.write(
        this.#statements.authorDays,
        this.#statements.authorDay,
        this.#statements.channelDay,
      );
      for (const edit of edits) changed += this.#statements.messageUpsert.run(edit).changes;
      return changed;
    })();
  }

  /**
   * Validates and binds messages, `messagesPerStatement` rows per statement, then one per
   * statement for the rest; calls `onStatement` with each statement's parameters.
   */
  #bindMessages(
    messages: readonly MessageRecord[],
    onMessage: (message: MessageRecord, id: string) => void,
    onStatement: (params: MessageParams, rows: number) => void,
  ): void {
    const full = messages.length - (messages.length % messagesPerStatement);
    const params: MessageParams = [];
    for (let index = 0; index < messages.length; index += 1) {
      const message = messages[index] as MessageRecord;
      const id = checkSnowflake(message.id, 'message.id');
      params.push(
        id,
        checkSnowflake(message.channelId, 'message.channelId'),
        checkSnowflake(message.authorId, 'message.authorId'),
        toMillisOrNull(message.editedAt, 'message.editedAt'),
        message.type ?? 0,
        optionalSnowflake(message.replyToId, 'message.replyToId'),
        toFlag(message.inThread),
        toFlag(message.isBot),
        toFlag(message.isWebhook),
        message.mentionCount ?? 0,
        message.attachmentCount ?? 0,
        toFlag(message.isQuestion),
        optionalSnowflake(message.answerToId, 'message.answerToId'),
        message.relayRsn ?? null,
        message.content ?? null,
      );
      onMessage(message, id);
      if (index >= full) {
        onStatement(params, 1);
        params.length = 0;
      } else if (params.length === messageColumns * messagesPerStatement) {
        onStatement(params, messagesPerStatement);
        params.length = 0;
      }
    }
  }

  /**
   * Inserts relayed clan-chat lines; a line already stored is updated only if it changed (an edited
   * relay message). Returns how many rows were inserted or changed. One transaction.
   */
  insertRelayLines(lines: readonly RelayLineRecord[]): number {
    let changed = 0;
    this.#db.transaction(() => {
      for (const line of lines) {
        if (!Number.isInteger(line.line) || line.line < 0) {
          throw new StoreError(
            'INVALID_INPUT',
            `relayLine.line must be a non-negative integer, got ${String(line.line)}`,
          );
        }
        changed += this.#statements.relayLine.run(
          checkSnowflake(line.messageId, 'relayLine.messageId'),
          line.line,
          line.rsn,
          line.normalizedRsn,
          toFlag(line.isQuestion),
          line.content ?? null,
        ).changes;
      }
    })();
    return changed;
  }

  /** The checkpoint of a channel, or `undefined` before its first harvest. */
  getCheckpoint(channelId: Snowflake): CheckpointRecord | undefined {
    const row = this.#statements.getCheckpoint.get(checkSnowflake(channelId, 'channelId'));
    return row === undefined ? undefined : toCheckpoint(row);
  }

  /** Every stored checkpoint. */
  listCheckpoints(): CheckpointRecord[] {
    return this.#statements.allCheckpoints.all().map(toCheckpoint);
  }

  /** Saves a channel's checkpoint. */
  saveCheckpoint(
    checkpoint: Omit<CheckpointRecord, 'updatedAt'>,
    updatedAt: Instant = Date.now(),
  ): void {
    this.#statements.saveCheckpoint.run(
      checkSnowflake(checkpoint.channelId, 'checkpoint.channelId'),
      optionalSnowflake(checkpoint.newestId, 'checkpoint.newestId'),
      optionalSnowflake(checkpoint.oldestId, 'checkpoint.oldestId'),
      toFlag(checkpoint.backfillDone),
      checkpoint.backfillSince,
      toMillis(updatedAt, 'updatedAt'),
    );
  }

  /**
   * Writes one harvested page, its authors, its relayed lines and the channel's checkpoint in one
   * transaction: if the process dies, either all of the page is stored with its checkpoint or none
   * of it is. Returns how many message and relay-line rows were inserted or changed.
   */
  writePage(page: DiscordPage): number {
    return this.#db.transaction(() => {
      if (page.users !== undefined) this.upsertUsers(page.users);
      let changed = this.insertMessages(page.messages);
      if (page.relayLines !== undefined) changed += this.insertRelayLines(page.relayLines);
      this.saveCheckpoint(page.checkpoint);
      return changed;
    })();
  }
}
