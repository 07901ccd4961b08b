/**
 * The input of the dashboard: the part of `clan_data.json` v1 (`ClanDataV1` in
 * `@clanstats/clan-model`) that the page shows, with the same field names. A parsed
 * `clan_data.json` fits as is; other clan tools can build one from their own data.
 *
 * Instants are ISO 8601 strings in UTC (`2026-03-31T12:00:00.000Z`).
 */

/** An ISO 8601 instant in UTC, e.g. `2026-03-31T12:00:00.000Z`. */
export type DashboardInstant = string;

/** The dashboard windows: N 24-hour periods ending at `asOf`. */
export type DashboardWindowKey = '7d' | '30d' | '90d' | '365d';

/** A member's activity in one window. WOM figures are `null` when unknown (no baseline). */
export interface DashboardMemberWindow {
  /** Overall XP gained. */
  xp: number | null;
  /** Efficient hours of play gained. */
  ehp: number | null;
  /** Efficient hours of bossing gained. */
  ehb: number | null;
  /** Boss kills gained over every boss. */
  bossKills: number | null;
  /** Boss kills gained per boss metric (e.g. `zulrah`); bosses with none gained may be left out. */
  bossKillsByBoss: Readonly<Record<string, number>> | null;
  /** XP gained per skill (e.g. `attack`); skills with none gained may be left out. */
  xpBySkill?: Readonly<Record<string, number>> | null;
  /** Discord messages by the member's linked accounts. */
  messages: number;
  /** Relayed clan-chat lines under the member's names. */
  clanChatMessages: number;
  /** Discord messages flagged as questions. */
  questions: number;
  /** Discord messages answering someone else's question. */
  answers: number;
}

/** A Discord account linked to a member. */
export interface DashboardDiscordUser {
  /** The Discord user id (snowflake, decimal string). */
  userId: string;
  /** The unique username. */
  username: string | null;
  /** The account's display name. */
  globalName: string | null;
  /** The server nickname. */
  nickname: string | null;
}

/** The activity states of a member. */
export type DashboardMemberStatus = 'active' | 'potentially_inactive' | 'inactive' | 'exempt';

/** One inactivity signal of a member. */
export interface DashboardInactivitySignal {
  /** Whether the signal applies to this member (e.g. no Discord account linked: `false`). */
  available: boolean;
  /** Whole days since the last activity on this signal, or `null` when never seen. */
  daysSince: number | null;
  /** Whether the signal is over the member's threshold. */
  over: boolean;
}

/** A suggested promotion. */
export interface DashboardRankUp {
  playerId: number;
  displayName: string;
  fromRole: string;
  toRole: string;
  tenureDays: number;
  score: number;
  /** Why, in words (`tenure 200 d ≥ 90 d, score 3,400 ≥ 3,000`). */
  reason: string;
}

/** Who a member or former member is. */
export interface DashboardIdentity {
  /** The Wise Old Man player id. */
  playerId: number;
  /** The current RuneScape name. */
  displayName: string;
  /** The clan role (WOM group role, e.g. `captain`). */
  role: string;
  /** When the member joined. */
  joinedAt: DashboardInstant;
  /** Earlier RuneScape names, oldest first. */
  formerNames: readonly string[];
  /** The linked Discord accounts. */
  discordUsers: readonly DashboardDiscordUser[];
}

/** A current member. */
export interface DashboardMember extends DashboardIdentity {
  /** Whole days in the clan. */
  tenureDays: number;
  /** The last activity on any signal. */
  lastActiveAt: DashboardInstant | null;
  /** The last in-game progress seen by Wise Old Man. */
  lastProgressedAt: DashboardInstant | null;
  status: DashboardMemberStatus;
  inactivity: {
    thresholdDays: number;
    exemptBy: 'role' | 'name' | null;
    /** The reason in words. */
    summary: string;
    signals: Record<'wom' | 'discord' | 'clanChat', DashboardInactivitySignal>;
  };
  /** The activity score (see `rules.score`). */
  score: number;
  rankUp: { toRole: string; reason: string } | null;
  windows: Record<DashboardWindowKey, DashboardMemberWindow>;
  /**
   * Messages and relayed clan-chat lines per week, aligned with {@link DashboardData.weeks}.
   * Optional: without it the member page shows messages per window only.
   */
  weekly?: { messages: readonly number[]; clanChatMessages: readonly number[] };
}

