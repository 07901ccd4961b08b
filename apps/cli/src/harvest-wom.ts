/**
 * The Wise Old Man half of `clanstats harvest`: optionally asks WOM to update every member
 * (update-all), then reads the group, its roster, every member's latest snapshot and WOM's own
 * gains over the report windows with the fewest requests (`fetchGroupStats`: bulk endpoints,
 * falling back on old servers), then the group activity feed and name changes, each paged only to
 * what the store already has. Everything is keyed by WOM player id, so a renamed member keeps one
 * history and their old names stay searchable as aliases. It never prints: it reports through
 * `onProgress` and its return value.
 */
import type { Store, WindowGainRecord } from '@clanstats/store';
import {
  WomClient,
  WomClientError,
  fetchGroupStats,
  getMetricType,
  isWomClientError,
  type GroupMemberActivity,
  type GroupMemberStats,
  type GroupNameChange,
  type MetricType,
  type RateLimitOptions,
  type RetryOptions,
  type Snapshot,
} from '@clanstats/wom-client';
import type { SnapshotData, SnapshotRecord } from '@clanstats/store';
import { USER_AGENT } from './reachability.js';

/** The report windows, in days, whose gains are fetched from WOM on every harvest. */
export const WOM_WINDOW_DAYS = [7, 30, 90, 365] as const;

const DAY_MS = 86_400_000;
/** Rows per page of the activity and name-change feeds (the API's maximum). */
const PAGE_SIZE = 50;

/** Progress of {@link harvestWom}: the current phase and how far it is. */
export interface WomHarvestProgress {
  /**
   * `update-all`: asking WOM to update every member; `waiting`: giving WOM time to do it (`done`
   * and `total` in milliseconds); `group`: reading the group, roster, stats and gains;
   * `activity` and `name-changes`: reading the feeds (pages); `stats`: storing it all in one
   * transaction (members); `done`.
   */
  phase: 'update-all' | 'waiting' | 'group' | 'stats' | 'activity' | 'name-changes' | 'done';
  done: number;
  total: number;
}

/** Options of {@link harvestWom}. */
export interface HarvestWomOptions {
  /** A migrated store. */
  store: Store;
  /** `WOM_GROUP_ID`. */
  groupId: number;
  /** `WOM_BASE_URL`, e.g. `https://api.wiseoldman.net/v2`. */
  baseUrl: string;
  /** `WOM_API_KEY`. Sent only as the `x-api-key` header; never in the result or errors. */
  apiKey?: string | undefined;
  /**
   * `WOM_GROUP_SECRET`, the group's verification code. When set, the harvest first asks WOM to
   * update every outdated member (`POST /groups/:id/update-all`). Never in the result or errors.
   */
  groupSecret?: string | undefined;
  /**
   * How long to give WOM after a successful update-all before reading, in milliseconds. `0`
   * reads at once. Abortable through `signal`.
   * @defaultValue `60_000`
   */
  updateWaitMs?: number;
  /** The end of the report windows (epoch ms): gains are fetched for 7, 30, 90 and 365 days before it. */
  asOf: number;
  /** The run record that problems are added to; without it they are only returned. */
  runId?: number;
  /** Stops the harvest; nothing from WOM is written unless every read finished first. */
  signal?: AbortSignal;
  /** The time limit of each request attempt, in milliseconds. */
  timeoutMs?: number;
  /**
   * The User-Agent sent to WOM.
   * @defaultValue `clanstats/<version> (+https://github.com/clanstats/clanstats)`
   */
  userAgent?: string;
  /** Called when a phase starts and as it advances. */
  onProgress?: (progress: WomHarvestProgress) => void;
  /**
   * The WOM client's rate limiter and retry policy, for tests and unusual servers.
   * @defaultValue the client's: WOM's limits (20 or, with a key, 100 requests a minute), 3 retries
   */
  client?: { rateLimit?: RateLimitOptions | false; retry?: RetryOptions | number | false };
}

