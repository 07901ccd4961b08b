/**
 * Test helpers: a fake Wise Old Man server over real HTTP, a client pointed at it, and the
 * expected values computed independently from the synthetic clan. Not part of the package.
 */
import {
  SNAPSHOT_METRICS,
  computeSnapshotStats,
  createSyntheticClan,
  firstRowAtOrAfter,
  historyLength,
  historyRow,
  lastRowAtOrBefore,
  startFakeWomServer,
  type FakeWomRequest,
  type FakeWomServer,
  type FakeWomServerOptions,
  type SnapshotStats,
  type SyntheticClan,
  type SyntheticClanOptions,
  type SyntheticMember,
} from '@clanstats/testkit';
import { WomClient, type Metric, type WomClientOptions } from './index.js';

/** A fake server and a client for it. */
export interface TestWorld {
  clan: SyntheticClan;
  server: FakeWomServer;
  wom: WomClient;
  groupId: number;
  /** The clan's (and the frozen server clock's) "now", in epoch milliseconds. */
  now: number;
}

/**
 * Starts a fake server for a seeded clan, with its clock frozen at the clan's `now` so that
 * period windows match the expectations computed here, and a client without client-side pacing.
 */
export async function startWorld(
  clanOptions: SyntheticClanOptions = {},
  serverOptions: Omit<FakeWomServerOptions, 'clan'> = {},
  clientOptions: Omit<WomClientOptions, 'parseDates'> = {},
): Promise<TestWorld> {
  const clan = createSyntheticClan({ seed: 7, members: 40, days: 120, ...clanOptions });
  const now = Date.parse(clan.now);
  const server = await startFakeWomServer({
    clan,
    rateLimit: false,
    now: () => new Date(now),
    ...serverOptions,
  });
  const wom = new WomClient({
    baseUrl: server.url,
    rateLimit: false,
    userAgent: 'clanstats-tests',
    ...clientOptions,
  });
  return { clan, server, wom, groupId: clan.group.id, now };
}

/** The clan's current members, in join order. */
export function currentMembers(clan: SyntheticClan): SyntheticMember[] {
  return clan.members.filter((member) => member.membership.leftAt === null);
}

/** Current members that have at least one snapshot. */
export function trackedMembers(clan: SyntheticClan): SyntheticMember[] {
  return currentMembers(clan).filter((member) => historyLength(member.history) > 0);
}

/** The stats of a member's snapshot `row` (default: the latest). */
export function statsOf(
  member: SyntheticMember,
  row = historyLength(member.history) - 1,
): SnapshotStats {
  return computeSnapshotStats(historyRow(member.history, row), member.player.type);
}

/** A metric's value (experience, kills, score or computed value) in some stats. */
export function valueOf(stats: SnapshotStats, metric: Metric): number {
  return stats.values[SNAPSHOT_METRICS.indexOf(metric)] ?? Number.NaN;
}

/** A metric's rank in some stats. */
export function rankOf(stats: SnapshotStats, metric: Metric): number {
  return stats.ranks[SNAPSHOT_METRICS.indexOf(metric)] ?? Number.NaN;
}

/** A skill's level (total level for overall) in some stats. */
export function levelOf(stats: SnapshotStats, metric: Metric): number {
  return stats.levels[SNAPSHOT_METRICS.indexOf(metric)] ?? Number.NaN;
}

/**
 * The snapshot rows a gains query compares for a member: the first at or after `start`, and the
 * last at or before `end`; `undefined` when there is none.
 */
export function rowsWithin(
  member: SyntheticMember,
  start: number,
  end: number,
): { first: number; last: number } | undefined {
  const first = firstRowAtOrAfter(member.history, start);
  const last = lastRowAtOrBefore(member.history, end);
  return first <= last ? { first, last } : undefined;
}

/** The requests the server received for a route, e.g. `GET /groups/:id/hiscores`. */
export function requestsTo(server: FakeWomServer, route: string): FakeWomRequest[] {
  return server.requests.filter((request) => request.route === route);
}

/** The last request the server received. */
export function lastRequest(server: FakeWomServer): FakeWomRequest {
  const request = server.requests.at(-1);
  if (request === undefined) throw new Error('the server received no request');
  return request;
}

/** Collects an async iterable. */
export async function collect<Item>(iterable: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Resolves the promise's rejection, failing if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
