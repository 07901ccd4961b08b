/**
 * The CLI's errors: one base class with a stable `code`, facts in readonly fields, and one
 * exit code per code (see {@link ExitCodes}). Errors cross process boundaries as `{ code, message }`
 * JSON (see `protocol.ts`), never as class instances.
 */

/** Every code a {@link ClanstatsError} can carry. */
export type ClanstatsErrorCode =
  | 'UNEXPECTED'
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'NOT_IMPLEMENTED'
  | 'LOCKED'
  | 'STAGE_FAILED'
  | 'STAGE_CRASHED'
  | 'DATABASE'
  | 'DOCTOR_FAILED'
  | 'SOURCE_FAILED'
  | 'STAGE_TIMEOUT'
  | 'INTERRUPTED';

/**
 * The process exit code for each error code. Several codes share an exit code when a script
 * calling `clanstats` would react to them the same way.
 */
export const ExitCodes = {
  /** A bug or an error nobody anticipated. */
  UNEXPECTED: 1,
  /** A stage reported a failure that is not a database, config or usage error. */
  STAGE_FAILED: 1,
  /** Bad command line: unknown command or option, missing or extra argument. */
  USAGE: 2,
  /** A setting (environment, `.env`) or `clanstats.config.json` is missing or invalid. */
  CONFIG_INVALID: 2,
  /** The command or stage exists but is not implemented yet. */
  NOT_IMPLEMENTED: 3,
  /** Another run holds the database lock. */
  LOCKED: 4,
  /** A stage process crashed: uncaught exception, killed by a signal, or no result line. */
  STAGE_CRASHED: 5,
  /** The database reported an error (migration, backup, restore, integrity check, open). */
  DATABASE: 6,
  /** `doctor` found at least one problem. */
  DOCTOR_FAILED: 7,
  /**
   * A data source (Wise Old Man or Discord) failed during a harvest; what the other source
   * fetched was saved, and the run record says `partial`.
   */
  SOURCE_FAILED: 8,
  /**
   * A stage ran longer than `CLANSTATS_STAGE_TIMEOUT` and was stopped (SIGTERM, then SIGKILL);
   * what it had saved stays, and the lock is released.
   */
  STAGE_TIMEOUT: 9,
  /** Interrupted by SIGINT (Ctrl+C); SIGTERM exits with 143 instead. */
  INTERRUPTED: 130,
} as const satisfies Record<ClanstatsErrorCode, number>;

const errorMarker = Symbol.for('clanstats.cli.error');

/** Options every {@link ClanstatsError} accepts. */
export interface ClanstatsErrorOptions {
  /** The underlying error, kept for `--verbose` output. */
  cause?: unknown;
}

/** The base class of every error the CLI raises on purpose. */
export class ClanstatsError extends Error {
  override name = 'ClanstatsError';
  /** A stable identifier; scripts may depend on it. */
  readonly code: ClanstatsErrorCode;
  readonly [errorMarker] = true;

  constructor(code: ClanstatsErrorCode, message: string, options: ClanstatsErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }

  /** The exit code the process ends with when this error reaches the top. */
  get exitCode(): number {
    return ExitCodes[this.code];
  }
}

/** Whether `value` is a {@link ClanstatsError}, also across bundles (checks a `Symbol.for` marker). */
export function isClanstatsError(value: unknown): value is ClanstatsError {
  return typeof value === 'object' && value !== null && errorMarker in value;
}

/** Options of a {@link SourceFailedError}. */
export interface SourceFailedErrorOptions extends ClanstatsErrorOptions {
  /**
   * Whether the database holds what the report needs (the group's roster), so that `run` goes on
   * to the report and the export after a partial harvest. `false` when Wise Old Man failed before
   * any roster of the group was saved.
   * @defaultValue `true`
   */
  reportable?: boolean;
}

/** A harvest in which a data source failed; `partial` when the other source's data was saved. */
export class SourceFailedError extends ClanstatsError {
  override name = 'SourceFailedError';
  /** Whether another source succeeded and its data was saved. */
  readonly partial: boolean;
  /** Whether the database holds what the report needs; see {@link SourceFailedErrorOptions}. */
  readonly reportable: boolean;

  constructor(message: string, partial: boolean, options: SourceFailedErrorOptions = {}) {
    super('SOURCE_FAILED', message, 'cause' in options ? { cause: options.cause } : {});
    this.partial = partial;
    this.reportable = options.reportable ?? true;
  }
}

/** Bad command line. */
export class UsageError extends ClanstatsError {
  override name = 'UsageError';
  /** The command being parsed, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('USAGE', message);
    this.command = command;
  }
}

/** One problem found while validating settings or `clanstats.config.json`. */
export interface ConfigIssue {
  /** The setting (`WOM_GROUP_ID`), option (`--env-file`) or JSON path (`ranks[1].minScore`). */
  setting: string;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
}

/** A setting or the rules file is missing or invalid. */
export class ConfigError extends ClanstatsError {
  override name = 'ConfigError';
  /** Every problem found; the message lists all of them. */
  readonly issues: readonly ConfigIssue[];
  /** Where the bad value came from: a file path, or `environment`. */
  readonly source: string;

