/** Wire formatters: objects in exactly the field order the real server serializes. */
import type {
  SyntheticAchievement,
  SyntheticCompetition,
  SyntheticGroup,
  SyntheticNameChange,
} from '../clan/model.js';
import { ACTIVITIES, BOSSES, COMPUTED_METRICS, SKILLS, getMetricType } from './enums.js';
import type { Metric } from './enums.js';
import { latestStats } from './state.js';
import type { GroupState, MembershipState, PlayerState } from './state.js';
import { snapshotIndexOf } from './stats.js';
import type { SnapshotStats } from './stats.js';

/** JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `Date.toISOString()` of epoch milliseconds, or null. */
export function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

/** `Date.toISOString()` of epoch milliseconds. */
export function iso(time: number): string {
  return new Date(time).toISOString();
}

const skillOffset = 0;
const bossOffset = SKILLS.length;
const activityOffset = bossOffset + BOSSES.length;
const computedOffset = activityOffset + ACTIVITIES.length;

/** WOM `Player` (`player.response.ts`). */
export function formatPlayer(player: PlayerState): Record<string, Json> {
  const stats = latestStats(player);
  return {
    id: player.id,
    username: player.username,
    displayName: player.displayName,
    type: player.type,
    build: player.build,
    status: player.status,
    country: player.country,
    patron: player.patron,
    exp: stats?.exp ?? 0,
    ehp: stats?.ehp ?? 0,
    ehb: stats?.ehb ?? 0,
    ttm: stats?.ttm ?? 0,
    tt200m: stats?.tt200m ?? 0,
    registeredAt: iso(player.registeredAt),
    updatedAt: isoOrNull(player.updatedAt),
    lastChangedAt: isoOrNull(player.lastChangedAt),
    lastImportedAt: isoOrNull(player.lastImportedAt),
  };
}

/** The `data` of a WOM `Snapshot`. */
export function formatSnapshotData(stats: SnapshotStats): Record<string, Json> {
  const skills: Record<string, Json> = {};
  SKILLS.forEach((skill, index) => {
    const at = skillOffset + index;
    skills[skill] = {
      metric: skill,
      experience: stats.values[at] ?? -1,
      rank: stats.ranks[at] ?? -1,
      level: stats.levels[at] ?? 1,
      ehp: stats.efficiency[at] ?? 0,
    };
  });
  const bosses: Record<string, Json> = {};
  BOSSES.forEach((boss, index) => {
    const at = bossOffset + index;
    bosses[boss] = {
      metric: boss,
      kills: stats.values[at] ?? -1,
      rank: stats.ranks[at] ?? -1,
      ehb: stats.efficiency[at] ?? 0,
    };
  });
  const activities: Record<string, Json> = {};
  ACTIVITIES.forEach((activity, index) => {
    const at = activityOffset + index;
    activities[activity] = {
      metric: activity,
      score: stats.values[at] ?? -1,
      rank: stats.ranks[at] ?? -1,
    };
  });
  const computed: Record<string, Json> = {};
  COMPUTED_METRICS.forEach((metric, index) => {
    const at = computedOffset + index;
    computed[metric] = { metric, value: stats.values[at] ?? 0, rank: stats.ranks[at] ?? -1 };
  });
  return { skills, bosses, activities, computed };
}

/** WOM `Snapshot` (with the legacy `id: -1`). */
export function formatSnapshot(
  playerId: number,
  createdAt: number,
  stats: SnapshotStats,
  importedAt: number | null = null,
): Record<string, Json> {
  return {
    id: -1,
    playerId,
    createdAt: iso(createdAt),
    importedAt: isoOrNull(importedAt),
    data: formatSnapshotData(stats),
  };
}

/** WOM `PlayerDetails`. */
export function formatPlayerDetails(player: PlayerState): Record<string, Json> {
  const stats = latestStats(player);
  const latestTime = player.times[player.times.length - 1];
  return {
    ...formatPlayer(player),
    combatLevel: stats?.combatLevel ?? 3,
    archive: null,
    annotations: [],
    latestSnapshot:
      stats === null || latestTime === undefined
        ? null
        : formatSnapshot(player.id, latestTime, stats),
  };
}

/** WOM `Group` (`group.response.ts`). */
export function formatGroup(group: SyntheticGroup, memberCount: number): Record<string, Json> {
  return {
    id: group.id,
    name: group.name,
    clanChat: group.clanChat,
    description: group.description,
    homeworld: group.homeworld,
    verified: group.verified,
    patron: group.patron,
    visible: group.visible,
    profileImage: group.profileImage,
    bannerImage: group.bannerImage,
    score: group.score,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    memberCount,
  };
}

/** WOM `Membership`. */
export function formatMembership(membership: MembershipState): Record<string, Json> {
  return {
    playerId: membership.playerId,
    groupId: membership.groupId,
    role: membership.role,
    clientSyncJoinedAt: isoOrNull(membership.clientSyncJoinedAt),
    createdAt: iso(membership.createdAt),
    updatedAt: iso(membership.updatedAt),
  };
}

/** WOM `Achievement`. */
export function formatAchievement(achievement: SyntheticAchievement): Record<string, Json> {
  return {
    playerId: achievement.playerId,
    name: achievement.name,
    metric: achievement.metric,
    threshold: achievement.threshold,
    accuracy: achievement.accuracy,
    createdAt: achievement.createdAt,
    measure: achievement.measure,
    legacy: achievement.legacy,
  };
}

/** WOM `NameChange`. */
export function formatNameChange(change: SyntheticNameChange): Record<string, Json> {
  return {
    id: change.id,
    playerId: change.playerId,
    oldName: change.oldName,
    newName: change.newName,
    status: change.status,
    reviewContext: change.reviewContext,
    resolvedAt: change.resolvedAt,
    createdAt: change.createdAt,
    updatedAt: change.updatedAt,
  };
}

/** WOM `Competition` with its `group`. */
export function formatCompetition(
  competition: SyntheticCompetition,
  groupState: GroupState | undefined,
): Record<string, Json> {
  const result: Record<string, Json> = {
    id: competition.id,
    title: competition.title,
    type: competition.type,
    startsAt: competition.startsAt,
    endsAt: competition.endsAt,
    groupId: competition.groupId,
    score: competition.score,
    visible: competition.visible,
    createdAt: competition.createdAt,
    updatedAt: competition.updatedAt,
    metric: competition.metric,
    metrics: [{ weight: 1, metric: competition.metric, createdAt: competition.createdAt }],
    participantCount: competition.participantIds.length,
  };
  if (groupState !== undefined) {
    result.group = formatGroup(groupState.group, groupState.memberships.length);
  }
  return result;
}

/** The hiscores `data` of one metric (`group-hiscores-entry.response.ts`). */
export function formatHiscoresData(metric: Metric, stats: SnapshotStats): Record<string, Json> {
  const at = snapshotIndexOf(metric);
  const rank = stats.ranks[at] ?? -1;
  const value = stats.values[at] ?? -1;
  switch (getMetricType(metric)) {
    case 'skill':
      return { type: 'skill', rank, level: stats.levels[at] ?? 1, experience: value };
    case 'boss':
      return { type: 'boss', rank, kills: value };
    case 'activity':
      return { type: 'activity', rank, score: value };
    default:
      return { type: 'computed', rank, value };
  }
}
