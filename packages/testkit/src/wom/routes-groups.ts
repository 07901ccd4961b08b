import {
  ACTIVITIES,
  BOSSES,
  COMPUTED_METRICS,
  METRICS,
  PRIVILEGED_GROUP_ROLES,
  SKILLS,
  getMetricType,
} from './enums.js';
import type { Metric } from './enums.js';
import { codedError, legacyError, validationError } from './errors.js';
import type { Route, RouteContext, RouteReply } from './context.js';
import { paginate } from './context.js';
import { calculateMetricDelta } from './deltas.js';
import { MAX_TOTAL_LEVEL, getLevel } from './experience.js';
import {
  formatAchievement,
  formatCompetition,
  formatGroup,
  formatHiscoresData,
  formatMembership,
  formatNameChange,
  formatPlayer,
  formatSnapshot,
  formatSnapshotData,
  iso,
} from './format.js';
import type { Json } from './format.js';
import { findRecord } from './records.js';
import { appendSnapshot, latestStats, statsAt } from './state.js';
import type { GroupState, MembershipState, PlayerState } from './state.js';
import { SNAPSHOT_METRICS, snapshotIndexOf } from './stats.js';
import type { SnapshotStats } from './stats.js';
import { firstIndexAtOrAfter, indexesWithin } from './timefilter.js';
import {
  parseDate,
  parseFixedPeriod,
  parseMetric,
  parsePagination,
  parsePeriodExpression,
  parsePositiveInt,
  queryValue,
} from './validation.js';

const OUTDATED_AFTER_MS = 24 * 3_600_000 - 30 * 60_000;

function findGroup(context: RouteContext, style: 'legacy' | 'coded'): GroupState {
  const id = parsePositiveInt(context.params.id, 'id');
  const group = context.state.groups.get(id);
  if (group === undefined) {
    throw style === 'coded'
      ? codedError(404, 'GROUP_NOT_FOUND')
      : legacyError(404, 'Group not found.');
  }
  return group;
}

function memberPlayers(
  context: RouteContext,
  group: GroupState,
): Array<{ membership: MembershipState; player: PlayerState }> {
  const result: Array<{ membership: MembershipState; player: PlayerState }> = [];
  for (const membership of group.memberships) {
    const player = context.state.players.get(membership.playerId);
    if (player !== undefined) result.push({ membership, player });
  }
  return result;
}

/** WOM's `sortMembers`: role order, else privileged roles first then alphabetical; stable. */
function sortMembers<Entry extends { membership: MembershipState }>(
  group: GroupState,
  entries: Entry[],
): Entry[] {
  const orders = group.group.roleOrders;
  if (orders.length > 0) {
    const index = new Map(orders.map((order) => [order.role as string, order.index]));
    return [...entries].sort(
      (left, right) =>
        (index.get(left.membership.role) ?? Number.MAX_SAFE_INTEGER) -
        (index.get(right.membership.role) ?? Number.MAX_SAFE_INTEGER),
    );
  }
  const priority = (role: string): number => {
    const at = PRIVILEGED_GROUP_ROLES.indexOf(role as (typeof PRIVILEGED_GROUP_ROLES)[number]);
    return at === -1 ? PRIVILEGED_GROUP_ROLES.length : at;
  };
  return [...entries].sort(
    (left, right) =>
      priority(left.membership.role) - priority(right.membership.role) ||
      (priority(left.membership.role) === PRIVILEGED_GROUP_ROLES.length
        ? left.membership.role.localeCompare(right.membership.role)
        : 0),
  );
}

const json = (value: Json, status = 200): RouteReply => ({ status, json: value });