/** A problem that did not stop the harvest (a member WOM never tracked, a failed update-all). */
export interface WomHarvestProblem {
  /** What it is about: a WOM player id, or `null` for the whole group. */
  scope: string | null;
  /** `WOM_UPDATE_ALL_FAILED`, `WOM_NOT_TRACKED` or `WOM_PLAYER_NOT_UPDATABLE`. */
  code: string;
  /** What happened and what to do, in one or two sentences. */
  message: string;
}

/** What {@link harvestWom} did. */
export interface WomHarvestSummary {
  /** HTTP requests sent (retries included). */
  requests: number;
  /** HTTP 429 responses received. */
  rateLimited: number;
  /** The whole harvest, the wait after update-all included, in milliseconds. */
  durationMs: number;
  /** The group as WOM describes it. */
  group: { id: number; name: string; memberCount: number };
  /** Current members. */
  members: number;
  /** Player ids whose membership period opened in this run (every member on the first run). */
  joined: number[];
  /** Player ids no longer in the group: their membership period was closed, never deleted. */
  left: number[];
  /** Player ids whose role changed. */
  roleChanged: number[];
  /** Snapshots stored in this run (a snapshot already stored is not counted). */
  snapshots: number;
  /** Rows written to `wom_window_gains` (one per member, window and metric). */
  windowGains: number;
  /** New events of the group activity feed. */
  activityEvents: number;
  /** Name changes stored or updated. */
  nameChanges: number;
  /**
   * `requested`: whether update-all was sent (`groupSecret` set); `updatedPlayers`: how many
   * members WOM queued (0 when all were fresh; `null` if not requested or failed); `problem`: why
   * it failed.
   */
  updateAll: { requested: boolean; updatedPlayers: number | null; problem: string | null };
  /** Whether the stats and gains came from WOM's bulk endpoints (false on old servers). */
  usedBulkEndpoints: boolean;
  /** Problems that did not stop the run, also added to the run record when `runId` is set. */
  problems: WomHarvestProblem[];
}

type Member = GroupMemberStats;

function abortedError(signal: AbortSignal, method: 'GET' | 'POST', url: string): WomClientError {
  return new WomClientError('ABORTED', `Request aborted: ${method} ${url}`, {
    method,
    url,
    attempts: 0,
    cause: signal.reason,
  });
}

/** Waits `ms`, rejecting at once with `error()` when `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined, error: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(error());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(error());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why update-all failed and what to do, in words (never with the code itself). */
function describeUpdateAllFailure(error: unknown, groupId: number): string {
  const tail = 'The harvest went on with the stats WOM already had.';
  if (!isWomClientError(error)) {
    return `Asking Wise Old Man to update group ${groupId} failed (${error instanceof Error ? error.name : 'unknown error'}). ${tail}`;
  }
  const status = error.status === undefined ? error.code : `HTTP ${error.status}`;
  switch (error.code) {
    case 'INCORRECT_VERIFICATION_CODE':
    case 'MISSING_VERIFICATION_CODE':
      return `Wise Old Man rejected WOM_GROUP_SECRET for group ${groupId} (${status} ${error.code}): set it to the group's verification code (XXX-XXX-XXX, given when the group was created; the WOM team can reset it on their Discord), or unset it to skip update-all. ${tail}`;
    case 'RATE_LIMITED':
      return `Wise Old Man rate-limited update-all for group ${groupId} (${status}): try again in a minute, or set WOM_API_KEY for a higher limit. ${tail}`;
    case 'TIMEOUT':
    case 'NETWORK_ERROR':
      return `Wise Old Man did not answer update-all for group ${groupId} (${error.code}): WOM may be busy; the next run asks again. ${tail}`;
    default:
      return `Wise Old Man refused update-all for group ${groupId} (${status} ${error.code}); the next run asks again. ${tail}`;
  }
}

