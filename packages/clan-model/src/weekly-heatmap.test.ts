import { createRandom, hashString } from '@clanstats/testkit';
import { describe, expect, it } from 'vitest';
import { computeClanSummary, toClanData, type WindowKey } from './index.js';
import {
  DAY,
  HOUR,
  addPlayer,
  clanDataValidator,
  discordUser,
  link,
  memberOf,
  messages,
  migratedStore,
  relayLines,
  roster,
} from './test-helpers.js';

const WINDOWS: Record<WindowKey, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };
const WEEK = 7 * DAY;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** 7 × 24 zeros with the given `[weekday, hour, count]` cells set. */
function grid(cells: Array<[number, number, number]>): number[][] {
  const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const [weekday, hour, count] of cells) {
    const row = counts[weekday] as number[];
    row[hour] = (row[hour] as number) + count;
  }
  return counts;
}

/** The local Monday-first weekday and hour of an instant, straight from Intl (not the model's calendar). */
function localCell(timeZone: string, at: number): [number, number] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const weekday = WEEKDAYS.indexOf(parts.find((part) => part.type === 'weekday')?.value ?? '');
  const hour = Number(parts.find((part) => part.type === 'hour')?.value);
  if (weekday < 0 || !Number.isInteger(hour)) throw new Error(`no local time for ${at}`);
  return [weekday, hour];
}

const MON = 0;
const TUE = 1;
const WED = 2;
const THU = 3;
const FRI = 4;
const SUN = 6;

