import type { ClanEvent, ClanSummary, MemberStatus, MemberSummary } from '@clanstats/clan-model';
import { checkWebhookMessage } from '@clanstats/discord-harvester';
import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  formatCount,
  isWeeklySummaryDue,
  MAX_NAME_LENGTH,
  safeName,
  summaryText,
  truncate,
  weeklySummaryMessage,
} from './summary-post.js';

const DAY = 86_400_000;
const AS_OF = Date.parse('2026-11-01T17:00:00Z');

interface MemberInput {
  id: number;
  name: string;
  xp?: number | null;
  bossKills?: number | null;
  status?: MemberStatus;
}

/** Just the parts of a member the summary reads. */
function member(input: MemberInput): MemberSummary {
  return {
    playerId: input.id,
    displayName: input.name,
    status: input.status ?? 'active',
    windows: { '7d': { xp: input.xp ?? null, bossKills: input.bossKills ?? null } },
  } as unknown as MemberSummary;
}

/** Just the parts of a summary the message reads. */
function summaryOf(
  options: {
    name?: string;
    members?: MemberInput[];
    former?: Array<{ id: number; name: string }>;
    events?: ClanEvent[];
  } = {},
): ClanSummary {
  const members = (options.members ?? []).map(member);
  const known = members.filter((entry) => entry.windows['7d'].xp !== null);
  return {
    asOf: AS_OF,
    timezone: 'Europe/Amsterdam',
    group: { id: 1, name: options.name ?? 'Iron Fellowship' },
    members,
    formerMembers: (options.former ?? []).map((former) => ({
      playerId: former.id,
      displayName: former.name,
    })),
    events: options.events ?? [],
    totals: {
      '7d': {
        xp: known.reduce((sum, entry) => sum + (entry.windows['7d'].xp ?? 0), 0),
        bossKills: members.reduce((sum, entry) => sum + (entry.windows['7d'].bossKills ?? 0), 0),
      },
    },
  } as unknown as ClanSummary;
}

function embedOf(summary: ClanSummary) {
  const message = weeklySummaryMessage(summary, { timeZone: 'Europe/Amsterdam' });
  expect(() => {
    checkWebhookMessage(message);
  }).not.toThrow();
  expect(message.embeds).toHaveLength(1);
  const embed = message.embeds?.[0];
  if (embed === undefined) throw new Error('no embed');
  const field = (prefix: string) =>
    embed.fields?.find((candidate) => candidate.name.startsWith(prefix));
  return { message, embed, field };
}

const joined = (playerId: number, at: number): ClanEvent => ({
  type: 'joined',
  playerId,
  at,
  role: 'member',
  origin: 'activity',
});
const left = (playerId: number, at: number): ClanEvent => ({
  type: 'left',
  playerId,
  at,
  origin: 'activity',
});

