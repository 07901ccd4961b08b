// Bad configuration through the real CLI: every setting wrong in turn (derived from
// SettingDefinitions, so a new setting is tried too), and clanstats.config.json broken in every
// way. Each case must stop `clanstats run` (or `harvest`) with CONFIG_INVALID (exit 2), one line per
// problem naming the setting or JSON path and how to fix it, no stack trace, no secret shown, no
// HTTP request (WOM_BASE_URL and DISCORD_API_URL point at a counting server, one path per case)
// and no database created or changed.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultClanRules } from './config.js';
import { ExitCodes } from './errors.js';
import {
  inspectSettings,
  planHarvestSources,
  SettingDefinitions,
  type SettingName,
} from './settings.js';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

/** In every secret's bad value: found anywhere in the output or app.log, it leaked. */
const CANARY = 'canary7Qz';
const GOOD: Record<string, string> = {
  WOM_GROUP_ID: '4321',
  DISCORD_TOKEN: 'MTE5OTk5ODg4Nzc3NjY2NTU1.GcAnRy.good-token-value',
  DISCORD_GUILD_ID: '123456789012345678',
};
/** Settings that take any text: a path. Their folder problems are disk faults, tested elsewhere. */
const PATH_SETTINGS = [
  'LOCAL_DRIVE_PATH',
  'CLANSTATS_DB',
  'CLANSTATS_OUT_DIR',
  'CLANSTATS_ASSETS_DIR',
];

/** One bad input: the environment and rules file `run` gets, and what the error must say. */
interface BadInput {
  label: string;
  /** Overrides of {@link GOOD}; `undefined` removes the setting. */
  env?: Record<string, string | undefined>;
  /** The rules file's text, when there is one (written as is, or a folder when `null`). */
  config?: string | null;
  args?: string[];
  /** Each problem's line contains one of these, in order. */
  expected: string[];
  /** The value must not be shown (a secret). */
  secret?: string;
}

/** Malformed values tried on every setting; those its validator rejects become cases. */
const MALFORMED = [`two words ${CANARY}`, '-1', '0', `${CANARY}%`, '1.5', 'ftp://example.com'];

/** Cases from the definitions: a required setting unset, empty or blank; each kind of bad value. */
function derivedCases(): BadInput[] {
  const cases: BadInput[] = [];
  const cwd = process.cwd();
  const required = planHarvestSources(GOOD, { skipWom: false, skipDiscord: false }).require;
  for (const name of required) {
    for (const [how, value] of [
      ['unset', undefined],
      ['empty', ''],
      ['blank', '   '],
    ] as const) {
      cases.push({
        label: `${name} ${how}`,
        env: { [name]: value },
        expected: [`${name} is not set: `],
      });
    }
  }
  for (const definition of SettingDefinitions) {
    const seen = new Set<string>();
    for (const value of MALFORMED) {
      const [inspection] = inspectSettings({ [definition.name]: value }, cwd).filter(
        (entry) => entry.definition.name === definition.name,
      );
      const message = inspection?.message;
      if (inspection?.status !== 'invalid' || message === undefined) continue;
      // One case per distinct message: the same rule with another value proves nothing new.
      const rule = message.replace(/, got .*$/, '');
      if (seen.has(rule)) continue;
      seen.add(rule);
      cases.push({
        label: `${definition.name}=${JSON.stringify(value)}`,
        env: { [definition.name]: value },
        expected: [definition.name],
        ...(definition.secret ? { secret: CANARY } : {}),
      });
    }
  }
  return cases;
}

