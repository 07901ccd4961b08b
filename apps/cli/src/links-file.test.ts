import type { LinkCandidatePlayer, LinkCandidateUser } from '@clanstats/store';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import {
  parseLinksCsv,
  parseLinksJson,
  renderLinksFile,
  resolveLinksFile,
  resolveRsn,
  type LinkDirectory,
  type LinksFile,
} from './links-file.js';

function configMessages(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.message);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const ID = '123456789012345678';

describe('parseLinksJson', () => {
  it('reads links and notLinked entries in file order', () => {
    const entries = parseLinksJson(
      JSON.stringify({
        $schema: 'x',
        $comment: 'hi',
        links: [{ discord: ID, rsn: 'Zezima', note: 'main' }],
        notLinked: [{ discord: '@someone', rsn: 'Lynx Titan' }, { discord: '@bot_alt' }],
      }),
    );
    expect(entries.map((entry) => [entry.kind, entry.discord, entry.rsn, entry.where])).toEqual([
      ['link', ID, 'Zezima', 'links[0]'],
      ['notLinked', '@someone', 'Lynx Titan', 'notLinked[0]'],
      ['notLinked', '@bot_alt', null, 'notLinked[1]'],
    ]);
    expect(parseLinksJson('{}')).toEqual([]);
  });

  it.each([
    ['{ "links": [ { "discord": "@a" ', 'clanstats.links.json is not valid JSON:'],
    ['[]', 'clanstats.links.json: must be an object such as'],
    ['{ "link": [] }', 'clanstats.links.json: link: unknown key (allowed here: links, notLinked'],
    ['{ "links": {} }', 'clanstats.links.json: links: must be a list'],
    ['{ "links": ["Zezima"] }', 'clanstats.links.json: links[0]: must be an entry such as'],
    [`{ "links": [ { "discord": "${ID}" } ] }`, 'clanstats.links.json: links[0].rsn: is missing'],
    [
      `{ "links": [ { "discord": "${ID}", "rsn": "Zezima", "name": "x" } ] }`,
      'links[0].name: unknown key (allowed here: discord, rsn, note)',
    ],
    [
      '{ "links": [ { "discord": "12345", "rsn": "Zezima" } ] }',
      'links[0].discord: looks like a Discord user id but has 5 digits; ids have 17 to 20',
    ],
    [
      `{ "links": [ { "discord": "${ID}", "rsn": "Way too long a name" } ] }`,
      'links[0].rsn: "Way too long a name" is not a RuneScape name (1 to 12 letters, digits, spaces, - or _)',
    ],
    [
      `{ "notLinked": [ { "discord": "@ a", "rsn": "Zezima" } ] }`,
      'notLinked[0].discord: "@ a" is not a Discord @username',
    ],
    [
      `{ "links": [ { "discord": 5, "rsn": "Zezima" } ] }`,
      'links[0].discord: must be a Discord user id',
    ],
  ])('rejects %s', (text, message) => {
    const messages = configMessages(() => parseLinksJson(text));
    expect(messages.join('\n')).toContain(message);
  });
});

