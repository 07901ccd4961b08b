import { PERIOD_DURATIONS as TESTKIT_PERIODS } from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, isWomClientError, type GroupHiscoresEntry, type Metric } from './index.js';
import {
  collect,
  currentMembers,
  lastRequest,
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

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world.server.close();
});

const WEEK = 604_800_000;

describe('groups.getDetails', () => {
  it('returns the group with every current membership, dates parsed', async () => {
    const { wom, clan, groupId } = world;
    const details = await wom.groups.getDetails(groupId);
    expect(details.id).toBe(groupId);
    expect(details.name).toBe(clan.group.name);
    expect(details.memberCount).toBe(currentMembers(clan).length);
    expect(details.createdAt).toBeInstanceOf(Date);
    expect(details.createdAt.toISOString()).toBe(clan.group.createdAt);
    expect(details.socialLinks).toEqual(clan.group.socialLinks);
    expect(details.roleOrders.map(({ role, index }) => ({ role, index }))).toEqual(
      clan.group.roleOrders.map(({ role, index }) => ({ role, index })),
    );
    const expected = new Map(currentMembers(clan).map((member) => [member.player.id, member]));
    expect(details.memberships).toHaveLength(expected.size);
    for (const membership of details.memberships) {
      const member = expected.get(membership.playerId);
      expect(member, `member ${membership.playerId}`).toBeDefined();
      expect(membership.role).toBe(member?.membership.role);
      expect(membership.player.username).toBe(member?.player.username);
      expect(membership.createdAt.toISOString()).toBe(member?.membership.createdAt);
      expect(membership.player.updatedAt?.toISOString() ?? null).toBe(member?.player.updatedAt);
    }
    expect(lastRequest(world.server).path).toBe(`/v2/groups/${groupId}`);
  });

  it('rejects with a WomClientError for an unknown group', async () => {
    // The server answers this one with a legacy body: 404 UNEXPECTED_ERROR "Group not found.".
    const error = await rejectionOf(world.wom.groups.getDetails(99_999_999));
    expect(isWomClientError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, method: 'GET', code: 'GROUP_NOT_FOUND' });
    expect((error as Error).message).toContain('GROUP_NOT_FOUND: Group not found.');
    expect((error as Error).cause).toMatchObject({ code: 'UNEXPECTED_ERROR', status: 404 });
    // Coded answers pass through unchanged.
    const coded = await rejectionOf(world.wom.groups.getHiscores(99_999_999, 'attack'));
    expect(coded).toMatchObject({ status: 404, code: 'GROUP_NOT_FOUND' });
    expect((coded as Error).cause).toBeUndefined();
    const csv = await rejectionOf(world.wom.groups.getMembersCsv(99_999_999));
    expect(csv).toMatchObject({ status: 404, code: 'GROUP_NOT_FOUND' });
  });

  it('checks the id before sending anything', async () => {
    const before = world.server.requests.length;
    for (const id of [0, -3, 1.5, Number.NaN]) {
      await expect(world.wom.groups.getDetails(id)).rejects.toThrow(TypeError);
    }
    expect(world.server.requests).toHaveLength(before);
  });
});

