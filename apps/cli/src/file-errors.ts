/**
 * What a failed file operation means for the user, in words: the disk is full, a folder is not
 * writable, a file is in the way. Used by the stages that write outputs and copies, the lock, and
 * the stage worker's report of SQLite's own file errors. Knows nothing of the store.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClanstatsError } from './errors.js';

/**
 * The system error code (`ENOSPC`, `EACCES`…) of an error, or of the first error in its `cause`
 * chain that has one: Node's `code`, or the `syscallCode` field of the libraries' errors.
 */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && typeof current === 'object' && current !== null; depth += 1) {
    const fields = current as { syscallCode?: unknown; code?: unknown; cause?: unknown };
    if (typeof fields.syscallCode === 'string') return fields.syscallCode;
    if (typeof fields.code === 'string' && /^E[A-Z]+$/.test(fields.code)) return fields.code;
    current = fields.cause;
  }
  return undefined;
}

/**
 * What a system error code means when writing into `folder` (named by `setting`) and what to do,
 * or `undefined` for a code without advice.
 */
export function fileErrorAdvice(
  code: string | undefined,
  setting: string,
  folder: string,
): string | undefined {
  switch (code) {
    case 'ENOSPC':
      return `the disk is full (ENOSPC): free some space on the disk of ${setting} (${folder}), then run again`;
    case 'EDQUOT':
      return `this user's disk quota is used up (EDQUOT): free some space on the disk of ${setting} (${folder}), then run again`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): give this user write access to ${setting} (${folder}), or run ClanStats as the user that owns it`;
    case 'EROFS':
      return `the disk is read-only (EROFS): set ${setting} to a folder on a writable disk`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `a file is in the way where a folder should be (${code}): set ${setting} to a folder`;
    case 'ENOENT':
      return `the folder does not exist (ENOENT): set ${setting} to an existing folder`;
    case 'EIO':
      return `the disk failed to read or write (EIO): check the disk of ${setting} (${folder})`;
    default:
      return undefined;
  }
}

/**
 * A failed write of an output, as a {@link ClanstatsError} (`STAGE_FAILED`) that says what went
 * wrong and what to do: `Could not write <what> <path>: <advice>. <after>` (`what` may be empty).
 */
export function outputWriteError(
  what: string,
  path: string,
  place: { setting: string; folder: string },
  error: unknown,
  after: string,
): ClanstatsError {
  const code = systemErrorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  const advice =
    fileErrorAdvice(code, place.setting, place.folder) ??
    `${reason}; check that ${place.setting} (${place.folder}) is a folder you can write to, with free space`;
  const subject = what === '' ? path : `${what} ${path}`;
  return new ClanstatsError('STAGE_FAILED', `Could not write ${subject}: ${advice}. ${after}`, {
    cause: error,
  });
}

/** SQLite's result codes for a database file it cannot write, by their prefix. */
const SQLITE_FILE_PROBLEMS: ReadonlyArray<[prefix: string, advice: string]> = [
  [
    'SQLITE_READONLY',
    'the database file or its folder is read-only for this user: give this user write access to both (or run ClanStats as the user that owns them)',
  ],
  [
    'SQLITE_FULL',
    'the disk of the database is full: free some space on it, then run again (the write that failed was rolled back; what was saved before is kept)',
  ],
  [
    'SQLITE_CANTOPEN',
    'SQLite cannot open the database file or the -wal and -shm files beside it: check that this user may read and write the database and its folder',
  ],
  ['SQLITE_IOERR', 'the disk failed to read or write the database: check the disk'],
];

/**
 * What a SQLite file error (better-sqlite3's `SqliteError` with a `code` such as
 * `SQLITE_READONLY_DIRECTORY` or `SQLITE_FULL`) means, as a message for the user; `undefined` for
 * any other error.
 */
export function sqliteFileProblem(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') {
    return undefined;
  }
  const code = error.code;
  const match = SQLITE_FILE_PROBLEMS.find(([prefix]) => code.startsWith(prefix));
  return match === undefined ? undefined : `${match[1]} (${code}: ${error.message})`;
}

/**
 * Makes `LOCAL_DRIVE_PATH` ready for the copies. An existing folder is used as it is. A missing
 * one is created only when its parent folder exists: a synced drive that is not mounted (its
 * parent is missing too) must not get an empty local folder in its place, where the copies would
 * never reach the drive.
 * @param after - A sentence for the end of the message (where the outputs are).
 * @throws {@link ClanstatsError} `STAGE_FAILED`, naming `LOCAL_DRIVE_PATH` and what to do.
 */
export function ensureDriveFolder(folder: string, after: string): void {
  const setting = 'LOCAL_DRIVE_PATH';
  const found = driveFolderProblem(folder);
  if (found !== undefined) {
    throw new ClanstatsError(
      'STAGE_FAILED',
      `${setting} ${folder} ${found.problem}: ${found.fix}. Nothing was copied there. ${after}`,
    );
  }
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'EEXIST' && statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true) {
      return;
    }
    const advice = fileErrorAdvice(code, setting, folder) ?? String(error);
    throw new ClanstatsError(
      'STAGE_FAILED',
      `Could not create ${setting} ${folder}: ${advice}. ${after}`,
      { cause: error },
    );
  }
}

/** What is wrong with `LOCAL_DRIVE_PATH`, and what to do. */
export interface DriveFolderProblem {
  /** Words that follow the path: `is a file, not a folder`. */
  problem: string;
  /** What to do. */
  fix: string;
}

/**
 * Why `LOCAL_DRIVE_PATH` cannot receive the copies as it is (a file, or a missing folder whose
 * parent is missing too), or `undefined` when it is a folder or can be created in its parent.
 * Does not check that the folder is writable (the copy says so when it is not).
 */
export function driveFolderProblem(folder: string): DriveFolderProblem | undefined {
  const setting = 'LOCAL_DRIVE_PATH';
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(folder, { throwIfNoEntry: false });
  } catch (error) {
    const code = systemErrorCode(error);
    return {
      problem: 'cannot be used',
      fix: fileErrorAdvice(code, setting, folder) ?? String(error),
    };
  }
  const toFolder = `set ${setting} to a folder`;
  if (stats !== undefined) {
    return stats.isDirectory() ? undefined : { problem: 'is a file, not a folder', fix: toFolder };
  }
  const parent = dirname(folder);
  const parentStats = statSync(parent, { throwIfNoEntry: false });
  if (parentStats?.isDirectory() === true) return undefined;
  return parentStats === undefined
    ? {
        problem: `does not exist, and neither does the folder it would be created in (${parent})`,
        fix: `if it is on a drive that is not connected, mounted or synced yet, connect it; otherwise create the folder, or fix ${setting}`,
      }
    : { problem: `cannot be created: ${parent} is a file, not a folder`, fix: toFolder };
}
