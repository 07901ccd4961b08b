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

const allMigrations = [
  '0001_initial',
  '0002_discord_answers_relay',
  '0003_window_gains_link_blocks',
  '0004_discord_author_days',
  '0005_discord_channel_days',
  '0006_snapshot_overall',
  '0007_summary_posts',
];

describe('migrations', () => {
  it('go up, down and up again on a real file', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    expect(await store.migrations.up()).toEqual(allMigrations);
    const migrated = schema(store);
    expect(migrated.map((entry) => entry.name)).toContain('discord_messages');
    expect(migrated.map((entry) => entry.name)).toContain('wom_snapshot_values');
    expect(await store.migrations.up()).toEqual([]);

    // Down one step at a time, newest first, to an empty schema.
    for (const name of [...allMigrations].reverse()) {
      expect(await store.migrations.down()).toEqual([name]);
    }
    expect(schema(store).map((entry) => entry.name)).toEqual(['_migrations']);
    expect((await store.migrations.status()).pending).toEqual(allMigrations);

    expect(await store.migrations.up()).toEqual(allMigrations);
    expect(schema(store)).toEqual(migrated);
    store.close();

    // The record survives reopening: nothing pending.
    const reopened = openStore(path);
    const status = await reopened.migrations.status();
    expect(status.executed.map((migration) => migration.name)).toEqual(allMigrations);
    expect(status.pending).toEqual([]);
    await expect(reopened.migrations.assertCurrent()).resolves.toBeUndefined();
    reopened.close();
  });

  it('upgrade a schema-v1 database with data to v2, keeping every row', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    await store.migrations.up();
    await store.migrations.down({ to: '0002_discord_answers_relay' });
    expect((await store.migrations.status()).pending).toEqual([
      '0002_discord_answers_relay',
      '0003_window_gains_link_blocks',
      '0004_discord_author_days',
      '0005_discord_channel_days',
      '0006_snapshot_overall',
      '0007_summary_posts',
    ]);
    // A v1 database: a message without the v2 columns.
    store.db
      .prepare(
        `INSERT INTO discord_messages (id, channel_id, author_id, is_question, relay_rsn)
         VALUES (1234567890123456789, 42, 7, 1, 'Sir Gowi')`,
      )
      .run();
    expect(await store.migrations.up()).toEqual([
      '0002_discord_answers_relay',
      '0003_window_gains_link_blocks',
      '0004_discord_author_days',
      '0005_discord_channel_days',
      '0006_snapshot_overall',
      '0007_summary_posts',
    ]);
    expect(
      store.db.prepare('SELECT is_question, relay_rsn, answer_to_id FROM discord_messages').all(),
    ).toEqual([{ is_question: 1, relay_rsn: 'Sir Gowi', answer_to_id: null }]);
    store.close();
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
      join(migrationsDir, '0099_broken.up.sql'),
      `CREATE TABLE half_done (id INTEGER PRIMARY KEY);
       INSERT INTO half_done VALUES (1);
       UPDATE harvest_runs SET command = 'changed';
       INSERT INTO no_such_table VALUES (1);`,
    );
    writeFileSync(join(migrationsDir, '0099_broken.down.sql'), 'DROP TABLE half_done;');
    const failure = await store.migrations.up().catch((error: unknown) => error);
    expect(isStoreError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: '0099_broken' });

    expect(schema(store)).toEqual(before);
    expect(store.db.prepare('SELECT command FROM harvest_runs').pluck().all()).toEqual(['run']);
    expect((await store.migrations.status()).pending).toEqual(['0099_broken']);
    store.close();
  });

  it('refuse a database written by a newer ClanStats', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    await store.migrations.up();
    store.db
      .prepare(`INSERT INTO _migrations (name, executed_at) VALUES ('9999_from_the_future', 'x')`)
      .run();
    await expect(store.migrations.up()).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      migration: '9999_from_the_future',
      message: expect.stringMatching(
        /has migration 9999_from_the_future, and this ClanStats knows migrations up to \d{4}_\w+\. Upgrade ClanStats, or restore a backup/,
      ) as unknown,
    });
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