/** Cases a generic value does not reach: the mistakes people make with each setting. */
const SPECIFIC: BadInput[] = [
  {
    label: 'group id not a number',
    env: { WOM_GROUP_ID: 'abc' },
    expected: [
      "WOM_GROUP_ID must be a positive whole number (the number in your group's WOM URL), got 'abc'",
    ],
  },
  {
    label: 'group id zero',
    env: { WOM_GROUP_ID: '0' },
    expected: ['WOM_GROUP_ID must be a positive whole number'],
  },
  {
    label: 'group id negative',
    env: { WOM_GROUP_ID: '-5' },
    expected: ['WOM_GROUP_ID must be a positive whole number'],
  },
  {
    label: 'group id as the WOM address',
    env: { WOM_GROUP_ID: 'https://wiseoldman.net/groups/139' },
    expected: ['WOM_GROUP_ID=139'],
  },
  {
    label: 'guild id too short',
    env: { DISCORD_GUILD_ID: '12345' },
    expected: [
      'DISCORD_GUILD_ID must be a Discord server id of 17 to 20 digits (turn on Developer Mode',
    ],
  },
  {
    label: 'guild id as a channel link',
    env: { DISCORD_GUILD_ID: 'https://discord.com/channels/123456789012345678/123456789012345679' },
    expected: ['DISCORD_GUILD_ID must be a Discord server id'],
  },
  {
    label: 'token with "Bot " prefix',
    env: { DISCORD_TOKEN: `Bot ${CANARY}.abc.def` },
    expected: ['DISCORD_TOKEN must be the bare bot token; remove the "Bot " prefix'],
    secret: CANARY,
  },
  {
    label: 'token in quotes',
    env: { DISCORD_TOKEN: `"${CANARY}.abc.def"` },
    expected: ['DISCORD_TOKEN must be given without quotes around it; remove the quotes'],
    secret: CANARY,
  },
  {
    label: 'token is the application id',
    env: { DISCORD_TOKEN: '123456789012345678' },
    expected: [
      "DISCORD_TOKEN must be the bot token, but this value is shaped like the application's id or public key: create a bot at https://discord.com/developers/applications",
    ],
    secret: '123456789012345678',
  },
  {
    label: 'token is the public key',
    env: { DISCORD_TOKEN: 'ab12'.repeat(16) },
    expected: ["shaped like the application's id or public key"],
    secret: 'ab12ab12',
  },
  {
    label: 'API key with a space',
    env: { WOM_API_KEY: `wom ${CANARY}` },
    expected: ['WOM_API_KEY must be a single word without spaces, got a value of 13 characters'],
    secret: CANARY,
  },
  {
    label: 'API key in quotes',
    env: { WOM_API_KEY: `'${CANARY}'` },
    expected: ['WOM_API_KEY must be given without quotes'],
    secret: CANARY,
  },
  {
    label: 'group secret with spaces',
    env: { WOM_GROUP_SECRET: `123 456 ${CANARY}` },
    expected: ['WOM_GROUP_SECRET must be a single word without spaces'],
    secret: CANARY,
  },
  {
    label: 'WOM URL without a scheme',
    env: { WOM_BASE_URL: 'api.wiseoldman.net/v2' },
    expected: ['WOM_BASE_URL must be an http:// or https:// URL (or unset it to use the default)'],
  },
  {
    label: 'Discord URL not http',
    env: { DISCORD_API_URL: 'ws://discord.com/api' },
    expected: ['DISCORD_API_URL must be an http:// or https:// URL'],
  },
  {
    label: 'webhook URL of another site',
    env: { DISCORD_WEBHOOK_URL: `https://example.com/api/webhooks/123456789012345678/${CANARY}` },
    expected: [
      'DISCORD_WEBHOOK_URL is not a Discord webhook URL: example.com is not a Discord host (expected https://discord.com/api/webhooks/<id>/<token>); in Discord, open the channel → Edit Channel → Integrations → Webhooks',
    ],
    secret: CANARY,
  },
  {
    label: 'webhook URL without its token',
    env: { DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/123456789012345678' },
    expected: [
      'DISCORD_WEBHOOK_URL is not a Discord webhook URL: the path is not /api/webhooks/<id>/<token>',
    ],
  },
  {
    label: 'unknown time zone',
    env: { CLANSTATS_TIMEZONE: 'Europe/Londn' },
    expected: [
      "CLANSTATS_TIMEZONE must be an IANA time zone such as UTC, Europe/London or America/New_York, got 'Europe/Londn'",
    ],
  },
  {
    label: 'time zone abbreviation',
    env: { CLANSTATS_TIMEZONE: 'BST' },
    expected: [
      "CLANSTATS_TIMEZONE must be an IANA time zone such as Europe/London or America/New_York, not an abbreviation ('BST' would mean Asia/Dhaka)",
    ],
  },
  {
    label: 'time zone with a line break',
    env: { CLANSTATS_TIMEZONE: 'UTC\n✖ [run] a forged line' },
    expected: ['CLANSTATS_TIMEZONE must be an IANA time zone'],
  },
  {
    label: 'log level name',
    env: { CLANSTATS_LOG_LEVEL: 'loud' },
    expected: ['CLANSTATS_LOG_LEVEL must be a number from 0 (errors only) to 5 (trace)'],
  },
  {
    label: 'log level too high',
    env: { CLANSTATS_LOG_LEVEL: '9' },
    expected: ['CLANSTATS_LOG_LEVEL must be a number from 0'],
  },
  {
    label: 'backup keep zero',
    env: { CLANSTATS_BACKUP_KEEP: '0' },
    expected: ["CLANSTATS_BACKUP_KEEP must be a whole number of 1 or more, got '0'"],
  },
  {
    label: 'backup keep words',
    env: { CLANSTATS_BACKUP_KEEP: 'ten' },
    expected: ['CLANSTATS_BACKUP_KEEP must be a whole number of 1 or more'],
  },
  {
    label: 'HTTP timeout in seconds',
    env: { CLANSTATS_HTTP_TIMEOUT_MS: '10s' },
    expected: ['CLANSTATS_HTTP_TIMEOUT_MS must be a whole number of milliseconds'],
  },
  {
    label: 'HTTP timeout negative',
    env: { CLANSTATS_HTTP_TIMEOUT_MS: '-100' },
    expected: ['CLANSTATS_HTTP_TIMEOUT_MS must be a whole number of milliseconds'],
  },
  {
    label: 'only the Discord token set',
    env: { DISCORD_GUILD_ID: undefined },
    expected: ['DISCORD_GUILD_ID is not set: turn on Developer Mode in Discord'],
  },
  {
    label: 'only the Discord server set',
    env: { DISCORD_TOKEN: undefined },
    expected: [
      'DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/applications',
    ],
  },
  {
    label: 'harvest --skip-wom without Discord',
    args: ['harvest', '--skip-wom'],
    env: { DISCORD_TOKEN: undefined, DISCORD_GUILD_ID: undefined, WOM_GROUP_ID: undefined },
    expected: ['DISCORD_TOKEN is not set', 'DISCORD_GUILD_ID is not set'],
  },
  {
    label: 'harvest --skip-discord without the group',
    args: ['harvest', '--skip-discord'],
    env: { WOM_GROUP_ID: undefined },
    expected: ['WOM_GROUP_ID is not set'],
  },
  {
    label: 'a misspelled setting',
    env: { CLANSTATS_TIMEZON: 'Europe/London' },
    expected: [
      'CLANSTATS_TIMEZON is not a setting, so it is ignored: did you mean CLANSTATS_TIMEZONE? Rename it',
    ],
  },
  {
    label: 'a setting in lower case',
    env: { WOM_GROUP_ID: undefined, wom_group_id: '4321' },
    expected: [
      'WOM_GROUP_ID is not set',
      'wom_group_id is not a setting, so it is ignored: did you mean WOM_GROUP_ID?',
    ],
  },
  {
    label: 'a secret under a misspelled name',
    env: { DISCORD_TOKNE: `${CANARY}.abc.def` },
    expected: ['DISCORD_TOKNE is not a setting, so it is ignored: did you mean DISCORD_TOKEN?'],
    secret: CANARY,
  },
  {
    label: 'four settings wrong at once',
    env: {
      WOM_GROUP_ID: 'x',
      DISCORD_GUILD_ID: '1',
      CLANSTATS_TIMEZONE: 'Mars/Olympus',
      CLANSTATS_BACKUP_KEEP: '-1',
    },
    expected: [
      'WOM_GROUP_ID must be',
      'DISCORD_GUILD_ID must be',
      'CLANSTATS_TIMEZONE must be',
      'CLANSTATS_BACKUP_KEEP must be',
    ],
  },
];

/** Every leaf of the default rules, with a value of the wrong type. */
function wrongTypes(value: unknown): unknown {
  if (Array.isArray(value)) return 'a list expected';
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    // A record (roleDays) or an object: its leaves, or a list when it has none.
    if (entries.length === 0) return [];
    return Object.fromEntries(entries.map(([key, inner]) => [key, wrongTypes(inner)]));
  }
  return typeof value === 'string' ? 12 : 'text';
}