/** Why WOM cannot update a player, for statuses other than `active`; `undefined` for active ones. */
function describePlayerStatus(member: Member): string | undefined {
  const { player } = member;
  const who = `${player.displayName} (WOM player ${player.id})`;
  switch (player.status) {
    case 'active':
      return undefined;
    case 'unranked':
      return `${who} is not on the OSRS hiscores, so Wise Old Man cannot update them: their stats stay as last seen until they are ranked (or their hiscores are no longer hidden).`;
    case 'flagged':
      return `${who} is flagged on Wise Old Man (suspicious gains or a rollback), so it does not update them: ask the WOM team on their Discord to review the account.`;
    case 'archived':
      return `${who} is archived on Wise Old Man (their name now belongs to another account): if they renamed, submit the name change on wiseoldman.net.`;
    case 'banned':
      return `${who} is banned by Jagex, so Wise Old Man no longer updates them: consider removing them from the group.`;
    default:
      return `${who} has status "${String(player.status)}" on Wise Old Man and may not be updated.`;
  }
}

const CATEGORY_KEYS = {
  skills: 'skill',
  bosses: 'boss',
  activities: 'activity',
  computed: 'computed',
} as const satisfies Record<keyof SnapshotData, MetricType>;

/** The category of every metric a snapshot holds, for metrics this client version doesn't know. */
function categoriesOf(snapshot: Snapshot | null): Map<string, MetricType> {
  const categories = new Map<string, MetricType>();
  if (snapshot === null) return categories;
  for (const [key, category] of Object.entries(CATEGORY_KEYS)) {
    const metrics = snapshot.data[key as keyof typeof CATEGORY_KEYS] as object | undefined;
    for (const metric of Object.keys(metrics ?? {})) categories.set(metric, category);
  }
  return categories;
}

/**
 * The member's snapshot to store: WOM's own (current servers) or, on old servers, one built from
 * the per-metric hiscores and dated at the player's last update. `undefined` when WOM has none.
 */
function snapshotOf(member: Member, runId: number | null): SnapshotRecord | undefined {
  if (member.snapshot !== null) {
    return {
      playerId: member.player.id,
      takenAt: member.snapshot.createdAt,
      importedAt: member.snapshot.importedAt,
      runId,
      data: member.snapshot.data,
    };
  }
  if (member.stats === null || member.player.updatedAt === null) return undefined;
  const data: Required<SnapshotData> = { skills: {}, bosses: {}, activities: {}, computed: {} };
  for (const entry of Object.values(member.stats)) {
    if (entry === undefined) continue;
    const { metric, value, rank, level } = entry;
    switch (getMetricType(metric)) {
      case 'skill':
        data.skills[metric] = { experience: value, rank, ...(level === null ? {} : { level }) };
        break;
      case 'boss':
        data.bosses[metric] = { kills: value, rank };
        break;
      case 'activity':
        data.activities[metric] = { score: value, rank };
        break;
      case 'computed':
        data.computed[metric] = { value, rank };
        break;
      case undefined:
        break;
    }
  }
  return { playerId: member.player.id, takenAt: member.player.updatedAt, runId, data };
}

/**
 * Harvests the Wise Old Man group into the store. Reads everything first (stats, gains, the new
 * pages of the activity feed and of the name changes), then writes it all in ONE transaction, so
 * a failure or a kill anywhere leaves the store as it was and the next run reads the same pages
 * again. It writes, in this order: the group, every member's player record (and name as an alias), the membership periods
 * (leavers are closed, never deleted; a returning member opens a new period; role changes are
 * kept), one snapshot per member, WOM's gains per member over the {@link WOM_WINDOW_DAYS}
 * windows ending at `asOf`, the new activity-feed events and the new or changed name changes
 * (approved ones add the old name as an alias). A member WOM never tracked, or cannot update, is
 * a problem of the run; they stay in the roster.
 *
 * A failed update-all is a problem too, and the harvest goes on without the wait.
 * @throws `WomClientError` for a fatal WOM problem (`GROUP_NOT_FOUND`, `INVALID_API_KEY`,
 * `NETWORK_ERROR`, `TIMEOUT`, `RATE_LIMITED`, `ABORTED`…); `StoreError` when a write fails.
 * Neither contains the API key or the group secret.
 */
