import type { ClanModelRules, MemberWindowKey, WindowKey } from './rules.js';

/**
 * Where a member's WOM gains for a window come from, in the order they are tried:
 *
 * - `'snapshots'`: local snapshots; end = the latest snapshot at or before `asOf`, base = the
 *   latest at or before the window start, not older than the tolerance (`baselineTolerance`:
 *   25% of the window, 24 h to 30 days; 24 h for `'all'`), and the two differ.
 * - `'wom'`: Wise Old Man's own gains for the window (table `wom_window_gains`), harvested within
 *   6 hours of `asOf`: how a new install shows full 7d–365d figures at once.
 * - `'since_first_snapshot'`: no usable baseline, but the member has a snapshot inside the window
 *   (they were first tracked, or tracked again, mid-window): gains since the earliest snapshot
 *   inside the window, never a lifetime total.
 */
export type GainSource = 'snapshots' | 'wom' | 'since_first_snapshot';

/**
 * Why a member's WOM gains for a window are `null`:
 *
 * - `'not_tracked'`: the store has no snapshot of the player at or before `asOf`.
 * - `'no_baseline'`: no snapshot at or before the window start, none first taken inside it, and
 *   no usable WOM window gains.
 * - `'stale_baseline'`: the latest snapshot before the window start is older than the tolerance,
 *   and there is no snapshot inside the window before the end.
 * - `'no_snapshot_in_window'`: the latest snapshot is from before the window start, so nothing is
 *   known about the window itself.
 */
export type MissingGainReason =
  'not_tracked' | 'no_baseline' | 'stale_baseline' | 'no_snapshot_in_window';

/** How a member's window gains were found. */
export interface WindowSourceInfo {
  /** Where the WOM gains come from; `null` when they are missing. */
  source: GainSource | null;
  /** Why the WOM gains are missing; `null` when they are present. */
  reason: MissingGainReason | null;
  /** The instant of the baseline values (epoch ms), `null` when missing. */
  baseAt: number | null;
  /** The instant of the end values (epoch ms), `null` when missing. */
  endAt: number | null;
}

/** A member's activity in one window. WOM figures are `null` when the baseline is missing. */
export interface MemberWindow {
  /** The window start (epoch ms, inclusive): `asOf − N × 24 h`, or the join time for `'all'`. */
  since: number;
  /** The window end (epoch ms, inclusive): `asOf`. */
  until: number;
  /** Overall XP gained (metric `overall`). */
  xp: number | null;
  /** Efficient hours of play gained (computed metric `ehp`). */
  ehp: number | null;
  /** Efficient hours of bossing gained (computed metric `ehb`). */
  ehb: number | null;
  /** Boss kills gained over every WOM boss metric (category `boss`). */
  bossKills: number | null;
  /** Boss kills gained per boss metric name; bosses with no kills gained are left out. */
  bossKillsByBoss: Record<string, number> | null;
  /**
   * XP gained per WOM skill metric (category `skill`, except `overall`), from the same baseline and
   * with the same rule as `xp`; skills with no XP gained are left out. `null` exactly when `xp` is.
   */
  xpBySkill: Record<string, number> | null;
  /**
   * Levels gained: the sum over every skill except `overall` of (level at the end − level at the
   * base), each clamped at 0, levels computed from XP (1–99).
   */
  levels: number | null;
  /** Discord messages (types 0 and 19, not bots or webhooks) by the member's linked accounts. */
  messages: number;
  /** Relayed clan-chat lines under any of the member's current or former names. */
  clanChatMessages: number;
  /** Discord messages flagged as questions by the member's linked accounts. */
  questions: number;
  /** Discord messages by the member's linked accounts answering someone else's question. */
  answers: number;
  /**
   * The median time from each of the member's questions in the window to its first answer (by
   * anyone else, up to `asOf`), in milliseconds; `null` when none was answered.
   */
  medianAnswerMs: number | null;
}

