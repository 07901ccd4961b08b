import { standardizeUsername } from '@clanstats/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuestionText } from './questions.js';
import {
  DEFAULT_RELAY_LINE_PATTERN,
  matchesRelayAuthor,
  normalizeRsn,
  parseRelayLines,
  type ParsedRelayLine,
  type RelayRule,
} from './relay.js';

const SEED = 20240817;

/**
 * Any UTF-16 text: every code point, lone surrogates, and the characters the parser cares about.
 * (Cheaper to set up than fast-check's `unit: 'binary'`, which takes seconds on first use.)
 */
const anyCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('*', ':', '\\', '_', '-', ' ', '\u00a0', '\n', 'a', 'Z', '1'),
);

type Expected = Pick<ParsedRelayLine, 'rsn' | 'rank' | 'text'>;

describe('parseRelayLines: chat lines', () => {
  it.each<[string, Expected]>([
    [
      '<:Owner:1234567890123> **partymarty94**: anyone for cox?',
      { rsn: 'partymarty94', rank: 'Owner', text: 'anyone for cox?' },
    ],
    ['**Sir Gowi**: hi', { rsn: 'Sir Gowi', rank: null, text: 'hi' }],
    [
      '<a:Deputy_owner:987654321098765432> **Zezima**: gz',
      { rsn: 'Zezima', rank: 'Deputy_owner', text: 'gz' },
    ],
    ['[12:34] **Sir Gowi**: hi', { rsn: 'Sir Gowi', rank: null, text: 'hi' }],
    [
      '[09:05:59] <:General:1> **Lynx Titan**: 200m',
      { rsn: 'Lynx Titan', rank: 'General', text: '200m' },
    ],
    [
      '<:General:1> [09:05] **Lynx Titan**: 200m',
      { rsn: 'Lynx Titan', rank: 'General', text: '200m' },
    ],
    [
      '[12:34] <:Rank:123> 🛡️ **Gowi**: both sides',
      { rsn: 'Gowi', rank: 'Rank', text: 'both sides' },
    ],
    ['🔥 [12:34] **Gowi**: two decorations', { rsn: 'Gowi', rank: null, text: 'two decorations' }],
    ['🛡️ **Iron Gowi**: ironman btw', { rsn: 'Iron Gowi', rank: null, text: 'ironman btw' }],
    ['👍🏽 **Gowi**: ok', { rsn: 'Gowi', rank: null, text: 'ok' }],
    [
      '**Sir\\_Gowi**: escaped underscore',
      { rsn: 'Sir_Gowi', rank: null, text: 'escaped underscore' },
    ],
    ['**x\\-y**: escaped dash', { rsn: 'x-y', rank: null, text: 'escaped dash' }],
    ['**Sir\u00a0Gowi**: runelite nbsp', { rsn: 'Sir Gowi', rank: null, text: 'runelite nbsp' }],
    [
      '**Sir Gowi:** colon inside the bold',
      { rsn: 'Sir Gowi', rank: null, text: 'colon inside the bold' },
    ],
    ['  **  Gowi  **:   spaced out  ', { rsn: 'Gowi', rank: null, text: 'spaced out' }],
    ['**Gowi**:no space', { rsn: 'Gowi', rank: null, text: 'no space' }],
    [
      '**Gowi**: **bold** text: with colon',
      { rsn: 'Gowi', rank: null, text: '**bold** text: with colon' },
    ],
    [
      '**Gowi**: see https://x.com/?a=1',
      { rsn: 'Gowi', rank: null, text: 'see https://x.com/?a=1' },
    ],
    ['**Gowi**:', { rsn: 'Gowi', rank: null, text: '' }],
    ['**123456789012**: twelve chars', { rsn: '123456789012', rank: null, text: 'twelve chars' }],
    ['**a**: one char', { rsn: 'a', rank: null, text: 'one char' }],
    ['**Mr-Pickle_99**: mixed', { rsn: 'Mr-Pickle_99', rank: null, text: 'mixed' }],
  ])('%j', (content, expected) => {
    const [line, ...rest] = parseRelayLines(content);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ line: 0, ...expected });
  });

  it('normalizes the RSN and flags questions', () => {
    expect(parseRelayLines('<:Owner:1> **Sir_Gowi**: how do I get to zulrah')).toEqual([
      {
        line: 0,
        rsn: 'Sir_Gowi',
        normalizedRsn: 'sir gowi',
        rank: 'Owner',
        text: 'how do I get to zulrah',
        isQuestion: true,
      },
    ]);
    expect(parseRelayLines('**Sir Gowi**: gz')[0]?.isQuestion).toBe(false);
    expect(parseRelayLines('**Sir Gowi**: https://x.com/?a')[0]?.isQuestion).toBe(false);
  });
});