export async function harvestWom(options: HarvestWomOptions): Promise<WomHarvestSummary> {
  const { store, groupId, signal, onProgress, asOf } = options;
  const runId = options.runId ?? null;
  const started = performance.now();
  const groupUrl = `${options.baseUrl.replace(/\/+$/, '')}/groups/${groupId}`;
  let requests = 0;
  let rateLimited = 0;
  const client = new WomClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    userAgent: options.userAgent ?? USER_AGENT,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.client?.rateLimit === undefined ? {} : { rateLimit: options.client.rateLimit }),
    ...(options.client?.retry === undefined ? {} : { retry: options.client.retry }),
    onEvent: (event) => {
      if (event.type === 'request') requests += 1;
      else if (event.type === 'rateLimited') rateLimited += 1;
    },
  });
  const secrets = [options.apiKey, options.groupSecret].filter(
    (secret): secret is string => secret !== undefined && secret !== '',
  );
  const redact = (text: string): string =>
    secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
  const problems: WomHarvestProblem[] = [];
  const addProblem = (scope: string | null, code: string, message: string): void => {
    const problem = { scope, code, message: redact(message) };
    problems.push(problem);
    if (runId !== null) store.runs.addProblem(runId, { source: 'wom', ...problem });
  };
  const progress = (phase: WomHarvestProgress['phase'], done: number, total: number): void => {
    onProgress?.({ phase, done, total });
  };
  const checkAborted = (method: 'GET' | 'POST', url: string): void => {
    if (signal?.aborted === true) throw abortedError(signal, method, url);
  };
  const callOptions = signal === undefined ? {} : { signal };

  // 1. Ask WOM to update every outdated member, then give it time.
  const updateAll: WomHarvestSummary['updateAll'] = {
    requested: false,
    updatedPlayers: null,
    problem: null,
  };
  if (options.groupSecret !== undefined && options.groupSecret !== '') {
    checkAborted('POST', `${groupUrl}/update-all`);
    updateAll.requested = true;
    progress('update-all', 0, 1);
    try {
      updateAll.updatedPlayers = (
        await client.groups.updateAll(groupId, options.groupSecret, callOptions)
      ).count;
    } catch (error) {
      const code = isWomClientError(error) ? error.code : undefined;
      if (code === 'NO_OUTDATED_MEMBERS') {
        updateAll.updatedPlayers = 0;
      } else if (
        code === 'ABORTED' ||
        code === 'GROUP_NOT_FOUND' ||
        code === 'INVALID_API_KEY' ||
        !isWomClientError(error)
      ) {
        throw error;
      } else {
        updateAll.problem = redact(describeUpdateAllFailure(error, groupId));
        addProblem(null, 'WOM_UPDATE_ALL_FAILED', updateAll.problem);
      }
    }
    progress('update-all', 1, 1);
    const waitMs = options.updateWaitMs ?? 60_000;
    if ((updateAll.updatedPlayers ?? 0) > 0 && waitMs > 0) {
      const abortWait = (): Error =>
        abortedError(signal as AbortSignal, 'POST', `${groupUrl}/update-all`);
      for (let waited = 0; waited < waitMs;) {
        progress('waiting', waited, waitMs);
        const step = Math.min(1000, waitMs - waited);
        await wait(step, signal, abortWait);
        waited += step;
      }
      progress('waiting', waitMs, waitMs);
    }
  }

  // 2. The group, roster, latest stats and window gains, in the fewest requests.
  checkAborted('GET', groupUrl);
  progress('group', 0, 1);
  const ranges = WOM_WINDOW_DAYS.map((days) => ({
    days,
    startDate: new Date(asOf - days * DAY_MS),
    endDate: new Date(asOf),
  }));
  const stats = await fetchGroupStats(client, groupId, {
    periods: ranges.map(({ startDate, endDate }) => ({ startDate, endDate })),
    ...callOptions,
  });
  progress('group', 1, 1);
  const { group, members } = stats;
  const rangeKeys = stats.ranges.map(({ key }, index) => ({
    key,
    ...(ranges[index] as (typeof ranges)[number]),
  }));

  // 3. The activity feed, newest first, paged until it reaches what the store has.
  const latestActivity = store.wom.latestActivityAt(groupId);
  const activity: GroupMemberActivity[] = [];
  for (let page = 0; ; page += 1) {
    checkAborted('GET', `${groupUrl}/activity`);
    progress('activity', page, page + 1);
    const events = await client.groups.getActivity(groupId, {
      limit: PAGE_SIZE,
      offset: page * PAGE_SIZE,
      ...callOptions,
    });
    activity.push(...events);
    const oldest = events.at(-1)?.createdAt.getTime();
    const reachedStored =
      latestActivity !== null && oldest !== undefined && oldest <= latestActivity;
    if (events.length < PAGE_SIZE || reachedStored) {
      progress('activity', page + 1, page + 1);
      break;
    }
  }

  // 4. Name changes, newest first, until a page holds only changes stored as they are. The
  //    first page is always read, so a change whose status moved is seen.
  const nameChangePages: GroupNameChange[] = [];
  for (let page = 0; ; page += 1) {
    checkAborted('GET', `${groupUrl}/name-changes`);
    progress('name-changes', page, page + 1);
    const changes: GroupNameChange[] = await client.groups.getNameChanges(groupId, {
      limit: PAGE_SIZE,
      offset: page * PAGE_SIZE,
      ...callOptions,
    });
    nameChangePages.push(...changes);
    const stored = store.wom.nameChangeStatuses(changes.map((change) => change.id));
    const allKnown = changes.every((change) => stored.get(change.id) === change.status);
    if (changes.length < PAGE_SIZE || allKnown) {
      progress('name-changes', page + 1, page + 1);
      break;
    }
  }

  // 5. Everything read: write it in one transaction, so a harvest that fails or is killed at
  //    any point before leaves the store as it was (the feeds are paged against what is stored,
  //    so a half-written feed would hide its older pages from the next run).
  checkAborted('GET', groupUrl);
  const fetchedAt = Date.now();
  progress('stats', 0, members.length);
  const written = store.transaction(() => {
    const stored = writeStats(store, { groupId, group, members, rangeKeys, runId, fetchedAt });
    for (const problem of stored.problems) addProblem(...problem);
    return {
      ...stored,
      activityEvents: writeActivity(store, activity, fetchedAt),
      nameChanges: writeNameChanges(store, nameChangePages, fetchedAt),
    };
  });
  const { membership, snapshots, windowGains, activityEvents, nameChanges } = written;
  progress('stats', members.length, members.length);

  progress('done', 1, 1);
  return {
    requests,
    rateLimited,
    durationMs: Math.round(performance.now() - started),
    group: { id: group.id, name: group.name, memberCount: group.memberCount },
    members: members.length,
    joined: membership.joined,
    left: membership.left,
    roleChanged: membership.roleChanged,
    snapshots,
    windowGains,
    activityEvents,
    nameChanges,
    updateAll,
    usedBulkEndpoints: stats.usedBulkEndpoints,
    problems,
  };
}

