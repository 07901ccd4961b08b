import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { METRICS, WomClient, fetchGroupStats, isWomClientError, type GroupStats } from './index.js';
import {
  currentMembers,
  levelOf,
  rankOf,
  rejectionOf,
  requestsTo,
  rowsWithin,
  startWorld,
  statsOf,
  trackedMembers,
  valueOf,
  type TestWorld,
} from './test-helpers.js';

const DAY = 86_400_000;
// Small, as every per-metric fallback sends 113 requests or more; this seed still has former
// members, a current member without snapshots and members without gains in a window (checked).
const CLAN = { seed: 1, members: 10, days: 90 };

let current: TestWorld;
let legacy: TestWorld;

beforeAll(async () => {
  current = await startWorld(CLAN);
  legacy = await startWorld(CLAN, { legacy: true });
});

afterAll(async () => {
  await Promise.all([current.server.close(), legacy.server.close()]);
});

function periodsOf(world: TestWorld) {
  const startDate = new Date(world.now - 40 * DAY);
  const endDate = new Date(world.now - 10 * DAY);
  return {
    periods: ['week', 'month', 'year', { startDate, endDate }] as const,
    dateKey: `${startDate.toISOString()}/${endDate.toISOString()}`,
    startDate,
    endDate,
  };
}

function routeCounts(world: TestWorld): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of world.server.requests) {
    const route = request.route ?? request.path;
    counts[route] = (counts[route] ?? 0) + 1;
  }
  return counts;
}

/** Checks a result against the generator's data. */
function expectMatchesClan(world: TestWorld, stats: GroupStats): void {
  const { clan, now } = world;
  const { dateKey, startDate, endDate } = periodsOf(world);
  expect(stats.group.id).toBe(clan.group.id);
  expect(stats.members).toHaveLength(currentMembers(clan).length);
  expect(stats.members.map((member) => member.playerId)).toEqual(
    stats.group.memberships.map((membership) => membership.playerId),
  );
  expect(stats.ranges.map((range) => range.key)).toEqual(['week', 'month', 'year', dateKey]);
  const tracked = new Set(trackedMembers(clan).map((member) => member.player.id));
  let untracked = 0;
  let withoutGains = 0;
  for (const entry of stats.members) {
    const member = clan.members.find((candidate) => candidate.player.id === entry.playerId);
    if (member === undefined) throw new Error(`unknown member ${entry.playerId}`);
    expect(entry.role).toBe(member.membership.role);
    expect(entry.player.username).toBe(member.player.username);
    if (!tracked.has(entry.playerId)) {
      untracked++;
      expect(entry.stats).toBeNull();
      expect(entry.gains).toEqual({});
      continue;
    }
    const latest = statsOf(member);
    for (const metric of [
      'overall',
      'attack',
      'sailing',
      'zulrah',
      'clue_scrolls_all',
      'ehp',
    ] as const) {
      expect(entry.stats?.[metric]).toEqual({
        metric,
        value: valueOf(latest, metric),
        rank: rankOf(latest, metric),
        level:
          metric === 'overall' || metric === 'attack' || metric === 'sailing'
            ? levelOf(latest, metric)
            : null,
      });
    }
    expect(Object.keys(entry.stats ?? {}).sort()).toEqual([...METRICS].sort());

    const windows = [
      ['week', now - 604_800_000, Number.POSITIVE_INFINITY],
      ['month', now - 2_678_400_000, Number.POSITIVE_INFINITY],
      [dateKey, startDate.getTime(), endDate.getTime()],
    ] as const;
    for (const [key, from, to] of windows) {
      const rows = rowsWithin(member, from, to);
      const gains = entry.gains[key];
      if (rows === undefined) {
        withoutGains++;
        expect(gains, `${member.player.username} ${key}`).toBeUndefined();
        continue;
      }
      expect(gains?.startDate).toEqual(new Date(member.history.times[rows.first] ?? 0));
      expect(gains?.endDate).toEqual(new Date(member.history.times[rows.last] ?? 0));
      const start = valueOf(statsOf(member, rows.first), 'overall');
      const end = valueOf(statsOf(member, rows.last), 'overall');
      expect(gains?.metrics.overall).toEqual({ gained: end - start, start, end });
      expect(Object.keys(gains?.metrics ?? {}).sort()).toEqual([...METRICS].sort());
    }
  }
  // The clan has every case told apart above, and former members left out of the result.
  expect(untracked).toBeGreaterThan(0);
  expect(withoutGains).toBeGreaterThan(0);
  expect(clan.members.length).toBeGreaterThan(stats.members.length);
}