/** A Discord account linked to a member (table `identity_links`, every source). */
export interface LinkedDiscordUser {
  /** The Discord user id (a snowflake as a decimal string). */
  userId: string;
  /** The unique username, `null` when the user was never harvested. */
  username: string | null;
  /** The account's display name. */
  globalName: string | null;
  /** The server nickname. */
  nickname: string | null;
  /** How the link was made: `'manual'`, `'nickname'` or `'relay'`. */
  source: string;
  /** Whether a person confirmed the link. */
  confirmed: boolean;
}

/** The inactivity signals of a member. */
export type InactivitySignalKey = 'wom' | 'discord' | 'clanChat';

/** One inactivity signal. */
export interface InactivitySignal {
  /**
   * Whether the signal applies: WOM always; Discord only for members with a linked account; clan
   * chat only when the store holds relayed lines at all (up to `asOf`).
   */
  available: boolean;
  /** The last activity on this signal (epoch ms, at or before `asOf`), `null` if never. */
  lastAt: number | null;
  /**
   * Whole days from `max(lastAt, joinedAt)` to `asOf`: a member is never judged on time before
   * they joined. `null` when the signal is not available.
   */
  daysSince: number | null;
  /** `daysSince ≥ thresholdDays` (only when available). */
  over: boolean;
}

/** Why a member has their status. */
export interface InactivityDetails {
  /** The threshold applied: `roleDays[role] ?? days`. */
  thresholdDays: number;
  /** Each signal. */
  signals: Record<InactivitySignalKey, InactivitySignal>;
  /** Why the member is exempt: by role, by a current or former name, or `null`. */
  exemptBy: 'role' | 'name' | null;
  /** A one-line explanation, e.g. `over 60 d on wom (75 d), discord (80 d)`. */
  summary: string;
}

/**
 * The member's status: `'active'`; `'potentially_inactive'` (over the threshold on some available
 * signal); `'inactive'` (over on every available signal); `'exempt'` (exempt role or name).
 */
export type MemberStatus = 'active' | 'potentially_inactive' | 'inactive' | 'exempt';

/** A suggestion to promote a member. */
export interface RankUpSuggestion {
  /** The member. */
  playerId: number;
  /** The member's display name. */
  displayName: string;
  /** The current role (a rung of the ladder). */
  fromRole: string;
  /** The highest rung whose tenure and score the member meets. */
  toRole: string;
  /** Tenure in whole days. */
  tenureDays: number;
  /** The activity score. */
  score: number;
  /** Human-readable, e.g. `tenure 120 d ≥ 90 d, score 450 ≥ 300`. */
  reason: string;
}

/** How the activity score was made up (over `rules.score.window`). */
export interface ScoreBreakdown {
  /** Points from Discord messages plus clan-chat lines. */
  messages: number;
  /** Points from XP. */
  xp: number;
  /** Points from EHP. */
  ehp: number;
  /** Points from EHB. */
  ehb: number;
  /** Points from boss kills. */
  bossKills: number;
}

/** The identity of a player who is or was a member. */
export interface MemberIdentity {
  /** The WOM player id: stable across name changes; everything is keyed by it. */
  playerId: number;
  /** WOM's standardized current name (lowercase). */
  username: string;
  /** The current name as spelled in game. */
  displayName: string;
  /** The WOM role of the (last) membership period, as last synced. */
  role: string;
  /** When the (current, or last) membership period began (epoch ms). */
  joinedAt: number;
  /** Former names (from approved name changes), display spelling, most recent first. */
  formerNames: string[];
  /** Linked Discord accounts. */
  discordUsers: LinkedDiscordUser[];
}

/**
 * A member's chat per week, aligned with {@link ClanSummary.weeks}: index `i` counts
 * `[weeks[i], weeks[i] + 7 × 24 h)`, the last week `[asOf − 7 × 24 h, asOf]` (with `asOf`, like the
 * windows). Exact to the millisecond.
 */
