import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { millisToSnowflake, snowflakeToMillis, type MessageRecord, type Store } from './index.js';
import { migratedStore } from './test-helpers.js';

const guildId = '1100000000000000001';
const channelId = '1100000000000000002';
const otherChannelId = '1100000000000000003';
const t0 = Date.parse('2026-03-01T12:00:00.000Z');

// Snowflakes above 2^53: Number() would corrupt them; order must follow BigInt order.
function messageAt(
  millis: number,
  authorId: string,
  extra: Partial<MessageRecord> = {},
): MessageRecord {
  const id = (BigInt(millisToSnowflake(millis)) + 1n).toString();
  return { id, channelId, authorId, ...extra };
}

async function withChannel(): Promise<Store> {
  const store = await migratedStore();
  store.discord.upsertGuild({ id: guildId, name: 'Clan <b>HQ</b>' });
  store.discord.upsertChannels([{ id: channelId, guildId, type: 0, name: 'general' }]);
  return store;
}

const human = 'is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)';

/** `discord_author_days` as stored, and as a GROUP BY over `discord_messages` would have it. */
function authorDays(store: Store): { stored: unknown[]; expected: unknown[] } {
  const read = (sql: string): unknown[] => store.db.prepare(sql).safeIntegers(true).all();
  return {
    stored: read(`SELECT author_id, day, messages, questions, answers, first_id, last_id
      FROM discord_author_days ORDER BY author_id, day`),
    expected: read(`SELECT author_id, created_at / 86400000 AS day, count(*) AS messages,
        sum(is_question = 1) AS questions, sum(answer_to_id IS NOT NULL) AS answers,
        min(id) AS first_id, max(id) AS last_id
      FROM discord_messages WHERE ${human} GROUP BY author_id, created_at / 86400000
      ORDER BY author_id, day`),
  };
}

/** `discord_channel_days` as stored, and as a GROUP BY over `discord_messages` would have it. */
function channelDays(store: Store): { stored: unknown[]; expected: unknown[] } {
  const read = (sql: string): unknown[] => store.db.prepare(sql).safeIntegers(true).all();
  return {
    stored: read(`SELECT channel_id, day, messages, questions, answers
      FROM discord_channel_days ORDER BY channel_id, day`),
    expected: read(`SELECT channel_id, created_at / 86400000 AS day, count(*) AS messages,
        sum(is_question = 1) AS questions, sum(answer_to_id IS NOT NULL) AS answers
      FROM discord_messages WHERE ${human} GROUP BY channel_id, created_at / 86400000
      ORDER BY channel_id, day`),
  };
}

/** Both day rollups (per author, per channel) equal a GROUP BY over the stored messages. */
function expectAuthorDaysCurrent(store: Store): void {
  const { stored, expected } = authorDays(store);
  expect(stored).toEqual(expected);
  const channels = channelDays(store);
  expect(channels.stored).toEqual(channels.expected);
}

const messageCount = (store: Store): number =>
  store.db.prepare('SELECT count(*) FROM discord_messages').pluck().get() as number;