function leafPaths(value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path];
  const entries = Object.entries(value);
  if (entries.length === 0) return [path];
  return entries.flatMap(([key, inner]) => leafPaths(inner, path === '' ? key : `${path}.${key}`));
}

const sections = Object.entries(DefaultClanRules).filter(
  ([, value]) => typeof value === 'object' && !Array.isArray(value),
);

const RULES: BadInput[] = [
  {
    label: 'rules: trailing comma',
    config: '{\n  "publicMode": true,\n}\n',
    expected: [
      "clanstats.config.json is not valid JSON: expected a double-quoted property name, found '}' at line 3, column 1",
    ],
  },
  {
    label: 'rules: single quotes',
    config: "{ 'publicMode': true }",
    expected: ["expected a double-quoted property name, found ''' at line 1, column 3"],
  },
  {
    label: 'rules: a comment',
    config: '// our clan\n{}',
    expected: [
      "clanstats.config.json is not valid JSON: expected a value, found '/' at line 1, column 1",
    ],
  },
  {
    label: 'rules: unquoted word',
    config: '{ "report": { "window": 30d } }',
    expected: [
      "is not valid JSON: expected ',' or '}' after a property value, found 'd' at line 1, column 27",
    ],
  },
  {
    label: 'rules: cut short',
    config: '{ "wom": { "updateWaitSeconds": 5 }',
    expected: [
      "expected ',' or '}' after a property value, found the end of the file at line 1, column 36",
    ],
  },
  {
    label: 'rules: empty file',
    config: '',
    expected: [
      'clanstats.config.json is not valid JSON: expected a value, found the end of the file at line 1, column 1',
    ],
  },
  {
    label: 'rules: BOM and a syntax error',
    config: '\uFEFF{\n  "publicMode": yes\n}',
    expected: ["found 'yes' (strings need double quotes) at line 2, column 17"],
  },
  {
    label: 'rules: BOM and an unknown key',
    config: '\uFEFF{ "publicmode": true }',
    expected: ['clanstats.config.json: publicmode: unknown key (allowed here: score, inactivity'],
  },
  {
    label: 'rules: a list',
    config: '[]',
    expected: ['clanstats.config.json: (top level): must be an object, got a list'],
  },
  {
    label: 'rules: null',
    config: 'null',
    expected: ['clanstats.config.json: (top level): must be an object, got null'],
  },
  {
    label: 'rules: a folder',
    config: null,
    expected: ['clanstats.config.json could not be read: EISDIR'],
  },
  {
    label: 'rules: unknown top-level key',
    config: '{ "discordToken": "x" }',
    expected: ['clanstats.config.json: discordToken: unknown key (allowed here: '],
  },
  {
    label: 'rules: an unknown key in every section',
    config: JSON.stringify(Object.fromEntries(sections.map(([key]) => [key, { colour: 'red' }]))),
    expected: sections.map(
      ([key]) => `clanstats.config.json: ${key}.colour: unknown key (allowed here: `,
    ),
  },
  {
    label: 'rules: every value of the wrong type',
    config: JSON.stringify(wrongTypes(DefaultClanRules)),
    expected: leafPaths(DefaultClanRules, '').map(
      (path) => `clanstats.config.json: ${path}: must be `,
    ),
  },
  {
    label: 'rules: values out of range',
    config: JSON.stringify({
      score: { window: '14d', weights: { messages: -1 } },
      inactivity: { days: 0, roleDays: { Deputy: 10 } },
      ranks: [
        { role: 'member', minTenureDays: 30, minScore: 10 },
        { role: 'member', minTenureDays: 7, minScore: 5 },
      ],
      relay: { botUserIds: ['123'] },
      wom: { updateWaitSeconds: 3601 },
      report: { dateFormat: 'qq' },
    }),
    expected: [
      'score.window: must be one of "7d", "30d", "90d", "365d", got the text "14d"',
      'score.weights.messages: must be 0 or more, got number -1',
      'inactivity.days: must be 1 or more days, got number 0',
      'inactivity.roleDays.Deputy: must be a WOM role name in lowercase',
      'ranks[1].role: "member" appears twice in the ladder; list each rank once',
      "ranks[1].minTenureDays: must be at least the previous rank's (30); list ranks lowest first",
      "ranks[1].minScore: must be at least the previous rank's (10); list ranks lowest first",
      'relay.botUserIds[0]: must be a Discord user id of 17 to 20 digits, as a string',
      'wom.updateWaitSeconds: must be at most 3600 (one hour), got number 3601',
      'report.dateFormat: must be an Excel date format made of d, m, y',
    ],
  },
];