describe('groups.getHiscores', () => {
  it('returns every tracked member, best first, with an explicit limit', async () => {
    const { wom, clan, groupId, server } = world;
    const entries = await wom.groups.getHiscores(groupId, 'overall');
    const tracked = trackedMembers(clan);
    expect(entries).toHaveLength(tracked.length);
    for (const entry of entries) {
      const member = tracked.find((candidate) => candidate.player.id === entry.player.id);
      if (member === undefined) throw new Error(`unexpected player ${entry.player.id}`);
      const stats = statsOf(member);
      expect(entry.data).toEqual({
        type: 'skill',
        rank: rankOf(stats, 'overall'),
        level: levelOf(stats, 'overall'),
        experience: valueOf(stats, 'overall'),
      });
    }
    const levels = entries.map((entry) => entry.data.level);
    expect(levels).toEqual([...levels].sort((left, right) => right - left));
    expect(lastRequest(server).query.get('metric')).toBe('overall');
    expect(lastRequest(server).query.get('limit')).toBe('100000');
  });

  it('returns entries typed by the metric', async () => {
    const { wom, clan, groupId } = world;
    const bosses: Array<GroupHiscoresEntry<Date, { type: 'boss'; rank: number; kills: number }>> =
      await wom.groups.getHiscores(groupId, 'zulrah');
    for (const entry of bosses) {
      const member = trackedMembers(clan).find(
        (candidate) => candidate.player.id === entry.player.id,
      );
      if (member === undefined) throw new Error('unknown member');
      expect(entry.data.type).toBe('boss');
      expect(entry.data.kills).toBe(valueOf(statsOf(member), 'zulrah'));
    }
    const kills = bosses.map((entry) => entry.data.kills);
    expect(kills).toEqual([...kills].sort((left, right) => right - left));
  });

  it('passes a given limit and offset', async () => {
    await world.wom.groups.getHiscores(world.groupId, 'ehp', { limit: 5, offset: 2 });
    const { query } = lastRequest(world.server);
    expect([query.get('limit'), query.get('offset')]).toEqual(['5', '2']);
  });
});

describe('groups.getBulkHiscores', () => {
  it('returns every tracked member with a full snapshot', async () => {
    const { wom, clan, groupId } = world;
    const rows = await wom.groups.getBulkHiscores(groupId);
    const tracked = trackedMembers(clan);
    expect(rows.map((row) => row.player.id).sort()).toEqual(
      tracked.map((member) => member.player.id).sort(),
    );
    for (const row of rows) {
      const member = tracked.find((candidate) => candidate.player.id === row.player.id);
      if (member === undefined) throw new Error('unknown member');
      const stats = statsOf(member);
      expect(row.data).toMatchObject({ id: -1 });
      expect(row.data.playerId).toBe(member.player.id);
      expect(row.data.createdAt).toBeInstanceOf(Date);
      expect(row.data.createdAt.getTime()).toBe(member.history.times.at(-1));
      expect(row.data.data.skills.overall.experience).toBe(valueOf(stats, 'overall'));
      expect(row.data.data.bosses.zulrah.kills).toBe(valueOf(stats, 'zulrah'));
      expect(row.data.data.activities.clue_scrolls_all.score).toBe(
        valueOf(stats, 'clue_scrolls_all'),
      );
      expect(row.data.data.computed.ehp.value).toBe(valueOf(stats, 'ehp'));
      const keys = [
        ...Object.keys(row.data.data.skills),
        ...Object.keys(row.data.data.bosses),
        ...Object.keys(row.data.data.activities),
        ...Object.keys(row.data.data.computed),
      ];
      expect(keys.sort()).toEqual([...METRICS].sort());
    }
  });
});

