import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, isStoreError, openStore, type Store } from './index.js';
import { tempDir } from './test-helpers.js';

function schema(store: Store): Array<{ type: string; name: string; sql: string | null }> {
  return store.db
    .prepare<[], { type: string; name: string; sql: string | null }>(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all();
}

describe('migrations', () => {
  it('go up, down and up again on a real file', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    expect(await store.migrations.up()).toEqual(['0001_initial']);
    const migrated = schema(store);
    expect(migrated.map((entry) => entry.name)).toContain('discord_messages');
    expect(migrated.map((entry) => entry.name)).toContain('wom_snapshot_values');
    expect(await store.migrations.up()).toEqual([]);

    expect(await store.migrations.down()).toEqual(['0001_initial']);
    expect(schema(store).map((entry) => entry.name)).toEqual(['_migrations']);
    expect((await store.migrations.status()).pending).toEqual(['0001_initial']);

    expect(await store.migrations.up()).toEqual(['0001_initial']);
    expect(schema(store)).toEqual(migrated);
    store.close();

    // The record survives reopening: nothing pending.
    const reopened = openStore(path);
    const status = await reopened.migrations.status();
    expect(status.executed.map((migration) => migration.name)).toEqual(['0001_initial']);
    expect(status.pending).toEqual([]);
    await expect(reopened.migrations.assertCurrent()).resolves.toBeUndefined();
    reopened.close();
  });

  it('roll a failing migration back whole, leaving the database as it was', async () => {
    const migrationsDir = join(tempDir(), 'migrations');
    cpSync(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path, { migrationsDir });
    await store.migrations.up();
    store.db.prepare(`INSERT INTO harvest_runs (command, started_at) VALUES ('run', 1)`).run();
    const before = schema(store);

    // Half of this migration works; the second statement fails.
    writeFileSync(
      join(migrationsDir, '0002_broken.up.sql'),
      `CREATE TABLE half_done (id INTEGER PRIMARY KEY);
       INSERT INTO half_done VALUES (1);
       UPDATE harvest_runs SET command = 'changed';
       INSERT INTO no_such_table VALUES (1);`,
    );
    writeFileSync(join(migrationsDir, '0002_broken.down.sql'), 'DROP TABLE half_done;');
    const failure = await store.migrations.up().catch((error: unknown) => error);
    expect(isStoreError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: '0002_broken' });

    expect(schema(store)).toEqual(before);
    expect(store.db.prepare('SELECT command FROM harvest_runs').pluck().all()).toEqual(['run']);
    expect((await store.migrations.status()).pending).toEqual(['0002_broken']);
    store.close();
  });

  it('refuse a database written by a newer ClanStats', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    await store.migrations.up();
    store.db
      .prepare(`INSERT INTO _migrations (name, executed_at) VALUES ('9999_from_the_future', 'x')`)
      .run();
    await expect(store.migrations.up()).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
    await expect(store.migrations.assertCurrent()).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
    });
    store.close();
  });

  it('report an unmigrated database as outdated', async () => {
    const store = openStore(join(tempDir(), 'clan_data.db'));
    await expect(store.migrations.assertCurrent()).rejects.toMatchObject({
      code: 'SCHEMA_OUTDATED',
    });
    store.close();
  });
});
