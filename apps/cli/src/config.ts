/**
 * The clan's rules: `clanstats.config.json` in the working directory. Optional; every field has
 * a default. Validated strictly: unknown keys are errors, and every error names its JSON path.
 * Secrets never go here (they are settings, see `settings.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import type { ClanModelRules, WindowKey } from '@clanstats/clan-model';
import { ConfigError, type ConfigIssue } from './errors.js';
import { findJsonSyntaxProblem } from './json-syntax.js';

/** The rules file's name, looked up in the working directory. */
export const CONFIG_FILE_NAME = 'clanstats.config.json';

/** Points per unit of activity in the activity score (the clan model's weights). */
export type ScoreWeights = ClanModelRules['score']['weights'];

/** When a member counts as inactive (the clan model's rules). */
export type InactivityRules = ClanModelRules['inactivity'];

/** One step of the rank ladder. */
export type RankRung = ClanModelRules['ranks'][number];

/** How to recognize in-game clan chat relayed into Discord by a bot. */
export interface RelayRules {
  /**
   * Discord user ids of relay bots; their messages are attributed to the player named in the line.
   * @defaultValue `[]`
   */
  botUserIds: string[];
  /**
   * Discord user names of relay bots, for when the id is not known (such as `Osrs clanchat`).
   * @defaultValue `[]`
   */
  botNames: string[];
  /**
   * Discord channel ids the relay bots post into. Relay lines are parsed only in these channels;
   * empty: none (relayed messages then count as the bot's own).
   * @defaultValue `[]`
   */
  channelIds: string[];
}

/** A report window: the 7, 30, 90 or 365 days (of 24 hours) ending at the as-of time. */
export type ScoreWindow = WindowKey;

/** What the harvest keeps of Discord. */
export interface DiscordRules {
  /**
   * Store the text of Discord messages and relayed clan-chat lines in the database. Off: only
   * counts, flags (question, answer) and names are stored, never a message's words; `clanstats
   * purge-content` removes text stored before.
   * @defaultValue `false`
   */
  storeMessageContent: boolean;
}

/** How the harvest uses Wise Old Man. */
export interface WomRules {
  /**
   * With `WOM_GROUP_SECRET` set, the harvest first asks Wise Old Man to update every member
   * (`update-all`), then waits this many seconds for the updates before reading the stats.
   * @defaultValue `60`
   */
  updateWaitSeconds: number;
}

/** How the Excel report looks. */
export interface ReportRules {
  /**
   * The window of the Skills and Bosses sheets.
   * @defaultValue `'30d'`
   */
  window: ScoreWindow;
  /**
   * The Excel date format of every date in the report, such as `dd/mm/yyyy` or `mm/dd/yyyy`.
   * @defaultValue `'yyyy-mm-dd'`
   */
  dateFormat: string;
}

/**
 * The validated contents of `clanstats.config.json`, with defaults filled in: the clan model's
 * rules (score, inactivity, the rank ladder) plus the harvest's and the outputs' settings.
 */
export interface ClanRules extends ClanModelRules {
  /** Clan-chat relay bots. */
  relay: RelayRules;
  /** Discord harvest settings. */
  discord: DiscordRules;
  /** Wise Old Man harvest settings. */
  wom: WomRules;
  /** The Excel report. */
  report: ReportRules;
  /**
   * Outputs meant to be published (the dashboard) leave out private data: Discord ids, message
   * text and the inactivity list.
   * @defaultValue `false`
   */
  publicMode: boolean;
}

/** The default rules, used for every field the file leaves out. */
export const DefaultClanRules = {
  score: { window: '30d', weights: { messages: 6, xp: 1, ehp: 0, ehb: 0, bossKills: 3 } },
  inactivity: { days: 60, roleDays: {}, exemptRoles: [], exemptNames: [] },
  ranks: [],
  relay: { botUserIds: [], botNames: [], channelIds: [] },
  discord: { storeMessageContent: false },
  wom: { updateWaitSeconds: 60 },
  report: { window: '30d', dateFormat: 'yyyy-mm-dd' },
  publicMode: false,
} as const satisfies ClanRules;