describe('heatmap windows', () => {
  // Thursday 2 April 2026, 12:30 in Amsterdam (CEST, +2): every window starts at 10:30 UTC, inside
  // a local hour. Summer time began on Sunday 29 March 2026 (02:00 CET became 03:00 CEST) and
  // ended on Sunday 26 October 2025 (03:00 CEST became 02:00 CET: 02:00–03:00 twice).
  const asOf = Date.UTC(2026, 3, 2, 10, 30);
  const start = (key: WindowKey): number => asOf - WINDOWS[key] * DAY;

  it('count each message in its local weekday and hour, in the windows that hold it', async () => {
    const store = await migratedStore();
    const author = '700000000000000001';
    discordUser(store, author, 'someone');
    messages(store, author, [
      start('7d') - 1, // Thu 11:29:59.999 CET: not in 7d
      start('7d'), // Thu 11:30 CET: the 7d window's first millisecond
      Date.UTC(2026, 2, 29, 0, 59, 59, 999), // Sun 01:59:59.999 CET
      Date.UTC(2026, 2, 29, 1), // Sun 03:00 CEST (02:00 does not exist)
      asOf, // Thu 12:30 CEST: windows end at asOf inclusive
      asOf + 1, // after asOf: nowhere
      start('30d'), // Tue 3 March 11:30 CET
      start('30d') - 1, // not in 30d
      start('90d'), // Fri 2 January 11:30 CET
      start('365d'), // Wed 2 April 2025 12:30 CEST
      start('365d') - 1, // before every window
      Date.UTC(2025, 9, 26, 0, 30), // Sun 02:30 CEST
      Date.UTC(2025, 9, 26, 1, 30), // Sun 02:30 CET: the same local hour again
    ]);
    // Not human: a bot, and a message of type 6 (a pin notice).
    messages(store, author, [Date.UTC(2026, 2, 31, 9)], { isBot: true });
    messages(store, author, [Date.UTC(2026, 2, 31, 9)], { type: 6 });
    // A relayed clan-chat line counts (the relay bot's own message does not).
    relayLines(store, 'Someone', [Date.UTC(2026, 2, 30, 8, 15)]); // Mon 10:15 CEST

    const summary = computeClanSummary(store, { asOf, timeZone: 'Europe/Amsterdam' });
    const { heatmap } = summary;
    const week: Array<[number, number, number]> = [
      [THU, 11, 1],
      [SUN, 1, 1],
      [SUN, 3, 1],
      [THU, 12, 1],
      [MON, 10, 1],
    ];
    const month: typeof week = [...week, [THU, 11, 1], [TUE, 11, 1]];
    const quarter: typeof week = [...month, [TUE, 11, 1], [FRI, 11, 1]];
    const year: typeof week = [...quarter, [WED, 12, 1], [SUN, 2, 2]];
    expect(heatmap.windows['7d']).toEqual({ since: start('7d'), counts: grid(week) });
    expect(heatmap.windows['30d']).toEqual({ since: start('30d'), counts: grid(month) });
    expect(heatmap.windows['90d']).toEqual({ since: start('90d'), counts: grid(quarter) });
    expect(heatmap.windows['365d']).toEqual({ since: start('365d'), counts: grid(year) });
    // The 30-day heatmap is unchanged, and is the 30d window.
    expect(heatmap).toMatchObject({ since: start('30d'), until: asOf, counts: grid(month) });
    expect(heatmap.windows['30d'].counts).toEqual(heatmap.counts);
    expect(heatmap.windows['30d'].counts).not.toBe(heatmap.counts);
    // The daily series is counted from the same ranges: the 23- and 25-hour days.
    const day = (date: string) => summary.daily.find((point) => point.date === date);
    expect(day('2026-03-29')).toMatchObject({ hours: 23, messages: 2 });
    expect(day('2025-10-26')).toMatchObject({ hours: 25, messages: 2 });
    expect(day('2026-04-02')).toMatchObject({ messages: 1 });
    // The series starts on 3 April 2025: the 365d window's first day (2 April) is not in it.
    expect(summary.daily[0]?.date).toBe('2025-04-03');
    expect(summary.daily.reduce((sum, point) => sum + point.messages, 0)).toBe(11);
  });

  // Zones with DST, a half-hour offset (St. John's: local hours start at :30 UTC) and a 45-minute
  // one (Kathmandu), against Intl's own local times.
  it.each([
    ['Europe/Amsterdam', Date.UTC(2026, 2, 29, 0, 59, 59, 999)],
    ['Europe/Amsterdam', Date.UTC(2026, 9, 25, 17, 20, 3, 7)],
    ['America/St_Johns', Date.UTC(2026, 10, 2, 3, 0, 0, 1)],
    ['Asia/Kathmandu', Date.UTC(2026, 5, 1, 18, 14, 59, 999)],
    ['UTC', Date.UTC(2026, 0, 1)],
  ])('equal a count by Intl local times in %s, as of %s', async (timeZone, asOfCase) => {
    const random = createRandom(hashString(`heatmap-${timeZone}-${asOfCase}`));
    const store = await migratedStore();
    const author = '700000000000000002';
    discordUser(store, author, 'someone');
    const edges = [
      ...Object.values(WINDOWS).map((days) => asOfCase - days * DAY),
      asOfCase,
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2025, 9, 26, 1),
      Date.UTC(2026, 9, 25, 1),
      Date.UTC(2026, 10, 1, 3, 30),
      Date.UTC(2026, 2, 8, 5, 30),
    ];
    const times: number[] = [];
    for (let index = 0; index < 600; index += 1) {
      times.push(
        random.chance(0.3)
          ? random.pick(edges) + random.pick([-HOUR, -1, 0, 1, HOUR, 1800_000])
          : asOfCase - random.int(-2 * DAY, 370 * DAY),
      );
    }
    messages(store, author, times);
    const summary = computeClanSummary(store, { asOf: asOfCase, timeZone });
    for (const [key, days] of Object.entries(WINDOWS) as Array<[WindowKey, number]>) {
      const since = asOfCase - days * DAY;
      const expected = grid(
        times
          .filter((at) => at >= since && at <= asOfCase)
          .map((at) => [...localCell(timeZone, at), 1] as [number, number, number]),
      );
      expect(summary.heatmap.windows[key], key).toEqual({ since, counts: expected });
    }
    expect(summary.heatmap.counts).toEqual(summary.heatmap.windows['30d'].counts);
  });
});