describe('Discord writers', () => {
  it('keep 64-bit snowflakes exact and time-ordered', async () => {
    const store = await withChannel();
    const ids = [
      '9007199254740993',
      '10000000000000000',
      '1234567890123456789',
      '999999999999999999',
    ];
    store.discord.insertMessages(ids.map((id) => ({ id, channelId, authorId: '42' })));
    const stored = store.db
      .prepare('SELECT id FROM discord_messages ORDER BY id')
      .safeIntegers(true)
      .pluck()
      .all() as bigint[];
    expect(stored.map(String)).toEqual(
      [...ids].sort((left, right) => (BigInt(left) < BigInt(right) ? -1 : 1)),
    );
    expect(snowflakeToMillis('175928847299117063')).toBe(Date.parse('2016-04-30T11:18:25.796Z'));
  });

  it('are idempotent, and apply edits only when the message changed', async () => {
    const store = await withChannel();
    const messages = Array.from({ length: 57 }, (_, index) =>
      messageAt(t0 + index * 1000, String(1000 + (index % 3)), {
        isQuestion: index % 5 === 0,
        type: index % 2 === 0 ? 0 : 19,
      }),
    );
    expect(store.discord.insertMessages(messages)).toBe(57);
    const before = store.db.prepare('SELECT * FROM discord_messages ORDER BY id').all();
    expect(store.discord.insertMessages(messages)).toBe(0);
    expect(store.db.prepare('SELECT * FROM discord_messages ORDER BY id').all()).toEqual(before);

    const edited = { ...(messages[3] as MessageRecord), editedAt: t0 + 99_000 };
    expect(store.discord.insertMessages([edited])).toBe(1);
    expect(messageCount(store)).toBe(57);
  });

  it('write a page and its checkpoint together, or neither', async () => {
    const store = await withChannel();
    const good = [messageAt(t0, '1'), messageAt(t0 + 1000, '2')];
    store.discord.writePage({
      users: [
        { id: '1', username: 'alice', globalName: 'Alice' },
        { id: '2', username: 'bob' },
      ],
      messages: good,
      checkpoint: {
        channelId,
        newestId: good[1]?.id ?? null,
        oldestId: good[0]?.id ?? null,
        backfillDone: false,
        backfillSince: null,
      },
    });
    const checkpoint = store.discord.getCheckpoint(channelId);
    expect(checkpoint).toMatchObject({
      newestId: good[1]?.id,
      oldestId: good[0]?.id,
      backfillDone: false,
    });

    // A finished backfill reads back as finished (the row holds 1, read as a 64-bit integer).
    if (checkpoint === undefined) throw new Error('no checkpoint');
    store.discord.saveCheckpoint({ ...checkpoint, backfillDone: true, backfillSince: t0 });
    expect(store.discord.getCheckpoint(channelId)).toMatchObject({
      backfillDone: true,
      backfillSince: t0,
    });
    store.discord.saveCheckpoint(checkpoint, checkpoint.updatedAt);

    // A page whose third message is malformed: nothing of it may land, and the checkpoint stays.
    const bad = [
      messageAt(t0 + 2000, '1'),
      messageAt(t0 + 3000, '2'),
      { id: 'not-a-snowflake', channelId, authorId: '1' },
    ];
    expect(() =>
      store.discord.writePage({
        messages: bad,
        checkpoint: {
          channelId,
          newestId: bad[1]?.id ?? null,
          oldestId: good[0]?.id ?? null,
          backfillDone: true,
          backfillSince: null,
        },
      }),
    ).toThrow(/message.id is not a Discord snowflake/);
    expect(messageCount(store)).toBe(2);
    expect(store.discord.getCheckpoint(channelId)).toEqual(checkpoint);
    expect(store.discord.listCheckpoints()).toEqual([checkpoint]);
  });

  it('count human messages, questions, answers and relayed clan chat per window', async () => {
    const store = await withChannel();
    const question = messageAt(t0 - 2 * 86_400_000, '1', { isQuestion: true });
    const first = messageAt(t0 - 3000_000, '3', { isBot: true, relayRsn: 'Sir Gowi' });
    const second = messageAt(t0 - 2000_000, '3', { isBot: true });
    store.discord.writePage({
      messages: [
        messageAt(t0 - 40 * 86_400_000, '1'),
        question,
        messageAt(t0 - 86_400_000, '1', { replyToId: '5' }),
        messageAt(t0 - 3600_000, '2', {
          type: 19,
          replyToId: question.id,
          answerToId: question.id,
        }),
        first,
        second,
        messageAt(t0 - 1000_000, '4', { type: 21 }),
        messageAt(t0 - 900_000, '4', { type: 7 }),
      ],
      relayLines: [
        { messageId: first.id, line: 0, rsn: 'Sir Gowi', normalizedRsn: 'sir gowi' },
        { messageId: second.id, line: 0, rsn: 'sir_gowi', normalizedRsn: 'sir gowi' },
        {
          messageId: second.id,
          line: 1,
          rsn: 'Zezima',
          normalizedRsn: 'zezima',
          isQuestion: true,
        },
      ],
      checkpoint: {
        channelId,
        newestId: null,
        oldestId: null,
        backfillDone: true,
        backfillSince: null,
      },
    });
    const week = { since: t0 - 7 * 86_400_000, until: t0 };
    expect(store.read.authorActivity(week)).toEqual([
      {
        authorId: '1',
        messages: 2,
        questions: 1,
        replies: 1,
        answers: 0,
        firstAt: t0 - 2 * 86_400_000,
        lastAt: t0 - 86_400_000,
      },
      {
        authorId: '2',
        messages: 1,
        questions: 0,
        replies: 1,
        answers: 1,
        firstAt: t0 - 3600_000,
        lastAt: t0 - 3600_000,
      },
    ]);
    expect(store.read.authorActivity({ since: t0 - 60 * 86_400_000, until: t0 })[0]?.messages).toBe(
      3,
    );
    // One row per in-game name under WOM's normalisation, spelled as in its latest line.
    expect(store.read.relayActivity(week)).toEqual([
      { rsn: 'sir_gowi', normalizedRsn: 'sir gowi', messages: 2, lastAt: t0 - 2000_000 },
      { rsn: 'Zezima', normalizedRsn: 'zezima', messages: 1, lastAt: t0 - 2000_000 },
    ]);
    const buckets = store.read.messageBuckets(week, 3600_000);
    expect(buckets.reduce((sum, [, count]) => sum + count, 0)).toBe(3);
  });

  it('store relayed lines idempotently, and reject a bad line number', async () => {
    const store = await withChannel();
    const message = messageAt(t0, '3', { isBot: true });
    store.discord.insertMessages([message]);
    const line = { messageId: message.id, line: 0, rsn: 'Zezima', normalizedRsn: 'zezima' };
    expect(store.discord.insertRelayLines([line])).toBe(1);
    expect(store.discord.insertRelayLines([line])).toBe(0);
    expect(store.discord.insertRelayLines([{ ...line, content: 'gz' }])).toBe(1);
    expect(() => store.discord.insertRelayLines([{ ...line, line: -1 }])).toThrow(
      /relayLine.line must be a non-negative integer/,
    );
    expect(
      store.db
        .prepare('SELECT created_at FROM discord_relay_lines WHERE message_id = ?')
        .pluck()
        .get(message.id),
    ).toBe(t0);
  });

  it('store guild members and nicknames idempotently', async () => {
    const store = await withChannel();
    store.discord.upsertUsers([{ id: '1', username: 'alice' }]);
    expect(
      store.discord.upsertMembers(guildId, [{ userId: '1', nickname: 'Sir Gowi', roles: ['7'] }]),
    ).toBe(1);
    expect(
      store.discord.upsertMembers(guildId, [{ userId: '1', nickname: 'Sir Gowi', roles: ['7'] }]),
    ).toBe(0);
    expect(store.discord.upsertMembers(guildId, [{ userId: '1', nickname: 'Gowi' }])).toBe(1);
  });

  it('keep discord_author_days equal to a GROUP BY over the messages', async () => {
    const store = await withChannel();
    const midnight = Date.parse('2026-03-02T00:00:00.000Z');
    // Around midnight: the last and first snowflakes of a day, and the ones next to them.
    const edge = (offset: bigint, authorId: string, extra: Partial<MessageRecord> = {}) => ({
      id: (BigInt(millisToSnowflake(midnight)) + offset).toString(),
      channelId,
      authorId,
      ...extra,
    });
    const first = [
      edge(-1n, '7', { isQuestion: true }),
      edge(0n, '7'),
      edge(1n, '7', { answerToId: '5' }),
      edge(-(1n << 22n), '7', { type: 19 }),
      edge(1n << 22n, '8'),
      messageAt(t0, '7', { isBot: true }),
      messageAt(t0 + 1, '7', { isWebhook: true }),
      messageAt(t0 + 2, '7', { type: 7 }),
      messageAt(t0 + 3, '8', { isQuestion: true, answerToId: '9' }),
      messageAt(t0 + 3, '8'), // a repeat within the call: stored once, then edited
      messageAt(t0 - 86_400_000 * 40, '9223372036854775807'),
    ];
    expect(store.discord.insertMessages(first)).toBe(first.length);
    expectAuthorDaysCurrent(store);

    // An overlapping page: old messages (one edited into a question, one no longer an answer),
    // and new ones; written twice, which changes nothing the second time.
    const second = [
      { ...(first[1] as MessageRecord), isQuestion: true, editedAt: t0 },
      { ...(first[2] as MessageRecord), answerToId: null, editedAt: t0 },
      first[4] as MessageRecord,
      messageAt(t0 + 4, '8', { answerToId: '1' }),
      messageAt(t0 + 86_400_000, '8'),
    ];
    for (let pass = 0; pass < 2; pass += 1) {
      store.discord.writePage({
        messages: second,
        checkpoint: {
          channelId,
          newestId: null,
          oldestId: null,
          backfillDone: false,
          backfillSince: null,
        },
      });
      expectAuthorDaysCurrent(store);
    }
    expect(
      store.db
        .prepare('SELECT sum(messages), sum(questions), sum(answers) FROM discord_author_days')
        .raw(true)
        .get(),
    ).toEqual([9, 2, 1]);

    // A page that fails half-way leaves the day sums as they were.
    const before = authorDays(store).stored;
    expect(() =>
      store.discord.insertMessages([
        messageAt(t0 + 5, '7'),
        { id: 'not-a-snowflake', channelId, authorId: '7' },
      ]),
    ).toThrow(/not a Discord snowflake/);
    expect(authorDays(store).stored).toEqual(before);

    // Deleting messages (no writer does; the trigger keeps the sums right anyway).
    store.db
      .prepare('DELETE FROM discord_messages WHERE id IN (?, ?, ?)')
      .run(first[1]?.id, first[3]?.id, first[4]?.id);
    expectAuthorDaysCurrent(store);
  });

  it('keep discord_author_days right for any mix of new, repeated and edited messages', async () => {
    const day = 86_400_000;
    const message = fc.record({
      at: fc.integer({ min: 0, max: 15 }), // quarter days over 4 days: 80 ids, many repeats
      near: fc.constantFrom(0n, 1n, -1n, -4_194_304n, 4_194_303n), // next to midnight
      author: fc.constantFrom('11', '12', '13'),
      type: fc.constantFrom(0, 19, 6),
      isBot: fc.integer({ min: 0, max: 7 }).map((value) => value === 0),
      isWebhook: fc.integer({ min: 0, max: 7 }).map((value) => value === 0),
      isQuestion: fc.boolean(),
      answer: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(message, { minLength: 1, maxLength: 60 }), {
          minLength: 2,
          maxLength: 5,
        }),
        async (calls) => {
          const store = await withChannel();
          const start = BigInt(millisToSnowflake(Date.parse('2026-03-01T00:00:00.000Z')));
          for (const call of calls) {
            store.discord.insertMessages(
              call.map((entry) => ({
                // The same at and near give the same id: a repeat, maybe with other flags.
                id: (start + (BigInt(entry.at * (day / 4)) << 22n) + entry.near).toString(),
                // A message's channel follows from its id, as in Discord: two channels in play.
                channelId: entry.at % 3 === 0 ? otherChannelId : channelId,
                authorId: entry.author,
                type: entry.type,
                isBot: entry.isBot,
                isWebhook: entry.isWebhook,
                isQuestion: entry.isQuestion,
                answerToId: entry.answer ? '1' : null,
              })),
            );
            expectAuthorDaysCurrent(store);
          }
          store.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('backfill discord_channel_days in migration 0005', async () => {
    const store = await withChannel();
    store.discord.insertMessages(
      Array.from({ length: 200 }, (_, index) => ({
        ...messageAt(t0 + index * 3_600_000, String(20 + (index % 4)), {
          type: index % 5 === 0 ? 19 : index % 11 === 0 ? 8 : 0,
          isBot: index % 13 === 0,
          isQuestion: index % 3 === 0,
        }),
        channelId: index % 2 === 0 ? channelId : otherChannelId,
      })),
    );
    const written = channelDays(store);
    expect(written.stored).toEqual(written.expected);
    expect(written.stored.length).toBeGreaterThan(2);
    await store.migrations.down({ to: '0005_discord_channel_days' });
    await store.migrations.up();
    expect(channelDays(store)).toEqual(written);
  });

  it('backfill discord_author_days in migration 0004', async () => {
    const store = await withChannel();
    const messages = Array.from({ length: 300 }, (_, index) =>
      messageAt(t0 + index * 3_600_000 + (index % 7), String(20 + (index % 4)), {
        type: index % 5 === 0 ? 19 : index % 11 === 0 ? 8 : 0,
        isBot: index % 13 === 0,
        isQuestion: index % 3 === 0,
        answerToId: index % 4 === 0 ? '1' : null,
      }),
    );
    store.discord.insertMessages(messages);
    const written = authorDays(store);
    expect(written.stored).toEqual(written.expected);
    await store.migrations.down({ to: '0004_discord_author_days' });
    await store.migrations.up();
    expect(authorDays(store)).toEqual(written);
  });
});