interface RangeKey {
  key: string;
  days: number;
  startDate: Date;
  endDate: Date;
}
type ProblemArgs = [scope: string | null, code: string, message: string];

/**
 * Writes the group, its players, the membership periods, one snapshot per tracked member and the
 * window gains. Returns the problems found (members WOM never tracked or cannot update).
 */
function writeStats(
  store: Store,
  input: {
    groupId: number;
    group: Parameters<Store['wom']['upsertGroup']>[0];
    members: readonly Member[];
    rangeKeys: readonly RangeKey[];
    runId: number | null;
    fetchedAt: number;
  },
): {
  membership: ReturnType<Store['wom']['syncMemberships']>;
  snapshots: number;
  windowGains: number;
  problems: ProblemArgs[];
} {
  const { groupId, group, members, rangeKeys, runId, fetchedAt } = input;
  const problems: ProblemArgs[] = [];
  store.wom.upsertGroup(group, fetchedAt);
  store.wom.upsertPlayers(
    members.map((member) => member.player),
    fetchedAt,
  );
  const membership = store.wom.syncMemberships(
    groupId,
    members.map((member) => ({
      playerId: member.playerId,
      role: member.role,
      joinedAt: member.createdAt,
    })),
    fetchedAt,
  );

  const snapshotRecords: SnapshotRecord[] = [];
  for (const member of members) {
    const snapshot = snapshotOf(member, runId);
    if (snapshot === undefined) {
      problems.push([
        String(member.player.id),
        'WOM_NOT_TRACKED',
        `${member.player.displayName} (WOM player ${member.player.id}) has never been updated on Wise Old Man, so there are no stats for them: update them on wiseoldman.net (search the name, then Update), or set WOM_GROUP_SECRET so each harvest asks WOM to update every member. They stay in the roster.`,
      ]);
    } else {
      snapshotRecords.push(snapshot);
      const status = describePlayerStatus(member);
      if (status !== undefined) {
        problems.push([String(member.player.id), 'WOM_PLAYER_NOT_UPDATABLE', status]);
      }
    }
  }
  const snapshots = store.wom.insertSnapshots(snapshotRecords);

  const gainRows: WindowGainRecord[] = [];
  const pairs: Array<{ playerId: number; windowDays: number }> = [];
  for (const member of members) {
    const categories = categoriesOf(member.snapshot);
    for (const { key, days, startDate, endDate } of rangeKeys) {
      pairs.push({ playerId: member.player.id, windowDays: days });
      const gains = member.gains[key];
      if (gains === undefined) continue;
      for (const [metric, delta] of Object.entries(gains.metrics)) {
        if (delta === undefined) continue;
        const category = getMetricType(metric) ?? categories.get(metric);
        if (category === undefined) continue;
        gainRows.push({
          playerId: member.player.id,
          windowDays: days,
          metric,
          category,
          rangeStart: startDate,
          rangeEnd: endDate,
          startAt: gains.startDate,
          endAt: gains.endDate,
          startValue: delta.start,
          endValue: delta.end,
          gained: delta.gained,
        });
      }
    }
  }
  // Leavers' gains are no longer current: clear them with the members' own.
  for (const playerId of membership.left) {
    for (const days of WOM_WINDOW_DAYS) pairs.push({ playerId, windowDays: days });
  }
  const windowGains = store.wom.replaceWindowGains(gainRows, runId, { pairs });
  return { membership, snapshots, windowGains, problems };
}

