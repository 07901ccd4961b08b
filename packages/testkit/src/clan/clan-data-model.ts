/**
 * The `clan_data.json` v1 shape, declared structurally: `@clanstats/clan-model` depends on this
 * package, so its `ClanDataV1` cannot be imported here. Every type below is assignable to its
 * clan-model counterpart (checked in clan-model's tests); instants are ISO 8601 UTC strings.
 */

/** The report windows: N 24-hour periods ending at `asOf`. */
export type SyntheticWindowKey = '7d' | '30d' | '90d' | '365d';

/** A member window: a {@link SyntheticWindowKey}, or `'all'` (since the member joined). */
export type SyntheticMemberWindowKey = SyntheticWindowKey | 'all';

/** Where a member's WOM gains for a window come from. */
export type SyntheticGainSource = 'snapshots' | 'wom' | 'since_first_snapshot';

/** Why a member's WOM gains for a window are `null`. */
export type SyntheticMissingGainReason =
  'not_tracked' | 'no_baseline' | 'stale_baseline' | 'no_snapshot_in_window';

/** The inactivity signals of a member. */
export type SyntheticInactivitySignalKey = 'wom' | 'discord' | 'clanChat';

/** A member's status. */
export type SyntheticMemberStatus = 'active' | 'potentially_inactive' | 'inactive' | 'exempt';

/** The clan model's rules (`ClanModelRules`). */
export interface SyntheticClanDataRules {
  score: {
    window: SyntheticWindowKey;
    weights: { messages: number; xp: number; ehp: number; ehb: number; bossKills: number };
  };
  inactivity: {
    days: number;
    roleDays: Record<string, number>;
    exemptRoles: string[];
    exemptNames: string[];
  };
  ranks: Array<{ role: string; minTenureDays: number; minScore: number }>;
}

/** A Discord account linked to a member. */
export interface SyntheticLinkedDiscordUser {
  userId: string;
  username: string | null;
  globalName: string | null;
  nickname: string | null;
  source: string;
  confirmed: boolean;
}

/** A member's activity in one window; WOM figures are `null` when the baseline is missing. */
export interface SyntheticClanDataWindow {
  since: string;
  until: string;
  xp: number | null;
  ehp: number | null;
  ehb: number | null;
  bossKills: number | null;
  bossKillsByBoss: Record<string, number> | null;
  xpBySkill: Record<string, number> | null;
  levels: number | null;
  messages: number;
  clanChatMessages: number;
  questions: number;
  answers: number;
  medianAnswerMs: number | null;
}

/** Where a window's WOM gains come from, or why they are missing. */
export interface SyntheticClanDataWindowSource {
  source: SyntheticGainSource | null;
  reason: SyntheticMissingGainReason | null;
  baseAt: string | null;
  endAt: string | null;
}

/** One inactivity signal. */
export interface SyntheticInactivitySignal {
  available: boolean;
  lastAt: string | null;
  daysSince: number | null;
  over: boolean;
}

/** A promotion suggestion. */
export interface SyntheticRankUpSuggestion {
  playerId: number;
  displayName: string;
  fromRole: string;
  toRole: string;
  tenureDays: number;
  score: number;
  reason: string;
}

/** The identity fields shared by members and former members. */
export interface SyntheticClanDataIdentity {
  playerId: number;
  username: string;
  displayName: string;
  role: string;
  joinedAt: string;
  /** Most recent first. */
  formerNames: string[];
  /** The ids of {@link SyntheticClanDataIdentity.discordUsers}, in the same order. */
  discordUserIds: string[];
  discordUsers: SyntheticLinkedDiscordUser[];
}

/** A member's messages per week, aligned with {@link SyntheticClanData.weeks}. */
export interface SyntheticWeeklyActivity {
  /** 52 weekly Discord message counts; the last one equals `windows['7d'].messages`. */
  messages: number[];
  /** 52 weekly clan-chat line counts; the last one equals `windows['7d'].clanChatMessages`. */
  clanChatMessages: number[];
}

/** A current member. */
export interface SyntheticClanDataMember extends SyntheticClanDataIdentity {
  tenureDays: number;
  lastActiveAt: string | null;
  lastProgressedAt: string | null;
  lastDiscordMessageAt: string | null;
  lastClanChatAt: string | null;
  status: SyntheticMemberStatus;
  inactivity: {
    thresholdDays: number;
    exemptBy: 'role' | 'name' | null;
    summary: string;
    signals: Record<SyntheticInactivitySignalKey, SyntheticInactivitySignal>;
  };
  score: number;
  scoreIncomplete: boolean;
  scoreBreakdown: { messages: number; xp: number; ehp: number; ehb: number; bossKills: number };
  rankUp: SyntheticRankUpSuggestion | null;
  windows: Record<SyntheticMemberWindowKey, SyntheticClanDataWindow>;
  windowSources: Record<SyntheticMemberWindowKey, SyntheticClanDataWindowSource>;
  weekly: SyntheticWeeklyActivity;
  current: { takenAt: string; xp: number | null; ehp: number | null; ehb: number | null } | null;
}