describe('weekly member series', () => {
  const alphaUsers = ['700000000000000011', '700000000000000012'];
  const charlieUser = '700000000000000013';
  const stranger = '700000000000000019';

  it.each([
    // Week bounds at 10:30 UTC (the part of each boundary day before it is read exactly), at
    // 20:00 (the part after it), at midnight, and a millisecond before midnight.
    ['10:30 UTC', Date.UTC(2026, 2, 31, 10, 30)],
    ['20:00 UTC', Date.UTC(2026, 2, 31, 20)],
    ['midnight', Date.UTC(2026, 2, 31)],
    ['a millisecond before midnight', Date.UTC(2026, 2, 31) - 1],
  ])('are exact per week, as of %s', async (_, asOf) => {
    const random = createRandom(hashString(`weekly-${asOf}`));
    const store = await migratedStore();
    addPlayer(store, 1, 'Alpha');
    addPlayer(store, 2, 'Bravo');
    addPlayer(store, 3, 'Charlie');
    roster(store, asOf - 400 * DAY, [{ playerId: 1 }, { playerId: 2 }, { playerId: 3 }]);
    store.wom.upsertNameChanges([
      {
        id: 1,
        playerId: 2,
        oldName: 'Bravo Old',
        newName: 'Bravo',
        status: 'approved',
        createdAt: asOf - 100 * DAY,
      },
    ]);
    for (const user of [...alphaUsers, charlieUser, stranger]) discordUser(store, user, user);
    for (const user of alphaUsers) link(store, user, 1);
    link(store, charlieUser, 3); // Charlie is linked and never writes

    const weeks = Array.from({ length: 52 }, (_, index) => asOf - (52 - index) * WEEK);
    // Times around every week bound, UTC midnights next to them, asOf, and spread over the year.
    const bounds = [...weeks, asOf];
    const edgeTimes = bounds.flatMap((bound) => [
      bound - 1,
      bound,
      bound + 1,
      Math.floor(bound / DAY) * DAY,
      Math.floor(bound / DAY) * DAY - 1,
      Math.floor(bound / DAY) * DAY + DAY,
    ]);
    const someTimes = (count: number): number[] => [
      ...edgeTimes.filter(() => random.chance(0.5)),
      ...Array.from({ length: count }, () => asOf - random.int(-3 * DAY, 372 * DAY)),
      asOf + 1,
    ];
    const written = new Map<string, number[]>();
    for (const user of [...alphaUsers, stranger]) {
      const times = someTimes(150);
      messages(store, user, times);
      written.set(user, times);
    }
    // Not counted: a bot message and a join notice (type 7) by Alpha's first account, at a bound.
    messages(store, alphaUsers[0] as string, [weeks[30] as number], { isBot: true });
    messages(store, alphaUsers[0] as string, [weeks[30] as number], { type: 7 });
    const bravoLines = someTimes(60);
    const oldNameLines = someTimes(30);
    relayLines(store, 'Bravo', bravoLines);
    relayLines(store, 'bravo_old', oldNameLines);
    relayLines(store, 'Stranger', someTimes(20));

    const summary = computeClanSummary(store, { asOf, timeZone: 'Europe/Amsterdam' });
    expect(summary.weeks).toEqual(weeks);
    expect(summary.weeks[51]).toBe(asOf - WEEK);
    expect(summary.weeks[0]).toBe(asOf - 364 * DAY);

    /** Per week, how many of `times` fall in it; the last week includes asOf. */
    const perWeek = (times: number[]): number[] =>
      weeks.map((start, index) => {
        const end = index === 51 ? asOf + 1 : start + WEEK;
        return times.filter((at) => at >= start && at < end).length;
      });
    const inRange = (times: number[], from: number) =>
      times.filter((at) => at >= from && at <= asOf).length;
    const alphaTimes = alphaUsers.flatMap((user) => written.get(user) ?? []);
    const bravoTimes = [...bravoLines, ...oldNameLines];
    const alpha = memberOf(summary, 1);
    const bravo = memberOf(summary, 2);
    const charlie = memberOf(summary, 3);
    expect(alpha.weekly).toEqual({
      messages: perWeek(alphaTimes),
      clanChatMessages: new Array<number>(52).fill(0),
    });
    expect(bravo.weekly).toEqual({
      messages: new Array<number>(52).fill(0),
      clanChatMessages: perWeek(bravoTimes),
    });
    expect(charlie.weekly).toEqual({
      messages: new Array<number>(52).fill(0),
      clanChatMessages: new Array<number>(52).fill(0),
    });
    expect(alpha.weekly.messages.some((count) => count > 0)).toBe(true);

    // Consistent with the windows: the last week is the 7d window, and the 52 weeks are the
    // 364 days ending at asOf (not more than the 365d window).
    for (const member of [alpha, bravo]) {
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      expect(member.weekly.messages[51]).toBe(member.windows['7d'].messages);
      expect(member.weekly.clanChatMessages[51]).toBe(member.windows['7d'].clanChatMessages);
      expect(sum(member.weekly.messages)).toBeLessThanOrEqual(member.windows['365d'].messages);
      expect(sum(member.weekly.clanChatMessages)).toBeLessThanOrEqual(
        member.windows['365d'].clanChatMessages,
      );
    }
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(sum(alpha.weekly.messages)).toBe(inRange(alphaTimes, asOf - 364 * DAY));
    expect(sum(bravo.weekly.clanChatMessages)).toBe(inRange(bravoTimes, asOf - 364 * DAY));
    expect(alpha.windows['7d'].messages).toBe(inRange(alphaTimes, asOf - 7 * DAY));
  });

  it('travel in clan_data.json, valid against the schema', async () => {
    const asOf = Date.UTC(2026, 2, 31, 12);
    const store = await migratedStore();
    addPlayer(store, 1, 'Alpha');
    roster(store, asOf - 30 * DAY, [{ playerId: 1 }]);
    discordUser(store, alphaUsers[0] as string, 'alpha');
    link(store, alphaUsers[0] as string, 1);
    messages(store, alphaUsers[0] as string, [asOf - 1, asOf - WEEK, asOf - WEEK - 1]);
    const data = toClanData(computeClanSummary(store, { asOf, timeZone: 'Europe/Amsterdam' }));

    const validate = clanDataValidator();
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data.weeks).toHaveLength(52);
    expect(data.weeks[0]).toBe('2025-04-01T12:00:00.000Z');
    expect(data.weeks[51]).toBe('2026-03-24T12:00:00.000Z');
    expect(data.members[0]?.weekly.messages.slice(49)).toEqual([0, 1, 2]);
    expect(data.heatmap.windows['7d'].since).toBe('2026-03-24T12:00:00.000Z');
    expect(data.heatmap.windows['365d'].since).toBe('2025-03-31T12:00:00.000Z');
    expect(data.heatmap.windows['30d']).toEqual({
      since: data.heatmap.since,
      counts: data.heatmap.counts,
    });
    // Tuesday 31 March 13:59:59.999 CEST, Tuesday 24 March 13:00 and 12:59:59.999 CET.
    expect(data.heatmap.windows['7d'].counts[TUE]?.[13]).toBe(2);
    expect(data.heatmap.windows['30d'].counts[TUE]?.[12]).toBe(1);

    const withoutWeekly = structuredClone(data) as unknown as {
      members: Array<Record<string, unknown>>;
    };
    delete withoutWeekly.members[0]?.weekly;
    expect(validate(withoutWeekly)).toBe(false);
    const shortWeeks = { ...data, weeks: data.weeks.slice(1) };
    expect(validate(shortWeeks)).toBe(false);
    const noYearHeatmap = structuredClone(data) as unknown as {
      heatmap: { windows: Record<string, unknown> };
    };
    delete noYearHeatmap.heatmap.windows['365d'];
    expect(validate(noYearHeatmap)).toBe(false);
  });
});
