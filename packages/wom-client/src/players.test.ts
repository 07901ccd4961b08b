import type { SyntheticMember } from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWomClientError } from './index.js';
import {
  collect,
  currentMembers,
  lastRequest,
  rejectionOf,
  requestsTo,
  rowsWithin,
  startWorld,
  statsOf,
  trackedMembers,
  valueOf,
  type TestWorld,
} from './test-helpers.js';

let world: TestWorld;
/** A tracked member whose name has a space (read-only tests). */
let member: SyntheticMember;
/** Another tracked member, for updates. */
let updated: SyntheticMember;

const DAY = 86_400_000;

beforeAll(async () => {
  world = await startWorld();
  const tracked = trackedMembers(world.clan).filter(
    (candidate) => candidate.history.times.length > 40,
  );
  const spaced = tracked.find((candidate) => candidate.player.displayName.includes(' '));
  if (spaced === undefined) throw new Error('the clan has no tracked member with a space');
  member = spaced;
  const other = tracked.find(
    (candidate) => candidate !== member && candidate.player.updatedAt !== null,
  );
  if (other === undefined) throw new Error('the clan has too few tracked members');
  updated = other;
});

afterAll(async () => {
  await world.server.close();
});

describe('players.getDetails', () => {
  it('returns the player with their latest snapshot, the name URL-encoded', async () => {
    const { wom, server } = world;
    const details = await wom.players.getDetails(member.player.displayName);
    expect(details.id).toBe(member.player.id);
    expect(details.username).toBe(member.player.username);
    expect(details.displayName).toBe(member.player.displayName);
    expect(details.registeredAt.toISOString()).toBe(member.player.registeredAt);
    const stats = statsOf(member);
    expect(details.exp).toBe(Math.max(0, valueOf(stats, 'overall')));
    expect(details.combatLevel).toBe(stats.combatLevel);
    expect(details.latestSnapshot).toMatchObject({ id: -1 });
    expect(details.latestSnapshot?.createdAt.getTime()).toBe(member.history.times.at(-1));
    expect(details.latestSnapshot?.data.skills.overall.experience).toBe(valueOf(stats, 'overall'));
    expect(Array.isArray(details.annotations)).toBe(true);
    expect(lastRequest(server).path).toBe(
      `/v2/players/${encodeURIComponent(member.player.displayName)}`,
    );
    expect(lastRequest(server).path).toContain('%20');
  });

  it('finds the same player by id and by a variant of the name', async () => {
    const { wom } = world;
    const byId = await wom.players.getDetailsById(member.player.id);
    expect(byId.username).toBe(member.player.username);
    const variant = member.player.username.toUpperCase().replaceAll(' ', '_');
    expect((await wom.players.getDetails(variant)).id).toBe(member.player.id);
    await expect(wom.players.getDetailsById(0)).rejects.toThrow(TypeError);
  });

  it('encodes characters that would change the path', async () => {
    const { wom, server } = world;
    const error = await rejectionOf(wom.players.getDetails('a/b?c#d'));
    expect(error).toMatchObject({ code: 'PLAYER_NOT_FOUND', status: 404 });
    expect(lastRequest(server)).toMatchObject({
      path: '/v2/players/a%2Fb%3Fc%23d',
      route: 'GET /players/:username',
    });
  });

  it('rejects a blank username before sending', async () => {
    const before = world.server.requests.length;
    await expect(world.wom.players.getDetails('  ')).rejects.toThrow(TypeError);
    await expect(world.wom.players.getGains('', { period: 'week' })).rejects.toThrow(TypeError);
    expect(world.server.requests).toHaveLength(before);
  });
});

