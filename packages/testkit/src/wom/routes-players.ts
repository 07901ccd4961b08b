import { codedError, legacyError } from './errors.js';
import type { Route, RouteContext, RouteReply } from './context.js';
import { paginate } from './context.js';
import { calculatePlayerDeltas, emptyPlayerDeltas } from './deltas.js';
import { PERIODS } from './enums.js';
import type { Metric, Period } from './enums.js';
import {
  formatAchievement,
  formatGroup,
  formatMembership,
  formatNameChange,
  formatPlayerDetails,
  formatSnapshot,
  iso,
} from './format.js';
import type { Json } from './format.js';
import { findRecord, metricSeries } from './records.js';
import { appendSnapshot, statsAt } from './state.js';
import type { PlayerState } from './state.js';
import { SNAPSHOT_METRICS as SNAPSHOT_ORDER, snapshotIndexOf } from './stats.js';
import { firstIndexAtOrAfter, indexesWithin } from './timefilter.js';
import { sanitizeDisplayName, standardizeUsername, validateUsername } from '../clan/names.js';
import {
  parseDate,
  parseFixedPeriod,
  parseMetric,
  parsePagination,
  parsePeriodExpression,
  parsePositiveInt,
  queryValue,
} from './validation.js';

const json = (value: Json, status = 200): RouteReply => ({ status, json: value });

function findPlayer(context: RouteContext, style: 'legacy' | 'coded'): PlayerState {
  const username = standardizeUsername(context.params.username ?? '');
  const player = context.state.byUsername.get(username);
  if (player === undefined) {
    throw style === 'coded'
      ? codedError(404, 'PLAYER_NOT_FOUND')
      : legacyError(404, 'Player not found.');
  }
  return player;
}

function details(context: RouteContext): RouteReply {
  return json(formatPlayerDetails(findPlayer(context, 'coded')));
}

function detailsById(context: RouteContext): RouteReply {
  const id = parsePositiveInt(context.params.id, 'id');
  const player = context.state.players.get(id);
  if (player === undefined) throw codedError(404, 'PLAYER_NOT_FOUND');
  return json(formatPlayerDetails(player));
}

function update(context: RouteContext): RouteReply {
  const raw = context.params.username ?? '';
  const username = standardizeUsername(raw);
  let player = context.state.byUsername.get(username);
  let created = false;
  if (player === undefined) {
    const problem = validateUsername(raw);
    if (problem !== null)
      throw codedError(400, 'INVALID_USERNAME', { subError: { code: problem } });
  }
  if (context.hiscoresNotFound.has(username)) throw codedError(400, 'HISCORES_USERNAME_NOT_FOUND');
  if (player === undefined) {
    player = {
      id: context.state.nextPlayerId++,
      username,
      displayName: sanitizeDisplayName(raw),
      type: 'unknown',
      build: 'main',
      status: 'active',
      country: null,
      patron: false,
      registeredAt: context.now,
      updatedAt: null,
      lastChangedAt: null,
      lastImportedAt: null,
      history: {
        times: new Float64Array(0),
        initial: new Int32Array(0),
        changeRows: new Uint32Array(0),
        changeColumns: new Uint8Array(0),
        changeValues: new Int32Array(0),
      },
      times: [],
      extraRows: [],
      latest: null,
    };
    context.state.players.set(player.id, player);
    context.state.byUsername.set(username, player);
    created = true;
  } else if (player.updatedAt !== null) {
    const elapsed = context.now - player.updatedAt;
    const isNew =
      context.now - player.registeredAt <= context.playerUpdateCooldownMs &&
      player.lastChangedAt === null;
    if (elapsed < context.playerUpdateCooldownMs && !isNew) {
      const seconds = String(
        Math.max(1, Math.ceil((context.playerUpdateCooldownMs - elapsed) / 1000)),
      );
      throw codedError(429, 'PLAYER_IS_RATE_LIMITED', {
        headers: {
          'RateLimit-Limit': '1',
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': seconds,
          'Retry-After': seconds,
        },
      });
    }
  }
  appendSnapshot(player, context.now);
  return json(formatPlayerDetails(player), created ? 201 : 200);
}