describe('parseLinksCsv', () => {
  it('reads rows by header name, with quotes, comments and blank lines', () => {
    const text = [
      '# who is who',
      'discord,rsn,action,note',
      `${ID},Zezima,,main account`,
      '"Mike, the PvMer",Sir_Gowi,link,"says ""hi"""',
      '',
      '@bot_alt,,not-linked,',
      '"@multi",Lynx Titan,NOT-LINKED,"two',
      'lines"',
    ].join('\r\n');
    expect(
      parseLinksCsv(text).map((entry) => [
        entry.kind,
        entry.discord,
        entry.rsn,
        entry.note,
        entry.where,
      ]),
    ).toEqual([
      ['link', ID, 'Zezima', 'main account', 'line 3'],
      ['link', 'Mike, the PvMer', 'Sir_Gowi', 'says "hi"', 'line 4'],
      ['notLinked', '@bot_alt', null, undefined, 'line 6'],
      ['notLinked', '@multi', 'Lynx Titan', 'two\r\nlines', 'line 7'],
    ]);
    expect(parseLinksCsv('discord,rsn\n')).toEqual([]);
    expect(parseLinksCsv('')).toEqual([]);
  });

  it.each([
    ['discord,name\n', 'line 1: unknown column "name" in the header'],
    ['discord\n', 'line 1: the header needs a "rsn" column'],
    ['discord,rsn,rsn\n', 'line 1: the column "rsn" appears twice'],
    [`discord,rsn\n${ID}\n`, 'line 2: has 1 fields but the header has 2'],
    [
      `discord,rsn\n${ID},\n`,
      'line 2: rsn is empty; give the RuneScape name, or set action to "not-linked"',
    ],
    [`discord,rsn,action\n${ID},Zezima,unlink\n`, 'line 2: action must be "link" or "not-linked"'],
    ['discord,rsn\n\n12,Zezima\n', 'line 3: discord looks like a Discord user id but has 2 digits'],
    [`discord,rsn\n${ID},"Zezima\n`, 'line 2: a quoted field is never closed'],
    [`discord,rsn\n${ID},Ze"zima\n`, 'line 2: a quote (") in the middle of a field'],
  ])('rejects %j', (text, message) => {
    const messages = configMessages(() => parseLinksCsv(text));
    expect(messages.join('\n')).toContain(`clanstats.links.csv: ${message}`);
  });
});

const users: LinkCandidateUser[] = [
  { id: '100000000000000001', username: 'mike_1990', globalName: 'Mike', nickname: 'Sir Gowi' },
  { id: '100000000000000002', username: 'twin_a', globalName: 'Twin', nickname: null },
  { id: '100000000000000003', username: 'twin_b', globalName: null, nickname: 'twin' },
];
const players: LinkCandidatePlayer[] = [
  {
    playerId: 1,
    names: [
      { name: 'Sir Gowi', current: true },
      { name: 'Gowi Old', current: false },
    ],
  },
  { playerId: 2, names: [{ name: 'Zezima', current: true }] },
  { playerId: 3, names: [{ name: 'Iron Mike', current: true }] },
  {
    playerId: 4,
    names: [
      { name: 'Mike Reborn', current: true },
      { name: 'Iron Mike', current: false },
    ],
  },
  {
    playerId: 5,
    names: [
      { name: 'Left Guy', current: true },
      { name: 'Shared', current: false },
    ],
  },
  {
    playerId: 6,
    names: [
      { name: 'Other', current: true },
      { name: 'Shared', current: false },
    ],
  },
];
const directory: LinkDirectory = { users, players, members: new Set([1, 2, 3, 4, 6]) };