const CASES: BadInput[] = [...SPECIFIC, ...derivedCases(), ...RULES];

let counter: Server;
let counterUrl: string;
/** Requests the counting server got, by the case's path prefix. */
const requests: string[] = [];
let template: TempFolder;

beforeAll(async () => {
  counter = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  counterUrl = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
  // A migrated database: the cases that start with one must leave it byte for byte the same.
  template = createTempFolder('clanstats-bad-input-db-');
  const migrated = await runCli(['migrate'], { cwd: template.path });
  expect(migrated.code, migrated.output).toBe(0);
});

afterAll(async () => {
  template.remove();
  await new Promise((resolve) => counter.close(resolve));
});

describe('the cases', () => {
  it('try every setting: each one a path does not take has a bad value that `run` must refuse', () => {
    const tried = new Set(
      CASES.flatMap((badInput) => Object.keys(badInput.env ?? {})).filter((name) =>
        SettingDefinitions.some((definition) => definition.name === name),
      ),
    );
    const untried = SettingDefinitions.map((definition) => definition.name).filter(
      (name: SettingName) => !tried.has(name),
    );
    expect(untried.sort()).toEqual([...PATH_SETTINGS].sort());
  });
});

describe.concurrent(
  'clanstats refuses bad configuration before any request or database write',
  () => {
    it.each(CASES.map((badInput, index) => ({ ...badInput, index })))(
      '$label',
      async (badInput) => {
        const folder = createTempFolder('clanstats-bad-input-');
        try {
          // Half the cases start with a database (it must not change), half without (none created).
          const withDatabase = badInput.index % 2 === 0;
          if (withDatabase)
            copyFileSync(template.file('clan_data.db'), folder.file('clan_data.db'));
          const databaseBefore = withDatabase
            ? readFileSync(folder.file('clan_data.db'))
            : undefined;
          if (badInput.config === null) mkdirSync(folder.file('clanstats.config.json'));
          else if (badInput.config !== undefined) {
            writeFileSync(folder.file('clanstats.config.json'), badInput.config);
          }
          const prefix = `/case-${badInput.index}`;
          const env: Record<string, string> = {
            WOM_BASE_URL: `${counterUrl}${prefix}/wom`,
            DISCORD_API_URL: `${counterUrl}${prefix}/discord`,
          };
          for (const [name, value] of Object.entries({ ...GOOD, ...badInput.env })) {
            if (value !== undefined) env[name] = value;
          }
          const result = await runCli(badInput.args ?? ['run'], { cwd: folder.path, env });

          expect(result.code, result.output).toBe(ExitCodes.CONFIG_INVALID);
          // One line per problem, in order, each with the code, the setting and how to fix it.
          const lines = result.stderr.trimEnd().split('\n');
          expect(lines, result.stderr).toHaveLength(badInput.expected.length);
          badInput.expected.forEach((excerpt, index) => {
            const line = lines[index] ?? '';
            expect(line).toMatch(/^✖ \[\w+\] CONFIG_INVALID: /);
            expect(line).toContain(excerpt);
            expect(line).toMatch(
              /must be|is not set|remove|set [A-Z_]+|unknown key|not valid JSON|could not be read|list each|Rename it/,
            );
          });
          expect(result.stdout).toBe('');
          const log = readFileSync(folder.file('app.log'), 'utf8');
          if (badInput.secret !== undefined) {
            expect(result.output).not.toContain(badInput.secret);
            expect(log).not.toContain(badInput.secret);
          }
          // The stack is in app.log only.
          expect(result.output).not.toMatch(/^\s+at /m);
          expect(log).toMatch(/ STACK \[[\w-]+\] ConfigError: .*\\n {4}at /);
          // Nothing was asked of Wise Old Man or Discord, and the database was not touched.
          expect(requests.filter((url) => url.startsWith(`${prefix}/`))).toEqual([]);
          if (databaseBefore === undefined)
            expect(existsSync(folder.file('clan_data.db'))).toBe(false);
          else expect(readFileSync(folder.file('clan_data.db')).equals(databaseBefore)).toBe(true);
          expect(
            readdirSync(folder.path).filter((name) => /^backups$|\.lock$|-wal$|-shm$/.test(name)),
          ).toEqual([]);
        } finally {
          folder.remove();
        }
      },
    );
  },
);
