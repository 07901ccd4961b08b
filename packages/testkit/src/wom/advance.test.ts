import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_SKILL_EXPERIENCE,
  SKILLS,
  SKILL_EXPERIENCE_CAP,
  createSyntheticClan,
  fingerprintSyntheticClan,
  isTestkitError,
  startFakeWomServer,
} from '../index.js';
import type { FakeWomServer, FakeWomServerOptions, SyntheticClan } from '../index.js';

const DAY = 86_400_000;
const clan = createSyntheticClan({ seed: 11, members: 40 });
const fingerprint = fingerprintSyntheticClan(clan);
const groupId = clan.group.id;
const now = Date.parse(clan.now);

const servers: FakeWomServer[] = [];
async function start(options: FakeWomServerOptions = {}): Promise<FakeWomServer> {
  const server = await startFakeWomServer({ clan, rateLimit: false, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Snapshot {
  createdAt: string;
  data: {
    skills: Record<string, { experience: number; level: number }>;
    bosses: Record<string, { kills: number }>;
    activities: Record<string, { score: number }>;
    computed: Record<string, { value: number }>;
  };
}
interface Player {
  username: string;
  updatedAt: string | null;
  lastChangedAt: string | null;
}

async function get<Body>(server: FakeWomServer, path: string): Promise<Body> {
  const response = await fetch(`${server.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Body;
}

const members = (profiles: readonly string[]): SyntheticClan['members'] =>
  clan.members.filter(
    (member) => member.membership.leftAt === null && profiles.includes(member.profile),
  );

/** Every value of a snapshot, flattened, for monotonicity checks. */
function values(snapshot: Snapshot): Map<string, number> {
  const result = new Map<string, number>();
  for (const [name, skill] of Object.entries(snapshot.data.skills))
    result.set(name, skill.experience);
  for (const [name, boss] of Object.entries(snapshot.data.bosses)) result.set(name, boss.kills);
  for (const [name, activity] of Object.entries(snapshot.data.activities))
    result.set(name, activity.score);
  return result;
}

describe('FakeWomServer.advance', () => {
  it('moves the default clock and returns the interval', async () => {
    const server = await start();
    const before = server.now().getTime();
    const result = server.advance({ days: 1 });
    expect(result.from.toISOString()).toBe(clan.now);
    expect(result.to.getTime()).toBe(now + DAY);
    expect(server.now().getTime() - before).toBeGreaterThanOrEqual(DAY);
    expect(server.now().getTime() - before).toBeLessThan(DAY + 60_000);
    const second = server.advance({ hours: 12, ms: 5 });
    expect(second.from).toEqual(result.to);
    expect(second.to.getTime()).toBe(now + DAY + 12 * 3_600_000 + 5);
  });

  it('does not move an injected clock, and dates snapshots in (from, to]', async () => {
    const time = now + 5_000;
    const server = await start({ now: () => new Date(time) });
    const result = server.advance({ days: 2 });
    expect(server.now().getTime()).toBe(time);
    expect(result.snapshots).toBeGreaterThan(0);
    expect(result.playersProgressed).toBeGreaterThan(0);
    expect(result.playersProgressed).toBeLessThanOrEqual(result.playersUpdated);
    const updated = members(['very-active', 'active', 'casual', 'idle', 'quit']);
    // One snapshot per updated member per elapsed day.
    expect(result.snapshots).toBe(updated.length * 2);
    for (const member of updated) {
      const player = server.state.players.get(member.player.id);
      const times = player?.times.slice(member.history.times.length) ?? [];
      expect(times).toHaveLength(2);
      for (const added of times) {
        expect(added).toBeGreaterThan(now);
        expect(added).toBeLessThanOrEqual(now + 2 * DAY);
      }
      expect(Math.floor(((times[0] ?? 0) - now - 1) / DAY)).toBe(0);
      expect(Math.floor(((times[1] ?? 0) - now - 1) / DAY)).toBe(1);
    }
  });

  it('shows new snapshots in snapshots, bulk-hiscores, bulk-gained and player details', async () => {
    let time = now;
    const server = await start({ now: () => new Date(time) });
    const hiscoresBefore = await get<Array<{ player: Player; data: Snapshot }>>(
      server,
      `/groups/${groupId}/bulk-hiscores`,
    );
    server.advance({ days: 1 });
    time = now + DAY;
    const window = `startDate=${new Date(now - DAY).toISOString()}&endDate=${new Date(now + DAY).toISOString()}`;
    const hiscores = await get<Array<{ player: Player; data: Snapshot }>>(
      server,
      `/groups/${groupId}/bulk-hiscores`,
    );
    const gained = await get<
      Array<{
        player: Player;
        startDate: string;
        endDate: string;
        data: Array<{ metric: string; gained: number; start: number; end: number }>;
      }>
    >(server, `/groups/${groupId}/bulk-gained?${window}`);
    const beforeByName = new Map(hiscoresBefore.map((entry) => [entry.player.username, entry]));
    let progressed = 0;
    for (const member of members(['very-active', 'active', 'casual', 'idle', 'quit'])) {
      const username = member.player.username;
      const snapshots = await get<Snapshot[]>(
        server,
        `/players/${encodeURIComponent(username)}/snapshots?limit=2`,
      );
      const [latest, previous] = snapshots;
      if (latest === undefined || previous === undefined) throw new Error('missing snapshots');
      expect(Date.parse(latest.createdAt)).toBeGreaterThan(now);
      expect(Date.parse(previous.createdAt)).toBeLessThanOrEqual(now);
      // Values never decrease; overall stays the sum of the skills; the 200M cap holds.
      const newer = values(latest);
      const older = values(previous);
      let skillSum = 0;
      for (const skill of SKILLS.slice(1)) {
        const experience = latest.data.skills[skill]?.experience ?? 0;
        expect(experience).toBeLessThanOrEqual(SKILL_EXPERIENCE_CAP);
        skillSum += Math.max(0, experience);
      }
      expect(latest.data.skills.overall?.experience).toBe(skillSum);
      for (const [name, value] of newer) expect(value).toBeGreaterThanOrEqual(older.get(name) ?? 0);
      if (member.player.build === 'f2p') expect(newer.get('agility')).toBe(older.get('agility'));
      if (member.player.build === 'def1') expect(newer.get('defence')).toBe(older.get('defence'));
      if (member.profile === 'quit') expect(newer).toEqual(older);
      const changed = [...newer].some(([name, value]) => value !== older.get(name));
      if (changed) progressed++;

      // bulk-hiscores serves the new latest snapshot.
      const entry = hiscores.find((item) => item.player.username === username);
      expect(entry?.data).toEqual(latest);
      expect(entry?.player.updatedAt).toBe(latest.createdAt);
      if (changed) expect(entry?.player.lastChangedAt).toBe(latest.createdAt);
      else
        expect(entry?.player.lastChangedAt).toBe(beforeByName.get(username)?.player.lastChangedAt);

      // bulk-gained: the difference of the edge snapshots of the window, across the boundary.
      const inWindow = await get<Snapshot[]>(
        server,
        `/players/${encodeURIComponent(username)}/snapshots?${window}`,
      );
      const first = inWindow[inWindow.length - 1];
      const gain = gained.find((item) => item.player.username === username);
      expect(gain?.startDate).toBe(first?.createdAt);
      expect(gain?.endDate).toBe(latest.createdAt);
      const overall = gain?.data.find((item) => item.metric === 'overall');
      expect(overall?.gained).toBe(
        (latest.data.skills.overall?.experience ?? 0) -
          (first?.data.skills.overall?.experience ?? 0),
      );
      for (const skill of SKILLS.slice(1)) {
        const delta = gain?.data.find((item) => item.metric === skill);
        const end = latest.data.skills[skill]?.experience ?? 0;
        const start = first?.data.skills[skill]?.experience ?? 0;
        if (start > 0) expect(delta?.gained).toBe(end - start);
      }
      const ehp = gain?.data.find((item) => item.metric === 'ehp');
      expect(ehp?.end).toBeCloseTo(latest.data.computed.ehp?.value ?? 0, 5);

      // The player's gains between exactly the last two snapshots.
      const own = await get<{
        data: { skills: Record<string, { experience: { gained: number } }> };
      }>(
        server,
        `/players/${encodeURIComponent(username)}/gained?startDate=${previous.createdAt}&endDate=${latest.createdAt}`,
      );
      expect(own.data.skills.overall?.experience.gained).toBe(
        (latest.data.skills.overall?.experience ?? 0) -
          (previous.data.skills.overall?.experience ?? 0),
      );
    }
    expect(progressed).toBeGreaterThan(5);
  });

  it('leaves stale, untracked and former members alone', async () => {
    const server = await start();
    server.advance({ days: 3 });
    const others = clan.members.filter(
      (member) =>
        member.membership.leftAt !== null ||
        member.profile === 'stale' ||
        member.profile === 'untracked',
    );
    expect(others.length).toBeGreaterThan(0);
    for (const member of others) {
      const player = server.state.players.get(member.player.id);
      expect(player?.times).toHaveLength(member.history.times.length);
      expect(player?.extraRows).toEqual([]);
    }
    const untracked = members(['untracked'])[0];
    if (untracked !== undefined) {
      const details = await get<Player & { latestSnapshot: unknown }>(
        server,
        `/players/${encodeURIComponent(untracked.player.username)}`,
      );
      expect(details.updatedAt).toBeNull();
      expect(details.latestSnapshot).toBeNull();
    }
  });

  it('is deterministic, and a day split in two gives the same snapshots', async () => {
    const first = await start({ now: () => new Date(now) });
    const second = await start({ now: () => new Date(now) });
    const third = await start({ now: () => new Date(now) });
    expect(first.advance({ days: 2 })).toEqual(second.advance({ days: 2 }));
    third.advance({ hours: 30 });
    third.advance({ hours: 18 });
    for (const path of [
      `/groups/${groupId}/bulk-hiscores`,
      `/groups/${groupId}/bulk-gained?startDate=${clan.now}&endDate=${new Date(now + 2 * DAY).toISOString()}`,
      `/groups/${groupId}/statistics`,
      `/groups/${groupId}/records?metric=overall&period=week`,
      `/groups/${groupId}/csv`,
    ]) {
      const [one, two, three] = await Promise.all(
        [first, second, third].map(async (server) => (await fetch(`${server.url}${path}`)).text()),
      );
      expect(two).toBe(one);
      expect(three).toBe(one);
    }
    expect(fingerprintSyntheticClan(clan)).toBe(fingerprint);
  });

  it('keeps timeline, records and gains across the history boundary consistent', async () => {
    let time = now;
    const server = await start({ now: () => new Date(time) });
    server.advance({ days: 7 });
    time = now + 7 * DAY;
    const member = members(['very-active'])[0];
    if (member === undefined) throw new Error('no very-active member');
    const username = encodeURIComponent(member.player.username);
    const snapshots = await get<Snapshot[]>(server, `/players/${username}/snapshots?period=week`);
    const timeline = await get<Array<{ value: number; date: string }>>(
      server,
      `/players/${username}/snapshots/timeline?metric=overall&period=week`,
    );
    expect(timeline.map((point) => point.date)).toEqual(
      snapshots.map((snapshot) => snapshot.createdAt),
    );
    expect(timeline.map((point) => point.value)).toEqual(
      snapshots.map((snapshot) => snapshot.data.skills.overall?.experience),
    );
    const gained = await get<{
      data: { skills: Record<string, { experience: { gained: number } }> };
    }>(server, `/players/${username}/gained?period=week`);
    const oldest = snapshots[snapshots.length - 1];
    const newest = snapshots[0];
    expect(gained.data.skills.overall?.experience.gained).toBe(
      (newest?.data.skills.overall?.experience ?? 0) -
        (oldest?.data.skills.overall?.experience ?? 0),
    );
    const records = await get<Array<{ playerId: number; value: number }>>(
      server,
      `/groups/${groupId}/records?metric=overall&period=day&limit=50`,
    );
    const series = [...snapshots]
      .reverse()
      .map((item) => item.data.skills.overall?.experience ?? 0);
    const bestDay = Math.max(
      0,
      ...series.slice(1).map((value, index) => value - (series[index] ?? value)),
    );
    const record = records.find((item) => item.playerId === member.player.id);
    if (bestDay > 0) expect(record?.value).toBeGreaterThanOrEqual(bestDay);
  });

  it('adds achievements the new values reach', async () => {
    const server = await start({ now: () => new Date(now) });
    const before = server.state.achievements.length;
    const result = server.advance({ days: 60 });
    expect(server.state.achievements.length - before).toBe(result.achievements);
    for (const achievement of server.state.achievements.slice(before)) {
      expect(Date.parse(achievement.createdAt)).toBeGreaterThan(now);
      if (achievement.measure === 'experience' && achievement.name.startsWith('99 '))
        expect(achievement.threshold).toBe(MAX_SKILL_EXPERIENCE);
    }
  });

  it('continues after an update made between advances', async () => {
    let time = now + 60_000;
    const server = await start({ now: () => new Date(time) });
    const member = members(['very-active'])[0];
    if (member === undefined) throw new Error('no very-active member');
    const response = await fetch(
      `${server.url}/players/${encodeURIComponent(member.player.username)}`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
    server.advance({ days: 1 });
    time = now + DAY;
    const player = server.state.players.get(member.player.id);
    const times = player?.times ?? [];
    for (let index = 1; index < times.length; index++)
      expect(times[index]).toBeGreaterThan(times[index - 1] ?? 0);
    expect(times.length).toBe(member.history.times.length + 2);
  });

  it('rejects invalid durations', async () => {
    const server = await start();
    for (const duration of [{}, { days: -1 }, { hours: Number.NaN }, { ms: Infinity }]) {
      let caught: unknown;
      try {
        server.advance(duration);
      } catch (error) {
        caught = error;
      }
      expect(isTestkitError(caught) && caught.code === 'INVALID_OPTIONS').toBe(true);
    }
  });
});
