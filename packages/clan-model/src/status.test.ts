import { describe, expect, it } from 'vitest';
import { computeClanSummary } from './index.js';
import {
  DAY,
  addPlayer,
  discordUser,
  link,
  messages,
  memberOf,
  migratedStore,
  relayLines,
  roster,
} from './test-helpers.js';

const asOf = Date.UTC(2026, 5, 15, 12);

describe('inactivity', () => {
  it('judges each member on the signals that apply, with per-role thresholds and exemptions', async () => {
    const store = await migratedStore();
    // 1 recruit (14-day threshold): WOM 20 d, Discord 30 d → over on both: inactive.
    addPlayer(store, 1, 'Recruit One', { lastChangedAt: asOf - 20 * DAY });
    // 2 member (60 d): WOM 70 d but Discord 5 d → potentially inactive.
    addPlayer(store, 2, 'Half Gone', { lastChangedAt: asOf - 70 * DAY });
    // 3 member never on Discord, progressed 10 d ago → active, judged on WOM alone.
    addPlayer(store, 3, 'No Discord', { lastChangedAt: asOf - 10 * DAY });
    // 4 joined 10 d ago, never progressed, no Discord → active (measured from joining).
    addPlayer(store, 4, 'New Guy');
    // 5 joined 100 d ago, never progressed, no Discord → inactive.
    addPlayer(store, 5, 'Ghost');
    // 6 owner (exempt role), never active.
    addPlayer(store, 6, 'The Owner');
    // 7 exempt by a former name.
    addPlayer(store, 7, 'Alt Old');
    store.wom.upsertNameChanges([
      {
        id: 1,
        playerId: 7,
        oldName: 'Alt Old',
        newName: 'Alt New',
        status: 'approved',
        createdAt: asOf - 50 * DAY,
      },
    ]);
    addPlayer(store, 7, 'Alt New', { at: asOf - 40 * DAY });
    roster(store, asOf - 100 * DAY, [
      { playerId: 1, role: 'recruit' },
      { playerId: 2 },
      { playerId: 3 },
      { playerId: 5 },
      { playerId: 6, role: 'owner' },
      { playerId: 7 },
    ]);
    roster(store, asOf - 10 * DAY, [
      { playerId: 1, role: 'recruit' },
      { playerId: 2 },
      { playerId: 3 },
      { playerId: 4 },
      { playerId: 5 },
      { playerId: 6, role: 'owner' },
      { playerId: 7 },
    ]);
    discordUser(store, '600000000000000001', 'one');
    link(store, '600000000000000001', 1);
    messages(store, '600000000000000001', [asOf - 30 * DAY]);
    discordUser(store, '600000000000000002', 'half');
    link(store, '600000000000000002', 2);
    messages(store, '600000000000000002', [asOf - 5 * DAY]);

    const rules = {
      inactivity: { roleDays: { Recruit: 14 }, exemptRoles: ['Owner'], exemptNames: ['alt_old'] },
    };
    const summary = computeClanSummary(store, { asOf, rules });
    expect(summary.members).toHaveLength(7);
    expect(
      Object.fromEntries(summary.members.map((member) => [member.playerId, member.status])),
    ).toEqual({
      1: 'inactive',
      2: 'potentially_inactive',
      3: 'active',
      4: 'active',
      5: 'inactive',
      6: 'exempt',
      7: 'exempt',
    });
    expect(memberOf(summary, 1).inactivity).toEqual({
      thresholdDays: 14,
      exemptBy: null,
      summary: 'over 14 d on wom (20 d), discord (30 d)',
      signals: {
        wom: { available: true, lastAt: asOf - 20 * DAY, daysSince: 20, over: true },
        discord: { available: true, lastAt: asOf - 30 * DAY, daysSince: 30, over: true },
        clanChat: { available: false, lastAt: null, daysSince: null, over: false },
      },
    });
    expect(memberOf(summary, 2).inactivity.summary).toBe(
      'over 60 d on wom (70 d); active on discord',
    );
    expect(memberOf(summary, 3).inactivity.signals.discord.available).toBe(false);
    expect(memberOf(summary, 3).lastActiveAt).toBe(asOf - 10 * DAY);
    expect(memberOf(summary, 4).inactivity.signals.wom).toEqual({
      available: true,
      lastAt: null,
      daysSince: 10,
      over: false,
    });
    expect(memberOf(summary, 5).inactivity.summary).toBe('over 60 d on wom (never, 100 d)');
    expect(memberOf(summary, 5).lastActiveAt).toBeNull();
    expect(memberOf(summary, 6).inactivity.exemptBy).toBe('role');
    expect(memberOf(summary, 7).inactivity.exemptBy).toBe('name');
    expect(summary.coverage).toEqual({
      hasClanChat: false,
      membersNotTracked: 7,
      membersWithoutDiscord: 5,
    });
  });

  it('adds the clan-chat signal once the store holds relayed lines', async () => {
    const store = await migratedStore();
    addPlayer(store, 1, 'Chatter', { lastChangedAt: asOf - 90 * DAY });
    addPlayer(store, 2, 'Silent', { lastChangedAt: asOf - 90 * DAY });
    roster(store, asOf - 200 * DAY, [{ playerId: 1 }, { playerId: 2 }]);
    relayLines(store, 'chatter', [asOf - DAY]);
    const summary = computeClanSummary(store, { asOf });
    expect(memberOf(summary, 1).status).toBe('potentially_inactive');
    expect(memberOf(summary, 1).lastActiveAt).toBe(asOf - DAY);
    expect(memberOf(summary, 2).status).toBe('inactive');
    expect(memberOf(summary, 2).inactivity.signals.clanChat).toEqual({
      available: true,
      lastAt: null,
      daysSince: 200,
      over: true,
    });
  });
});

