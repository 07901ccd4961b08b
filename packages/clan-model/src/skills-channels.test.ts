import type { Store } from '@clanstats/store';
import { describe, expect, it } from 'vitest';
import { computeClanSummary } from './index.js';
import {
  CHANNEL,
  DAY,
  GUILD,
  HOUR,
  RELAY_BOT,
  addPlayer,
  discordUser,
  messageId,
  migratedStore,
  roster,
  snapshot,
} from './test-helpers.js';

const asOf = Date.UTC(2026, 2, 31, 12);
const MINUTE = 60_000;

describe('xpBySkill', () => {
  it('holds the XP gained per skill with the same baseline and rule as xp', async () => {
    const store = await migratedStore();
    addPlayer(store, 1, 'Alpha');
    addPlayer(store, 2, 'Bravo');
    roster(store, asOf - 100 * DAY, [{ playerId: 1 }, { playerId: 2 }]);
    snapshot(store, 1, asOf - 31 * DAY, {
      xp: 1_000_000,
      skills: { attack: 500_000, woodcutting: 300_000, mining: -1, fishing: 200_000 },
    });
    snapshot(store, 1, asOf - DAY, {
      xp: 1_200_000,
      // attack +100,000; woodcutting decreases (counts 0); mining unranked at the base (a skill:
      // counts 0, never invented); fishing unchanged: only attack is listed.
      skills: { attack: 600_000, woodcutting: 280_000, mining: 50_000, fishing: 200_000 },
    });
    const summary = computeClanSummary(store, { asOf });
    const alpha = summary.members.find((member) => member.playerId === 1);
    expect(alpha?.windows['30d']).toMatchObject({ xp: 200_000, xpBySkill: { attack: 100_000 } });
    expect(Object.keys(alpha?.windows['30d'].xpBySkill ?? {})).toEqual(['attack']);
    // 'all' (joined 100 days ago, first tracked 31 days ago): since the first snapshot.
    expect(alpha?.windowSources.all.source).toBe('since_first_snapshot');
    expect(alpha?.windows.all.xpBySkill).toEqual({ attack: 100_000 });
    // 7d: the base is 24 days older than the window start (stale): xp and xpBySkill are null.
    expect(alpha?.windowSources['7d'].reason).toBe('stale_baseline');
    expect(alpha?.windows['7d']).toMatchObject({ xp: null, xpBySkill: null });
    // Never tracked: null in every window.
    const bravo = summary.members.find((member) => member.playerId === 2);
    for (const window of Object.values(bravo?.windows ?? {})) {
      expect(window).toMatchObject({ xp: null, xpBySkill: null });
    }
    // Never negative, and null exactly when xp is.
    for (const member of summary.members) {
      for (const window of Object.values(member.windows)) {
        expect(window.xpBySkill === null).toBe(window.xp === null);
        for (const gain of Object.values(window.xpBySkill ?? {})) expect(gain).toBeGreaterThan(0);
      }
    }
  });
});

