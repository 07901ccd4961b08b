import {
  millisToSnowflake,
  normalizeRsn,
  suggestLinks,
  type LinkCandidatePlayer,
  type LinkCandidateUser,
  type Store,
} from '@clanstats/store';

import { ClanModelError } from './errors.js';

type Database = Store['db'];
import { computeGains, round3, type MetricInfo, type WomGains } from './gains.js';
import {
  MEMBER_WINDOW_KEYS,
  WINDOW_DAYS,
  WINDOW_KEYS,
  resolveRules,
  type ClanModelRules,
  type DeepPartial,
  type MemberWindowKey,
  type WindowKey,
} from './rules.js';
import {
  DAY_MS,
  HOUR_MS,
  ZoneCalendar,
  checkTimeZone,
  dayNumberToDate,
  mondayFirstWeekday,
} from './time.js';
import type {
  BossHighlight,
  BossRecord,
  ChannelActivity,
  ChannelWindow,
  ClanEvent,
  ClanSummary,
  ClanWindowTotals,
  DailyPoint,
  FormerMemberSummary,
  HeatmapWindow,
  InactivityDetails,
  InactivitySignal,
  InactivitySignalKey,
  LinkedDiscordUser,
  MemberIdentity,
  MemberStatus,
  MemberSummary,
  MemberWeekly,
  MemberWindow,
  RankUpSuggestion,
  ScoreBreakdown,
  UnmatchedDiscordUser,
  WindowSourceInfo,
} from './types.js';

/** Options for {@link computeClanSummary}. */
export interface ComputeClanSummaryOptions {
  /**
   * The instant the summary describes: windows are the N 24-hour periods ending here.
   * @defaultValue now
   */
  asOf?: Date | number;
  /**
   * The clan's IANA time zone, for calendar days (the daily series) and the heatmap.
   * @defaultValue `'UTC'`
   */
  timeZone?: string;
  /**
   * The WOM group to summarise.
   * @defaultValue the only group in the store
   */
  groupId?: number;
  /**
   * Rules merged over {@link DefaultClanModelRules}.
   * @defaultValue `{}`
   */
  rules?: DeepPartial<ClanModelRules>;
  /**
   * The `generatedAt` stamp.
   * @defaultValue now
   */
  generatedAt?: Date;
}

/**
 * How much older than a window's start its baseline snapshot may be, in milliseconds: 25% of the
 * window, at least 24 h and at most 30 days; 24 h for `'all'` (progress from before the member
 * joined is not theirs to show). An older baseline would pass off weeks of progress as the window's.
 */
export function baselineTolerance(key: MemberWindowKey): number {
  if (key === 'all') return DAY_MS;
  return Math.min(30 * DAY_MS, Math.max(DAY_MS, (WINDOW_DAYS[key] * DAY_MS) / 4));
}

/** How far WOM's window gains may be from `asOf` and still be used, in milliseconds. */
export const WOM_WINDOW_GAINS_TOLERANCE_MS = 6 * HOUR_MS;

/** How many weeks {@link ClanSummary.weeks} and each member's `weekly` series hold. */
const WEEK_COUNT = 52;
const WEEK_MS = 7 * DAY_MS;

const DISCORD_EPOCH = 1_420_070_400_000n;
const HUMAN_MESSAGE = `is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)`;

interface Period {
  playerId: number;
  role: string;
  joinedAt: number;
  leftAt: number | null;
}

interface PlayerRow {
  id: number;
  username: string;
  display_name: string;
  last_changed_at: number | null;
}

interface Snapshot {
  takenAt: number;
  values: Float64Array;
}

function toMillisOption(value: unknown, option: string): number {
  const millis =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(millis)) {
    throw new ClanModelError(
      'INVALID_OPTIONS',
      `${option} must be a valid Date or epoch milliseconds`,
      {
        option,
        value,
      },
    );
  }
  return Math.trunc(millis);
}

function snowflake(millis: number): bigint {
  return BigInt(millisToSnowflake(Math.max(0, millis)));
}

