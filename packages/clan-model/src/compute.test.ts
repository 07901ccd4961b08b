import { describe, expect, it } from 'vitest';
import { computeClanSummary, isClanModelError } from './index.js';
import {
  DAY,
  GROUP,
  HOUR,
  addPlayer,
  discordUser,
  link,
  messages,
  memberOf,
  migratedStore,
  relayLines,
  roster,
  snapshot,
  womWindowGains,
} from './test-helpers.js';

const asOf = Date.UTC(2026, 2, 31, 12, 0, 0); // Tuesday 2026-03-31 12:00 UTC

describe('renamed members', () => {
  it('keep one history keyed by player id: gains, former name, relay lines under the old name', async () => {
    const store = await migratedStore();
    addPlayer(store, 10, 'Old Name', { at: asOf - 100 * DAY });
    roster(store, asOf - 100 * DAY, [{ playerId: 10 }]);
    snapshot(store, 10, asOf - 31 * DAY, { xp: 1_000_000 });
    snapshot(store, 10, asOf - 8 * DAY, { xp: 1_500_000 });
    relayLines(store, 'Old Name', [asOf - 15 * DAY, asOf - 14 * DAY]);
    // Renamed 10 days ago.
    store.wom.upsertNameChanges([
      {
        id: 1,
        playerId: 10,
        oldName: 'Old Name',
        newName: 'New Name',
        status: 'approved',
        createdAt: asOf - 11 * DAY,
        resolvedAt: asOf - 10 * DAY,
      },
    ]);
    addPlayer(store, 10, 'New Name', { at: asOf - 5 * DAY });
    snapshot(store, 10, asOf - DAY, { xp: 2_000_000 });
    relayLines(store, 'New_Name', [asOf - 2 * DAY]);
    relayLines(store, 'Somebody Else', [asOf - 2 * DAY]);

    const summary = computeClanSummary(store, { asOf });
    const renamed = memberOf(summary, 10);
    expect(renamed.displayName).toBe('New Name');
    expect(renamed.formerNames).toEqual(['Old Name']);
    expect(renamed.windows['7d'].xp).toBe(500_000); // 2.0 M − 1.5 M (the −8 d snapshot)
    expect(renamed.windows['30d'].xp).toBe(1_000_000); // 2.0 M − 1.0 M (the −31 d snapshot)
    expect(renamed.windowSources['30d']).toEqual({
      source: 'snapshots',
      reason: null,
      baseAt: asOf - 31 * DAY,
      endAt: asOf - DAY,
    });
    expect(renamed.windows['7d'].clanChatMessages).toBe(1);
    expect(renamed.windows['30d'].clanChatMessages).toBe(3);
    expect(renamed.lastClanChatAt).toBe(asOf - 2 * DAY);
    expect(summary.events).toContainEqual({
      type: 'name_changed',
      playerId: 10,
      at: asOf - 10 * DAY,
      oldName: 'Old Name',
      newName: 'New Name',
      origin: 'name_change',
    });
  });
});

