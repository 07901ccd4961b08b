/**
 * `clanstats doctor`: a checklist of everything a run depends on, each item saying what to fix.
 */
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import { CONFIG_FILE_NAME, loadClanRules } from './config.js';
import { isClanstatsError } from './errors.js';
import { driveFolderProblem } from './file-errors.js';
import {
  checkDiscord,
  checkWiseOldMan,
  loadDiscordHarvester,
  type CheckResult,
  type FetchFunction,
} from './reachability.js';
import {
  inspectSettings,
  readSettings,
  WEBHOOK_HOW_TO_SET,
  type Environment,
  type SettingName,
} from './settings.js';
import { webhookUrlProblem } from './webhook-setting.js';

/** The settings a full run cannot do without; missing ones fail doctor. */
const NEEDED_FOR_A_RUN: ReadonlySet<SettingName> = new Set([
  'WOM_GROUP_ID',
  'DISCORD_TOKEN',
  'DISCORD_GUILD_ID',
]);

/** Optional settings worth a warning when missing. */
const WARN_WHEN_MISSING: Readonly<Partial<Record<SettingName, string>>> = {
  WOM_API_KEY: 'without it Wise Old Man allows only 20 requests a minute, so harvests are slower',
};

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** The merged environment. */
  env: Environment;
  /** The working directory. */
  cwd: string;
  /**
   * Runs the `check` stage (integrity and migrations) in its own process and returns its
   * details, or throws the stage's error.
   */
  checkDatabase: () => Promise<Record<string, unknown>>;
  /** Called with each result as soon as it is known. */
  onResult: (section: string, result: CheckResult) => void;
  /** Injected in tests; the global `fetch` otherwise. */
  fetch?: FetchFunction;
  /**
   * The settings file read (`--env-file`), relative to `cwd`.
   * @defaultValue `'.env'`
   */
  envFile?: string | undefined;
}

/**
 * Checks that a file or folder holding secrets or the clan's data is readable by its owner only
 * (POSIX modes; `undefined` on Windows, where modes do not say, and when it does not exist).
 */
export function checkPrivateFile(
  label: string,
  path: string,
  platform: NodeJS.Platform = process.platform,
): CheckResult | undefined {
  if (platform === 'win32' || !existsSync(path)) return undefined;
  const stats = statSync(path);
  const mode = stats.mode & 0o777;
  const octal = mode.toString(8).padStart(3, '0');
  if ((mode & 0o077) === 0) {
    return { status: 'ok', title: `${label} ${path} is readable by you only (mode ${octal})` };
  }
  const who = [mode & 0o070 ? 'group' : undefined, mode & 0o007 ? 'others' : undefined]
    .filter((part) => part !== undefined)
    .join(' and ');
  return {
    status: 'warn',
    title: `${label} ${path} is open to ${who} on this machine (mode ${octal})`,
    fix: stats.isDirectory() ? `chmod 700 ${path} && chmod 600 ${path}/*` : `chmod 600 ${path}`,
  };
}