describe('rank-up suggestions', () => {
  it('suggest the highest rung whose tenure and score the member meets, with the reason', async () => {
    const store = await migratedStore();
    addPlayer(store, 1, 'Veteran');
    addPlayer(store, 2, 'Keen');
    addPlayer(store, 3, 'Boss');
    addPlayer(store, 4, 'Quiet');
    roster(store, asOf - 120 * DAY, [
      { playerId: 1, role: 'recruit' },
      { playerId: 3, role: 'owner' },
      { playerId: 4, role: 'recruit' },
    ]);
    roster(store, asOf - 40 * DAY, [
      { playerId: 1, role: 'recruit' },
      { playerId: 2, role: 'corporal' },
      { playerId: 3, role: 'owner' },
      { playerId: 4, role: 'recruit' },
    ]);
    const talk = (userId: string, playerId: number, count: number): void => {
      discordUser(store, userId, `user${playerId}`);
      link(store, userId, playerId);
      messages(
        store,
        userId,
        Array.from({ length: count }, (_, index) => asOf - (index + 1) * 3_600_000),
      );
    };
    talk('500000000000000001', 1, 75); // 75 × 6 = 450 points
    talk('500000000000000002', 2, 25); // 150 points
    talk('500000000000000003', 3, 100); // 600 points
    const ranks = [
      { role: 'recruit', minTenureDays: 0, minScore: 0 },
      { role: 'corporal', minTenureDays: 30, minScore: 100 },
      { role: 'sergeant', minTenureDays: 90, minScore: 300 },
    ];
    const summary = computeClanSummary(store, { asOf, rules: { ranks } });
    expect(memberOf(summary, 1)).toMatchObject({ score: 450, scoreIncomplete: true });
    expect(summary.rankUps).toEqual([
      {
        playerId: 1,
        displayName: 'Veteran',
        fromRole: 'recruit',
        toRole: 'sergeant',
        tenureDays: 120,
        score: 450,
        reason: 'tenure 120 d ≥ 90 d, score 450 ≥ 300',
      },
    ]);
    expect(memberOf(summary, 2).rankUp).toBeNull(); // sergeant needs 90 d; 40 d
    expect(memberOf(summary, 3).rankUp).toBeNull(); // owner is not on the ladder
    expect(memberOf(summary, 4).rankUp).toBeNull(); // score 0 < 100
    expect(computeClanSummary(store, { asOf }).rankUps).toEqual([]); // no ladder, no suggestions
  });
});
