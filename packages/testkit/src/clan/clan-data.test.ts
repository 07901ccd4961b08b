import { describe, expect, it } from 'vitest';
import {
  BOSSES,
  DefaultSyntheticClanDataOptions,
  HOSTILE_NAMES,
  SKILLS,
  createSyntheticClanData,
  isTestkitError,
} from '../index.js';
import type { SyntheticClanData, SyntheticClanDataMember, SyntheticWindowKey } from '../index.js';

const DAY = 86_400_000;
const WINDOWS: SyntheticWindowKey[] = ['7d', '30d', '90d', '365d'];
const data = createSyntheticClanData();
const asOf = Date.parse(data.asOf);
const sum = (values: readonly number[]): number =>
  values.reduce((total, value) => total + value, 0);

function memberById(clan: SyntheticClanData, playerId: number): SyntheticClanDataMember {
  const member = clan.members.find((candidate) => candidate.playerId === playerId);
  if (member === undefined) throw new Error(`no member ${playerId}`);
  return member;
}

/** Every string anywhere in a JSON value. */
function stringsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) stringsOf(item, into);
  }
  return into;
}

describe('createSyntheticClanData', () => {
  it('uses the documented defaults and is plain JSON', () => {
    expect(DefaultSyntheticClanDataOptions).toEqual({
      members: 300,
      seed: 7,
      asOf: '2026-11-24T18:00:00.000Z',
      timezone: 'Europe/Amsterdam',
      hostileNames: true,
    });
    expect(data).toMatchObject({
      schemaVersion: 1,
      asOf: '2026-11-24T18:00:00.000Z',
      timezone: 'Europe/Amsterdam',
    });
    expect(data.members).toHaveLength(300);
    expect(Date.parse(data.generatedAt)).toBeGreaterThanOrEqual(asOf);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    // Every instant is canonical ISO 8601 UTC with milliseconds.
    const instants = [
      ...data.members.flatMap((member) => [
        member.joinedAt,
        member.lastActiveAt,
        member.lastProgressedAt,
        member.windows.all.since,
        member.windowSources['30d'].baseAt,
        member.current?.takenAt ?? null,
      ]),
      ...data.events.map((event) => event.at),
      ...data.daily.map((point) => point.startAt),
    ].filter((instant): instant is string => instant !== null);
    for (const instant of instants) expect(new Date(instant).toISOString()).toBe(instant);
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const first = JSON.stringify(createSyntheticClanData({ members: 120, seed: 11 }));
    expect(JSON.stringify(createSyntheticClanData({ members: 120, seed: 11 }))).toBe(first);
    expect(JSON.stringify(createSyntheticClanData({ members: 120, seed: 12 }))).not.toBe(first);
    // A member's data does not depend on how many members follow.
    const small = createSyntheticClanData({ members: 60, seed: 11 });
    const large = createSyntheticClanData({ members: 120, seed: 11 });
    expect(small.members.slice(0, 60)).toEqual(large.members.slice(0, 60));
  });

  it('makes member 0 the known member Zezima, whatever the seed', () => {
    for (const seed of [1, 7, 99]) {
      const zezima = createSyntheticClanData({ members: 10, seed }).members[0];
      expect(zezima).toMatchObject({
        playerId: 1000,
        username: 'zezima',
        displayName: 'Zezima',
        role: 'captain',
        tenureDays: 800,
        formerNames: ['Zezima Old'],
        discordUserIds: ['700000000000000000'],
        discordUsers: [{ userId: '700000000000000000', username: 'zezima', confirmed: true }],
        status: 'active',
        scoreIncomplete: false,
        rankUp: { fromRole: 'captain', toRole: 'general' },
      });
      expect(zezima?.current).not.toBeNull();
      for (const key of [...WINDOWS, 'all'] as const) {
        const window = zezima?.windows[key];
        expect(Object.keys(window?.xpBySkill ?? {}).length).toBeGreaterThanOrEqual(5);
        expect(Object.keys(window?.bossKillsByBoss ?? {}).length).toBeGreaterThanOrEqual(3);
        expect(window?.messages).toBeGreaterThan(0);
        expect(window?.clanChatMessages).toBeGreaterThan(0);
        expect(zezima?.windowSources[key]).toMatchObject({ source: 'snapshots', reason: null });
      }
    }
  });

  it('nests every member window: 7d ≤ 30d ≤ 90d ≤ 365d, per skill and boss too', () => {
    const fields = ['xp', 'ehp', 'ehb', 'bossKills', 'levels'] as const;
    const counts = ['messages', 'clanChatMessages', 'questions', 'answers'] as const;
    // Both numbers, the shorter window's at most the longer's.
    const nested = (shorter: number | null, longer: number | null): boolean =>
      typeof shorter === 'number' && typeof longer === 'number' && shorter <= longer;
    for (const member of data.members) {
      const problems: string[] = [];
      for (let index = 1; index < WINDOWS.length; index++) {
        const windows = `${WINDOWS[index - 1]} ≤ ${WINDOWS[index]}`;
        const shorter = member.windows[WINDOWS[index - 1] as SyntheticWindowKey];
        const longer = member.windows[WINDOWS[index] as SyntheticWindowKey];
        for (const field of counts) {
          if (!nested(shorter[field], longer[field]))
            problems.push(`${field} ${windows}: ${shorter[field]}, ${longer[field]}`);
        }
        if (longer.xp === null) continue;
        for (const field of fields) {
          if (!nested(shorter[field], longer[field]))
            problems.push(`${field} ${windows}: ${shorter[field]}, ${longer[field]}`);
        }
        for (const [skill, xp] of Object.entries(shorter.xpBySkill ?? {})) {
          if (!nested(xp, longer.xpBySkill?.[skill] ?? 0)) problems.push(`${skill} ${windows}`);
        }
        for (const [boss, kills] of Object.entries(shorter.bossKillsByBoss ?? {})) {
          if (!nested(kills, longer.bossKillsByBoss?.[boss] ?? 0))
            problems.push(`${boss} ${windows}`);
        }
      }
      expect(problems, member.displayName).toEqual([]);
      for (const key of [...WINDOWS, 'all'] as const) {
        const window = member.windows[key];
        expect(window.questions + window.answers).toBeLessThanOrEqual(window.messages);
        expect(window.until).toBe(data.asOf);
        expect(window.since).toBe(
          key === 'all'
            ? member.joinedAt
            : new Date(asOf - Number.parseInt(key) * DAY).toISOString(),
        );
        if (window.xp === null) {
          expect(window).toMatchObject({ ehp: null, ehb: null, bossKills: null, xpBySkill: null });
          expect(member.windowSources[key]).toMatchObject({ source: null, baseAt: null });
          expect(member.windowSources[key].reason).not.toBeNull();
        } else {
          expect(sum(Object.values(window.xpBySkill ?? {}))).toBe(window.xp);
          expect(sum(Object.values(window.bossKillsByBoss ?? {}))).toBe(window.bossKills);
          expect(Object.keys(window.xpBySkill ?? {}).every((skill) => skill !== 'overall')).toBe(
            true,
          );
          expect(member.windowSources[key]).toMatchObject({ reason: null });
          expect(member.windowSources[key].source).not.toBeNull();
        }
      }
    }
  });

  it('has 52 weeks ending at asOf, and weekly counts consistent with the windows', () => {
    expect(data.weeks).toHaveLength(52);
    expect(data.weeks[51]).toBe(new Date(asOf - 7 * DAY).toISOString());
    data.weeks.forEach((week, index) => {
      expect(Date.parse(week)).toBe(asOf - (52 - index) * 7 * DAY);
    });
    for (const member of data.members) {
      for (const [series, field] of [
        [member.weekly.messages, 'messages'],
        [member.weekly.clanChatMessages, 'clanChatMessages'],
      ] as const) {
        expect(series).toHaveLength(52);
        expect(series.at(-1)).toBe(member.windows['7d'][field]);
        expect(sum(series.slice(-4))).toBeLessThanOrEqual(member.windows['30d'][field]);
        expect(member.windows['30d'][field]).toBeLessThanOrEqual(sum(series.slice(-5)));
        expect(sum(series.slice(-12))).toBeLessThanOrEqual(member.windows['90d'][field]);
        expect(member.windows['90d'][field]).toBeLessThanOrEqual(sum(series.slice(-13)));
        expect(sum(series)).toBeLessThanOrEqual(member.windows['365d'][field]);
        expect(member.windows['365d'][field]).toBeLessThanOrEqual(member.windows.all[field]);
      }
    }
  });

  it('derives totals from the members', () => {
    for (const key of WINDOWS) {
      const windows = data.members.map((member) => member.windows[key]);
      const total = data.totals[key];
      expect(total.xp).toBe(sum(windows.map((window) => window.xp ?? 0)));
      expect(total.ehp).toBeCloseTo(sum(windows.map((window) => window.ehp ?? 0)), 6);
      expect(total.ehb).toBeCloseTo(sum(windows.map((window) => window.ehb ?? 0)), 6);
      expect(total.bossKills).toBe(sum(windows.map((window) => window.bossKills ?? 0)));
      expect(total.levels).toBe(sum(windows.map((window) => window.levels ?? 0)));
      expect(total.messages).toBe(sum(windows.map((window) => window.messages)));
      expect(total.clanChatMessages).toBe(sum(windows.map((window) => window.clanChatMessages)));
      expect(total.questions).toBe(sum(windows.map((window) => window.questions)));
      expect(total.answers).toBe(sum(windows.map((window) => window.answers)));
      expect(total.membersWithGains).toBe(windows.filter((window) => window.xp !== null).length);
      expect(total.membersWithGains + total.membersMissingBaseline).toBe(data.members.length);
      expect(sum(Object.values(total.sources))).toBe(total.membersWithGains);
      for (const source of ['snapshots', 'wom', 'since_first_snapshot'] as const) {
        expect(total.sources[source]).toBe(
          data.members.filter((member) => member.windowSources[key].source === source).length,
        );
      }
    }
    expect(data.totals['365d'].sources).toMatchObject({
      wom: expect.any(Number) as number,
      since_first_snapshot: expect.any(Number) as number,
    });
    expect(data.totals['365d'].sources.wom).toBeGreaterThan(0);
    expect(data.totals['365d'].sources.since_first_snapshot).toBeGreaterThan(0);
    expect(data.totals['365d'].membersMissingBaseline).toBeGreaterThan(
      data.totals['30d'].membersMissingBaseline,
    );
  });

  it('derives boss highlights and records from the members', () => {
    for (const key of WINDOWS) {
      const highlights = data.bosses.windows[key];
      expect(highlights.length).toBeGreaterThan(10);
      const killed = new Set(
        data.members.flatMap((member) => Object.keys(member.windows[key].bossKillsByBoss ?? {})),
      );
      expect(new Set(highlights.map((highlight) => highlight.boss))).toEqual(killed);
      for (const highlight of highlights) {
        const kills = data.members.map(
          (member) => member.windows[key].bossKillsByBoss?.[highlight.boss] ?? 0,
        );
        expect(highlight.kills).toBe(sum(kills));
        const top = Math.max(...kills);
        const holder = data.members[kills.indexOf(top)];
        expect(highlight.topKiller).toEqual({
          playerId: holder?.playerId,
          displayName: holder?.displayName,
          kills: top,
        });
      }
      const sorted = highlights.map((highlight) => highlight.kills);
      expect(sorted).toEqual([...sorted].sort((left, right) => right - left));
    }
    expect(data.bosses.records.length).toBeGreaterThan(10);
    for (const record of data.bosses.records) {
      expect(BOSSES).toContain(record.boss);
      const holder = memberById(data, record.holder.playerId);
      expect(holder.displayName).toBe(record.holder.displayName);
      expect(holder.current).not.toBeNull();
      const best = Math.max(
        ...data.members.map((member) => member.windows.all.bossKillsByBoss?.[record.boss] ?? 0),
      );
      expect(record.kills).toBeGreaterThanOrEqual(best);
    }
  });

  it('derives statuses, scores and rank-ups as the clan model does', () => {
    const { rules } = data;
    const statuses = new Set(data.members.map((member) => member.status));
    expect(statuses).toEqual(new Set(['active', 'potentially_inactive', 'inactive', 'exempt']));
    for (const member of data.members) {
      const { signals, thresholdDays, exemptBy } = member.inactivity;
      expect(thresholdDays).toBe(rules.inactivity.roleDays[member.role] ?? rules.inactivity.days);
      expect(signals.wom.lastAt).toBe(member.lastProgressedAt);
      expect(signals.discord.lastAt).toBe(member.lastDiscordMessageAt);
      expect(signals.clanChat.lastAt).toBe(member.lastClanChatAt);
      expect(signals.discord.available).toBe(member.discordUsers.length > 0);
      const available = Object.values(signals).filter((signal) => signal.available);
      for (const signal of available) {
        const from = Math.max(
          signal.lastAt === null ? -Infinity : Date.parse(signal.lastAt),
          Date.parse(member.joinedAt),
        );
        expect(signal.daysSince).toBe(Math.floor((asOf - from) / DAY));
        expect(signal.over).toBe((signal.daysSince ?? 0) >= thresholdDays);
      }
      const over = available.filter((signal) => signal.over).length;
      const expected =
        exemptBy !== null
          ? 'exempt'
          : over === available.length
            ? 'inactive'
            : over > 0
              ? 'potentially_inactive'
              : 'active';
      expect(member.status).toBe(expected);
      const last = [member.lastProgressedAt, member.lastDiscordMessageAt, member.lastClanChatAt]
        .filter((value): value is string => value !== null)
        .map(Date.parse);
      expect(member.lastActiveAt).toBe(
        last.length === 0 ? null : new Date(Math.max(...last)).toISOString(),
      );
      // The last message lies in the shortest window that has messages.
      if (member.lastDiscordMessageAt !== null) {
        const daysAgo = (asOf - Date.parse(member.lastDiscordMessageAt)) / DAY;
        expect(daysAgo < 7).toBe(member.windows['7d'].messages > 0);
        expect(daysAgo < 30).toBe(member.windows['30d'].messages > 0);
      } else {
        expect(member.windows.all.messages).toBe(0);
      }
      const window = member.windows[rules.score.window];
      const score =
        (window.messages + window.clanChatMessages) * rules.score.weights.messages +
        ((window.xp ?? 0) / 100_000) * rules.score.weights.xp +
        (window.bossKills ?? 0) * rules.score.weights.bossKills;
      expect(member.score).toBeCloseTo(score, 1);
      expect(member.scoreIncomplete).toBe(window.xp === null);
      expect(member.discordUserIds).toEqual(member.discordUsers.map((user) => user.userId));
    }
    expect(data.members[1]).toMatchObject({ role: 'owner', status: 'exempt' });
    expect(data.members[1]?.inactivity.exemptBy).toBe('role');
    expect(data.members[2]?.inactivity.exemptBy).toBe('name');
    expect(rules.inactivity.exemptNames).toEqual([data.members[2]?.displayName]);

    const withRankUp = data.members.filter((member) => member.rankUp !== null);
    expect(withRankUp.length).toBeGreaterThan(0);
    expect(data.rankUps).toEqual(
      withRankUp
        .map((member) => member.rankUp)
        .sort(
          (left, right) =>
            (right?.score ?? 0) - (left?.score ?? 0) ||
            (left?.playerId ?? 0) - (right?.playerId ?? 0),
        ),
    );
    for (const rankUp of data.rankUps) {
      const member = memberById(data, rankUp.playerId);
      const rung = rules.ranks.find((candidate) => candidate.role === rankUp.toRole);
      expect(rankUp).toMatchObject({
        displayName: member.displayName,
        fromRole: member.role,
        tenureDays: member.tenureDays,
        score: member.score,
      });
      expect(member.tenureDays).toBeGreaterThanOrEqual(rung?.minTenureDays ?? Infinity);
      expect(member.score).toBeGreaterThanOrEqual(rung?.minScore ?? Infinity);
    }
  });

  it('has untracked members, members without Discord, and matching coverage', () => {
    const untracked = data.members.filter((member) => member.current === null);
    expect(untracked.length).toBeGreaterThan(0);
    for (const member of untracked) {
      for (const key of [...WINDOWS, 'all'] as const) {
        expect(member.windows[key].xp).toBeNull();
        expect(member.windowSources[key].reason).toBe('not_tracked');
      }
      expect(member.lastProgressedAt).toBeNull();
      expect(member.scoreIncomplete).toBe(true);
    }
    const withoutDiscord = data.members.filter((member) => member.discordUsers.length === 0);
    expect(withoutDiscord.length).toBeGreaterThan(0);
    for (const member of withoutDiscord) expect(member.windows.all.messages).toBe(0);
    expect(data.coverage).toEqual({
      hasClanChat: true,
      membersNotTracked: untracked.length,
      membersWithoutDiscord: withoutDiscord.length,
    });
  });

  it('has events about real members and former members, oldest first', () => {
    const members = new Map(data.members.map((member) => [member.playerId, member]));
    const formers = new Map(data.formerMembers.map((former) => [former.playerId, former]));
    expect(formers.size).toBeGreaterThan(0);
    const types = new Set(data.events.map((event) => event.type));
    expect(types).toEqual(new Set(['joined', 'left', 'changed_role', 'name_changed']));
    const times = data.events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((left, right) => left - right));
    expect(Math.max(...times)).toBeLessThanOrEqual(asOf);
    for (const event of data.events) {
      const identity = members.get(event.playerId) ?? formers.get(event.playerId);
      expect(identity, `event for ${event.playerId}`).toBeDefined();
      if (event.type === 'left') expect(formers.get(event.playerId)?.leftAt).toBe(event.at);
      if (event.type === 'joined') expect(identity?.joinedAt).toBe(event.at);
      if (event.type === 'name_changed') {
        expect(identity?.formerNames).toContain(event.oldName);
        expect([identity?.displayName, ...(identity?.formerNames ?? [])]).toContain(event.newName);
      }
    }
    for (const member of data.members) {
      expect(
        data.events.filter(
          (event) => event.playerId === member.playerId && event.type === 'joined',
        ),
      ).toHaveLength(1);
    }
    const leavers = data.formerMembers.map((former) => former.leftAt);
    expect(leavers).toEqual([...leavers].sort().reverse());
    for (const former of data.formerMembers) {
      expect(Date.parse(former.joinedAt)).toBeLessThan(Date.parse(former.leftAt));
      expect(former.discordUserIds).toEqual(former.discordUsers.map((user) => user.userId));
      expect(members.has(former.playerId)).toBe(false);
    }
  });

  it('has a 365-day local daily series ending with asOf’s day', () => {
    expect(data.daily).toHaveLength(365);
    expect(data.daily.at(-1)?.date).toBe('2026-11-24');
    expect(data.daily[0]?.date).toBe('2025-11-25');
    for (let index = 1; index < data.daily.length; index++) {
      const previous = data.daily[index - 1];
      const point = data.daily[index];
      expect(Date.parse(point?.startAt ?? '') - Date.parse(previous?.startAt ?? '')).toBe(
        (previous?.hours ?? 0) * 3_600_000,
      );
    }
    // Europe/Amsterdam: 23 hours on 29 March 2026, 25 on 25 October 2026.
    expect(data.daily.filter((point) => point.hours !== 24)).toMatchObject([
      { date: '2026-03-29', hours: 23 },
      { date: '2026-10-25', hours: 25 },
    ]);
    expect(data.daily.find((point) => point.date === '2026-07-01')?.startAt).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    for (const point of data.daily) {
      if (point.xpMembers === 0) expect(point.xp).toBe(0);
      expect(point.messages).toBeGreaterThan(0);
    }
    expect(data.daily.filter((point) => point.xpMembers > 0).length).toBeGreaterThan(300);
  });

  it('has a heatmap per window that nests cell by cell and looks like a clan', () => {
    const unmatched = (key: SyntheticWindowKey): number =>
      sum(data.unmatchedDiscord.map((user) => user.messages[key]));
    let previous: number[][] | null = null;
    for (const key of WINDOWS) {
      const window = data.heatmap.windows[key];
      expect(window.since).toBe(new Date(asOf - Number.parseInt(key) * DAY).toISOString());
      expect(window.counts).toHaveLength(7);
      for (const row of window.counts) expect(row).toHaveLength(24);
      expect(sum(window.counts.flat())).toBe(
        data.totals[key].messages + data.totals[key].clanChatMessages + unmatched(key),
      );
      if (previous !== null) {
        const shorter = previous;
        window.counts.forEach((row, day) => {
          row.forEach((cell, hour) => {
            expect(cell).toBeGreaterThanOrEqual(shorter[day]?.[hour] ?? 0);
          });
        });
      }
      previous = window.counts;
    }
    expect(data.heatmap).toMatchObject({
      timezone: 'Europe/Amsterdam',
      since: data.heatmap.windows['30d'].since,
      until: data.asOf,
      counts: data.heatmap.windows['30d'].counts,
    });
    const counts = data.heatmap.windows['365d'].counts;
    const hours = (from: number, to: number, days: number[]): number =>
      sum(days.flatMap((day) => counts[day]?.slice(from, to) ?? []));
    const weekdays = [0, 1, 2, 3, 4];
    expect(hours(19, 23, weekdays)).toBeGreaterThan(3 * hours(3, 7, weekdays));
    expect(sum(counts[5] ?? []) + sum(counts[6] ?? [])).toBeGreaterThan(
      sum(counts[1] ?? []) + sum(counts[2] ?? []),
    );
  });

  it('distributes every Discord message over channels, busiest first', () => {
    for (const key of WINDOWS) {
      const discord =
        data.totals[key].messages + sum(data.unmatchedDiscord.map((user) => user.messages[key]));
      expect(sum(data.channels.map((channel) => channel.windows[key].messages))).toBe(discord);
    }
    const ids = new Set(data.channels.map((channel) => channel.channelId));
    for (const channel of data.channels) {
      if (channel.isThread) expect(ids.has(channel.parentId ?? '')).toBe(true);
      for (let index = 1; index < WINDOWS.length; index++) {
        expect(
          channel.windows[WINDOWS[index - 1] as SyntheticWindowKey].messages,
        ).toBeLessThanOrEqual(channel.windows[WINDOWS[index] as SyntheticWindowKey].messages);
      }
    }
    const busiest = data.channels.map((channel) => channel.windows['30d'].messages);
    expect(busiest).toEqual([...busiest].sort((left, right) => right - left));
  });

  it('has unmatched Discord authors of the last 30 days, with suggestions for unlinked members', () => {
    expect(data.unmatchedDiscord.length).toBeGreaterThan(HOSTILE_NAMES.length);
    const linked = new Set(data.members.flatMap((member) => member.discordUserIds));
    for (const user of data.unmatchedDiscord) {
      expect(linked.has(user.userId)).toBe(false);
      expect(user.messages['30d']).toBeGreaterThan(0);
      expect(asOf - Date.parse(user.lastMessageAt)).toBeLessThanOrEqual(30 * DAY);
      expect(asOf - Date.parse(user.lastMessageAt) < 7 * DAY).toBe(user.messages['7d'] > 0);
      for (const suggestion of user.suggestions) {
        const member = memberById(data, suggestion.playerId);
        expect(member.discordUsers).toEqual([]);
        expect(user.globalName).toBe(member.displayName);
      }
      for (const playerId of user.ambiguousPlayerIds) memberById(data, playerId);
    }
    expect(data.unmatchedDiscord.some((user) => user.suggestions.length > 0)).toBe(true);
    expect(data.unmatchedDiscord.some((user) => user.ambiguousPlayerIds.length > 1)).toBe(true);
  });

  it('lists the hostile names, and uses every one in every kind of name (never for member 0)', () => {
    const required = [
      '<img src=x onerror=alert(1)>',
      '</script><script>alert(2)</script>',
      '"><svg onload=alert(3)>',
      '=HYPERLINK("http://x","y")',
      "+cmd|' /C calc'!A0",
      '-1+2',
      '@SUM(A1)',
    ];
    for (const name of required) expect(HOSTILE_NAMES).toContain(name);
    expect(HOSTILE_NAMES.some((name) => name.includes('\u202E'))).toBe(true);
    expect(HOSTILE_NAMES.some((name) => name.includes('\u200B') && name.includes('\u200D'))).toBe(
      true,
    );
    expect(HOSTILE_NAMES.some((name) => /[\u{10000}-\u{10FFFF}]/u.test(name))).toBe(true);
    expect(HOSTILE_NAMES.some((name) => name.length === 300)).toBe(true);

    const clan = createSyntheticClanData({ members: 60 });
    const displayNames = new Set(clan.members.map((member) => member.displayName));
    const discordNames = new Set(
      clan.members.flatMap((member) =>
        member.discordUsers.flatMap((user) => [user.globalName, user.nickname]),
      ),
    );
    const formerNames = new Set(clan.members.flatMap((member) => member.formerNames));
    const unmatchedNames = new Set(
      clan.unmatchedDiscord.flatMap((user) => [user.globalName, user.nickname]),
    );
    const channelNames = new Set(clan.channels.map((channel) => channel.name));
    for (const name of HOSTILE_NAMES) {
      expect(displayNames, name).toContain(name);
      expect(discordNames, name).toContain(name);
      expect(formerNames, name).toContain(name);
      expect(unmatchedNames, name).toContain(name);
      expect(channelNames, name).toContain(name);
      expect(
        clan.events.some((event) => event.type === 'name_changed' && event.oldName === name),
      ).toBe(true);
    }
    // Fixed places: member 3 + k is named HOSTILE_NAMES[k].
    HOSTILE_NAMES.forEach((name, index) => {
      expect(clan.members[3 + index]?.displayName).toBe(name);
    });
    expect(stringsOf(clan.members[0])).not.toContain(HOSTILE_NAMES[0]);
    for (const text of stringsOf(clan.members[0])) {
      expect(HOSTILE_NAMES).not.toContain(text);
    }
    // Small clans still carry every name in unmatched users and channels.
    const tiny = createSyntheticClanData({ members: 5 });
    const tinyStrings = stringsOf(tiny);
    for (const name of HOSTILE_NAMES) expect(tinyStrings).toContain(name);

    const clean = stringsOf(createSyntheticClanData({ members: 60, hostileNames: false }));
    for (const name of HOSTILE_NAMES) expect(clean).not.toContain(name);
  });

  it('generates 5,000 members quickly', () => {
    // CPU time, not wall time: parallel test files and builds share the machine's cores.
    const started = process.cpuUsage();
    const clan = createSyntheticClanData({ members: 5000 });
    const used = process.cpuUsage(started);
    const elapsed = (used.user + used.system) / 1000;
    expect(clan.members).toHaveLength(5000);
    expect(new Set(clan.members.map((member) => member.playerId)).size).toBe(5000);
    expect(new Set(clan.members.map((member) => member.username)).size).toBe(5000);
    expect(clan.members[0]?.displayName).toBe('Zezima');
    // Well under a second (about 0.2–0.4 s on a laptop); the margin covers a slow, busy CI machine.
    expect(elapsed).toBeLessThan(3000);
  });

  it('covers every skill and most bosses in a large clan', () => {
    const clan = createSyntheticClanData({ members: 1000 });
    const skills = new Set(
      clan.members.flatMap((member) => Object.keys(member.windows['365d'].xpBySkill ?? {})),
    );
    expect(skills).toEqual(new Set(SKILLS.filter((skill) => skill !== 'overall')));
    expect(clan.bosses.windows['365d'].length).toBe(BOSSES.length);
  });

  it('rejects invalid options with INVALID_OPTIONS', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ members: 0 }, 'members'],
      [{ members: 1.5 }, 'members'],
      [{ seed: Number.NaN }, 'seed'],
      [{ asOf: 'yesterday' }, 'asOf'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ hostileNames: 'yes' }, 'hostileNames'],
    ];
    for (const [options, option] of cases) {
      let caught: unknown;
      try {
        createSyntheticClanData(options);
      } catch (error) {
        caught = error;
      }
      expect(isTestkitError(caught), option).toBe(true);
      expect(caught).toMatchObject({ code: 'INVALID_OPTIONS', option });
    }
  });
});
