/**
 * Runs one stage as its own Node process (`node dist/stage.js <stage> [args]`), forwards its
 * log and progress events, and turns its result line into a value or a {@link ClanstatsError}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { formatDuration } from './duration.js';
import type { ClanstatsError } from './errors.js';
import {
  ConfigError,
  DatabaseError,
  InterruptedError,
  NotImplementedError,
  StageCrashedError,
  StageFailedError,
  SourceFailedError,
  StageTimeoutError,
  UsageError,
} from './errors.js';
import type { CliLogger } from './logger.js';
import type { ProgressRenderer } from './progress.js';
import {
  parseEventLine,
  parseResultLine,
  type StageFailure,
  type StageName,
  type StageSuccess,
} from './protocol.js';

/** Options of {@link runStage}. */
export interface RunStageOptions {
  /** The stage to run. */
  stage: StageName;
  /** Arguments after the stage name. */
  args?: readonly string[];
  /** The stage's whole environment (settings travel here). */
  env: Readonly<Record<string, string | undefined>>;
  /** The stage's working directory. */
  cwd: string;
  /** Receives the stage's logs. */
  logger: CliLogger;
  /** Renders the stage's progress events. */
  progress: ProgressRenderer;
  /**
   * The stage worker script.
   * @defaultValue `stage.js` next to the running bundle
   */
  scriptPath?: string;
  /**
   * The longest the stage may run, in milliseconds (`CLANSTATS_STAGE_TIMEOUT`): then it gets
   * SIGTERM, and SIGKILL after {@link RunStageOptions.killGraceMs}, and the run fails with
   * {@link StageTimeoutError}. Omitted: no limit.
   */
  timeoutMs?: number;
  /**
   * How long a stage stopped by the deadline may take to wind down (close its run record) after
   * SIGTERM before it is killed, in milliseconds.
   * @defaultValue `5_000`
   */
  killGraceMs?: number;
}

/** The default {@link RunStageOptions.killGraceMs}. */
export const DEFAULT_KILL_GRACE_MS = 5_000;

/** The running stage processes, so a signal can stop them. */
const activeStages = new Set<ChildProcess>();
/** Set by {@link stopActiveStages}: no stage starts any more. */
let stopRequested = false;

/** Sends `signal` to every running stage process. */
export function terminateActiveStages(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of activeStages) child.kill(signal);
}

/**
 * Stops every running stage process and waits until they are gone: SIGTERM (a harvest aborts its
 * requests and closes its run record), then SIGKILL for any still running after `graceMs`. The
 * caller releases the database lock only after this, so a new run never finds the lock free
 * while a stopped stage still writes.
 */
export async function stopActiveStages(graceMs = DEFAULT_KILL_GRACE_MS): Promise<void> {
  stopRequested = true;
  const running = [...activeStages].filter(
    (child) => child.exitCode === null && child.signalCode === null,
  );
  if (running.length === 0) return;
  const gone = running.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else
          child.once('exit', () => {
            resolve();
          });
      }),
  );
  for (const child of running) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, graceMs);
  });
  const outcome = await Promise.race([Promise.all(gone), graceOver]);
  clearTimeout(timer);
  if (outcome !== 'late') return;
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(gone);
}

/** The stage worker next to this bundle (`dist/stage.js`). */
export function defaultStageScript(): string {
  return fileURLToPath(new URL('./stage.js', import.meta.url));
}

/** What to check when `stage` runs out of time. */
function stageTimeoutAdvice(stage: StageName): string {
  const raise = 'or raise CLANSTATS_STAGE_TIMEOUT (such as 12h) if it needs longer';
  return stage === 'harvest'
    ? `Check the internet connection to Wise Old Man and Discord (WOM_BASE_URL, DISCORD_API_URL), ${raise}.`
    : `Check that the disk and the database are not stuck (clanstats doctor), ${raise}.`;
}

/** The deadline of one stage process: SIGTERM when it passes, SIGKILL after the grace period. */
interface StageDeadline {
  readonly timeoutMs: number;
  /** The deadline passed (SIGTERM was sent). */
  readonly passed: boolean;
  /** The grace period passed too (SIGKILL was sent). */
  readonly killed: boolean;
  /** Stops the timers (the process has ended). */
  clear(): void;
}

function stageDeadline(child: ChildProcess, options: RunStageOptions): StageDeadline {
  const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
  const state = { timeoutMs, passed: false, killed: false, clear: () => undefined };
  if (!Number.isFinite(timeoutMs)) return state;
  let grace: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    state.passed = true;
    options.logger
      .withTag(options.stage)
      .debug(`still running after ${formatDuration(timeoutMs)}: stopping it (SIGTERM)`);
    child.kill('SIGTERM');
    grace = setTimeout(() => {
      state.killed = true;
      child.kill('SIGKILL');
    }, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  }, timeoutMs);
  state.clear = () => {
    clearTimeout(timer);
    clearTimeout(grace);
  };
  return state;
}