describe('parseRelayLines: lines that are not chat', () => {
  it.each([
    '**Sir Gowi** received a drop: Dragon bones',
    '**x** has reached level 99 Fishing.',
    '<:Owner:1> **Sir Gowi** has completed a quest: Dragon Slayer II',
    '**Sir Gowi** has been invited into the clan by **Zezima**.',
    'Sir Gowi: plain, not bold',
    '**Sir Gowi** : space before the colon',
    '*Sir Gowi*: italic',
    'hello **Sir Gowi**: not at the start',
    '**ThisNameIsTooLong**: 13+ chars',
    '**Sir.Gowi**: dot',
    '**Sír Gowi**: accent',
    '**   **: blank name',
    '**__**: only separators',
    '**-**: only a dash',
    '****: empty',
    '',
    '   ',
  ])('%j yields nothing', (content) => {
    expect(parseRelayLines(content)).toEqual([]);
  });
});

describe('parseRelayLines: multi-line messages', () => {
  it('parses each line, keeps line indexes, skips broadcasts and blank lines', () => {
    const content = [
      '<:Owner:1> **Sir Gowi**: first',
      '**Zezima** received a drop: Abyssal whip',
      '',
      '<:Recruit:2> **Lynx Titan**: anyone for cox?',
      '**Bad.Name**: invalid rsn',
      '**B0aty**: last',
    ].join('\n');
    expect(parseRelayLines(content)).toEqual([
      {
        line: 0,
        rsn: 'Sir Gowi',
        normalizedRsn: 'sir gowi',
        rank: 'Owner',
        text: 'first',
        isQuestion: false,
      },
      {
        line: 3,
        rsn: 'Lynx Titan',
        normalizedRsn: 'lynx titan',
        rank: 'Recruit',
        text: 'anyone for cox?',
        isQuestion: true,
      },
      {
        line: 5,
        rsn: 'B0aty',
        normalizedRsn: 'b0aty',
        rank: null,
        text: 'last',
        isQuestion: false,
      },
    ]);
  });

  it('splits CRLF line endings too', () => {
    expect(
      parseRelayLines('**A**: one\r\n**B**: two').map((line) => [line.line, line.text]),
    ).toEqual([
      [0, 'one'],
      [1, 'two'],
    ]);
  });
});

describe('parseRelayLines: custom patterns', () => {
  it('accepts a pattern with rsn and text groups', () => {
    const pattern = /^(?<rsn>[^:]+): (?<text>.*)$/;
    expect(parseRelayLines('Sir Gowi: hi\nnot a line', pattern)).toEqual([
      {
        line: 0,
        rsn: 'Sir Gowi',
        normalizedRsn: 'sir gowi',
        rank: null,
        text: 'hi',
        isQuestion: false,
      },
    ]);
  });

  it('captures rank from a custom pattern', () => {
    const pattern = /^\[(?<rank>\w+)\] (?<rsn>[^:]+): (?<text>.*)$/;
    expect(parseRelayLines('[Owner] Gowi: yo', pattern)[0]).toMatchObject({
      rank: 'Owner',
      rsn: 'Gowi',
    });
  });

  it('ignores g and y flags (no lastIndex state between calls or lines)', () => {
    const pattern = /^(?<rsn>[^:]+): (?<text>.*)$/gy;
    const content = 'A: one\nB: two';
    expect(parseRelayLines(content, pattern)).toHaveLength(2);
    expect(parseRelayLines(content, pattern)).toHaveLength(2);
    expect(pattern.lastIndex).toBe(0);
  });

  it('gives empty text when the pattern has no text group, and skips lines without rsn', () => {
    expect(parseRelayLines('Gowi joined', /^(?<rsn>\w+) joined$/)[0]?.text).toBe('');
    expect(parseRelayLines('whatever', /^(?<other>.*)$/)).toEqual([]);
    expect(parseRelayLines('x', /^(?:(?<rsn>y)|x)$/)).toEqual([]);
  });

  it('still validates RSNs from custom patterns', () => {
    expect(parseRelayLines('Not@Valid: hi', /^(?<rsn>[^:]+): (?<text>.*)$/)).toEqual([]);
  });
});

