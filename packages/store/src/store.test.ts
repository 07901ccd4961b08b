import { spawnSync } from 'node:child_process';
import { openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listBackups, openStore, restoreBackup } from './index.js';
import { migratedStore, tempDir } from './test-helpers.js';

describe('openStore', () => {
  it('opens a file in WAL mode with foreign keys and a busy timeout', async () => {
    const store = await migratedStore();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(() =>
      store.db
        .prepare(
          `INSERT INTO wom_memberships (group_id, player_id, role, joined_at, updated_at) VALUES (1, 1, 'x', 1, 1)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('works in memory', async () => {
    const store = openStore(':memory:');
    await store.migrations.up();
    store.wom.upsertPlayers([{ id: 1, username: 'a', displayName: 'A' }]);
    expect(store.read.findPlayersByName('a')).toEqual([1]);
    store.close();
  });

  it('refuses a file that is not a database with OPEN_FAILED', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(
      path,
      'this is not sqlite, just text long enough to look like a header..................',
    );
    expect(() => openStore(path)).toThrow(
      expect.objectContaining({ code: 'OPEN_FAILED' }) as Error,
    );
  });

  it('leaves no partial rows when work inside a transaction throws halfway', async () => {
    const store = await migratedStore();
    expect(() =>
      store.transaction(() => {
        store.wom.upsertPlayers([{ id: 1, username: 'a', displayName: 'A' }]);
        store.runs.start('harvest');
        throw new Error('stage crashed');
      }),
    ).toThrow('stage crashed');
    expect(store.db.prepare('SELECT count(*) FROM wom_players').pluck().get()).toBe(0);
    expect(store.runs.recent()).toEqual([]);
  });

  it('closes the run records a killed run left open, and only those', async () => {
    const store = await migratedStore();
    const finished = store.runs.start('harvest', 1_000);
    store.runs.finish(finished, { status: 'ok' }, 2_000);
    const killed = store.runs.start('harvest', 3_000);
    expect(store.runs.closeAbandoned(4_000)).toBe(1);
    expect(store.runs.closeAbandoned(5_000)).toBe(0);
    const [last, first] = store.runs.recent();
    expect(last).toMatchObject({
      id: killed,
      status: 'failed',
      finishedAt: 4_000,
      errorCode: 'ABANDONED',
    });
    expect(first).toMatchObject({ id: finished, status: 'ok', finishedAt: 2_000, errorCode: null });
  });

  it('leaves no partial rows when the process is killed in the middle of a batch', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers([{ id: 1, username: 'before', displayName: 'Before' }]);
    // A separate Node process (like a CLI stage) writes half a batch inside a transaction on the
    // same file, then dies by SIGKILL before it can commit or roll back.
    const better = fileURLToPath(import.meta.resolve('better-sqlite3'));
    const script = `
      const Database = require(${JSON.stringify(better)});
      const db = new Database(${JSON.stringify(store.path)});
      db.pragma('journal_mode = WAL');
      const insert = db.prepare('INSERT INTO wom_players (id, username, display_name, fetched_at) VALUES (?, ?, ?, 0)');
      db.exec('BEGIN');
      for (let id = 2; id < 5002; id += 1) insert.run(id, 'p' + id, 'P' + id);
      require('node:fs').writeSync(1, String(db.prepare('SELECT count(*) FROM wom_players').pluck().get()));
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).toBe('5001'); // it saw its own uncommitted rows before it died
    expect(store.db.prepare('SELECT username FROM wom_players').pluck().all()).toEqual(['before']);
    store.integrityCheck();
  });
});

describe('file permissions', () => {
  it.skipIf(process.platform === 'win32')(
    'creates the database, its WAL and its backups readable by their owner only',
    async () => {
      const store = await migratedStore();
      store.wom.upsertPlayers([{ id: 1, username: 'private', displayName: 'Private' }]);
      const mode = (path: string): number => statSync(path).mode & 0o777;
      expect(mode(store.path)).toBe(0o600);
      expect(mode(`${store.path}-wal`)).toBe(0o600);
      const backup = await store.backup();
      expect(mode(backup.path)).toBe(0o600);
      expect(mode(join(backup.path, '..')) & 0o077).toBe(0);
      store.close();
    },
  );
});

describe('backups', () => {
  it('round-trip: backup, change, restore gives back the backed-up data', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers([{ id: 1, username: 'kept', displayName: 'Kept' }]);
    const backup = await store.backup();
    expect(backup.path).toMatch(/backups[/\\]clan_data-\d{8}T\d{9}Z\.db$/);
    expect(backup.bytes).toBeGreaterThan(0);
    store.wom.upsertPlayers([{ id: 2, username: 'added later', displayName: 'Added later' }]);
    store.close();

    const safety = await restoreBackup({ dbPath: store.path, backupPath: backup.path });
    expect(safety).toBeDefined();
    const restored = openStore(store.path);
    expect(
      restored.db.prepare('SELECT username FROM wom_players ORDER BY id').pluck().all(),
    ).toEqual(['kept']);
    await expect(restored.migrations.assertCurrent()).resolves.toBeUndefined();
    restored.integrityCheck();
    restored.close();

    // The replaced database was itself kept: restoring it undoes the restore.
    await restoreBackup({ dbPath: store.path, backupPath: safety?.path ?? '' });
    const undone = openStore(store.path);
    expect(undone.db.prepare('SELECT count(*) FROM wom_players').pluck().get()).toBe(2);
    undone.close();
  });

  it('keep only the newest N', async () => {
    const store = await migratedStore();
    const taken = [];
    for (let index = 0; index < 5; index += 1) taken.push(await store.backup({ keep: 3 }));
    const kept = listBackups(store.path);
    expect(kept.map((backup) => backup.path)).toEqual(
      taken
        .slice(2)
        .reverse()
        .map((backup) => backup.path),
    );
  });

  it('refuse to restore a damaged or missing backup', async () => {
    const store = await migratedStore();
    const backup = await store.backup();
    store.close();
    await expect(
      restoreBackup({ dbPath: store.path, backupPath: join(tempDir(), 'missing.db') }),
    ).rejects.toMatchObject({
      code: 'BACKUP_NOT_FOUND',
    });
    const damaged = join(tempDir(), 'damaged.db');
    const bytes = readFileSync(backup.path);
    bytes.fill(0x55, 4096 * 2, 4096 * 4);
    writeFileSync(damaged, bytes);
    await expect(restoreBackup({ dbPath: store.path, backupPath: damaged })).rejects.toMatchObject({
      code: 'RESTORE_FAILED',
    });
  });
});