describe('weeklySummaryMessage', () => {
  it('has the title, the window, the top 5 gainers, the top 3 boss killers, joins, leaves, inactivity and the footer', () => {
    const summary = summaryOf({
      members: [
        { id: 1, name: 'Zezima', xp: 12_345_678, bossKills: 12 },
        { id: 2, name: 'Lynx Titan', xp: 450_000, bossKills: 300 },
        { id: 3, name: 'Iron Fally', xp: 9_876, status: 'inactive' },
        { id: 4, name: 'Sir Gowi', xp: 1_200_000_000, status: 'potentially_inactive' },
        { id: 5, name: 'B0aty', xp: 3_000_000, bossKills: 4 },
        { id: 6, name: 'Woox', xp: 2_000_000, bossKills: 1 },
        { id: 7, name: 'Untracked', xp: null, status: 'potentially_inactive' },
        { id: 8, name: 'Idle', xp: 0, bossKills: 0, status: 'inactive' },
      ],
      former: [{ id: 9, name: 'Gone Guy' }],
      events: [
        joined(1, AS_OF - 30 * DAY), // before the window
        joined(2, AS_OF - 2 * DAY),
        joined(9, AS_OF - 6 * DAY),
        left(9, AS_OF - DAY),
        left(10, AS_OF - 3 * DAY), // a player the model no longer knows
      ],
    });
    const { embed, field } = embedOf(summary);
    expect(embed.title).toBe('Weekly summary: Iron Fellowship');
    expect(embed.description).toContain('25 Oct – 1 Nov 2026');
    expect(embed.timestamp).toBe(new Date(AS_OF).toISOString());
    expect(embed.footer?.text).toBe('ClanStats · as of 1 Nov 2026, 18:00 Europe/Amsterdam');
    expect(field('Top gainers')?.value).toBe(
      [
        '1. Sir Gowi — 1.2B XP',
        '2. Zezima — 12.3M XP',
        '3. B0aty — 3M XP',
        '4. Woox — 2M XP',
        '5. Lynx Titan — 450K XP',
      ].join('\n'),
    );
    expect(field('Most boss kills')?.value).toBe(
      ['1. Lynx Titan — 300 kills', '2. Zezima — 12 kills', '3. B0aty — 4 kills'].join('\n'),
    );
    expect(field('Joined')).toMatchObject({ name: 'Joined (2)', value: 'Lynx Titan, Gone Guy' });
    expect(field('Left')).toMatchObject({ name: 'Left (2)', value: 'Gone Guy, player \\#10' });
    expect(field('Inactivity')?.value).toBe('2 inactive, 2 potentially inactive (of 8 members)');
  });

  it('escapes Discord markdown in names and the clan name, so they render as typed', () => {
    const hostile = ['**@everyone**', '[click](http://x)', '`code`|| ~~s~~ _i_ > q', '# Big'];
    const summary = summaryOf({
      name: '__Evil__ <@123> clan',
      members: hostile.map((name, index) => ({ id: index + 1, name, xp: 1000 * (index + 1) })),
      events: hostile.map((_, index) => joined(index + 1, AS_OF - DAY)),
    });
    const { embed, message } = embedOf(summary);
    const json = JSON.stringify(message);
    // No name appears as typed: each of its markdown characters is escaped (`# Big` is checked below).
    for (const name of hostile.slice(0, 3))
      expect(json).not.toContain(JSON.stringify(name).slice(1, -1));
    expect(embed.title).toBe('Weekly summary: \\_\\_Evil\\_\\_ \\<\\@123\\> clan');
    const gainers = embed.fields?.[0]?.value ?? '';
    expect(gainers).toContain('\\*\\*\\@everyone\\*\\*');
    expect(gainers).toContain('\\[click\\]\\(http\\://x\\)');
    expect(gainers).toContain('\\# Big');
    // Unescaping gives the names back exactly (what Discord shows).
    expect(summaryText(message.embeds ?? []).join('\n')).toContain(
      'Joined (4): **@everyone**, [click](http://x), `code`|| ~~s~~ _i_ > q, # Big',
    );
  });

  it('puts every name on one line and cuts long names', () => {
    const long = 'A'.repeat(200);
    const summary = summaryOf({
      members: [
        { id: 1, name: long, xp: 5 },
        { id: 2, name: 'Two\nLines\u0000', xp: 4 },
      ],
    });
    const gainers = embedOf(summary).field('Top gainers')?.value ?? '';
    expect(gainers).toContain(`1. ${'A'.repeat(MAX_NAME_LENGTH - 1)}… — 5 XP`);
    expect(gainers).toContain('2. Two Lines — 4 XP');
    expect(gainers.split('\n')).toHaveLength(2);
  });

  it('lists at most 10 names, then "and N more", and stays inside every limit for a huge clan', () => {
    const members = Array.from({ length: 2000 }, (_, index) => ({
      id: index + 1,
      name: `${'*'.repeat(30)}${index}`,
      xp: index * 1000,
      bossKills: index,
      status: index % 3 === 0 ? ('inactive' as const) : ('active' as const),
    }));
    const summary = summaryOf({
      name: '_'.repeat(300),
      members,
      events: members.flatMap((entry) => [
        joined(entry.id, AS_OF - DAY),
        left(entry.id, AS_OF - DAY / 2),
      ]),
    });
    const { embed, field } = embedOf(summary);
    expect(field('Joined')?.name).toBe('Joined (2000)');
    expect(field('Joined')?.value).toMatch(/ and 1990 more$/);
    expect(field('Left')?.value.split(', ')).toHaveLength(10);
    expect(field('Top gainers')?.value.split('\n')).toHaveLength(5);
    expect(Array.from(embed.title ?? '').length).toBeLessThanOrEqual(256);
    expect(field('Inactivity')?.value).toBe(
      '667 inactive, 0 potentially inactive (of 2000 members)',
    );
  });

  it('says so in an empty week: no gains, nobody joined or left', () => {
    const { embed, field } = embedOf(summaryOf({ members: [{ id: 1, name: 'Solo', xp: null }] }));
    expect(field('Top gainers')?.value).toBe('No XP gains known this week.');
    expect(field('Most boss kills')).toBeUndefined();
    expect(field('Joined')).toMatchObject({ name: 'Joined (0)', value: 'Nobody' });
    expect(field('Left')).toMatchObject({ name: 'Left (0)', value: 'Nobody' });
    expect(field('Inactivity')?.value).toBe('0 inactive, 0 potentially inactive (of 1 members)');
    expect(embed.description).toContain('The clan gained 0 XP and 0 boss kills.');
  });

  it('is the same message for the same summary (no wall clock)', () => {
    const summary = summaryOf({ members: [{ id: 1, name: 'Zezima', xp: 10 }] });
    expect(weeklySummaryMessage(summary, { timeZone: 'UTC' })).toEqual(
      weeklySummaryMessage(summary, { timeZone: 'UTC' }),
    );
    expect(weeklySummaryMessage(summary, { timeZone: 'UTC' }).embeds?.[0]?.footer?.text).toBe(
      'ClanStats · as of 1 Nov 2026, 17:00 UTC',
    );
  });
});

