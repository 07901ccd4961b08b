import { DefaultClanModelRules } from '@clanstats/clan-model';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_FILE_NAME,
  DefaultClanRules,
  formatJsonPath,
  loadClanRules,
  parseClanRules,
} from './config.js';
import { ConfigError } from './errors.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
});
afterEach(() => {
  folder.remove();
});

function messagesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('clanstats.config.json', () => {
  it('uses the defaults when the file is absent', () => {
    expect(loadClanRules(folder.path)).toEqual({ rules: DefaultClanRules, path: undefined });
  });

  it("defaults the clan model's rules exactly as the clan model does", () => {
    const { score, inactivity, ranks } = DefaultClanRules;
    expect({ score, inactivity, ranks }).toEqual(DefaultClanModelRules);
  });

  it('fills in defaults for the fields a file leaves out', () => {
    writeFileSync(
      folder.file(CONFIG_FILE_NAME),
      JSON.stringify({
        $schema: './clanstats.schema.json',
        score: { window: '90d', weights: { messages: 2 } },
        inactivity: { roleDays: { guest: 14 }, exemptRoles: ['owner'] },
        ranks: [
          { role: 'prospector', minTenureDays: 0, minScore: 0 },
          { role: 'saviour', minTenureDays: 30, minScore: 100 },
        ],
        relay: {
          botUserIds: ['123456789012345678'],
          botNames: ['Osrs clanchat'],
          channelIds: ['234567890123456789'],
        },
        discord: { storeMessageContent: true },
        report: { window: '7d', dateFormat: 'dd/mm/yyyy' },
        publicMode: true,
      }),
    );
    const { rules, path } = loadClanRules(folder.path);
    expect(path).toBe(folder.file(CONFIG_FILE_NAME));
    expect(rules).toEqual({
      score: { window: '90d', weights: { messages: 2, xp: 1, ehp: 0, ehb: 0, bossKills: 3 } },
      inactivity: { days: 60, roleDays: { guest: 14 }, exemptRoles: ['owner'], exemptNames: [] },
      ranks: [
        { role: 'prospector', minTenureDays: 0, minScore: 0 },
        { role: 'saviour', minTenureDays: 30, minScore: 100 },
      ],
      relay: {
        botUserIds: ['123456789012345678'],
        botNames: ['Osrs clanchat'],
        channelIds: ['234567890123456789'],
      },
      discord: { storeMessageContent: true },
      wom: { updateWaitSeconds: 60 },
      report: { window: '7d', dateFormat: 'dd/mm/yyyy' },
      publicMode: true,
    });
  });

  it('rejects unknown keys, naming the JSON path and the allowed keys', () => {
    const messages = messagesOf(() => parseClanRules({ score: { wieghts: {} }, colour: 'red' }));
    expect(messages).toEqual(
      expect.arrayContaining([
        'clanstats.config.json: score.wieghts: unknown key (allowed here: window, weights)',
        'clanstats.config.json: colour: unknown key (allowed here: score, inactivity, ranks, relay, discord, wom, report, publicMode)',
      ]),
    );
  });

  it('reports wrong values with their path', () => {
    const messages = messagesOf(() =>
      parseClanRules({
        score: { window: '14d', weights: { xp: 'lots', ehb: -1 } },
        wom: { updateWaitSeconds: 7200 },
        report: { dateFormat: '=A1' },
        inactivity: { days: 2.5, roleDays: { Guest: 3 } },
        ranks: [
          { role: 'saviour', minTenureDays: 30, minScore: 100 },
          { role: 'prospector', minTenureDays: 0, minScore: 10 },
          { role: 'saviour', minTenureDays: 40, minScore: 200, extra: 1 },
        ],
        relay: { botUserIds: [123], channelIds: ['general', '2345678901234567890123'] },
        discord: { storeMessageContent: 'no', keepEmbeds: true },
        publicMode: 'yes',
      }),
    );
    const joined = messages.join('\n');
    expect(joined).toContain('score.weights.xp: must be a number, got the text "lots"');
    expect(joined).toContain('score.window: must be one of "7d", "30d", "90d", "365d"');
    expect(joined).toContain('wom.updateWaitSeconds: must be at most 3600 (one hour)');
    expect(joined).toContain('report.dateFormat: must be an Excel date format made of d, m, y');
    expect(joined).toContain('score.weights.ehb: must be 0 or more');
    expect(joined).toContain('inactivity.days: must be a whole number of days');
    expect(joined).toContain('inactivity.roleDays.Guest: must be a WOM role name in lowercase');
    expect(joined).toContain("ranks[1].minTenureDays: must be at least the previous rank's (30)");
    expect(joined).toContain("ranks[1].minScore: must be at least the previous rank's (100)");
    expect(joined).toContain(
      'ranks[2].extra: unknown key (allowed here: role, minTenureDays, minScore)',
    );
    expect(joined).toContain(
      'relay.botUserIds[0]: must be a string (in double quotes), got number 123',
    );
    expect(joined).toContain(
      'relay.channelIds[0]: must be a Discord channel id of 17 to 20 digits, as a string, got the text "general"',
    );
    expect(joined).toContain(
      'relay.channelIds[1]: must be a Discord channel id of 17 to 20 digits, as a string, got the text "2345678901234567890123"',
    );
    expect(joined).toContain('ranks[2].role: "saviour" appears twice in the ladder');
    expect(joined).toContain('publicMode: must be true or false, got the text "yes"');
    expect(joined).toContain(
      'discord.storeMessageContent: must be true or false, got the text "no"',
    );
    expect(joined).toContain('discord.keepEmbeds: unknown key (allowed here: storeMessageContent)');
  });

  it('reports invalid JSON with line, column and position', () => {
    writeFileSync(folder.file(CONFIG_FILE_NAME), '{\n  "publicMode": true,\n}\n');
    const messages = messagesOf(() => loadClanRules(folder.path));
    expect(messages).toEqual([
      "clanstats.config.json is not valid JSON: expected a double-quoted property name, found '}' at line 3, column 1 (position 24)",
    ]);
  });

  it('formats JSON paths', () => {
    expect(formatJsonPath([])).toBe('(top level)');
    expect(formatJsonPath(['ranks', 2, 'role'])).toBe('ranks[2].role');
    expect(formatJsonPath(['inactivity', 'roleDays', 'deputy owner'])).toBe(
      'inactivity.roleDays["deputy owner"]',
    );
  });
});

