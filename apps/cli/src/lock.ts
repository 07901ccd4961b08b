/**
 * A lock file next to the database (`clan_data.db.lock`) so two runs never work on the same
 * database at once. It is created with the `wx` flag (fails if it exists) and holds the pid,
 * host name, start time and command of the holder.
 */
import { hostname } from 'node:os';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClanstatsError, LockedError, type LockHolder } from './errors.js';
import { fileErrorAdvice, systemErrorCode } from './file-errors.js';

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** The command taking the lock, recorded for the message another run shows. */
  command: string;
  /**
   * A lock older than this is stale whatever its pid, in milliseconds (a crashed run on another
   * machine sharing the folder, or a reused pid).
   * @defaultValue `43_200_000` (12 hours)
   */
  maxAgeMs?: number;
  /** Called with a sentence when a stale lock is removed. */
  onStaleLock?: (message: string) => void;
  /** The current time; tests pass a fixed one. */
  now?: () => Date;
}

/** The default {@link LockOptions.maxAgeMs}: 12 hours. */
export const DEFAULT_LOCK_MAX_AGE_MS = 12 * 60 * 60 * 1000;

/** A lock file younger than this with unreadable contents may still be being written. */
const UNREADABLE_GRACE_MS = 10_000;

/** A held lock; call {@link DatabaseLock.release} when done (also safe to call twice). */
export interface DatabaseLock {
  /** The lock file. */
  readonly path: string;
  /** What the lock file says. */
  readonly holder: LockHolder;
  /** Deletes the lock file if it is still ours. */
  release(): void;
}

/** The lock file path for a database file. */
export function lockPathFor(databasePath: string): string {
  return `${databasePath}.lock`;
}

/** Whether a process with this pid exists on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.command === 'string'
    ) {
      return {
        pid: value.pid,
        hostname: value.hostname,
        startedAt: value.startedAt,
        command: value.command,
      };
    }
  } catch {
    // fall through
  }
  return undefined;
}

interface ExistingLock {
  text: string;
  holder: LockHolder | undefined;
  modifiedAt: Date;
}

function readExisting(path: string): ExistingLock | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const modifiedAt = statSync(path).mtime;
    return { text, holder: parseHolder(text), modifiedAt };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Why an existing lock is stale, or `undefined` when it is live. */
function staleReason(existing: ExistingLock, now: Date, maxAgeMs: number): string | undefined {
  const { holder } = existing;
  if (holder === undefined) {
    return now.getTime() - existing.modifiedAt.getTime() > UNREADABLE_GRACE_MS
      ? 'its contents are unreadable'
      : undefined;
  }
  if (holder.hostname === hostname() && !isProcessAlive(holder.pid)) {
    return `process ${holder.pid} that took it is no longer running`;
  }
  const startedAt = Date.parse(holder.startedAt);
  if (Number.isNaN(startedAt) || now.getTime() - startedAt > maxAgeMs) {
    return `it is older than ${Math.round(maxAgeMs / 3_600_000)} hours (taken ${holder.startedAt})`;
  }
  return undefined;
}

/**
 * Removes a stale lock without racing another process doing the same: the file is moved aside
 * first, and put back if what was moved is not the stale lock that was judged.
 */
function clearStale(path: string, judged: ExistingLock): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== judged.text) {
    // Someone else replaced it with a fresh lock in the meantime: restore it.
    try {
      linkSync(aside, path);
    } catch {
      // A third lock appeared; ours lost either way.
    }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another process';
  return `"clanstats ${holder.command}" (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt})`;
}

/**
 * Takes the lock for `databasePath`, clearing a stale one (with a warning through
 * `onStaleLock`).
 * @throws {@link LockedError} (code `LOCKED`) when a live run holds it; {@link ClanstatsError}
 * (code `DATABASE`) when the lock file cannot be created (the folder is not writable).
 */
export function acquireLock(databasePath: string, options: LockOptions): DatabaseLock {
  const path = lockPathFor(databasePath);
  const now = options.now ?? (() => new Date());
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS;
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: now().toISOString(),
    command: options.command,
  };
  const text = `${JSON.stringify(holder)}\n`;

  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(path, text, { flag: 'wx' });
      let released = false;
      return {
        path,
        holder,
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      const code = systemErrorCode(error);
      if (code !== 'EEXIST') {
        const folder = dirname(path);
        const advice =
          fileErrorAdvice(code, 'the database folder', folder) ??
          (error instanceof Error ? error.message : String(error));
        throw new ClanstatsError(
          'DATABASE',
          `Could not create the lock file ${path}: ${advice}. Nothing was changed.`,
          { cause: error },
        );
      }
    }
    const existing = readExisting(path);
    if (existing === undefined) continue; // released in the meantime; try again
    const reason = staleReason(existing, now(), maxAgeMs);
    if (reason === undefined) {
      throw new LockedError(
        path,
        existing.holder,
        `The database is locked by ${describeHolder(existing.holder)}. Wait for it to finish; if no clanstats is running, delete ${path}.`,
      );
    }
    if (clearStale(path, existing)) {
      options.onStaleLock?.(`Removed a stale lock ${path}: ${reason}.`);
    }
  }
  const existing = readExisting(path);
  throw new LockedError(
    path,
    existing?.holder,
    `The database is locked by ${describeHolder(existing?.holder)}; could not take the lock ${path}.`,
  );
}