describe('members who left and came back', () => {
  it('are former members while gone, then members of a new period with its join date', async () => {
    const store = await migratedStore();
    addPlayer(store, 20, 'Boomerang');
    addPlayer(store, 21, 'Stayer');
    roster(store, asOf - 200 * DAY, [{ playerId: 20 }, { playerId: 21 }]);
    roster(store, asOf - 100 * DAY, [{ playerId: 21 }]);
    roster(store, asOf - 30 * DAY, [{ playerId: 21 }, { playerId: 20, joinedAt: asOf - 30 * DAY }]);
    // WOM's feed saw the leave a day before the harvest noticed it.
    store.wom.insertGroupActivity([
      { groupId: GROUP, playerId: 20, type: 'left', createdAt: asOf - 101 * DAY },
    ]);

    const whileGone = computeClanSummary(store, { asOf: asOf - 50 * DAY });
    expect(whileGone.members.map((entry) => entry.playerId)).toEqual([21]);
    expect(whileGone.formerMembers).toMatchObject([
      {
        playerId: 20,
        displayName: 'Boomerang',
        joinedAt: asOf - 200 * DAY,
        leftAt: asOf - 100 * DAY,
      },
    ]);

    const now = computeClanSummary(store, { asOf });
    expect(now.formerMembers).toEqual([]);
    expect(memberOf(now, 20).joinedAt).toBe(asOf - 30 * DAY);
    expect(memberOf(now, 20).tenureDays).toBe(30);
    expect(memberOf(now, 21).tenureDays).toBe(200);
    const boomerang = now.events.filter((event) => event.playerId === 20);
    expect(boomerang).toEqual([
      { type: 'joined', playerId: 20, at: asOf - 200 * DAY, role: 'member', origin: 'membership' },
      { type: 'left', playerId: 20, at: asOf - 101 * DAY, origin: 'activity' },
      { type: 'joined', playerId: 20, at: asOf - 30 * DAY, role: 'member', origin: 'membership' },
    ]);
  });
});

describe('members who left before the first harvest', () => {
  it('are former members from the activity feed, with the join and leave it recorded', async () => {
    const store = await migratedStore();
    addPlayer(store, 30, 'Early Leaver');
    addPlayer(store, 31, 'Stayer');
    addPlayer(store, 32, 'Joined Only');
    store.wom.insertGroupActivity([
      { groupId: GROUP, playerId: 30, type: 'joined', role: 'guest', createdAt: asOf - 90 * DAY },
      { groupId: GROUP, playerId: 30, type: 'left', createdAt: asOf - 40 * DAY },
      // Joined and (per the roster) gone, but the feed never saw the leave: not a known period.
      { groupId: GROUP, playerId: 32, type: 'joined', role: 'member', createdAt: asOf - 20 * DAY },
    ]);
    // The first harvest's roster, after they left.
    roster(store, asOf - 10 * DAY, [{ playerId: 31, joinedAt: asOf - 300 * DAY }]);

    const summary = computeClanSummary(store, { asOf });
    expect(summary.members.map((entry) => entry.playerId)).toEqual([31]);
    expect(summary.formerMembers).toMatchObject([
      {
        playerId: 30,
        displayName: 'Early Leaver',
        role: 'guest',
        joinedAt: asOf - 90 * DAY,
        leftAt: asOf - 40 * DAY,
      },
    ]);
    // Before they left, the feed's period makes them no current member: the roster is the truth.
    const before = computeClanSummary(store, { asOf: asOf - 60 * DAY });
    expect(before.members.map((entry) => entry.playerId)).not.toContain(30);
  });
});