export interface MemberWeekly {
  /**
   * Human Discord messages (types 0 and 19, not bots or webhooks) by the member's linked accounts,
   * as in {@link MemberWindow.messages}: 52 numbers, oldest week first.
   */
  messages: number[];
  /**
   * Relayed clan-chat lines under any of the member's current or former names, as in
   * {@link MemberWindow.clanChatMessages}: 52 numbers, oldest week first.
   */
  clanChatMessages: number[];
}

/** A current member with their activity. */
export interface MemberSummary extends MemberIdentity {
  /** Whole days from `joinedAt` to `asOf`. */
  tenureDays: number;
  /** The latest of the last progress on WOM, the last Discord message and the last clan-chat line (epoch ms, at or before `asOf`). */
  lastActiveAt: number | null;
  /** WOM's last-progressed time (`wom_players.last_changed_at`), when at or before `asOf`. */
  lastProgressedAt: number | null;
  /** The last Discord message by a linked account (at or before `asOf`). */
  lastDiscordMessageAt: number | null;
  /** The last relayed clan-chat line under one of the member's names (at or before `asOf`). */
  lastClanChatAt: number | null;
  /** The inactivity status. */
  status: MemberStatus;
  /** Why the member has that status. */
  inactivity: InactivityDetails;
  /** The activity score over `rules.score.window`, rounded to 1 decimal. */
  score: number;
  /** True when the score window's WOM gains were missing and counted as 0. */
  scoreIncomplete: boolean;
  /** The points behind the score. */
  scoreBreakdown: ScoreBreakdown;
  /** A promotion suggestion, or `null`. */
  rankUp: RankUpSuggestion | null;
  /** Activity per window. */
  windows: Record<MemberWindowKey, MemberWindow>;
  /** Where each window's WOM gains come from, or why they are missing. */
  windowSources: Record<MemberWindowKey, WindowSourceInfo>;
  /**
   * Messages and clan-chat lines per week over the last 52 weeks (see {@link ClanSummary.weeks}).
   * The last week is the 7d window: `weekly.messages[51] === windows['7d'].messages`.
   */
  weekly: MemberWeekly;
  /** Current lifetime values from the latest snapshot at or before `asOf`; `null` if never tracked. */
  current: {
    /** When that snapshot was taken (epoch ms). */
    takenAt: number;
    /** Overall XP (`null` if unranked). */
    xp: number | null;
    /** EHP. */
    ehp: number | null;
    /** EHB. */
    ehb: number | null;
  } | null;
}

/** A player who was a member and is not at `asOf`. */
export interface FormerMemberSummary extends MemberIdentity {
  /** When their last membership period ended (epoch ms). */
  leftAt: number;
}

/** A clan event. */
export type ClanEvent =
  | {
      type: 'joined';
      playerId: number;
      /** epoch ms */
      at: number;
      /** The role on joining, when known. */
      role: string | null;
      /** `'activity'` (WOM's group feed) or `'membership'` (a membership period the feed lacks). */
      origin: 'activity' | 'membership';
    }
  | {
      type: 'left';
      playerId: number;
      /** epoch ms */
      at: number;
      /** `'activity'` or `'membership'`. */
      origin: 'activity' | 'membership';
    }
  | {
      type: 'changed_role';
      playerId: number;
      /** epoch ms */
      at: number;
      /** The new role. */
      role: string | null;
      /** The role before. */
      previousRole: string | null;
      /** Always `'activity'`. */
      origin: 'activity';
    }
  | {
      type: 'name_changed';
      playerId: number;
      /** epoch ms: resolved time, else created time. */
      at: number;
      /** The name before. */
      oldName: string;
      /** The name after. */
      newName: string;
      /** Always `'name_change'`. */
      origin: 'name_change';
    };

