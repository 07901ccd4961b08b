/**
 * The input of the report: the part of `clan_data.json` v1 (`ClanDataV1` in
 * `@clanstats/clan-model`) that the report reads, with the same field names. A parsed
 * `clan_data.json` fits as is; other clan tools can build one from their own data.
 *
 * Instants are ISO 8601 strings in UTC (`2026-03-31T12:00:00.000Z`).
 */

/** An ISO 8601 instant in UTC, e.g. `2026-03-31T12:00:00.000Z`. */
export type ReportInstant = string;

/** The report windows: N 24-hour periods ending at `asOf`. */
export type ReportWindowKey = '7d' | '30d' | '90d' | '365d';

/** A member's activity in one window. WOM figures are `null` when unknown (no baseline). */
export interface ReportMemberWindow {
  /** Overall XP gained. */
  xp: number | null;
  /** Efficient hours of play gained. */
  ehp: number | null;
  /** Efficient hours of bossing gained. */
  ehb: number | null;
  /** Boss kills gained over every boss. */
  bossKills: number | null;
  /** Boss kills gained per boss metric (e.g. `zulrah`); bosses with none gained are left out. */
  bossKillsByBoss: Record<string, number> | null;
  /**
   * XP gained per skill (e.g. `attack`); skills with none gained are left out. Optional until every
   * producer writes it: when absent, the Skills sheet says so.
   */
  xpBySkill?: Record<string, number> | null;
  /** Discord messages by the member's linked accounts. */
  messages: number;
  /** Relayed clan-chat lines under the member's names. */
  clanChatMessages: number;
  /** Discord messages flagged as questions. */
  questions: number;
  /** Discord messages answering someone else's question. */
  answers: number;
  /** Median time from the member's questions to their first answer, in milliseconds. */
  medianAnswerMs: number | null;
}

/** A Discord account linked to a member. */
export interface ReportDiscordUser {
  /** The Discord user id (snowflake, decimal string). */
  userId: string;
  /** The unique username. */
  username: string | null;
  /** The account's display name. */
  globalName: string | null;
  /** The server nickname. */
  nickname: string | null;
}

/** One inactivity signal of a member. */
export interface ReportInactivitySignal {
  /** Whether the signal applies to this member. */
  available: boolean;
  /** The last activity on this signal. */
  lastAt: ReportInstant | null;
  /** Whole days since then (or since joining), `null` when not available. */
  daysSince: number | null;
  /** Whether `daysSince` is at or over the threshold. */
  over: boolean;
}

/** A member's inactivity status. */
export type ReportMemberStatus = 'active' | 'potentially_inactive' | 'inactive' | 'exempt';

/** A promotion suggestion. */
export interface ReportRankUp {
  /** The member's WOM player id. */
  playerId: number;
  /** The member's display name. */
  displayName: string;
  /** The current role. */
  fromRole: string;
  /** The suggested role. */
  toRole: string;
  /** Tenure in whole days. */
  tenureDays: number;
  /** The activity score. */
  score: number;
  /** Why, e.g. `tenure 120 d ≥ 90 d, score 450 ≥ 300`. */
  reason: string;
}

/** Identity fields shared by current and former members. */
export interface ReportIdentity {
  /** The WOM player id. */
  playerId: number;
  /** The current name as spelled in game. */
  displayName: string;
  /** The WOM role. */
  role: string;
  /** When the (current or last) membership began. */
  joinedAt: ReportInstant;
  /** Former names, most recent first. */
  formerNames: readonly string[];
  /** Linked Discord accounts. */
  discordUsers: readonly ReportDiscordUser[];
}

/** A current member. */
export interface ReportMember extends ReportIdentity {
  /** Whole days in the clan. */
  tenureDays: number;
  /** The latest activity of any kind. */
  lastActiveAt: ReportInstant | null;
  /** The inactivity status. */
  status: ReportMemberStatus;
  /** Why the member has that status. */
  inactivity: {
    /** The threshold applied, in days. */
    thresholdDays: number;
    /** Why the member is exempt, if they are. */
    exemptBy: 'role' | 'name' | null;
    /** One-line explanation. */
    summary: string;
    /** Each signal. */
    signals: Record<'wom' | 'discord' | 'clanChat', ReportInactivitySignal>;
  };
  /** The activity score over `rules.score.window`. */
  score: number;
  /** True when the score counted missing WOM gains as 0. */
  scoreIncomplete: boolean;
  /** A promotion suggestion, or `null`. */
  rankUp: { toRole: string; reason: string } | null;
  /** Activity per window; `all` (since joining) is optional. */
  windows: Record<ReportWindowKey, ReportMemberWindow> & { all?: ReportMemberWindow };
  /** Current lifetime values, `null` if never tracked. */
  current: {
    takenAt: ReportInstant;
    xp: number | null;
    ehp: number | null;
    ehb: number | null;
  } | null;
}