describe('maintenance', () => {
  it('optimize vacuums once free pages pass the threshold', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers([{ id: 1, username: 'a', displayName: 'A' }]);
    store.wom.insertSnapshots(
      Array.from({ length: 300 }, (_, index) => ({
        playerId: 1,
        takenAt: index * 1000,
        data: {
          skills: Object.fromEntries(
            Array.from({ length: 40 }, (_, metric) => [
              `skill_${metric}`,
              { experience: index, rank: 1, level: 1 },
            ]),
          ),
        },
      })),
    );
    expect(store.optimize().vacuumed).toBe(false);
    store.db.exec('DELETE FROM wom_snapshots');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(store.path).size;
    const result = store.optimize();
    expect(result.vacuumed).toBe(true);
    expect(result.freePages / result.pageCount).toBeGreaterThan(0.2);
    expect(statSync(store.path).size).toBeLessThan(sizeBefore);
    expect(store.db.prepare('SELECT count(*) FROM wom_snapshot_values').pluck().get()).toBe(0);
  });

  it('integrity check fails clearly on a corrupted file', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers(
      Array.from({ length: 2000 }, (_, index) => ({
        id: index + 1,
        username: `p${index}`,
        displayName: `P${index}`,
      })),
    );
    store.integrityCheck();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Scribble over pages in the middle of the file.
    const descriptor = openSync(store.path, 'r+');
    writeSync(descriptor, Buffer.alloc(4096 * 3, 0x5a), 0, 4096 * 3, 4096 * 6);
    closeSync(descriptor);
    const damaged = openStore(store.path);
    let failure: unknown;
    try {
      damaged.integrityCheck();
    } catch (error) {
      failure = error;
    }
    damaged.close();
    expect(failure).toMatchObject({ code: 'INTEGRITY_CHECK_FAILED' });
    expect((failure as { problems: string[] }).problems.length).toBeGreaterThan(0);
    expect((failure as Error).message).toContain('clanstats restore');
  });
});