describe('groups.getGains', () => {
  it('ranks members by one metric over a period', async () => {
    const { wom, clan, groupId, now, server } = world;
    const entries = await wom.groups.getGains(groupId, { metric: 'overall', period: 'week' });
    const expected = trackedMembers(clan).flatMap((member) => {
      const rows = rowsWithin(member, now - WEEK, Number.POSITIVE_INFINITY);
      if (rows === undefined) return [];
      const start = valueOf(statsOf(member, rows.first), 'overall');
      const end = valueOf(statsOf(member, rows.last), 'overall');
      return [{ id: member.player.id, start, end, first: member.history.times[rows.first] }];
    });
    expect(entries).toHaveLength(expected.length);
    for (const entry of entries) {
      const row = expected.find((candidate) => candidate.id === entry.player.id);
      expect(row, `player ${entry.player.id}`).toBeDefined();
      expect(entry.data.start).toBe(row?.start);
      expect(entry.data.end).toBe(row?.end);
      expect(entry.startDate.getTime()).toBe(row?.first);
      expect(entry.endDate).toBeInstanceOf(Date);
    }
    const gained = entries.map((entry) => entry.data.gained);
    expect(gained).toEqual([...gained].sort((left, right) => right - left));
    const { query } = lastRequest(server);
    expect(Object.fromEntries(query)).toEqual({
      metric: 'overall',
      period: 'week',
      limit: '100000',
    });
  });

  it('sends a date range as ISO-8601', async () => {
    const { wom, groupId, now, server } = world;
    const startDate = new Date(now - 30 * 86_400_000);
    const endDate = new Date(now - 10 * 86_400_000);
    const entries = await wom.groups.getGains(groupId, { metric: 'zulrah', startDate, endDate });
    for (const entry of entries) {
      expect(entry.startDate.getTime()).toBeGreaterThanOrEqual(startDate.getTime());
      expect(entry.endDate.getTime()).toBeLessThanOrEqual(endDate.getTime());
    }
    const { query } = lastRequest(server);
    expect(query.get('startDate')).toBe(startDate.toISOString());
    expect(query.get('endDate')).toBe(endDate.toISOString());
    expect(query.get('period')).toBeNull();
  });

  it('accepts custom period expressions', async () => {
    const entries = await world.wom.groups.getGains(world.groupId, {
      metric: 'ehb',
      period: '2w3d',
    });
    expect(entries.length).toBeGreaterThan(0);
    expect(lastRequest(world.server).query.get('period')).toBe('2w3d');
  });

  it('rejects an invalid range with the server code', async () => {
    const { wom, groupId, now } = world;
    const error = await rejectionOf(
      wom.groups.getGains(groupId, {
        metric: 'overall',
        startDate: new Date(now),
        endDate: new Date(now - 1),
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_DATE_RANGE', status: 400 });
  });
});

describe('groups.getBulkGains', () => {
  it('returns every metric for every member, consistent with per-metric gains', async () => {
    const { wom, groupId } = world;
    const rows = await wom.groups.getBulkGains(groupId, { period: 'month' });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.data.map((gain) => gain.metric)).toEqual([...METRICS]);
      expect(row.startDate).toBeInstanceOf(Date);
    }
    for (const metric of ['overall', 'zulrah', 'clue_scrolls_all', 'ehp'] satisfies Metric[]) {
      const single = await wom.groups.getGains(groupId, { metric, period: 'month' });
      expect(single).toHaveLength(rows.length);
      for (const entry of single) {
        const row = rows.find((candidate) => candidate.player.id === entry.player.id);
        expect(row?.data.find((gain) => gain.metric === metric)).toEqual({ metric, ...entry.data });
      }
    }
  });

  it('takes a date range', async () => {
    const { wom, groupId, now, server } = world;
    const startDate = new Date(now - TESTKIT_PERIODS.month);
    const rows = await wom.groups.getBulkGains(groupId, { startDate, endDate: new Date(now) });
    expect(rows.length).toBeGreaterThan(0);
    expect(lastRequest(server).query.get('startDate')).toBe(startDate.toISOString());
  });
});

describe('groups activity, achievements, name changes and records', () => {
  it('pages and iterates the member activity', async () => {
    const { wom, clan, groupId, server } = world;
    const all = clan.activity.filter((event) => event.groupId === groupId);
    const expected = [...all].sort((left, right) => right.createdAt.localeCompare(left.createdAt));
    const page = await wom.groups.getActivity(groupId, { limit: 7, offset: 3 });
    expect(page.map((event) => event.createdAt.toISOString())).toEqual(
      expected.slice(3, 10).map((event) => event.createdAt),
    );
    const before = requestsTo(server, 'GET /groups/:id/activity').length;
    const events = await collect(wom.groups.iterateActivity(groupId, { pageSize: 10 }));
    expect(events).toHaveLength(expected.length);
    expect(events.map((event) => [event.playerId, event.type, event.role])).toEqual(
      expected.map((event) => [event.playerId, event.type, event.role]),
    );
    const pages = requestsTo(server, 'GET /groups/:id/activity').slice(before);
    expect(pages).toHaveLength(Math.floor(expected.length / 10) + 1);
    expect(pages.map((request) => request.query.get('offset'))).toEqual(
      pages.map((_, index) => String(index * 10)),
    );
    expect(pages.every((request) => request.query.get('limit') === '10')).toBe(true);
  });

  it('pages and iterates the achievements of current members', async () => {
    const { wom, clan, groupId } = world;
    const memberIds = new Set(currentMembers(clan).map((member) => member.player.id));
    const expected = clan.achievements.filter((achievement) => memberIds.has(achievement.playerId));
    const first = await wom.groups.getAchievements(groupId);
    expect(first).toHaveLength(Math.min(20, expected.length));
    const all = await collect(wom.groups.iterateAchievements(groupId));
    expect(all).toHaveLength(expected.length);
    expect(all.map((achievement) => `${achievement.playerId}:${achievement.name}`).sort()).toEqual(
      expected.map((achievement) => `${achievement.playerId}:${achievement.name}`).sort(),
    );
    for (const achievement of all) {
      expect(achievement.player.id).toBe(achievement.playerId);
      expect(achievement.createdAt).toBeInstanceOf(Date);
    }
    expect(lastRequest(world.server).query.get('limit')).toBe('50');
  });

  it('pages and iterates the approved name changes of current members', async () => {
    const { wom, clan, groupId } = world;
    const memberIds = new Set(currentMembers(clan).map((member) => member.player.id));
    const expected = clan.nameChanges.filter(
      (change) => change.status === 'approved' && memberIds.has(change.playerId),
    );
    const changes = await collect(wom.groups.iterateNameChanges(groupId, { pageSize: 3 }));
    expect(changes.map((change) => change.id).sort()).toEqual(
      expected.map((change) => change.id).sort(),
    );
    const page = await wom.groups.getNameChanges(groupId, { limit: 2 });
    expect(page).toEqual(changes.slice(0, 2));
  });

  it('pages and iterates the records of one metric and period', async () => {
    const { wom, clan, groupId, server } = world;
    const page = await wom.groups.getRecords(groupId, { metric: 'overall', period: 'week' });
    const all = await collect(
      wom.groups.iterateRecords(groupId, { metric: 'overall', period: 'week' }, { pageSize: 4 }),
    );
    expect(page).toEqual(all.slice(0, 20));
    const memberIds = new Set(currentMembers(clan).map((member) => member.player.id));
    expect(all.length).toBeGreaterThan(0);
    for (const record of all) {
      expect(memberIds.has(record.playerId)).toBe(true);
      expect(record).toMatchObject({ metric: 'overall', period: 'week' });
      expect(record.updatedAt).toBeInstanceOf(Date);
    }
    const values = all.map((record) => record.value);
    expect(values).toEqual([...values].sort((left, right) => right - left));
    expect(Object.fromEntries(lastRequest(server).query)).toMatchObject({
      metric: 'overall',
      period: 'week',
      limit: '4',
    });
  });

  it('stops iterating when the caller breaks out', async () => {
    const { wom, groupId, server } = world;
    const before = server.requests.length;
    let seen = 0;
    for await (const event of wom.groups.iterateActivity(groupId, { pageSize: 5 })) {
      expect(event.groupId).toBe(groupId);
      if (++seen === 6) break;
    }
    expect(server.requests.length - before).toBe(2);
  });

  it('rejects an invalid page size', async () => {
    await expect(
      collect(world.wom.groups.iterateActivity(world.groupId, { pageSize: 51 })),
    ).rejects.toThrow(TypeError);
    await expect(world.wom.groups.getActivity(world.groupId, { limit: 0 })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('groups competitions, statistics and CSV', () => {
  it('returns every competition with its group', async () => {
    const { wom, clan, groupId } = world;
    const competitions = await wom.groups.getCompetitions(groupId);
    expect(competitions.map((competition) => competition.id).sort()).toEqual(
      clan.competitions.map((competition) => competition.id).sort(),
    );
    for (const competition of competitions) {
      const source = clan.competitions.find((candidate) => candidate.id === competition.id);
      expect(competition.startsAt.toISOString()).toBe(source?.startsAt);
      expect(competition.endsAt.toISOString()).toBe(source?.endsAt);
      expect(competition.group.id).toBe(groupId);
      expect(competition.metrics[0]?.metric).toBe(source?.metric);
    }
  });

  it('returns statistics with the leader of every metric', async () => {
    const { wom, clan, groupId } = world;
    const statistics = await wom.groups.getStatistics(groupId);
    expect(statistics.averageStats).toMatchObject({ id: -1, playerId: -1, importedAt: null });
    expect(statistics.averageStats.createdAt).toBeInstanceOf(Date);
    const tracked = trackedMembers(clan);
    for (const metric of ['overall', 'zulrah', 'ehp'] satisfies Metric[]) {
      const best = Math.max(...tracked.map((member) => valueOf(statsOf(member), metric)));
      const leader =
        metric === 'overall'
          ? statistics.metricLeaders.skills.overall
          : metric === 'zulrah'
            ? statistics.metricLeaders.bosses.zulrah
            : statistics.metricLeaders.computed.ehp;
      const leaderMember = tracked.find((member) => member.player.id === leader.player?.id);
      if (leaderMember === undefined) throw new Error(`no leader for ${metric}`);
      expect(valueOf(statsOf(leaderMember), metric)).toBe(best);
    }
    const maxed = tracked.filter((member) => statsOf(member).combatLevel >= 126).length;
    expect(statistics.maxedCombatCount).toBe(maxed);
  });

  it('returns the members CSV as text', async () => {
    const { wom, clan, groupId } = world;
    const csv = await wom.groups.getMembersCsv(groupId);
    const [header, ...rows] = csv.split('\n');
    expect(header).toBe(
      'Player,Role,Experience,Last progressed,Last updated,Joined at (Client Sync)',
    );
    expect(rows.map((row) => row.split(',')[0]).sort()).toEqual(
      currentMembers(clan)
        .map((member) => member.player.displayName)
        .sort(),
    );
  });
});

describe('groups.updateAll', () => {
  it('rejects a wrong verification code with the server code', async () => {
    const error = await rejectionOf(world.wom.groups.updateAll(world.groupId, '000-000-000'));
    expect(error).toMatchObject({
      code: 'INCORRECT_VERIFICATION_CODE',
      status: 403,
      method: 'POST',
    });
  });

  it('queues the outdated members, sending the code in the body', async () => {
    const { wom, clan, groupId, now, server } = world;
    const outdated = currentMembers(clan).filter((member) => {
      const updatedAt = member.player.updatedAt;
      return updatedAt === null || Date.parse(updatedAt) < now - (24 * 60 - 30) * 60_000;
    });
    const result = await wom.groups.updateAll(groupId, clan.group.verificationCode);
    expect(result.count).toBe(outdated.length);
    expect(result.message).toContain(String(outdated.length));
    expect(lastRequest(server).body).toEqual({ verificationCode: clan.group.verificationCode });
    const again = await rejectionOf(wom.groups.updateAll(groupId, clan.group.verificationCode));
    expect(again).toMatchObject({ code: 'NO_OUTDATED_MEMBERS', status: 400 });
  });

  it('checks the code before sending', async () => {
    await expect(world.wom.groups.updateAll(world.groupId, ' ')).rejects.toThrow(TypeError);
  });
});
