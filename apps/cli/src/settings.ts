/**
 * Settings: environment variables, with a `.env` file in the working directory as a fallback.
 * The environment wins over `.env`. `process.env` is never modified: the merged values live in
 * a plain object that is handed to stage processes as their environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import * as z from 'zod';
import { formatDuration, parseDuration } from './duration.js';
import { ConfigError, type ConfigIssue } from './errors.js';

/** A plain environment object, like `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Validated settings. Paths are absolute (resolved against the working directory). */
export interface Settings {
  /** `WOM_API_KEY`: the Wise Old Man API key (optional; raises the rate limit). Secret. */
  womApiKey: string | undefined;
  /** `WOM_GROUP_ID`: the group's number on Wise Old Man. */
  womGroupId: number | undefined;
  /** `WOM_GROUP_SECRET`: the group's verification code, for update-all (optional). Secret. */
  womGroupSecret: string | undefined;
  /**
   * `WOM_BASE_URL`, without a trailing slash.
   * @defaultValue `'https://api.wiseoldman.net/v2'`
   */
  womBaseUrl: string;
  /** `DISCORD_TOKEN`: the bot token, without the `Bot ` prefix. Secret. */
  discordToken: string | undefined;
  /** `DISCORD_GUILD_ID`: the Discord server id (a snowflake). */
  discordGuildId: string | undefined;
  /**
   * `DISCORD_WEBHOOK_URL`: a channel's webhook URL; the export posts the weekly summary there
   * (optional). Secret: the URL holds the webhook's token.
   */
  discordWebhookUrl: string | undefined;
  /**
   * `DISCORD_API_URL`, without a trailing slash.
   * @defaultValue `'https://discord.com/api'`
   */
  discordApiUrl: string;
  /** `LOCAL_DRIVE_PATH`: a folder (such as a synced drive) that receives a copy of the outputs. */
  localDrivePath: string | undefined;
  /**
   * `CLANSTATS_DB`: the SQLite database file.
   * @defaultValue `'./clan_data.db'`
   */
  databasePath: string;
  /**
   * `CLANSTATS_OUT_DIR`: where reports and the dashboard are written.
   * @defaultValue `'./out'`
   */
  outDir: string;
  /**
   * `CLANSTATS_ASSETS_DIR`: the clan's own boss and skill images for the dashboard
   * (`<metric>.png`…), installed with `clanstats assets --from <dir>`.
   * @defaultValue `'./assets/custom'`
   */
  assetsDir: string;
  /**
   * `CLANSTATS_TIMEZONE`: the IANA time zone for day boundaries and dates in reports.
   * @defaultValue `'UTC'`
   */
  timezone: string;
  /**
   * `CLANSTATS_LOG_LEVEL`: the consola level (0 error … 5 trace), or a level name.
   * @defaultValue `3` (info)
   */
  logLevel: number;
  /**
   * `CLANSTATS_BACKUP_KEEP`: how many database backups to keep.
   * @defaultValue `10`
   */
  backupKeep: number;
  /**
   * `CLANSTATS_HTTP_TIMEOUT_MS`: timeout of each HTTP request, in milliseconds.
   * @defaultValue `10000`
   */
  httpTimeoutMs: number;
  /**
   * `CLANSTATS_STAGE_TIMEOUT`: the longest a stage process may run before it is stopped, in
   * milliseconds (written as a duration: `90s`, `30m`, `6h`).
   * @defaultValue `21_600_000` (`6h`)
   */
  stageTimeoutMs: number;
}

/** The name of each setting, as an environment variable. */
export type SettingName =
  | 'WOM_API_KEY'
  | 'WOM_GROUP_ID'
  | 'WOM_GROUP_SECRET'
  | 'WOM_BASE_URL'
  | 'DISCORD_TOKEN'
  | 'DISCORD_GUILD_ID'
  | 'DISCORD_API_URL'
  | 'DISCORD_WEBHOOK_URL'
  | 'LOCAL_DRIVE_PATH'
  | 'CLANSTATS_DB'
  | 'CLANSTATS_OUT_DIR'
  | 'CLANSTATS_ASSETS_DIR'
  | 'CLANSTATS_TIMEZONE'
  | 'CLANSTATS_LOG_LEVEL'
  | 'CLANSTATS_BACKUP_KEEP'
  | 'CLANSTATS_HTTP_TIMEOUT_MS'
  | 'CLANSTATS_STAGE_TIMEOUT';

