import type { ClanModelRules, MemberWindowKey, WindowKey } from './rules.js';
import type {
  BossHighlight,
  BossRecord,
  ChannelActivity,
  ClanSummary,
  ClanWindowTotals,
  DailyPoint,
  HeatmapWindow,
  InactivitySignalKey,
  LinkedDiscordUser,
  MemberIdentity,
  MemberStatus,
  MemberWeekly,
  MemberWindow,
  RankUpSuggestion,
  ScoreBreakdown,
  UnmatchedDiscordUser,
  WindowSourceInfo,
} from './types.js';

/** An instant in `clan_data.json`: ISO 8601 in UTC with milliseconds, e.g. `2026-03-31T12:00:00.000Z`. */
export type IsoInstant = string;

/**
 * `Type` with its epoch-millisecond fields `Keys` as ISO instants (`null` stays `null`): how
 * `clan_data.json` writes the summary's times.
 */
export type WithIsoInstants<Type, Keys extends keyof Type> = Omit<Type, Keys> & {
  [Key in Keys]: null extends Type[Key] ? IsoInstant | null : IsoInstant;
};

/** A member window in `clan_data.json` (see `MemberWindow`). */
export type ClanDataWindow = WithIsoInstants<MemberWindow, 'since' | 'until'>;

/** Where a window's gains come from (see `WindowSourceInfo`). */
export type ClanDataWindowSource = WithIsoInstants<WindowSourceInfo, 'baseAt' | 'endAt'>;

/** The identity fields shared by members and former members. */
export interface ClanDataIdentity {
  playerId: number;
  username: string;
  displayName: string;
  role: string;
  joinedAt: IsoInstant;
  formerNames: string[];
  discordUserIds: string[];
  discordUsers: LinkedDiscordUser[];
}

/** A current member in `clan_data.json` (see `MemberSummary`). */
export interface ClanDataMember extends ClanDataIdentity {
  tenureDays: number;
  lastActiveAt: IsoInstant | null;
  lastProgressedAt: IsoInstant | null;
  lastDiscordMessageAt: IsoInstant | null;
  lastClanChatAt: IsoInstant | null;
  status: MemberStatus;
  inactivity: {
    thresholdDays: number;
    exemptBy: 'role' | 'name' | null;
    summary: string;
    signals: Record<
      InactivitySignalKey,
      { available: boolean; lastAt: IsoInstant | null; daysSince: number | null; over: boolean }
    >;
  };
  score: number;
  scoreIncomplete: boolean;
  scoreBreakdown: ScoreBreakdown;
  rankUp: RankUpSuggestion | null;
  windows: Record<MemberWindowKey, ClanDataWindow>;
  windowSources: Record<MemberWindowKey, ClanDataWindowSource>;
  /** Per week, aligned with {@link ClanDataV1.weeks} (see `MemberWeekly`). */
  weekly: MemberWeekly;
  current: {
    takenAt: IsoInstant;
    xp: number | null;
    ehp: number | null;
    ehb: number | null;
  } | null;
}

/** A former member in `clan_data.json`. */
export interface ClanDataFormerMember extends ClanDataIdentity {
  leftAt: IsoInstant;
}

/** An event in `clan_data.json`: `at` is ISO; the other fields as in `ClanEvent`. */
export interface ClanDataEvent {
  type: 'joined' | 'left' | 'changed_role' | 'name_changed';
  playerId: number;
  at: IsoInstant;
  origin: 'activity' | 'membership' | 'name_change';
  role?: string | null;
  previousRole?: string | null;
  oldName?: string;
  newName?: string;
}

/** `clan_data.json` version 1: the serialization of a {@link ClanSummary}. */
export interface ClanDataV1 {
  schemaVersion: 1;
  generatedAt: IsoInstant;
  asOf: IsoInstant;
  timezone: string;
  group: { id: number; name: string };
  rules: ClanModelRules;
  members: ClanDataMember[];
  formerMembers: ClanDataFormerMember[];
  events: ClanDataEvent[];
  totals: Record<WindowKey, ClanWindowTotals>;
  daily: Array<WithIsoInstants<DailyPoint, 'startAt'>>;
  /** The 52 week starts of the members' `weekly` series, oldest first (see `ClanSummary.weeks`). */
  weeks: IsoInstant[];
  heatmap: {
    timezone: string;
    since: IsoInstant;
    until: IsoInstant;
    counts: number[][];
    windows: Record<WindowKey, WithIsoInstants<HeatmapWindow, 'since'>>;
  };
  bosses: { windows: Record<WindowKey, BossHighlight[]>; records: BossRecord[] };
  rankUps: RankUpSuggestion[];
  unmatchedDiscord: Array<WithIsoInstants<UnmatchedDiscordUser, 'lastMessageAt'>>;
  channels: ChannelActivity[];
  coverage: ClanSummary['coverage'];
}