describe('DEFAULT_RELAY_LINE_PATTERN', () => {
  it('fails fast on long lines that almost match', () => {
    const lines = [
      ' '.repeat(5000) + 'x',
      '**' + 'a'.repeat(5000),
      '[12:34] '.repeat(2000) + '**a**: b',
      '🛡️'.repeat(3000) + '**a**',
      '**a** ' + ':'.repeat(5000),
    ];
    const started = performance.now();
    for (const line of lines) parseRelayLines(line);
    // A ReDoS guard, not a speed test: backtracking blow-ups take minutes; this takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('has the rsn, text and rank groups', () => {
    const groups = DEFAULT_RELAY_LINE_PATTERN.exec('<:Owner:1> **Gowi**: hi')?.groups;
    expect(groups).toEqual({ rank: 'Owner', rsn: 'Gowi', text: 'hi' });
  });

  it('is neither global nor sticky', () => {
    expect(DEFAULT_RELAY_LINE_PATTERN.global).toBe(false);
    expect(DEFAULT_RELAY_LINE_PATTERN.sticky).toBe(false);
  });
});

describe('normalizeRsn', () => {
  it.each([
    ['Ze_Zima', 'ze zima'],
    ['ze-zima', 'ze zima'],
    [' ze zima ', 'ze zima'],
    ['Sir\u00a0Gowi', 'sir gowi'],
    ['LYNX TITAN', 'lynx titan'],
    ['a__b', 'a  b'], // like WOM: separators are not collapsed
    ['', ''],
  ])('%j ⇒ %j', (name, expected) => {
    expect(normalizeRsn(name)).toBe(expected);
  });
});

