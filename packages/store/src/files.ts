/** File helpers shared by the store and its backups. */
import { closeSync, openSync } from 'node:fs';

/**
 * Creates `path` as an empty file readable and writable by its owner only (0600 on POSIX; Windows
 * ignores the mode), unless it exists. SQLite treats an empty file as a new database.
 */
export function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
