import { inspect } from 'node:util';
import { openStore, type Store } from '@clanstats/store';
import {
  createSyntheticClan,
  startFakeWomServer,
  type FakeWomServer,
  type FakeWomServerOptions,
  type PlayerState,
  type SyntheticMemberActivity,
} from '@clanstats/testkit';
import { isWomClientError } from '@clanstats/wom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  WOM_WINDOW_DAYS,
  harvestWom,
  type HarvestWomOptions,
  type WomHarvestProgress,
} from './harvest-wom.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

const API_KEY = 'wom-key-5ecret-9f3b7d';
const clan = createSyntheticClan({ seed: 11, members: 60, formerMembers: 30, days: 60 });
const groupId = clan.group.id;
const current = clan.members.filter((member) => member.membership.leftAt === null);
const untracked = current.filter((member) => member.player.updatedAt === null);
const tracked = current.filter((member) => member.player.updatedAt !== null);
const currentIds = new Set(current.map((member) => member.player.id));
const approved = clan.nameChanges.filter(
  (change) => change.status === 'approved' && currentIds.has(change.playerId),
);
const DAY = 86_400_000;

/** Pages of 50 a feed of `rows` rows needs, the last (short or empty) page included. */
const pagesFor = (rows: number): number => Math.floor(rows / 50) + 1;
/** Requests of the two feeds on a first run. */
const feedRequests = pagesFor(clan.activity.length) + pagesFor(approved.length);

let folder: TempFolder;
let store: Store;
let server: FakeWomServer | undefined;

async function startServer(extra: FakeWomServerOptions = {}): Promise<FakeWomServer> {
  server = await startFakeWomServer({ clan, rateLimit: false, apiKeys: [API_KEY], ...extra });
  return server;
}

beforeEach(async () => {
  folder = createTempFolder('clanstats-harvest-wom-');
  store = openStore(folder.file('clan_data.db'));
  await store.migrations.up();
});

afterEach(async () => {
  store.close();
  await server?.close();
  server = undefined;
  folder.remove();
});

function harvest(fake: FakeWomServer, extra: Partial<HarvestWomOptions> = {}) {
  return harvestWom({
    store,
    groupId,
    baseUrl: fake.url,
    apiKey: API_KEY,
    asOf: fake.now().getTime(),
    client: { rateLimit: false, retry: false },
    ...extra,
  });
}

function count(sql: string, ...params: unknown[]): number {
  return store.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}