/** Resolves the `period | startDate+endDate` filter of group gained / bulk-gained. */
function groupTimeFilter(
  context: RouteContext,
): { kind: 'period'; since: number } | { kind: 'range'; start: number; end: number } {
  const period = queryValue(context.query, 'period');
  const startDate = parseDate(context.query, 'startDate');
  const endDate = parseDate(context.query, 'endDate');
  if (period !== undefined) {
    const duration = parsePeriodExpression(period);
    if (duration === null) throw codedError(400, 'INVALID_PERIOD');
    return { kind: 'period', since: context.now - duration };
  }
  if (startDate === undefined && endDate === undefined)
    throw validationError("Parameter 'period' is undefined.");
  if (startDate === undefined) throw validationError("Parameter 'startDate' is undefined.");
  if (endDate === undefined) throw validationError("Parameter 'endDate' is undefined.");
  if (startDate.getTime() >= endDate.getTime()) throw codedError(400, 'INVALID_DATE_RANGE');
  return { kind: 'range', start: startDate.getTime(), end: endDate.getTime() };
}

function edgeSnapshots(
  player: PlayerState,
  filter: ReturnType<typeof groupTimeFilter>,
): { start: number; end: number } | null {
  if (player.times.length === 0) return null;
  if (filter.kind === 'period') {
    const start = firstIndexAtOrAfter(player, filter.since);
    if (start >= player.times.length) return null;
    return { start, end: player.times.length - 1 };
  }
  const range = indexesWithin(player, { start: filter.start, end: filter.end });
  return range === null ? null : { start: range[0], end: range[1] };
}

function hiscores(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const metric = parseMetric(context.query, true);
  const page = context.legacy ? parsePagination(context.query, 100_000) : null;
  const group = findGroup(context, 'coded');
  const at = snapshotIndexOf(metric);
  const rows: Array<{ player: PlayerState; stats: SnapshotStats }> = [];
  for (const { player } of memberPlayers(context, group)) {
    const stats = latestStats(player);
    if (stats !== null) rows.push({ player, stats });
  }
  rows.sort((left, right) =>
    metric === 'overall'
      ? (right.stats.levels[0] ?? 0) - (left.stats.levels[0] ?? 0) ||
        (right.stats.values[0] ?? 0) - (left.stats.values[0] ?? 0)
      : (right.stats.values[at] ?? 0) - (left.stats.values[at] ?? 0),
  );
  const entries = rows.map(({ player, stats }) => ({
    player: formatPlayer(player),
    data: formatHiscoresData(metric, stats),
  }));
  return json(page === null ? entries : paginate(entries, page));
}

function bulkHiscores(context: RouteContext): RouteReply {
  const group = findGroup(context, 'coded');
  const entries: Json[] = [];
  for (const { player } of memberPlayers(context, group)) {
    const stats = latestStats(player);
    const time = player.times[player.times.length - 1];
    if (stats === null || time === undefined) continue;
    entries.push({ player: formatPlayer(player), data: formatSnapshot(player.id, time, stats) });
  }
  return json(entries);
}

function gained(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const metric = parseMetric(context.query, true);
  const filter = groupTimeFilter(context);
  const page = context.legacy ? parsePagination(context.query, 100_000) : null;
  const group = findGroup(context, 'coded');
  const rows: Array<{ entry: Json; gained: number }> = [];
  for (const { player } of memberPlayers(context, group)) {
    const edges = edgeSnapshots(player, filter);
    if (edges === null) continue;
    const delta = calculateMetricDelta(
      metric,
      statsAt(player, edges.start),
      statsAt(player, edges.end),
    );
    rows.push({
      gained: delta.gained,
      entry: {
        player: formatPlayer(player),
        startDate: iso(player.times[edges.start] ?? 0),
        endDate: iso(player.times[edges.end] ?? 0),
        data: { gained: delta.gained, start: delta.start, end: delta.end },
      },
    });
  }
  rows.sort((left, right) => right.gained - left.gained);
  const entries = rows.map((row) => row.entry);
  return json(page === null ? entries : paginate(entries, page));
}