describe('players snapshots', () => {
  it('pages snapshots newest first', async () => {
    const { wom, server } = world;
    const page = await wom.players.getSnapshots(member.player.username, undefined, {
      limit: 5,
      offset: 1,
    });
    const times = [...member.history.times].reverse();
    expect(page.map((snapshot) => snapshot.createdAt.getTime())).toEqual(times.slice(1, 6));
    const first = page[0];
    if (first === undefined) throw new Error('no snapshot');
    const row = member.history.times.length - 2;
    expect(first.data.skills.overall.experience).toBe(valueOf(statsOf(member, row), 'overall'));
    expect(Object.fromEntries(lastRequest(server).query)).toEqual({ limit: '5', offset: '1' });
  });

  it('iterates the whole history', async () => {
    const { wom, server } = world;
    const count = member.history.times.length;
    const before = requestsTo(server, 'GET /players/:username/snapshots').length;
    const all = await collect(
      wom.players.iterateSnapshots(member.player.username, undefined, { pageSize: 25 }),
    );
    expect(all).toHaveLength(count);
    expect(all.map((snapshot) => snapshot.createdAt.getTime())).toEqual(
      [...member.history.times].reverse(),
    );
    const pages = requestsTo(server, 'GET /players/:username/snapshots').slice(before);
    expect(pages).toHaveLength(Math.floor(count / 25) + 1);
    const defaults = await collect(wom.players.iterateSnapshots(member.player.username));
    expect(defaults).toHaveLength(count);
    expect(lastRequest(server).query.get('limit')).toBe('200');
  });

  it('filters snapshots by a date range sent as ISO-8601', async () => {
    const { wom, server, now } = world;
    const startDate = new Date(now - 20 * DAY);
    const endDate = new Date(now - 5 * DAY);
    const snapshots = await collect(
      wom.players.iterateSnapshots(member.player.username, { startDate, endDate }),
    );
    const rows = rowsWithin(member, startDate.getTime(), endDate.getTime());
    expect(snapshots).toHaveLength(rows === undefined ? 0 : rows.last - rows.first + 1);
    const { query } = lastRequest(server);
    expect(query.get('startDate')).toBe(startDate.toISOString());
    expect(query.get('endDate')).toBe(endDate.toISOString());
  });

  it('returns a metric timeline', async () => {
    const { wom, now } = world;
    const timeline = await wom.players.getSnapshotTimeline(member.player.username, 'overall', {
      period: 'month',
    });
    const rows = rowsWithin(member, now - 2_678_400_000, now);
    if (rows === undefined) throw new Error('no snapshots in the last month');
    expect(timeline).toHaveLength(rows.last - rows.first + 1);
    const newest = timeline[0];
    expect(newest?.date.getTime()).toBe(member.history.times[rows.last]);
    expect(newest?.value).toBe(valueOf(statsOf(member, rows.last), 'overall'));
    const whole = await wom.players.getSnapshotTimeline(member.player.username, 'zulrah');
    expect(whole).toHaveLength(member.history.times.length);
    expect(lastRequest(world.server).query.get('metric')).toBe('zulrah');
  });
});

describe('players.getGains', () => {
  it('returns every metric over a period with startsAt/endsAt', async () => {
    const { wom, now } = world;
    const gains = await wom.players.getGains(member.player.username, { period: 'week' });
    const rows = rowsWithin(member, now - 604_800_000, Number.POSITIVE_INFINITY);
    if (rows === undefined) throw new Error('no snapshots in the last week');
    expect(gains.startsAt?.getTime()).toBe(member.history.times[rows.first]);
    expect(gains.endsAt?.getTime()).toBe(member.history.times[rows.last]);
    const start = valueOf(statsOf(member, rows.first), 'overall');
    const end = valueOf(statsOf(member, rows.last), 'overall');
    expect(gains.data.skills.overall.experience).toEqual({ gained: end - start, start, end });
    expect(gains.data.bosses.zulrah.metric).toBe('zulrah');
    expect(Object.keys(gains.data.computed)).toEqual(['ehp', 'ehb']);
  });

  it('returns null dates and zeros when the range has no snapshots', async () => {
    const { wom, now } = world;
    const gains = await wom.players.getGains(member.player.username, {
      startDate: new Date(now - 3_000 * DAY),
      endDate: new Date(now - 2_999 * DAY),
    });
    expect(gains.startsAt).toBeNull();
    expect(gains.endsAt).toBeNull();
    expect(gains.data.skills.attack.experience.gained).toBe(0);
  });

  it('rejects an unknown player', async () => {
    const error = await rejectionOf(world.wom.players.getGains('no such name', { period: 'day' }));
    expect(isWomClientError(error) && error.status).toBe(404);
    expect(error).toMatchObject({ code: 'PLAYER_NOT_FOUND' });
  });
});

