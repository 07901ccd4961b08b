import { describe, expect, it } from 'vitest';
import { computeClanSummary, type ClanSummary } from './index.js';
import {
  DAY,
  HOUR,
  addPlayer,
  discordUser,
  messages,
  migratedStore,
  relayLines,
  roster,
  snapshot,
} from './test-helpers.js';

const utc = Date.UTC;

function day(summary: ClanSummary, date: string) {
  const point = summary.daily.find((entry) => entry.date === date);
  if (point === undefined) throw new Error(`no day ${date}`);
  return point;
}

describe('days and the heatmap in the clan time zone', () => {
  it('follow Europe/Amsterdam across the 2026-03-29 DST change (a 23-hour day)', async () => {
    const asOf = utc(2026, 2, 31, 12); // Tuesday 14:00 CEST
    const store = await migratedStore();
    addPlayer(store, 1, 'Dutchie');
    roster(store, utc(2025, 0, 1), [{ playerId: 1 }]);
    snapshot(store, 1, utc(2026, 2, 28, 22), { xp: 1000 }); // Sat 23:00 CET
    snapshot(store, 1, utc(2026, 2, 28, 23, 30), { xp: 1500 }); // Sun 00:30 CET
    snapshot(store, 1, utc(2026, 2, 29, 21), { xp: 2500 }); // Sun 23:00 CEST
    snapshot(store, 1, utc(2026, 2, 29, 22, 30), { xp: 2600 }); // Mon 00:30 CEST
    discordUser(store, '400000000000000001', 'chatty');
    messages(store, '400000000000000001', [
      utc(2026, 2, 28, 22, 59, 59, 999), // Sat 23:59:59.999 CET
      utc(2026, 2, 28, 23), // Sun 00:00 CET
      utc(2026, 2, 29, 0, 30), // Sun 01:30 CET
      utc(2026, 2, 29, 1, 30), // Sun 03:30 CEST (02:00–03:00 does not exist)
      utc(2026, 2, 29, 21, 59, 59, 999), // Sun 23:59:59.999 CEST
      utc(2026, 2, 29, 22), // Mon 00:00 CEST
      asOf - 30 * DAY - 1, // Sun 1 March 12:59:59.999 CET: before the heatmap range
      asOf - 30 * DAY, // Sun 1 March 13:00 CET: its first instant
      asOf + 1, // after asOf: nowhere
    ]);
    relayLines(store, 'Dutchie', [utc(2026, 2, 31, 11, 59)]); // Tue 13:59 CEST

    const summary = computeClanSummary(store, { asOf, timeZone: 'Europe/Amsterdam' });
    expect(summary.daily).toHaveLength(365);
    expect(summary.daily[0]?.date).toBe('2025-04-01');
    expect(summary.daily[364]).toMatchObject({
      date: '2026-03-31',
      startAt: utc(2026, 2, 30, 22),
      hours: 24,
    });
    expect(day(summary, '2026-03-28')).toEqual({
      date: '2026-03-28',
      startAt: utc(2026, 2, 27, 23),
      hours: 24,
      xp: 0,
      xpMembers: 0, // the first snapshot: nothing to measure against
      messages: 1,
    });
    expect(day(summary, '2026-03-29')).toEqual({
      date: '2026-03-29',
      startAt: utc(2026, 2, 28, 23),
      hours: 23,
      xp: 1500, // last snapshot of the day (2500) − last of the previous day (1000)
      xpMembers: 1,
      messages: 4,
    });
    expect(day(summary, '2026-03-30')).toMatchObject({
      startAt: utc(2026, 2, 29, 22),
      xp: 100,
      xpMembers: 1,
      messages: 1,
    });
    expect(day(summary, '2026-03-31')).toMatchObject({ xp: 0, xpMembers: 0, messages: 1 });
    expect(day(summary, '2026-03-01')).toMatchObject({ messages: 2 });

    const { counts } = summary.heatmap;
    const [monday, tuesday, , , , saturday, sunday] = counts as [
      number[],
      number[],
      number[],
      number[],
      number[],
      number[],
      number[],
    ];
    expect(saturday[23]).toBe(1);
    expect(sunday.slice(0, 4)).toEqual([1, 1, 0, 1]);
    expect(sunday[23]).toBe(1);
    expect(sunday[13]).toBe(1); // asOf − 30 d exactly
    expect(sunday[12]).toBe(0); // 1 ms earlier: outside
    expect(monday[0]).toBe(1);
    expect(tuesday[13]).toBe(1);
    expect(counts.flat().reduce((sum, value) => sum + value, 0)).toBe(8);
    expect(summary.heatmap).toMatchObject({
      timezone: 'Europe/Amsterdam',
      since: asOf - 30 * DAY,
      until: asOf,
    });
  });

  it('gives America/New_York its 23- and 25-hour days', async () => {
    const store = await migratedStore();
    addPlayer(store, 1, 'Yankee');
    roster(store, utc(2025, 0, 1), [{ playerId: 1 }]);
    const summary = computeClanSummary(store, {
      asOf: utc(2026, 10, 5, 12),
      timeZone: 'America/New_York',
    });
    expect(summary.daily[0]?.date).toBe('2025-11-06');
    expect(summary.daily[364]?.date).toBe('2026-11-05');
    expect(day(summary, '2026-03-08')).toMatchObject({ startAt: utc(2026, 2, 8, 5), hours: 23 });
    expect(day(summary, '2026-03-09')).toMatchObject({ startAt: utc(2026, 2, 9, 4), hours: 24 });
    expect(day(summary, '2026-11-01')).toMatchObject({ startAt: utc(2026, 10, 1, 4), hours: 25 });
    expect(day(summary, '2026-11-02')).toMatchObject({ startAt: utc(2026, 10, 2, 5), hours: 24 });
  });
});