describe('channels', () => {
  const HELP = '900000000000000010';
  const THREAD = '900000000000000011';
  const OLD = '900000000000000012';
  const [U1, U2, U3] = ['700000000000000001', '700000000000000002', '700000000000000003'];

  function write(
    store: Store,
    channelId: string,
    authorId: string,
    at: number,
    options: { isQuestion?: boolean; answerToId?: string; isBot?: boolean } = {},
  ): string {
    const id = messageId(at);
    store.discord.insertMessages([
      {
        id,
        channelId,
        authorId,
        isQuestion: options.isQuestion ?? false,
        answerToId: options.answerToId ?? null,
        isBot: options.isBot ?? false,
      },
    ]);
    return id;
  }

  it('counts human messages, questions, answers and answer times per channel and window', async () => {
    const store = await migratedStore();
    store.discord.upsertChannels(
      [
        { id: HELP, guildId: GUILD, type: 0, name: 'help' },
        {
          id: THREAD,
          guildId: GUILD,
          parentId: HELP,
          type: 11,
          name: 'help-thread',
          isThread: true,
        },
        { id: OLD, guildId: GUILD, type: 0, name: 'old' },
      ],
      0,
    );
    discordUser(store, U1, 'one');
    discordUser(store, U2, 'two');
    discordUser(store, U3, 'three');

    const q1 = write(store, HELP, U1, asOf - 2 * DAY, { isQuestion: true });
    // q1's first answer is in the thread, 30 minutes later: it counts for #help's answer time.
    write(store, THREAD, U2, asOf - 2 * DAY + 30 * MINUTE, { answerToId: q1 });
    write(store, HELP, U3, asOf - 2 * DAY + 60 * MINUTE, { answerToId: q1 });
    const q2 = write(store, HELP, U2, asOf - 20 * DAY, { isQuestion: true });
    write(store, HELP, U1, asOf - 20 * DAY + 2 * HOUR, { answerToId: q2 });
    write(store, HELP, U3, asOf - 7 * DAY); // the 7d window's first millisecond: inside
    write(store, HELP, U2, asOf - 7 * DAY - 1); // one millisecond before: outside 7d
    write(store, HELP, U1, asOf); // asOf itself: inside
    write(store, HELP, U2, asOf + 1); // after asOf: never counted
    write(store, HELP, U3, asOf - 100 * DAY, { isQuestion: true }); // never answered
    write(store, HELP, RELAY_BOT, asOf - DAY, { isBot: true }); // a bot: not counted
    write(store, CHANNEL, U1, asOf - DAY);
    write(store, CHANNEL, U1, asOf - 40 * DAY);
    write(store, CHANNEL, U2, asOf - 200 * DAY);
    write(store, OLD, U1, asOf - 366 * DAY); // before the 365d window: #old is not listed

    const { channels } = computeClanSummary(store, { asOf });
    // Most messages in 30 days first; ties (1 and 1) by name.
    expect(channels.map((channel) => channel.name)).toEqual(['help', 'general', 'help-thread']);
    const [help, general, thread] = channels;
    const halfHour = 30 * MINUTE;
    const bothQuestions = (30 * MINUTE + 2 * HOUR) / 2; // q1 (30 min) and q2 (2 h)
    expect(help).toEqual({
      channelId: HELP,
      name: 'help',
      parentId: null,
      isThread: false,
      windows: {
        '7d': { messages: 4, questions: 1, answers: 1, medianAnswerMs: halfHour },
        '30d': { messages: 7, questions: 2, answers: 2, medianAnswerMs: bothQuestions },
        '90d': { messages: 7, questions: 2, answers: 2, medianAnswerMs: bothQuestions },
        '365d': {
          messages: 8,
          questions: 3,
          answers: 2,
          medianAnswerMs: bothQuestions,
        },
      },
    });
    const once = { messages: 1, questions: 0, answers: 1, medianAnswerMs: null };
    expect(thread).toEqual({
      channelId: THREAD,
      name: 'help-thread',
      parentId: HELP,
      isThread: true,
      windows: { '7d': once, '30d': once, '90d': once, '365d': once },
    });
    const plain = (messages: number) => ({
      messages,
      questions: 0,
      answers: 0,
      medianAnswerMs: null,
    });
    expect(general).toEqual({
      channelId: CHANNEL,
      name: 'general',
      parentId: null,
      isThread: false,
      windows: { '7d': plain(1), '30d': plain(1), '90d': plain(2), '365d': plain(3) },
    });
  });

  it('lists a channel the store does not know under its id, and none without messages', async () => {
    const store = await migratedStore();
    expect(computeClanSummary(store, { asOf }).channels).toEqual([]);
    discordUser(store, U1, 'one');
    write(store, '900000000000000099', U1, asOf - HOUR);
    expect(computeClanSummary(store, { asOf }).channels).toMatchObject([
      {
        channelId: '900000000000000099',
        name: '900000000000000099',
        parentId: null,
        isThread: false,
      },
    ]);
  });
});
