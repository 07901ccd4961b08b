/**
 * The stage side of the stage protocol: a consola logger that writes event lines to stderr,
 * progress events, the result line on stdout, and the test-only fault hooks. Knows nothing of
 * the store; `stage.ts` plugs the stage bodies in.
 */
import { formatWithOptions } from 'node:util';
import { createConsola, type ConsolaInstance, type LogObject } from 'consola';
import { sqliteFileProblem } from './file-errors.js';
import { isClanstatsError, SourceFailedError, stackWithCauses } from './errors.js';
import {
  formatEventLine,
  formatResultLine,
  isStageName,
  STAGE_PROTOCOL_VERSION,
  StageLogTypes,
  type JsonValue,
  type StageErrorPayload,
  type StageLogType,
  type StageName,
  type StageResult,
} from './protocol.js';
import { DEFAULT_LOG_LEVEL, readSettings, type Environment, type Settings } from './settings.js';

/** What a stage body receives. */
export interface StageContext {
  /** The stage being run. */
  stage: StageName;
  /** Arguments after the stage name. */
  args: readonly string[];
  /** The stage's environment (settings are read from it). */
  env: Environment;
  /** The working directory. */
  cwd: string;
  /** Settings, read leniently (each stage validates what it needs with `readSettings`). */
  settings: Settings;
  /** A logger tagged with the stage name; lines go to the orchestrator. */
  logger: ConsolaInstance;
  /** Reports progress of a long step. */
  progress(label: string, current: number, total: number): void;
}

/** What a stage body returns on success. */
export interface StageOutput {
  /** Numbers worth reporting. */
  counts?: Record<string, number>;
  /** Structured output for the orchestrator. */
  details?: Record<string, JsonValue>;
}

/** A stage body. */
export type StageHandler = (context: StageContext) => Promise<StageOutput>;

/** Options of {@link runStageWorker}. */
export interface StageWorkerOptions {
  /** The stage bodies by name. */
  handlers: Readonly<Record<StageName, StageHandler>>;
  /** Recognizes the store's errors (reported with origin `store`). */
  isStoreError: (error: unknown) => error is Error & { code: string };
  /** The process arguments after the script: `<stage> [args]`. */
  argv: readonly string[];
  /** The process environment. */
  env: Environment;
  /** The working directory. */
  cwd: string;
  /** Writes a line to stdout. */
  writeStdout: (line: string) => void;
  /** Writes a line to stderr. */
  writeStderr: (line: string) => void;
}

function isLogType(type: string): type is StageLogType {
  return (StageLogTypes as readonly string[]).includes(type);
}

/** Creates a consola instance whose reporter writes {@link StageLogEvent} lines. */
export function createStageConsola(
  level: number,
  writeStderr: (line: string) => void,
): ConsolaInstance {
  return createConsola({
    level,
    throttle: 0,
    reporters: [
      {
        log(logObject: LogObject) {
          const message = formatWithOptions(
            { colors: false, breakLength: Number.POSITIVE_INFINITY },
            ...(logObject.args as unknown[]),
          );
          writeStderr(
            formatEventLine({
              event: 'log',
              type: isLogType(logObject.type) ? logObject.type : 'log',
              tag: logObject.tag,
              message,
              time: logObject.date.toISOString(),
            }),
          );
        },
      },
    ],
  });
}

