/**
 * The orchestrator's commands. None of them opens the database: everything that touches it runs
 * as a stage process through {@link runStage}.
 */
import * as z from 'zod';
import type { CommandName, GlobalFlags } from './command-line.js';
import { assetsCommand } from './assets-command.js';
import { demoCommand } from './demo-command.js';
import { loadClanRules } from './config.js';
import { runDoctor, statusMark } from './doctor.js';
import {
  DoctorFailedError,
  SourceFailedError,
  toClanstatsError,
  UsageError,
  type ClanstatsError,
} from './errors.js';
import { formatInterval, nextRunAt, parseInterval } from './schedule.js';
import { linkCommand } from './link-command.js';
import { acquireLock, type DatabaseLock } from './lock.js';
import type { CliLogger } from './logger.js';
import type { ProgressRenderer } from './progress.js';
import type { StageName, StageSuccess } from './protocol.js';
import { runStage } from './run-stage.js';
import { checkWebhookSetting } from './webhook-setting.js';
import { parseInstant } from './time-args.js';
import {
  CORE_SETTINGS,
  HARVEST_SETTINGS,
  planHarvestSources,
  readSettings,
  type Environment,
  type SettingName,
  type SettingRequirements,
  type Settings,
} from './settings.js';

/** What a command receives. */
export interface CommandContext {
  /** The command. */
  command: CommandName;
  /** Command-specific option values. */
  values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments after the command. */
  positionals: readonly string[];
  /** Global flags. */
  flags: GlobalFlags;
  /** The merged environment (process environment over `.env`). */
  env: Environment;
  /** The working directory. */
  cwd: string;
  /** The logger. */
  logger: CliLogger;
  /** Renders stage progress. */
  progress: ProgressRenderer;
  /** The consola level stages log at. */
  stageLogLevel: number;
  /** Prints command output (listings, the checklist) to stdout and `app.log`. */
  print: (text: string) => void;
  /** Remembers the held lock, so a signal handler can release it. */
  setLock: (lock: DatabaseLock | undefined) => void;
  /** The stage worker script; defaults to `dist/stage.js` next to the bundle. */
  stageScript?: string | undefined;
}

const reportSettings: readonly SettingName[] = ['CLANSTATS_OUT_DIR', 'CLANSTATS_TIMEZONE'];
const exportSettings: readonly SettingName[] = [
  ...reportSettings,
  'LOCAL_DRIVE_PATH',
  'DISCORD_WEBHOOK_URL',
];

/** The settings each pipeline stage validates. */
const stageSettings: Readonly<Partial<Record<StageName, readonly SettingName[]>>> = {
  harvest: HARVEST_SETTINGS,
  report: reportSettings,
  export: exportSettings,
};

/** The stages of `run`, in order, with their arguments. */
export const Pipeline: ReadonlyArray<{ stage: StageName; args: readonly string[] }> = [
  { stage: 'backup', args: ['--if-exists'] },
  // The backup stage has just backed the database up.
  { stage: 'migrate', args: ['up', '--skip-backup'] },
  { stage: 'harvest', args: [] },
  { stage: 'report', args: [] },
  { stage: 'export', args: [] },
];

function requirementsFor(stages: readonly StageName[]): SettingRequirements {
  return {
    validate: [...CORE_SETTINGS, ...stages.flatMap((stage) => stageSettings[stage] ?? [])],
    require: [],
  };
}

function stageEnvironment(context: CommandContext, settings: Settings): Environment {
  return {
    ...context.env,
    CLANSTATS_DB: settings.databasePath,
    CLANSTATS_LOG_LEVEL: String(context.stageLogLevel),
  };
}

async function runOneStage(
  context: CommandContext,
  settings: Settings,
  stage: StageName,
  args: readonly string[],
): Promise<StageSuccess> {
  return runStage({
    stage,
    args,
    env: stageEnvironment(context, settings),
    cwd: context.cwd,
    logger: context.logger,
    progress: context.progress,
    timeoutMs: settings.stageTimeoutMs,
    ...(context.stageScript === undefined ? {} : { scriptPath: context.stageScript }),
  });
}

/** Takes the database lock for the rest of the command (released by `main`, or by the caller). */
function lock(context: CommandContext, settings: Settings): DatabaseLock {
  const held = acquireLock(settings.databasePath, {
    command: [context.command, ...context.positionals].join(' '),
    onStaleLock: (message) => {
      context.logger.withTag('lock').warn(message);
    },
  });
  context.setLock(held);
  return held;
}