/** Describes one setting: its field, default, whether it is secret, and how to get a value. */
export interface SettingDefinition {
  /** The environment variable. */
  name: SettingName;
  /** The field of {@link Settings}. */
  key: keyof Settings;
  /** The default, as text, when the variable is unset or empty. */
  defaultValue: string | undefined;
  /** Secret values are never shown, logged, or echoed in error messages. */
  secret: boolean;
  /** One sentence for the README and `doctor`. */
  description: string;
  /** What to do when the setting is missing. */
  howToSet: string;
}

/** The consola level names accepted by `CLANSTATS_LOG_LEVEL`. */
export const LogLevelNames: Readonly<Record<string, number>> = {
  silent: -1,
  fatal: 0,
  error: 0,
  warn: 1,
  log: 2,
  info: 3,
  debug: 4,
  trace: 5,
  verbose: 5,
};

/** How to get a `DISCORD_WEBHOOK_URL`. */
export const WEBHOOK_HOW_TO_SET =
  'in Discord, open the channel → Edit Channel → Integrations → Webhooks → New Webhook → Copy Webhook URL, and set DISCORD_WEBHOOK_URL to it (or leave it unset for no weekly summary)';

/** How to get a `DISCORD_TOKEN`. */
export const DISCORD_TOKEN_HOW_TO_SET =
  'create a bot at https://discord.com/developers/applications, copy its token (Bot → Reset Token) and set DISCORD_TOKEN';

/** The default `CLANSTATS_LOG_LEVEL` (info). */
export const DEFAULT_LOG_LEVEL = 3;