const weight = z
  .number({ error: 'must be a number' })

  .min(0, { error: 'must be 0 or more' });
const days = z
  .number({ error: 'must be a whole number of days' })
  .int({ error: 'must be a whole number of days' })
  .min(1, { error: 'must be 1 or more days' });
const role = z.string().regex(/^[a-z][a-z0-9_]*$/, {
  error: 'must be a WOM role name in lowercase, such as deputy_owner',
});
const snowflake = z.string().regex(/^\d{17,20}$/, {
  error: 'must be a Discord user id of 17 to 20 digits, as a string',
});
const channelSnowflake = z.string().regex(/^\d{17,20}$/, {
  error: 'must be a Discord channel id of 17 to 20 digits, as a string',
});

const rankRungSchema = z.strictObject({
  role,
  minTenureDays: z
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(0, { error: 'must be 0 or more' }),
  minScore: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 or more' }),
});

const weightsDefault = DefaultClanRules.score.weights;
const inactivityDefault = DefaultClanRules.inactivity;

const clanRulesSchema = z.strictObject({
  $schema: z.string().optional(),
  score: z
    .strictObject({
      window: z
        .enum(['7d', '30d', '90d', '365d'], { error: 'must be one of "7d", "30d", "90d", "365d"' })
        .default(DefaultClanRules.score.window),
      weights: z
        .strictObject({
          messages: weight.default(weightsDefault.messages),
          xp: weight.default(weightsDefault.xp),
          ehp: weight.default(weightsDefault.ehp),
          ehb: weight.default(weightsDefault.ehb),
          bossKills: weight.default(weightsDefault.bossKills),
        })
        .prefault({}),
    })
    .prefault({}),
  inactivity: z
    .strictObject({
      days: days.default(inactivityDefault.days),
      roleDays: z.record(role, days).default({}),
      exemptRoles: z.array(role).default([]),
      exemptNames: z.array(z.string().min(1, { error: 'must not be empty' })).default([]),
    })
    .prefault({}),
  ranks: z
    .array(rankRungSchema)
    .default([])
    .superRefine((ranks, context) => {
      const seen = new Set<string>();
      ranks.forEach((rung, index) => {
        if (seen.has(rung.role)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'role'],
            message: `"${rung.role}" appears twice in the ladder; list each rank once`,
          });
        }
        seen.add(rung.role);
        const previous = ranks[index - 1];
        if (previous === undefined) return;
        if (rung.minTenureDays < previous.minTenureDays) {
          context.addIssue({
            code: 'custom',
            path: [index, 'minTenureDays'],
            message: `must be at least the previous rank's (${previous.minTenureDays}); list ranks lowest first`,
          });
        }
        if (rung.minScore < previous.minScore) {
          context.addIssue({
            code: 'custom',
            path: [index, 'minScore'],
            message: `must be at least the previous rank's (${previous.minScore}); list ranks lowest first`,
          });
        }
      });
    }),
  relay: z
    .strictObject({
      botUserIds: z.array(snowflake).default([]),
      botNames: z.array(z.string().min(1, { error: 'must not be empty' })).default([]),
      channelIds: z.array(channelSnowflake).default([]),
    })
    .prefault({}),
  discord: z
    .strictObject({
      storeMessageContent: z
        .boolean({ error: 'must be true or false' })
        .default(DefaultClanRules.discord.storeMessageContent),
    })
    .prefault({}),
  wom: z
    .strictObject({
      updateWaitSeconds: z
        .number({ error: 'must be a whole number of seconds' })
        .int({ error: 'must be a whole number of seconds' })
        .min(0, { error: 'must be 0 or more' })
        .max(3600, { error: 'must be at most 3600 (one hour)' })
        .default(DefaultClanRules.wom.updateWaitSeconds),
    })
    .prefault({}),
  report: z
    .strictObject({
      window: z
        .enum(['7d', '30d', '90d', '365d'], { error: 'must be one of "7d", "30d", "90d", "365d"' })
        .default(DefaultClanRules.report.window),
      dateFormat: z
        .string({ error: 'must be an Excel date format in double quotes, such as "dd/mm/yyyy"' })
        .regex(/^(?=.*[dmy])[dmyhs:/\-. ,]+$/i, {
          error: 'must be an Excel date format made of d, m, y (and h, m, s), such as "dd/mm/yyyy"',
        })
        .default(DefaultClanRules.report.dateFormat),
    })
    .prefault({}),
  publicMode: z.boolean({ error: 'must be true or false' }).default(false),
});