function toPayload(
  error: unknown,
  isStoreError: StageWorkerOptions['isStoreError'],
): StageErrorPayload {
  const stack = error instanceof Error ? { stack: stackWithCauses(error) } : {};
  if (isStoreError(error)) {
    return { code: error.code, message: error.message, origin: 'store', ...stack };
  }
  if (isClanstatsError(error)) {
    const partial =
      error instanceof SourceFailedError
        ? { partial: error.partial, ...(error.reportable ? {} : { reportable: false }) }
        : {};
    return { code: error.code, message: error.message, origin: 'cli', ...stack, ...partial };
  }
  if (isDamagedDatabase(error)) {
    return {
      code: 'DATABASE',
      message: `The database file is damaged (${error.message}); restore a backup with \`clanstats restore --latest\``,
      origin: 'cli',
      ...stack,
    };
  }
  const fileProblem = sqliteFileProblem(error);
  if (fileProblem !== undefined) {
    return {
      code: 'DATABASE',
      message: `Could not use the database: ${fileProblem}`,
      origin: 'cli',
      ...stack,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'UNEXPECTED',
    message: `Unexpected error: ${message}`,
    origin: 'unexpected',
    ...stack,
  };
}

/** Whether SQLite said the file is corrupt or not a database (better-sqlite3's `SqliteError.code`). */
function isDamagedDatabase(error: unknown): error is Error {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string')
    return false;
  return error.code.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB';
}

/** A fault the test hooks can inject. */
type TestFault = 'throw' | 'exit' | 'signal' | 'garbage' | 'hang' | 'reject';

/**
 * Reads the test hooks. They are honoured only when `CLANSTATS_ENABLE_TEST_HOOKS=1`:
 * - `CLANSTATS_TEST_CRASH=<stage>[:<fault>]` makes that stage fail in a way no stage should:
 *   `throw` (default; an uncaught exception), `exit` (exit 1 without a result), `signal`
 *   (SIGKILL itself), `garbage` (a last stdout line that is not a result), `hang` (never end),
 *   `reject` (a failure result with an unexpected error).
 * - `CLANSTATS_TEST_ECHO_SECRETS=1` makes every stage log the secret settings (the webhook URL
 *   whole, its token alone and inside a request line too) and credential headers, to prove the
 *   orchestrator redacts them.
 */
function readTestHooks(
  env: Environment,
  stage: StageName,
): { fault: TestFault | undefined; echoSecrets: boolean } {
  if (env.CLANSTATS_ENABLE_TEST_HOOKS !== '1') return { fault: undefined, echoSecrets: false };
  const [crashStage, fault = 'throw'] = (env.CLANSTATS_TEST_CRASH ?? '').split(':');
  const faults: readonly string[] = ['throw', 'exit', 'signal', 'garbage', 'hang', 'reject'];
  return {
    fault: crashStage === stage && faults.includes(fault) ? (fault as TestFault) : undefined,
    echoSecrets: env.CLANSTATS_TEST_ECHO_SECRETS === '1',
  };
}

async function injectFault(fault: TestFault, context: StageContext): Promise<never> {
  context.logger.info(`test hook: injecting fault "${fault}" (pid ${process.pid})`);
  switch (fault) {
    case 'throw':
      setImmediate(() => {
        throw new Error(`test hook: ${context.stage} crashed on purpose`);
      });
      break;
    case 'exit':
      process.exit(1);
    // falls through (process.exit never returns)
    case 'signal':
      process.kill(process.pid, 'SIGKILL');
      break;
    case 'garbage':
      process.stdout.write('this is not a result line\n');
      process.exit(0);
    // falls through
    case 'hang':
      setInterval(() => undefined, 60_000);
      break;
    case 'reject':
      // Carries the token, to prove error messages are redacted too.
      throw new TypeError(
        `test hook: ${context.stage} hit an unexpected error (token ${context.env.DISCORD_TOKEN ?? 'unset'})`,
      );
  }
  return new Promise<never>(() => undefined);
}

function echoSecrets(context: StageContext): void {
  const { env, logger } = context;
  logger.info(`test hook: DISCORD_TOKEN is ${env.DISCORD_TOKEN ?? '(unset)'}`);
  logger.info(`test hook: WOM_API_KEY is ${env.WOM_API_KEY ?? '(unset)'}`);
  logger.warn(`test hook: WOM_GROUP_SECRET is ${env.WOM_GROUP_SECRET ?? '(unset)'}`);
  logger.info(`test hook: headers Authorization: Bot ${env.DISCORD_TOKEN ?? ''}`);
  logger.info(`test hook: headers {"x-api-key":"${env.WOM_API_KEY ?? ''}"}`);
  const webhookUrl = env.DISCORD_WEBHOOK_URL;
  logger.info(`test hook: DISCORD_WEBHOOK_URL is ${webhookUrl ?? '(unset)'}`);
  const webhookToken = /\/webhooks\/\d+\/([^/?#\s]+)/.exec(webhookUrl ?? '')?.[1];
  logger.warn(`test hook: webhook token ${webhookToken ?? '(unset)'}`);
  logger.info(`test hook: request POST ${webhookUrl ?? ''}?wait=true`);
  logger.error(`test hook: multi-line message\nsecond line with token ${env.DISCORD_TOKEN ?? ''}`);
}

/** How long a stage that honours SIGTERM may wind down before it exits anyway, in milliseconds. */
export const TERMINATION_GRACE_MS = 4_000;

/**
 * Runs `body` with a signal that aborts on SIGTERM (the orchestrator's stage deadline, or its own
 * Ctrl+C or SIGTERM), so a long stage stops between writes and closes its run record instead of
 * dying mid-way. If it has not finished {@link TERMINATION_GRACE_MS} later, the process exits
 * with 143: every write is a transaction, so the database stays consistent either way. Outside
 * `body`, SIGTERM ends the process at once, as usual.
 */
export async function withTermination<Result>(
  body: (signal: AbortSignal) => Promise<Result>,
): Promise<Result> {
  const controller = new AbortController();
  const onTerminate = (): void => {
    controller.abort(new Error('stopped by SIGTERM'));
    setTimeout(() => process.exit(143), TERMINATION_GRACE_MS).unref();
  };
  process.once('SIGTERM', onTerminate);
  try {
    return await body(controller.signal);
  } finally {
    process.removeListener('SIGTERM', onTerminate);
  }
}

function parseLogLevel(env: Environment): number {
  const raw = Number(env.CLANSTATS_LOG_LEVEL);
  return Number.isFinite(raw) ? raw : DEFAULT_LOG_LEVEL;
}

/**
 * Runs one stage: prints its result line last on stdout and returns the process exit code
 * (0 success, 1 failure). Crashes are left to crash, so the orchestrator sees them as such.
 */
export async function runStageWorker(options: StageWorkerOptions): Promise<number> {
  const { argv, env, cwd, writeStdout, writeStderr } = options;
  const [stageArgument = '', ...args] = argv;
  const started = performance.now();
  if (!isStageName(stageArgument)) {
    writeStderr(
      `clanstats stage worker: unknown stage "${stageArgument}". It is started by the clanstats CLI; run "clanstats --help".`,
    );
    return 2;
  }
  const stage = stageArgument;
  const root = createStageConsola(parseLogLevel(env), writeStderr);
  const context: StageContext = {
    stage,
    args,
    env,
    cwd,
    settings: readSettings(env, cwd, { validate: [], require: [] }),
    logger: root.withTag(stage),
    progress(label, current, total) {
      writeStderr(formatEventLine({ event: 'progress', label, current, total }));
    },
  };
  const finish = (result: StageResult): number => {
    writeStdout(formatResultLine(result));
    return result.status === 'ok' ? 0 : 1;
  };
  const base = { protocol: STAGE_PROTOCOL_VERSION, stage } as const;
  try {
    const hooks = readTestHooks(env, stage);
    if (hooks.echoSecrets) echoSecrets(context);
    if (hooks.fault !== undefined) await injectFault(hooks.fault, context);
    const output = await options.handlers[stage](context);
    return finish({
      ...base,
      status: 'ok',
      durationMs: Math.round(performance.now() - started),
      counts: output.counts ?? {},
      details: output.details ?? {},
    });
  } catch (error) {
    return finish({
      ...base,
      status: 'error',
      durationMs: Math.round(performance.now() - started),
      counts: {},
      details: {},
      error: toPayload(error, options.isStoreError),
    });
  }
}
