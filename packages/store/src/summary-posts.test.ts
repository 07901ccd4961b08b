import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type SummaryPostKind } from './index.js';
import { migratedStore, tempDir } from './test-helpers.js';

const day = 86_400_000;
const t0 = Date.parse('2026-11-01T18:00:00Z');
// Larger than 2^53: a snowflake that a JavaScript number would round.
const messageId = '1300000000000000001';
const channelId = '1234567890123456789';

describe('store.summaryPosts', () => {
  it('has no post before the first one is recorded', async () => {
    const store = await migratedStore();
    expect(store.summaryPosts.latest('weekly')).toBeUndefined();
    expect(store.summaryPosts.recent('weekly')).toEqual([]);
  });

  it('records a post and returns it with its snowflakes exact', async () => {
    const store = await migratedStore();
    const recorded = store.summaryPosts.record({
      kind: 'weekly',
      asOf: new Date(t0),
      postedAt: '2026-11-01T18:00:05Z',
      messageId,
      channelId,
    });
    expect(recorded).toEqual({
      id: 1,
      kind: 'weekly',
      asOf: t0,
      postedAt: t0 + 5000,
      messageId,
      channelId,
    });
    expect(store.summaryPosts.latest('weekly')).toEqual(recorded);
    expect(
      store.db
        .prepare('SELECT typeof(message_id), typeof(channel_id) FROM summary_posts')
        .raw()
        .get(),
    ).toEqual(['integer', 'integer']);
  });

  it('latest is the post with the latest as-of time, whatever the order they were recorded in', async () => {
    const store = await migratedStore();
    const base = { kind: 'weekly' as const, messageId, channelId };
    store.summaryPosts.record({ ...base, asOf: t0 + 7 * day, postedAt: t0 + 7 * day });
    // An export re-run for an earlier week posts after the newer one.
    store.summaryPosts.record({ ...base, asOf: t0, postedAt: t0 + 8 * day });
    expect(store.summaryPosts.latest('weekly')?.asOf).toBe(t0 + 7 * day);
    const again = store.summaryPosts.record({ ...base, asOf: t0 + 7 * day, messageId: '42' });
    expect(store.summaryPosts.latest('weekly')).toEqual(again);
    expect(store.summaryPosts.recent('weekly', 2).map((post) => post.id)).toEqual([3, 2]);
  });

  it('refuses an unknown kind, an invalid date or a malformed snowflake, and writes nothing', async () => {
    const store = await migratedStore();
    const base = { kind: 'weekly' as const, asOf: t0, messageId, channelId };
    const attempts = [
      { ...base, kind: 'daily' as SummaryPostKind },
      { ...base, asOf: 'not a date' },
      { ...base, messageId: '12ab' },
      { ...base, channelId: '99999999999999999999' },
    ];
    for (const attempt of attempts) {
      expect(() => store.summaryPosts.record(attempt)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
      );
    }
    expect(() => store.summaryPosts.latest('monthly' as SummaryPostKind)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
    expect(store.db.prepare('SELECT count(*) FROM summary_posts').pluck().get()).toBe(0);
  });

  it('survives closing and reopening the file, and migration 0007 goes down and up again', async () => {
    const path = join(tempDir(), 'clan_data.db');
    const store = openStore(path);
    await store.migrations.up();
    store.summaryPosts.record({ kind: 'weekly', asOf: t0, messageId, channelId });
    store.close();
    const reopened = openStore(path);
    try {
      expect(reopened.summaryPosts.latest('weekly')?.messageId).toBe(messageId);
      expect(await reopened.migrations.down()).toEqual(['0007_summary_posts']);
      expect(
        reopened.db
          .prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'summary_posts%'`)
          .pluck()
          .get(),
      ).toBe(0);
      expect(await reopened.migrations.up()).toEqual(['0007_summary_posts']);
    } finally {
      reopened.close();
    }
  });
});