  constructor(issues: readonly ConfigIssue[], source: string, options: ClanstatsErrorOptions = {}) {
    super('CONFIG_INVALID', issues.map((issue) => issue.message).join('; '), options);
    this.issues = issues;
    this.source = source;
  }
}

/** A command or stage that a later release implements. */
export class NotImplementedError extends ClanstatsError {
  override name = 'NotImplementedError';
  /** The command or stage, such as `harvest`. */
  readonly feature: string;

  constructor(feature: string, message?: string) {
    super(
      'NOT_IMPLEMENTED',
      message ?? `"${feature}" is not implemented yet; it arrives in a later ClanStats release.`,
    );
    this.feature = feature;
  }
}

/** What a lock file says about the run that holds it. */
export interface LockHolder {
  /** Process id of the orchestrator holding the lock. */
  pid: number;
  /** Host name of the machine the holder runs on. */
  hostname: string;
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
  /** The command the holder runs, such as `run`. */
  command: string;
}

/** Another run holds the database lock. */
export class LockedError extends ClanstatsError {
  override name = 'LockedError';
  /** The lock file. */
  readonly lockPath: string;
  /** The holder, when the lock file could be read. */
  readonly holder: LockHolder | undefined;

  constructor(lockPath: string, holder: LockHolder | undefined, message: string) {
    super('LOCKED', message);
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

/** A stage reported a failure that is not one of the more specific classes. */
export class StageFailedError extends ClanstatsError {
  override name = 'StageFailedError';
  /** The stage, such as `migrate`. */
  readonly stage: string;
  /** The code the stage reported. */
  readonly reason: string;

  constructor(stage: string, reason: string, message: string, options: ClanstatsErrorOptions = {}) {
    super('STAGE_FAILED', message, options);
    this.stage = stage;
    this.reason = reason;
  }
}

/** A stage reported a database error (from the store, or about the database file). */
export class DatabaseError extends ClanstatsError {
  override name = 'DatabaseError';
  /** The stage, such as `migrate`. */
  readonly stage: string;
  /** The store's code, such as `MIGRATION_FAILED` or `SCHEMA_TOO_NEW`. */
  readonly reason: string;

  constructor(stage: string, reason: string, message: string, options: ClanstatsErrorOptions = {}) {
    super('DATABASE', message, options);
    this.stage = stage;
    this.reason = reason;
  }
}

/** A stage process ended without a valid result line, or exited non-zero. */
export class StageCrashedError extends ClanstatsError {
  override name = 'StageCrashedError';
  /** The stage, such as `migrate`. */
  readonly stage: string;
  /** The process exit code, or `null` when a signal ended it. */
  readonly processExitCode: number | null;
  /** The signal that ended the process, if any. */
  readonly signal: NodeJS.Signals | null;

  constructor(
    stage: string,
    processExitCode: number | null,
    signal: NodeJS.Signals | null,
    message: string,
  ) {
    super('STAGE_CRASHED', message);
    this.stage = stage;
    this.processExitCode = processExitCode;
    this.signal = signal;
  }
}

/** A stage ran past `CLANSTATS_STAGE_TIMEOUT` and was stopped. */
export class StageTimeoutError extends ClanstatsError {
  override name = 'StageTimeoutError';
  /** The stage, such as `harvest`. */
  readonly stage: string;
  /** The limit it ran into, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether it had to be killed (SIGKILL) because it did not stop within the grace period. */
  readonly killed: boolean;

  constructor(stage: string, timeoutMs: number, killed: boolean, message: string) {
    super('STAGE_TIMEOUT', message);
    this.stage = stage;
    this.timeoutMs = timeoutMs;
    this.killed = killed;
  }
}

/** `doctor` found problems. */
export class DoctorFailedError extends ClanstatsError {
  override name = 'DoctorFailedError';
  /** How many checks failed. */
  readonly failed: number;

  constructor(failed: number) {
    super(
      'DOCTOR_FAILED',
      `doctor found ${failed} problem${failed === 1 ? '' : 's'}; fix the ✖ items above and run "clanstats doctor" again.`,
    );
    this.failed = failed;
  }
}

/** The run was interrupted by a signal. */
export class InterruptedError extends ClanstatsError {
  override name = 'InterruptedError';
  /** The signal received. */
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super('INTERRUPTED', `Interrupted by ${signal}.`);
    this.signal = signal;
  }

  override get exitCode(): number {
    return this.signal === 'SIGTERM' ? 143 : ExitCodes.INTERRUPTED;
  }
}

/**
 * An error's stack followed by the stacks of its causes (`caused by: …`), for `--verbose` and
 * `app.log`.
 */
export function stackWithCauses(error: unknown): string {
  const details: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && details.length < 10) {
    details.push(current.stack ?? `${current.name}: ${current.message}`);
    current = current.cause;
  }
  return details.length > 0 ? details.join('\ncaused by: ') : String(error);
}

/** Wraps anything thrown into a {@link ClanstatsError}; unknown throwables become `UNEXPECTED`. */
export function toClanstatsError(value: unknown): ClanstatsError {
  if (isClanstatsError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ClanstatsError('UNEXPECTED', `Unexpected error: ${message}`, { cause: value });
}
