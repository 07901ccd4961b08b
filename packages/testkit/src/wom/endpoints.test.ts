import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVITIES,
  BOSSES,
  HISTORY_COLUMNS,
  METRICS,
  PERIOD_DURATIONS,
  SKILLS,
  createSyntheticClan,
  firstRowAtOrAfter,
  historyColumnOf,
  historyRow,
  historyValue,
  startFakeWomServer,
} from '../index.js';
import type { FakeWomServer, SyntheticClan, SyntheticMember } from '../index.js';

type JsonObject = Record<string, unknown>;

let clan: SyntheticClan;
let server: FakeWomServer;
let clock: number;
const groupId = 4242;

const PLAYER_KEYS = [
  'id',
  'username',
  'displayName',
  'type',
  'build',
  'status',
  'country',
  'patron',
  'exp',
  'ehp',
  'ehb',
  'ttm',
  'tt200m',
  'registeredAt',
  'updatedAt',
  'lastChangedAt',
  'lastImportedAt',
];
const GROUP_KEYS = [
  'id',
  'name',
  'clanChat',
  'description',
  'homeworld',
  'verified',
  'patron',
  'visible',
  'profileImage',
  'bannerImage',
  'score',
  'createdAt',
  'updatedAt',
  'memberCount',
];
const MEMBERSHIP_KEYS = [
  'playerId',
  'groupId',
  'role',
  'clientSyncJoinedAt',
  'createdAt',
  'updatedAt',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  clan = createSyntheticClan({ seed: 11, members: 40, groupId });
  clock = Date.parse(clan.now);
  server = await startFakeWomServer({ clan, rateLimit: false, now: () => new Date(clock) });
});

afterAll(async () => {
  await server.close();
});

async function call(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (CSV, HTML)
  }
  return { status: response.status, body, text, headers: response.headers };
}

async function getOk<Body>(path: string): Promise<Body> {
  const result = await call(path);
  expect(result.status, `${path}: ${result.text.slice(0, 200)}`).toBe(200);
  return result.body as Body;
}

const current = (): SyntheticMember[] =>
  clan.members.filter((member) => member.membership.leftAt === null);