describe('fetchGroupStats on a server with bulk endpoints', () => {
  let first: GroupStats;

  it('takes one request for details, one for stats and one per range', async () => {
    const { wom, server, groupId } = current;
    first = await fetchGroupStats(wom, groupId, { periods: periodsOf(current).periods });
    expect(first.usedBulkEndpoints).toBe(true);
    expect(first.requests).toBe(6);
    expect(server.requests).toHaveLength(6);
    expect(routeCounts(current)).toEqual({
      'GET /groups/:id': 1,
      'GET /groups/:id/bulk-hiscores': 1,
      'GET /groups/:id/bulk-gained': 4,
    });
    const dateRequest = requestsTo(server, 'GET /groups/:id/bulk-gained').find((request) =>
      request.query.has('startDate'),
    );
    expect(dateRequest?.query.get('startDate')).toBe(periodsOf(current).startDate.toISOString());
  });

  it('matches the generated clan', () => {
    expectMatchesClan(current, first);
    const withSnapshot = first.members.filter((member) => member.snapshot !== null);
    expect(withSnapshot).toHaveLength(trackedMembers(current.clan).length);
    for (const member of withSnapshot) {
      expect(member.snapshot).toMatchObject({ id: -1 });
      expect(member.snapshot?.playerId).toBe(member.playerId);
    }
  });

  it('does the same on a second call, requests all at once', async () => {
    const { wom, server, groupId } = current;
    server.stats.reset();
    const again = await fetchGroupStats(wom, groupId, { periods: periodsOf(current).periods });
    expect(again.requests).toBe(6);
    expect(again).toEqual({ ...first, requests: 6 });
  });

  it('fetches only details and stats without periods, and fetches duplicates once', async () => {
    const { wom, groupId } = current;
    const bare = await fetchGroupStats(wom, groupId);
    expect(bare.requests).toBe(2);
    expect(bare.ranges).toEqual([]);
    const duplicated = await fetchGroupStats(wom, groupId, { periods: ['week', 'week'] });
    expect(duplicated.requests).toBe(3);
  });

  it('rejects an unknown group with the server error', async () => {
    const error = await rejectionOf(
      fetchGroupStats(current.wom, 99_999_999, { periods: ['week'] }),
    );
    expect(isWomClientError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404 });
  });

  it('falls back for gains only on a server with bulk-hiscores but not bulk-gained', async () => {
    const { server, groupId } = current;
    server.injectFault({
      kind: 'status',
      status: 404,
      path: `/groups/${groupId}/bulk-gained`,
      body: JSON.stringify({ code: 'ENDPOINT_NOT_FOUND', message: 'Endpoint not found' }),
      times: Number.POSITIVE_INFINITY,
    });
    try {
      const wom = new WomClient({ baseUrl: server.url, rateLimit: false });
      const first = await fetchGroupStats(wom, groupId, { periods: ['week'] });
      expect(first.requests).toBe(1 + 1 + 1 + 113);
      expect(first.usedBulkEndpoints).toBe(false);
      expect(first.members.some((member) => member.snapshot !== null)).toBe(true);
      expect(first.members.some((member) => member.gains.week !== undefined)).toBe(true);
      const second = await fetchGroupStats(wom, groupId, { periods: ['week'] });
      expect(second.requests).toBe(1 + 1 + 113);
      expect(second).toEqual({ ...first, requests: second.requests });
    } finally {
      server.faults.clear();
    }
  });

  it('keeps dates as strings for a parseDates: false client', async () => {
    const wom = new WomClient({ baseUrl: current.server.url, rateLimit: false, parseDates: false });
    const stats = await fetchGroupStats(wom, current.groupId, { periods: ['week'] });
    const member = stats.members.find((entry) => entry.gains.week !== undefined);
    expect(typeof member?.gains.week?.startDate).toBe('string');
    expect(typeof stats.group.createdAt).toBe('string');
    expect(member?.snapshot?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('fetchGroupStats on an older server without bulk endpoints', () => {
  let fallback: GroupStats;

  it('falls back to per-metric requests with an explicit limit', async () => {
    const { wom, server, groupId } = legacy;
    fallback = await fetchGroupStats(wom, groupId, { periods: periodsOf(legacy).periods });
    expect(fallback.usedBulkEndpoints).toBe(false);
    // details + the bulk-hiscores probe (404) + 113 hiscores + 113 × 4 gained
    expect(fallback.requests).toBe(1 + 1 + 113 * 5);
    expect(server.requests).toHaveLength(567);
    expect(routeCounts(legacy)).toEqual({
      'GET /groups/:id': 1,
      [`/v2/groups/${groupId}/bulk-hiscores`]: 1,
      'GET /groups/:id/hiscores': 113,
      'GET /groups/:id/gained': 452,
    });
    const perMetric = [
      ...requestsTo(server, 'GET /groups/:id/hiscores'),
      ...requestsTo(server, 'GET /groups/:id/gained'),
    ];
    expect(perMetric.every((request) => request.query.get('limit') === '100000')).toBe(true);
    expect(new Set(perMetric.map((request) => request.query.get('metric')))).toEqual(
      new Set(METRICS),
    );
  });

  it('matches the generated clan and the bulk result', async () => {
    expectMatchesClan(legacy, fallback);
    const bulk = await fetchGroupStats(current.wom, current.groupId, {
      periods: periodsOf(current).periods,
    });
    expect(fallback.members.map(({ snapshot: _snapshot, ...member }) => member)).toEqual(
      bulk.members.map(({ snapshot: _snapshot, ...member }) => member),
    );
    expect(fallback.members.every((member) => member.snapshot === null)).toBe(true);
  });

  it('sends no per-metric requests for an unknown group', async () => {
    const { server } = legacy;
    server.stats.reset();
    const wom = new WomClient({ baseUrl: server.url, rateLimit: false });
    const error = await rejectionOf(fetchGroupStats(wom, 99_999_999, { periods: ['week'] }));
    expect(error).toMatchObject({ status: 404 });
    expect(server.requests.map((request) => request.route ?? request.path).sort()).toEqual(
      ['GET /groups/:id', '/v2/groups/99999999/bulk-hiscores'].sort(),
    );
  });

  it('remembers that the server has no bulk endpoints', async () => {
    const { wom, server, groupId } = legacy;
    server.stats.reset();
    const again = await fetchGroupStats(wom, groupId, { periods: ['week', 'month'] });
    expect(again.requests).toBe(1 + 113 * 3);
    expect(server.requests.some((request) => request.path.endsWith('/bulk-hiscores'))).toBe(false);
    // A new client learns it again.
    const fresh = new WomClient({ baseUrl: server.url, rateLimit: false });
    expect((await fetchGroupStats(fresh, groupId)).requests).toBe(1 + 1 + 113);
  });

  // These clients pace to 40 requests a minute, so most requests are still queued when the
  // call fails or is aborted; none of those may be sent.
  const paced = { points: 40, windowMs: 60_000 };

  it('cancels the remaining requests when one fails', async () => {
    const { server, groupId } = legacy;
    server.stats.reset();
    const wom = new WomClient({ baseUrl: server.url, rateLimit: paced });
    server.injectFault({
      kind: 'status',
      // A failure that is not retried (a 500 or 5xx would be).
      status: 400,
      path: `/groups/${groupId}/hiscores`,
      skip: 5,
    });
    const started = Date.now();
    const error = await rejectionOf(fetchGroupStats(wom, groupId, { periods: ['week', 'month'] }));
    expect(error).toMatchObject({ status: 400 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(wom.requestCount).toBeLessThanOrEqual(40);
    // Requests already on the wire may still reach a busy server: wait until every request the
    // client sent has arrived, then make sure nothing more comes.
    for (let waited = 0; server.requests.length < wom.requestCount && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests.length).toBe(wom.requestCount);
    const sent = wom.requestCount;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wom.requestCount).toBe(sent);
    expect(server.requests.length).toBe(sent);
    expect(sent).toBeLessThanOrEqual(40);
  });

  it('stops when the caller aborts', async () => {
    const { server, groupId } = legacy;
    server.stats.reset();
    const controller = new AbortController();
    let sent = 0;
    const wom = new WomClient({
      baseUrl: server.url,
      rateLimit: paced,
      onEvent: (event) => {
        if (event.type === 'request' && ++sent === 30) controller.abort(new Error('enough'));
      },
    });
    const error = await rejectionOf(
      fetchGroupStats(wom, groupId, { periods: ['week'], signal: controller.signal }),
    );
    expect(error).toMatchObject({ code: 'ABORTED' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wom.requestCount).toBeLessThanOrEqual(40);
    expect(server.requests.length).toBeLessThanOrEqual(wom.requestCount);
    const already = await rejectionOf(
      fetchGroupStats(wom, groupId, { signal: AbortSignal.abort() }),
    );
    expect(already).toMatchObject({ code: 'ABORTED' });
  });
});

describe('fetchGroupStats without the details', () => {
  const periods = ['7d', '30d', '90d', '365d'] as const;

  it('costs one request per range plus one on a current server, and matches the full call', async () => {
    const { server, groupId } = current;
    server.stats.reset();
    const wom = new WomClient({ baseUrl: server.url, rateLimit: false });
    const lean = await fetchGroupStats(wom, groupId, { periods, details: false });
    expect(lean.requests).toBe(1 + periods.length);
    expect(server.requests.map((request) => request.path).sort()).toEqual(
      [
        `/v2/groups/${groupId}/bulk-hiscores`,
        ...periods.map(() => `/v2/groups/${groupId}/bulk-gained`),
      ].sort(),
    );
    expect(lean.group).toBeNull();
    const full = await fetchGroupStats(wom, groupId, { periods });
    const withStats = full.members.filter((member) => member.stats !== null);
    expect(lean.members.map((member) => member.player.id).sort()).toEqual(
      withStats.map((member) => member.playerId).sort(),
    );
    for (const member of lean.members) {
      const same = full.members.find((candidate) => candidate.playerId === member.player.id);
      expect(member).toEqual({
        player: same?.player,
        stats: same?.stats,
        snapshot: same?.snapshot,
        gains: same?.gains,
      });
    }
  });

  it('costs at most 1 + 113 × 5 requests on an older server, probe included', async () => {
    const { server, groupId } = legacy;
    server.stats.reset();
    const wom = new WomClient({ baseUrl: server.url, rateLimit: false });
    const lean = await fetchGroupStats(wom, groupId, { periods, details: false });
    expect(lean.requests).toBe(1 + 113 * 5);
    expect(server.requests).toHaveLength(1 + 113 * 5);
    expect(lean.usedBulkEndpoints).toBe(false);
    const bulk = await fetchGroupStats(current.wom, current.groupId, { periods, details: false });
    const withoutSnapshot = (stats: typeof lean) =>
      stats.members
        .map(({ snapshot: _snapshot, ...member }) => member)
        .sort((a, b) => a.player.id - b.player.id);
    expect(withoutSnapshot(lean)).toEqual(withoutSnapshot(bulk));
  });

  it('sends one hiscores request, not 113 per range, for an unknown group on an older server', async () => {
    const { server } = legacy;
    server.stats.reset();
    const wom = new WomClient({ baseUrl: server.url, rateLimit: false });
    const error = await rejectionOf(
      fetchGroupStats(wom, 99_999_999, { periods: ['week'], details: false }),
    );
    expect(error).toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(2);
  });

  it('is typed without membership fields', () => {
    type Lean = Awaited<ReturnType<typeof fetchGroupStats<Date>>>;
    expectTypeOf<GroupStats<Date, false>['group']>().toEqualTypeOf<null>();
    expectTypeOf<GroupStats<Date, false>['members'][number]>().not.toHaveProperty('role');
    expectTypeOf<Lean['members'][number]>().toHaveProperty('role');
  });
});