/** Clan totals for one window: sums over current members (a `null` gain counts as absent). */
export interface ClanWindowTotals {
  /** Overall XP gained. */
  xp: number;
  /** EHP gained. */
  ehp: number;
  /** EHB gained. */
  ehb: number;
  /** Boss kills gained. */
  bossKills: number;
  /** Levels gained. */
  levels: number;
  /** Discord messages by members' linked accounts. */
  messages: number;
  /** Clan-chat lines by members. */
  clanChatMessages: number;
  /** Questions asked by members. */
  questions: number;
  /** Answers given by members. */
  answers: number;
  /** Members whose WOM gains are known. */
  membersWithGains: number;
  /** Members whose WOM gains are `null` (missing baseline). */
  membersMissingBaseline: number;
  /** Members per gain source. */
  sources: Record<GainSource, number>;
}

/** One day of the clan's daily series (a calendar day in the clan's time zone). */
export interface DailyPoint {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** The day's first instant (epoch ms); days are 23 or 25 hours long at DST changes. */
  startAt: number;
  /** The day's length in hours. */
  hours: number;
  /**
   * Clan XP gained that day: per member, the delta of `overall` between their last snapshot of
   * this day and their previous snapshot day, counted only when both lie in one membership period.
   */
  xp: number;
  /**
   * How many members' XP deltas were measured that day (a snapshot that day and an earlier one in
   * the same membership period). `0` means the day's `xp` is unknown, not zero: a new install has
   * one snapshot per member, so its series fills in as harvests accumulate.
   */
  xpMembers: number;
  /** Human Discord messages (types 0 and 19, any channel) plus relayed clan-chat lines. */
  messages: number;
}

/** The clan's chat by weekday and hour over one window. */
export interface HeatmapWindow {
  /** The window start (epoch ms, inclusive): `asOf − N × 24 h`; the window ends at `asOf` (inclusive). */
  since: number;
  /**
   * 7 rows (Monday first) of 24 counts of messages (as in {@link DailyPoint.messages}) per local
   * hour in the clan's time zone.
   */
  counts: number[][];
}

/** The clan's chat by weekday and hour. */
export interface Heatmap {
  /** The IANA time zone of the buckets. */
  timezone: string;
  /** The range start (epoch ms, inclusive): `asOf − 30 × 24 h`. */
  since: number;
  /** The range end (epoch ms, inclusive): `asOf`. */
  until: number;
  /** 7 rows (Monday first) of 24 hourly counts of messages (as in {@link DailyPoint.messages}). */
  counts: number[][];
  /**
   * The same counts per window 7d/30d/90d/365d, each over `[asOf − N × 24 h, asOf]`: a message
   * counts in the local weekday and hour it was sent in (the clan's time zone, so an hour repeated
   * at a DST change holds both). `windows['30d']` equals `since` and `counts` above.
   */
  windows: Record<WindowKey, HeatmapWindow>;
}

/** One boss in one window. */
export interface BossHighlight {
  /** The WOM boss metric name, e.g. `zulrah`. */
  boss: string;
  /** Kills gained by current members. */
  kills: number;
  /** The member with the most kills gained (ties: lower player id). */
  topKiller: { playerId: number; displayName: string; kills: number };
}

/** The highest current kill count of a boss among current members. */
export interface BossRecord {
  /** The WOM boss metric name. */
  boss: string;
  /** The kill count. */
  kills: number;
  /** Who holds it (ties: lower player id). */
  holder: { playerId: number; displayName: string };
}

/** A Discord author with recent messages and no link to any player. */
export interface UnmatchedDiscordUser {
  /** The Discord user id. */
  userId: string;
  /** The unique username, when harvested. */
  username: string | null;
  /** The display name. */
  globalName: string | null;
  /** The server nickname. */
  nickname: string | null;
  /** Messages per window. */
  messages: Record<WindowKey, number>;
  /** The last message (epoch ms, at or before `asOf`). */
  lastMessageAt: number;
  /** Players `suggestLinks` proposes (exact name matches to a current member); empty when none or ambiguous. */
  suggestions: Array<{ playerId: number; displayName: string; matchedName: string; via: string }>;
  /** Current members the user's names point at when they point at more than one: no suggestion is made. */
  ambiguousPlayerIds: number[];
}