/** Picks the line of a crash's stderr that says what happened (`Error: boom`). */
function crashSummary(rawLines: readonly string[]): string | undefined {
  const errorLine = rawLines.find((line) =>
    /^(?:[A-Z]\w*)?(?:Error|Exception)\b.*:|^\w*Error \[/.test(line),
  );
  if (errorLine !== undefined) return errorLine.trim();
  const lastLine = rawLines.findLast((line) => line.trim() !== '' && !line.startsWith('Node.js v'));
  return lastLine?.trim();
}

/** Converts a stage's error report into the matching CLI error. */
export function errorFromFailure(result: StageFailure): ClanstatsError {
  const { stage, error } = result;
  const message = `${stage}: ${error.message}`;
  if (error.origin === 'store') return new DatabaseError(stage, error.code, message);
  switch (error.code) {
    case 'NOT_IMPLEMENTED':
      return new NotImplementedError(stage, error.message);
    case 'CONFIG_INVALID':
      return new ConfigError([{ setting: stage, message: error.message }], 'environment');
    case 'USAGE':
      return new UsageError(error.message, stage);
    case 'DATABASE':
      return new DatabaseError(stage, error.code, message);
    case 'SOURCE_FAILED':
      return new SourceFailedError(message, error.partial === true, {
        reportable: error.reportable !== false,
      });
    default:
      return new StageFailedError(stage, error.code, `Stage "${stage}" failed: ${error.message}`);
  }
}

/**
 * Runs a stage and waits for it.
 * @returns The stage's success result.
 * @throws {@link ClanstatsError}: the stage's own error (mapped by {@link errorFromFailure}), or
 * {@link StageCrashedError} when it crashed, was killed, or printed no valid result line;
 * {@link StageTimeoutError} when it ran past {@link RunStageOptions.timeoutMs}.
 */
export async function runStage(options: RunStageOptions): Promise<StageSuccess> {
  const { stage, logger, progress } = options;
  if (stopRequested) throw new InterruptedError('SIGTERM');
  const script = options.scriptPath ?? defaultStageScript();
  const child = spawn(process.execPath, [script, stage, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  activeStages.add(child);
  const deadline = stageDeadline(child, options);

  const stdoutLines: string[] = [];
  const rawStderr: string[] = [];
  const stdoutDone = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })
      .on('line', (line) => stdoutLines.push(line))
      .on('close', resolve);
  });
  const stderrDone = new Promise<void>((resolve) => {
    createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY })
      .on('line', (line) => {
        const event = parseEventLine(line);
        if (event === undefined) {
          if (line.trim() === '') return;
          rawStderr.push(line);
          logger.detail('stderr', stage, line);
        } else if (event.event === 'log') {
          // Once the deadline has passed, what the stage says while it winds down (its sources
          // "interrupted") goes to app.log only: the terminal gets the one STAGE_TIMEOUT line.
          if (deadline.passed) logger.fileOnly(event.type, event.tag, event.message);
          else logger.forward(event.type, event.tag, event.message);
        } else {
          progress.update(stage, event);
        }
      })
      .on('close', resolve);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({ code, signal });
      });
    },
  );

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    [exit] = await Promise.all([exited, stdoutDone, stderrDone]);
  } finally {
    deadline.clear();
    activeStages.delete(child);
    progress.clear();
  }

  const nonEmpty = stdoutLines.filter((line) => line.trim() !== '');
  const lastLine = nonEmpty.at(-1);
  for (const line of nonEmpty.slice(0, -1)) logger.detail('stdout', stage, line);
  const result = lastLine === undefined ? undefined : parseResultLine(lastLine);
  if (result === undefined && lastLine !== undefined) logger.detail('stdout', stage, lastLine);

  const finished = result?.status === 'ok' && exit.code === 0;
  if (deadline.passed && !finished) {
    throw new StageTimeoutError(
      stage,
      deadline.timeoutMs,
      deadline.killed,
      `Stage "${stage}" did not finish within ${formatDuration(deadline.timeoutMs)} (CLANSTATS_STAGE_TIMEOUT) and was stopped${deadline.killed ? ' (killed: it did not stop when asked)' : ''}. ${stageTimeoutAdvice(stage)} What it saved before is kept; the next run goes on from there.`,
    );
  }
  const hint = 'See app.log, or run again with --verbose.';
  if (exit.signal !== null) {
    throw new StageCrashedError(
      stage,
      exit.code,
      exit.signal,
      `Stage "${stage}" was killed by ${exit.signal} before it finished. ${hint}`,
    );
  }
  if (result === undefined) {
    const summary = crashSummary(rawStderr);
    throw new StageCrashedError(
      stage,
      exit.code,
      null,
      `Stage "${stage}" ${
        exit.code === 0 ? 'ended' : `crashed (exit code ${exit.code ?? 'unknown'})`
      } without reporting a result${
        summary === undefined ? '' : `: ${logger.redact(summary)}`
      }. ${hint}`,
    );
  }
  if (result.stage !== stage) {
    throw new StageCrashedError(
      stage,
      exit.code,
      null,
      `Stage "${stage}" reported a result for "${result.stage}"; the stage worker does not match this CLI.`,
    );
  }
  if (result.status === 'error') {
    if (result.error.stack !== undefined) logger.detail('stack', stage, result.error.stack);
    throw errorFromFailure(result);
  }
  if (exit.code !== 0) {
    throw new StageCrashedError(
      stage,
      exit.code,
      null,
      `Stage "${stage}" reported success but exited with code ${exit.code ?? 'unknown'}. ${hint}`,
    );
  }
  logger.withTag(stage).debug(`finished in ${result.durationMs} ms`);
  return result;
}
