import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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
}

/** The default number of backups kept. */
export const DEFAULT_BACKUP_KEEP = 10;

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

/** Takes a consistent online backup of an open database and rotates old backups. */
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
    // Two backups in the same millisecond must not overwrite each other.
    while (listBackups(dbPath, { dir }).some((backup) => backup.path === path)) {
      createdAt = new Date(createdAt.getTime() + 1);
      path = join(dir, `${stem(dbPath)}-${stamp(createdAt)}.db`);
    }
    // Private like the database itself (see openStore).
    createPrivateFile(path);
    await db.backup(path);
  } catch (error) {
    rmSync(path, { force: true });
    throw new StoreError(
      'BACKUP_FAILED',
      `Could not back up ${dbPath} to ${dir}: ${String(error)}`,
      {
        path: dbPath,
        cause: error,
      },
    );
  }
  for (const old of listBackups(dbPath, { dir }).slice(keep)) rmSync(old.path, { force: true });
  return { path, createdAt, bytes: statSync(path).size };
}

/** Options for {@link restoreBackup}. */
export interface RestoreOptions {
  /** The database file to restore into. It must not be open (the CLI holds its lock). */
  dbPath: string;
  /** The backup file to restore. */
  backupPath: string;
  /** Where the safety copy of the replaced database goes, as for {@link BackupOptions.dir}. */
  dir?: string;
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
        safetyCopy = await backupDatabase(target, options.dbPath, backupOptions);
      } finally {
        target.close();
      }
    }
    try {
      // The online backup API writes every page of the backup into the target, WAL included.
      await source.backup(options.dbPath);
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