describe('the daily XP series', () => {
  it('adds per-member deltas while they are members: a newcomer with a huge total adds nothing on joining', async () => {
    const asOf = utc(2026, 5, 15, 12);
    const store = await migratedStore();
    addPlayer(store, 1, 'Steady');
    addPlayer(store, 2, 'Whale');
    addPlayer(store, 3, 'Leaver');
    roster(store, asOf - 100 * DAY, [{ playerId: 1 }, { playerId: 3 }]);
    roster(store, asOf - 10 * DAY, [{ playerId: 1 }]);
    roster(store, asOf - 5 * DAY, [{ playerId: 1 }, { playerId: 2, joinedAt: asOf - 5 * DAY }]);
    for (let daysAgo = 20; daysAgo >= 1; daysAgo -= 1) {
      snapshot(store, 1, asOf - daysAgo * DAY - 2 * HOUR, {
        xp: 1_000_000 + (20 - daysAgo) * 1000,
      });
    }
    snapshot(store, 2, asOf - 50 * DAY, { xp: 900_000_000 }); // tracked before joining
    for (let daysAgo = 5; daysAgo >= 1; daysAgo -= 1) {
      snapshot(store, 2, asOf - daysAgo * DAY + HOUR, { xp: 1_000_000_000 + (5 - daysAgo) * 2000 });
    }
    snapshot(store, 3, asOf - 12 * DAY, { xp: 10_000 });
    snapshot(store, 3, asOf - 11 * DAY, { xp: 10_500 });
    snapshot(store, 3, asOf - 9 * DAY, { xp: 99_000 }); // after leaving: not the clan's

    const summary = computeClanSummary(store, { asOf });
    const xp = Object.fromEntries(summary.daily.slice(-22).map((point) => [point.date, point.xp]));
    expect(xp).toEqual({
      '2026-05-25': 0,
      '2026-05-26': 0, // Steady's first snapshot
      '2026-05-27': 1000,
      '2026-05-28': 1000,
      '2026-05-29': 1000,
      '2026-05-30': 1000,
      '2026-05-31': 1000,
      '2026-06-01': 1000,
      '2026-06-02': 1000,
      '2026-06-03': 1000,
      '2026-06-04': 1500, // + Leaver's 500 while a member
      '2026-06-05': 1000,
      '2026-06-06': 1000, // Leaver's gain after leaving is not counted
      '2026-06-07': 1000,
      '2026-06-08': 1000,
      '2026-06-09': 1000,
      '2026-06-10': 1000, // Whale joins: their 1 B total adds nothing
      '2026-06-11': 3000,
      '2026-06-12': 3000,
      '2026-06-13': 3000,
      '2026-06-14': 3000,
      '2026-06-15': 0,
    });
    // Nor in the windows: the −50 d snapshot is too old a baseline for 7 d (tolerance 1.75 d) and
    // from before joining for 'all' (24 h): both count from the first snapshot as a member.
    const whale = summary.members.find((member) => member.playerId === 2);
    expect(whale?.windowSources['7d']).toMatchObject({
      source: 'since_first_snapshot',
      baseAt: asOf - 5 * DAY + HOUR,
    });
    expect(whale?.windows['7d'].xp).toBe(8000);
    expect(whale?.windows.all.xp).toBe(8000);
  });
});