/** Formats a JSON path such as `ranks[1].minScore`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = String(segment);
      text += /^[A-Za-z_$][\w$]*$/.test(name)
        ? `${text === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return text === '' ? '(top level)' : text;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${value.toString()}`;
  }
  return typeof value;
}

/** The keys allowed at `path`, found by walking the schema. */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = clanRulesSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) {
      const next = (schema.shape as Record<string, z.core.$ZodType>)[String(segment)];
      if (next === undefined) return [];
      schema = next;
    } else if (schema instanceof z.ZodArray) {
      schema = schema.element;
    } else {
      return [];
    }
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

const expectedTypes: Partial<Record<string, string>> = {
  string: 'a string (in double quotes)',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object such as { "name": value }',
};

function issueToConfigIssues(issue: z.core.$ZodIssue, fileLabel: string): ConfigIssue[] {
  const at = (path: readonly PropertyKey[], text: string): ConfigIssue => ({
    setting: formatJsonPath(path),
    message: `${fileLabel}: ${formatJsonPath(path)}: ${text}`,
  });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.path).filter((key) => key !== '$schema');
      return issue.keys.map((key) =>
        at(
          [...issue.path, key],
          `unknown key${allowed.length > 0 ? ` (allowed here: ${allowed.join(', ')})` : ''}`,
        ),
      );
    }
    case 'invalid_type': {
      const given = 'input' in issue ? describeValue(issue.input) : 'something else';
      const custom = issue.message.startsWith('must')
        ? issue.message
        : `must be ${expectedTypes[issue.expected] ?? issue.expected}`;
      return [at(issue.path, `${custom}, got ${given}`)];
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'is not an allowed key';
      return [at(issue.path, inner)];
    }
    default: {
      const given =
        'input' in issue && issue.code !== 'custom' ? `, got ${describeValue(issue.input)}` : '';
      return [at(issue.path, `${issue.message}${given}`)];
    }
  }
}

/** The loaded rules and where they came from. */
export interface LoadedClanRules {
  /** The validated rules, with defaults filled in. */
  rules: ClanRules;
  /** The file read, or `undefined` when there is none and the defaults apply. */
  path: string | undefined;
}

/**
 * Validates the parsed contents of a rules file.
 * @param fileLabel - Names the file in error messages.
 * @throws {@link ConfigError} listing every problem with its JSON path.
 */
export function parseClanRules(value: unknown, fileLabel = CONFIG_FILE_NAME): ClanRules {
  const parsed = clanRulesSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => issueToConfigIssues(issue, fileLabel));
    throw new ConfigError(issues, fileLabel);
  }
  const { score, inactivity, ranks, relay, discord, wom, report, publicMode } = parsed.data;
  return { score, inactivity, ranks, relay, discord, wom, report, publicMode };
}

/**
 * Reads `clanstats.config.json` from `cwd`. A missing file means the defaults.
 * @throws {@link ConfigError} for unreadable files, invalid JSON (with line and column) and
 * invalid rules (with the JSON path).
 */
export function loadClanRules(cwd: string): LoadedClanRules {
  const path = resolve(cwd, CONFIG_FILE_NAME);
  if (!existsSync(path)) return { rules: structuredClone(DefaultClanRules), path: undefined };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [{ setting: CONFIG_FILE_NAME, message: `${path} could not be read: ${reason}` }],
      path,
      { cause: error },
    );
  }
  const problem = findJsonSyntaxProblem(text);
  if (problem !== undefined) {
    throw new ConfigError(
      [
        {
          setting: CONFIG_FILE_NAME,
          message: `${CONFIG_FILE_NAME} is not valid JSON: ${problem.message} at line ${problem.line}, column ${problem.column} (position ${problem.offset})`,
        },
      ],
      path,
    );
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return { rules: parseClanRules(JSON.parse(body) as unknown), path };
}
