import { mkdirSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { createPrivateFile } from './files.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';

/** A backup file written by {@link Store.backup}. */
export interface BackupInfo {
  /** Absolute path of the backup file. */
  path: string;
  /** When the backup was taken. */
  createdAt: Date;
  /** Size of the file in bytes. */
  bytes: number;
}

/** Options for {@link Store.backup} and {@link listBackups}. */
export interface BackupOptions {
  /**
   * Folder the backups go to.
   * @defaultValue `backups/` beside the database file
   */
  dir?: string;
  /**
   * How many backups to keep; older ones are deleted after a successful backup.
   * @defaultValue `10`
   */
  keep?: number;
  /**
   * How long the copy may go on without copying a page (the database stays locked, or cannot be
   * read) before it fails with `BACKUP_FAILED`, in milliseconds.
   * @defaultValue `10_000`
   */
  stallTimeoutMs?: number;
}

/** The default number of backups kept. */
export const DEFAULT_BACKUP_KEEP = 10;

/** The default {@link BackupOptions.stallTimeoutMs}. */
export const DEFAULT_BACKUP_STALL_TIMEOUT_MS = 10_000;

/**
 * Free space a backup leaves on its disk, besides its own size, in bytes: the database it copies
 * grows on the same disk right after (a run harvests next).
 */
export const BACKUP_FREE_SPACE_RESERVE = 16 * 1024 * 1024;

/** Files SQLite may keep beside a database (a backup opened to restore it gets them too). */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** Deletes a backup and the files SQLite kept beside it. */
function removeBackup(path: string): void {
  for (const suffix of ['', ...COMPANION_SUFFIXES]) rmSync(`${path}${suffix}`, { force: true });
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Free bytes for this user on the disk of `dir`; `undefined` where the OS does not say. */
function freeBytes(dir: string): number | undefined {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** Pages copied per step of the online backup (better-sqlite3's own default). */
const PAGES_PER_STEP = 100;

/**
 * Copies an open database into `target` with SQLite's online backup API. better-sqlite3 retries a
 * step that finds the source busy (or unreadable, as a read-only WAL file is) for ever, and
 * reports success with an empty file when the source is busy from the first step; this gives up
 * after `stallTimeoutMs` without progress, and fails when nothing was copied.
 */
async function copyDatabase(
  source: Database.Database,
  target: string,
  stallTimeoutMs: number,
): Promise<void> {
  let remaining = Number.POSITIVE_INFINITY;
  let progressAt = Date.now();
  const copied = await source.backup(target, {
    progress: ({ totalPages, remainingPages }) => {
      const now = Date.now();
      if (remainingPages < remaining) {
        remaining = remainingPages;
        progressAt = now;
      } else if (now - progressAt > stallTimeoutMs) {
        throw new Error(
          `the copy made no progress for ${stallTimeoutMs} ms (${remainingPages} of ${totalPages} pages left): the database stays locked or cannot be read`,
        );
      }
      return PAGES_PER_STEP;
    },
  });
  // A source that is busy from the first step reports no pages at all, and an empty file.
  if (copied.totalPages === 0) {
    throw new Error(
      'the database could not be read (it stays locked by another connection): nothing was copied',
    );
  }
}

function stem(dbPath: string): string {
  const name = basename(dbPath);
  return name.slice(0, name.length - extname(name).length) || name;
}

/** The folder backups of `dbPath` go to by default. */
export function defaultBackupDir(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'backups');
}

// clan_data-20261124T153012345Z.db: sortable by name, and the time is recoverable from it.
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

function parseStamp(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, millis] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`);
}

/** Lists the backups of `dbPath`, newest first. */
export function listBackups(
  dbPath: string,
  options: Pick<BackupOptions, 'dir'> = {},
): BackupInfo[] {
  const dir = resolve(options.dir ?? defaultBackupDir(dbPath));
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const prefix = `${stem(dbPath)}-`;
  const backups: BackupInfo[] = [];
  for (const file of files) {
    if (!file.startsWith(prefix) || !file.endsWith('.db')) continue;
    const createdAt = parseStamp(file.slice(prefix.length, -'.db'.length));
    if (createdAt === undefined) continue;
    const path = join(dir, file);
    backups.push({ path, createdAt, bytes: statSync(path).size });
  }
  return backups.sort((left, right) => right.path.localeCompare(left.path));
}

/**
 * Takes a consistent online backup of an open database and rotates old backups: the newest `keep`
 * stay. When the disk has less free space than the database's size plus
 * {@link BACKUP_FREE_SPACE_RESERVE}, the backups that this rotation would delete go first when
 * that makes enough room (never the newest); otherwise it fails with `BACKUP_FAILED`, and deletes
 * and writes nothing.
 */
export async function backupDatabase(
  db: Database.Database,
  dbPath: string,
  options: BackupOptions = {},
): Promise<BackupInfo> {
  const keep = options.keep ?? DEFAULT_BACKUP_KEEP;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new StoreError('INVALID_INPUT', `keep must be a whole number of at least 1, got ${keep}`);
  }
  if (dbPath === ':memory:') {
    throw new StoreError(
      'BACKUP_FAILED',
      'An in-memory database cannot be backed up to its folder',
    );
  }
  const dir = resolve(options.dir ?? defaultBackupDir(dbPath));
  let createdAt = new Date();
  let path = join(dir, `${stem(dbPath)}-${stamp(createdAt)}.db`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreError(
      'BACKUP_FAILED',
      `Could not back up ${dbPath}: the backups folder ${dir} cannot be created (${String(error)})`,
      { path: dbPath, cause: error },
    );
  }
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const needed = pageCount * pageSize + BACKUP_FREE_SPACE_RESERVE;
  let free = freeBytes(dir);
  if (free !== undefined && free < needed) {
    // Make room with the backups this backup pushes out anyway, when that is enough, and never
    // the newest one: until the new backup exists, it is the one to restore.
    const pushedOut = listBackups(dbPath, { dir }).slice(Math.max(keep - 1, 1));
    if (free + pushedOut.reduce((sum, old) => sum + old.bytes, 0) >= needed) {
      for (const old of pushedOut) removeBackup(old.path);
      free = freeBytes(dir);
    }
    if (free !== undefined && free < needed) {
      throw new StoreError(
        'BACKUP_FAILED',
        `Not enough free space to back up ${dbPath} in ${dir}: the backup needs ${formatMegabytes(needed)} (the database's size plus ${formatMegabytes(BACKUP_FREE_SPACE_RESERVE)} to spare), and the disk has ${formatMegabytes(free)} free. Free some space on that disk, or keep fewer backups; nothing was written, the older backups are kept`,
        { path: dbPath },
      );
    }
  }
  try {
    // Two backups in the same millisecond must not overwrite each other.
    while (listBackups(dbPath, { dir }).some((backup) => backup.path === path)) {
      createdAt = new Date(createdAt.getTime() + 1);
      path = join(dir, `${stem(dbPath)}-${stamp(createdAt)}.db`);
    }
    // Private like the database itself (see openStore).
    createPrivateFile(path);
    await copyDatabase(db, path, options.stallTimeoutMs ?? DEFAULT_BACKUP_STALL_TIMEOUT_MS);
    // The copy is a WAL database like its source: opening it (a restore reads it) would leave
    // -wal and -shm files beside it in backups/. A backup is one self-contained file instead.
    const copy = new Database(path);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  } catch (error) {
    removeBackup(path);
    const full = isDiskFull(error) ? 'the disk is full; free some space on it. ' : '';
    throw new StoreError(
      'BACKUP_FAILED',
      `Could not back up ${dbPath} to ${dir}: ${full}${String(error)}`,
      {
        path: dbPath,
        cause: error,
      },
    );
  }
  for (const old of listBackups(dbPath, { dir }).slice(keep)) removeBackup(old.path);
  return { path, createdAt, bytes: statSync(path).size };
}

