import { describe, expect, it } from 'vitest';
import type { PlayerRecord, SnapshotData, Store, WindowGainRecord } from './index.js';
import { migratedStore } from './test-helpers.js';

const day = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00.000Z');

const group = {
  id: 11114,
  name: 'Nevr Lucky',
  clanChat: 'Nevr Lucky',
  verified: true,
  memberCount: 3,
};
const players: PlayerRecord[] = [
  {
    id: 1,
    username: 'sir gowi',
    displayName: 'Sir Gowi',
    type: 'regular',
    exp: 1000,
    ehp: 1.5,
    lastChangedAt: t0,
  },
  {
    id: 2,
    username: 'bob',
    displayName: 'bob',
    type: 'ironman',
    lastChangedAt: '2026-01-02T00:00:00.000Z',
  },
  { id: 3, username: 'bobby', displayName: 'Bobby', type: 'regular' },
];

function snapshotData(xp: number, kills: number): SnapshotData {
  return {
    skills: {
      overall: { experience: xp, rank: 10, level: 50 },
      attack: { experience: xp / 2, rank: 20, level: 40 },
    },
    bosses: { zulrah: { kills, rank: 5 }, obor: { kills: -1, rank: -1 } },
    activities: { clue_scrolls_all: { score: 3, rank: 100 } },
    computed: { ehp: { value: 1.25, rank: 7 }, ehb: { value: 0.5, rank: 8 } },
  };
}

function counts(store: Store): Record<string, number> {
  const tables = [
    'wom_groups',
    'wom_players',
    'wom_player_names',
    'wom_memberships',
    'wom_name_changes',
    'wom_group_activity',
    'wom_metrics',
    'wom_snapshots',
    'wom_snapshot_values',
  ];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
    ]),
  );
}

async function seeded(): Promise<Store> {
  const store = await migratedStore();
  store.wom.upsertGroup(group, t0);
  store.wom.upsertPlayers(players, t0);
  store.wom.syncMemberships(
    group.id,
    players.map((player) => ({ playerId: player.id, role: 'member', joinedAt: t0 - 10 * day })),
    t0,
  );
  return store;
}