const iso = (millis: number): IsoInstant => new Date(millis).toISOString();
const isoOrNull = (millis: number | null): IsoInstant | null =>
  millis === null ? null : iso(millis);
const clone = <Value>(value: Value): Value => structuredClone(value);

function identityOf(member: MemberIdentity): ClanDataIdentity {
  return {
    playerId: member.playerId,
    username: member.username,
    displayName: member.displayName,
    role: member.role,
    joinedAt: iso(member.joinedAt),
    formerNames: [...member.formerNames],
    discordUserIds: member.discordUsers.map((user) => user.userId),
    discordUsers: clone(member.discordUsers),
  };
}

function mapRecord<Key extends string, From, To>(
  record: Record<Key, From>,
  map: (value: From) => To,
): Record<Key, To> {
  const out = {} as Record<Key, To>;
  for (const key of Object.keys(record) as Key[]) out[key] = map(record[key]);
  return out;
}

/**
 * Serializes a {@link ClanSummary} as `clan_data.json` version 1: a plain JSON object (instants as
 * ISO 8601 UTC strings), valid against `clanDataSchema`. `JSON.stringify` it to write the file.
 */
export function toClanData(summary: ClanSummary): ClanDataV1 {
  return {
    schemaVersion: 1,
    generatedAt: iso(summary.generatedAt),
    asOf: iso(summary.asOf),
    timezone: summary.timezone,
    group: { ...summary.group },
    rules: clone(summary.rules),
    members: summary.members.map((member) => ({
      ...identityOf(member),
      tenureDays: member.tenureDays,
      lastActiveAt: isoOrNull(member.lastActiveAt),
      lastProgressedAt: isoOrNull(member.lastProgressedAt),
      lastDiscordMessageAt: isoOrNull(member.lastDiscordMessageAt),
      lastClanChatAt: isoOrNull(member.lastClanChatAt),
      status: member.status,
      inactivity: {
        thresholdDays: member.inactivity.thresholdDays,
        exemptBy: member.inactivity.exemptBy,
        summary: member.inactivity.summary,
        signals: mapRecord(member.inactivity.signals, (signal) => ({
          ...signal,
          lastAt: isoOrNull(signal.lastAt),
        })),
      },
      score: member.score,
      scoreIncomplete: member.scoreIncomplete,
      scoreBreakdown: { ...member.scoreBreakdown },
      rankUp: member.rankUp === null ? null : { ...member.rankUp },
      windows: mapRecord(member.windows, (window) => ({
        ...window,
        since: iso(window.since),
        until: iso(window.until),
        bossKillsByBoss: window.bossKillsByBoss === null ? null : { ...window.bossKillsByBoss },
        xpBySkill: window.xpBySkill === null ? null : { ...window.xpBySkill },
      })),
      windowSources: mapRecord(member.windowSources, (info) => ({
        source: info.source,
        reason: info.reason,
        baseAt: isoOrNull(info.baseAt),
        endAt: isoOrNull(info.endAt),
      })),
      weekly: {
        messages: [...member.weekly.messages],
        clanChatMessages: [...member.weekly.clanChatMessages],
      },
      current:
        member.current === null
          ? null
          : { ...member.current, takenAt: iso(member.current.takenAt) },
    })),
    formerMembers: summary.formerMembers.map((former) => ({
      ...identityOf(former),
      leftAt: iso(former.leftAt),
    })),
    events: summary.events.map((event) => ({ ...event, at: iso(event.at) })),
    totals: clone(summary.totals),
    daily: summary.daily.map((point) => ({ ...point, startAt: iso(point.startAt) })),
    weeks: summary.weeks.map((start) => iso(start)),
    heatmap: {
      timezone: summary.heatmap.timezone,
      since: iso(summary.heatmap.since),
      until: iso(summary.heatmap.until),
      counts: summary.heatmap.counts.map((row) => [...row]),
      windows: mapRecord(summary.heatmap.windows, (window) => ({
        since: iso(window.since),
        counts: window.counts.map((row) => [...row]),
      })),
    },
    bosses: clone(summary.bosses),
    rankUps: clone(summary.rankUps),
    unmatchedDiscord: summary.unmatchedDiscord.map((user) => ({
      ...clone(user),
      lastMessageAt: iso(user.lastMessageAt),
    })),
    channels: clone(summary.channels),
    coverage: { ...summary.coverage },
  };
}
