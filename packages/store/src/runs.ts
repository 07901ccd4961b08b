import type BetterSqlite3 from 'better-sqlite3';

/** The outcome of a harvest run. */
export type RunStatus = 'running' | 'ok' | 'partial' | 'failed';

/** A harvest run record. */
export interface HarvestRun {
  id: number;
  command: string;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  womRequests: number;
  discordRequests: number;
  rateLimited: number;
  errorCode: string | null;
  errorMessage: string | null;
  details: unknown;
}

/** How a run ended, for {@link RunLog.finish}. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  womRequests?: number;
  discordRequests?: number;
  rateLimited?: number;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** Anything JSON-serialisable: per-stage durations, counts. */
  details?: unknown;
}

/** A problem met during a run that did not stop it (a channel without access, a player WOM can't update). */
export interface RunProblem {
  source: 'wom' | 'discord' | 'report' | 'export' | 'other';
  scope?: string | null;
  code: string;
  message: string;
}

interface RunRow {
  id: number;
  command: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  wom_requests: number;
  discord_requests: number;
  rate_limited: number;
  error_code: string | null;
  error_message: string | null;
  details: string | null;
}

/** Records harvest runs: what ran, how it ended, what it cost. */
export class RunLog {
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    this.#statements = {
      start: db.prepare(`INSERT INTO harvest_runs (command, started_at) VALUES (?, ?)`),
      finish:
        db.prepare(`UPDATE harvest_runs SET finished_at = ?, status = ?, wom_requests = ?, discord_requests = ?,
        rate_limited = ?, error_code = ?, error_message = ?, details = ? WHERE id = ?`),
      problem:
        db.prepare(`INSERT INTO harvest_run_problems (run_id, source, scope, code, message, created_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      problems: db.prepare<[number], RunProblem & { scope: string | null }>(
        `SELECT source, scope, code, message FROM harvest_run_problems WHERE run_id = ? ORDER BY id`,
      ),
      recent: db.prepare<[number], RunRow>(`SELECT * FROM harvest_runs ORDER BY id DESC LIMIT ?`),
      closeAbandoned: db.prepare(`UPDATE harvest_runs SET finished_at = ?, status = 'failed',
        error_code = 'ABANDONED', error_message = ? WHERE status = 'running'`),
    };
  }

  /** Opens a run record; returns its id. */
  start(command: string, at = Date.now()): number {
    return Number(this.#statements.start.run(command, at).lastInsertRowid);
  }

  /** Closes a run record with its outcome. */
  finish(runId: number, outcome: RunOutcome, at = Date.now()): void {
    this.#statements.finish.run(
      at,
      outcome.status,
      outcome.womRequests ?? 0,
      outcome.discordRequests ?? 0,
      outcome.rateLimited ?? 0,
      outcome.errorCode ?? null,
      outcome.errorMessage ?? null,
      outcome.details === undefined ? null : JSON.stringify(outcome.details),
      runId,
    );
  }

  /**
   * Closes the run records still `running` as `failed` with error code `ABANDONED`: runs that ended
   * without recording how (killed, or the machine stopped). Call it only while no other run can be
   * running on this database (under the caller's lock), before {@link RunLog.start}.
   * @returns How many records it closed.
   */
  closeAbandoned(at = Date.now()): number {
    return this.#statements.closeAbandoned.run(
      at,
      'The run ended without recording how: it was killed, or the machine stopped.',
    ).changes;
  }

  /** Records a problem that did not stop the run. */
  addProblem(runId: number, problem: RunProblem, at = Date.now()): void {
    this.#statements.problem.run(
      runId,
      problem.source,
      problem.scope ?? null,
      problem.code,
      problem.message,
      at,
    );
  }

  /** The problems recorded for a run. */
  problems(runId: number): RunProblem[] {
    return this.#statements.problems.all(runId);
  }

  /** The most recent runs, newest first. */
  recent(limit = 10): HarvestRun[] {
    return this.#statements.recent.all(limit).map((row) => ({
      id: row.id,
      command: row.command,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status,
      womRequests: row.wom_requests,
      discordRequests: row.discord_requests,
      rateLimited: row.rate_limited,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      details: row.details === null ? null : (JSON.parse(row.details) as unknown),
    }));
  }
}