function bulkGained(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const filter = groupTimeFilter(context);
  const group = findGroup(context, 'coded');
  const entries: Json[] = [];
  for (const { player } of memberPlayers(context, group)) {
    const edges = edgeSnapshots(player, filter);
    if (edges === null) continue;
    const start = statsAt(player, edges.start);
    const end = statsAt(player, edges.end);
    entries.push({
      player: formatPlayer(player),
      startDate: iso(player.times[edges.start] ?? 0),
      endDate: iso(player.times[edges.end] ?? 0),
      data: METRICS.map((metric) => {
        const delta = calculateMetricDelta(metric, start, end);
        return { metric, gained: delta.gained, start: delta.start, end: delta.end };
      }),
    });
  }
  return json(entries);
}

function details(context: RouteContext): RouteReply {
  const group = findGroup(context, 'legacy');
  const members = sortMembers(group, memberPlayers(context, group));
  const groupInfo = group.group;
  return json({
    ...formatGroup(groupInfo, group.memberships.length),
    socialLinks: { ...groupInfo.socialLinks },
    roleOrders: groupInfo.roleOrders.map((order) => ({
      groupId: groupInfo.id,
      role: order.role,
      index: order.index,
    })),
    memberships: members.map(({ membership, player }) => ({
      ...formatMembership(membership),
      player: formatPlayer(player),
    })),
  });
}

function activity(context: RouteContext): RouteReply {
  const id = parsePositiveInt(context.params.id, 'id');
  const page = parsePagination(context.query, 50);
  const group = context.state.groups.get(id);
  if (group === undefined) throw legacyError(404, 'Group not found.');
  const events = [...group.activity].sort((left, right) =>
    right.createdAt.localeCompare(left.createdAt),
  );
  return json(
    paginate(events, page).map((event) => {
      const player = context.state.players.get(event.playerId);
      return {
        groupId: event.groupId,
        playerId: event.playerId,
        type: event.type,
        role: event.role,
        previousRole: event.previousRole,
        createdAt: event.createdAt,
        player: player === undefined ? null : formatPlayer(player),
      };
    }),
  );
}

function achievements(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const page = parsePagination(context.query, 50);
  const group = findGroup(context, 'coded');
  const memberIds = new Set(group.memberships.map((membership) => membership.playerId));
  const rows = context.state.achievements
    .filter((achievement) => memberIds.has(achievement.playerId))
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  return json(
    paginate(rows, page).map((achievement) => {
      const player = context.state.players.get(achievement.playerId);
      return {
        ...formatAchievement(achievement),
        player: player === undefined ? null : formatPlayer(player),
      };
    }),
  );
}

function nameChanges(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const page = parsePagination(context.query, 50);
  const group = findGroup(context, 'legacy');
  const memberIds = new Set(group.memberships.map((membership) => membership.playerId));
  const rows = context.state.nameChanges
    .filter((change) => change.status === 'approved' && memberIds.has(change.playerId))
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  return json(
    paginate(rows, page).map((change) => {
      const player = context.state.players.get(change.playerId);
      return {
        ...formatNameChange(change),
        player: player === undefined ? null : formatPlayer(player),
      };
    }),
  );
}

function competitions(context: RouteContext): RouteReply {
  const group = findGroup(context, 'coded');
  const now = context.now;
  const status = (startsAt: number, endsAt: number): number =>
    startsAt <= now && endsAt > now ? 0 : startsAt > now ? 1 : 2;
  const sorted = [...group.competitions].sort((left, right) => {
    const leftStart = Date.parse(left.startsAt);
    const leftEnd = Date.parse(left.endsAt);
    const rightStart = Date.parse(right.startsAt);
    const rightEnd = Date.parse(right.endsAt);
    const leftStatus = status(leftStart, leftEnd);
    const rightStatus = status(rightStart, rightEnd);
    if (leftStatus !== rightStatus) return leftStatus - rightStatus;
    if (leftStatus === 0) return leftEnd - rightEnd;
    if (leftStatus === 1) return leftStart - rightStart;
    return rightEnd - leftEnd;
  });
  return json(sorted.map((competition) => formatCompetition(competition, group)));
}