/** Whether an error says the disk is full (Node's `ENOSPC`, SQLite's `SQLITE_FULL`). */
function isDiskFull(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code === 'ENOSPC' || code.startsWith('SQLITE_FULL');
}

/** Options for {@link restoreBackup}. */
export interface RestoreOptions {
  /** The database file to restore into. It must not be open (the CLI holds its lock). */
  dbPath: string;
  /** The backup file to restore. */
  backupPath: string;
  /** Where the safety copy of the replaced database goes, as for {@link BackupOptions.dir}. */
  dir?: string;
  /** As {@link BackupOptions.stallTimeoutMs}, for both copies. */
  stallTimeoutMs?: number;
}

/**
 * Restores a backup over a database file. The backup is checked with `PRAGMA integrity_check`
 * first; the current database (if any) is first backed up itself, so a restore can be undone.
 * Returns the safety backup of the replaced database, if there was one.
 */
export async function restoreBackup(options: RestoreOptions): Promise<BackupInfo | undefined> {
  const backupPath = resolve(options.backupPath);
  let source: Database.Database;
  try {
    source = new Database(backupPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new StoreError(
      'BACKUP_NOT_FOUND',
      `Backup ${backupPath} could not be opened: ${String(error)}`,
      {
        path: backupPath,
        cause: error,
      },
    );
  }
  try {
    let problems: string[];
    try {
      const result = source.pragma('integrity_check') as Array<{ integrity_check: string }>;
      problems = result.map((row) => row.integrity_check).filter((line) => line !== 'ok');
    } catch (error) {
      problems = [String(error)];
    }
    if (problems.length > 0) {
      throw new StoreError(
        'RESTORE_FAILED',
        `Backup ${backupPath} is damaged; pick another backup`,
        {
          path: backupPath,
          problems,
        },
      );
    }
    let safetyCopy: BackupInfo | undefined;
    let target: Database.Database | undefined;
    try {
      target = new Database(options.dbPath, { fileMustExist: true });
    } catch {
      target = undefined;
    }
    if (target !== undefined) {
      try {
        const backupOptions: BackupOptions = { keep: Number.MAX_SAFE_INTEGER };
        if (options.dir !== undefined) backupOptions.dir = options.dir;
        if (options.stallTimeoutMs !== undefined)
          backupOptions.stallTimeoutMs = options.stallTimeoutMs;
        safetyCopy = await backupDatabase(target, options.dbPath, backupOptions);
      } finally {
        target.close();
      }
    }
    try {
      // The online backup API writes every page of the backup into the target, WAL included.
      await copyDatabase(
        source,
        options.dbPath,
        options.stallTimeoutMs ?? DEFAULT_BACKUP_STALL_TIMEOUT_MS,
      );
    } catch (error) {
      throw new StoreError(
        'RESTORE_FAILED',
        `Could not restore into ${options.dbPath}: ${String(error)}`,
        {
          path: options.dbPath,
          cause: error,
        },
      );
    }
    return safetyCopy;
  } finally {
    source.close();
  }
}
