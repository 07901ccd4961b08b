/**
 * The orchestrator's entry logic: parse the command line, load settings, set up logging, hold
 * the lock, run the command, and turn any error into one line and an exit code.
 *
 * Nothing here (or in anything it imports) may import the store or open the database.
 */
import { resolve } from 'node:path';
import {
  commandHelp,
  parseCommandLine,
  programHelp,
  type ParsedCommandLine,
} from './command-line.js';
import { runCommand } from './commands.js';
import {
  ConfigError,
  InterruptedError,
  stackWithCauses,
  toClanstatsError,
  type ClanstatsError,
} from './errors.js';
import type { DatabaseLock } from './lock.js';
import { LogFile } from './log-file.js';
import { createCliLogger, type CliLogger } from './logger.js';
import { ProgressRenderer } from './progress.js';
import { Redactor } from './redact.js';
import { stopActiveStages, terminateActiveStages } from './run-stage.js';
import {
  DEFAULT_LOG_LEVEL,
  loadEnvironment,
  readSettings,
  type Environment,
  type LoadedEnvironment,
} from './settings.js';

/** The log file's name; it lives in the working directory. */
export const LOG_FILE_NAME = 'app.log';

/** Options of {@link main}. */
export interface MainOptions {
  /** Arguments after `clanstats` (a leading `--` is ignored). */
  argv: readonly string[];
  /** The process environment (not modified). */
  env: Environment;
  /** The working directory: `.env`, `clanstats.config.json` and `app.log` live here. */
  cwd: string;
  /** The stage worker script; defaults to `stage.js` next to the bundle. */
  stageScript?: string;
}

function writeOut(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** The terminal level: `CLANSTATS_LOG_LEVEL` (leniently; it is validated later), raised by `--verbose`. */
function terminalLevelFor(env: Environment, cwd: string, verbose: boolean): number {
  const { logLevel } = readSettings(env, cwd, { validate: [], require: [] });
  return verbose ? Math.max(logLevel, 4) : logLevel;
}

function errorTag(error: ClanstatsError, fallback: string): string {
  if ('stage' in error && typeof error.stage === 'string') return error.stage;
  if ('feature' in error && typeof error.feature === 'string') return error.feature;
  return fallback;
}

function reportError(logger: CliLogger, error: ClanstatsError, tag: string): void {
  const log = logger.withTag(errorTag(error, tag));
  // A configuration error lists every problem, one line each.
  const lines =
    error instanceof ConfigError && error.issues.length > 1
      ? error.issues.map((issue) => issue.message)
      : [error.message];
  for (const line of lines) log.error(`${error.code}: ${line}`);
  // The stack reaches the terminal with --verbose only; app.log always keeps it.
  logger.detail('stack', errorTag(error, tag), stackWithCauses(error));
}

/**
 * Runs the CLI.
 * @returns The process exit code.
 */
export async function main(options: MainOptions): Promise<number> {
  const { cwd } = options;
  let parsed: ParsedCommandLine | undefined;
  let early: ClanstatsError | undefined;
  try {
    parsed = parseCommandLine(options.argv);
  } catch (error) {
    early = toClanstatsError(error);
  }
  if (parsed?.kind === 'version') {
    writeOut(__PACKAGE_VERSION__);
    return 0;
  }
  if (parsed?.kind === 'help') {
    writeOut(
      parsed.command === undefined ? programHelp(__PACKAGE_VERSION__) : commandHelp(parsed.command),
    );
    return 0;
  }
  const commandLine = parsed?.kind === 'command' ? parsed : undefined;

  let loaded: LoadedEnvironment = { env: { ...options.env }, envFile: undefined };
  try {
    loaded = loadEnvironment({ cwd, env: options.env, envFile: commandLine?.flags.envFile });
  } catch (error) {
    early ??= toClanstatsError(error);
  }
  const env = loaded.env;
  const verbose = commandLine?.flags.verbose ?? options.argv.includes('--verbose');
  const terminalLevel = terminalLevelFor(env, cwd, verbose);
  const fileLevel = Math.max(verbose ? 4 : DEFAULT_LOG_LEVEL, 3);
  const logFile = new LogFile(resolve(cwd, LOG_FILE_NAME));
  const logger = createCliLogger({
    terminalLevel,
    fileLevel,
    logFile,
    redactor: Redactor.fromEnv(env),
  });
  const interactive = process.stderr.isTTY && process.env.CI === undefined;
  const progress = new ProgressRenderer({
    interactive,
    stream: process.stderr,
    log: (tag, message) => {
      logger.withTag(tag).info(message);
    },
  });
  logger.onBeforeTerminalWrite(() => {
    progress.clear();
  });

  const tag = commandLine?.command ?? 'clanstats';
  const commandText = ['clanstats', ...options.argv].join(' ');
  logger.fileOnly(
    'info',
    'clanstats',
    `started ${commandText} (version ${__PACKAGE_VERSION__}, pid ${process.pid})`,
  );
  if (loaded.envFile !== undefined)
    logger.withTag('clanstats').debug(`read settings from ${loaded.envFile}`);

  if (early !== undefined || commandLine === undefined) {
    const error = early ?? toClanstatsError(new Error('no command'));
    reportError(logger, error, tag);
    return error.exitCode;
  }

  let heldLock: DatabaseLock | undefined;
  const releaseLock = (): void => {
    heldLock?.release();
    heldLock = undefined;
  };
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    const error = new InterruptedError(signal);
    if (stopping !== undefined) {
      // A second Ctrl+C: do not wait for the stages any longer.
      terminateActiveStages('SIGKILL');
      releaseLock();
      process.exit(error.exitCode);
    }
    progress.clear();
    // The lock is released once the stages are gone (a harvest closes its run record first).
    stopping = stopActiveStages().finally(() => {
      releaseLock();
      logger.withTag(tag).warn(`${error.code}: ${error.message} Stopped; the lock is released.`);
      process.exit(error.exitCode);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.once('exit', releaseLock);

  const started = performance.now();
  try {
    await runCommand({
      command: commandLine.command,
      values: commandLine.values,
      positionals: commandLine.positionals,
      flags: commandLine.flags,
      env,
      cwd,
      logger,
      progress,
      stageLogLevel: Math.max(terminalLevel, fileLevel),
      print(text) {
        progress.clear();
        writeOut(logger.redact(text));
        for (const line of text.split('\n')) logger.fileOnly('output', tag, line);
      },
      setLock(lock) {
        heldLock = lock;
      },
      stageScript: options.stageScript,
    });
    logger.fileOnly(
      'info',
      'clanstats',
      `finished ${commandText} in ${Math.round(performance.now() - started)} ms`,
    );
    return 0;
  } catch (thrown) {
    // A stage that a signal stopped fails; the signal handler reports it and exits.
    if (stopping !== undefined) await stopping;
    const error = toClanstatsError(thrown);
    reportError(logger, error, tag);
    return error.exitCode;
  } finally {
    releaseLock();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', releaseLock);
  }
}