describe('findJsonSyntaxProblem', () => {
  it.each([
    ['{"a":}', "expected a value, found '}'", 1, 6],
    ['{"a": 1', "expected ',' or '}' after a property value, found the end of the file", 1, 8],
    ['{"a": tru}', "expected a value, found 'tru' (strings need double quotes)", 1, 7],
    ["{'a': 1}", "expected a double-quoted property name, found '''", 1, 2],
    ['[1, 2] x', "unexpected 'x' after the end of the JSON value", 1, 8],
    ['{"ranks": [1\n  2]}', "expected ',' or ']' after an array element, found '2'", 2, 3],
    ['[]', undefined, undefined, undefined],
    ['{"a": "b\n"}', 'unterminated string', 1, 7],
    ['', 'expected a value, found the end of the file', 1, 1],
  ])('%j → %s', (text, message, line, column) => {
    if (message === undefined) expect(findJsonSyntaxProblem(text)).toBeUndefined();
    else expect(findJsonSyntaxProblem(text)).toMatchObject({ message, line, column });
  });

  it('accepts valid JSON, with a byte-order mark too', () => {
    expect(
      findJsonSyntaxProblem('\uFEFF{"a": [1, -2.5e3, "x\\u00e9", true, null]}'),
    ).toBeUndefined();
  });
});
