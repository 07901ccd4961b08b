import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import { checkSnowflake, toMillis, type Instant, type Snowflake } from './values.js';

/** The kinds of summary posted to Discord. */
export const SUMMARY_POST_KINDS = ['weekly'] as const;

/** A kind of summary posted to Discord: `'weekly'`. */
export type SummaryPostKind = (typeof SUMMARY_POST_KINDS)[number];

/** A summary Discord accepted (table `summary_posts`). */
export interface SummaryPost {
  /** The row id. */
  id: number;
  /** The kind of summary. */
  kind: SummaryPostKind;
  /** The as-of time the summary describes (epoch ms). */
  asOf: number;
  /** When Discord accepted the post (epoch ms). */
  postedAt: number;
  /** The created message's id (a snowflake as a decimal string). */
  messageId: Snowflake;
  /** The channel (or thread) it was posted in (a snowflake as a decimal string). */
  channelId: Snowflake;
}

/** What {@link SummaryPosts.record} takes. */
export interface SummaryPostInput {
  /** The kind of summary. */
  kind: SummaryPostKind;
  /** The as-of time the summary describes. */
  asOf: Instant;
  /**
   * When Discord accepted the post.
   * @defaultValue now
   */
  postedAt?: Instant;
  /** The created message's id, as Discord returned it. */
  messageId: Snowflake;
  /** The channel (or thread) id, as Discord returned it. */
  channelId: Snowflake;
}

interface SummaryPostRow {
  id: number;
  kind: SummaryPostKind;
  as_of: number;
  posted_at: number;
  message_id: string;
  channel_id: string;
}

const columns = `id, kind, as_of, posted_at, CAST(message_id AS TEXT) AS message_id,
  CAST(channel_id AS TEXT) AS channel_id`;

function toSummaryPost(row: SummaryPostRow): SummaryPost {
  return {
    id: row.id,
    kind: row.kind,
    asOf: row.as_of,
    postedAt: row.posted_at,
    messageId: row.message_id,
    channelId: row.channel_id,
  };
}

function checkKind(kind: SummaryPostKind): SummaryPostKind {
  if (!(SUMMARY_POST_KINDS as readonly string[]).includes(kind)) {
    throw new StoreError(
      'INVALID_INPUT',
      `kind must be one of ${SUMMARY_POST_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
    );
  }
  return kind;
}

/**
 * Records the summaries posted to Discord, so that a summary is posted once per period: a post is
 * recorded only after Discord accepted it, and {@link SummaryPosts.latest} says when the last one
 * was.
 */
export class SummaryPosts {
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    this.#statements = {
      insert: db.prepare<[string, number, number, string, string]>(
        `INSERT INTO summary_posts (kind, as_of, posted_at, message_id, channel_id) VALUES (?, ?, ?, ?, ?)`,
      ),
      byId: db.prepare<[number], SummaryPostRow>(
        `SELECT ${columns} FROM summary_posts WHERE id = ?`,
      ),
      latest: db.prepare<[string], SummaryPostRow>(
        `SELECT ${columns} FROM summary_posts WHERE kind = ? ORDER BY as_of DESC, id DESC LIMIT 1`,
      ),
      recent: db.prepare<[string, number], SummaryPostRow>(
        `SELECT ${columns} FROM summary_posts WHERE kind = ? ORDER BY id DESC LIMIT ?`,
      ),
    };
  }

  /**
   * The post of this kind with the latest as-of time (of two with the same, the one recorded
   * last), or `undefined` when none was recorded.
   */
  latest(kind: SummaryPostKind): SummaryPost | undefined {
    const row = this.#statements.latest.get(checkKind(kind));
    return row === undefined ? undefined : toSummaryPost(row);
  }

  /**
   * Records a post Discord accepted and returns it. Throws `INVALID_INPUT` for an unknown kind,
   * an invalid date or a malformed snowflake.
   */
  record(input: SummaryPostInput): SummaryPost {
    const kind = checkKind(input.kind);
    const asOf = toMillis(input.asOf, 'asOf');
    const postedAt = toMillis(input.postedAt ?? Date.now(), 'postedAt');
    const messageId = checkSnowflake(input.messageId, 'messageId');
    const channelId = checkSnowflake(input.channelId, 'channelId');
    const id = Number(
      this.#statements.insert.run(kind, asOf, postedAt, messageId, channelId).lastInsertRowid,
    );
    const row = this.#statements.byId.get(id);
    if (row === undefined) throw new StoreError('INVALID_INPUT', `summary post ${id} vanished`);
    return toSummaryPost(row);
  }

  /** The most recent posts of this kind, the last recorded first. */
  recent(kind: SummaryPostKind, limit = 10): SummaryPost[] {
    return this.#statements.recent.all(checkKind(kind), limit).map(toSummaryPost);
  }
}