function expectNoSecrets(value: unknown, ...secrets: string[]): void {
  const text = typeof value === 'string' ? value : `${JSON.stringify(value)}\n${inspect(value)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function openMemberships(): Array<{ playerId: number; role: string }> {
  return store.db
    .prepare<[number], { playerId: number; role: string }>(
      `SELECT player_id AS playerId, role FROM wom_memberships
       WHERE group_id = ? AND left_at IS NULL ORDER BY player_id`,
    )
    .all(groupId);
}

describe('harvestWom', () => {
  it('fills the group, roster, snapshots, window gains, activity and name changes; a re-run adds only what is new', async () => {
    const fake = await startServer();
    const runId = store.runs.start('harvest');
    const progress: WomHarvestProgress[] = [];
    const asOf = fake.now().getTime();
    const summary = await harvest(fake, {
      runId,
      asOf,
      onProgress: (step) => progress.push(step),
    });
    const serverRequests = fake.stats.requests;

    // The group and roster.
    expect(summary.group).toEqual({
      id: groupId,
      name: clan.group.name,
      memberCount: current.length,
    });
    expect(
      store.db.prepare('SELECT name, member_count AS memberCount FROM wom_groups').get(),
    ).toEqual({ name: clan.group.name, memberCount: current.length });
    expect(summary.members).toBe(current.length);
    expect(openMemberships()).toEqual(
      current
        .map((member) => ({ playerId: member.player.id, role: member.membership.role }))
        .sort((left, right) => left.playerId - right.playerId),
    );
    expect(summary.joined.sort((left, right) => left - right)).toEqual(
      current.map((member) => member.player.id).sort((left, right) => left - right),
    );
    expect(summary.left).toEqual([]);

    // One snapshot per tracked member, at WOM's latest snapshot, with every metric.
    expect(untracked.length).toBeGreaterThan(0);
    expect(summary.snapshots).toBe(tracked.length);
    for (const member of tracked) {
      const row = store.db
        .prepare<[number], { takenAt: number; runId: number; values: number }>(
          `SELECT s.taken_at AS takenAt, s.run_id AS runId,
             (SELECT count(*) FROM wom_snapshot_values v WHERE v.snapshot_id = s.id) AS "values"
           FROM wom_snapshots s WHERE s.player_id = ?`,
        )
        .get(member.player.id);
      expect(row).toEqual({
        takenAt: Date.parse(member.player.updatedAt ?? ''),
        runId,
        values: 113,
      });
    }
    const overall = store.read.snapshotsAt(
      tracked.map((member) => member.player.id),
      asOf,
      'before',
    );
    const hiscores = (await (
      await fetch(`${fake.url}/groups/${groupId}/hiscores?metric=overall`)
    ).json()) as Array<{ player: { id: number }; data: { experience: number } }>;
    for (const entry of hiscores) {
      const snapshot = overall.find((candidate) => candidate.playerId === entry.player.id);
      expect(snapshot?.metrics.overall?.value).toBe(entry.data.experience);
    }

    // Untracked members: a problem each, saying how to fix it; they stay in the roster.
    const notTracked = summary.problems.filter((problem) => problem.code === 'WOM_NOT_TRACKED');
    expect(notTracked.map((problem) => problem.scope).sort()).toEqual(
      untracked.map((member) => String(member.player.id)).sort(),
    );
    for (const problem of notTracked)
      expect(problem.message).toContain('update them on wiseoldman.net');
    expect(store.runs.problems(runId)).toEqual(
      summary.problems.map((problem) => ({ source: 'wom', ...problem })),
    );

    // WOM's gains of every tracked member in all 113 metrics, for every window.
    expect(summary.usedBulkEndpoints).toBe(true);
    expect(summary.windowGains).toBe(count('SELECT count(*) FROM wom_window_gains'));
    expect(summary.windowGains).toBeGreaterThan(tracked.length * 113);
    for (const days of WOM_WINDOW_DAYS) {
      const start = new Date(asOf - days * DAY).toISOString();
      const end = new Date(asOf).toISOString();
      const gained = (await (
        await fetch(
          `${fake.url}/groups/${groupId}/gained?metric=overall&startDate=${start}&endDate=${end}`,
        )
      ).json()) as Array<{ player: { id: number }; startDate: string; data: { gained: number } }>;
      expect(gained.length).toBeGreaterThan(0);
      const stored = store.db
        .prepare<
          [number],
          { playerId: number; gained: number; startAt: number; rangeStart: number }
        >(
          `SELECT g.player_id AS playerId, g.gained, g.start_at AS startAt, g.range_start AS rangeStart
           FROM wom_window_gains g JOIN wom_metrics m ON m.id = g.metric_id
           WHERE g.window_days = ? AND m.name = 'overall' ORDER BY g.player_id`,
        )
        .all(days);
      expect(stored).toEqual(
        gained
          .map((entry) => ({
            playerId: entry.player.id,
            gained: entry.data.gained,
            startAt: Date.parse(entry.startDate),
            rangeStart: asOf - days * DAY,
          }))
          .sort((left, right) => left.playerId - right.playerId),
      );
      expect(
        count(`SELECT count(DISTINCT metric_id) FROM wom_window_gains WHERE window_days = ?`, days),
      ).toBe(113);
    }

    // The whole activity feed (former members included) and every approved name change.
    expect(summary.activityEvents).toBe(clan.activity.length);
    expect(count('SELECT count(*) FROM wom_group_activity')).toBe(clan.activity.length);
    expect(approved.length).toBeGreaterThan(0);
    expect(summary.nameChanges).toBe(approved.length);
    for (const change of approved) {
      expect(store.read.findPlayersByName(change.oldName)).toContain(change.playerId);
    }

    // 6 requests for details, stats and 4 windows, then the two feeds.
    const firstRequests = 6 + feedRequests;
    expect(clan.activity.length).toBeGreaterThan(100); // several pages
    expect(summary.requests).toBe(firstRequests);
    expect(serverRequests).toBe(firstRequests);
    expect(summary.rateLimited).toBe(0);
    expect(summary.updateAll).toEqual({ requested: false, updatedPlayers: null, problem: null });
    expect([...new Set(progress.map((step) => step.phase))]).toEqual([
      'group',
      'activity',
      'name-changes',
      'stats',
      'done',
    ]);
    expectNoSecrets(summary, API_KEY);

    // A second run adds only what is new: nothing, in 8 requests (one page of each feed).
    fake.stats.reset();
    const before = {
      snapshots: count('SELECT count(*) FROM wom_snapshots'),
      memberships: count('SELECT count(*) FROM wom_memberships'),
      gains: count('SELECT count(*) FROM wom_window_gains'),
    };
    const second = await harvest(fake, { asOf });
    expect(second).toMatchObject({
      snapshots: 0,
      activityEvents: 0,
      nameChanges: 0,
      joined: [],
      left: [],
      roleChanged: [],
      requests: 8,
    });
    expect(fake.stats.requests).toBe(8);
    expect({
      snapshots: count('SELECT count(*) FROM wom_snapshots'),
      memberships: count('SELECT count(*) FROM wom_memberships'),
      gains: count('SELECT count(*) FROM wom_window_gains'),
    }).toEqual(before);
  });

  it('keeps one history for a renamed member, marks a leaver left, tracks role changes and returns', async () => {
    const fake = await startServer();
    await harvest(fake);
    const state = fake.state;
    const group = state.groups.get(groupId);
    if (group === undefined) throw new Error('no group');
    const now = fake.now();
    const at = (offset: number): string => new Date(now.getTime() + offset).toISOString();

    // Rename a member, remove another, promote a third, and flag a fourth.
    const playerState = (id: number) => {
      const player = state.players.get(id);
      if (player === undefined) throw new Error(`no player ${id}`);
      return player;
    };
    const [renamed, leaver, promoted, flagged] = [1, 2, 3, 4].map((index) =>
      playerState(tracked[index]?.player.id ?? -1),
    ) as [PlayerState, PlayerState, PlayerState, PlayerState];
    const oldName = renamed.displayName;
    state.byUsername.delete(renamed.username);
    renamed.displayName = 'Zz Renamed';
    renamed.username = 'zz renamed';
    state.byUsername.set(renamed.username, renamed);
    state.nameChanges.push({
      id: state.nextNameChangeId,
      playerId: renamed.id,
      oldName,
      newName: 'Zz Renamed',
      status: 'approved',
      reviewContext: null,
      resolvedAt: at(2),
      createdAt: at(1),
      updatedAt: at(2),
    });
    state.nextNameChangeId += 1;
    group.memberships = group.memberships.filter((membership) => membership.playerId !== leaver.id);
    const promotedMembership = group.memberships.find(
      (membership) => membership.playerId === promoted.id,
    );
    if (promotedMembership === undefined) throw new Error('no membership');
    const previousRole = promotedMembership.role;
    promotedMembership.role = previousRole === 'captain' ? 'general' : 'captain';
    const events: SyntheticMemberActivity[] = [
      {
        groupId,
        playerId: leaver.id,
        type: 'left',
        role: 'member',
        previousRole: null,
        createdAt: at(3),
      },
      {
        groupId,
        playerId: promoted.id,
        type: 'changed_role',
        role: promotedMembership.role,
        previousRole,
        createdAt: at(4),
      },
    ];
    group.activity.push(...events);
    flagged.status = 'flagged';

    const runId = store.runs.start('harvest');
    const summary = await harvest(fake, { runId });
    expect(summary).toMatchObject({
      left: [leaver.id],
      roleChanged: [promoted.id],
      joined: [],
      activityEvents: 2,
      nameChanges: 1,
      members: current.length - 1,
    });
    // The renamed member: one player id, the new name current, the old one an alias.
    expect(store.read.findPlayersByName('zz renamed')).toEqual([renamed.id]);
    expect(store.read.findPlayersByName(oldName)).toEqual([renamed.id]);
    expect(count('SELECT count(*) FROM wom_players WHERE id = ?', renamed.id)).toBe(1);
    expect(count('SELECT count(*) FROM wom_snapshots WHERE player_id = ?', renamed.id)).toBe(1);
    // The leaver: kept, their period closed, their window gains cleared.
    const periods = store.db
      .prepare<[number], { leftAt: number | null }>(
        'SELECT left_at AS leftAt FROM wom_memberships WHERE player_id = ? ORDER BY id',
      )
      .all(leaver.id);
    expect(periods).toHaveLength(1);
    expect(periods[0]?.leftAt).not.toBeNull();
    expect(count('SELECT count(*) FROM wom_players WHERE id = ?', leaver.id)).toBe(1);
    expect(count('SELECT count(*) FROM wom_window_gains WHERE player_id = ?', leaver.id)).toBe(0);
    expect(openMemberships().find((row) => row.playerId === promoted.id)?.role).toBe(
      promotedMembership.role,
    );
    // A member WOM cannot update is noted, and still stored.
    expect(summary.problems).toContainEqual({
      scope: String(flagged.id),
      code: 'WOM_PLAYER_NOT_UPDATABLE',
      message: expect.stringContaining('flagged') as string,
    });
    expect(openMemberships().some((row) => row.playerId === flagged.id)).toBe(true);

    // The leaver comes back: a new membership period.
    group.memberships.push({
      playerId: leaver.id,
      groupId,
      role: 'member',
      clientSyncJoinedAt: null,
      createdAt: fake.now().getTime(),
      updatedAt: fake.now().getTime(),
    });
    const back = await harvest(fake);
    expect(back.joined).toEqual([leaver.id]);
    expect(count('SELECT count(*) FROM wom_memberships WHERE player_id = ?', leaver.id)).toBe(2);
  });

  it('asks WOM to update everyone with the right code, and notes a wrong code without stopping', async () => {
    const fake = await startServer();
    const secret = clan.group.verificationCode;
    const progress: WomHarvestProgress[] = [];
    const summary = await harvest(fake, {
      groupSecret: secret,
      updateWaitMs: 20,
      onProgress: (step) => progress.push(step),
    });
    expect(summary.updateAll.requested).toBe(true);
    expect(summary.updateAll.problem).toBeNull();
    expect(summary.updateAll.updatedPlayers).toBeGreaterThanOrEqual(untracked.length);
    expect(progress.map((step) => step.phase)).toEqual(
      expect.arrayContaining(['update-all', 'waiting', 'group']),
    );
    // Every member has been updated now: no untracked members, a snapshot for everyone.
    expect(summary.problems.filter((problem) => problem.code === 'WOM_NOT_TRACKED')).toEqual([]);
    expect(summary.snapshots).toBe(current.length);
    const updateRequest = fake.requests.find(
      (request) => request.route === 'POST /groups/:id/update-all',
    );
    expect(updateRequest?.status).toBe(200);
    expectNoSecrets(summary, secret, API_KEY);

    // Everyone is fresh now: WOM answers NO_OUTDATED_MEMBERS, which is no problem and no wait.
    const fresh = await harvest(fake, { groupSecret: secret, updateWaitMs: 60_000 });
    expect(fresh.updateAll).toEqual({ requested: true, updatedPlayers: 0, problem: null });

    const wrong = '999-999-999';
    const runId = store.runs.start('harvest');
    const rejected = await harvest(fake, { groupSecret: wrong, updateWaitMs: 60_000, runId });
    expect(rejected.updateAll).toMatchObject({ requested: true, updatedPlayers: null });
    expect(rejected.updateAll.problem).toContain('WOM_GROUP_SECRET');
    expect(rejected.problems).toContainEqual({
      scope: null,
      code: 'WOM_UPDATE_ALL_FAILED',
      message: rejected.updateAll.problem,
    });
    expect(store.runs.problems(runId).map((problem) => problem.code)).toContain(
      'WOM_UPDATE_ALL_FAILED',
    );
    expect(rejected.members).toBe(current.length);
    expectNoSecrets(rejected, wrong, API_KEY);
    expectNoSecrets(store.runs.problems(runId), wrong, API_KEY);
  });

  it('works against a server without the bulk endpoints', async () => {
    const fake = await startServer({ legacy: true });
    const summary = await harvest(fake);
    expect(summary.usedBulkEndpoints).toBe(false);
    expect(summary.snapshots).toBe(tracked.length);
    for (const member of tracked.slice(0, 5)) {
      expect(
        count('SELECT taken_at FROM wom_snapshots WHERE player_id = ?', member.player.id),
      ).toBe(Date.parse(member.player.updatedAt ?? ''));
    }
    expect(count('SELECT count(DISTINCT metric_id) FROM wom_snapshot_values')).toBe(113);
    expect(count('SELECT count(DISTINCT metric_id) FROM wom_window_gains')).toBe(113);
    expect(summary.windowGains).toBeGreaterThan(tracked.length * 113);
    // 1 details + 1 probe + 113 hiscores + 4 × 113 gains, then the feeds.
    expect(summary.requests).toBe(567 + feedRequests);
  });

  it('writes nothing when a later feed page fails, so the next run reads every page again', async () => {
    expect(clan.activity.length).toBeGreaterThan(100);
    const fake = await startServer();
    const tables = ['wom_groups', 'wom_players', 'wom_snapshots', 'wom_window_gains'];
    const rows = (): number[] => tables.map((table) => count(`SELECT count(*) FROM ${table}`));
    // The third activity page answers with a wrong shape, after stats and two good pages.
    fake.injectFault({
      kind: 'status',
      status: 200,
      path: `/groups/${groupId}/activity`,
      skip: 2,
      body: JSON.stringify([{ groupId, playerId: 'one', type: 'joined' }]),
    });
    const error: unknown = await harvest(fake).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', field: '[0].playerId' });
    expect(rows()).toEqual([0, 0, 0, 0]);
    expect(count('SELECT count(*) FROM wom_group_activity')).toBe(0);

    const summary = await harvest(fake);
    expect(summary.activityEvents).toBe(clan.activity.length);
    expect(count('SELECT count(*) FROM wom_group_activity')).toBe(clan.activity.length);
    expect(rows().every((value) => value > 0)).toBe(true);
  });

  it('stops on abort, also while waiting after update-all', async () => {
    const fake = await startServer();
    const controller = new AbortController();
    const waiting = harvest(fake, {
      groupSecret: clan.group.verificationCode,
      updateWaitMs: 600_000,
      signal: controller.signal,
      onProgress: (step) => {
        if (step.phase === 'waiting') controller.abort();
      },
    });
    const error: unknown = await waiting.catch((caught: unknown) => caught);
    expect(isWomClientError(error) && error.code).toBe('ABORTED');
    expect(count('SELECT count(*) FROM wom_groups')).toBe(0);

    const aborted = new AbortController();
    aborted.abort();
    fake.stats.reset();
    await expect(harvest(fake, { signal: aborted.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(fake.stats.requests).toBe(0);
  });

  it('throws WOM errors for an unknown group or a bad key, without the key or secret', async () => {
    const fake = await startServer();
    const secret = clan.group.verificationCode;
    const notFound: unknown = await harvest(fake, { groupId: 424_242 }).catch(
      (caught: unknown) => caught,
    );
    expect(isWomClientError(notFound) && notFound.code).toBe('GROUP_NOT_FOUND');
    expect(count('SELECT count(*) FROM wom_groups')).toBe(0);

    const badKey = 'not-the-key-7c1e';
    const forbidden: unknown = await harvest(fake, { apiKey: badKey, groupSecret: secret }).catch(
      (caught: unknown) => caught,
    );
    expect(isWomClientError(forbidden) && forbidden.status).toBe(403);
    expect(forbidden).toBeInstanceOf(Error);
    const { message, stack } = forbidden as Error;
    expectNoSecrets(`${message}\n${stack ?? ''}\n${inspect(forbidden)}`, badKey, secret);
    expect(count('SELECT count(*) FROM wom_players')).toBe(0);
  });
});
