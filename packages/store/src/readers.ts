import type BetterSqlite3 from 'better-sqlite3';
import type { MetricCategory } from './wom.js';
import {
  millisToSnowflake,
  normalizeRsn,
  snowflakeToBigInt,
  toMillis,
  type Instant,
  type Snowflake,
} from './values.js';

/** A membership period of a player in a group, with the player's current details. */
export interface MemberRow {
  playerId: number;
  username: string;
  displayName: string;
  role: string;
  joinedAt: number;
  /** `null` while the player is a member. */
  leftAt: number | null;
  type: string;
  build: string;
  status: string;
  lastChangedAt: number | null;
  updatedAt: number | null;
}

/** A name a player has been known by. */
export interface PlayerNameRow {
  playerId: number;
  normalizedName: string;
  displayName: string;
  source: 'player' | 'name_change';
  firstSeenAt: number;
  lastSeenAt: number;
}

/** One metric value of a snapshot. */
export interface MetricValue {
  category: MetricCategory;
  value: number;
  rank: number;
  level: number | null;
}

/** A player's snapshot with every stored metric. */
export interface PlayerSnapshot {
  playerId: number;
  takenAt: number;
  metrics: Record<string, MetricValue>;
}

/** Message counts of one Discord author in a time range. */
export interface AuthorActivity {
  authorId: Snowflake;
  messages: number;
  questions: number;
  replies: number;
  /** Messages that answer someone else's question (see `MessageRecord.answerToId`). */
  answers: number;
  firstAt: number;
  lastAt: number;
}

/** Clan-chat lines relayed into Discord, counted per in-game name. */
export interface RelayActivity {
  rsn: string;
  normalizedRsn: string;
  messages: number;
  lastAt: number;
}

/** A time range: `since` inclusive, `until` exclusive (default: now). */
export interface TimeRange {
  since: Instant;
  until?: Instant;
}

interface SnapshotValueRow {
  player_id: number;
  taken_at: number;
  name: string;
  category: MetricCategory;
  value: number;
  rank: number;
  level: number | null;
}

function groupSnapshots(rows: readonly SnapshotValueRow[]): PlayerSnapshot[] {
  const byPlayer = new Map<number, PlayerSnapshot>();
  for (const row of rows) {
    let snapshot = byPlayer.get(row.player_id);
    if (snapshot === undefined) {
      snapshot = { playerId: row.player_id, takenAt: row.taken_at, metrics: {} };
      byPlayer.set(row.player_id, snapshot);
    }
    snapshot.metrics[row.name] = {
      category: row.category,
      value: row.value,
      rank: row.rank,
      level: row.level,
    };
  }
  return [...byPlayer.values()];
}