const tracked = (): SyntheticMember[] =>
  current().filter((member) => member.history.times.length > 0);
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('group endpoints', () => {
  it('GET /groups/:id: details, field order, membership order', async () => {
    const details = await getOk<JsonObject & { memberships: JsonObject[] }>(`/groups/${groupId}`);
    expect(Object.keys(details)).toEqual([
      ...GROUP_KEYS,
      'socialLinks',
      'roleOrders',
      'memberships',
    ]);
    expect(Object.keys(details.socialLinks as JsonObject)).toEqual([
      'website',
      'discord',
      'twitter',
      'youtube',
      'twitch',
    ]);
    expect(details.roleOrders).toEqual([]);
    expect(details.memberCount).toBe(40);
    expect(details.memberships).toHaveLength(40);
    const first = details.memberships[0] as JsonObject;
    expect(Object.keys(first)).toEqual([...MEMBERSHIP_KEYS, 'player']);
    expect(Object.keys(first.player as JsonObject)).toEqual(PLAYER_KEYS);
    const roles = details.memberships.map((membership) => membership.role as string);
    expect(roles[0]).toBe('owner');
    const privileged = ['administrator', 'owner', 'leader', 'deputy_owner', 'moderator'];
    const rest = roles.filter((role) => !privileged.includes(role));
    expect(rest).toEqual([...rest].sort((left, right) => left.localeCompare(right)));
    const untracked = details.memberships.find(
      (membership) => (membership.player as JsonObject).updatedAt === null,
    )?.player as JsonObject | undefined;
    expect(untracked).toMatchObject({ type: 'unknown', exp: 0, ehp: 0, lastChangedAt: null });
    for (const membership of details.memberships) {
      expect(membership.createdAt).toMatch(ISO);
    }
  });

  it('GET /groups/:id: legacy 404 and validation', async () => {
    expect(await call('/groups/999999')).toMatchObject({
      status: 404,
      body: { code: 'UNEXPECTED_ERROR', message: 'Group not found.' },
    });
    expect(await call('/groups/abc')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Parameter 'id' is not a valid number." },
    });
  });

  it('GET /groups/:id/hiscores: all members with snapshots, sorted, typed data', async () => {
    const overall = await getOk<Array<{ player: JsonObject; data: JsonObject }>>(
      `/groups/${groupId}/hiscores?metric=overall`,
    );
    expect(overall).toHaveLength(tracked().length);
    expect(Object.keys(overall[0]?.data ?? {})).toEqual(['type', 'rank', 'level', 'experience']);
    for (let index = 1; index < overall.length; index++) {
      const previous = overall[index - 1]?.data ?? {};
      const entry = overall[index]?.data ?? {};
      const ordered =
        (previous.level as number) > (entry.level as number) ||
        (previous.level === entry.level &&
          (previous.experience as number) >= (entry.experience as number));
      expect(ordered).toBe(true);
    }
    const zulrah = await getOk<Array<{ data: JsonObject }>>(
      `/groups/${groupId}/hiscores?metric=zulrah`,
    );
    expect(Object.keys(zulrah[0]?.data ?? {})).toEqual(['type', 'rank', 'kills']);
    const kills = zulrah.map((entry) => entry.data.kills as number);
    expect(kills).toEqual([...kills].sort((left, right) => right - left));
    const lms = await getOk<Array<{ data: JsonObject }>>(
      `/groups/${groupId}/hiscores?metric=last_man_standing`,
    );
    expect(lms[0]?.data.type).toBe('activity');
    const ehp = await getOk<Array<{ data: JsonObject }>>(`/groups/${groupId}/hiscores?metric=ehp`);
    expect(Object.keys(ehp[0]?.data ?? {})).toEqual(['type', 'rank', 'value']);
    // new server: limit is ignored
    expect(
      await getOk<unknown[]>(`/groups/${groupId}/hiscores?metric=attack&limit=2`),
    ).toHaveLength(tracked().length);
  });

  it('GET /groups/:id/hiscores: validation and coded 404', async () => {
    expect(await call(`/groups/${groupId}/hiscores`)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Parameter 'metric' is undefined." },
    });
    expect(await call(`/groups/${groupId}/hiscores?metric=Attack`)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Invalid enum value for 'metric'." },
    });
    expect(await call('/groups/999999/hiscores?metric=attack')).toMatchObject({
      status: 404,
      body: { code: 'GROUP_NOT_FOUND', message: 'Group not found' },
    });
  });

  it('GET /groups/:id/bulk-hiscores: full snapshots matching the generator', async () => {
    const rows = await getOk<
      Array<{ player: JsonObject; data: JsonObject & { data: JsonObject } }>
    >(`/groups/${groupId}/bulk-hiscores`);
    expect(rows).toHaveLength(tracked().length);
    const row = rows[0];
    expect(Object.keys(row ?? {})).toEqual(['player', 'data']);
    expect(Object.keys(row?.data ?? {})).toEqual([
      'id',
      'playerId',
      'createdAt',
      'importedAt',
      'data',
    ]);
    expect(row?.data.id).toBe(-1);
    const data = row?.data.data ?? {};
    expect(Object.keys(data)).toEqual(['skills', 'bosses', 'activities', 'computed']);
    expect(Object.keys(data.skills as JsonObject)).toEqual([...SKILLS]);
    expect(Object.keys(data.bosses as JsonObject)).toEqual([...BOSSES]);
    expect(Object.keys(data.activities as JsonObject)).toEqual([...ACTIVITIES]);
    expect(Object.keys(data.computed as JsonObject)).toEqual(['ehp', 'ehb']);
    expect(Object.keys((data.skills as Record<string, JsonObject>).attack ?? {})).toEqual([
      'metric',
      'experience',
      'rank',
      'level',
      'ehp',
    ]);
    expect(Object.keys((data.bosses as Record<string, JsonObject>).zulrah ?? {})).toEqual([
      'metric',
      'kills',
      'rank',
      'ehb',
    ]);
    expect(Object.keys((data.activities as Record<string, JsonObject>).pvp_arena ?? {})).toEqual([
      'metric',
      'score',
      'rank',
    ]);
    expect(Object.keys((data.computed as Record<string, JsonObject>).ehp ?? {})).toEqual([
      'metric',
      'value',
      'rank',
    ]);
    for (const entry of rows) {
      const member = clan.members.find((candidate) => candidate.player.id === entry.player.id);
      if (member === undefined) throw new Error('unknown member');
      const values = historyRow(member.history, member.history.times.length - 1);
      let overall = 0;
      for (let index = 0; index < 24; index++) overall += values[index] ?? 0;
      const skills = entry.data.data.skills as Record<string, JsonObject>;
      expect(skills.overall?.experience).toBe(overall);
      expect(entry.player.exp).toBe(overall);
      expect(skills.overall?.ehp).toBe(
        (entry.data.data.computed as Record<string, JsonObject>).ehp?.value,
      );
      expect(entry.data.createdAt).toBe(member.player.updatedAt);
    }
  });

  it('GET /groups/:id/gained: matches deltas computed from the generator', async () => {
    const rows = await getOk<
      Array<{ player: JsonObject; startDate: string; endDate: string; data: JsonObject }>
    >(`/groups/${groupId}/gained?metric=attack&period=week`);
    expect(Object.keys(rows[0] ?? {})).toEqual(['player', 'startDate', 'endDate', 'data']);
    expect(Object.keys(rows[0]?.data ?? {})).toEqual(['gained', 'start', 'end']);
    const column = historyColumnOf('attack');
    const expected = new Map<number, number>();
    for (const member of tracked()) {
      const start = firstRowAtOrAfter(member.history, clock - PERIOD_DURATIONS.week);
      if (start >= member.history.times.length) continue;
      const end = member.history.times.length - 1;
      const before = historyValue(member.history, start, column);
      const after = historyValue(member.history, end, column);
      expected.set(member.player.id, before > 0 ? after - before : 0);
    }
    expect(rows).toHaveLength(expected.size);
    expect(expected.size).toBeLessThan(tracked().length); // stale members drop out
    for (const row of rows) expect(row.data.gained).toBe(expected.get(row.player.id as number));
    const gains = rows.map((row) => row.data.gained as number);
    expect(gains).toEqual([...gains].sort((left, right) => right - left));
  });

  it('GET /groups/:id/gained: date ranges accept Date.toString() and ISO', async () => {
    const start = new Date(clock - 30 * 86_400_000);
    const end = new Date(clock - 10 * 86_400_000);
    const query = (from: string, to: string): string =>
      `/groups/${groupId}/gained?metric=zulrah&startDate=${encodeURIComponent(from)}&endDate=${encodeURIComponent(to)}`;
    const iso = await getOk<Array<{ startDate: string; endDate: string }>>(
      query(start.toISOString(), end.toISOString()),
    );
    const legacyForm = await getOk<unknown[]>(query(start.toString(), end.toString()));
    expect(legacyForm).toEqual(iso);
    for (const row of iso) {
      expect(Date.parse(row.startDate)).toBeGreaterThanOrEqual(start.getTime());
      expect(Date.parse(row.endDate)).toBeLessThanOrEqual(end.getTime());
    }
  });

  it('GET /groups/:id/gained: errors', async () => {
    expect(await call(`/groups/${groupId}/gained?period=week`)).toMatchObject({
      status: 400,
      body: { message: "Parameter 'metric' is undefined." },
    });
    expect(await call(`/groups/${groupId}/gained?metric=attack`)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Parameter 'period' is undefined." },
    });
    expect(await call(`/groups/${groupId}/gained?metric=attack&period=decade`)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_PERIOD', message: 'Invalid period' },
    });
    expect(
      await call(`/groups/${groupId}/gained?metric=attack&startDate=2026-10-02&endDate=2026-10-01`),
    ).toMatchObject({
      status: 400,
      body: { code: 'INVALID_DATE_RANGE', message: 'Invalid date range' },
    });
    expect(
      await call(`/groups/${groupId}/gained?metric=attack&startDate=yesterday&endDate=2026-10-01`),
    ).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Parameter 'startDate' is not a valid date." },
    });
  });

  it('GET /groups/:id/bulk-gained: 113 metrics in METRICS order', async () => {
    const rows = await getOk<Array<{ player: JsonObject; data: JsonObject[] }>>(
      `/groups/${groupId}/bulk-gained?period=1m`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.data.map((entry) => entry.metric)).toEqual([...METRICS]);
      expect(Object.keys(row.data[0] ?? {})).toEqual(['metric', 'gained', 'start', 'end']);
      for (const entry of row.data) expect(entry.gained as number).toBeGreaterThanOrEqual(0);
    }
    const single = await getOk<Array<{ player: JsonObject; data: JsonObject }>>(
      `/groups/${groupId}/gained?metric=slayer&period=1m`,
    );
    for (const entry of single) {
      const bulk = rows.find((row) => row.player.id === entry.player.id);
      expect(bulk?.data.find((item) => item.metric === 'slayer')).toMatchObject(entry.data);
    }
  });

  it('GET /groups/:id/activity: newest first, pagination default 20 max 50', async () => {
    const page = await getOk<JsonObject[]>(`/groups/${groupId}/activity`);
    expect(page).toHaveLength(20);
    expect(Object.keys(page[0] ?? {})).toEqual([
      'groupId',
      'playerId',
      'type',
      'role',
      'previousRole',
      'createdAt',
      'player',
    ]);
    const all: JsonObject[] = [];
    for (let offset = 0; ; offset += 50) {
      const chunk = await getOk<JsonObject[]>(
        `/groups/${groupId}/activity?limit=50&offset=${offset}`,
      );
      all.push(...chunk);
      if (chunk.length < 50) break;
    }
    expect(all).toHaveLength(clan.activity.length);
    const dates = all.map((event) => event.createdAt as string);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(await call(`/groups/${groupId}/activity?limit=51`)).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_ERROR',
        message:
          "The maximum results limit is 50. Please consider using the 'offset' parameter to load more data.",
      },
    });
    expect(await call(`/groups/${groupId}/activity?offset=-1`)).toMatchObject({
      status: 400,
      body: { message: "Parameter 'offset' must be >= 0." },
    });
    expect(await call('/groups/999999/activity')).toMatchObject({
      status: 404,
      body: { code: 'UNEXPECTED_ERROR', message: 'Group not found.' },
    });
  });

  it('GET /groups/:id/achievements and /name-changes', async () => {
    const achievements = await getOk<JsonObject[]>(`/groups/${groupId}/achievements?limit=50`);
    expect(achievements.length).toBeGreaterThan(0);
    expect(Object.keys(achievements[0] ?? {})).toEqual([
      'playerId',
      'name',
      'metric',
      'threshold',
      'accuracy',
      'createdAt',
      'measure',
      'legacy',
      'player',
    ]);
    const dates = achievements.map((achievement) => achievement.createdAt as string);
    expect(dates).toEqual([...dates].sort().reverse());
    const changes = await getOk<JsonObject[]>(`/groups/${groupId}/name-changes?limit=50`);
    const currentIds = new Set(current().map((member) => member.player.id));
    const expected = clan.nameChanges.filter(
      (change) => change.status === 'approved' && currentIds.has(change.playerId),
    );
    expect(changes).toHaveLength(expected.length);
    for (const change of changes) {
      expect(Object.keys(change)).toEqual([
        'id',
        'playerId',
        'oldName',
        'newName',
        'status',
        'reviewContext',
        'resolvedAt',
        'createdAt',
        'updatedAt',
        'player',
      ]);
      expect(change.status).toBe('approved');
    }
    expect(await call('/groups/999999/achievements')).toMatchObject({
      status: 404,
      body: { code: 'GROUP_NOT_FOUND' },
    });
  });

  it('GET /groups/:id/competitions: ongoing, upcoming, finished', async () => {
    const competitions = await getOk<JsonObject[]>(`/groups/${groupId}/competitions?limit=1`);
    expect(competitions).toHaveLength(clan.competitions.length);
    expect(Object.keys(competitions[0] ?? {})).toEqual([
      'id',
      'title',
      'type',
      'startsAt',
      'endsAt',
      'groupId',
      'score',
      'visible',
      'createdAt',
      'updatedAt',
      'metric',
      'metrics',
      'participantCount',
      'group',
    ]);
    expect(Object.keys(competitions[0]?.group as JsonObject)).toEqual(GROUP_KEYS);
    const first = competitions[0] ?? {};
    expect(Date.parse(first.startsAt as string)).toBeLessThanOrEqual(clock);
    expect(Date.parse(first.endsAt as string)).toBeGreaterThan(clock);
    expect(Date.parse(competitions[1]?.startsAt as string)).toBeGreaterThan(clock);
    const finished = competitions.slice(2).map((competition) => competition.endsAt as string);
    expect(finished).toEqual([...finished].sort().reverse());
  });

  it('GET /groups/:id/statistics', async () => {
    const statistics = await getOk<
      JsonObject & {
        averageStats: JsonObject;
        metricLeaders: Record<string, Record<string, JsonObject>>;
      }
    >(`/groups/${groupId}/statistics`);
    expect(Object.keys(statistics)).toEqual([
      'maxedCombatCount',
      'maxedTotalCount',
      'maxed200msCount',
      'averageStats',
      'metricLeaders',
    ]);
    expect(statistics.averageStats).toMatchObject({
      id: -1,
      playerId: -1,
      importedAt: null,
      createdAt: new Date(clock).toISOString(),
    });
    expect(Object.keys(statistics.metricLeaders)).toEqual([
      'skills',
      'bosses',
      'activities',
      'computed',
    ]);
    const leader = statistics.metricLeaders.skills?.overall;
    expect(Object.keys(leader ?? {})).toEqual(['metric', 'experience', 'rank', 'level', 'player']);
    const hiscores = await getOk<Array<{ player: JsonObject; data: JsonObject }>>(
      `/groups/${groupId}/hiscores?metric=attack`,
    );
    expect((statistics.metricLeaders.skills?.attack?.player as JsonObject).id).toBe(
      hiscores[0]?.player.id,
    );
  });

  it('GET /groups/:id/records: best gains, value desc', async () => {
    const records = await getOk<JsonObject[]>(
      `/groups/${groupId}/records?metric=overall&period=week`,
    );
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThanOrEqual(20);
    expect(Object.keys(records[0] ?? {})).toEqual([
      'playerId',
      'period',
      'metric',
      'value',
      'updatedAt',
      'player',
    ]);
    const values = records.map((record) => record.value as number);
    expect(values).toEqual([...values].sort((left, right) => right - left));
    expect(await call(`/groups/${groupId}/records?metric=overall&period=3d`)).toMatchObject({
      status: 400,
      body: { message: "Invalid enum value for 'period'." },
    });
    expect(await call(`/groups/${groupId}/records?metric=overall`)).toMatchObject({
      status: 400,
      body: { message: "Parameter 'period' is undefined." },
    });
  });

  it('GET /groups/:id/csv: plain text, sorted like the details', async () => {
    const response = await call(`/groups/${groupId}/csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBeNull();
    const lines = response.text.split('\n');
    expect(lines[0]).toBe(
      'Player,Role,Experience,Last progressed,Last updated,Joined at (Client Sync)',
    );
    expect(lines).toHaveLength(41);
    expect(lines[1]).toMatch(
      /^[^,]+,owner,\d+,(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2})?,(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2})?,(\d{2}\/\d{2}\/\d{4})?$/,
    );
  });

  it('POST /groups/:id/update-all: validation order and outdated members', async () => {
    const code = clan.group.verificationCode;
    expect(await call('/groups/999999/update-all', post({}))).toMatchObject({
      status: 400,
      body: {
        code: 'MISSING_VERIFICATION_CODE',
        message: "Required parameter 'verificationCode' is undefined",
      },
    });
    expect(await call('/groups/999999/update-all', post({ verificationCode: code }))).toMatchObject(
      {
        status: 404,
        body: { code: 'GROUP_NOT_FOUND' },
      },
    );
    expect(
      await call(`/groups/${groupId}/update-all`, post({ verificationCode: '000-000-000' })),
    ).toMatchObject({
      status: 403,
      body: { code: 'INCORRECT_VERIFICATION_CODE', message: 'Incorrect verification code' },
    });
    const outdated = current().filter(
      (member) =>
        member.player.updatedAt === null ||
        Date.parse(member.player.updatedAt) < clock - 23.5 * 3_600_000,
    ).length;
    expect(outdated).toBeGreaterThan(0);
    expect(
      await call(`/groups/${groupId}/update-all`, post({ verificationCode: ` ${code} ` })),
    ).toMatchObject({
      status: 200,
      body: {
        count: outdated,
        message: `${outdated} outdated (updated > 24h ago) players are being updated. This can take up to a few minutes.`,
      },
    });
    expect(
      await call(`/groups/${groupId}/update-all`, post({ verificationCode: code })),
    ).toMatchObject({
      status: 400,
      body: { code: 'NO_OUTDATED_MEMBERS' },
    });
  });
});

describe('player endpoints', () => {
  const member = (): SyntheticMember => {
    const found = tracked().find((candidate) => candidate.player.username.includes(' '));
    if (found === undefined) throw new Error('no member with a space in the name');
    return found;
  };

  it('GET /players/:username: details, URL-decoding and standardization', async () => {
    const target = member();
    const encoded = encodeURIComponent(target.player.username);
    const details = await getOk<JsonObject>(`/players/${encoded}`);
    expect(Object.keys(details)).toEqual([
      ...PLAYER_KEYS,
      'combatLevel',
      'archive',
      'annotations',
      'latestSnapshot',
    ]);
    expect(details).toMatchObject({ id: target.player.id, archive: null, annotations: [] });
    const shouting = encodeURIComponent(target.player.username.toUpperCase().replace(/ /g, '_'));
    expect(await getOk<JsonObject>(`/players/${shouting}`)).toEqual(details);
    const byId = await getOk<JsonObject>(`/players/id/${target.player.id}`);
    expect(byId).toEqual(details);
    expect(await call('/players/nobody%20here')).toMatchObject({
      status: 404,
      body: { code: 'PLAYER_NOT_FOUND', message: 'Player not found' },
    });
    expect(await call('/players/id/0')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR' },
    });
  });

  it('GET /players/:username/snapshots: newest first, default 20, max 200, dates first', async () => {
    const target = member();
    const path = `/players/${encodeURIComponent(target.player.username)}/snapshots`;
    const page = await getOk<JsonObject[]>(path);
    expect(page).toHaveLength(Math.min(20, target.history.times.length));
    const dates = page.map((snapshot) => snapshot.createdAt as string);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(page[0]?.id).toBe(-1);
    expect(await getOk<unknown[]>(`${path}?limit=200`)).toHaveLength(
      Math.min(200, target.history.times.length),
    );
    expect(await call(`${path}?limit=201`)).toMatchObject({
      status: 400,
      body: {
        message:
          "The maximum results limit is 200. Please consider using the 'offset' parameter to load more data.",
      },
    });
    const week = await getOk<JsonObject[]>(`${path}?period=week&limit=200`);
    for (const snapshot of week)
      expect(Date.parse(snapshot.createdAt as string)).toBeGreaterThanOrEqual(
        clock - PERIOD_DURATIONS.week,
      );
    const from = new Date(clock - 40 * 86_400_000);
    const to = new Date(clock - 20 * 86_400_000);
    const ranged = await getOk<JsonObject[]>(
      `${path}?period=day&startDate=${encodeURIComponent(from.toString())}&endDate=${encodeURIComponent(to.toISOString())}&limit=200`,
    );
    expect(ranged.length).toBeGreaterThan(1);
    for (const snapshot of ranged) {
      const time = Date.parse(snapshot.createdAt as string);
      expect(time).toBeGreaterThanOrEqual(from.getTime());
      expect(time).toBeLessThanOrEqual(to.getTime());
    }
    expect(await call(`${path}?period=decade`)).toMatchObject({
      status: 400,
      body: { message: 'Invalid period: decade.' },
    });
    expect(await call(`${path}?startDate=2026-10-02&endDate=2026-10-01`)).toMatchObject({
      status: 400,
      body: { code: 'UNEXPECTED_ERROR', message: 'Min date must be before the max date.' },
    });
    expect(await call('/players/nobody/snapshots')).toMatchObject({
      status: 404,
      body: { code: 'UNEXPECTED_ERROR', message: 'Player not found.' },
    });
  });

  it('GET /players/:username/snapshots/timeline', async () => {
    const target = member();
    const path = `/players/${encodeURIComponent(target.player.username)}/snapshots/timeline`;
    const timeline = await getOk<JsonObject[]>(`${path}?metric=attack&period=month`);
    expect(Object.keys(timeline[0] ?? {})).toEqual(['value', 'rank', 'date']);
    const values = timeline.map((point) => point.value as number);
    expect(values).toEqual([...values].sort((left, right) => right - left));
    const column = HISTORY_COLUMNS.indexOf('attack');
    const last = target.history.times.length - 1;
    expect(timeline[0]?.value).toBe(historyValue(target.history, last, column));
    expect(await call(`${path}?period=week`)).toMatchObject({
      status: 400,
      body: { message: "Parameter 'metric' is undefined." },
    });
  });

  it('GET /players/:username/gained: full delta map and empty case', async () => {
    const target = member();
    const path = `/players/${encodeURIComponent(target.player.username)}/gained`;
    const gained = await getOk<{
      startsAt: string;
      endsAt: string;
      data: Record<string, Record<string, JsonObject>>;
    }>(`${path}?period=month`);
    expect(gained.startsAt).toMatch(ISO);
    expect(Object.keys(gained.data.skills ?? {})).toEqual([...SKILLS]);
    expect(Object.keys(gained.data.skills?.attack ?? {})).toEqual([
      'metric',
      'experience',
      'ehp',
      'rank',
      'level',
    ]);
    expect(Object.keys(gained.data.bosses?.zulrah ?? {})).toEqual([
      'metric',
      'ehb',
      'rank',
      'kills',
    ]);
    expect(Object.keys(gained.data.activities?.clue_scrolls_all ?? {})).toEqual([
      'metric',
      'rank',
      'score',
    ]);
    expect(Object.keys(gained.data.computed?.ehp ?? {})).toEqual(['metric', 'value', 'rank']);
    expect(Object.keys(gained.data.skills?.attack?.experience as JsonObject)).toEqual([
      'gained',
      'start',
      'end',
    ]);
    expect(gained.data.skills?.overall?.ehp).toEqual(gained.data.computed?.ehp?.value);
    const start = firstRowAtOrAfter(target.history, clock - PERIOD_DURATIONS.month);
    const column = HISTORY_COLUMNS.indexOf('attack');
    const before = historyValue(target.history, start, column);
    const after = historyValue(target.history, target.history.times.length - 1, column);
    expect(gained.data.skills?.attack?.experience).toEqual({
      gained: after - before,
      start: before,
      end: after,
    });
    const empty = await getOk<{
      startsAt: null;
      endsAt: null;
      data: Record<string, Record<string, JsonObject>>;
    }>(`${path}?startDate=2001-01-01&endDate=2001-02-01`);
    expect(empty.startsAt).toBeNull();
    expect(empty.data.skills?.attack?.experience).toEqual({ start: 0, end: 0, gained: 0 });
    expect(await call(path)).toMatchObject({
      status: 400,
      body: { message: 'Invalid period and start/end dates.' },
    });
    expect(await call(`${path}?period=decade`)).toMatchObject({
      status: 400,
      body: { message: 'Invalid period: decade.' },
    });
  });

  it('GET /players/:username/achievements, /names, /groups, /records', async () => {
    const withChange = clan.nameChanges.find((change) => change.status === 'approved');
    if (withChange === undefined) throw new Error('no approved name change');
    const owner = clan.members.find((candidate) => candidate.player.id === withChange.playerId);
    const name = encodeURIComponent(owner?.player.username ?? '');
    const names = await getOk<JsonObject[]>(`/players/${name}/names`);
    expect(names.map((change) => change.id)).toContain(withChange.id);
    expect(names.every((change) => change.status === 'approved')).toBe(true);
    expect(await call(`/players/${encodeURIComponent(withChange.oldName)}/names`)).toMatchObject({
      status: 404,
    });

    const target = member();
    const path = `/players/${encodeURIComponent(target.player.username)}`;
    const achievements = await getOk<JsonObject[]>(`${path}/achievements`);
    expect(achievements).toHaveLength(
      clan.achievements.filter((achievement) => achievement.playerId === target.player.id).length,
    );
    if (achievements.length > 0) expect(achievements[0]).not.toHaveProperty('player');

    const groups = await getOk<JsonObject[]>(`${path}/groups`);
    expect(groups).toHaveLength(1);
    expect(Object.keys(groups[0] ?? {})).toEqual([...MEMBERSHIP_KEYS, 'group']);
    const former = clan.members.find((candidate) => candidate.membership.leftAt !== null);
    expect(
      await getOk<unknown[]>(
        `/players/${encodeURIComponent(former?.player.username ?? '')}/groups`,
      ),
    ).toEqual([]);

    const records = await getOk<JsonObject[]>(`${path}/records?period=week`);
    expect(records.length).toBeGreaterThan(0);
    expect(Object.keys(records[0] ?? {})).toEqual([
      'playerId',
      'period',
      'metric',
      'value',
      'updatedAt',
    ]);
    expect(
      records.every((record) => record.period === 'week' && (record.value as number) > 0),
    ).toBe(true);
    expect(await call(`${path}/records?period=fortnight`)).toMatchObject({ status: 400 });
  });
});

describe('name change endpoints', () => {
  it('GET /names filters by username and status', async () => {
    const all = await getOk<JsonObject[]>('/names?limit=50');
    expect(all.length).toBe(Math.min(50, clan.nameChanges.length));
    expect(Object.keys(all[0] ?? {})).toEqual([
      'id',
      'playerId',
      'oldName',
      'newName',
      'status',
      'reviewContext',
      'resolvedAt',
      'createdAt',
      'updatedAt',
    ]);
    const pending = await getOk<JsonObject[]>('/names?status=pending');
    expect(pending.every((change) => change.status === 'pending')).toBe(true);
    expect(await call('/names?status=waiting')).toMatchObject({
      status: 400,
      body: { message: "Invalid enum value for 'status'. Expected pending | denied | approved" },
    });
    const sample = clan.nameChanges[0];
    const found = await getOk<JsonObject[]>(
      `/names?username=${encodeURIComponent(sample?.oldName.slice(0, 4) ?? '')}`,
    );
    expect(found.map((change) => change.id)).toContain(sample?.id);
  });

  it('POST /names submits a pending change', async () => {
    const target = tracked()[3];
    const oldName = target?.player.displayName ?? '';
    const created = await call('/names', post({ oldName, newName: 'Fresh Name' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      oldName,
      newName: 'Fresh Name',
      status: 'pending',
      resolvedAt: null,
    });
    expect(await call('/names', post({ oldName, newName: 'Fresh Name' }))).toMatchObject({
      status: 400,
      body: {
        message: `There's already a similar pending name change. (Id: ${(created.body as JsonObject).id as number})`,
      },
    });
    expect(
      await call('/names', post({ oldName: 'Not Tracked', newName: 'Whoever' })),
    ).toMatchObject({
      status: 400,
      body: { message: "Player 'Not Tracked' is not tracked yet." },
    });
    expect(await call('/names', post({ newName: 'x' }))).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_ERROR', message: "Parameter 'oldName' is undefined." },
    });
  });
});