describe('WOM writers', () => {
  it('are idempotent: re-ingesting the same data changes nothing', async () => {
    const store = await seeded();
    const ingest = (): void => {
      store.wom.upsertGroup(group, t0);
      store.wom.upsertPlayers(players, t0);
      store.wom.syncMemberships(
        group.id,
        players.map((player) => ({ playerId: player.id, role: 'member', joinedAt: t0 - 10 * day })),
        t0,
      );
      store.wom.upsertNameChanges([
        {
          id: 7,
          playerId: 1,
          oldName: 'Gowi_Old',
          newName: 'Sir Gowi',
          status: 'approved',
          createdAt: t0 - day,
          resolvedAt: t0 - day,
        },
      ]);
      store.wom.insertGroupActivity([
        {
          groupId: group.id,
          playerId: 2,
          type: 'joined',
          role: 'member',
          createdAt: t0 - 10 * day,
        },
      ]);
      store.wom.insertSnapshots(
        players.map((player) => ({
          playerId: player.id,
          takenAt: t0,
          data: snapshotData(1000, 4),
        })),
      );
    };
    ingest();
    const first = counts(store);
    const dump = (): unknown[] =>
      ['wom_players', 'wom_memberships', 'wom_snapshot_values', 'wom_player_names'].map((table) =>
        store.db.prepare(`SELECT * FROM ${table}`).all(),
      );
    const firstDump = dump();
    ingest();
    expect(counts(store)).toEqual(first);
    expect(dump()).toEqual(firstDump);
    expect(first).toMatchObject({
      wom_snapshots: 3,
      wom_snapshot_values: 3 * 7,
      wom_metrics: 7,
      wom_group_activity: 1,
    });
  });

  it('keep leavers, open a new period for a returning member, and track role changes', async () => {
    const store = await seeded();
    const later = t0 + 5 * day;
    const result = store.wom.syncMemberships(
      group.id,
      [
        { playerId: 1, role: 'administrator', joinedAt: t0 - 10 * day },
        { playerId: 3, role: 'member', joinedAt: t0 - 10 * day },
      ],
      later,
    );
    expect(result).toEqual({ joined: [], left: [2], roleChanged: [1] });
    // Ordered by username: bobby, sir gowi. bob left and is kept as a closed period.
    expect(
      store.read.currentMembers(group.id).map((member) => [member.playerId, member.role]),
    ).toEqual([
      [3, 'member'],
      [1, 'administrator'],
    ]);

    // bob comes back with WOM's old joinedAt: a second period that starts after the leave.
    const back = t0 + 9 * day;
    expect(
      store.wom.syncMemberships(
        group.id,
        [
          { playerId: 1, role: 'administrator', joinedAt: t0 - 10 * day },
          { playerId: 2, role: 'member', joinedAt: t0 - 10 * day },
          { playerId: 3, role: 'member', joinedAt: t0 - 10 * day },
        ],
        back,
      ).joined,
    ).toEqual([2]);
    const periods = store.read.membershipHistory(group.id).filter((row) => row.playerId === 2);
    expect(periods.map((row) => [row.joinedAt, row.leftAt])).toEqual([
      [t0 - 10 * day, later],
      [back, null],
    ]);
    expect(store.db.prepare('SELECT count(*) FROM wom_memberships').pluck().get()).toBe(4);
  });

  it('record former names as aliases, matched with WOM normalisation and never by substring', async () => {
    const store = await seeded();
    store.wom.upsertNameChanges([
      {
        id: 9,
        playerId: 2,
        oldName: 'Old_Bob-Name',
        newName: 'bob',
        status: 'approved',
        createdAt: t0,
        resolvedAt: t0,
      },
      {
        id: 10,
        playerId: 3,
        oldName: 'ignored',
        newName: 'Bobby',
        status: 'denied',
        createdAt: t0,
      },
    ]);
    expect(store.read.findPlayersByName('old bob name')).toEqual([2]);
    expect(store.read.findPlayersByName('  OLD_BOB NAME ')).toEqual([2]);
    expect(store.read.findPlayersByName('bob')).toEqual([2]);
    expect(store.read.findPlayersByName('bo')).toEqual([]);
    expect(store.read.findPlayersByName('ignored')).toEqual([]);
    expect(store.read.findPlayersByName('sir_gowi')).toEqual([1]);
    expect(
      store.read
        .playerNames(2)
        .map((name) => name.displayName)
        .sort(),
    ).toEqual(['Old_Bob-Name', 'bob']);
  });

  it("keep each snapshot's overall experience beside it, written with it and backfilled by migration 0006", async () => {
    const store = await seeded();
    const withoutOverall = snapshotData(700, 1);
    delete withoutOverall.skills?.overall;
    store.wom.insertSnapshots([
      { playerId: 1, takenAt: t0, data: snapshotData(1000, 4) },
      { playerId: 1, takenAt: t0 + day, data: snapshotData(-1, 9) },
      { playerId: 2, takenAt: t0, data: withoutOverall },
    ]);
    const read = () =>
      store.db
        .prepare(
          `SELECT s.player_id, s.taken_at, s.overall_exp, v.value FROM wom_snapshots s
           LEFT JOIN wom_snapshot_values v ON v.snapshot_id = s.id
             AND v.metric_id = (SELECT id FROM wom_metrics WHERE name = 'overall')
           ORDER BY s.player_id, s.taken_at`,
        )
        .all();
    const written = read();
    expect(written).toEqual([
      { player_id: 1, taken_at: t0, overall_exp: 1000, value: 1000 },
      { player_id: 1, taken_at: t0 + day, overall_exp: -1, value: -1 },
      { player_id: 2, taken_at: t0, overall_exp: null, value: null },
    ]);
    await store.migrations.down({ to: '0006_snapshot_overall' });
    await store.migrations.up();
    expect(read()).toEqual(written);
  });

  it('store every metric, keep metrics WOM adds later, and read the snapshot at or around a time', async () => {
    const store = await seeded();
    store.wom.insertSnapshots([
      { playerId: 1, takenAt: t0, data: snapshotData(1000, 4) },
      { playerId: 1, takenAt: t0 + day, data: snapshotData(1500, 9) },
      {
        playerId: 1,
        takenAt: t0 + 2 * day,
        data: {
          ...snapshotData(2000, 10),
          bosses: { zulrah: { kills: 10, rank: 4 }, brand_new_boss: { kills: 6, rank: 99 } },
        },
      },
    ]);
    const [atDayOne] = store.read.snapshotsAt([1, 2], t0 + day + 1000);
    expect(atDayOne).toMatchObject({ playerId: 1, takenAt: t0 + day });
    expect(atDayOne?.metrics.overall).toEqual({
      category: 'skill',
      value: 1500,
      rank: 10,
      level: 50,
    });
    expect(atDayOne?.metrics.obor).toEqual({ category: 'boss', value: -1, rank: -1, level: null });
    expect(atDayOne?.metrics.ehp).toEqual({
      category: 'computed',
      value: 1.25,
      rank: 7,
      level: null,
    });

    const [latest] = store.read.snapshotsAt([1], t0 + 30 * day);
    expect(latest?.metrics.brand_new_boss).toEqual({
      category: 'boss',
      value: 6,
      rank: 99,
      level: null,
    });
    expect(store.read.snapshotsAt([1], t0 - 1, 'after')[0]?.takenAt).toBe(t0);
    expect(store.read.snapshotsAt([1], t0 - 1)).toEqual([]);
  });

  it('write nothing from a batch that fails halfway', async () => {
    const store = await seeded();
    const before = counts(store);
    expect(() =>
      store.wom.insertSnapshots([
        { playerId: 1, takenAt: t0, data: snapshotData(1000, 4) },
        {
          playerId: 2,
          takenAt: t0,
          data: { bosses: { new_metric_in_failed_batch: { kills: 1, rank: 1 } } },
        },
        { playerId: 3, takenAt: 'not a date', data: snapshotData(1000, 4) },
      ]),
    ).toThrow(/snapshot.takenAt is not a valid date/);
    expect(counts(store)).toEqual(before);
    // The metric id cache was reset with the rollback: a later write still works.
    expect(
      store.wom.insertSnapshots([
        {
          playerId: 2,
          takenAt: t0,
          data: { bosses: { new_metric_in_failed_batch: { kills: 1, rank: 1 } } },
        },
      ]),
    ).toBe(1);
  });

  it('forget metric ids a rolled-back store.transaction took with it', async () => {
    const store = await seeded();
    const before = counts(store);
    const metric = { bosses: { metric_added_then_rolled_back: { kills: 2, rank: 9 } } };
    expect(() =>
      store.transaction(() => {
        expect(store.wom.insertSnapshots([{ playerId: 1, takenAt: t0, data: metric }])).toBe(1);
        throw new Error('a later write of the same harvest failed');
      }),
    ).toThrow(/later write/);
    expect(counts(store)).toEqual(before);
    // Had the id of the rolled-back metric row stayed cached, its values would point nowhere.
    expect(store.wom.insertSnapshots([{ playerId: 1, takenAt: t0, data: metric }])).toBe(1);
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    expect(
      store.db
        .prepare(
          `SELECT count(*) FROM wom_snapshot_values v JOIN wom_metrics m ON m.id = v.metric_id
           WHERE m.name = 'metric_added_then_rolled_back'`,
        )
        .pluck()
        .get(),
    ).toBe(1);
  });

  it('replace window gains per member and window, in one transaction', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers(players, t0);
    const runId = store.runs.start('harvest', t0);
    const end = t0 + 30 * day;
    const gain = (
      playerId: number,
      windowDays: number,
      metric: string,
      gained: number,
      category: WindowGainRecord['category'] = 'skill',
    ): WindowGainRecord => ({
      playerId,
      windowDays,
      metric,
      category,
      rangeStart: end - windowDays * day,
      rangeEnd: new Date(end),
      startAt: new Date(end - windowDays * day + 3_600_000).toISOString(),
      endAt: end - 60_000,
      startValue: 100,
      endValue: 100 + gained,
      gained,
    });
    const rows = (): unknown[] =>
      store.db
        .prepare(
          `SELECT g.player_id AS playerId, g.window_days AS windowDays, m.name AS metric,
             m.category, g.range_start AS rangeStart, g.range_end AS rangeEnd, g.start_at AS startAt,
             g.end_at AS endAt, g.start_value AS startValue, g.end_value AS endValue, g.gained,
             g.run_id AS runId
           FROM wom_window_gains g JOIN wom_metrics m ON m.id = g.metric_id
           ORDER BY g.player_id, g.window_days, m.name`,
        )
        .all();

    expect(
      store.wom.replaceWindowGains(
        [
          gain(1, 7, 'overall', 50),
          gain(1, 7, 'zulrah', 3, 'boss'),
          gain(1, 30, 'overall', 500),
          gain(2, 7, 'ehp', 1.5, 'computed'),
        ],
        runId,
      ),
    ).toBe(4);
    expect(rows()).toEqual([
      {
        playerId: 1,
        windowDays: 7,
        metric: 'overall',
        category: 'skill',
        rangeStart: end - 7 * day,
        rangeEnd: end,
        startAt: end - 7 * day + 3_600_000,
        endAt: end - 60_000,
        startValue: 100,
        endValue: 150,
        gained: 50,
        runId,
      },
      expect.objectContaining({ playerId: 1, windowDays: 7, metric: 'zulrah', category: 'boss' }),
      expect.objectContaining({ playerId: 1, windowDays: 30, metric: 'overall', gained: 500 }),
      expect.objectContaining({ playerId: 2, windowDays: 7, metric: 'ehp', gained: 1.5 }),
    ]);

    // Player 1's 7-day window is replaced whole (zulrah is gone); its 30-day window and player 2
    // are not in the batch and stay. Writing the same batch twice changes nothing.
    const replacement = [gain(1, 7, 'overall', 60), gain(1, 7, 'attack', 10)];
    expect(store.wom.replaceWindowGains(replacement)).toBe(2);
    const once = rows();
    expect(store.wom.replaceWindowGains(replacement)).toBe(2);
    expect(rows()).toEqual(once);
    expect(once).toEqual([
      expect.objectContaining({ playerId: 1, windowDays: 7, metric: 'attack', runId: null }),
      expect.objectContaining({ playerId: 1, windowDays: 7, metric: 'overall', gained: 60 }),
      expect.objectContaining({ playerId: 1, windowDays: 30, metric: 'overall', gained: 500 }),
      expect.objectContaining({ playerId: 2, windowDays: 7, metric: 'ehp' }),
    ]);

    // A batch that fails halfway writes nothing, and forgets the metric it had created.
    expect(() =>
      store.wom.replaceWindowGains([
        gain(2, 7, 'metric_added_in_failed_batch', 1, 'activity'),
        { ...gain(2, 30, 'overall', 1), endAt: 'not a date' },
      ]),
    ).toThrow(/windowGain.endAt is not a valid date/);
    expect(() => store.wom.replaceWindowGains([gain(2, 0, 'overall', 1)])).toThrow(
      /windowDays must be a positive whole number/,
    );
    expect(rows()).toEqual(once);
    expect(
      store.wom.replaceWindowGains([gain(2, 7, 'metric_added_in_failed_batch', 1, 'activity')]),
    ).toBe(1);
    expect(rows()).toContainEqual(
      expect.objectContaining({ metric: 'metric_added_in_failed_batch', category: 'activity' }),
    );
    expect(store.wom.replaceWindowGains([])).toBe(0);

    // A member with no gain in a window any more: the pair is cleared with `pairs`.
    expect(
      store.wom.replaceWindowGains([gain(1, 30, 'overall', 7)], runId, {
        pairs: [
          { playerId: 2, windowDays: 7 },
          { playerId: 1, windowDays: 30 },
        ],
      }),
    ).toBe(1);
    expect(rows()).toEqual([
      expect.objectContaining({ playerId: 1, windowDays: 7, metric: 'attack' }),
      expect.objectContaining({ playerId: 1, windowDays: 7, metric: 'overall', gained: 60 }),
      expect.objectContaining({ playerId: 1, windowDays: 30, metric: 'overall', gained: 7 }),
    ]);
  });

  it('report the stored status of known name changes', async () => {
    const store = await seeded();
    store.wom.upsertNameChanges([
      {
        id: 10,
        playerId: 1,
        oldName: 'Old Gowi',
        newName: 'Sir Gowi',
        status: 'approved',
        createdAt: t0,
      },
      { id: 11, playerId: 2, oldName: 'bobb', newName: 'bob', status: 'pending', createdAt: t0 },
    ]);
    expect(store.wom.nameChangeStatuses([])).toEqual(new Map());
    expect(store.wom.nameChangeStatuses([12, 11, 10])).toEqual(
      new Map([
        [11, 'pending'],
        [10, 'approved'],
      ]),
    );
  });
});
