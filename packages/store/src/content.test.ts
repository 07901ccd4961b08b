import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { millisToSnowflake, openStore, type Store } from './index.js';
import { migratedStore } from './test-helpers.js';

const guildId = '1100000000000000001';
const channelId = '1100000000000000002';
const t0 = Date.parse('2026-03-01T12:00:00.000Z');
const MESSAGE_TEXT = 'purple-heron-canary: anyone up for a Zulrah trip?';
const RELAY_TEXT = 'amber-otter-canary lf tob team';

/** Whether `text` is anywhere in the database's files (the file, its WAL and shared memory). */
function onDisk(path: string, text: string): boolean {
  return ['', '-wal', '-shm']
    .map((suffix) => `${path}${suffix}`)
    .filter((file) => existsSync(file))
    .some((file) => readFileSync(file).includes(text));
}

/** Two messages and a relayed clan-chat line with text, and a message without. */
function writeTexts(store: Store): void {
  const ids = [1, 2, 3].map((index) =>
    (BigInt(millisToSnowflake(t0 + index * 1000)) + 1n).toString(),
  );
  store.discord.upsertGuild({ id: guildId, name: 'Clan' });
  store.discord.upsertChannels([{ id: channelId, guildId, type: 0, name: 'general' }]);
  store.discord.insertMessages([
    { id: ids[0] ?? '', channelId, authorId: '1', isQuestion: true, content: MESSAGE_TEXT },
    { id: ids[1] ?? '', channelId, authorId: '2', isBot: true, content: `Zezima: ${RELAY_TEXT}` },
    { id: ids[2] ?? '', channelId, authorId: '1' },
  ]);
  store.discord.insertRelayLines([
    {
      messageId: ids[1] ?? '',
      line: 0,
      rsn: 'Zezima',
      normalizedRsn: 'zezima',
      content: RELAY_TEXT,
    },
  ]);
}

describe('message text', () => {
  it('is counted, purged in one go and gone from the file after vacuum', async () => {
    const store = await migratedStore();
    writeTexts(store);
    expect(store.countContent()).toEqual({ messages: 2, relayLines: 1 });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(onDisk(store.path, MESSAGE_TEXT)).toBe(true);

    expect(store.purgeContent()).toEqual({ messages: 2, relayLines: 1 });
    expect(store.countContent()).toEqual({ messages: 0, relayLines: 0 });
    // Everything else of the rows stays.
    expect(
      store.db.prepare('SELECT count(*) FROM discord_messages WHERE is_question = 1').pluck().get(),
    ).toBe(1);
    expect(store.db.prepare('SELECT rsn FROM discord_relay_lines').pluck().all()).toEqual([
      'Zezima',
    ]);
    expect(store.vacuum()).toBe(true);
    expect(existsSync(`${store.path}-wal`) ? readFileSync(`${store.path}-wal`).length : 0).toBe(0);
    for (const text of [MESSAGE_TEXT, RELAY_TEXT]) expect(onDisk(store.path, text)).toBe(false);
    // Nothing left to purge.
    expect(store.purgeContent()).toEqual({ messages: 0, relayLines: 0 });
    store.integrityCheck();
  });

  it('is purged from a database of an older schema (a backup before the relay-line table)', async () => {
    const migrated = await migratedStore();
    await migrated.migrations.down({ to: '0002_discord_answers_relay' });
    migrated.db
      .prepare(
        'INSERT INTO discord_messages (id, channel_id, author_id, content) VALUES (?, ?, ?, ?)',
      )
      .run(BigInt(millisToSnowflake(t0)), BigInt(channelId), 1, MESSAGE_TEXT);
    migrated.close();
    const store = openStore(migrated.path);
    try {
      expect(store.countContent()).toEqual({ messages: 1, relayLines: 0 });
      expect(store.purgeContent()).toEqual({ messages: 1, relayLines: 0 });
      store.vacuum();
    } finally {
      store.close();
    }
    expect(onDisk(migrated.path, MESSAGE_TEXT)).toBe(false);
  });
});