function statistics(context: RouteContext): RouteReply {
  const group = findGroup(context, 'legacy');
  const rows: Array<{ player: PlayerState; stats: SnapshotStats }> = [];
  for (const { player } of memberPlayers(context, group)) {
    const stats = latestStats(player);
    if (stats !== null) rows.push({ player, stats });
  }
  if (rows.length === 0) throw legacyError(400, "Couldn't find any stats for this group.");
  const total = SNAPSHOT_METRICS.length;
  const values = new Float64Array(total);
  const ranks = new Float64Array(total);
  const efficiency = new Float64Array(total);
  const levels = new Int16Array(total);
  let maxedCombatCount = 0;
  let maxedTotalCount = 0;
  let maxed200msCount = 0;
  for (const { stats } of rows) {
    if (stats.combatLevel >= 126) maxedCombatCount++;
    if (stats.totalLevel >= MAX_TOTAL_LEVEL) maxedTotalCount++;
    for (let index = 1; index < SKILLS.length; index++)
      if ((stats.values[index] ?? 0) >= 200_000_000) maxed200msCount++;
    for (let index = 0; index < total; index++) {
      values[index] = (values[index] ?? 0) + (stats.values[index] ?? 0);
      ranks[index] = (ranks[index] ?? 0) + (stats.ranks[index] ?? 0);
      efficiency[index] = (efficiency[index] ?? 0) + (stats.efficiency[index] ?? 0);
    }
  }
  const computedStart = total - COMPUTED_METRICS.length;
  for (let index = 0; index < total; index++) {
    const mean = (values[index] ?? 0) / rows.length;
    values[index] = index >= computedStart ? mean : Math.round(mean);
    ranks[index] = Math.round((ranks[index] ?? 0) / rows.length);
    efficiency[index] = (efficiency[index] ?? 0) / rows.length;
    if (index > 0 && index < SKILLS.length) levels[index] = getLevel(values[index] ?? -1);
  }
  levels[0] = Math.round(rows.reduce((sum, row) => sum + row.stats.totalLevel, 0) / rows.length);
  const average: SnapshotStats = {
    values,
    ranks,
    levels,
    efficiency,
    exp: Math.max(0, values[0] ?? 0),
    ehp: values[computedStart] ?? 0,
    ehb: values[computedStart + 1] ?? 0,
    ttm: 0,
    tt200m: 0,
    combatLevel: 3,
    totalLevel: levels[0],
  };
  const leaders = (metrics: readonly Metric[]): Record<string, Json> => {
    const result: Record<string, Json> = {};
    for (const metric of metrics) {
      const at = snapshotIndexOf(metric);
      let best = rows[0];
      for (const row of rows)
        if ((row.stats.values[at] ?? -1) > (best?.stats.values[at] ?? -1)) best = row;
      const stats = best?.stats ?? average;
      const value = stats.values[at] ?? -1;
      const player = best !== undefined && value !== -1 ? formatPlayer(best.player) : null;
      const type = getMetricType(metric);
      const rank = stats.ranks[at] ?? -1;
      result[metric] =
        type === 'skill'
          ? { metric, experience: value, rank, level: stats.levels[at] ?? 1, player }
          : type === 'boss'
            ? { metric, kills: value, rank, player }
            : type === 'activity'
              ? { metric, score: value, rank, player }
              : { metric, value, rank, player };
    }
    return result;
  };
  return json({
    maxedCombatCount,
    maxedTotalCount,
    maxed200msCount,
    averageStats: {
      id: -1,
      playerId: -1,
      createdAt: iso(context.now),
      importedAt: null,
      data: formatSnapshotData(average),
    },
    metricLeaders: {
      skills: leaders(SKILLS),
      bosses: leaders(BOSSES),
      activities: leaders(ACTIVITIES),
      computed: leaders(COMPUTED_METRICS),
    },
  });
}