describe('helpers', () => {
  it('formatCount: whole numbers below 10,000, then 12.3M / 450K', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(9_876)).toBe('9,876');
    expect(formatCount(450_000)).toBe('450K');
    expect(formatCount(12_345_678)).toBe('12.3M');
    expect(formatCount(1_200_000_000)).toBe('1.2B');
  });

  it('escapeMarkdown escapes what Discord formats, safeName and truncate keep names short', () => {
    expect(escapeMarkdown('a*b_c~d`e|f>g#h-i[j](k)<@l>:m\\n')).toBe(
      'a\\*b\\_c\\~d\\`e\\|f\\>g\\#h\\-i\\[j\\]\\(k\\)\\<\\@l\\>\\:m\\\\n',
    );
    expect(escapeMarkdown('Zezima 99')).toBe('Zezima 99');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
    expect(truncate('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(safeName('  ')).toBe('?');
  });

  it('isWeeklySummaryDue: never posted, or the last as-of 7 days less an hour ago', () => {
    expect(isWeeklySummaryDue(undefined, AS_OF)).toBe(true);
    expect(isWeeklySummaryDue(AS_OF, AS_OF)).toBe(false);
    expect(isWeeklySummaryDue(AS_OF - 6 * DAY, AS_OF)).toBe(false);
    expect(isWeeklySummaryDue(AS_OF - 7 * DAY + 3_600_001, AS_OF)).toBe(false);
    expect(isWeeklySummaryDue(AS_OF - 7 * DAY + 3_600_000, AS_OF)).toBe(true);
    // A run for an earlier time than the last post never posts on its own.
    expect(isWeeklySummaryDue(AS_OF + DAY, AS_OF)).toBe(false);
  });
});
