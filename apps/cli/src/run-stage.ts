/**
 * Runs one stage as its own Node process (`node dist/stage.js <stage> [args]`), forwards its
 * log and progress events, and turns its result line into a value or a {@link ClanstatsError}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClanstatsError } from './errors.js';
import {
  ConfigError,
  DatabaseError,
  NotImplementedError,
  StageCrashedError,
  StageFailedError,
  SourceFailedError,
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
}

/** The running stage processes, so a signal can stop them. */
const activeStages = new Set<ChildProcess>();

/** Sends `signal` to every running stage process. */
export function terminateActiveStages(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of activeStages) child.kill(signal);
}

/** The stage worker next to this bundle (`dist/stage.js`). */
export function defaultStageScript(): string {
  return fileURLToPath(new URL('./stage.js', import.meta.url));
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
 * {@link StageCrashedError} when it crashed, was killed, or printed no valid result line.
 */
export async function runStage(options: RunStageOptions): Promise<StageSuccess> {
  const { stage, logger, progress } = options;
  const script = options.scriptPath ?? defaultStageScript();
  const child = spawn(process.execPath, [script, stage, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  activeStages.add(child);

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
          logger.forward(event.type, event.tag, event.message);
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
    activeStages.delete(child);
    progress.clear();
  }

  const nonEmpty = stdoutLines.filter((line) => line.trim() !== '');
  const lastLine = nonEmpty.at(-1);
  for (const line of nonEmpty.slice(0, -1)) logger.detail('stdout', stage, line);
  const result = lastLine === undefined ? undefined : parseResultLine(lastLine);
  if (result === undefined && lastLine !== undefined) logger.detail('stdout', stage, lastLine);

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