/** Time filter of snapshots/timeline: dates first, then period, else everything. */
function snapshotWindow(context: RouteContext): { start: number; end: number } {
  const period = queryValue(context.query, 'period');
  const startDate = parseDate(context.query, 'startDate');
  const endDate = parseDate(context.query, 'endDate');
  if (startDate !== undefined && endDate !== undefined) {
    if (startDate.getTime() >= endDate.getTime())
      throw legacyError(400, 'Min date must be before the max date.');
    return { start: startDate.getTime(), end: endDate.getTime() };
  }
  if (period !== undefined) {
    const duration = parsePeriodExpression(period);
    if (duration === null) throw legacyError(400, `Invalid period: ${period}.`);
    return { start: context.now - duration, end: context.now };
  }
  return { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
}

function snapshots(context: RouteContext): RouteReply {
  const window = snapshotWindow(context);
  const page = parsePagination(context.query, 200);
  const player = findPlayer(context, 'legacy');
  const range = indexesWithin(player, window);
  if (range === null) return json([]);
  const indexes: number[] = [];
  for (let index = range[1]; index >= range[0]; index--) indexes.push(index);
  return json(
    paginate(indexes, page).map((index) =>
      formatSnapshot(player.id, player.times[index] ?? 0, statsAt(player, index)),
    ),
  );
}

function timeline(context: RouteContext): RouteReply {
  const metric = parseMetric(context.query, true);
  const window = snapshotWindow(context);
  const player = findPlayer(context, 'legacy');
  const range = indexesWithin(player, window);
  if (range === null) return json([]);
  const at = snapshotIndexOf(metric);
  const series = metricSeries(player, metric);
  const result: Json[] = [];
  for (let index = range[1]; index >= range[0]; index--) {
    const rank = statsAt(player, index).ranks[at] ?? -1;
    result.push({ value: series[index] ?? -1, rank, date: iso(player.times[index] ?? 0) });
  }
  return json(result);
}

function gained(context: RouteContext): RouteReply {
  const period = queryValue(context.query, 'period');
  const startDate = parseDate(context.query, 'startDate');
  const endDate = parseDate(context.query, 'endDate');
  const player = findPlayer(context, 'legacy');
  let start: number;
  let end: number;
  if (period !== undefined) {
    const duration = parsePeriodExpression(period);
    if (duration === null) throw legacyError(400, `Invalid period: ${period}.`);
    start = firstIndexAtOrAfter(player, context.now - duration);
    end = player.times.length - 1;
  } else if (startDate !== undefined && endDate !== undefined) {
    if (startDate.getTime() >= endDate.getTime())
      throw legacyError(400, 'Min date must be before the max date.');
    const range = indexesWithin(player, { start: startDate.getTime(), end: endDate.getTime() });
    start = range?.[0] ?? -1;
    end = range?.[1] ?? -1;
  } else {
    throw legacyError(400, 'Invalid period and start/end dates.');
  }
  if (start < 0 || end < 0 || start >= player.times.length || start > end) {
    return json({ startsAt: null, endsAt: null, data: emptyPlayerDeltas() });
  }
  return json({
    startsAt: iso(player.times[start] ?? 0),
    endsAt: iso(player.times[end] ?? 0),
    data: calculatePlayerDeltas(statsAt(player, start), statsAt(player, end)),
  });
}

function achievements(context: RouteContext): RouteReply {
  const player = findPlayer(context, 'coded');
  return json(
    context.state.achievements
      .filter((achievement) => achievement.playerId === player.id)
      .map((achievement) => formatAchievement(achievement)),
  );
}

function names(context: RouteContext): RouteReply {
  const player = findPlayer(context, 'legacy');
  return json(
    context.state.nameChanges
      .filter((change) => change.playerId === player.id && change.status === 'approved')
      .sort((left, right) => (right.resolvedAt ?? '').localeCompare(left.resolvedAt ?? ''))
      .map((change) => formatNameChange(change)),
  );
}

function groups(context: RouteContext): RouteReply {
  const page = parsePagination(context.query, 50);
  const player = findPlayer(context, 'legacy');
  const rows: Array<{ score: number; createdAt: number; entry: Json }> = [];
  for (const group of context.state.groups.values()) {
    if (!group.group.visible) continue;
    for (const membership of group.memberships) {
      if (membership.playerId !== player.id) continue;
      rows.push({
        score: group.group.score,
        createdAt: membership.createdAt,
        entry: {
          ...formatMembership(membership),
          group: formatGroup(group.group, group.memberships.length),
        },
      });
    }
  }
  rows.sort((left, right) => right.score - left.score || right.createdAt - left.createdAt);
  return json(paginate(rows, page).map((row) => row.entry));
}

function records(context: RouteContext): RouteReply {
  const metric = parseMetric(context.query, false);
  const period = parseFixedPeriod(context.query, false);
  const player = findPlayer(context, 'legacy');
  const periods: readonly Period[] = period === undefined ? PERIODS : [period];
  const metrics: readonly Metric[] =
    metric === undefined ? [...new Set<Metric>(SNAPSHOT_ORDER)] : [metric];
  const result: Json[] = [];
  for (const each of metrics) {
    const series = metricSeries(player, each);
    for (const eachPeriod of periods) {
      const record = findRecord(player, each, eachPeriod, series);
      if (record === null) continue;
      result.push({
        playerId: player.id,
        period: eachPeriod,
        metric: each,
        value: record.value,
        updatedAt: iso(record.updatedAt),
      });
    }
  }
  return json(result);
}

/** Player routes (`/players/…`). The `id/:id` route comes before `:username`. */
export const PLAYER_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/players/id/:id', handler: detailsById },
  { method: 'GET', pattern: '/players/:username', handler: details },
  { method: 'POST', pattern: '/players/:username', handler: update },
  { method: 'GET', pattern: '/players/:username/snapshots', handler: snapshots },
  { method: 'GET', pattern: '/players/:username/snapshots/timeline', handler: timeline },
  { method: 'GET', pattern: '/players/:username/gained', handler: gained },
  { method: 'GET', pattern: '/players/:username/achievements', handler: achievements },
  { method: 'GET', pattern: '/players/:username/names', handler: names },
  { method: 'GET', pattern: '/players/:username/groups', handler: groups },
  { method: 'GET', pattern: '/players/:username/records', handler: records },
];