describe('Discord users and links', () => {
  it('count messages by linked accounts only; a nickname naming two RSNs is never linked', async () => {
    const store = await migratedStore();
    addPlayer(store, 30, 'Sir Gowi');
    addPlayer(store, 31, 'Lynx Titan');
    roster(store, asOf - 100 * DAY, [{ playerId: 30 }, { playerId: 31 }]);
    discordUser(store, '800000000000000001', 'gowi_irl', { nickname: 'Sir Gowi' });
    discordUser(store, '800000000000000002', 'both', { nickname: 'Sir Gowi | Lynx Titan' });
    discordUser(store, '800000000000000003', 'lynx_fan', { nickname: 'Lynx Titann' });
    link(store, '800000000000000001', 30);
    messages(store, '800000000000000001', [asOf - 3 * DAY, asOf - 20 * DAY]);
    messages(store, '800000000000000002', [asOf - 3 * DAY, asOf - 4 * DAY, asOf - 40 * DAY]);
    messages(store, '800000000000000003', [asOf - 10 * DAY]);
    messages(store, '800000000000000003', [asOf - 9 * DAY], { isBot: true });

    const summary = computeClanSummary(store, { asOf });
    expect(memberOf(summary, 30).windows['7d'].messages).toBe(1);
    expect(memberOf(summary, 30).windows['30d'].messages).toBe(2);
    expect(memberOf(summary, 31).windows['30d'].messages).toBe(0);
    expect(memberOf(summary, 31).discordUsers).toEqual([]);
    expect(summary.unmatchedDiscord).toEqual([
      {
        userId: '800000000000000002',
        username: 'both',
        globalName: null,
        nickname: 'Sir Gowi | Lynx Titan',
        messages: { '7d': 2, '30d': 2, '90d': 3, '365d': 3 },
        lastMessageAt: asOf - 3 * DAY,
        suggestions: [],
        ambiguousPlayerIds: [30, 31],
      },
      {
        userId: '800000000000000003',
        username: 'lynx_fan',
        globalName: null,
        nickname: 'Lynx Titann',
        messages: { '7d': 0, '30d': 1, '90d': 1, '365d': 1 },
        lastMessageAt: asOf - 10 * DAY,
        suggestions: [],
        ambiguousPlayerIds: [],
      },
    ]);
    // The model reads only: no link was written.
    expect(store.identity.listLinks().map((entry) => entry.discordUserId)).toEqual([
      '800000000000000001',
    ]);
  });

  it('suggests a link for an exact name match, and counts questions, answers and answer times', async () => {
    const store = await migratedStore();
    addPlayer(store, 32, 'Zezima');
    roster(store, asOf - 100 * DAY, [{ playerId: 32 }]);
    discordUser(store, '800000000000000010', 'zez', { nickname: '[PvM] Zezima' });
    discordUser(store, '800000000000000011', 'asker');
    link(store, '800000000000000011', 32);
    messages(store, '800000000000000010', [asOf - DAY]);
    const [early, late] = messages(
      store,
      '800000000000000011',
      [asOf - 20 * DAY, asOf - 2 * DAY, asOf - HOUR],
      { isQuestion: true },
    ) as [string, string, string]; // the last is never answered
    messages(store, '800000000000000010', [asOf - 20 * DAY + 10 * 60_000], { answerToId: early });
    messages(store, '800000000000000010', [asOf - 20 * DAY + 30 * 60_000], { answerToId: early });
    messages(store, '800000000000000010', [asOf - 2 * DAY + 2 * 60_000], { answerToId: late });
    const [other] = messages(store, '800000000000000010', [asOf - 6 * DAY], { isQuestion: true });
    messages(store, '800000000000000011', [asOf - 5 * DAY], { answerToId: other as string });

    const summary = computeClanSummary(store, { asOf });
    const asker = memberOf(summary, 32);
    expect(asker.windows['7d']).toMatchObject({
      messages: 3,
      questions: 2,
      answers: 1,
      medianAnswerMs: 120_000,
    });
    // 30 d: first answers after 10 min and 2 min → median 6 min.
    expect(asker.windows['30d']).toMatchObject({
      messages: 4,
      questions: 3,
      answers: 1,
      medianAnswerMs: 360_000,
    });
    expect(summary.unmatchedDiscord).toMatchObject([
      {
        userId: '800000000000000010',
        suggestions: [
          { playerId: 32, displayName: 'Zezima', matchedName: 'Zezima', via: 'nickname' },
        ],
      },
    ]);
  });
});

