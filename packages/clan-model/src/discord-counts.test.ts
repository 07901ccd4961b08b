import { millisToSnowflake, type MessageRecord } from '@clanstats/store';
import { createRandom, hashString } from '@clanstats/testkit';
import { describe, expect, it } from 'vitest';
import { computeClanSummary } from './index.js';
import {
  CHANNEL,
  DAY,
  addPlayer,
  discordUser,
  link,
  migratedStore,
  roster,
} from './test-helpers.js';

const WINDOWS = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
// #general, and two channels the store does not know (listed under their ids).
const CHANNELS = [CHANNEL, '900000000000000020', '900000000000000021'];

interface Written {
  at: number;
  id: bigint;
  author: string;
  channel: string;
  human: boolean;
  isQuestion: boolean;
  answer: boolean;
}

// Per-author counts come from the day rollup discord_author_days plus exact id-range reads of the
// partial days at the window edges: they must equal a plain count over the messages.
describe('Discord counts over windows', () => {
  const midday = Date.UTC(2026, 2, 31, 12, 0, 0);
  const midnight = Date.UTC(2026, 2, 31);
  it.each([
    ['at midday', midday],
    ['at midnight', midnight],
    ['a millisecond before midnight', midnight - 1],
    ['at an odd millisecond', midday + 3_723_457],
  ])('equal a brute-force count, as of %s', async (_, asOf) => {
    const random = createRandom(hashString(`discord-counts-${asOf}`));
    const store = await migratedStore();
    const dayStart = (at: number) => Math.floor(at / DAY) * DAY;
    // Joins: mid-day, at midnight, within asOf's last day, before the year, and on a busy moment.
    const joins = [
      asOf - 40 * DAY - 5_000_123,
      dayStart(asOf - 200 * DAY),
      asOf - 0.4 * DAY,
      asOf - 500 * DAY,
      asOf - 90 * DAY,
    ];
    const authors = Array.from({ length: 9 }, (_, index) =>
      (800_000_000_000_000_100n + BigInt(index) * 1_000_003n).toString(),
    );
    joins.forEach((_, index) => {
      addPlayer(store, index + 1, `Player ${index + 1}`);
    });
    roster(
      store,
      asOf - 0.3 * DAY,
      joins.map((joinedAt, index) => ({ playerId: index + 1, joinedAt })),
    );
    authors.forEach((author, index) => {
      discordUser(store, author, `user${index}`);
    });
    // Players 1..5 linked to authors 0..4; player 1 also to author 5; authors 6..8 are unmatched.
    joins.forEach((_, index) => {
      link(store, authors[index] as string, index + 1);
    });
    link(store, authors[5] as string, 1);

    // Times: spread over 420 days, plus the edges: window starts, midnights, joins and asOf.
    const edges = [
      ...Object.values(WINDOWS).map((days) => asOf - days * DAY),
      ...joins,
      asOf,
      dayStart(asOf),
      dayStart(asOf - 7 * DAY),
      dayStart(asOf - 365 * DAY),
    ];
    const times: number[] = [];
    for (let index = 0; index < 700; index += 1) {
      if (random.chance(0.4)) {
        const edge = random.pick(edges);
        times.push(edge + random.pick([-1, 0, 0, 1, -DAY, DAY, 1000]));
      } else {
        times.push(asOf - random.int(-2 * DAY, 420 * DAY));
      }
    }
    const written = new Map<bigint, Written>();
    const records: MessageRecord[] = times.map((at) => {
      const id = BigInt(millisToSnowflake(at)) + BigInt(random.int(0, 4_194_303));
      const author = random.pick(authors);
      const channel = random.pick(CHANNELS);
      const type = random.pick([0, 0, 0, 19, 6]);
      const isBot = random.chance(0.05);
      const isWebhook = random.chance(0.05);
      const isQuestion = random.chance(0.2);
      const answer = random.chance(0.15);
      if (!written.has(id)) {
        written.set(id, {
          at,
          id,
          author,
          channel,
          human: !isBot && !isWebhook && (type === 0 || type === 19),
          isQuestion,
          answer,
        });
      }
      return {
        id: id.toString(),
        channelId: channel,
        authorId: author,
        type,
        isBot,
        isWebhook,
        isQuestion,
        answerToId: answer ? '1' : null,
      };
    });
    // Written in random batches, some twice; then some edited into or out of questions and answers.
    for (let start = 0; start < records.length;) {
      const size = random.int(1, 120);
      const batch = records.slice(start, start + size);
      store.discord.insertMessages(batch);
      if (random.chance(0.3)) store.discord.insertMessages(batch);
      start += size;
    }
    const edits = records
      .filter(() => random.chance(0.1))
      .map((record) => {
        const entry = written.get(BigInt(record.id)) as Written;
        entry.isQuestion = !entry.isQuestion;
        entry.answer = !entry.answer;
        return {
          ...record,
          isQuestion: entry.isQuestion,
          answerToId: entry.answer ? '2' : null,
          editedAt: asOf,
        };
      });
    store.discord.insertMessages(edits);

    const summary = computeClanSummary(store, { asOf });
    const count = (authorIds: readonly string[], since: number) => {
      const matching = [...written.values()].filter(
        (entry) =>
          entry.human && authorIds.includes(entry.author) && entry.at >= since && entry.at <= asOf,
      );
      return {
        messages: matching.length,
        questions: matching.filter((entry) => entry.isQuestion).length,
        answers: matching.filter((entry) => entry.answer).length,
      };
    };
    const lastAt = (authorIds: readonly string[]) => {
      const ats = [...written.values()]
        .filter((entry) => entry.human && authorIds.includes(entry.author) && entry.at <= asOf)
        .map((entry) => entry.at);
      return ats.length === 0 ? null : Math.max(...ats);
    };
    expect(summary.members).toHaveLength(joins.length);
    for (const member of summary.members) {
      const authorIds = member.discordUsers.map((user) => user.userId);
      expect(member.windows.all.since).toBe(joins[member.playerId - 1]);
      for (const [key, days] of Object.entries(WINDOWS)) {
        const window = member.windows[key as keyof typeof WINDOWS];
        expect(window.since).toBe(asOf - days * DAY);
        expect(window, `player ${member.playerId}, ${key}`).toMatchObject(
          count(authorIds, asOf - days * DAY),
        );
      }
      expect(member.windows.all, `player ${member.playerId}, all`).toMatchObject(
        count(authorIds, member.windows.all.since),
      );
      expect(member.lastDiscordMessageAt).toBe(lastAt(authorIds));
    }
    const unmatched = authors
      .slice(6)
      .filter((author) => count([author], asOf - 30 * DAY).messages > 0);
    expect(summary.unmatchedDiscord.map((user) => user.userId).sort()).toEqual(unmatched.sort());
    for (const user of summary.unmatchedDiscord) {
      expect(user.messages).toEqual(
        Object.fromEntries(
          Object.entries(WINDOWS).map(([key, days]) => [
            key,
            count([user.userId], asOf - days * DAY).messages,
          ]),
        ),
      );
      expect(user.lastMessageAt).toBe(lastAt([user.userId]));
    }
    // Per channel: every author's human messages.
    const channelCount = (channel: string, since: number) => {
      const matching = [...written.values()].filter(
        (entry) =>
          entry.human && entry.channel === channel && entry.at >= since && entry.at <= asOf,
      );
      return {
        messages: matching.length,
        questions: matching.filter((entry) => entry.isQuestion).length,
        answers: matching.filter((entry) => entry.answer).length,
      };
    };
    const listed = CHANNELS.filter(
      (channel) => channelCount(channel, asOf - 365 * DAY).messages > 0,
    );
    expect(summary.channels.map((channel) => channel.channelId).sort()).toEqual(listed.sort());
    for (const channel of summary.channels) {
      for (const [key, days] of Object.entries(WINDOWS)) {
        expect(
          channel.windows[key as keyof typeof WINDOWS],
          `channel ${channel.channelId}, ${key}`,
        ).toMatchObject(channelCount(channel.channelId, asOf - days * DAY));
      }
    }
  });
});