/** A member who left. */
export interface DashboardFormerMember extends DashboardIdentity {
  leftAt: DashboardInstant;
}

/** A roster change. */
export interface DashboardEvent {
  type: 'joined' | 'left' | 'changed_role' | 'name_changed';
  playerId: number;
  at: DashboardInstant;
  role?: string | null;
  previousRole?: string | null;
  oldName?: string;
  newName?: string;
}

/** The clan's figures in one window. */
export interface DashboardWindowTotals {
  xp: number;
  ehp: number;
  ehb: number;
  bossKills: number;
  messages: number;
  clanChatMessages: number;
  questions: number;
  answers: number;
  /** Members with known WOM gains in the window. */
  membersWithGains: number;
  /** Members without a usable baseline (their WOM gains are unknown). */
  membersMissingBaseline: number;
}

/** One local calendar day of the clan. */
export interface DashboardDailyPoint {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** XP gained by the members with a known gain that day. */
  xp: number;
  /** How many members the day's XP is known for (0: unknown, not zero). */
  xpMembers: number;
  /** Human Discord messages that day. */
  messages: number;
}

/** Kills gained on one boss in a window, with the member who gained the most. */
export interface DashboardBossHighlight {
  boss: string;
  kills: number;
  topKiller: { playerId: number; displayName: string; kills: number };
}

/** The highest kill count on a boss among members. */
export interface DashboardBossRecord {
  boss: string;
  kills: number;
  holder: { playerId: number; displayName: string };
}

/** A day-of-week × hour grid of messages: 7 rows (Monday first) of 24 hours, clan time zone. */
export type DashboardHeatmapCounts = ReadonlyArray<readonly number[]>;

/** The rules the figures were made with. */
export interface DashboardRules {
  score: {
    window: DashboardWindowKey;
    weights: { messages: number; xp: number; ehp: number; ehb: number; bossKills: number };
  };
  inactivity: { days: number };
}

/** Everything the dashboard shows: a parsed `clan_data.json` v1 fits. */
export interface DashboardData {
  generatedAt: DashboardInstant;
  /** The end of every window. */
  asOf: DashboardInstant;
  /** The clan's IANA time zone, for dates and the heatmap. */
  timezone: string;
  group: { id: number; name: string };
  rules: DashboardRules;
  members: readonly DashboardMember[];
  formerMembers: readonly DashboardFormerMember[];
  events: readonly DashboardEvent[];
  totals: Record<DashboardWindowKey, DashboardWindowTotals>;
  /** The clan's days, oldest first (a year). */
  daily: readonly DashboardDailyPoint[];
  heatmap: {
    timezone: string;
    since: DashboardInstant;
    until: DashboardInstant;
    /** The last 30 days. */
    counts: DashboardHeatmapCounts;
    /** Per window; optional (without it every window shows the 30-day grid, labelled so). */
    windows?: Record<
      DashboardWindowKey,
      { since: DashboardInstant; counts: DashboardHeatmapCounts }
    >;
  };
  bosses: {
    windows: Record<DashboardWindowKey, readonly DashboardBossHighlight[]>;
    records: readonly DashboardBossRecord[];
  };
  rankUps: readonly DashboardRankUp[];
  /** Week start instants, oldest first, for the members' `weekly` series. */
  weeks?: readonly DashboardInstant[];
  /** Discord authors not linked to any member. */
  unmatchedDiscord: readonly unknown[];
  coverage?: { hasClanChat: boolean; membersNotTracked: number; membersWithoutDiscord: number };
}