/** Every setting, in the order `doctor` and the README list them. */
export const SettingDefinitions: readonly SettingDefinition[] = [
  {
    name: 'WOM_API_KEY',
    key: 'womApiKey',
    defaultValue: undefined,
    secret: true,
    description:
      'Wise Old Man API key; optional, but without it WOM allows only 20 requests a minute.',
    howToSet: 'ask the Wise Old Man team for an API key (see their Discord) and set WOM_API_KEY',
  },
  {
    name: 'WOM_GROUP_ID',
    key: 'womGroupId',
    defaultValue: undefined,
    secret: false,
    description: "Your group's number on Wise Old Man (https://wiseoldman.net/groups/<number>).",
    howToSet: "set WOM_GROUP_ID to the number in your group's WOM URL",
  },
  {
    name: 'WOM_GROUP_SECRET',
    key: 'womGroupSecret',
    defaultValue: undefined,
    secret: true,
    description:
      "The group's verification code; optional, lets the harvest ask WOM to update all members.",
    howToSet: 'set WOM_GROUP_SECRET to the verification code you got when creating the WOM group',
  },
  {
    name: 'WOM_BASE_URL',
    key: 'womBaseUrl',
    defaultValue: 'https://api.wiseoldman.net/v2',
    secret: false,
    description: 'Wise Old Man API base URL.',
    howToSet: 'unset WOM_BASE_URL to use the default',
  },
  {
    name: 'DISCORD_TOKEN',
    key: 'discordToken',
    defaultValue: undefined,
    secret: true,
    description: 'Discord bot token (Developer Portal → your application → Bot → Reset Token).',
    howToSet: DISCORD_TOKEN_HOW_TO_SET,
  },
  {
    name: 'DISCORD_GUILD_ID',
    key: 'discordGuildId',
    defaultValue: undefined,
    secret: false,
    description:
      'Your Discord server id (Developer Mode on, right-click the server, Copy Server ID).',
    howToSet:
      'turn on Developer Mode in Discord, right-click your server, Copy Server ID, and set DISCORD_GUILD_ID',
  },
  {
    name: 'DISCORD_API_URL',
    key: 'discordApiUrl',
    defaultValue: 'https://discord.com/api',
    secret: false,
    description: 'Discord API base URL.',
    howToSet: 'unset DISCORD_API_URL to use the default',
  },
  {
    name: 'DISCORD_WEBHOOK_URL',
    key: 'discordWebhookUrl',
    defaultValue: undefined,
    secret: true,
    description:
      'Optional webhook URL of a Discord channel: the export posts a weekly summary there (top gainers, joins and leaves, inactivity).',
    howToSet: WEBHOOK_HOW_TO_SET,
  },
  {
    name: 'LOCAL_DRIVE_PATH',
    key: 'localDrivePath',
    defaultValue: undefined,
    secret: false,
    description:
      'Optional folder (such as a synced Google Drive) that receives a copy of the outputs.',
    howToSet: 'set LOCAL_DRIVE_PATH to an existing folder you can write to, or leave it unset',
  },
  {
    name: 'CLANSTATS_DB',
    key: 'databasePath',
    defaultValue: './clan_data.db',
    secret: false,
    description: 'The SQLite database file.',
    howToSet: 'set CLANSTATS_DB to a file path',
  },
  {
    name: 'CLANSTATS_OUT_DIR',
    key: 'outDir',
    defaultValue: './out',
    secret: false,
    description: 'Where the Excel report and the dashboard are written.',
    howToSet: 'set CLANSTATS_OUT_DIR to a folder path',
  },
  {
    name: 'CLANSTATS_ASSETS_DIR',
    key: 'assetsDir',
    defaultValue: './assets/custom',
    secret: false,
    description:
      'Your own boss and skill images for the dashboard (`<metric>.png`…), installed with clanstats assets --from <dir>.',
    howToSet: 'set CLANSTATS_ASSETS_DIR to a folder path',
  },
  {
    name: 'CLANSTATS_TIMEZONE',
    key: 'timezone',
    defaultValue: 'UTC',
    secret: false,
    description: 'IANA time zone for day boundaries and dates in reports.',
    howToSet: 'set CLANSTATS_TIMEZONE to an IANA zone such as Europe/London',
  },
  {
    name: 'CLANSTATS_LOG_LEVEL',
    key: 'logLevel',
    defaultValue: String(DEFAULT_LOG_LEVEL),
    secret: false,
    description:
      'Terminal log level: 0 errors only, 1 warnings, 2 plain logs, 3 info, 4 debug, 5 trace, or a name (silent, error, warn, info, debug, trace).',
    howToSet: 'set CLANSTATS_LOG_LEVEL to a number from 0 to 5',
  },
  {
    name: 'CLANSTATS_BACKUP_KEEP',
    key: 'backupKeep',
    defaultValue: '10',
    secret: false,
    description: 'How many database backups to keep; older ones are deleted after each backup.',
    howToSet: 'set CLANSTATS_BACKUP_KEEP to a whole number of 1 or more',
  },
  {
    name: 'CLANSTATS_HTTP_TIMEOUT_MS',
    key: 'httpTimeoutMs',
    defaultValue: '10000',
    secret: false,
    description: 'Timeout of each HTTP request, in milliseconds.',
    howToSet: 'set CLANSTATS_HTTP_TIMEOUT_MS to a whole number of milliseconds',
  },
  {
    name: 'CLANSTATS_STAGE_TIMEOUT',
    key: 'stageTimeoutMs',
    defaultValue: '6h',
    secret: false,
    description:
      'The longest one stage (harvest, report, export…) may run before it is stopped with STAGE_TIMEOUT, as a duration: 90s, 30m, 6h (1s to 7d). A first Discord backfill of a big server can take an hour.',
    howToSet: 'set CLANSTATS_STAGE_TIMEOUT to a duration such as 90s, 30m or 6h',
  },
];