/** A former member. */
export interface SyntheticClanDataFormerMember extends SyntheticClanDataIdentity {
  leftAt: string;
}

/** A `joined` event. */
export interface SyntheticJoinedEvent {
  type: 'joined';
  playerId: number;
  at: string;
  role: string | null;
  origin: 'activity' | 'membership';
}

/** A `left` event. */
export interface SyntheticLeftEvent {
  type: 'left';
  playerId: number;
  at: string;
  origin: 'activity' | 'membership';
}

/** A `changed_role` event. */
export interface SyntheticChangedRoleEvent {
  type: 'changed_role';
  playerId: number;
  at: string;
  role: string | null;
  previousRole: string | null;
  origin: 'activity';
}

/** A `name_changed` event. */
export interface SyntheticNameChangedEvent {
  type: 'name_changed';
  playerId: number;
  at: string;
  oldName: string;
  newName: string;
  origin: 'name_change';
}

/** A clan event. */
export type SyntheticClanDataEvent =
  SyntheticJoinedEvent | SyntheticLeftEvent | SyntheticChangedRoleEvent | SyntheticNameChangedEvent;

/** Clan totals for one window: sums over current members. */
export interface SyntheticClanWindowTotals {
  xp: number;
  ehp: number;
  ehb: number;
  bossKills: number;
  levels: number;
  messages: number;
  clanChatMessages: number;
  questions: number;
  answers: number;
  membersWithGains: number;
  membersMissingBaseline: number;
  sources: Record<SyntheticGainSource, number>;
}

/** One local day of the clan's daily series. */
export interface SyntheticDailyPoint {
  date: string;
  startAt: string;
  hours: number;
  xp: number;
  xpMembers: number;
  messages: number;
}

/** The clan's chat by weekday (Monday first) and hour in its time zone. */
export interface SyntheticHeatmap {
  timezone: string;
  /** `asOf − 30 days`. */
  since: string;
  until: string;
  /** 7 × 24 counts: the `'30d'` window. */
  counts: number[][];
  /** 7 × 24 counts per window; a longer window is ≥ a shorter one, cell by cell. */
  windows: Record<SyntheticWindowKey, { since: string; counts: number[][] }>;
}

/** One boss in one window. */
export interface SyntheticBossHighlight {
  boss: string;
  kills: number;
  topKiller: { playerId: number; displayName: string; kills: number };
}

/** The highest current kill count of a boss among current members. */
export interface SyntheticBossRecord {
  boss: string;
  kills: number;
  holder: { playerId: number; displayName: string };
}

/** A Discord author of the last 30 days with no link to any player. */
export interface SyntheticUnmatchedDiscordUser {
  userId: string;
  username: string | null;
  globalName: string | null;
  nickname: string | null;
  messages: Record<SyntheticWindowKey, number>;
  lastMessageAt: string;
  suggestions: Array<{ playerId: number; displayName: string; matchedName: string; via: string }>;
  ambiguousPlayerIds: number[];
}

/** One channel's human Discord activity in one window. */
export interface SyntheticChannelWindow {
  messages: number;
  questions: number;
  answers: number;
  medianAnswerMs: number | null;
}

/** A Discord channel or thread. */
export interface SyntheticChannelActivity {
  channelId: string;
  name: string;
  parentId: string | null;
  isThread: boolean;
  windows: Record<SyntheticWindowKey, SyntheticChannelWindow>;
}

/** A synthetic `clan_data.json` v1 document, every part filled in. */
export interface SyntheticClanData {
  schemaVersion: 1;
  generatedAt: string;
  asOf: string;
  timezone: string;
  group: { id: number; name: string };
  rules: SyntheticClanDataRules;
  /** In generation order: `members[0]` is the known member, Zezima. */
  members: SyntheticClanDataMember[];
  /** Most recent leaver first. */
  formerMembers: SyntheticClanDataFormerMember[];
  /** Oldest first. */
  events: SyntheticClanDataEvent[];
  totals: Record<SyntheticWindowKey, SyntheticClanWindowTotals>;
  /** 365 local days ending with `asOf`'s day. */
  daily: SyntheticDailyPoint[];
  /** 52 week start instants, oldest first: `weeks[51]` is `asOf − 7 days`. */
  weeks: string[];
  heatmap: SyntheticHeatmap;
  bosses: {
    windows: Record<SyntheticWindowKey, SyntheticBossHighlight[]>;
    records: SyntheticBossRecord[];
  };
  /** Highest score first. */
  rankUps: SyntheticRankUpSuggestion[];
  /** Most messages in 30 days first. */
  unmatchedDiscord: SyntheticUnmatchedDiscordUser[];
  /** Most messages in 30 days first, then by name. */
  channels: SyntheticChannelActivity[];
  coverage: { hasClanChat: boolean; membersNotTracked: number; membersWithoutDiscord: number };
}