/** One channel's human Discord activity in one window. */
export interface ChannelWindow {
  /** Human messages (types 0 and 19, not bots or webhooks) in the channel. */
  messages: number;
  /** Of those, messages flagged as questions. */
  questions: number;
  /** Of those, messages answering someone else's question (`answer_to_id` set). */
  answers: number;
  /**
   * The median time from each question asked in the channel in the window to its first answer (by
   * anyone else, up to `asOf`, wherever posted: an answer in a thread counts for the question's
   * channel), in milliseconds; `null` when none was answered.
   */
  medianAnswerMs: number | null;
}

/** A Discord channel or thread with human messages in the last 365 days. */
export interface ChannelActivity {
  /** The channel id (a snowflake as a decimal string). */
  channelId: string;
  /** The channel's name; its id when the store does not know the channel. */
  name: string;
  /** The parent: a category for a channel, the channel for a thread; `null` when none or unknown. */
  parentId: string | null;
  /** Whether it is a thread (or forum post). */
  isThread: boolean;
  /** Per window 7d/30d/90d/365d (the same `[asOf − N × 24 h, asOf]` windows). */
  windows: Record<WindowKey, ChannelWindow>;
}

/** What the clan model computes for one `asOf`: the input of the Excel report, the dashboard and `clan_data.json`. */
export interface ClanSummary {
  /** The version of `clan_data.json` this serializes to. */
  schemaVersion: 1;
  /** When the summary was computed (epoch ms). */
  generatedAt: number;
  /** The instant the summary describes (epoch ms); windows end here. */
  asOf: number;
  /** The clan's IANA time zone, for days and the heatmap. */
  timezone: string;
  /** The WOM group. */
  group: { id: number; name: string };
  /** The rules applied, defaults filled in. */
  rules: ClanModelRules;
  /** Every current member (never filtered), by display name. */
  members: MemberSummary[];
  /** Players who were members and are not at `asOf`, most recent leaver first. */
  formerMembers: FormerMemberSummary[];
  /** Joins, leaves, role and name changes up to `asOf`, oldest first. */
  events: ClanEvent[];
  /** Totals per window. */
  totals: Record<WindowKey, ClanWindowTotals>;
  /** 365 local days ending with `asOf`'s day. */
  daily: DailyPoint[];
  /**
   * The starts (epoch ms) of the 52 weeks of {@link MemberSummary.weekly}, oldest first: week `i` is
   * `[weeks[i], weeks[i] + 7 × 24 h)`, and the last ends at `asOf` (inclusive), so
   * `weeks[51] === asOf − 7 × 24 h` and `weeks[0] === asOf − 364 × 24 h`. Weeks are 24-hour
   * periods counted back from `asOf`, not calendar weeks.
   */
  weeks: number[];
  /** Chat by weekday and hour over the last 30 days, and per window. */
  heatmap: Heatmap;
  /** Boss highlights. */
  bosses: {
    /** Per window, bosses with kills gained, most kills first. */
    windows: Record<WindowKey, BossHighlight[]>;
    /** Per boss, the highest current kill count among current members. */
    records: BossRecord[];
  };
  /** Promotion suggestions, highest score first. */
  rankUps: RankUpSuggestion[];
  /** Discord authors of the last 30 days with no link, most messages first. */
  unmatchedDiscord: UnmatchedDiscordUser[];
  /**
   * Every channel and thread with a human message in the last 365 days, most messages in 30 days
   * first, then by name.
   */
  channels: ChannelActivity[];
  /** What the store held. */
  coverage: {
    /** Whether any relayed clan-chat line exists up to `asOf` (the clan-chat signal applies). */
    hasClanChat: boolean;
    /** Current members with no snapshot at all. */
    membersNotTracked: number;
    /** Current members with no linked Discord account. */
    membersWithoutDiscord: number;
  };
}