/** Whether a value still has the quotes around it (as a Docker `--env-file` keeps them). */
function isQuoted(raw: string): boolean {
  return /^(["'`]).*\1$/s.test(raw) && raw.length >= 2;
}

/** The issue for a quoted secret, which never shows the value. */
function unquote(name: SettingName): { ok: false; message: string } {
  return {
    ok: false,
    message: `${name} must be given without quotes around it; remove the quotes (a .env file may quote values, the environment itself may not)`,
  };
}

/** Quotes a value for an error message; secret values are never echoed. */
function shown(definition: SettingDefinition, raw: string): string {
  return definition.secret ? `a value of ${raw.length} characters` : `'${raw}'`;
}

/** The zone a time zone name resolves to, or `undefined` when it is not one. */
function resolveTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function parseHttpUrl(raw: string): string | undefined {
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  return parsed.success ? parsed.data.replace(/\/+$/, '') : undefined;
}

/** The shortest and longest `CLANSTATS_STAGE_TIMEOUT`. */
export const STAGE_TIMEOUT_RANGE_MS = { min: 1_000, max: 7 * 86_400_000 } as const;

function parseWholeNumber(raw: string, minimum: number): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= minimum ? value : undefined;
}

type Parsed = { ok: true; value: Settings[keyof Settings] } | { ok: false; message: string };

/** Parses and validates one raw (non-empty) value. */
function parseSetting(definition: SettingDefinition, raw: string, cwd: string): Parsed {
  const name = definition.name;
  const fail = (requirement: string): Parsed => ({
    ok: false,
    message: `${name} must be ${requirement}, got ${shown(definition, raw)}`,
  });
  switch (name) {
    case 'WOM_API_KEY':
    case 'WOM_GROUP_SECRET':
      if (isQuoted(raw)) return unquote(name);
      return /\s/.test(raw) ? fail('a single word without spaces') : { ok: true, value: raw };
    case 'DISCORD_TOKEN':
      if (/^(Bot|Bearer)\s/i.test(raw)) {
        return {
          ok: false,
          message: `${name} must be the bare bot token; remove the "Bot " prefix`,
        };
      }
      if (isQuoted(raw)) return unquote(name);
      if (/^\d{17,20}$/.test(raw) || /^[\da-f]{64}$/i.test(raw)) {
        // An application id or public key, pasted from General Information instead of Bot.
        return {
          ok: false,
          message: `${name} must be the bot token, but this value is shaped like the application's id or public key: ${DISCORD_TOKEN_HOW_TO_SET}`,
        };
      }
      return /\s/.test(raw)
        ? fail('the bot token, a single word without spaces')
        : { ok: true, value: raw };
    case 'WOM_GROUP_ID': {
      const value = parseWholeNumber(raw, 1);
      if (value !== undefined) return { ok: true, value };
      const fromUrl = /wiseoldman\.net\/groups\/(\d+)/i.exec(raw)?.[1];
      return fromUrl === undefined
        ? fail("a positive whole number (the number in your group's WOM URL)")
        : fail(`the group's number alone: set WOM_GROUP_ID=${fromUrl}`);
    }
    case 'DISCORD_GUILD_ID':
      return /^\d{17,20}$/.test(raw)
        ? { ok: true, value: raw }
        : fail(
            'a Discord server id of 17 to 20 digits (turn on Developer Mode, right-click the server, Copy Server ID)',
          );
    case 'DISCORD_WEBHOOK_URL':
      // Its form is checked with discord-harvester's own parseWebhookUrl (`webhook-setting.ts`),
      // which the orchestrator loads only when the setting is used.
      return /\s/.test(raw)
        ? fail('a Discord webhook URL, without spaces')
        : { ok: true, value: raw };
    case 'WOM_BASE_URL':
    case 'DISCORD_API_URL': {
      const value = parseHttpUrl(raw);
      return value === undefined
        ? fail('an http:// or https:// URL (or unset it to use the default)')
        : { ok: true, value };
    }
    case 'LOCAL_DRIVE_PATH':
    case 'CLANSTATS_DB':
    case 'CLANSTATS_OUT_DIR':
    case 'CLANSTATS_ASSETS_DIR':
      return { ok: true, value: isAbsolute(raw) ? raw : resolve(cwd, raw) };
    case 'CLANSTATS_TIMEZONE': {
      const zone = resolveTimeZone(raw);
      if (zone === undefined) {
        return fail('an IANA time zone such as UTC, Europe/London or America/New_York');
      }
      // Abbreviations are ambiguous, and the time zone database reads them its own way: BST is
      // Bangladesh, IST India, EST a zone without daylight saving time.
      if (!raw.includes('/') && !/^(UTC|GMT)$/i.test(raw)) {
        return fail(
          `an IANA time zone such as Europe/London or America/New_York, not an abbreviation ('${raw}' would mean ${zone})`,
        );
      }
      return { ok: true, value: raw };
    }
    case 'CLANSTATS_LOG_LEVEL': {
      const named = LogLevelNames[raw.toLowerCase()];
      if (named !== undefined) return { ok: true, value: named };
      const value = parseWholeNumber(raw, 0);
      return value === undefined || value > 5
        ? fail('a number from 0 (errors only) to 5 (trace), or silent, error, warn, info, debug')
        : { ok: true, value };
    }
    case 'CLANSTATS_BACKUP_KEEP': {
      const value = parseWholeNumber(raw, 1);
      return value === undefined ? fail('a whole number of 1 or more') : { ok: true, value };
    }
    case 'CLANSTATS_HTTP_TIMEOUT_MS': {
      const value = parseWholeNumber(raw, 1);
      return value === undefined
        ? fail('a whole number of milliseconds, 1 or more')
        : { ok: true, value };
    }
    case 'CLANSTATS_STAGE_TIMEOUT': {
      const value = parseDuration(raw);
      return value === undefined ||
        value < STAGE_TIMEOUT_RANGE_MS.min ||
        value > STAGE_TIMEOUT_RANGE_MS.max
        ? fail('a duration from 1s to 7d such as 90s, 30m, 6h or 1h30m')
        : { ok: true, value };
    }
  }
}

/** The state of one setting, as `doctor` shows it. */
export interface SettingInspection {
  /** The setting. */
  definition: SettingDefinition;
  /** `set`: a valid value; `default`: unset, default used; `missing`: unset, no default; `invalid`. */
  status: 'set' | 'default' | 'missing' | 'invalid';
  /** The value for display: `[redacted]` for secrets. */
  display: string | undefined;
  /** For `invalid`: what is wrong and how to fix it. */
  message: string | undefined;
}

/** Reads a raw value: empty strings count as unset. */
function rawValue(env: Environment, name: SettingName): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Inspects every setting without throwing (for `doctor`). */
export function inspectSettings(env: Environment, cwd: string): SettingInspection[] {
  return SettingDefinitions.map((definition) => {
    const raw = rawValue(env, definition.name);
    if (raw === undefined) {
      return {
        definition,
        status: definition.defaultValue === undefined ? 'missing' : 'default',
        display: definition.defaultValue,
        message: undefined,
      };
    }
    const parsed = parseSetting(definition, raw, cwd);
    if (!parsed.ok) {
      return { definition, status: 'invalid', display: undefined, message: parsed.message };
    }
    return {
      definition,
      status: 'set',
      display: definition.secret
        ? '[redacted]'
        : definition.name === 'CLANSTATS_STAGE_TIMEOUT'
          ? formatDuration(parsed.value as number)
          : String(parsed.value),
      message: undefined,
    };
  });
}

/** Which settings a command needs. */
export interface SettingRequirements {
  /** Validated when set; a bad value is an error. Others fall back to their default when bad. */
  validate: readonly SettingName[];
  /** Must be set (and valid). */
  require: readonly SettingName[];
}

/** The settings every command validates. */
export const CORE_SETTINGS: readonly SettingName[] = [
  'CLANSTATS_DB',
  'CLANSTATS_LOG_LEVEL',
  'CLANSTATS_BACKUP_KEEP',
  'CLANSTATS_STAGE_TIMEOUT',
];

/**
 * The settings a harvest reads, validated (when set) before it starts. Which of them are required
 * depends on the sources it runs: `WOM_GROUP_ID`; `DISCORD_TOKEN` and `DISCORD_GUILD_ID` unless
 * Discord is left unset.
 */
export const HARVEST_SETTINGS: readonly SettingName[] = [
  'WOM_API_KEY',
  'WOM_GROUP_ID',
  'WOM_GROUP_SECRET',
  'WOM_BASE_URL',
  'DISCORD_TOKEN',
  'DISCORD_GUILD_ID',
  'DISCORD_API_URL',
  'CLANSTATS_HTTP_TIMEOUT_MS',
];

/** Which sources a harvest runs, and the settings they require. */
export interface HarvestSources {
  /** Wise Old Man runs (not `--skip-wom`). */
  wom: boolean;
  /** Discord runs: not `--skip-discord`, and set up (or the only source left). */
  discord: boolean;
  /** The settings that must be set: `WOM_GROUP_ID`, `DISCORD_TOKEN`, `DISCORD_GUILD_ID`. */
  require: SettingName[];
  /** Why Discord is left out, when it is left out because neither of its settings is set. */
  note: string | undefined;
}

/**
 * Plans a harvest's sources from the flags and which settings are set. Discord is skipped with a
 * note when neither `DISCORD_TOKEN` nor `DISCORD_GUILD_ID` is set (unless it is the only source);
 * with one of them set, both are required. The orchestrator checks this before any stage runs,
 * and the harvest stage again.
 */
export function planHarvestSources(
  env: Environment,
  flags: { skipWom: boolean; skipDiscord: boolean },
): HarvestSources {
  const wom = !flags.skipWom;
  let discord = !flags.skipDiscord;
  let note: string | undefined;
  const discordUnset =
    rawValue(env, 'DISCORD_TOKEN') === undefined && rawValue(env, 'DISCORD_GUILD_ID') === undefined;
  if (discord && wom && discordUnset) {
    discord = false;
    note =
      'Discord is not set up (DISCORD_TOKEN and DISCORD_GUILD_ID are unset): harvesting Wise Old Man only.';
  }
  const require: SettingName[] = [];
  if (wom) require.push('WOM_GROUP_ID');
  if (discord) require.push('DISCORD_TOKEN', 'DISCORD_GUILD_ID');
  return { wom, discord, require, note };
}

/**
 * Reads all settings from `env`, raising a {@link ConfigError} that lists every problem with
 * the settings in `requirements`. Settings outside `requirements` are read leniently: a bad
 * value falls back to the default (or `undefined`), so a command never fails over a setting it
 * does not use.
 */
export function readSettings(
  env: Environment,
  cwd: string,
  requirements: SettingRequirements = { validate: CORE_SETTINGS, require: [] },
): Settings {
  const checked = new Set<SettingName>([...requirements.validate, ...requirements.require]);
  const required = new Set<SettingName>(requirements.require);
  const issues: ConfigIssue[] = [];
  const values: Partial<Record<keyof Settings, Settings[keyof Settings]>> = {};
  for (const definition of SettingDefinitions) {
    const raw = rawValue(env, definition.name);
    let parsed: Parsed | undefined =
      raw === undefined ? undefined : parseSetting(definition, raw, cwd);
    if (parsed !== undefined && !parsed.ok) {
      if (checked.has(definition.name)) {
        issues.push({ setting: definition.name, message: parsed.message });
      }
      parsed = undefined;
    }
    if (parsed === undefined && definition.defaultValue !== undefined) {
      parsed = parseSetting(definition, definition.defaultValue, cwd);
    }
    if (parsed === undefined && required.has(definition.name) && raw === undefined) {
      issues.push({
        setting: definition.name,
        message: `${definition.name} is not set: ${definition.howToSet} (in the environment or in .env)`,
      });
    }
    values[definition.key] = parsed?.ok === true ? parsed.value : undefined;
  }
  if (checked.size > 0) issues.push(...misspelledSettings(env));
  if (issues.length > 0) throw new ConfigError(issues, 'environment');
  return values as Settings;
}

/** Edit distance with transpositions (optimal string alignment), for "did you mean". */
function editDistance(left: string, right: string): number {
  const rows = Array.from({ length: left.length + 1 }, (_, index) => [index]);
  for (let column = 1; column <= right.length; column++) (rows[0] as number[])[column] = column;
  const at = (row: number, column: number): number => rows[row]?.[column] ?? 0;
  for (let row = 1; row <= left.length; row++) {
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let best = Math.min(
        at(row - 1, column) + 1,
        at(row, column - 1) + 1,
        at(row - 1, column - 1) + cost,
      );
      if (
        row > 1 &&
        column > 1 &&
        left[row - 1] === right[column - 2] &&
        left[row - 2] === right[column - 1]
      ) {
        best = Math.min(best, at(row - 2, column - 2) + 1);
      }
      (rows[row] as number[])[column] = best;
    }
  }
  return at(left.length, right.length);
}

