// Backups under trouble: a source that stays locked, a disk without room, and the files SQLite
// leaves beside a backup. The free space is what statfs says, faked per test below.
import fs, { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_FREE_SPACE_RESERVE, listBackups, openStore, restoreBackup } from './index.js';
import { migratedStore, tempDir } from './test-helpers.js';

/** Free bytes the faked statfs reports, asked on each call; `undefined` reports the real disk. */
let fakeFreeBytes: (() => number) | undefined;
// statfsSync is replaced on node:fs itself and the change copied to every module's named import
// (not vi.mock, which misses a store module another test file has already loaded in this worker).
const realStatfsSync = fs.statfsSync;
beforeAll(() => {
  fs.statfsSync = ((path: string) => {
    const stats = realStatfsSync(path);
    if (fakeFreeBytes !== undefined) {
      stats.bsize = 1;
      stats.bavail = fakeFreeBytes();
    }
    return stats;
  }) as typeof fs.statfsSync;
  syncBuiltinESMExports();
});
afterAll(() => {
  fs.statfsSync = realStatfsSync;
  syncBuiltinESMExports();
});
afterEach(() => {
  fakeFreeBytes = undefined;
});

describe('backups', () => {
  it('fail on a source that stays locked, instead of an empty backup', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path, { busyTimeoutMs: 100 });
    await store.migrations.up();
    store.db.pragma('journal_mode = DELETE');
    store.db.exec(
      'CREATE TABLE filler (bytes BLOB); INSERT INTO filler VALUES (zeroblob(2000000))',
    );
    const backups = join(path, '..', 'backups');
    const other = new Database(path);
    try {
      const started = Date.now();
      const backup = store.backup({ stallTimeoutMs: 300 });
      // The backup has sized the database and waits to copy its first page: now another
      // connection takes the file's exclusive lock, so every step finds the source busy.
      other.exec('BEGIN EXCLUSIVE');
      await expect(backup).rejects.toMatchObject({
        code: 'BACKUP_FAILED',
        message: expect.stringContaining(
          'the database could not be read (it stays locked by another connection)',
        ) as unknown,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      // Nothing half-written is left in backups/.
      expect(readdirSync(backups)).toEqual([]);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      store.close();
    }
  });

  it('are one file each: restoring one leaves nothing beside it', async () => {
    const store = await migratedStore();
    const backup = await store.backup();
    store.close();
    await restoreBackup({ dbPath: store.path, backupPath: backup.path });
    const folder = join(backup.path, '..');
    expect(readdirSync(folder).filter((name) => !name.endsWith('.db'))).toEqual([]);
  });

  it('rotate away the files SQLite left beside an old backup too', async () => {
    const store = await migratedStore();
    const first = await store.backup({ keep: 2 });
    for (const suffix of ['-wal', '-shm']) writeFileSync(`${first.path}${suffix}`, 'x');
    await store.backup({ keep: 2 });
    const third = await store.backup({ keep: 2 });
    const folder = join(third.path, '..');
    expect(readdirSync(folder).filter((name) => name.startsWith('clan_data-'))).toHaveLength(2);
    expect(
      readdirSync(folder).some((name) => name.startsWith(first.path.slice(folder.length + 1))),
    ).toBe(false);
  });

  it('refuse a backup the disk has no room for, and keep the older ones', async () => {
    const store = await migratedStore();
    const older = await store.backup({ keep: 3 });
    fakeFreeBytes = () => 1024 * 1024;
    await expect(store.backup({ keep: 3 })).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringMatching(
        /^Not enough free space to back up .* the disk has 1\.0 MB free\. Free some space on that disk, or keep fewer backups; nothing was written, the older backups are kept$/,
      ) as unknown,
    });
    expect(listBackups(store.path).map((backup) => backup.path)).toEqual([older.path]);
    // Keeping one: the only backup is not deleted to make room for a copy that cannot be made.
    await expect(store.backup({ keep: 1 })).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
    expect(listBackups(store.path).map((backup) => backup.path)).toEqual([older.path]);
  });

  it('make room first with the backups the rotation deletes anyway', async () => {
    const store = await migratedStore();
    const [oldest, older] = [await store.backup({ keep: 2 }), await store.backup({ keep: 2 })];
    // One byte short of room until the oldest backup is gone (the second time the space is asked).
    const databaseBytes =
      (store.db.pragma('page_count', { simple: true }) as number) *
      (store.db.pragma('page_size', { simple: true }) as number);
    const needed = databaseBytes + BACKUP_FREE_SPACE_RESERVE;
    let asked = 0;
    fakeFreeBytes = () => (++asked === 1 ? needed - 1 : needed);
    const newest = await store.backup({ keep: 2 });
    expect(asked).toBe(2);
    expect(existsSync(oldest.path)).toBe(false);
    expect(listBackups(store.path).map((backup) => backup.path)).toEqual([newest.path, older.path]);
  });
});
