/**
 * `fetchGroupStats`: a whole clan's current stats and gains with as few requests as the server
 * allows.
 */
import type { WomClient } from './client.js';
import { METRICS, isSkill, type Metric, type Period, type PeriodExpression } from './enums.js';
import { isWomClientError } from './errors.js';
import type {
  DateRange,
  MetricDelta,
  TimeRange,
  UnknownMetrics,
  WireDate,
} from './types/common.js';
import type {
  BulkGainsEntry,
  BulkHiscoresEntry,
  GroupDetails,
  GroupGainsEntry,
  GroupHiscoresData,
  GroupHiscoresEntry,
  GroupMembership,
} from './types/group.js';
import type { Player } from './types/player.js';
import type { Snapshot } from './types/snapshot.js';

/** A range to compute gains over: a period (`'week'`, `'6h'`) or two dates. */
export type GroupStatsRange = Period | PeriodExpression | DateRange;

/** Options of {@link fetchGroupStats}. */
export interface FetchGroupStatsOptions {
  /**
   * The ranges to compute every member's gains over, e.g. `['week', 'month']` or
   * `[{ startDate, endDate }]`. Each costs one request on current servers (113 on old ones).
   * Duplicates are fetched once.
   * @defaultValue `[]` (current stats only)
   */
  periods?: readonly GroupStatsRange[] | undefined;
  /**
   * Whether to fetch the group's details (`GET /groups/:id`: name, roles, join dates). With
   * `false`, one request fewer: `group` is `null` and `members` lists the players the stats
   * requests return, without membership fields (a member Wise Old Man has no snapshot of is then
   * missing).
   * @defaultValue `true`
   */
  details?: boolean | undefined;
  /** Aborts every request of the call; the promise then rejects. */
  signal?: AbortSignal | undefined;
}

/** A metric's latest value, uniform across metric types. */
export interface MetricValue<Name extends string = Metric> {
  metric: Name;
  /** Experience (skills), kills (bosses), score (activities) or value (computed); `-1` when unranked. */
  value: number;
  /** Hiscores rank; `-1` when unranked. */
  rank: number;
  /** The level for skills (total level for `overall`); `null` for other metrics. */
  level: number | null;
}

/** Every metric's latest value by name; metrics unknown to this version are kept. */
export type MetricValues = { [Name in Metric]: MetricValue<Name> } & UnknownMetrics<
  MetricValue<string>
>;

/** Every metric's change by name; metrics unknown to this version are kept. */
export type MetricDeltas = Record<Metric, MetricDelta> & UnknownMetrics<MetricDelta>;

/** One member's gains over one range. */
export interface MemberGains<Dates extends WireDate = Date> {
  /** The member's first snapshot in the range. */
  startDate: Dates;
  /** The member's last snapshot in the range (their latest, for a period). */
  endDate: Dates;
  /** Every metric's change. */
  metrics: MetricDeltas;
}

/** A player with their stats and gains. */
export interface PlayerStats<Dates extends WireDate = Date> {
  /** The player. */
  player: Player<Dates>;
  /** Every metric's latest value, or `null` if Wise Old Man has no snapshot of the member. */
  stats: MetricValues | null;
  /**
   * The member's latest snapshot in full (with per-metric EHP/EHB and its date) when the server
   * has bulk endpoints; `null` on older servers and for members without a snapshot.
   */
  snapshot: Snapshot<Dates> | null;
  /**
   * The member's gains by range key (see {@link GroupStats.ranges}): `gains.week`,
   * `gains['2026-01-01T00:00:00.000Z/2026-02-01T00:00:00.000Z']`. A key is missing when the
   * member has no snapshot at one end of that range.
   */
  gains: Record<string, MemberGains<Dates> | undefined>;
}

/** One member with their membership, stats and gains. */
export interface GroupMemberStats<Dates extends WireDate = Date>
  extends GroupMembership<Dates>, PlayerStats<Dates> {}