/**
 * Variables that look like a setting but are not one, such as `CLANSTATS_TIMEZON` or
 * `wom_group_id`: ClanStats would ignore them and quietly use the default. Names in another case,
 * or at most two typos from a setting, count (every setting's name is long and particular enough
 * for no common variable to come that close); their values are never shown.
 */
export function misspelledSettings(env: Environment): ConfigIssue[] {
  const names = SettingDefinitions.map((definition) => definition.name as string);
  const issues: ConfigIssue[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.trim() === '' || names.includes(name)) continue;
    const upper = name.toUpperCase();
    // DISCORD_TOKEN_OLD and the like are someone's own, not a typo.
    if (names.some((setting) => upper.startsWith(`${setting}_`))) continue;
    const meant =
      names.find((setting) => setting === upper) ??
      names.find((setting) => editDistance(upper, setting) <= 2);
    if (meant === undefined) continue;
    issues.push({
      setting: name,
      message: `${name} is not a setting, so it is ignored: did you mean ${meant}? Rename it (in the environment or in .env)`,
    });
  }
  return issues;
}

/** Options of {@link loadEnvironment}. */
export interface LoadEnvironmentOptions {
  /** The working directory, where `.env` is looked up. */
  cwd: string;
  /** The process environment; it wins over the file. */
  env: Environment;
  /** An explicit env file (`--env-file`); it must exist. Defaults to `<cwd>/.env` if present. */
  envFile?: string | undefined;
}