/** A former member. */
export interface ReportFormerMember extends ReportIdentity {
  /** When they left. */
  leftAt: ReportInstant;
}

/** A roster event. */
export interface ReportEvent {
  /** What happened. */
  type: 'joined' | 'left' | 'changed_role' | 'name_changed';
  /** The player. */
  playerId: number;
  /** When. */
  at: ReportInstant;
  /** Where the event comes from. */
  origin: string;
  /** The (new) role, for `joined` and `changed_role`. */
  role?: string | null;
  /** The role before, for `changed_role`. */
  previousRole?: string | null;
  /** The name before, for `name_changed`. */
  oldName?: string;
  /** The name after, for `name_changed`. */
  newName?: string;
}

/** Clan totals for one window. */
export interface ReportWindowTotals {
  xp: number;
  ehp: number;
  ehb: number;
  bossKills: number;
  messages: number;
  clanChatMessages: number;
  questions: number;
  answers: number;
  membersWithGains: number;
  membersMissingBaseline: number;
}

/** A Discord author with recent messages and no link to a player. */
export interface ReportUnmatchedDiscordUser {
  userId: string;
  username: string | null;
  globalName: string | null;
  nickname: string | null;
  /** Messages per window. */
  messages: Record<ReportWindowKey, number>;
  /** The last message. */
  lastMessageAt: ReportInstant;
  /** Suggested links (exact name matches). */
  suggestions: ReadonlyArray<{ playerId: number; displayName: string; matchedName: string }>;
}

/** A Discord channel or thread with its activity per window. */
export interface ReportChannel {
  channelId: string;
  name: string;
  /** The parent channel (for threads) or category, `null` if none. */
  parentId: string | null;
  isThread: boolean;
  windows: Record<
    ReportWindowKey,
    {
      messages: number;
      questions: number;
      answers: number;
      medianAnswerMs: number | null;
    }
  >;
}

/** The rules the clan model applied. */
export interface ReportRules {
  score: {
    window: ReportWindowKey;
    weights: { messages: number; xp: number; ehp: number; ehb: number; bossKills: number };
  };
  inactivity: {
    days: number;
    roleDays: Record<string, number>;
    exemptRoles: readonly string[];
    exemptNames: readonly string[];
  };
  ranks: ReadonlyArray<{ role: string; minTenureDays: number; minScore: number }>;
}

/**
 * The report's input: the subset of `clan_data.json` v1 it reads. `ClanDataV1` from
 * `@clanstats/clan-model` is assignable to it (checked by a type test).
 */
export interface ReportData {
  /** When the data was computed. */
  generatedAt: ReportInstant;
  /** The instant the data describes; windows end here. */
  asOf: ReportInstant;
  /** The clan's IANA time zone (e.g. `Europe/Amsterdam`): dates are shown in it. */
  timezone: string;
  /** The WOM group. */
  group: { id: number; name: string };
  /** The rules applied. */
  rules: ReportRules;
  /** Every current member. */
  members: readonly ReportMember[];
  /** Former members (to name the players of roster events). */
  formerMembers: readonly ReportFormerMember[];
  /** Joins, leaves, role and name changes, oldest first. */
  events: readonly ReportEvent[];
  /** Clan totals per window. */
  totals: Record<ReportWindowKey, ReportWindowTotals>;
  /** Promotion suggestions. */
  rankUps: readonly ReportRankUp[];
  /** Discord authors without a link. */
  unmatchedDiscord: readonly ReportUnmatchedDiscordUser[];
  /** Discord channels and threads; optional until every producer writes it. */
  channels?: readonly ReportChannel[];
  /** What the data covers. */
  coverage?: { hasClanChat: boolean; membersNotTracked: number; membersWithoutDiscord: number };
}