/** Why this user cannot write the database file (`EACCES`…), or `undefined` when it can. */
function databaseReadOnlyReason(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** Checks that a folder exists and is writable, or can be created. */
export function checkWritableFolder(label: string, setting: string, path: string): CheckResult {
  let existing = path;
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  const willCreate = existing !== path;
  try {
    if (!statSync(existing).isDirectory()) {
      return {
        status: 'fail',
        title: `${label} ${path}: ${existing} is a file, not a folder`,
        fix: `set ${setting} to a folder path`,
      };
    }
    // Prove it by writing: access() says yes to root even on read-only mounts.
    rmSync(mkdtempSync(join(existing, '.clanstats-write-test-')), { recursive: true, force: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      status: 'fail',
      title: `${label} ${path} is not writable (${reason})`,
      fix: `fix the folder's permissions, or set ${setting} to a folder you can write to`,
    };
  }
  return {
    status: 'ok',
    title: willCreate
      ? `${label} ${path} does not exist yet; it will be created in ${existing}`
      : `${label} ${path} is writable`,
  };
}

/** `DISCORD_WEBHOOK_URL`, when set: valid or not, with the Discord client's own parser; never the value. */
async function checkWebhookUrl(env: Environment): Promise<CheckResult> {
  const { parseWebhookUrl } = await loadDiscordHarvester();
  const problem = webhookUrlProblem(env.DISCORD_WEBHOOK_URL, parseWebhookUrl);
  return problem === undefined
    ? {
        status: 'ok',
        title:
          'DISCORD_WEBHOOK_URL is set: a Discord webhook URL (the export posts the weekly summary there)',
      }
    : { status: 'fail', title: problem, fix: WEBHOOK_HOW_TO_SET };
}

const databaseDetailsSchema = z.object({
  exists: z.boolean(),
  database: z.string(),
  pending: z.array(z.string()).optional(),
  unknown: z.array(z.string()).optional(),
});

/**
 * Runs every check and reports each through `onResult`.
 * @returns How many checks failed.
 */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const { env, cwd, onResult } = options;
  let failed = 0;
  const report = (section: string, result: CheckResult): void => {
    if (result.status === 'fail') failed += 1;
    onResult(section, result);
  };

  // 1. Settings, each on its own.
  const inspections = inspectSettings(env, cwd);
  for (const inspection of inspections) {
    const { definition, status } = inspection;
    const name = definition.name;
    if (status === 'invalid') {
      report('settings', { status: 'fail', title: inspection.message ?? `${name} is invalid` });
    } else if (status === 'missing') {
      const warning = WARN_WHEN_MISSING[name];
      if (NEEDED_FOR_A_RUN.has(name)) {
        report('settings', {
          status: 'fail',
          title: `${name} is not set`,
          fix: definition.howToSet,
        });
      } else if (warning !== undefined) {
        report('settings', {
          status: 'warn',
          title: `${name} is not set: ${warning}`,
          fix: definition.howToSet,
        });
      } else {
        report('settings', { status: 'ok', title: `${name} is not set (optional)` });
      }
    } else if (name === 'DISCORD_WEBHOOK_URL') {
      report('settings', await checkWebhookUrl(env));
    } else {
      const suffix = status === 'default' ? ' (default)' : '';
      report('settings', { status: 'ok', title: `${name} = ${inspection.display ?? ''}${suffix}` });
    }
  }
  const settings = readSettings(env, cwd, { validate: [], require: [] });
  const valid = (name: SettingName): boolean =>
    inspections.some(
      (inspection) =>
        inspection.definition.name === name &&
        (inspection.status === 'set' || inspection.status === 'default'),
    );

  // 2. The rules file.
  try {
    const loaded = loadClanRules(cwd);
    report('rules', {
      status: 'ok',
      title:
        loaded.path === undefined
          ? `${CONFIG_FILE_NAME} not found; the default rules apply`
          : `${CONFIG_FILE_NAME} is valid`,
    });
  } catch (error) {
    const issues =
      isClanstatsError(error) && 'issues' in error
        ? (error.issues as Array<{ message: string }>)
        : [];
    const messages = issues.length > 0 ? issues.map((issue) => issue.message) : [String(error)];
    for (const message of messages) {
      report('rules', {
        status: 'fail',
        title: message,
        fix: `edit ${join(cwd, CONFIG_FILE_NAME)}`,
      });
    }
  }

  // 3. Folders.
  if (valid('CLANSTATS_OUT_DIR')) {
    report('folders', checkWritableFolder('Output folder', 'CLANSTATS_OUT_DIR', settings.outDir));
  }
  if (settings.localDrivePath !== undefined && valid('LOCAL_DRIVE_PATH')) {
    // The export creates the drive folder only in an existing parent (a drive that is not mounted
    // must not get a local folder in its place).
    const found = driveFolderProblem(settings.localDrivePath);
    report(
      'folders',
      found === undefined
        ? checkWritableFolder('Drive folder', 'LOCAL_DRIVE_PATH', settings.localDrivePath)
        : {
            status: 'fail',
            title: `Drive folder ${settings.localDrivePath} ${found.problem}`,
            fix: found.fix,
          },
    );
  }
  if (valid('CLANSTATS_DB')) {
    report(
      'folders',
      checkWritableFolder('Database folder', 'CLANSTATS_DB', dirname(settings.databasePath)),
    );
  }

  // 4. The database, in a stage process.
  if (valid('CLANSTATS_DB')) {
    try {
      const details = databaseDetailsSchema.parse(await options.checkDatabase());
      if (!details.exists) {
        report('database', {
          status: 'fail',
          title: `Database ${details.database} does not exist yet`,
          fix: 'run "clanstats migrate up" (or "clanstats run") to create it, or set CLANSTATS_DB to your existing database',
        });
      } else {
        report('database', {
          status: 'ok',
          title: `Database ${details.database} opens and passes the integrity check`,
        });
        const readOnly = databaseReadOnlyReason(details.database);
        if (readOnly !== undefined) {
          report('database', {
            status: 'fail',
            title: `Database ${details.database} is read-only for this user (${readOnly})`,
            fix: 'give this user write access to it (chmod u+w, or chown it to this user), or run clanstats as the user that owns it',
          });
        }
        const pending = details.pending ?? [];
        const unknown = details.unknown ?? [];
        if (unknown.length > 0) {
          report('database', {
            status: 'fail',
            title: `Database has migrations this version does not know: ${unknown.join(', ')}`,
            fix: 'a newer ClanStats wrote this database: upgrade clanstats, or restore a backup this version made ("clanstats restore")',
          });
        }
        report(
          'database',
          pending.length === 0
            ? { status: 'ok', title: 'Database migrations are up to date' }
            : {
                status: 'fail',
                title: `Database has ${pending.length} pending migration${pending.length === 1 ? '' : 's'}: ${pending.join(', ')}`,
                fix: 'run "clanstats migrate up" (a run does this too)',
              },
        );
      }
    } catch (error) {
      const reason =
        isClanstatsError(error) && 'reason' in error ? String(error.reason) : undefined;
      const message = error instanceof Error ? error.message : String(error);
      report('database', {
        status: 'fail',
        title: `Database check failed: ${message}`,
        fix:
          reason === 'INTEGRITY_CHECK_FAILED'
            ? 'the file is damaged: restore a backup with "clanstats restore --latest"'
            : reason === 'SCHEMA_TOO_NEW'
              ? 'the database was written by a newer ClanStats: upgrade clanstats, or restore a backup this version made ("clanstats restore")'
              : reason === 'READ_ONLY'
                ? 'give this user write access to the database and its folder, or run clanstats as the user that owns them'
                : 'check CLANSTATS_DB points at a ClanStats database; run with --verbose for details',
      });
    }
  }

  // 5. Who else can read the secrets and the clan's data (POSIX).
  const privateFiles: Array<[string, string]> = [
    ['Settings file', resolve(cwd, options.envFile ?? '.env')],
  ];
  if (valid('CLANSTATS_DB')) {
    privateFiles.push(
      ['Database', settings.databasePath],
      ['Backups folder', join(dirname(settings.databasePath), 'backups')],
    );
  }
  for (const [label, path] of privateFiles) {
    const result = checkPrivateFile(label, path);
    if (result !== undefined) report('files', result);
  }

  // 6. The APIs.
  const timeoutMs = settings.httpTimeoutMs;
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  if (settings.womGroupId !== undefined && valid('WOM_GROUP_ID') && valid('WOM_BASE_URL')) {
    report(
      'apis',
      await checkWiseOldMan({
        baseUrl: settings.womBaseUrl,
        groupId: settings.womGroupId,
        apiKey: valid('WOM_API_KEY') ? settings.womApiKey : undefined,
        timeoutMs,
        ...fetchOption,
      }),
    );
  } else {
    report('apis', {
      status: 'skip',
      title: 'Wise Old Man not checked: fix WOM_GROUP_ID and WOM_BASE_URL first',
    });
  }
  if (
    settings.discordToken !== undefined &&
    settings.discordGuildId !== undefined &&
    valid('DISCORD_TOKEN') &&
    valid('DISCORD_API_URL') &&
    valid('DISCORD_GUILD_ID')
  ) {
    const results = await checkDiscord({
      apiUrl: settings.discordApiUrl,
      token: settings.discordToken,
      guildId: settings.discordGuildId,
      timeoutMs,
    });
    for (const result of results) report('apis', result);
  } else {
    report('apis', {
      status: 'skip',
      title: 'Discord not checked: fix DISCORD_TOKEN, DISCORD_GUILD_ID and DISCORD_API_URL first',
    });
  }
  return failed;
}

/** The checklist mark for a status. */
export function statusMark(status: CheckResult['status']): string {
  switch (status) {
    case 'ok':
      return '✔';
    case 'fail':
      return '✖';
    case 'warn':
      return '⚠';
    case 'skip':
      return '–';
  }
}