function snowflakeMillis(id: bigint): number {
  return Number((id >> 22n) + DISCORD_EPOCH);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

const emptyTotals = (): ClanWindowTotals => ({
  xp: 0,
  ehp: 0,
  ehb: 0,
  bossKills: 0,
  levels: 0,
  messages: 0,
  clanChatMessages: 0,
  questions: 0,
  answers: 0,
  membersWithGains: 0,
  membersMissingBaseline: 0,
  sources: { snapshots: 0, wom: 0, since_first_snapshot: 0 },
});

function resolveGroup(db: Database, groupId: number | undefined): { id: number; name: string } {
  const groups = db
    .prepare<[], { id: number; name: string }>(`SELECT id, name FROM wom_groups ORDER BY id`)
    .all();
  const groupIds = groups.map((group) => group.id);
  if (groupId !== undefined) {
    if (!Number.isSafeInteger(groupId)) {
      throw new ClanModelError('INVALID_OPTIONS', `groupId must be a WOM group id`, {
        option: 'groupId',
        value: groupId,
        groupIds,
      });
    }
    const group = groups.find((candidate) => candidate.id === groupId);
    if (group === undefined) {
      throw new ClanModelError('NO_GROUP', `The store holds no WOM group ${groupId}`, {
        groupIds,
        value: groupId,
      });
    }
    return group;
  }
  const [only, ...others] = groups;
  if (only === undefined) {
    throw new ClanModelError('NO_GROUP', 'The store holds no WOM group: harvest one first', {
      groupIds,
    });
  }
  if (others.length > 0) {
    throw new ClanModelError(
      'INVALID_OPTIONS',
      `The store holds ${groups.length} WOM groups (${groupIds.join(', ')}): pass groupId`,
      { option: 'groupId', groupIds },
    );
  }
  return only;
}

/**
 * Computes the clan summary for `asOf` from the store: members with their windows, status, score
 * and rank-up suggestion, former members, events, totals, the daily series, the heatmap, boss
 * highlights and unmatched Discord activity. Synchronous and read-only: it runs only `SELECT`
 * queries on `store.db`.
 *
 * @throws {@link ClanModelError} `INVALID_OPTIONS` (bad time zone, `asOf`, rules, or several groups
 * without `groupId`), `NO_GROUP`, or `QUERY_FAILED` (the store is not migrated to schema v3).
 *
 * @example
 * ```ts
 * const summary = computeClanSummary(store, { timeZone: 'Europe/Amsterdam' });
 * for (const member of summary.members) console.log(member.displayName, member.status);
 * ```
 */
export function computeClanSummary(
  store: Store,
  options: ComputeClanSummaryOptions = {},
): ClanSummary {
  const asOf = toMillisOption(options.asOf ?? Date.now(), 'asOf');
  const generatedAt = toMillisOption(options.generatedAt ?? new Date(), 'generatedAt');
  const timezone = checkTimeZone(options.timeZone ?? 'UTC');
  const rules = resolveRules(options.rules ?? {});
  try {
    return compute(store.db, asOf, generatedAt, timezone, rules, options.groupId);
  } catch (error) {
    if (error instanceof ClanModelError) throw error;
    throw new ClanModelError(
      'QUERY_FAILED',
      `Could not read the clan summary from the store: ${String(error)}`,
      { cause: error },
    );
  }
}

function compute(
  db: Database,
  asOf: number,
  generatedAt: number,
  timezone: string,
  rules: ClanModelRules,
  groupIdOption: number | undefined,
): ClanSummary {
  const group = resolveGroup(db, groupIdOption);
  const endId = snowflake(asOf + 1); // exclusive bound: ids of messages up to asOf inclusive

  // ------------------------------------------------------------------ membership as of asOf
  const periods = db
    .prepare<[number, number], Record<string, number | string | null>>(
      `SELECT player_id AS playerId, role, joined_at AS joinedAt, left_at AS leftAt
       FROM wom_memberships WHERE group_id = ? AND joined_at <= ? ORDER BY player_id, joined_at`,
    )
    .all(group.id, asOf) as unknown as Period[];
  const periodsByPlayer = new Map<number, Period[]>();
  for (const period of periods) {
    // A period that ends after asOf was still open at asOf.
    const atAsOf: Period = {
      ...period,
      leftAt: period.leftAt !== null && period.leftAt > asOf ? null : period.leftAt,
    };
    const list = periodsByPlayer.get(period.playerId);
    if (list === undefined) periodsByPlayer.set(period.playerId, [atAsOf]);
    else list.push(atAsOf);
  }
  // Members who left before the store's first roster sync have no membership rows; the group
  // activity feed still knows when they joined and left. Membership rows win where both exist.
  const feedRows = db
    .prepare<
      [number, number],
      { playerId: number; type: 'joined' | 'left'; role: string | null; at: number }
    >(
      `SELECT player_id AS playerId, type, role, created_at AS at FROM wom_group_activity
       WHERE group_id = ? AND created_at <= ? AND type IN ('joined', 'left')
       ORDER BY player_id, created_at`,
    )
    .all(group.id, asOf);
  const feedPeriods = new Map<number, { periods: Period[]; open: Period | undefined }>();
  for (const row of feedRows) {
    if (periodsByPlayer.has(row.playerId)) continue;
    let state = feedPeriods.get(row.playerId);
    if (state === undefined) {
      state = { periods: [], open: undefined };
      feedPeriods.set(row.playerId, state);
    }
    if (row.type === 'joined') {
      state.open = {
        playerId: row.playerId,
        role: row.role ?? 'member',
        joinedAt: row.at,
        leftAt: null,
      };
    } else {
      state.periods.push({
        playerId: row.playerId,
        role: row.role ?? state.open?.role ?? 'member',
        joinedAt: state.open?.joinedAt ?? row.at,
        leftAt: row.at,
      });
      state.open = undefined;
    }
  }
  for (const [playerId, state] of feedPeriods) {
    // A join with no leave and no membership row is not known to be current: left out.
    if (state.open === undefined && state.periods.length > 0) {
      periodsByPlayer.set(playerId, state.periods);
    }
  }
  const currentPeriods = new Map<number, Period>();
  const formerPeriods = new Map<number, Period>();
  for (const [playerId, list] of periodsByPlayer) {
    const last = list[list.length - 1] as Period;
    if (last.leftAt === null) currentPeriods.set(playerId, last);
    else formerPeriods.set(playerId, last);
  }
  const allPlayerIds = [...periodsByPlayer.keys()];
  const currentIds = [...currentPeriods.keys()];
  const playerJson = JSON.stringify(allPlayerIds);

  // ------------------------------------------------------------------ players, names, links
  const players = new Map(
    db
      .prepare<[string], PlayerRow>(
        `SELECT id, username, display_name, last_changed_at FROM wom_players
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .all(playerJson)
      .map((row) => [row.id, row]),
  );
  const nameRows = db
    .prepare<
      [string],
      {
        player_id: number;
        normalized_name: string;
        display_name: string;
        source: string;
        last_seen_at: number;
      }
    >(
      `SELECT player_id, normalized_name, display_name, source, last_seen_at FROM wom_player_names
       WHERE player_id IN (SELECT value FROM json_each(?)) ORDER BY last_seen_at DESC, normalized_name`,
    )
    .all(playerJson);
  const nameChangeRows = db
    .prepare<
      [string, number],
      { id: number; player_id: number; old_name: string; new_name: string; at: number }
    >(
      `SELECT id, player_id, old_name, new_name, coalesce(resolved_at, created_at) AS at
       FROM wom_name_changes WHERE status = 'approved' AND player_id IN (SELECT value FROM json_each(?))
         AND coalesce(resolved_at, created_at) <= ? ORDER BY at, id`,
    )
    .all(playerJson, asOf);
  // Every normalised name of each player (current and former), and former names for display.
  const normalizedNames = new Map<number, Set<string>>();
  const formerNames = new Map<number, string[]>();
  for (const playerId of allPlayerIds) {
    const player = players.get(playerId);
    const names = new Set<string>();
    if (player !== undefined) {
      names.add(normalizeRsn(player.display_name));
      names.add(normalizeRsn(player.username));
    }
    normalizedNames.set(playerId, names);
    formerNames.set(playerId, []);
  }
  const currentNormalized = (playerId: number): Set<string> => {
    const player = players.get(playerId);
    return new Set(
      player === undefined
        ? []
        : [normalizeRsn(player.display_name), normalizeRsn(player.username)],
    );
  };
  const addFormer = (playerId: number, name: string): void => {
    const key = normalizeRsn(name);
    if (key === '') return;
    normalizedNames.get(playerId)?.add(key);
    if (currentNormalized(playerId).has(key)) return;
    const list = formerNames.get(playerId);
    if (list !== undefined && !list.some((existing) => normalizeRsn(existing) === key))
      list.push(name);
  };
  for (const row of nameRows) {
    if (row.source === 'name_change') addFormer(row.player_id, row.display_name);
  }
  for (const change of [...nameChangeRows].reverse()) addFormer(change.player_id, change.old_name);

  const linkRows = db
    .prepare<
      [string],
      {
        discord_user_id: bigint;
        player_id: bigint;
        source: string;
        confirmed: bigint;
        username: string | null;
        global_name: string | null;
        nickname: string | null;
      }
    >(
      `SELECT l.discord_user_id, l.player_id, l.source, l.confirmed, u.username, u.global_name,
         (SELECT max(nickname) FROM discord_members dm WHERE dm.user_id = l.discord_user_id) AS nickname
       FROM identity_links l LEFT JOIN discord_users u ON u.id = l.discord_user_id
       WHERE l.player_id IN (SELECT value FROM json_each(?))
       ORDER BY l.player_id, l.discord_user_id`,
    )
    .safeIntegers(true)
    .all(playerJson);
  const linksByPlayer = new Map<number, LinkedDiscordUser[]>();
  for (const row of linkRows) {
    const playerId = Number(row.player_id);
    const list = linksByPlayer.get(playerId) ?? [];
    list.push({
      userId: row.discord_user_id.toString(),
      username: row.username,
      globalName: row.global_name,
      nickname: row.nickname,
      source: row.source,
      confirmed: row.confirmed === 1n,
    });
    linksByPlayer.set(playerId, list);
  }

  const identity = (playerId: number, period: Period): MemberIdentity => {
    const player = players.get(playerId);
    return {
      playerId,
      username: player?.username ?? String(playerId),
      displayName: player?.display_name ?? String(playerId),
      role: period.role,
      joinedAt: period.joinedAt,
      formerNames: formerNames.get(playerId) ?? [],
      discordUsers: linksByPlayer.get(playerId) ?? [],
    };
  };

  // ------------------------------------------------------------------ metrics and snapshots
  const metrics = db
    .prepare<[], MetricInfo>(`SELECT id, name, category FROM wom_metrics ORDER BY id`)
    .all();
  const metricSize = metrics.reduce((max, metric) => Math.max(max, metric.id), 0) + 1;
  const overallMetric = metrics.find((metric) => metric.name === 'overall');
  const latestAtOrBefore = db.prepare<[number, number], { id: number; taken_at: number }>(
    `SELECT id, taken_at FROM wom_snapshots WHERE player_id = ? AND taken_at <= ?
     ORDER BY taken_at DESC LIMIT 1`,
  );
  const earliestAfter = db.prepare<[number, number], { id: number; taken_at: number }>(
    `SELECT id, taken_at FROM wom_snapshots WHERE player_id = ? AND taken_at > ?
     ORDER BY taken_at LIMIT 1`,
  );
  const snapshotValues = db
    .prepare<[number], [number, number]>(
      `SELECT metric_id, value FROM wom_snapshot_values WHERE snapshot_id = ?`,
    )
    .raw(true);
  const snapshotCache = new Map<number, Snapshot>();
  const loadSnapshot = (row: { id: number; taken_at: number } | undefined): Snapshot | null => {
    if (row === undefined) return null;
    let snapshot = snapshotCache.get(row.id);
    if (snapshot === undefined) {
      const values = new Float64Array(metricSize).fill(Number.NaN);
      for (const [metricId, value] of snapshotValues.all(row.id)) values[metricId] = value;
      snapshot = { takenAt: row.taken_at, values };
      snapshotCache.set(row.id, snapshot);
    }
    return snapshot;
  };

  // WOM's own window gains, when harvested close to asOf.
  const womGainRows = db
    .prepare<
      [string, number, number],
      {
        player_id: number;
        window_days: number;
        metric_id: number;
        start_at: number;
        end_at: number;
        start_value: number;
        end_value: number;
      }
    >(
      `SELECT player_id, window_days, metric_id, start_at, end_at, start_value, end_value
       FROM wom_window_gains WHERE player_id IN (SELECT value FROM json_each(?))
         AND range_end BETWEEN ? AND ?`,
    )
    .all(
      JSON.stringify(currentIds),
      asOf - WOM_WINDOW_GAINS_TOLERANCE_MS,
      asOf + WOM_WINDOW_GAINS_TOLERANCE_MS,
    );
  const womGains = new Map<
    string,
    { base: Float64Array; end: Float64Array; startAt: number; endAt: number }
  >();
  for (const row of womGainRows) {
    const key = `${row.player_id}:${row.window_days}`;
    let entry = womGains.get(key);
    if (entry === undefined) {
      entry = {
        base: new Float64Array(metricSize).fill(Number.NaN),
        end: new Float64Array(metricSize).fill(Number.NaN),
        startAt: row.start_at,
        endAt: row.end_at,
      };
      womGains.set(key, entry);
    }
    entry.base[row.metric_id] = row.start_value;
    entry.end[row.metric_id] = row.end_value;
    entry.startAt = Math.min(entry.startAt, row.start_at);
    entry.endAt = Math.max(entry.endAt, row.end_at);
  }

  const windowStart = (key: MemberWindowKey, joinedAt: number): number =>
    key === 'all' ? joinedAt : asOf - WINDOW_DAYS[key] * DAY_MS;

  // ------------------------------------------------------------------ Discord per author
  const sinceIdOf = (joinedAt: number): bigint => snowflake(joinedAt);
  const authorSince: Array<[string, string]> = [];
  for (const [playerId, period] of currentPeriods) {
    for (const link of linksByPlayer.get(playerId) ?? []) {
      authorSince.push([link.userId, sinceIdOf(period.joinedAt).toString()]);
    }
  }
  const windowIds = WINDOW_KEYS.map((key) => snowflake(asOf - WINDOW_DAYS[key] * DAY_MS));

  // Per author, counts over the disjoint ranges [365d, 90d), [90d, 30d), [30d, 7d), [7d, asOf]:
  // whole UTC days from the rollup discord_author_days (migration 0004: messages, questions and
  // answers per author and day, kept by the store's writer), and the partial days at a range's
  // edges exactly, by id range on the primary key of discord_messages (snowflakes are
  // time-ordered), so the counts stay exact to the millisecond.
  const dayRollups = db
    .prepare<[], string>(
      `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name IN ('discord_author_days', 'discord_channel_days')`,
    )
    .pluck(true)
    .all();
  const hasOverallExp =
    db
      .prepare<[], number>(
        `SELECT count(*) FROM pragma_table_info('wom_snapshots') WHERE name = 'overall_exp'`,
      )
      .pluck(true)
      .get() === 1;
  if (!hasOverallExp) {
    throw new ClanModelError(
      'STORE_OUTDATED',
      'The store lacks migration 0006_snapshot_overall: run store.migrations.up() (clanstats migrate) first',
    );
  }
  if (dayRollups.length < 2) {
    throw new ClanModelError(
      'STORE_OUTDATED',
      `The store lacks migration ${dayRollups.includes('discord_author_days') ? '0005_discord_channel_days' : '0004_discord_author_days'}: run store.migrations.up() (clanstats migrate) first`,
    );
  }
  /** The UTC day number of a snowflake's send time, as the rollup's `day`. */
  const dayOfId = (id: bigint): number => Math.floor(snowflakeMillis(id) / DAY_MS);
  const dayStartId = (day: number): bigint => snowflake(day * DAY_MS);
  /**
   * Splits the ids [from, to) into whole UTC days [fromDay, toDay) and the partial days before and
   * after them (`head` and `tail`, as id ranges). Without a whole day in between, all is `head`.
   */
  const splitDays = (
    from: bigint,
    to: bigint,
  ): { head: [bigint, bigint]; fromDay: number; toDay: number; tail: [bigint, bigint] } => {
    const firstDay = dayOfId(from);
    const fromDay = dayStartId(firstDay) === from ? firstDay : firstDay + 1;
    const toDay = dayOfId(to);
    if (from >= to || fromDay >= toDay) {
      return { head: [from, to], fromDay: 0, toDay: 0, tail: [to, to] };
    }
    return {
      head: [from, dayStartId(fromDay)],
      fromDay,
      toDay,
      tail: [dayStartId(toDay), to],
    };
  };
  interface EdgeCounts {
    /** Messages, questions, answers. */
    counts: number[];
    lastId: bigint;
  }
  const edgeStats = db
    .prepare<[bigint, bigint], [bigint, bigint, bigint | null, bigint | null, bigint]>(
      `SELECT author_id, count(*), sum(is_question = 1), sum(answer_to_id IS NOT NULL), max(id)
       FROM discord_messages WHERE id >= ? AND id < ? AND ${HUMAN_MESSAGE} GROUP BY author_id`,
    )
    .raw(true)
    .safeIntegers(true);
  const edgeCache = new Map<string, Map<string, EdgeCounts>>();
  /** Every author's counts over the ids [from, to) (at most a day or two), read once. */
  const edgeCounts = (range: [bigint, bigint]): Map<string, EdgeCounts> => {
    const [from, to] = range;
    const key = `${from.toString()}:${to.toString()}`;
    let result = edgeCache.get(key);
    if (result === undefined) {
      result = new Map();
      if (from < to) {
        for (const row of edgeStats.all(from, to)) {
          result.set(row[0].toString(), {
            counts: [Number(row[1]), Number(row[2] ?? 0n), Number(row[3] ?? 0n)],
            lastId: row[4],
          });
        }
      }
      edgeCache.set(key, result);
    }
    return result;
  };

  interface AuthorCounts {
    /** Per window 7d, 30d, 90d, 365d. */
    messages: number[];
    questions: number[];
    answers: number[];
    lastId: bigint;
  }
  const authorWindows = new Map<string, AuthorCounts>();
  const countsOf = (author: string): AuthorCounts => {
    let counts = authorWindows.get(author);
    if (counts === undefined) {
      counts = {
        messages: [0, 0, 0, 0],
        questions: [0, 0, 0, 0],
        answers: [0, 0, 0, 0],
        lastId: 0n,
      };
      authorWindows.set(author, counts);
    }
    return counts;
  };
  /**
   * Adds a piece's [messages, questions, answers] (piece 0 oldest) to windows (3 − piece)..3
   * (365d is index 3): for authors and for channels.
   */
  const addPiece = (
    counts: { messages: number[]; questions: number[]; answers: number[] },
    piece: number,
    add: readonly number[],
  ): void => {
    for (let window = 3 - piece; window <= 3; window += 1) {
      counts.messages[window] = (counts.messages[window] as number) + (add[0] as number);
      counts.questions[window] = (counts.questions[window] as number) + (add[1] as number);
      counts.answers[window] = (counts.answers[window] as number) + (add[2] as number);
    }
  };
  const bounds = [...[...windowIds].reverse(), endId]; // 365d, 90d, 30d, 7d starts, then asOf
  const pieces = [0, 1, 2, 3].map((piece) =>
    splitDays(bounds[piece] as bigint, bounds[piece + 1] as bigint),
  );
  const endDay = dayOfId(endId);
  // One pass over the rollup: each author's whole days per piece, and their last message before
  // asOf's day (that day's row may hold later messages: its part up to asOf is read exactly).
  /** Per piece, the sums of a day rollup's messages, questions and answers over its whole days. */
  const pieceSums = pieces
    .map((_, piece) =>
      ['messages', 'questions', 'answers']
        .map((column) => `sum(${column}) FILTER (WHERE day >= @from${piece} AND day < @to${piece})`)
        .join(', '),
    )
    .join(',\n         ');
  const pieceDays = {
    endDay,
    ...Object.fromEntries(
      pieces.flatMap((piece, index) => [
        [`from${index}`, piece.fromDay],
        [`to${index}`, piece.toDay],
      ]),
    ),
  };
  /** Adds one rollup row's piece sums, starting at column `offset`, to `counts`. */
  const addPieceSums = (
    counts: Parameters<typeof addPiece>[0],
    row: ReadonlyArray<bigint | null>,
    offset: number,
  ): void => {
    for (let piece = 0; piece < 4; piece += 1) {
      const start = offset + piece * 3;
      if (row[start] === null) continue;
      addPiece(
        counts,
        piece,
        [0, 1, 2].map((index) => Number(row[start + index] ?? 0n)),
      );
    }
  };
  const dayRows = db
    .prepare<Record<string, number>, Array<bigint | null>>(
      `SELECT author_id, max(last_id) FILTER (WHERE day < @endDay), ${pieceSums}
       FROM discord_author_days WHERE day < @endDay GROUP BY author_id`,
    )
    .raw(true)
    .safeIntegers(true)
    .all(pieceDays);
  for (const row of dayRows) {
    const lastId = row[1] ?? null;
    if (lastId === null) continue;
    const counts = countsOf((row[0] as bigint).toString());
    counts.lastId = lastId;
    addPieceSums(counts, row, 2);
  }
  pieces.forEach((piece, index) => {
    for (const range of [piece.head, piece.tail]) {
      for (const [author, edge] of edgeCounts(range))
        addPiece(countsOf(author), index, edge.counts);
    }
  });
  // Last messages on asOf's day, up to asOf; older ones on the days before it are in the rollup.
  for (const [author, edge] of edgeCounts([dayStartId(endDay), endId])) {
    const counts = countsOf(author);
    if (edge.lastId > counts.lastId) counts.lastId = edge.lastId;
  }
  // In author id order, as the index read them before (so later stable sorts keep their ties).
  const byAuthorId = [...authorWindows]
    .filter(([, counts]) => counts.lastId > 0n)
    .sort(([left], [right]) => (BigInt(left) < BigInt(right) ? -1 : 1));
  authorWindows.clear();
  for (const [author, counts] of byAuthorId) authorWindows.set(author, counts);

  // 'all' (since joining) per linked author: the whole days since from the rollup, and the
  // partial days at either end exactly (the joining day from the rollup too when the member wrote
  // nothing on it before joining, or nothing after).
  const daySums = db
    .prepare<[bigint, number, number], [number | null, number | null, number | null]>(
      `SELECT sum(messages), sum(questions), sum(answers) FROM discord_author_days
       WHERE author_id = ? AND day >= ? AND day < ?`,
    )
    .raw(true);
  const dayRow = db
    .prepare<[bigint, number], [bigint, bigint, bigint, bigint, bigint]>(
      `SELECT messages, questions, answers, first_id, last_id FROM discord_author_days
       WHERE author_id = ? AND day = ?`,
    )
    .raw(true)
    .safeIntegers(true);
  const authorRange = db
    .prepare<[bigint, bigint, bigint], [number, number | null, number | null]>(
      `SELECT count(*), sum(is_question = 1), sum(answer_to_id IS NOT NULL) FROM discord_messages
       WHERE id >= ? AND id < ? AND author_id = ? AND ${HUMAN_MESSAGE}`,
    )
    .raw(true);
  const sinceCounts = new Map<string, number[]>(); // `${author}:${since}` → [messages, questions, answers]
  for (const [author, since] of authorSince) {
    const key = `${author}:${since}`;
    if (sinceCounts.has(key)) continue;
    const authorId = BigInt(author);
    const { head, fromDay, toDay, tail } = splitDays(BigInt(since), endId);
    const total = [0, 0, 0];
    const add = (values: ReadonlyArray<number | bigint | null> | undefined): void => {
      if (values === undefined) return;
      for (let index = 0; index < 3; index += 1) {
        total[index] = (total[index] as number) + Number(values[index] ?? 0);
      }
    };
    if (head[0] < head[1]) {
      if (fromDay === toDay) {
        add(authorRange.get(head[0], head[1], authorId)); // no whole day in between
      } else {
        const row = dayRow.get(authorId, fromDay - 1);
        if (row !== undefined && row[4] >= head[0]) {
          if (row[3] >= head[0]) add(row);
          else add(edgeCounts(head).get(author)?.counts);
        }
      }
    }
    if (fromDay < toDay) add(daySums.get(authorId, fromDay, toDay));
    add(edgeCounts(tail).get(author)?.counts);
    sinceCounts.set(key, total);
  }
  const linkedAuthors = [...new Set(authorSince.map(([author]) => author))];

  // ------------------------------------------------------------------ weekly messages per author
  // The 52 weeks [weeks[i], weeks[i] + 7 × 24 h) end at asOf (the last one with asOf, as the
  // windows do): boundaries B_0..B_52, B_52 = endId. Each boundary splits a UTC day: its smaller
  // part is read exactly (`head`: day start to B, or `tail`: B to day end; always the head for
  // endId, as the windows read it), and the whole days from the rollup are taken so that the
  // part read is then moved across the boundary: a head is part of the rollup days of the week
  // starting at B and belongs to the week before; a tail is part of the rollup days of the week
  // before and belongs to the week starting at B. One statement reads the rollup for every linked
  // author and week (a primary-key seek each).
  const weeks = Array.from(
    { length: WEEK_COUNT },
    (_, index) => asOf - (WEEK_COUNT - index) * WEEK_MS,
  );
  const weekBounds = weeks.map((start) => {
    const id = snowflake(start);
    const day = dayOfId(id);
    const useHead = start - day * DAY_MS <= DAY_MS / 2;
    return { id, day, useHead };
  });
  weekBounds.push({ id: endId, day: dayOfId(endId), useHead: true });
  const weekDayParams: Record<string, number> = {};
  for (let week = 0; week < WEEK_COUNT; week += 1) {
    const start = weekBounds[week] as (typeof weekBounds)[number];
    const end = weekBounds[week + 1] as (typeof weekBounds)[number];
    weekDayParams[`from${week}`] = start.useHead ? start.day : start.day + 1;
    weekDayParams[`to${week}`] = end.useHead ? end.day : end.day + 1;
  }
  const authorWeekly = new Map<string, number[]>();
  // The 52 weeks lie inside the 365d window: an author with nothing there has only zeros.
  const weeklyAuthors = linkedAuthors.filter(
    (author) => (authorWindows.get(author)?.messages[3] ?? 0) > 0,
  );
  if (weeklyAuthors.length > 0) {
    const weekColumns = weeks
      .map(
        (_, week) =>
          `(SELECT sum(messages) FROM discord_author_days d
            WHERE d.author_id = a.id AND d.day >= @from${week} AND d.day < @to${week})`,
      )
      .join(', ');
    const weekRows = db
      .prepare<Record<string, number | string>, Array<bigint | null>>(
        `SELECT a.id, ${weekColumns}
         FROM (SELECT DISTINCT CAST(value AS INTEGER) AS id FROM json_each(@authors)) a`,
      )
      .raw(true)
      .safeIntegers(true)
      .all({ ...weekDayParams, authors: JSON.stringify(weeklyAuthors) });
    for (const row of weekRows) {
      authorWeekly.set(
        (row[0] as bigint).toString(),
        row.slice(1).map((value) => Number(value ?? 0n)),
      );
    }
    // Messages only: the window edges' statement also reads the flags, far into each row.
    const weekEdgeCounts = db
      .prepare<[bigint, bigint], [bigint, bigint]>(
        `SELECT author_id, count(*) FROM discord_messages
         WHERE id >= ? AND id < ? AND ${HUMAN_MESSAGE} GROUP BY author_id`,
      )
      .raw(true)
      .safeIntegers(true);
    weekBounds.forEach((bound, index) => {
      const dayStart = dayStartId(bound.day);
      const range: [bigint, bigint] = bound.useHead
        ? [dayStart, bound.id]
        : [bound.id, dayStartId(bound.day + 1)];
      if (range[0] >= range[1]) return;
      // A head moves from week `index` to week `index − 1`; a tail the other way.
      const sign = bound.useHead ? 1 : -1;
      for (const [author, count] of weekEdgeCounts.all(range[0], range[1])) {
        const counts = authorWeekly.get(author.toString());
        if (counts === undefined) continue;
        const found = Number(count);
        if (index < WEEK_COUNT) counts[index] = (counts[index] as number) - sign * found;
        if (index > 0) counts[index - 1] = (counts[index - 1] as number) + sign * found;
      }
    });
  }

  // First answers (by anyone else, up to asOf) to the questions of members' linked accounts (for
  // their windows, 'all' included) and to every human question of the last 365 days (for the
  // channels): one join of answers to questions through the primary key, read once for both.
  const channelSinceId = windowIds[3] as bigint; // the 365d window start
  const answerRows = db
    .prepare<
      [bigint, bigint, string],
      {
        author_id: bigint;
        channel_id: bigint;
        human: bigint;
        question_id: bigint;
        answer_id: bigint;
      }
    >(
      `SELECT q.author_id AS author_id, q.channel_id AS channel_id,
         (q.is_bot = 0 AND q.is_webhook = 0 AND q.type IN (0, 19)) AS human,
         q.id AS question_id, min(a.id) AS answer_id
       FROM discord_messages a JOIN discord_messages q ON q.id = a.answer_to_id
       WHERE a.answer_to_id IS NOT NULL AND a.id < ? AND a.id > q.id AND a.is_bot = 0 AND a.is_webhook = 0
         AND q.is_question = 1
         AND (q.id >= ? OR q.author_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)))
       GROUP BY a.answer_to_id`,
    )
    .safeIntegers(true)
    .all(endId, channelSinceId, JSON.stringify(linkedAuthors));
  const linkedAuthorSet = new Set(linkedAuthors);
  const answerDelays = new Map<string, Array<{ questionId: bigint; delay: number }>>();
  /** Per channel: its human questions of the last 365 days that were answered. */
  const channelAnswerDelays = new Map<bigint, Array<{ questionId: bigint; delay: number }>>();
  for (const row of answerRows) {
    const entry = {
      questionId: row.question_id,
      delay: snowflakeMillis(row.answer_id) - snowflakeMillis(row.question_id),
    };
    const author = row.author_id.toString();
    if (linkedAuthorSet.has(author)) {
      const list = answerDelays.get(author) ?? [];
      list.push(entry);
      answerDelays.set(author, list);
    }
    if (row.human === 1n && row.question_id >= channelSinceId) {
      const list = channelAnswerDelays.get(row.channel_id) ?? [];
      list.push(entry);
      channelAnswerDelays.set(row.channel_id, list);
    }
  }

  // ------------------------------------------------------------------ Discord per channel
  // Like the authors above: per piece [365d, 90d), [90d, 30d), [30d, 7d), [7d, asOf], the whole UTC
  // days from the rollup discord_channel_days (migration 0005) in one pass, and the partial days at
  // the pieces' edges by id range on the messages' primary key.
  type ChannelCounts = Parameters<typeof addPiece>[0];
  const channelCounts = new Map<string, ChannelCounts>();
  const channelCountsOf = (channel: string): ChannelCounts => {
    let counts = channelCounts.get(channel);
    if (counts === undefined) {
      counts = { messages: [0, 0, 0, 0], questions: [0, 0, 0, 0], answers: [0, 0, 0, 0] };
      channelCounts.set(channel, counts);
    }
    return counts;
  };
  const channelDayRows = db
    .prepare<Record<string, number>, Array<bigint | null>>(
      `SELECT channel_id, ${pieceSums}
       FROM discord_channel_days WHERE day >= @from0 AND day < @endDay GROUP BY channel_id`,
    )
    .raw(true)
    .safeIntegers(true)
    .all(pieceDays);
  for (const row of channelDayRows) {
    addPieceSums(channelCountsOf((row[0] as bigint).toString()), row, 1);
  }
  const channelEdgeStats = db
    .prepare<[bigint, bigint], [bigint, bigint, bigint | null, bigint | null]>(
      `SELECT channel_id, count(*), sum(is_question = 1), sum(answer_to_id IS NOT NULL)
       FROM discord_messages WHERE id >= ? AND id < ? AND ${HUMAN_MESSAGE} GROUP BY channel_id`,
    )
    .raw(true)
    .safeIntegers(true);
  pieces.forEach((piece, index) => {
    for (const [from, to] of [piece.head, piece.tail]) {
      if (from >= to) continue;
      for (const row of channelEdgeStats.all(from, to)) {
        addPiece(channelCountsOf(row[0].toString()), index, [
          Number(row[1]),
          Number(row[2] ?? 0n),
          Number(row[3] ?? 0n),
        ]);
      }
    }
  });
  const channelInfo = new Map(
    db
      .prepare<[], { id: bigint; parent_id: bigint | null; name: string; is_thread: bigint }>(
        `SELECT id, parent_id, name, is_thread FROM discord_channels`,
      )
      .safeIntegers(true)
      .all()
      .map((row) => [row.id, row]),
  );
  const channels: ChannelActivity[] = [...channelCounts].map(([channel, counts]) => {
    const channelId = BigInt(channel);
    const info = channelInfo.get(channelId);
    const delays = channelAnswerDelays.get(channelId) ?? [];
    const windows = {} as Record<WindowKey, ChannelWindow>;
    WINDOW_KEYS.forEach((key, index) => {
      const sinceId = windowIds[index] as bigint;
      windows[key] = {
        messages: counts.messages[index] as number,
        questions: counts.questions[index] as number,
        answers: counts.answers[index] as number,
        medianAnswerMs: median(
          delays.filter((entry) => entry.questionId >= sinceId).map((entry) => entry.delay),
        ),
      };
    });
    return {
      channelId: channelId.toString(),
      name: info?.name ?? channelId.toString(),
      parentId: info?.parent_id === null || info === undefined ? null : info.parent_id.toString(),
      isThread: info?.is_thread === 1n,
      windows,
    };
  });
  channels.sort(
    (left, right) =>
      right.windows['30d'].messages - left.windows['30d'].messages ||
      left.name.localeCompare(right.name, 'en') ||
      (BigInt(left.channelId) < BigInt(right.channelId) ? -1 : 1),
  );

  // ------------------------------------------------------------------ relayed clan chat per name
  const hasClanChat =
    db
      .prepare<[bigint], { found: number }>(
        `SELECT EXISTS (SELECT 1 FROM discord_relay_lines WHERE message_id < ?) AS found`,
      )
      .get(endId)?.found === 1;
  const nameSince: Array<[string, string]> = [];
  for (const [playerId, period] of currentPeriods) {
    for (const name of normalizedNames.get(playerId) ?? []) {
      nameSince.push([name, sinceIdOf(period.joinedAt).toString()]);
    }
  }
  const relayCounts = new Map<string, { counts: number[]; lastId: bigint }>(); // `${name}:${since}`
  if (hasClanChat && nameSince.length > 0) {
    const relayRows = db
      .prepare(
        `WITH since(name, since_id) AS (
           SELECT DISTINCT json_extract(value, '$[0]'), CAST(json_extract(value, '$[1]') AS INTEGER)
           FROM json_each(@since))
         SELECT r.normalized_rsn AS name, s.since_id AS since_id,
           sum(r.message_id >= @w0) AS c0, sum(r.message_id >= @w1) AS c1, sum(r.message_id >= @w2) AS c2,
           sum(r.message_id >= @w3) AS c3, sum(r.message_id >= s.since_id) AS call, max(r.message_id) AS last_id
         FROM discord_relay_lines r JOIN since s ON s.name = r.normalized_rsn
         WHERE r.normalized_rsn IN (SELECT name FROM since) AND r.message_id < @end
         GROUP BY r.normalized_rsn, s.since_id`,
      )
      .safeIntegers(true)
      .all({
        since: JSON.stringify(nameSince),
        w0: windowIds[0],
        w1: windowIds[1],
        w2: windowIds[2],
        w3: windowIds[3],
        end: endId,
      }) as Array<Record<string, bigint | string | null>>;
    for (const row of relayRows) {
      relayCounts.set(`${row.name as string}:${(row.since_id as bigint).toString()}`, {
        counts: ['c0', 'c1', 'c2', 'c3', 'call'].map((key) => Number(row[key] ?? 0n)),
        lastId: (row.last_id as bigint | null) ?? 0n,
      });
    }
  }
  // Per name, lines per week: an exact count on the index (normalized_rsn, message_id) per week.
  const nameWeekly = new Map<string, number[]>();
  // Only names with lines in the 365d window (which holds the 52 weeks).
  const weeklyNames = [
    ...new Set(
      nameSince
        .filter(([name, since]) => (relayCounts.get(`${name}:${since}`)?.counts[3] ?? 0) > 0)
        .map(([name]) => name),
    ),
  ];
  if (hasClanChat && weeklyNames.length > 0) {
    const weekColumns = weeks
      .map(
        (_, week) =>
          `(SELECT count(*) FROM discord_relay_lines r WHERE r.normalized_rsn = n.name
            AND r.message_id >= @from${week} AND r.message_id < @to${week})`,
      )
      .join(', ');
    const weekIdParams: Record<string, bigint> = {};
    weekBounds.forEach((bound, index) => {
      if (index < WEEK_COUNT) weekIdParams[`from${index}`] = bound.id;
      if (index > 0) weekIdParams[`to${index - 1}`] = bound.id;
    });
    const weekRows = db
      .prepare<Record<string, bigint | string>, [string, ...number[]]>(
        `SELECT n.name, ${weekColumns} FROM (SELECT DISTINCT value AS name FROM json_each(@names)) n`,
      )
      .raw(true)
      .all({ ...weekIdParams, names: JSON.stringify(weeklyNames) });
    for (const [name, ...counts] of weekRows) nameWeekly.set(name, counts);
  }

  // ------------------------------------------------------------------ members
  const exemptNames = new Set(rules.inactivity.exemptNames.map((name) => normalizeRsn(name)));
  const exemptRoles = new Set(rules.inactivity.exemptRoles);
  const members: MemberSummary[] = [];
  const endSnapshots = new Map<number, Snapshot | null>();
  let membersNotTracked = 0;
  let membersWithoutDiscord = 0;
  for (const [playerId, period] of currentPeriods) {
    const base = identity(playerId, period);
    const sinceKey = sinceIdOf(period.joinedAt).toString();
    const player = players.get(playerId);

    // WOM gains per window.
    const end = loadSnapshot(latestAtOrBefore.get(playerId, asOf));
    endSnapshots.set(playerId, end);
    if (end === null) membersNotTracked += 1;
    const gains = new Map<MemberWindowKey, WomGains | null>();
    const windowSources = {} as Record<MemberWindowKey, WindowSourceInfo>;
    for (const key of MEMBER_WINDOW_KEYS) {
      const start = windowStart(key, period.joinedAt);
      let info: WindowSourceInfo = {
        source: null,
        reason: 'not_tracked',
        baseAt: null,
        endAt: null,
      };
      let gain: WomGains | null = null;
      const baseSnapshot =
        end === null ? null : loadSnapshot(latestAtOrBefore.get(playerId, start));
      const fresh = baseSnapshot !== null && start - baseSnapshot.takenAt <= baselineTolerance(key);
      const wom = key === 'all' ? undefined : womGains.get(`${playerId}:${WINDOW_DAYS[key]}`);
      const inside =
        end === null || fresh ? null : loadSnapshot(earliestAfter.get(playerId, start));
      if (end !== null && fresh && baseSnapshot.takenAt !== end.takenAt) {
        gain = computeGains(metrics, baseSnapshot.values, end.values);
        info = {
          source: 'snapshots',
          reason: null,
          baseAt: baseSnapshot.takenAt,
          endAt: end.takenAt,
        };
      } else if (wom !== undefined) {
        gain = computeGains(metrics, wom.base, wom.end);
        info = { source: 'wom', reason: null, baseAt: wom.startAt, endAt: wom.endAt };
      } else if (inside !== null && end !== null && inside.takenAt < end.takenAt) {
        gain = computeGains(metrics, inside.values, end.values);
        info = {
          source: 'since_first_snapshot',
          reason: null,
          baseAt: inside.takenAt,
          endAt: end.takenAt,
        };
      } else if (end !== null) {
        info = {
          source: null,
          reason:
            end.takenAt <= start
              ? 'no_snapshot_in_window'
              : baseSnapshot === null
                ? 'no_baseline'
                : 'stale_baseline',
          baseAt: null,
          endAt: null,
        };
      }
      gains.set(key, gain);
      windowSources[key] = info;
    }

    // Discord and clan chat.
    const links = base.discordUsers;
    if (links.length === 0) membersWithoutDiscord += 1;
    const messageCounts = [0, 0, 0, 0, 0];
    const questionCounts = [0, 0, 0, 0, 0];
    const answerCounts = [0, 0, 0, 0, 0];
    let lastMessageId = 0n;
    const delays: Array<{ questionId: bigint; delay: number }> = [];
    for (const link of links) {
      const counts = authorWindows.get(link.userId);
      const sinceCount = sinceCounts.get(`${link.userId}:${sinceKey}`) ?? [0, 0, 0];
      if (counts !== undefined) {
        for (let index = 0; index < 4; index += 1) {
          messageCounts[index] =
            (messageCounts[index] as number) + (counts.messages[index] as number);
          questionCounts[index] =
            (questionCounts[index] as number) + (counts.questions[index] as number);
          answerCounts[index] = (answerCounts[index] as number) + (counts.answers[index] as number);
        }
        if (counts.lastId > lastMessageId) lastMessageId = counts.lastId;
      }
      messageCounts[4] = (messageCounts[4] as number) + (sinceCount[0] as number);
      questionCounts[4] = (questionCounts[4] as number) + (sinceCount[1] as number);
      answerCounts[4] = (answerCounts[4] as number) + (sinceCount[2] as number);
      delays.push(...(answerDelays.get(link.userId) ?? []));
    }
    const weekly: MemberWeekly = {
      messages: new Array<number>(WEEK_COUNT).fill(0),
      clanChatMessages: new Array<number>(WEEK_COUNT).fill(0),
    };
    const addWeeks = (into: number[], add: readonly number[] | undefined): void => {
      if (add === undefined) return;
      for (let week = 0; week < WEEK_COUNT; week += 1) {
        into[week] = (into[week] as number) + (add[week] as number);
      }
    };
    for (const link of links) addWeeks(weekly.messages, authorWeekly.get(link.userId));
    for (const name of normalizedNames.get(playerId) ?? []) {
      addWeeks(weekly.clanChatMessages, nameWeekly.get(name));
    }
    const chatCounts = [0, 0, 0, 0, 0];
    let lastChatId = 0n;
    for (const name of normalizedNames.get(playerId) ?? []) {
      const relay = relayCounts.get(`${name}:${sinceKey}`);
      if (relay === undefined) continue;
      for (let index = 0; index < 5; index += 1) {
        chatCounts[index] = (chatCounts[index] as number) + (relay.counts[index] as number);
      }
      if (relay.lastId > lastChatId) lastChatId = relay.lastId;
    }

    const windows = {} as Record<MemberWindowKey, MemberWindow>;
    MEMBER_WINDOW_KEYS.forEach((key, index) => {
      const since = windowStart(key, period.joinedAt);
      const sinceId = snowflake(since);
      const gain = gains.get(key) ?? null;
      windows[key] = {
        since,
        until: asOf,
        xp: gain?.xp ?? null,
        ehp: gain?.ehp ?? null,
        ehb: gain?.ehb ?? null,
        bossKills: gain?.bossKills ?? null,
        bossKillsByBoss: gain?.bossKillsByBoss ?? null,
        xpBySkill: gain?.xpBySkill ?? null,
        levels: gain?.levels ?? null,
        messages: messageCounts[index] as number,
        clanChatMessages: chatCounts[index] as number,
        questions: questionCounts[index] as number,
        answers: answerCounts[index] as number,
        medianAnswerMs: median(
          delays.filter((entry) => entry.questionId >= sinceId).map((entry) => entry.delay),
        ),
      };
    });

    // Last activity.
    const lastProgressedAt =
      player?.last_changed_at !== null &&
      player?.last_changed_at !== undefined &&
      player.last_changed_at <= asOf
        ? player.last_changed_at
        : null;
    const lastDiscordMessageAt = lastMessageId > 0n ? snowflakeMillis(lastMessageId) : null;
    const lastClanChatAt = lastChatId > 0n ? snowflakeMillis(lastChatId) : null;
    const activity = [lastProgressedAt, lastDiscordMessageAt, lastClanChatAt].filter(
      (value): value is number => value !== null,
    );
    const lastActiveAt = activity.length === 0 ? null : Math.max(...activity);

    // Inactivity.
    const role = period.role.toLowerCase();
    const thresholdDays = rules.inactivity.roleDays[role] ?? rules.inactivity.days;
    const signal = (available: boolean, lastAt: number | null): InactivitySignal => {
      if (!available) return { available, lastAt, daysSince: null, over: false };
      const from = Math.max(lastAt ?? Number.NEGATIVE_INFINITY, period.joinedAt);
      const daysSince = Math.max(0, Math.floor((asOf - from) / DAY_MS));
      return { available, lastAt, daysSince, over: daysSince >= thresholdDays };
    };
    // WOM's last-progressed time after asOf (a report for a past date) says nothing about asOf.
    const womKnown = !(
      player?.last_changed_at !== null &&
      player?.last_changed_at !== undefined &&
      player.last_changed_at > asOf
    );
    const signals: Record<InactivitySignalKey, InactivitySignal> = {
      wom: signal(womKnown, lastProgressedAt),
      discord: signal(links.length > 0, lastDiscordMessageAt),
      clanChat: signal(hasClanChat, lastClanChatAt),
    };
    const allNames = [
      normalizeRsn(base.displayName),
      normalizeRsn(base.username),
      ...(normalizedNames.get(playerId) ?? []),
    ];
    const exemptBy: InactivityDetails['exemptBy'] = exemptRoles.has(role)
      ? 'role'
      : allNames.some((name) => exemptNames.has(name))
        ? 'name'
        : null;
    const available = (Object.keys(signals) as InactivitySignalKey[]).filter(
      (key) => signals[key].available,
    );
    const over = available.filter((key) => signals[key].over);
    const status: MemberStatus =
      exemptBy !== null
        ? 'exempt'
        : available.length > 0 && over.length === available.length
          ? 'inactive'
          : over.length > 0
            ? 'potentially_inactive'
            : 'active';
    const describe = (keys: InactivitySignalKey[]): string =>
      keys
        .map(
          (key) =>
            `${key} (${signals[key].lastAt === null ? 'never, ' : ''}${signals[key].daysSince ?? 0} d)`,
        )
        .join(', ');
    const summary =
      exemptBy !== null
        ? `exempt by ${exemptBy}`
        : over.length === 0
          ? `active within ${thresholdDays} d on ${available.join(', ')}`
          : `over ${thresholdDays} d on ${describe(over)}${over.length < available.length ? `; active on ${available.filter((key) => !over.includes(key)).join(', ')}` : ''}`;

    // Score.
    const weights = rules.score.weights;
    const scoreWindow = windows[rules.score.window];
    const breakdown: ScoreBreakdown = {
      messages: (scoreWindow.messages + scoreWindow.clanChatMessages) * weights.messages,
      xp: ((scoreWindow.xp ?? 0) / 100_000) * weights.xp,
      ehp: (scoreWindow.ehp ?? 0) * weights.ehp,
      ehb: (scoreWindow.ehb ?? 0) * weights.ehb,
      bossKills: (scoreWindow.bossKills ?? 0) * weights.bossKills,
    };
    const score =
      Math.round(
        (breakdown.messages + breakdown.xp + breakdown.ehp + breakdown.ehb + breakdown.bossKills) *
          10,
      ) / 10;
    for (const key of Object.keys(breakdown) as Array<keyof ScoreBreakdown>) {
      breakdown[key] = Math.round(breakdown[key] * 10) / 10;
    }

    const tenureDays = Math.max(0, Math.floor((asOf - period.joinedAt) / DAY_MS));
    const overallId = overallMetric?.id;
    const computedValue = (name: string): number | null => {
      const metric = metrics.find((candidate) => candidate.name === name);
      const value =
        metric === undefined || end === null ? Number.NaN : (end.values[metric.id] ?? Number.NaN);
      return Number.isNaN(value) || value < 0 ? null : round3(value);
    };
    members.push({
      ...base,
      tenureDays,
      lastActiveAt,
      lastProgressedAt,
      lastDiscordMessageAt,
      lastClanChatAt,
      status,
      inactivity: { thresholdDays, signals, exemptBy, summary },
      score,
      scoreIncomplete: scoreWindow.xp === null,
      scoreBreakdown: breakdown,
      rankUp: rankUpFor(rules, playerId, base.displayName, role, tenureDays, score),
      windows,
      windowSources,
      weekly,
      current:
        end === null
          ? null
          : {
              takenAt: end.takenAt,
              xp:
                overallId === undefined ||
                Number.isNaN(end.values[overallId] ?? Number.NaN) ||
                (end.values[overallId] ?? -1) < 0
                  ? null
                  : (end.values[overallId] as number),
              ehp: computedValue('ehp'),
              ehb: computedValue('ehb'),
            },
    });
  }
  members.sort(
    (left, right) =>
      left.displayName.localeCompare(right.displayName, 'en') || left.playerId - right.playerId,
  );

  // ------------------------------------------------------------------ former members
  const formerMembers: FormerMemberSummary[] = [...formerPeriods].map(([playerId, period]) => ({
    ...identity(playerId, period),
    leftAt: period.leftAt as number,
  }));
  formerMembers.sort((left, right) => right.leftAt - left.leftAt || left.playerId - right.playerId);

  // ------------------------------------------------------------------ totals and bosses
  const totals = {} as Record<WindowKey, ClanWindowTotals>;
  const bossWindows = {} as Record<WindowKey, BossHighlight[]>;
  for (const key of WINDOW_KEYS) {
    const total = emptyTotals();
    const bosses = new Map<string, BossHighlight>();
    for (const member of members) {
      const window = member.windows[key];
      const source = member.windowSources[key].source;
      total.messages += window.messages;
      total.clanChatMessages += window.clanChatMessages;
      total.questions += window.questions;
      total.answers += window.answers;
      if (source === null || window.xp === null) {
        total.membersMissingBaseline += 1;
        continue;
      }
      total.membersWithGains += 1;
      total.sources[source] += 1;
      total.xp += window.xp;
      total.ehp += window.ehp ?? 0;
      total.ehb += window.ehb ?? 0;
      total.bossKills += window.bossKills ?? 0;
      total.levels += window.levels ?? 0;
      for (const [boss, kills] of Object.entries(window.bossKillsByBoss ?? {})) {
        const highlight = bosses.get(boss);
        if (highlight === undefined) {
          bosses.set(boss, {
            boss,
            kills,
            topKiller: { playerId: member.playerId, displayName: member.displayName, kills },
          });
        } else {
          highlight.kills += kills;
          if (
            kills > highlight.topKiller.kills ||
            (kills === highlight.topKiller.kills && member.playerId < highlight.topKiller.playerId)
          ) {
            highlight.topKiller = {
              playerId: member.playerId,
              displayName: member.displayName,
              kills,
            };
          }
        }
      }
    }
    total.ehp = round3(total.ehp);
    total.ehb = round3(total.ehb);
    totals[key] = total;
    bossWindows[key] = [...bosses.values()].sort(
      (left, right) => right.kills - left.kills || left.boss.localeCompare(right.boss),
    );
  }
  const records: BossRecord[] = [];
  for (const metric of metrics) {
    if (metric.category !== 'boss') continue;
    let best: BossRecord | null = null;
    for (const member of members) {
      const snapshot = endSnapshots.get(member.playerId) ?? null;
      const kills = snapshot?.values[metric.id] ?? Number.NaN;
      if (Number.isNaN(kills) || kills <= 0) continue;
      if (
        best === null ||
        kills > best.kills ||
        (kills === best.kills && member.playerId < best.holder.playerId)
      ) {
        best = {
          boss: metric.name,
          kills,
          holder: { playerId: member.playerId, displayName: member.displayName },
        };
      }
    }
    if (best !== null) records.push(best);
  }
  records.sort((left, right) => left.boss.localeCompare(right.boss));

  // ------------------------------------------------------------------ daily series and heatmap
  const calendar = new ZoneCalendar(timezone, asOf - 370 * DAY_MS, asOf + 2 * DAY_MS);
  const lastDay = calendar.dayNumber(asOf);
  const firstDay = lastDay - 364;
  const seriesStart = calendar.dayStart(firstDay);
  const daily: DailyPoint[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) {
    const startAt = calendar.dayStart(day);
    const next = calendar.dayStart(day + 1);
    daily.push({
      date: dayNumberToDate(day),
      startAt,
      hours: (next - startAt) / HOUR_MS,
      xp: 0,
      xpMembers: 0,
      messages: 0,
    });
  }
  // The heatmap windows 7d, 30d, 90d, 365d start at these instants (WINDOW_KEYS order).
  const heatStarts = WINDOW_KEYS.map((key) => asOf - WINDOW_DAYS[key] * DAY_MS);
  const heatSince = heatStarts[1] as number; // 30d: the heatmap's own range
  /** The window starts, oldest first: a range from the p-th on (and before the next) is piece p. */
  const pieceStarts = [...heatStarts].reverse();
  // Messages are counted per time range: local hours (split at offset changes and at the window
  // starts) from the 365d window start, or the daily series' first day if earlier, up to asOf.
  // Each range is a primary-key range count, all in one statement (no row is sorted or passed to
  // JavaScript). Each range adds to its local day of the daily series and to the heatmap piece it
  // lies in: piece p counts in the windows from the p-th oldest on, so the windows are suffix sums.
  // Relayed lines are counted whatever hasClanChat says: without any up to asOf, they count 0.
  interface CountRange {
    from: number;
    to: number;
    day: number;
    hour: number;
    /** The index into `pieceStarts` of the last window start at or before `from`; −1 if none. */
    piece: number;
  }
  const ranges: CountRange[] = [];
  const rangesEnd = asOf + 1;
  let piece = -1;
  for (let from = Math.min(seriesStart, pieceStarts[0] as number); from < rangesEnd;) {
    while (piece + 1 < pieceStarts.length && (pieceStarts[piece + 1] as number) <= from) piece += 1;
    const offset = calendar.offset(from);
    const localHourIndex = Math.floor((from + offset) / HOUR_MS);
    const to = Math.min(
      (localHourIndex + 1) * HOUR_MS - offset,
      calendar.segmentEnd(from),
      rangesEnd,
      pieceStarts[piece + 1] ?? Number.POSITIVE_INFINITY,
    );
    ranges.push({
      from,
      to,
      day: Math.floor((from + offset) / DAY_MS),
      hour: ((localHourIndex % 24) + 24) % 24,
      piece,
    });
    from = Math.max(to, from + 1);
  }
  let previousTo = '';
  const rangeCounts = db
    .prepare<[string], [number, number]>(
      `SELECT r.key,
         (SELECT count(*) FROM discord_messages
          WHERE id >= r.value ->> 0 AND id < r.value ->> 1 AND ${HUMAN_MESSAGE})
         + (SELECT count(*) FROM discord_relay_lines
            WHERE message_id >= r.value ->> 0 AND message_id < r.value ->> 1)
       FROM json_each(?) r`,
    )
    .raw(true)
    .all(
      // A range begins where the one before ends: each bound is converted once.
      `[${ranges
        .map((range, index) => {
          const from =
            index > 0 && ranges[index - 1]?.to === range.from
              ? previousTo
              : millisToSnowflake(Math.max(0, range.from));
          previousTo = millisToSnowflake(Math.max(0, range.to));
          return `[${from},${previousTo}]`;
        })
        .join(',')}]`,
    );
  const emptyCounts = (): number[][] =>
    Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const pieceCounts = pieceStarts.map(emptyCounts);
  for (const [index, found] of rangeCounts) {
    if (found === 0) continue;
    const range = ranges[index] as CountRange;
    const point = daily[range.day - firstDay];
    if (point !== undefined) point.messages += found;
    if (range.piece < 0) continue;
    const weekdayRow = (pieceCounts[range.piece] as number[][])[
      mondayFirstWeekday(range.day)
    ] as number[];
    weekdayRow[range.hour] = (weekdayRow[range.hour] as number) + found;
  }
  /** The counts of the window starting at the p-th oldest window start: pieces p.. summed. */
  const windowCounts = (first: number): number[][] => {
    const sum = emptyCounts();
    for (let index = first; index < pieceCounts.length; index += 1) {
      (pieceCounts[index] as number[][]).forEach((row, weekday) => {
        const into = sum[weekday] as number[];
        row.forEach((value, hour) => {
          into[hour] = (into[hour] as number) + value;
        });
      });
    }
    return sum;
  };
  const heatWindows = {} as Record<WindowKey, HeatmapWindow>;
  WINDOW_KEYS.forEach((key, index) => {
    heatWindows[key] = {
      since: heatStarts[index] as number,
      counts: windowCounts(WINDOW_KEYS.length - 1 - index),
    };
  });
  const counts = windowCounts(pieceStarts.indexOf(heatSince));

  if (overallMetric !== undefined && allPlayerIds.length > 0) {
    const localDay = `(${calendar.localMillisSql('s.taken_at')} / ${DAY_MS})`;
    // In time order (index wom_snapshots_taken): the value lookups then walk wom_snapshot_values
    // in storage order, which measured ~40% faster than player by player. Per player, the last
    // snapshot of each day is held until a later day shows up.
    // Each snapshot's overall XP is stored beside it (wom_snapshots.overall_exp, migration 0006):
    // no lookup into the value table per snapshot.
    const dayRows = db
      .prepare<[number, number, string], [number, number, number, number]>(
        `SELECT s.player_id, ${localDay} AS day, s.taken_at, s.overall_exp
         FROM wom_snapshots s INDEXED BY wom_snapshots_taken
         WHERE s.taken_at >= ? AND s.taken_at <= ? AND s.overall_exp IS NOT NULL
           AND s.player_id IN (SELECT value FROM json_each(?))
         ORDER BY s.taken_at`,
      )
      .raw(true)
      .all(seriesStart, asOf, playerJson);
    const before = db
      .prepare<[number, number], [number, number]>(
        `SELECT s.taken_at, s.overall_exp FROM wom_snapshots s
         WHERE s.player_id = ? AND s.taken_at < ? AND s.overall_exp IS NOT NULL
         ORDER BY s.taken_at DESC LIMIT 1`,
      )
      .raw(true);
    const sameMembership = (playerId: number, from: number, to: number): boolean =>
      (periodsByPlayer.get(playerId) ?? []).some(
        (period) => period.joinedAt <= from && to <= (period.leftAt ?? Number.POSITIVE_INFINITY),
      );
    interface DayValue {
      day: number;
      takenAt: number;
      value: number;
    }
    // Per player: the last settled day's value, and the day still being read.
    const settled = new Map<number, DayValue | null>();
    const pending = new Map<number, DayValue>();
    const settle = (playerId: number, point: DayValue): void => {
      const previous = settled.get(playerId) ?? null;
      if (previous !== null && sameMembership(playerId, previous.takenAt, point.takenAt)) {
        const entry = daily[point.day - firstDay];
        if (entry !== undefined) {
          entry.xpMembers += 1;
          if (point.value > previous.value) entry.xp += point.value - previous.value;
        }
      }
      settled.set(playerId, point);
    };
    for (const [playerId, day, takenAt, value] of dayRows) {
      if (!settled.has(playerId)) {
        const row = before.get(playerId, seriesStart);
        settled.set(
          playerId,
          row === undefined || row[1] < 0
            ? null
            : { day: firstDay - 1, takenAt: row[0], value: row[1] },
        );
      }
      if (value < 0) continue; // unranked: no usable value
      const open = pending.get(playerId);
      if (open !== undefined && open.day !== day) settle(playerId, open);
      pending.set(playerId, { day, takenAt, value });
    }
    for (const [playerId, point] of pending) settle(playerId, point);
  }

  // ------------------------------------------------------------------ events
  const events: ClanEvent[] = [];
  const feed = db
    .prepare<
      [number, number],
      {
        player_id: number;
        type: 'joined' | 'left' | 'changed_role';
        role: string | null;
        previous_role: string | null;
        created_at: number;
      }
    >(
      `SELECT player_id, type, role, previous_role, created_at FROM wom_group_activity
       WHERE group_id = ? AND created_at <= ? ORDER BY created_at, player_id, type`,
    )
    .all(group.id, asOf);
  for (const row of feed) {
    if (row.type === 'changed_role') {
      events.push({
        type: 'changed_role',
        playerId: row.player_id,
        at: row.created_at,
        role: row.role,
        previousRole: row.previous_role,
        origin: 'activity',
      });
    } else if (row.type === 'joined') {
      events.push({
        type: 'joined',
        playerId: row.player_id,
        at: row.created_at,
        role: row.role,
        origin: 'activity',
      });
    } else {
      events.push({
        type: 'left',
        playerId: row.player_id,
        at: row.created_at,
        origin: 'activity',
      });
    }
  }
  // Membership periods the feed lacks: a feed "joined" within 24 h of a period's start covers it; a
  // feed "left" inside the period or within 24 h of its end covers its end (the store records a
  // leave when a harvest first misses the member, which can be later than WOM's event).
  const feedOf = (playerId: number, type: 'joined' | 'left'): number[] =>
    feed
      .filter((row) => row.player_id === playerId && row.type === type)
      .map((row) => row.created_at);
  for (const period of periods) {
    const joinedFeed = feedOf(period.playerId, 'joined');
    if (!joinedFeed.some((at) => Math.abs(at - period.joinedAt) <= DAY_MS)) {
      events.push({
        type: 'joined',
        playerId: period.playerId,
        at: period.joinedAt,
        role: period.role,
        origin: 'membership',
      });
    }
    if (period.leftAt !== null && period.leftAt <= asOf) {
      const leftAt = period.leftAt;
      const leftFeed = feedOf(period.playerId, 'left');
      if (
        !leftFeed.some(
          (at) => (at >= period.joinedAt && at <= leftAt) || Math.abs(at - leftAt) <= DAY_MS,
        )
      ) {
        events.push({ type: 'left', playerId: period.playerId, at: leftAt, origin: 'membership' });
      }
    }
  }
  for (const change of nameChangeRows) {
    events.push({
      type: 'name_changed',
      playerId: change.player_id,
      at: change.at,
      oldName: change.old_name,
      newName: change.new_name,
      origin: 'name_change',
    });
  }
  const eventOrder = { joined: 0, changed_role: 1, name_changed: 2, left: 3 } as const;
  events.sort(
    (left, right) =>
      left.at - right.at ||
      eventOrder[left.type] - eventOrder[right.type] ||
      left.playerId - right.playerId,
  );

  // ------------------------------------------------------------------ unmatched Discord activity
  const everLinked = new Set(
    db
      .prepare<[], { id: bigint }>(`SELECT DISTINCT discord_user_id AS id FROM identity_links`)
      .safeIntegers(true)
      .all()
      .map((row) => row.id.toString()),
  );
  const unmatchedIds = [...authorWindows]
    .filter(([author, counts]) => !everLinked.has(author) && (counts.messages[1] as number) > 0)
    .map(([author]) => author);
  const userInfo = new Map(
    db
      .prepare<
        [string],
        {
          id: bigint;
          username: string;
          global_name: string | null;
          is_bot: bigint;
          nickname: string | null;
        }
      >(
        `SELECT u.id, u.username, u.global_name, u.is_bot,
           (SELECT max(nickname) FROM discord_members dm WHERE dm.user_id = u.id) AS nickname
         FROM discord_users u WHERE u.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))`,
      )
      .safeIntegers(true)
      .all(JSON.stringify(unmatchedIds))
      .map((row) => [row.id.toString(), row]),
  );
  const humanIds = unmatchedIds.filter((id) => userInfo.get(id)?.is_bot !== 1n);
  const candidates: LinkCandidateUser[] = humanIds.map((id) => {
    const info = userInfo.get(id);
    return {
      id,
      username: info?.username ?? '',
      globalName: info?.global_name ?? null,
      nickname: info?.nickname ?? null,
    };
  });
  const candidatePlayers: LinkCandidatePlayer[] = members.map((member) => ({
    playerId: member.playerId,
    names: [
      { name: member.displayName, current: true },
      ...member.formerNames.map((name) => ({ name, current: false })),
    ],
  }));
  const suggested = suggestLinks(candidates, candidatePlayers);
  const blocks = db
    .prepare<[], { discord_user_id: bigint; player_id: bigint | null }>(
      `SELECT discord_user_id, player_id FROM identity_link_blocks`,
    )
    .safeIntegers(true)
    .all();
  const blocked = (userId: string, playerId: number): boolean =>
    blocks.some(
      (block) =>
        block.discord_user_id.toString() === userId &&
        (block.player_id === null || Number(block.player_id) === playerId),
    );
  const displayNameOf = new Map(members.map((member) => [member.playerId, member.displayName]));
  const unmatchedDiscord: UnmatchedDiscordUser[] = humanIds.map((id) => {
    const info = userInfo.get(id);
    const counts = authorWindows.get(id) as AuthorCounts;
    return {
      userId: id,
      username: info?.username ?? null,
      globalName: info?.global_name ?? null,
      nickname: info?.nickname ?? null,
      messages: {
        '7d': counts.messages[0] as number,
        '30d': counts.messages[1] as number,
        '90d': counts.messages[2] as number,
        '365d': counts.messages[3] as number,
      },
      lastMessageAt: snowflakeMillis(counts.lastId),
      suggestions: suggested.suggestions
        .filter(
          (suggestion) => suggestion.discordUserId === id && !blocked(id, suggestion.playerId),
        )
        .map((suggestion) => ({
          playerId: suggestion.playerId,
          displayName: displayNameOf.get(suggestion.playerId) ?? String(suggestion.playerId),
          matchedName: suggestion.matchedName,
          via: suggestion.via,
        })),
      ambiguousPlayerIds:
        suggested.ambiguous.find((entry) => entry.discordUserId === id)?.playerIds ?? [],
    };
  });
  unmatchedDiscord.sort(
    (left, right) =>
      right.messages['30d'] - left.messages['30d'] ||
      (BigInt(left.userId) < BigInt(right.userId) ? -1 : 1),
  );

  const rankUps = members
    .map((member) => member.rankUp)
    .filter((suggestion): suggestion is RankUpSuggestion => suggestion !== null)
    .sort((left, right) => right.score - left.score || left.playerId - right.playerId);

  return {
    schemaVersion: 1,
    generatedAt,
    asOf,
    timezone,
    group: { id: group.id, name: group.name },
    rules,
    members,
    formerMembers,
    events,
    totals,
    daily,
    weeks,
    heatmap: { timezone, since: heatSince, until: asOf, counts, windows: heatWindows },
    bosses: { windows: bossWindows, records },
    rankUps,
    unmatchedDiscord,
    channels,
    coverage: { hasClanChat, membersNotTracked, membersWithoutDiscord },
  };
}

function rankUpFor(
  rules: ClanModelRules,
  playerId: number,
  displayName: string,
  role: string,
  tenureDays: number,
  score: number,
): RankUpSuggestion | null {
  const current = rules.ranks.findIndex((rung) => rung.role === role);
  if (current < 0) return null;
  for (let index = rules.ranks.length - 1; index > current; index -= 1) {
    const rung = rules.ranks[index] as ClanModelRules['ranks'][number];
    if (tenureDays >= rung.minTenureDays && score >= rung.minScore) {
      return {
        playerId,
        displayName,
        fromRole: role,
        toRole: rung.role,
        tenureDays,
        score,
        reason: `tenure ${tenureDays} d ≥ ${rung.minTenureDays} d, score ${score} ≥ ${rung.minScore}`,
      };
    }
  }
  return null;
}