/**
 * The result of {@link fetchGroupStats}; `WithDetails` is `false` when it was called with
 * `details: false`.
 */
export interface GroupStats<Dates extends WireDate = Date, WithDetails extends boolean = true> {
  /** The group's details, with every membership; `null` with `details: false`. */
  group: WithDetails extends true ? GroupDetails<Dates> : null;
  /**
   * Every current member, in the details' order; with `details: false`, every player the stats
   * requests returned, without membership fields.
   */
  members: Array<WithDetails extends true ? GroupMemberStats<Dates> : PlayerStats<Dates>>;
  /**
   * The requested ranges with their keys in `member.gains`: the period itself (`week`, `6h`), or
   * for dates an ISO-8601 interval `start/end`.
   */
  ranges: Array<{ key: string; range: TimeRange }>;
  /** HTTP requests sent by the client during the call (retries included). */
  requests: number;
  /** True if the stats and every range came from `bulk-hiscores`/`bulk-gained`. */
  usedBulkEndpoints: boolean;
}

/** What a client's server is known to have; `undefined` until a call finds out. */
interface BulkSupport {
  hiscores?: boolean;
  gained?: boolean;
}

/** Per client (created on first use, so importing this module allocates nothing). */
let bulkSupportByClient: WeakMap<object, BulkSupport> | undefined;

function bulkSupportOf(client: object): BulkSupport {
  bulkSupportByClient ??= new WeakMap();
  let support = bulkSupportByClient.get(client);
  if (support === undefined) {
    support = {};
    bulkSupportByClient.set(client, support);
  }
  return support;
}

/** The ISO form of a range date, for keys. */
function isoOf(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}

function normalizeRanges(periods: readonly GroupStatsRange[]): RangeKey[] {
  const ranges = new Map<string, TimeRange>();
  for (const period of periods) {
    if (typeof period === 'string') {
      ranges.set(period, { period });
    } else {
      const { startDate, endDate } = period;
      ranges.set(`${isoOf(startDate)}/${isoOf(endDate)}`, { startDate, endDate });
    }
  }
  return [...ranges].map(([key, range]) => ({ key, range }));
}

function isEndpointNotFound(error: unknown): boolean {
  return isWomClientError(error) && error.code === 'ENDPOINT_NOT_FOUND';
}

/** A stand-in for a known metric missing from a response, so the typed map stays complete. */
function unrankedValue(metric: Metric): MetricValue<string> {
  return { metric, value: -1, rank: -1, level: isSkill(metric) ? 1 : null };
}

function valuesFromSnapshot(snapshot: Snapshot<WireDate>): MetricValues {
  const values: Record<string, MetricValue<string>> = {};
  for (const category of Object.values(snapshot.data) as Array<Record<string, unknown>>) {
    for (const [metric, raw] of Object.entries(category)) {
      const entry = raw as Partial<
        Record<'experience' | 'kills' | 'score' | 'value' | 'rank' | 'level', number>
      >;
      values[metric] = {
        metric,
        value: entry.experience ?? entry.kills ?? entry.score ?? entry.value ?? -1,
        rank: entry.rank ?? -1,
        level: entry.level ?? null,
      };
    }
  }
  for (const metric of METRICS) values[metric] ??= unrankedValue(metric);
  return values as MetricValues;
}

function valueFromHiscores(metric: Metric, data: GroupHiscoresData): MetricValue<string> {
  switch (data.type) {
    case 'skill':
      return { metric, value: data.experience, rank: data.rank, level: data.level };
    case 'boss':
      return { metric, value: data.kills, rank: data.rank, level: null };
    case 'activity':
      return { metric, value: data.score, rank: data.rank, level: null };
    case 'computed':
      return { metric, value: data.value, rank: data.rank, level: null };
  }
}