/** The merged environment and where it came from. */
export interface LoadedEnvironment {
  /** The process environment overlaid on the file's values. */
  env: Record<string, string | undefined>;
  /** The env file that was read, if any. */
  envFile: string | undefined;
}

/**
 * Merges the env file into a copy of the environment: variables already set (non-empty) in the
 * environment win. `process.env` is not modified.
 */
export function loadEnvironment(options: LoadEnvironmentOptions): LoadedEnvironment {
  const explicit = options.envFile;
  const path =
    explicit === undefined ? resolve(options.cwd, '.env') : resolve(options.cwd, explicit);
  if (!existsSync(path)) {
    if (explicit !== undefined) {
      throw new ConfigError(
        [
          {
            setting: '--env-file',
            message: `--env-file ${explicit}: the file does not exist (looked for ${path})`,
          },
        ],
        path,
      );
    }
    return { env: { ...options.env }, envFile: undefined };
  }
  let fileValues: Record<string, string>;
  try {
    fileValues = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [{ setting: '--env-file', message: `${path} could not be read: ${reason}` }],
      path,
      { cause: error },
    );
  }
  const merged: Record<string, string | undefined> = { ...fileValues };
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined && (value !== '' || !(name in fileValues))) merged[name] = value;
  }
  return { env: merged, envFile: path };
}