/** Stores the players the feed rows carry (WOM sends `player: null` for a deleted one). */
function upsertPlayersOf(
  store: Store,
  rows: ReadonlyArray<{ player: GroupNameChange['player'] | null }>,
  fetchedAt: number,
): void {
  const players = rows.flatMap((row) => (row.player === null ? [] : [row.player]));
  if (players.length > 0) store.wom.upsertPlayers(dedupeById(players), fetchedAt);
}

/** Writes the new activity-feed events (and their players); returns how many were new. */
function writeActivity(
  store: Store,
  events: readonly GroupMemberActivity[],
  fetchedAt: number,
): number {
  // Former members too: their names are worth keeping for identity links.
  upsertPlayersOf(store, events, fetchedAt);
  return store.wom.insertGroupActivity(
    events.map((event) => ({
      groupId: event.groupId,
      playerId: event.playerId,
      type: event.type,
      role: event.role,
      previousRole: event.previousRole,
      createdAt: event.createdAt,
    })),
  );
}

/** Writes the new or changed name changes (and their players); returns how many. */
function writeNameChanges(
  store: Store,
  changes: readonly GroupNameChange[],
  fetchedAt: number,
): number {
  // The name change references its player: store them first (a member who joined since).
  upsertPlayersOf(store, changes, fetchedAt);
  return store.wom.upsertNameChanges(
    changes.map((change) => ({
      id: change.id,
      playerId: change.playerId,
      oldName: change.oldName,
      newName: change.newName,
      status: change.status,
      resolvedAt: change.resolvedAt,
      createdAt: change.createdAt,
      updatedAt: change.updatedAt,
    })),
  );
}

function dedupeById<Row extends { id: number }>(rows: readonly Row[]): Row[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}
