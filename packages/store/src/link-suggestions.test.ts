import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isStoreError,
  normalizeRsn,
  suggestLinks,
  type LinkCandidatePlayer,
  type LinkCandidateUser,
  type LinkVia,
} from './index.js';

const USER_ID = '81440962496172032';

function user(names: Partial<Omit<LinkCandidateUser, 'id'>>, id = USER_ID): LinkCandidateUser {
  return { id, username: 'someone_else', globalName: null, nickname: null, ...names };
}

function player(playerId: number, current: string, ...former: string[]): LinkCandidatePlayer {
  return {
    playerId,
    names: [{ name: current, current: true }, ...former.map((name) => ({ name, current: false }))],
  };
}

const ROSTER: readonly LinkCandidatePlayer[] = [
  player(1, 'Sir Gowi', 'Gowi Old'),
  player(2, 'Zezima'),
  player(3, 'Lynx Titan'),
  player(4, 'bobby'),
  player(5, 'Iron_Mike 2'),
];

interface Expected {
  playerId: number;
  matchedName: string;
  via: LinkVia;
  former?: boolean;
}

describe('suggestLinks: one user, one roster', () => {
  const cases: Array<[string, Partial<Omit<LinkCandidateUser, 'id'>>, Expected | null]> = [
    // exact and WOM-equivalent spellings
    ['exact', { nickname: 'Zezima' }, { playerId: 2, matchedName: 'Zezima', via: 'nickname' }],
    ['upper case', { nickname: 'ZEZIMA' }, { playerId: 2, matchedName: 'Zezima', via: 'nickname' }],
    [
      'underscore',
      { nickname: 'sir_gowi' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    ['hyphen', { nickname: 'SIR-GOWI' }, { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' }],
    [
      'outer spaces',
      { nickname: '  Sir Gowi ' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'no-break space',
      { nickname: 'Sir\u00a0Gowi' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'player name with _',
      { nickname: 'iron mike-2' },
      { playerId: 5, matchedName: 'Iron_Mike 2', via: 'nickname' },
    ],
    ['runs are not collapsed (WOM)', { nickname: 'Sir__Gowi' }, null],
    // former names
    [
      'former name',
      { nickname: 'gowi_old' },
      { playerId: 1, matchedName: 'Gowi Old', via: 'nickname', former: true },
    ],
    [
      'current beats former of the same player',
      { nickname: 'Gowi Old | Sir Gowi' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    // separators
    [
      'pipe',
      { nickname: 'Sir Gowi | Mike' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'parentheses',
      { nickname: 'Mike (Sir Gowi)' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'square tag',
      { nickname: '[PvM] Sir Gowi' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'curly tag',
      { nickname: '{UIM} Zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    ['slash', { nickname: 'Mike/Zezima' }, { playerId: 2, matchedName: 'Zezima', via: 'nickname' }],
    [
      'spaced hyphen',
      { nickname: 'Mike - Lynx Titan' },
      { playerId: 3, matchedName: 'Lynx Titan', via: 'nickname' },
    ],
    [
      'bullet',
      { nickname: 'Mike • Zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    [
      'middle dot',
      { nickname: 'Zezima·Mike' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    ['tildes', { nickname: '~Zezima~' }, { playerId: 2, matchedName: 'Zezima', via: 'nickname' }],
    [
      'several separators',
      { nickname: '[PvM] Mike | Lynx Titan (main)' },
      { playerId: 3, matchedName: 'Lynx Titan', via: 'nickname' },
    ],
    [
      'hyphen inside the name is not a separator',
      { nickname: 'Lynx-Titan' },
      { playerId: 3, matchedName: 'Lynx Titan', via: 'nickname' },
    ],
    // exact only: never substring, prefix or fuzzy
    ['bob is not bobby', { nickname: 'bob' }, null],
    ['bobby2 is not bobby', { nickname: 'bobby2' }, null],
    ['substring of the text', { nickname: 'the bobby' }, null],
    ['prefix of a name', { nickname: 'Zezim' }, null],
    ['name plus a word', { nickname: 'Zezima fan' }, null],
    ['bobby itself', { nickname: 'Bobby' }, { playerId: 4, matchedName: 'bobby', via: 'nickname' }],
    // invalid parts are ignored
    ['longer than 12', { nickname: 'Sir Gowi the Great' }, null],
    ['punctuation is not a separator', { nickname: 'Zezima!' }, null],
    ['accented letter', { nickname: 'Zézima' }, null],
    [
      'invalid whole, valid part',
      { nickname: 'Zezima | ???' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    // unicode and emoji
    [
      'trailing emoji',
      { nickname: 'Sir Gowi 🐉' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'nickname' },
    ],
    [
      'emoji around',
      { nickname: '🐉Zezima🐉' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    [
      'emoji with variation selector',
      { nickname: 'Zezima ❤️' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    [
      'ZWJ emoji sequence',
      { nickname: '👨‍👩‍👧 Zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    ['full-width letters', { nickname: 'Ｚｅｚｉｍａ' }, null],
    ['zero-width space inside', { nickname: 'Sir\u200bGowi' }, null],
    // which Discord name
    [
      'global name when no nickname',
      { globalName: 'Zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'global_name' },
    ],
    [
      'username last',
      { nickname: 'Mike', globalName: 'Mikey', username: 'sir_gowi' },
      { playerId: 1, matchedName: 'Sir Gowi', via: 'username' },
    ],
    [
      'empty nickname is skipped',
      { nickname: '', username: 'zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'username' },
    ],
    [
      'nickname first when all agree',
      { nickname: 'Zezima', globalName: 'ZEZIMA', username: 'zezima' },
      { playerId: 2, matchedName: 'Zezima', via: 'nickname' },
    ],
    ['nothing matches', { nickname: 'Mike', globalName: 'Michael', username: 'mike_1990' }, null],
  ];

  it.each(cases)('%s', (_title, names, expected) => {
    const result = suggestLinks([user(names)], ROSTER);
    expect(result.ambiguous).toEqual([]);
    if (expected === null) {
      expect(result.suggestions).toEqual([]);
      return;
    }
    const texts = {
      nickname: names.nickname,
      global_name: names.globalName,
      username: names.username,
    };
    expect(result.suggestions).toEqual([
      {
        discordUserId: USER_ID,
        playerId: expected.playerId,
        matchedName: expected.matchedName,
        via: expected.via,
        text: texts[expected.via],
        former: expected.former ?? false,
        contested: false,
      },
    ]);
  });
});

describe('suggestLinks: ambiguity', () => {
  const cases: Array<
    [
      string,
      Partial<Omit<LinkCandidateUser, 'id'>>,
      readonly LinkCandidatePlayer[],
      number[],
      LinkVia,
      number,
    ]
  > = [
    [
      'two players in one nickname',
      { nickname: 'Zezima | Lynx Titan' },
      ROSTER,
      [2, 3],
      'nickname',
      2,
    ],
    [
      'nickname and username disagree',
      { nickname: 'Zezima', username: 'lynx_titan' },
      ROSTER,
      [2, 3],
      'username',
      2,
    ],
    [
      'global name and username disagree',
      { nickname: 'Mike', globalName: 'Sir Gowi', username: 'bobby' },
      ROSTER,
      [1, 4],
      'username',
      2,
    ],
    [
      'an ambiguous later name spoils an exact nickname',
      { nickname: 'Zezima', globalName: 'Zezima / Sir Gowi' },
      ROSTER,
      [1, 2],
      'global_name',
      3,
    ],
    [
      'current name of one, former name of another',
      { nickname: 'Swapped' },
      [player(7, 'Swapped'), player(8, 'New Name', 'swapped')],
      [7, 8],
      'nickname',
      2,
    ],
    [
      'two former names',
      { nickname: 'Old Name' },
      [player(9, 'A', 'Old Name'), player(6, 'B', 'old_name')],
      [6, 9],
      'nickname',
      2,
    ],
  ];

  it.each(cases)('%s', (_title, names, players, playerIds, via, matchCount) => {
    const result = suggestLinks([user(names)], players);
    expect(result.suggestions).toEqual([]);
    expect(result.ambiguous).toHaveLength(1);
    const [ambiguity] = result.ambiguous;
    expect(ambiguity?.discordUserId).toBe(USER_ID);
    expect(ambiguity?.playerIds).toEqual(playerIds);
    expect(ambiguity?.via).toBe(via);
    expect(ambiguity?.matches).toHaveLength(matchCount);
    expect(new Set(ambiguity?.matches.map((match) => match.playerId))).toEqual(new Set(playerIds));
  });

  it('keeps the evidence in the order tried', () => {
    const result = suggestLinks(
      [user({ nickname: 'Lynx Titan | Zezima', username: 'gowi_old' })],
      ROSTER,
    );
    expect(result.ambiguous).toEqual([
      {
        discordUserId: USER_ID,
        playerIds: [1, 2, 3],
        via: 'nickname',
        text: 'Lynx Titan | Zezima',
        matches: [
          {
            playerId: 2,
            matchedName: 'Zezima',
            via: 'nickname',
            text: 'Lynx Titan | Zezima',
            former: false,
          },
          {
            playerId: 3,
            matchedName: 'Lynx Titan',
            via: 'nickname',
            text: 'Lynx Titan | Zezima',
            former: false,
          },
          { playerId: 1, matchedName: 'Gowi Old', via: 'username', text: 'gowi_old', former: true },
        ],
      },
    ]);
  });
});

describe('suggestLinks: several users', () => {
  it('marks every claim on a player claimed by several users as contested', () => {
    const result = suggestLinks(
      [
        user({ nickname: 'Zezima' }, '300'),
        user({ username: 'zezima' }, '100'),
        user({ nickname: 'Sir Gowi' }, '200'),
        user({ nickname: 'Zezima | Lynx Titan' }, '400'), // ambiguous: not a claim
        user({ nickname: 'Lynx Titan' }, '500'),
      ],
      ROSTER,
    );
    expect(
      result.suggestions.map((suggestion) => [
        suggestion.discordUserId,
        suggestion.playerId,
        suggestion.contested,
      ]),
    ).toEqual([
      ['100', 2, true],
      ['200', 1, false],
      ['300', 2, true],
      ['500', 3, false],
    ]);
    expect(result.ambiguous.map((ambiguity) => ambiguity.discordUserId)).toEqual(['400']);
  });

  it('orders by Discord user id as a number, not as text, whatever the input order', () => {
    const users = [
      user({ nickname: 'Zezima' }, '9'),
      user({ nickname: 'Sir Gowi' }, '81440962496172032'),
      user({ nickname: 'bobby' }, '100000000000000000'),
      user({ nickname: 'Lynx Titan' }, '10'),
      user({ nickname: 'Zezima | bobby' }, '11'),
      user({ nickname: 'Lynx Titan | bobby' }, '2'),
    ];
    const expectedOrder = ['9', '10', '81440962496172032', '100000000000000000'];
    const forward = suggestLinks(users, ROSTER);
    expect(forward.suggestions.map((suggestion) => suggestion.discordUserId)).toEqual(
      expectedOrder,
    );
    expect(forward.ambiguous.map((ambiguity) => ambiguity.discordUserId)).toEqual(['2', '11']);
    expect(suggestLinks([...users].reverse(), [...ROSTER].reverse())).toEqual(forward);
  });

  it('returns nothing for empty inputs', () => {
    expect(suggestLinks([], [])).toEqual({ suggestions: [], ambiguous: [] });
    expect(suggestLinks([user({ nickname: 'Zezima' })], [])).toEqual({
      suggestions: [],
      ambiguous: [],
    });
    expect(suggestLinks([], ROSTER)).toEqual({ suggestions: [], ambiguous: [] });
    expect(suggestLinks([user({ nickname: 'Zezima' })], [{ playerId: 2, names: [] }])).toEqual({
      suggestions: [],
      ambiguous: [],
    });
  });

  it('ignores player names that are not valid RSNs', () => {
    const players = [player(1, 'Way Too Long A Name'), player(2, '   '), player(3, 'Zezima')];
    const result = suggestLinks(
      [user({ nickname: 'Way Too Long A Name' }, '1'), user({ nickname: 'Zezima' }, '2')],
      players,
    );
    expect(result.suggestions.map((suggestion) => suggestion.playerId)).toEqual([3]);
  });
});

describe('suggestLinks: invalid input', () => {
  const cases: Array<[string, LinkCandidateUser[], LinkCandidatePlayer[]]> = [
    ['a user id that is not a snowflake', [user({}, 'mike')], []],
    ['a user id out of range', [user({}, '99999999999999999999')], []],
    ['a user listed twice', [user({}, '1'), user({}, '1')], []],
    ['a player listed twice', [], [player(1, 'a'), player(1, 'b')]],
    ['a player id of 0', [], [player(0, 'a')]],
    ['a fractional player id', [], [player(1.5, 'a')]],
  ];

  it.each(cases)('throws INVALID_INPUT for %s', (_title, users, players) => {
    let thrown: unknown;
    try {
      suggestLinks(users, players);
    } catch (error) {
      thrown = error;
    }
    expect(isStoreError(thrown) && thrown.code).toBe('INVALID_INPUT');
  });
});

describe('normalizeRsn', () => {
  it.each([
    ['Sir_Gowi', 'sir gowi'],
    ['sir-gowi', 'sir gowi'],
    [' SIR GOWI ', 'sir gowi'],
    ['Sir\u00a0Gowi', 'sir gowi'],
    ['a__b', 'a  b'], // like WOM's standardizeUsername: runs are not collapsed
    ['a - b', 'a   b'],
    ['', ''],
  ])('%j ⇒ %j', (name, expected) => {
    expect(normalizeRsn(name)).toBe(expected);
  });
});

describe('suggestLinks: properties', () => {
  const VALID = /^[a-z0-9 ]{1,12}$/;
  const SEED = 20_260_501;
  const nameChars = ['a', 'b', 'A', 'B', '0', '1', ' ', '_', '-'];
  const anyName = fc.string({ unit: fc.constantFrom(...nameChars), minLength: 0, maxLength: 14 });
  const textChars = [...nameChars, '|', '(', ')', '[', ']', '/', '~', '•', '🐉', 'é'];
  const anyText = fc.string({ unit: fc.constantFrom(...textChars), minLength: 0, maxLength: 20 });
  /** A valid RSN that survives splitting: no `-` with whitespace on both sides. */
  const rsn = fc
    .string({ unit: fc.constantFrom(...nameChars), minLength: 1, maxLength: 12 })
    .filter((name) => VALID.test(normalizeRsn(name)) && !/\s-\s/.test(name));

  const players = fc.uniqueArray(
    fc.record({
      playerId: fc.integer({ min: 1, max: 50 }),
      names: fc.array(fc.record({ name: anyName, current: fc.boolean() }), { maxLength: 3 }),
    }),
    { selector: (candidate) => candidate.playerId, maxLength: 8 },
  );
  const users = fc.uniqueArray(
    fc.record({
      id: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
      username: fc.oneof(anyText, anyName),
      globalName: fc.option(fc.oneof(anyText, anyName)),
      nickname: fc.option(fc.oneof(anyText, anyName)),
    }),
    { selector: (candidate) => candidate.id, maxLength: 8 },
  );
  const field = { nickname: 'nickname', global_name: 'globalName', username: 'username' } as const;

  it('a suggestion names one of the player’s names, from the Discord name it says', () => {
    fc.assert(
      fc.property(users, players, (userList, playerList) => {
        const { suggestions, ambiguous } = suggestLinks(userList, playerList);
        const seen = new Set<string>();
        for (const suggestion of suggestions) {
          const candidate = playerList.find((entry) => entry.playerId === suggestion.playerId);
          const key = normalizeRsn(suggestion.matchedName);
          expect(VALID.test(key)).toBe(true);
          expect(candidate?.names.map((entry) => normalizeRsn(entry.name))).toContain(key);
          expect(candidate?.names.map((entry) => entry.name)).toContain(suggestion.matchedName);
          const hasCurrent = candidate?.names.some(
            (entry) => entry.current && normalizeRsn(entry.name) === key,
          );
          expect(suggestion.former).toBe(!hasCurrent);
          const source = userList.find((entry) => entry.id === suggestion.discordUserId);
          expect(source?.[field[suggestion.via]]).toBe(suggestion.text);
          seen.add(suggestion.discordUserId);
        }
        for (const ambiguity of ambiguous) {
          expect(ambiguity.playerIds.length).toBeGreaterThanOrEqual(2);
          expect(seen.has(ambiguity.discordUserId)).toBe(false);
          seen.add(ambiguity.discordUserId);
        }
        expect(seen.size).toBe(suggestions.length + ambiguous.length);
        const order = [...suggestions.map((entry) => entry.discordUserId)];
        expect(order).toEqual(
          [...order].sort((left, right) => (BigInt(left) < BigInt(right) ? -1 : 1)),
        );
        expect(suggestLinks([...userList].reverse(), [...playerList].reverse())).toEqual({
          suggestions,
          ambiguous,
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('finds a valid name after any separator, and never a strict prefix of it', () => {
    const separators = fc.constantFrom(' | ', '|', ' / ', ' - ', ' • ', '~', ' 🐉 ');
    fc.assert(
      fc.property(rsn, anyName, separators, fc.boolean(), (name, other, separator, before) => {
        const nickname = before ? `${name}${separator}${other}` : `${other}${separator}${name}`;
        const roster = [player(7, name)];
        const found = suggestLinks([user({ nickname })], roster);
        expect(found.suggestions.map((entry) => entry.playerId)).toEqual([7]);
        expect(found.ambiguous).toEqual([]);

        const longer = [player(8, `${name}x`)];
        expect(suggestLinks([user({ nickname: name, username: name })], longer)).toEqual({
          suggestions: [],
          ambiguous: [],
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