/** The read side the clan model, the report and the dashboard build on. */
export class StoreReader {
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    const memberColumns = `m.player_id AS playerId, p.username, p.display_name AS displayName, m.role,
      m.joined_at AS joinedAt, m.left_at AS leftAt, p.type, p.build, p.status,
      p.last_changed_at AS lastChangedAt, p.updated_at AS updatedAt
      FROM wom_memberships m JOIN wom_players p ON p.id = m.player_id`;
    const snapshotValues = (direction: 'before' | 'after'): string => `
      WITH chosen AS (
        SELECT s.player_id, ${direction === 'before' ? 'max' : 'min'}(s.taken_at) AS taken_at
        FROM wom_snapshots s
        WHERE s.taken_at ${direction === 'before' ? '<=' : '>='} ?
          AND s.player_id IN (SELECT value FROM json_each(?))
        GROUP BY s.player_id
      )
      SELECT s.player_id, s.taken_at, metric.name, metric.category, v.value, v.rank, v.level
      FROM chosen
      JOIN wom_snapshots s ON s.player_id = chosen.player_id AND s.taken_at = chosen.taken_at
      JOIN wom_snapshot_values v ON v.snapshot_id = s.id
      JOIN wom_metrics metric ON metric.id = v.metric_id
      ORDER BY s.player_id, metric.id`;
    this.#statements = {
      currentMembers: db.prepare<[number], MemberRow>(
        `SELECT ${memberColumns} WHERE m.group_id = ? AND m.left_at IS NULL ORDER BY p.username`,
      ),
      allMemberships: db.prepare<[number], MemberRow>(
        `SELECT ${memberColumns} WHERE m.group_id = ? ORDER BY p.username, m.joined_at`,
      ),
      names: db.prepare<
        [number],
        PlayerNameRow
      >(`SELECT player_id AS playerId, normalized_name AS normalizedName,
        display_name AS displayName, source, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt
        FROM wom_player_names WHERE player_id = ? ORDER BY last_seen_at DESC`),
      byName: db.prepare<[string], { playerId: number }>(
        `SELECT DISTINCT player_id AS playerId FROM wom_player_names WHERE normalized_name = ? ORDER BY player_id`,
      ),
      before: db.prepare<[number, string], SnapshotValueRow>(snapshotValues('before')),
      after: db.prepare<[number, string], SnapshotValueRow>(snapshotValues('after')),
      authors: db
        .prepare<
          [bigint, bigint],
          {
            author_id: bigint;
            messages: bigint;
            questions: bigint;
            replies: bigint;
            answers: bigint;
            first_at: bigint;
            last_at: bigint;
          }
        >(
          `SELECT author_id, count(*) AS messages, sum(is_question) AS questions,
             sum(reply_to_id IS NOT NULL) AS replies, sum(answer_to_id IS NOT NULL) AS answers,
             min(created_at) AS first_at, max(created_at) AS last_at
           FROM discord_messages
           WHERE id >= ? AND id < ? AND is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)
           GROUP BY author_id ORDER BY author_id`,
        )
        .safeIntegers(true),
      relay: db.prepare<
        [{ from: bigint; to: bigint }],
        { rsn: string; normalized_rsn: string; messages: number; last_at: number }
      >(
        // One row per in-game name (WOM's normalisation), spelled as in its latest line.
        `SELECT normalized_rsn, count(*) AS messages, max(created_at) AS last_at,
           (SELECT latest.rsn FROM discord_relay_lines AS latest
             WHERE latest.normalized_rsn = lines.normalized_rsn AND latest.message_id < @to
             ORDER BY latest.message_id DESC, latest.line DESC LIMIT 1) AS rsn
         FROM discord_relay_lines AS lines
         WHERE message_id >= @from AND message_id < @to
         GROUP BY normalized_rsn ORDER BY normalized_rsn`,
      ),
      buckets: db.prepare<[number, bigint, bigint], { bucket: number; messages: number }>(
        `SELECT created_at / ? AS bucket, count(*) AS messages FROM discord_messages
         WHERE id >= ? AND id < ? AND is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)
         GROUP BY bucket ORDER BY bucket`,
      ),
    };
  }

  /** Current members of a group (open membership periods). */
  currentMembers(groupId: number): MemberRow[] {
    return this.#statements.currentMembers.all(groupId);
  }

  /** Every membership period of a group, leavers included. */
  membershipHistory(groupId: number): MemberRow[] {
    return this.#statements.allMemberships.all(groupId);
  }

  /** Every name a player has been known by, most recent first. */
  playerNames(playerId: number): PlayerNameRow[] {
    return this.#statements.names.all(playerId);
  }

  /** Players whose current or former name is `name` under WOM's normalisation (never a substring match). */
  findPlayersByName(name: string): number[] {
    return this.#statements.byName.all(normalizeRsn(name)).map((row) => row.playerId);
  }

  /**
   * For each player, the newest snapshot taken at or before `at` (or, with `direction: 'after'`,
   * the oldest taken at or after it). Players without such a snapshot are absent.
   */
  snapshotsAt(
    playerIds: readonly number[],
    at: Instant,
    direction: 'before' | 'after' = 'before',
  ): PlayerSnapshot[] {
    const statement = direction === 'before' ? this.#statements.before : this.#statements.after;
    return groupSnapshots(statement.all(toMillis(at, 'at'), JSON.stringify(playerIds)));
  }

  #idRange(range: TimeRange): [bigint, bigint] {
    const until = range.until ?? Date.now();
    return [
      snowflakeToBigInt(millisToSnowflake(range.since)),
      snowflakeToBigInt(millisToSnowflake(until)),
    ];
  }

  /**
   * Human messages per Discord author in a range (bots, webhooks and thread-starter echoes
   * excluded). Uses the snowflake order of the primary key, so it reads only the range.
   */
  authorActivity(range: TimeRange): AuthorActivity[] {
    const [from, to] = this.#idRange(range);
    return this.#statements.authors.all(from, to).map((row) => ({
      authorId: row.author_id.toString(),
      messages: Number(row.messages),
      questions: Number(row.questions),
      replies: Number(row.replies),
      answers: Number(row.answers),
      firstAt: Number(row.first_at),
      lastAt: Number(row.last_at),
    }));
  }

  /** Relayed clan-chat lines per in-game name in a range. */
  relayActivity(range: TimeRange): RelayActivity[] {
    const [from, to] = this.#idRange(range);
    return this.#statements.relay.all({ from, to }).map((row) => ({
      rsn: row.rsn,
      normalizedRsn: row.normalized_rsn,
      messages: row.messages,
      lastAt: row.last_at,
    }));
  }

  /**
   * Human message counts in fixed UTC buckets (default 15 minutes), for heatmaps in any time zone:
   * returns `[bucketStartMillis, messages]` pairs.
   */
  messageBuckets(range: TimeRange, bucketMs = 15 * 60_000): Array<[number, number]> {
    const [from, to] = this.#idRange(range);
    return this.#statements.buckets
      .all(bucketMs, from, to)
      .map((row) => [row.bucket * bucketMs, row.messages]);
  }
}