/**
 * The arguments of each pipeline stage, from the command's options. The as-of time is fixed once
 * here, so every stage of a run computes the same windows.
 */
export function stageArguments(
  values: CommandContext['values'],
  stages: readonly StageName[],
  now: number,
): Partial<Record<StageName, string[]>> {
  const asOfText = values['as-of'];
  const asOf = typeof asOfText === 'string' ? parseInstant('--as-of', asOfText, now) : now;
  if (asOf > now + 60_000) {
    throw new UsageError(`--as-of ${String(asOfText)} is in the future`);
  }
  const pinned = typeof asOfText === 'string' || stages.length > 1;
  const asOfArgs = pinned ? ['--as-of', new Date(asOf).toISOString()] : [];
  const harvest = [...asOfArgs];
  const since = values.since;
  if (typeof since === 'string') {
    harvest.push('--since', new Date(parseInstant('--since', since, asOf)).toISOString());
  }
  if (values['skip-wom'] === true) harvest.push('--skip-wom');
  if (values['skip-discord'] === true) harvest.push('--skip-discord');
  const exportArgs = [...asOfArgs];
  if (values.public === true) exportArgs.push('--public');
  if (values['post-summary'] === true) exportArgs.push('--post-summary');
  return { harvest, report: [...asOfArgs], export: exportArgs };
}

/**
 * Runs `stages` in order, each in its own process, under the lock.
 *
 * The first stage that fails stops the run, except a harvest in which only one source failed
 * (`SOURCE_FAILED`: the other source's data is saved): the report and the export still run on what
 * the database has, and the run ends with the harvest's error.
 */
async function runPipeline(
  context: CommandContext,
  stages: readonly StageName[],
  options: { releaseLock?: boolean } = {},
): Promise<void> {
  const requirements = requirementsFor(stages);
  // A harvest's sources need their settings before anything runs (before the backup and the
  // migration touch the database): the group, and Discord's token and server together.
  const sources = stages.includes('harvest')
    ? planHarvestSources(context.env, {
        skipWom: context.values['skip-wom'] === true,
        skipDiscord: context.values['skip-discord'] === true,
      })
    : undefined;
  const settings = readSettings(context.env, context.cwd, {
    ...requirements,
    require: sources?.require ?? [],
  });
  // With the Discord client's own parser, loaded only when the URL is set.
  if (stages.includes('export')) await checkWebhookSetting(context.env);
  const args = stageArguments(context.values, stages, Date.now());
  if (stages.some((stage) => stage === 'harvest' || stage === 'report' || stage === 'export')) {
    loadClanRules(context.cwd);
  }
  const held = lock(context, settings);
  try {
    await runSteps(context, settings, stages, args);
  } finally {
    if (options.releaseLock === true) {
      held.release();
      context.setLock(undefined);
    }
  }
}