describe('windows', () => {
  it('take the exact edges [asOf − N × 24 h, asOf]', async () => {
    const store = await migratedStore();
    addPlayer(store, 40, 'Edge');
    roster(store, asOf - 400 * DAY, [{ playerId: 40 }]);
    discordUser(store, '800000000000000020', 'edge');
    link(store, '800000000000000020', 40);
    messages(store, '800000000000000020', [asOf - 7 * DAY - 1, asOf - 7 * DAY, asOf, asOf + 1]);
    relayLines(store, 'Edge', [asOf - 30 * DAY - 1, asOf - 30 * DAY, asOf + 1]);
    const windows = memberOf(computeClanSummary(store, { asOf }), 40).windows;
    expect(windows['7d'].messages).toBe(2);
    expect(windows['30d'].messages).toBe(3);
    expect(windows.all.messages).toBe(3);
    expect(windows['7d'].clanChatMessages).toBe(0);
    expect(windows['30d'].clanChatMessages).toBe(1);
    expect(windows['90d'].clanChatMessages).toBe(2);
    expect(windows['7d'].since).toBe(asOf - 7 * DAY);
    expect(windows.all.since).toBe(asOf - 400 * DAY);
  });

  it('choose snapshots, then WOM window gains, then gains since the first snapshot, else null with a reason', async () => {
    const store = await migratedStore();
    for (const [id, name] of [
      [50, 'Untracked'],
      [51, 'Newcomer'],
      [52, 'Fresh Install'],
      [53, 'Stale'],
    ] as const) {
      addPlayer(store, id, name);
    }
    roster(
      store,
      asOf - 100 * DAY,
      [50, 51, 52, 53].map((playerId) => ({ playerId })),
    );
    // 51: first tracked 20 days ago.
    snapshot(store, 51, asOf - 20 * DAY, {
      xp: 5_000_000,
      skills: { attack: 1_000_000, strength: -1 },
      bosses: { zulrah: 100, vorkath: -1, kril_tsutsaroth: -1 },
      ehp: 10,
    });
    snapshot(store, 51, asOf - DAY, {
      xp: 6_000_000,
      skills: { attack: 1_300_000, strength: 2_000_000 },
      bosses: { zulrah: 90, vorkath: 500, kril_tsutsaroth: -1 },
      ehp: 12.5,
    });
    // 52: one local snapshot; WOM's own gains harvested 2 h before asOf for 30 days.
    snapshot(store, 52, asOf - DAY, { xp: 9_000_000, bosses: { zulrah: 10 } });
    womWindowGains(store, 52, 30, asOf - 2 * HOUR, {
      overall: { start: 8_000_000, end: 9_000_000 },
      zulrah: { start: -1, end: 10 },
    });
    womWindowGains(store, 52, 90, asOf - 7 * HOUR, { overall: { start: 1, end: 9_000_000 } });
    // 53: not seen for 200 days.
    snapshot(store, 53, asOf - 400 * DAY, { xp: 100 });
    snapshot(store, 53, asOf - 200 * DAY, { xp: 200 });

    const summary = computeClanSummary(store, { asOf });
    const untracked = memberOf(summary, 50);
    expect(untracked.windows['30d'].xp).toBeNull();
    expect(untracked.windowSources['30d']).toEqual({
      source: null,
      reason: 'not_tracked',
      baseAt: null,
      endAt: null,
    });
    expect(untracked.current).toBeNull();

    const newcomer = memberOf(summary, 51);
    // 7 d: the −20 d snapshot is 13 d older than the window start (tolerance 1.75 d), and the only
    // snapshot inside the window is the end.
    expect(newcomer.windowSources['7d']).toEqual({
      source: null,
      reason: 'stale_baseline',
      baseAt: null,
      endAt: null,
    });
    expect(newcomer.windowSources['30d'].source).toBe('since_first_snapshot');
    expect(newcomer.windowSources.all.source).toBe('since_first_snapshot');
    expect(newcomer.windows['30d']).toMatchObject({
      xp: 1_000_000,
      ehp: 2.5,
      // zulrah 100 → 90 is 0 (never negative); vorkath unranked → 500 is +500 (not +501);
      // kril unranked at both ends is 0.
      bossKills: 500,
      bossKillsByBoss: { vorkath: 500 },
      // attack 1.0 M → 1.3 M XP is level 73 → 75; strength unranked at the start is not counted.
      levels: 2,
    });

    const fresh = memberOf(summary, 52);
    expect(fresh.windowSources['30d']).toEqual({
      source: 'wom',
      reason: null,
      baseAt: asOf - 2 * HOUR - 30 * DAY + HOUR,
      endAt: asOf - 3 * HOUR,
    });
    expect(fresh.windows['30d']).toMatchObject({ xp: 1_000_000, bossKills: 10 });
    // The 90-day row was harvested 7 h before asOf: too old to use.
    expect(fresh.windowSources['90d']).toEqual({
      source: null,
      reason: 'no_baseline',
      baseAt: null,
      endAt: null,
    });
    expect(fresh.windows['90d'].xp).toBeNull();

    const stale = memberOf(summary, 53);
    expect(stale.windowSources['7d'].reason).toBe('no_snapshot_in_window');
    // 'all' starts at the join (−100 d): the −200 d snapshot is both base and end.
    expect(stale.windowSources.all.reason).toBe('no_snapshot_in_window');
    // 365 d: the −400 d base is 35 d older than the start (tolerance 30 d): not passed off as a year.
    expect(stale.windowSources['365d'].reason).toBe('stale_baseline');
    expect(stale.windows['365d'].xp).toBeNull();

    expect(summary.totals['30d']).toMatchObject({
      xp: 2_000_000,
      bossKills: 510,
      membersWithGains: 2,
      membersMissingBaseline: 2,
      sources: { snapshots: 0, wom: 1, since_first_snapshot: 1 },
    });
    expect(summary.bosses.windows['30d']).toEqual([
      {
        boss: 'vorkath',
        kills: 500,
        topKiller: { playerId: 51, displayName: 'Newcomer', kills: 500 },
      },
      {
        boss: 'zulrah',
        kills: 10,
        topKiller: { playerId: 52, displayName: 'Fresh Install', kills: 10 },
      },
    ]);
    expect(summary.bosses.records).toEqual([
      { boss: 'vorkath', kills: 500, holder: { playerId: 51, displayName: 'Newcomer' } },
      { boss: 'zulrah', kills: 90, holder: { playerId: 51, displayName: 'Newcomer' } },
    ]);
  });
});