function deltasFromBulk(data: BulkGainsEntry<WireDate>['data']): MetricDeltas {
  const deltas: Record<string, MetricDelta> = {};
  for (const { metric, gained, start, end } of data) deltas[metric] = { gained, start, end };
  for (const metric of METRICS) deltas[metric] ??= { gained: 0, start: -1, end: -1 };
  return deltas as MetricDeltas;
}

/**
 * The cancellation scope of one call. Each request gets its own child signal (one shared signal
 * would collect an abort listener per queued request, hundreds on the fallback path); aborting
 * the scope, or the caller's signal, aborts them all.
 */
class CallScope {
  readonly #children: AbortController[] = [];
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => {
    this.abort(this.#parent?.reason);
  };
  #aborted = false;
  #reason: unknown;

  constructor(parent: AbortSignal | undefined) {
    this.#parent = parent;
    if (parent?.aborted === true) this.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  /** Options for one request, with a signal of its own. */
  options(): { signal: AbortSignal } {
    const child = new AbortController();
    if (this.#aborted) child.abort(this.#reason);
    else this.#children.push(child);
    return { signal: child.signal };
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    for (const child of this.#children) child.abort(reason);
    this.#children.length = 0;
  }

  dispose(): void {
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
    this.#children.length = 0;
  }
}

/** Marks a promise as handled (it is awaited later, or abandoned when the call fails). */
function quiet<Result>(promise: Promise<Result>): Promise<Result> {
  promise.catch(() => undefined);
  return promise;
}

interface RangeKey {
  key: string;
  range: TimeRange;
}

interface RangeRows<Dates extends WireDate> {
  key: string;
  /** Per player id. */
  byPlayer: Map<number, MemberGains<Dates>>;
}

/**
 * Fetches a group's details, every member's current stats in all metrics, and every member's
 * gains in all metrics over each requested range, with the fewest requests the server allows.
 *
 * - On servers with the bulk endpoints (since 2026-07): `GET /groups/:id`, one
 *   `GET /groups/:id/bulk-hiscores` and one `GET /groups/:id/bulk-gained` per range, all at once.
 *   Details, stats and four periods take 6 requests.
 * - On older servers, which answer the bulk endpoints with 404 `ENDPOINT_NOT_FOUND`: the details,
 *   then `hiscores` and `gained` once per metric (113 each), with an explicit `limit` so no
 *   server truncates the lists. Details, stats and four periods take 1 + 113 × 5 = 566 requests
 *   (567 the first time, with the probe that found the bulk endpoints missing).
 *
 * What the probe finds is remembered per client, so later calls go straight to the right path
 * (a server with `bulk-hiscores` but without `bulk-gained` gets bulk stats and per-metric gains).
 * Per-metric requests start only once the details confirm that the group exists. Requests run
 * concurrently and are paced by the client's rate-limit scheduler; if one fails, the others are
 * cancelled and the promise rejects with that error.
 *
 * @example
 * ```ts
 * const stats = await fetchGroupStats(wom, 11114, { periods: ['week', 'month'] });
 * for (const member of stats.members) {
 *   console.log(member.player.displayName, member.stats?.overall.value, member.gains.week?.metrics.overall.gained);
 * }
 * ```
 */
export function fetchGroupStats<Dates extends WireDate = Date>(
  client: WomClient<Dates>,
  groupId: number,
  options: FetchGroupStatsOptions & { details: false },
): Promise<GroupStats<Dates, false>>;
export function fetchGroupStats<Dates extends WireDate = Date>(
  client: WomClient<Dates>,
  groupId: number,
  options?: FetchGroupStatsOptions & { details?: true | undefined },
): Promise<GroupStats<Dates>>;
export async function fetchGroupStats<Dates extends WireDate = Date>(
  client: WomClient<Dates>,
  groupId: number,
  options: FetchGroupStatsOptions = {},
): Promise<GroupStats<Dates, boolean>> {
  const ranges = normalizeRanges(options.periods ?? []);
  const requestsBefore = client.requestCount;
  const scope = new CallScope(options.signal);
  try {
    const support = bulkSupportOf(client);
    const detailsTask =
      options.details === false
        ? undefined
        : quiet(client.groups.getDetails(groupId, scope.options()));
    let stats: Map<number, MemberStats<Dates>> | undefined;
    let gains: Array<RangeRows<Dates>> | undefined;

    if (support.hiscores !== false) {
      // Known to work: everything at once. Unknown: probe with bulk-hiscores first, so that an
      // old server costs one wasted request rather than one per range.
      const hiscoresTask = client.groups.getBulkHiscores(groupId, scope.options());
      let gainsTasks =
        support.hiscores === true && support.gained === true
          ? ranges.map((range) => quiet(bulkGains(client, groupId, range, scope)))
          : undefined;
      try {
        stats = statsFromBulk(await hiscoresTask);
        support.hiscores = true;
      } catch (error) {
        if (!isEndpointNotFound(error)) throw error;
        // Both bulk endpoints arrived in the same server release: assume neither is there.
        support.hiscores = false;
        support.gained = false;
      }
      if (stats !== undefined && support.gained !== false) {
        gainsTasks ??= ranges.map((range) => bulkGains(client, groupId, range, scope));
        try {
          gains = await Promise.all(gainsTasks);
          if (ranges.length > 0) support.gained = true;
        } catch (error) {
          if (!isEndpointNotFound(error)) throw error;
          support.gained = false;
        }
      }
    }
    const usedBulkEndpoints = stats !== undefined && gains !== undefined;
    // Per-metric requests only once the group is known to exist: a wrong id must not cost 113
    // requests per range. The details say so; without them, the first hiscores list does.
    const group = detailsTask === undefined ? null : await detailsTask;
    const firstList =
      stats === undefined && group === null
        ? await client.groups.getHiscores(groupId, METRICS[0], scope.options())
        : undefined;
    const [memberStats, memberGains] = await Promise.all([
      stats ?? statsFromMetrics(client, groupId, scope, firstList),
      gains ?? Promise.all(ranges.map((range) => gainsFromMetrics(client, groupId, range, scope))),
    ]);
    return {
      group,
      members:
        group === null
          ? [...memberStats.values()].map((entry) => playerEntry(entry, memberGains))
          : group.memberships.map((membership) =>
              memberEntry(membership, memberStats, memberGains),
            ),
      ranges,
      requests: client.requestCount - requestsBefore,
      usedBulkEndpoints,
    };
  } catch (error) {
    // Cancel whatever is still queued or in flight for this call.
    scope.abort(error);
    throw error;
  } finally {
    scope.dispose();
  }
}

interface MemberStats<Dates extends WireDate> {
  player: Player<Dates>;
  values: MetricValues;
  snapshot: Snapshot<Dates> | null;
}

function gainsOf<Dates extends WireDate>(
  playerId: number,
  gains: Array<RangeRows<Dates>>,
): PlayerStats<Dates>['gains'] {
  const memberGains: PlayerStats<Dates>['gains'] = {};
  for (const { key, byPlayer } of gains) {
    const rangeGains = byPlayer.get(playerId);
    if (rangeGains !== undefined) memberGains[key] = rangeGains;
  }
  return memberGains;
}

function memberEntry<Dates extends WireDate>(
  membership: GroupMembership<Dates>,
  stats: Map<number, MemberStats<Dates>>,
  gains: Array<RangeRows<Dates>>,
): GroupMemberStats<Dates> {
  const memberStats = stats.get(membership.playerId);
  return {
    ...membership,
    stats: memberStats?.values ?? null,
    snapshot: memberStats?.snapshot ?? null,
    gains: gainsOf(membership.playerId, gains),
  };
}

function playerEntry<Dates extends WireDate>(
  { player, values, snapshot }: MemberStats<Dates>,
  gains: Array<RangeRows<Dates>>,
): PlayerStats<Dates> {
  return { player, stats: values, snapshot, gains: gainsOf(player.id, gains) };
}

function statsFromBulk<Dates extends WireDate>(
  rows: Array<BulkHiscoresEntry<Dates>>,
): Map<number, MemberStats<Dates>> {
  return new Map(
    rows.map((row) => [
      row.player.id,
      { player: row.player, values: valuesFromSnapshot(row.data), snapshot: row.data },
    ]),
  );
}

async function bulkGains<Dates extends WireDate>(
  client: WomClient<Dates>,
  groupId: number,
  { key, range }: RangeKey,
  scope: CallScope,
): Promise<RangeRows<Dates>> {
  const rows = await client.groups.getBulkGains(groupId, range, scope.options());
  const byPlayer = new Map<number, MemberGains<Dates>>();
  for (const row of rows) {
    byPlayer.set(row.player.id, {
      startDate: row.startDate,
      endDate: row.endDate,
      metrics: deltasFromBulk(row.data),
    });
  }
  return { key, byPlayer };
}

async function statsFromMetrics<Dates extends WireDate>(
  client: WomClient<Dates>,
  groupId: number,
  scope: CallScope,
  firstList: Array<GroupHiscoresEntry<Dates>> | undefined,
): Promise<Map<number, MemberStats<Dates>>> {
  const lists = await Promise.all(
    METRICS.map(async (metric, index) => {
      if (index === 0 && firstList !== undefined) return { metric, rows: firstList };
      const rows: Array<GroupHiscoresEntry<Dates>> = await client.groups.getHiscores(
        groupId,
        metric,
        scope.options(),
      );
      return { metric, rows };
    }),
  );
  const members = new Map<
    number,
    { player: Player<Dates>; values: Record<string, MetricValue<string>> }
  >();
  for (const { metric, rows } of lists) {
    for (const row of rows) {
      let member = members.get(row.player.id);
      if (member === undefined) {
        member = { player: row.player, values: {} };
        members.set(row.player.id, member);
      }
      member.values[metric] = valueFromHiscores(metric, row.data);
    }
  }
  const stats = new Map<number, MemberStats<Dates>>();
  for (const [playerId, { player, values }] of members) {
    for (const metric of METRICS) values[metric] ??= unrankedValue(metric);
    stats.set(playerId, { player, values: values as MetricValues, snapshot: null });
  }
  return stats;
}

async function gainsFromMetrics<Dates extends WireDate>(
  client: WomClient<Dates>,
  groupId: number,
  { key, range }: RangeKey,
  scope: CallScope,
): Promise<RangeRows<Dates>> {
  const lists = await Promise.all(
    METRICS.map(async (metric) => {
      const rows: Array<GroupGainsEntry<Dates>> = await client.groups.getGains(
        groupId,
        { ...range, metric },
        scope.options(),
      );
      return { metric, rows };
    }),
  );
  const byPlayer = new Map<
    number,
    { startDate: Dates; endDate: Dates; metrics: Record<string, MetricDelta> }
  >();
  for (const { metric, rows } of lists) {
    for (const row of rows) {
      let memberGains = byPlayer.get(row.player.id);
      if (memberGains === undefined) {
        memberGains = { startDate: row.startDate, endDate: row.endDate, metrics: {} };
        byPlayer.set(row.player.id, memberGains);
      }
      memberGains.metrics[metric] = row.data;
    }
  }
  const result = new Map<number, MemberGains<Dates>>();
  for (const [playerId, { startDate, endDate, metrics }] of byPlayer) {
    for (const metric of METRICS) metrics[metric] ??= { gained: 0, start: -1, end: -1 };
    result.set(playerId, { startDate, endDate, metrics: metrics as MetricDeltas });
  }
  return { key, byPlayer: result };
}