function records(context: RouteContext): RouteReply {
  parsePositiveInt(context.params.id, 'id');
  const period = parseFixedPeriod(context.query, true);
  const metric = parseMetric(context.query, true);
  const page = parsePagination(context.query, 50);
  const group = findGroup(context, 'legacy');
  if (period === undefined) throw validationError("Parameter 'period' is undefined.");
  const rows: Array<{ player: PlayerState; value: number; updatedAt: number }> = [];
  for (const { player } of memberPlayers(context, group)) {
    const record = findRecord(player, metric, period);
    if (record !== null) rows.push({ player, ...record });
  }
  rows.sort((left, right) => right.value - left.value);
  return json(
    paginate(rows, page).map((row) => ({
      playerId: row.player.id,
      period,
      metric,
      value: row.value,
      updatedAt: iso(row.updatedAt),
      player: formatPlayer(row.player),
    })),
  );
}

function updateAll(context: RouteContext): RouteReply {
  const body = (
    typeof context.body === 'object' && context.body !== null ? context.body : {}
  ) as Record<string, unknown>;
  const code = body.verificationCode;
  if (code === undefined || code === null || code === '')
    throw codedError(400, 'MISSING_VERIFICATION_CODE');
  const id = parsePositiveInt(context.params.id, 'id');
  const group = context.state.groups.get(id);
  if (group === undefined) throw codedError(404, 'GROUP_NOT_FOUND');
  if (typeof code !== 'string' || code.trim() !== group.group.verificationCode)
    throw codedError(403, 'INCORRECT_VERIFICATION_CODE');
  const outdated = memberPlayers(context, group).filter(
    ({ player }) => player.updatedAt === null || player.updatedAt < context.now - OUTDATED_AFTER_MS,
  );
  if (outdated.length === 0) throw codedError(400, 'NO_OUTDATED_MEMBERS');
  for (const { player } of outdated) appendSnapshot(player, context.now);
  const count = outdated.length;
  return json({
    count,
    message: `${count} outdated (updated > 24h ago) players are being updated. This can take up to a few minutes.`,
  });
}

const pad = (value: number): string => String(value).padStart(2, '0');
function csvDate(time: number | null, withTime: boolean): string {
  if (time === null) return '';
  const date = new Date(time);
  const day = `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`;
  return withTime
    ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    : day;
}

function csv(context: RouteContext): RouteReply {
  const group = findGroup(context, 'legacy');
  const members = sortMembers(group, memberPlayers(context, group));
  if (members.length === 0) throw legacyError(400, 'Group has no members.');
  const lines = ['Player,Role,Experience,Last progressed,Last updated,Joined at (Client Sync)'];
  for (const { membership, player } of members) {
    lines.push(
      [
        player.displayName,
        membership.role,
        latestStats(player)?.exp ?? 0,
        csvDate(player.lastChangedAt, true),
        csvDate(player.updatedAt, true),
        csvDate(membership.clientSyncJoinedAt, false),
      ].join(','),
    );
  }
  return { status: 200, text: lines.join('\n') };
}

/** Group routes (`/groups/:id/…`); `bulk-*` are dropped in legacy mode by the server. */
export const GROUP_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/groups/:id', handler: details },
  { method: 'GET', pattern: '/groups/:id/hiscores', handler: hiscores },
  { method: 'GET', pattern: '/groups/:id/bulk-hiscores', handler: bulkHiscores },
  { method: 'GET', pattern: '/groups/:id/gained', handler: gained },
  { method: 'GET', pattern: '/groups/:id/bulk-gained', handler: bulkGained },
  { method: 'GET', pattern: '/groups/:id/activity', handler: activity },
  { method: 'GET', pattern: '/groups/:id/achievements', handler: achievements },
  { method: 'GET', pattern: '/groups/:id/name-changes', handler: nameChanges },
  { method: 'GET', pattern: '/groups/:id/competitions', handler: competitions },
  { method: 'GET', pattern: '/groups/:id/statistics', handler: statistics },
  { method: 'GET', pattern: '/groups/:id/records', handler: records },
  { method: 'POST', pattern: '/groups/:id/update-all', handler: updateAll },
  { method: 'GET', pattern: '/groups/:id/csv', handler: csv },
];