async function runSteps(
  context: CommandContext,
  settings: Settings,
  stages: readonly StageName[],
  args: Partial<Record<StageName, string[]>>,
): Promise<void> {
  const steps = Pipeline.filter((step) => stages.includes(step.stage));
  const log = context.logger.withTag(context.command);
  const finished: string[] = [];
  const timings: string[] = [];
  let partial: ClanstatsError | undefined;
  const started = performance.now();
  for (const [index, step] of steps.entries()) {
    if (steps.length > 1) log.start(`Stage ${index + 1}/${steps.length}: ${step.stage}`);
    const stageStarted = performance.now();
    try {
      await runOneStage(context, settings, step.stage, [...step.args, ...(args[step.stage] ?? [])]);
    } catch (error) {
      // Unless the database lacks the group's roster the report needs (a first harvest whose
      // Wise Old Man half failed): then the run stops here, on the harvest's own message.
      const partialHarvest =
        error instanceof SourceFailedError && error.partial && error.reportable;
      if (steps.length > 1 && partialHarvest && index < steps.length - 1) {
        // One source failed, the other's data is saved: report on what there is.
        log.warn(
          `${step.stage} finished without one of its sources (see above); the run goes on with the data it has and will end with exit code ${error.exitCode}.`,
        );
        partial = error;
        finished.push(`${step.stage} (partial)`);
        continue;
      }
      if (steps.length > 1) {
        log.warn(
          `Stopped at stage ${index + 1}/${steps.length} (${step.stage})${
            finished.length > 0 ? `; ${finished.join(' and ')} finished` : ''
          }.`,
        );
      }
      throw error;
    }
    finished.push(step.stage);
    timings.push(`${step.stage} ${formatSeconds(performance.now() - stageStarted)}`);
  }
  if (steps.length > 1) {
    const total = formatSeconds(performance.now() - started);
    if (partial !== undefined) {
      log.warn(`Finished with a failed source in ${total}: ${finished.join(', ')}.`);
      throw partial;
    }
    log.success(`Finished in ${total}: ${timings.join(', ')}.`);
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const migrationStatusDetails = z.object({
  exists: z.boolean(),
  executed: z.array(z.object({ name: z.string(), executedAt: z.string() })),
  pending: z.array(z.string()),
  unknown: z.array(z.string()),
});
const backupDetails = z.object({
  path: z.string(),
  createdAt: z.string(),
  bytes: z.number(),
});

async function migrateCommand(context: CommandContext): Promise<void> {
  const action = context.positionals[0] ?? 'up';
  const { step, to } = context.values;
  if (action !== 'up' && action !== 'down' && action !== 'status') {
    throw new UsageError(
      `Unknown migrate action "${action}"; use up, down or status. See "clanstats migrate --help".`,
      'migrate',
    );
  }
  if (action !== 'down' && (step !== undefined || to !== undefined)) {
    throw new UsageError('--step and --to only apply to "clanstats migrate down".', 'migrate');
  }
  if (step !== undefined && to !== undefined) {
    throw new UsageError('Use either --step or --to, not both.', 'migrate');
  }
  if (typeof step === 'string' && !/^[1-9]\d*$/.test(step)) {
    throw new UsageError(`--step must be a whole number of 1 or more, got '${step}'.`, 'migrate');
  }
  const settings = readSettings(context.env, context.cwd, requirementsFor([]));
  const args: string[] = [action];
  if (typeof step === 'string') args.push('--step', step);
  if (typeof to === 'string') args.push('--to', to);
  if (action !== 'status') lock(context, settings);
  const result = await runOneStage(context, settings, 'migrate', args);
  if (action !== 'status') return;
  const details = migrationStatusDetails.parse(result.details);
  const lines = [
    `Database: ${settings.databasePath}${details.exists ? '' : ' (does not exist yet)'}`,
    ...details.executed.map((entry) => `  ✔ ${entry.name}  (applied ${entry.executedAt})`),
    ...details.pending.map((name) => `  … ${name}  (pending)`),
    ...details.unknown.map((name) => `  ? ${name}  (applied by a newer ClanStats)`),
    `${details.executed.length} applied, ${details.pending.length} pending.`,
  ];
  context.print(lines.join('\n'));
}

async function backupCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, requirementsFor([]));
  lock(context, settings);
  const result = await runOneStage(context, settings, 'backup', []);
  const backup = backupDetails.parse(result.details.backup);
  context.print(backup.path);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function restoreCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, requirementsFor([]));
  const file = context.positionals[0];
  const latest = context.values.latest === true;
  if (file !== undefined && latest) {
    throw new UsageError('Give a backup file or --latest, not both.', 'restore');
  }
  if (file === undefined && !latest) {
    const result = await runOneStage(context, settings, 'restore', ['--list']);
    const backups = z.array(backupDetails).parse(result.details.backups);
    if (backups.length === 0) {
      context.print(`No backups of ${settings.databasePath} yet; "clanstats backup" makes one.`);
      return;
    }
    context.print(
      [
        `Backups of ${settings.databasePath}, newest first:`,
        ...backups.map(
          (backup, index) =>
            `  ${String(index + 1).padStart(2)}. ${backup.createdAt}  ${formatBytes(backup.bytes).padStart(9)}  ${backup.path}`,
        ),
        'Restore one with "clanstats restore <file>", or the newest with "clanstats restore --latest".',
      ].join('\n'),
    );
    return;
  }
  lock(context, settings);
  await runOneStage(context, settings, 'restore', latest ? ['--latest'] : [file ?? '']);
}

async function optimizeCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, requirementsFor([]));
  lock(context, settings);
  await runOneStage(context, settings, 'optimize', []);
}

/**
 * `clanstats purge-content [--include-backups]`: the stage clears the stored message text; this
 * warns when the rules would store it again at the next harvest.
 */