describe('players achievements, names, groups and records', () => {
  it('returns the achievements', async () => {
    const achievements = await world.wom.players.getAchievements(member.player.username);
    const expected = world.clan.achievements.filter(
      (achievement) => achievement.playerId === member.player.id,
    );
    expect(achievements.map((achievement) => achievement.name).sort()).toEqual(
      expected.map((achievement) => achievement.name).sort(),
    );
    for (const achievement of achievements) expect(achievement.createdAt).toBeInstanceOf(Date);
  });

  it('returns the approved names of a renamed member', async () => {
    const { wom, clan } = world;
    const renamed = clan.nameChanges.find(
      (change) =>
        change.status === 'approved' &&
        currentMembers(clan).some((candidate) => candidate.player.id === change.playerId),
    );
    if (renamed === undefined) throw new Error('the clan has no approved name change');
    const player = clan.members.find((candidate) => candidate.player.id === renamed.playerId);
    const names = await wom.players.getNames(player?.player.username ?? '');
    const expected = clan.nameChanges.filter(
      (change) => change.playerId === renamed.playerId && change.status === 'approved',
    );
    expect(names.map((change) => change.id).sort()).toEqual(
      expected.map((change) => change.id).sort(),
    );
    expect(names[0]?.resolvedAt).toBeInstanceOf(Date);
  });

  it('pages and iterates the groups', async () => {
    const { wom, groupId } = world;
    const memberships = await wom.players.getGroups(member.player.username);
    expect(memberships.map((membership) => membership.group.id)).toEqual([groupId]);
    expect(memberships[0]?.role).toBe(member.membership.role);
    const all = await collect(wom.players.iterateGroups(member.player.username, { pageSize: 1 }));
    expect(all).toEqual(memberships);
    expect(lastRequest(world.server).query.get('offset')).toBe('1');
  });

  it('returns the records, optionally filtered', async () => {
    const { wom, server } = world;
    const records = await wom.players.getRecords(member.player.username);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.playerId).toBe(member.player.id);
    const filtered = await wom.players.getRecords(member.player.username, {
      metric: 'overall',
      period: 'month',
    });
    expect(filtered).toEqual(
      records.filter((record) => record.metric === 'overall' && record.period === 'month'),
    );
    expect(Object.fromEntries(lastRequest(server).query)).toEqual({
      metric: 'overall',
      period: 'month',
    });
  });
});

describe('players.update', () => {
  it('updates a tracked player, then reports its cooldown', async () => {
    const { wom, server, now } = world;
    const details = await wom.players.update(updated.player.displayName);
    expect(details.id).toBe(updated.player.id);
    expect(details.updatedAt?.getTime()).toBe(now);
    expect(details.latestSnapshot?.createdAt.getTime()).toBe(now);
    expect(lastRequest(server)).toMatchObject({ method: 'POST', body: {}, status: 200 });
    const before = server.requests.length;
    const error = await rejectionOf(wom.players.update(updated.player.username));
    expect(error).toMatchObject({ code: 'PLAYER_IS_RATE_LIMITED', status: 429 });
    expect(isWomClientError(error) && error.retryAfter).toBe(60_000);
    expect(server.requests.length - before).toBe(1);
  });

  it('tracks a new player', async () => {
    const { wom } = world;
    const details = await wom.players.update('Brand New_1');
    expect(details.username).toBe('brand new 1');
    expect(details.displayName).toBe('Brand New_1');
    expect(details.latestSnapshot).not.toBeNull();
    expect((await wom.players.getDetails('brand new 1')).id).toBe(details.id);
  });

  it('rejects an impossible name with the server code and sub-error', async () => {
    const error = await rejectionOf(world.wom.players.update('much too long a name'));
    expect(error).toMatchObject({ code: 'INVALID_USERNAME', status: 400 });
    expect(isWomClientError(error) && error.subError).toEqual({ code: 'USERNAME_TOO_LONG' });
  });
});