describe('matchesRelayAuthor', () => {
  const relayBot = { id: '111', username: 'Osrs clanchat', global_name: null, bot: true };
  const webhook = { id: '222', username: 'Clan Chat', bot: true };
  const person = { id: '333', username: 'gowi', global_name: 'Sir Gowi' };
  const otherBot = { id: '444', username: 'MEE6', bot: true };
  const base: RelayRule = { channelId: '9' };

  it('without authorIds or authorName, matches any bot or webhook, never a person', () => {
    expect(matchesRelayAuthor(base, relayBot)).toBe(true);
    expect(matchesRelayAuthor(base, otherBot)).toBe(true);
    expect(matchesRelayAuthor(base, { id: '222', username: 'Clan Chat' }, '222')).toBe(true);
    expect(matchesRelayAuthor(base, person)).toBe(false);
    expect(matchesRelayAuthor(base, person, null)).toBe(false);
    expect(matchesRelayAuthor(base, person, '')).toBe(false);
    expect(matchesRelayAuthor({ ...base, authorIds: [] }, person)).toBe(false);
    expect(matchesRelayAuthor({ ...base, authorIds: [] }, relayBot)).toBe(true);
  });

  it('matches authorIds by id (webhook messages carry the webhook id)', () => {
    const rule: RelayRule = { ...base, authorIds: ['111', '222'] };
    expect(matchesRelayAuthor(rule, relayBot)).toBe(true);
    expect(matchesRelayAuthor(rule, webhook, '222')).toBe(true);
    expect(matchesRelayAuthor(rule, otherBot)).toBe(false);
    expect(matchesRelayAuthor(rule, person)).toBe(false);
  });

  it('matches a string authorName case-insensitively against username or global_name', () => {
    expect(matchesRelayAuthor({ ...base, authorName: 'osrs CLANCHAT' }, relayBot)).toBe(true);
    expect(matchesRelayAuthor({ ...base, authorName: 'sir gowi' }, person)).toBe(true);
    expect(matchesRelayAuthor({ ...base, authorName: 'Osrs' }, relayBot)).toBe(false); // not a substring match
    expect(matchesRelayAuthor({ ...base, authorName: 'Clan Chat' }, webhook, '222')).toBe(true);
    expect(matchesRelayAuthor({ ...base, authorName: 'Clan Chat' }, otherBot)).toBe(false);
  });

  it('tests a RegExp authorName against username or global_name, without lastIndex state', () => {
    const authorName = /clan ?chat/gi;
    const rule: RelayRule = { ...base, authorName };
    expect(matchesRelayAuthor(rule, relayBot)).toBe(true);
    expect(matchesRelayAuthor(rule, relayBot)).toBe(true);
    expect(matchesRelayAuthor(rule, webhook, '222')).toBe(true);
    expect(matchesRelayAuthor(rule, otherBot)).toBe(false);
    expect(matchesRelayAuthor({ ...base, authorName: /^Sir/ }, person)).toBe(true);
    expect(authorName.lastIndex).toBe(0);
  });

  it('with both authorIds and authorName, either one is enough', () => {
    const rule: RelayRule = { ...base, authorIds: ['111'], authorName: 'Clan Chat' };
    expect(matchesRelayAuthor(rule, relayBot)).toBe(true);
    expect(matchesRelayAuthor(rule, webhook, '222')).toBe(true);
    expect(matchesRelayAuthor(rule, otherBot)).toBe(false);
  });
});

describe('properties', () => {
  const validRsn = fc
    .string({ unit: fc.constantFrom(...Array.from('abcXYZ019 _-')), minLength: 1, maxLength: 12 })
    .filter((name) => normalizeRsn(name) !== '' && name.trim() === name);

  it('normalizeRsn equals WOM standardizeUsername (testkit) and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCharacter, maxLength: 30 }), (name) => {
        const once = normalizeRsn(name);
        expect(once).toBe(standardizeUsername(name));
        expect(normalizeRsn(once)).toBe(once);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('parseRelayLines never throws and only returns valid RSNs', () => {
    const piece = fc.oneof(
      fc.string({ unit: anyCharacter, maxLength: 20 }),
      fc.constantFrom('**', ':', '\n', '\\_', '<:Owner:1>', '[12:34]', ' ', 'Gowi', '🛡️', '\u00a0'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const content = pieces.join('');
        const lineCount = content.split(/\r?\n/).length;
        let previous = -1;
        for (const line of parseRelayLines(content)) {
          expect(line.rsn).toMatch(/^[a-zA-Z0-9 _-]{1,12}$/);
          expect(line.normalizedRsn).toBe(normalizeRsn(line.rsn));
          expect(line.normalizedRsn).not.toBe('');
          expect(line.line).toBeGreaterThan(previous);
          expect(line.line).toBeLessThan(lineCount);
          previous = line.line;
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('round-trips generated relay lines', () => {
    const text = fc.string({ unit: fc.constantFrom(...Array.from('abc ?!:*')), maxLength: 30 });
    const rank = fc.option(fc.constantFrom('Owner', 'General', 'Deputy_owner'), { nil: null });
    fc.assert(
      fc.property(validRsn, rank, text, (rsn, rankName, chat) => {
        const escaped = rsn.replace(/[_-]/g, (character) => `\\${character}`);
        const prefix = rankName === null ? '' : `<:${rankName}:123456789> `;
        const [line] = parseRelayLines(`${prefix}**${escaped}**: ${chat}`);
        expect(line).toEqual({
          line: 0,
          rsn,
          normalizedRsn: normalizeRsn(rsn),
          rank: rankName,
          text: chat.trim(),
          isQuestion: isQuestionText(chat.trim()),
        });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