async function purgeContentCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, requirementsFor([]));
  lock(context, settings);
  await runOneStage(
    context,
    settings,
    'purge-content',
    context.values['include-backups'] === true ? ['--include-backups'] : [],
  );
  const log = context.logger.withTag('purge-content');
  let storesText: boolean;
  try {
    storesText = loadClanRules(context.cwd).rules.discord.storeMessageContent;
  } catch (error) {
    // The text is gone either way; the rules are the next harvest's to check.
    log.warn(
      `Could not check whether the next harvest stores message text again: ${toClanstatsError(error).message}`,
    );
    return;
  }
  if (storesText) {
    log.warn(
      'clanstats.config.json still has "discord": { "storeMessageContent": true }: the next harvest stores the text of new messages again. Set it to false to keep text out of the database.',
    );
  }
}

async function doctorCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, { validate: [], require: [] });
  const sections: Record<string, string> = {
    settings: 'Settings',
    rules: 'Rules',
    folders: 'Folders',
    database: 'Database',
    files: 'Private files',
    apis: 'APIs',
  };
  let currentSection: string | undefined;
  const failed = await runDoctor({
    env: context.env,
    cwd: context.cwd,
    envFile: context.flags.envFile,
    checkDatabase: async () => (await runOneStage(context, settings, 'check', [])).details,
    onResult(section, result) {
      const lines: string[] = [];
      if (section !== currentSection) {
        if (currentSection !== undefined) lines.push('');
        lines.push(sections[section] ?? section);
        currentSection = section;
      }
      lines.push(`  ${statusMark(result.status)} ${result.title}`);
      if (result.fix !== undefined) lines.push(`      → ${result.fix}`);
      context.print(lines.join('\n'));
    },
  });
  context.print('');
  if (failed > 0) throw new DoctorFailedError(failed);
  context.print('✔ Everything looks good.');
}

const RunStages: readonly StageName[] = ['backup', 'migrate', 'harvest', 'report', 'export'];

/**
 * `clanstats run --every <interval>`: runs the pipeline now and then again at every interval,
 * until a signal stops the process (`main` releases the lock and stops a running stage). The lock
 * is held only while a run runs, so other commands can use the database in between. A failed run
 * is logged and does not stop the schedule; settings that cannot work (a usage or configuration
 * error in the first run) do.
 */
async function runEvery(context: CommandContext, intervalMs: number): Promise<never> {
  if (context.values['as-of'] !== undefined) {
    throw new UsageError(
      '--every and --as-of do not go together: each run is for its own now.',
      'run',
    );
  }
  const log = context.logger.withTag('run');
  const every = formatInterval(intervalMs);
  for (let runNumber = 1; ; runNumber++) {
    const started = Date.now();
    log.info(`Run ${runNumber} (every ${every}).`);
    try {
      await runPipeline(context, RunStages, { releaseLock: true });
    } catch (thrown) {
      const error = toClanstatsError(thrown);
      if (runNumber === 1 && (error.code === 'USAGE' || error.code === 'CONFIG_INVALID'))
        throw error;
      log.error(`${error.code}: ${error.message}`);
      context.logger.detail('stack', 'run', error.stack ?? error.message);
    }
    const next = nextRunAt(started, Date.now(), intervalMs);
    log.info(
      `Next run at ${new Date(next).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })} (every ${every}); Ctrl+C stops.`,
    );
    await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
  }
}

/** Runs a command. */
export async function runCommand(context: CommandContext): Promise<void> {
  switch (context.command) {
    case 'run':
      return typeof context.values.every === 'string'
        ? runEvery(context, parseInterval(context.values.every))
        : runPipeline(context, RunStages);
    case 'demo':
      return demoCommand(context);
    case 'harvest':
    case 'report':
    case 'export':
      return runPipeline(context, [context.command]);
    case 'migrate':
      return migrateCommand(context);
    case 'backup':
      return backupCommand(context);
    case 'restore':
      return restoreCommand(context);
    case 'optimize':
      return optimizeCommand(context);
    case 'purge-content':
      return purgeContentCommand(context);
    case 'doctor':
      return doctorCommand(context);
    case 'link':
      return linkCommand(context, {
        readSettings: () => readSettings(context.env, context.cwd, requirementsFor([])),
        lock: (settings) => {
          lock(context, settings);
        },
        runLinkStage: (settings, args) => runOneStage(context, settings, 'link', args),
      });
    case 'assets':
      return assetsCommand(context);
  }
}