describe('resolution', () => {
  it.each([
    ['Sir Gowi', 1],
    ['sir_gowi', 1],
    ['GOWI-OLD', 1],
    ['Iron Mike', 3], // player 3's current name wins over player 4's former one
    ['Shared', 6], // two former names: the current member wins
    ['Sir Gow', undefined], // never a prefix
    ['Gowi', undefined], // never a substring
  ])('rsn %j → player %j', (rsn, expected) => {
    const result = resolveRsn(rsn, directory);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  it('resolves users by id, @username or a unique name, and reports the rest', () => {
    const entries = parseLinksJson(
      JSON.stringify({
        links: [
          { discord: '@MIKE_1990', rsn: 'Zezima' },
          { discord: 'sir gowi', rsn: 'Sir Gowi' },
          { discord: '999999999999999999', rsn: 'Zezima' },
          { discord: 'Twin', rsn: 'Zezima' },
          { discord: '@nobody', rsn: 'Zezima' },
          { discord: '@twin_a', rsn: 'Nobody Here' },
        ],
        notLinked: [{ discord: '@mike_1990', rsn: 'Zezima' }, { discord: '@twin_b' }],
      }),
    );
    const resolved = resolveLinksFile(entries, directory, 'clanstats.links.json');
    expect(resolved.links).toEqual([
      { discordUserId: '100000000000000001', playerId: 2 },
      { discordUserId: '100000000000000001', playerId: 1 },
      { discordUserId: '999999999999999999', playerId: 2 },
    ]);
    expect(resolved.blocks).toEqual([{ discordUserId: '100000000000000003', playerId: null }]);
    expect(resolved.unresolved).toEqual([
      {
        entry: 'clanstats.links.json links[3] ("Twin" → "Zezima")',
        reason: '2 Discord users go by "Twin" (@twin_a, @twin_b); use the @username or the user id',
      },
      {
        entry: 'clanstats.links.json links[4] ("@nobody" → "Zezima")',
        reason:
          'no Discord user with the username @nobody has been harvested yet; run "clanstats harvest", or use the user id',
      },
      {
        entry: 'clanstats.links.json links[5] ("@twin_a" → "Nobody Here")',
        reason: expect.stringContaining(
          'no clan member (current or former) has the RuneScape name "Nobody Here"',
        ) as string,
      },
      {
        entry: 'clanstats.links.json notLinked[0] ("@mike_1990" is not "Zezima")',
        reason:
          'the same user and player are also under "links"; the link wins (remove one of the two)',
      },
    ]);
  });
});

describe('renderLinksFile', () => {
  it('creates a JSON file with a comment', () => {
    const text = renderLinksFile(undefined, {
      remove: [],
      add: [{ kind: 'link', discord: ID, rsn: 'Zezima', note: '@zez' }],
    });
    const value = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['$comment', 'links']);
    expect(value.links).toEqual([{ discord: ID, rsn: 'Zezima', note: '@zez' }]);
    expect(parseLinksJson(text)).toHaveLength(1);
  });

  it('keeps the other JSON entries, keys and order', () => {
    const original = `{\n  "$schema": "s",\n  "notLinked": [{ "discord": "@aa" }],\n  "links": [\n    { "discord": "@bb", "rsn": "B", "note": "keep" },\n    { "discord": "@cc", "rsn": "C" }\n  ]\n}\n`;
    const file: LinksFile = {
      format: 'json',
      path: '/x/clanstats.links.json',
      label: 'clanstats.links.json',
      text: original,
      entries: parseLinksJson(original),
    };
    const text = renderLinksFile(file, {
      remove: file.entries.filter((entry) => entry.discord === '@bb'),
      add: [{ kind: 'notLinked', discord: ID, rsn: 'C' }],
    });
    expect(JSON.parse(text)).toEqual({
      $schema: 's',
      notLinked: [{ discord: '@aa' }, { discord: ID, rsn: 'C' }],
      links: [{ discord: '@cc', rsn: 'C' }],
    });
  });

  it('edits CSV line by line, keeping comments and the column order', () => {
    const original = '# mine\nrsn,discord,action\nB,@bb,link\nC,"Mike, PvM",link\n';
    const file: LinksFile = {
      format: 'csv',
      path: '/x/clanstats.links.csv',
      label: 'clanstats.links.csv',
      text: original,
      entries: parseLinksCsv(original),
    };
    const text = renderLinksFile(file, {
      remove: file.entries.filter((entry) => entry.discord === '@bb'),
      add: [
        { kind: 'link', discord: ID, rsn: 'Zezima', note: 'ignored: no note column' },
        { kind: 'notLinked', discord: ID, rsn: null },
      ],
    });
    expect(text).toBe(
      `# mine\nrsn,discord,action\nC,"Mike, PvM",link\nZezima,${ID},link\n,${ID},not-linked\n`,
    );
    expect(() =>
      renderLinksFile(
        { ...file, text: 'discord,rsn\n', entries: [] },
        { remove: [], add: [{ kind: 'notLinked', discord: ID, rsn: null }] },
      ),
    ).toThrow(/has no "action" column/);
  });
});