describe('errors', () => {
  it('NO_GROUP for an empty store, INVALID_OPTIONS for a bad time zone, several groups or bad rules, STORE_OUTDATED without migration 0004, 0005 or 0006', async () => {
    const store = await migratedStore();
    expect(() => computeClanSummary(store, { timeZone: 'Mars/Olympus_Mons' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'timeZone' }),
    );
    expect(() => computeClanSummary(store, { groupId: 5 })).toThrow(
      expect.objectContaining({ code: 'NO_GROUP', groupIds: [GROUP] }),
    );
    store.wom.upsertGroup({ id: 2, name: 'Other' });
    let caught: unknown;
    try {
      computeClanSummary(store);
    } catch (error) {
      caught = error;
    }
    expect(isClanModelError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'INVALID_OPTIONS',
      option: 'groupId',
      groupIds: [2, GROUP],
    });
    store.db.exec('DELETE FROM wom_groups');
    expect(() => computeClanSummary(store)).toThrow(expect.objectContaining({ code: 'NO_GROUP' }));
    expect(() =>
      computeClanSummary(store, { rules: { score: { window: '14d' as '7d' } } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'rules.score.window' }));
    store.wom.upsertGroup({ id: GROUP, name: 'Test Clan' });
    store.db.exec('ALTER TABLE wom_snapshots DROP COLUMN overall_exp');
    expect(() => computeClanSummary(store)).toThrow(/lacks migration 0006/);
    store.db.exec('ALTER TABLE wom_snapshots ADD COLUMN overall_exp INTEGER');
    store.db.exec('DROP TABLE discord_channel_days');
    expect(() => computeClanSummary(store)).toThrow(/lacks migration 0005/);
    expect(() => computeClanSummary(store)).toThrow(
      expect.objectContaining({ code: 'STORE_OUTDATED' }),
    );
    store.db.exec('DROP TABLE discord_author_days');
    expect(() => computeClanSummary(store)).toThrow(/lacks migration 0004/);
  });
});
