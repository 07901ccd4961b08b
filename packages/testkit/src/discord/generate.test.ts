import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DISCORD_CHANNEL_TYPES,
  DISCORD_MESSAGE_TYPES,
  createSyntheticClan,
  createSyntheticDiscord,
  isTestkitError,
  snowflakeFromTime,
  timeFromSnowflake,
} from '../index.js';
import type { SyntheticDiscord, SyntheticDiscordMessage } from '../index.js';
import { QUESTION_WORDS, TEMPLATES } from './content.js';

const clan = createSyntheticClan();
const discord = createSyntheticDiscord(clan);
const byName = (name: string): string => {
  const channel = discord.channels.find((candidate) => candidate.name === name);
  if (channel === undefined) throw new Error(`no channel ${name}`);
  return channel.id;
};
const allMessages = (guild: SyntheticDiscord): SyntheticDiscordMessage[] =>
  guild.channels.flatMap((channel) => guild.messagesOf(channel.id));
const messages = allMessages(discord);
const QUESTION_START = new RegExp(`^\\W*(?:${QUESTION_WORDS.join('|')})\\b`, 'i');
const looksLikeQuestion = (text: string): boolean =>
  text.includes('?') || QUESTION_START.test(text);

function fingerprint(guild: SyntheticDiscord): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([guild.guild, guild.users, guild.members, guild.channels]));
  for (const channel of guild.channels)
    for (const message of guild.messagesOf(channel.id)) hash.update(JSON.stringify(message));
  return hash.digest('hex');
}

describe('createSyntheticDiscord: determinism and ids', () => {
  it('same clan and options give an identical guild; other options another', () => {
    const small = createSyntheticClan({ seed: 5, members: 12, days: 40 });
    const first = fingerprint(createSyntheticDiscord(small));
    expect(fingerprint(createSyntheticDiscord(small))).toBe(first);
    expect(fingerprint(createSyntheticDiscord(small, { timeZone: 'Asia/Tokyo' }))).not.toBe(first);
    const otherClan = createSyntheticClan({ seed: 6, members: 12, days: 40 });
    expect(fingerprint(createSyntheticDiscord(otherClan))).not.toBe(first);
  });

  it('ids are 17–19 digit snowflakes encoding their time, unique, ascending per channel', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const channel of discord.channels) {
      let previous = 0n;
      for (const message of discord.messagesOf(channel.id)) {
        if (!/^\d{17,19}$/.test(message.id)) problems.push(`length ${message.id}`);
        if (timeFromSnowflake(message.id) !== Date.parse(message.timestamp))
          problems.push(`time ${message.id}`);
        if (BigInt(message.id) <= previous) problems.push(`order ${message.id}`);
        if (seen.has(message.id)) problems.push(`duplicate ${message.id}`);
        previous = BigInt(message.id);
        seen.add(message.id);
      }
    }
    expect(problems).toEqual([]);
    for (const id of [discord.guild.id, ...discord.channels.map((channel) => channel.id)])
      expect(id).toMatch(/^\d{17,19}$/);
    expect(seen.size).toBe(discord.totalMessages);
    // Sorting by id sorts by time across the whole guild.
    const sorted = messages
      .map((message) => BigInt(message.id))
      .sort((left, right) => (left < right ? -1 : 1));
    const times = sorted.map(timeFromSnowflake);
    expect(times.every((time, index) => index === 0 || time >= (times[index - 1] ?? 0))).toBe(true);
    expect(snowflakeFromTime(Date.UTC(2016, 3, 30, 11, 18, 25, 796))).toBe('175928847298985984');
  });

  it('covers a year of history up to the clan’s now', () => {
    const times = messages.map((message) => Date.parse(message.timestamp));
    expect(Math.min(...times)).toBeLessThan(Date.parse(clan.startedAt) + 3 * 86_400_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(clan.now));
    expect(discord.totalMessages).toBeGreaterThan(20_000);
    expect(discord.totalMessages).toBe(messages.length);
  });
});

describe('createSyntheticDiscord: layout and access', () => {
  it('has the clan layout with the bot’s access as documented', () => {
    const channel = (name: string) => discord.channel(byName(name));
    expect(channel('general')?.type).toBe(DISCORD_CHANNEL_TYPES.GUILD_TEXT);
    expect(channel('announcements')?.type).toBe(DISCORD_CHANNEL_TYPES.GUILD_ANNOUNCEMENT);
    expect(channel('help')?.type).toBe(DISCORD_CHANNEL_TYPES.GUILD_FORUM);
    expect(channel('screenshots')?.type).toBe(DISCORD_CHANNEL_TYPES.GUILD_MEDIA);
    expect(channel('Clan Voice')?.type).toBe(DISCORD_CHANNEL_TYPES.GUILD_VOICE);
    expect(channel('staff')?.access).toBe('no-view');
    expect(channel('staff')?.accessReason).toMatch(/VIEW_CHANNEL/);
    expect(channel('bot-log')?.access).toBe('no-history');
    expect(channel('rules')?.messageCount).toBe(0);
    expect(channel('rules')?.lastMessageId).toBeNull();
    expect(discord.relayChannelId).toBe(byName('osrs-clan-chat'));
    expect(discord.guild.systemChannelId).toBe(byName('general'));
    expect(discord.guild.roles[0]?.id).toBe(discord.guild.id);
    for (const name of ['general', 'osrs-clan-chat', 'pvm', 'Clan Voice', 'staff', 'bot-log'])
      expect(channel(name)?.messageCount).toBeGreaterThan(0);
  });

  it('has threads of every kind: active, archived, private joined and not, announcement, posts', () => {
    const threads = discord.channels.filter(
      (channel) => channel.parentId !== null && channel.ownerId !== null,
    );
    const pvm = byName('pvm');
    const inPvm = threads.filter((thread) => thread.parentId === pvm);
    expect(inPvm.some((thread) => !thread.archived && !thread.private)).toBe(true);
    expect(inPvm.some((thread) => thread.archived && !thread.private)).toBe(true);
    const privates = inPvm.filter((thread) => thread.private);
    expect(privates.map((thread) => [thread.botJoined, thread.access])).toEqual([
      [true, 'ok'],
      [false, 'no-view'],
    ]);
    expect(discord.accessOf(privates[1]?.id ?? '', { manageThreads: true }).access).toBe('ok');
    expect(
      threads.some((thread) => thread.type === DISCORD_CHANNEL_TYPES.ANNOUNCEMENT_THREAD),
    ).toBe(true);
    const posts = threads.filter((thread) => thread.parentId === byName('help'));
    expect(posts.length).toBeGreaterThan(20);
    expect(posts.some((post) => post.titleIsQuestion)).toBe(true);
    expect(posts.some((post) => !post.archived)).toBe(true);
    expect(threads.some((thread) => thread.parentId === byName('screenshots'))).toBe(true);
    for (const thread of threads) {
      expect(thread.archiveTimestamp).not.toBeNull();
      if (thread.archived)
        expect(Date.parse(thread.archiveTimestamp ?? '')).toBeLessThanOrEqual(Date.parse(clan.now));
    }
  });

  it('threads from messages share the message id; posts share their first message id', () => {
    const pvm = discord.messagesOf(byName('pvm'));
    const starters = pvm.filter((message) => message.threadId !== null);
    expect(starters.length).toBeGreaterThan(3);
    for (const starter of starters) {
      expect(starter.threadId).toBe(starter.id);
      const first = discord.messagesOf(starter.id)[0];
      expect(first?.type).toBe(DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE);
      expect(first?.replyToId).toBe(starter.id);
      expect(first?.authorId).toBe(starter.authorId);
      expect(first?.isSystem).toBe(true);
    }
    expect(pvm.some((message) => message.type === DISCORD_MESSAGE_TYPES.THREAD_CREATED)).toBe(true);
    for (const post of discord.channels.filter((channel) => channel.role === 'post'))
      expect(discord.messagesOf(post.id)[0]?.id).toBe(post.id);
  });
});

describe('createSyntheticDiscord: messages', () => {
  it('humans post only while in the guild; join messages mark arrivals; leavers authored messages', () => {
    const users = new Map(discord.users.map((user) => [user.id, user]));
    const inGuild = new Set(discord.members.map((member) => member.userId));
    const joins = messages.filter((message) => message.type === DISCORD_MESSAGE_TYPES.USER_JOIN);
    expect(joins.length).toBeGreaterThan(5);
    for (const join of joins) expect(join.channelId).toBe(byName('general'));
    const leftAuthors = new Set(
      messages
        .filter((message) => !message.isBot && !inGuild.has(message.authorId))
        .map((message) => message.authorId),
    );
    expect(leftAuthors.size).toBeGreaterThan(0);
    const outside = messages.filter((message) => {
      if (message.webhookId !== null) return false;
      const user = users.get(message.authorId);
      const time = Date.parse(message.timestamp);
      return (
        user === undefined ||
        (!user.bot &&
          (time < Date.parse(user.joinedAt) ||
            (user.leftAt !== null && time >= Date.parse(user.leftAt))))
      );
    });
    expect(outside).toEqual([]);
    // Every clan identity that posts is a real clan member's Discord account.
    const identities = new Set(
      clan.members.flatMap((member) => (member.discord === null ? [] : [member.discord.userId])),
    );
    expect(
      [...users.values()]
        .filter((user) => user.kind === 'member')
        .every((user) => identities.has(user.id)),
    ).toBe(true);
    expect(discord.users.some((user) => user.kind === 'guest')).toBe(true);
    expect(discord.members.some((member) => users.get(member.userId)?.bot === true)).toBe(true);
  });

  it('relay lines quote current display names, with broadcasts and multi-line messages', () => {
    const relay = discord.messagesOf(discord.relayChannelId);
    const names = new Set(clan.members.map((member) => member.player.displayName));
    expect(relay.every((message) => message.authorId === discord.relayBotUserId)).toBe(true);
    const lines = relay.flatMap((message) => message.relayLines ?? []);
    expect(lines.length).toBeGreaterThanOrEqual(relay.length);
    expect(lines.filter((line) => !names.has(line.rsn))).toEqual([]);
    expect(lines.some((line) => line.kind === 'broadcast')).toBe(true);
    expect(lines.some((line) => line.isQuestion)).toBe(true);
    expect(lines.some((line) => line.rsn.includes(' '))).toBe(true);
    expect(relay.some((message) => (message.relayLines?.length ?? 0) > 1)).toBe(true);
    const problems: string[] = [];
    for (const message of relay.slice(0, 500)) {
      const contentLines = message.content.split('\n');
      message.relayLines?.forEach((line) => {
        const text = contentLines[line.line] ?? '';
        const quoted =
          line.kind === 'chat'
            ? new RegExp(`^<:\\w+:\\d+> \\*\\*${line.rsn.replace(/[-_]/g, '.')}\\*\\*: `).test(text)
            : text.startsWith(`**${line.rsn}** `);
        if (!quoted) problems.push(`${line.kind} line not quoting ${line.rsn}: ${text}`);
        if ((line.kind === 'chat' && looksLikeQuestion(line.text)) !== line.isQuestion)
          problems.push(`isQuestion ${line.isQuestion}: ${line.text}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('questions are exactly the texts that look like questions; answers point at them', () => {
    const questionIds = new Set(discord.questionIds);
    expect(questionIds.size).toBeGreaterThan(500);
    let answers = 0;
    const problems: string[] = [];
    const byId = new Map(messages.map((message) => [message.id, message]));
    for (const message of messages) {
      if (questionIds.has(message.id) !== message.isQuestion) problems.push(`ids ${message.id}`);
      if (message.isBot || message.isSystem) {
        if (message.isQuestion || message.answerToId !== null) problems.push(`bot ${message.id}`);
        continue;
      }
      if (looksLikeQuestion(message.content) !== message.isQuestion)
        problems.push(`text ${message.content}`);
      if (message.answerToId !== null) {
        answers++;
        const question = byId.get(message.answerToId);
        if (question?.authorId === message.authorId) problems.push(`self-answer ${message.id}`);
        if (message.replyToId === message.answerToId && question?.isQuestion !== true)
          problems.push(`answers a non-question ${message.id}`);
      }
    }
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(200);
  });

  it('every template obeys the question rule', () => {
    const statements = [
      ...TEMPLATES.statements,
      ...TEMPLATES.answers,
      ...TEMPLATES.replies,
      ...TEMPLATES.threadNames,
      ...TEMPLATES.statementTitles,
      ...TEMPLATES.postBodies,
      ...TEMPLATES.captions,
    ];
    for (const text of statements) expect([text, looksLikeQuestion(text)]).toEqual([text, false]);
    for (const text of [
      ...TEMPLATES.markedQuestions,
      ...TEMPLATES.unmarkedQuestions,
      ...TEMPLATES.questionTitles,
    ])
      expect([text, looksLikeQuestion(text)]).toEqual([text, true]);
  });

  it('replies point to earlier messages of the same channel; some are edited, pinged, with attachments', () => {
    const positions = new Map(
      messages.map((message, index) => [message.id, { index, channelId: message.channelId }]),
    );
    const replies = messages.filter((message) => message.type === DISCORD_MESSAGE_TYPES.REPLY);
    expect(replies.length).toBeGreaterThan(1000);
    expect(
      replies.filter(
        (reply) =>
          positions.get(reply.replyToId ?? '')?.channelId !== reply.channelId ||
          BigInt(reply.replyToId ?? 0) >= BigInt(reply.id),
      ),
    ).toEqual([]);
    expect(messages.some((message) => message.editedTimestamp !== null)).toBe(true);
    expect(messages.some((message) => message.mentionIds.length > 0)).toBe(true);
    expect(messages.some((message) => message.attachmentCount > 0)).toBe(true);
    expect(messages.some((message) => message.webhookId !== null)).toBe(true);
    expect(
      messages.filter(
        (message) =>
          message.editedTimestamp !== null &&
          Date.parse(message.editedTimestamp) <= Date.parse(message.timestamp),
      ),
    ).toEqual([]);
  });

  it('follows a daily and weekly rhythm in the time zone', () => {
    const formats = new Map<string, Intl.DateTimeFormat>();
    const hourOf = (message: SyntheticDiscordMessage, timeZone: string): number => {
      let format = formats.get(timeZone);
      if (format === undefined) {
        format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
        formats.set(timeZone, format);
      }
      return Number(format.format(Date.parse(message.timestamp)));
    };
    const general = discord.messagesOf(byName('general'));
    const count = (from: number, to: number, timeZone: string, list = general): number =>
      list.filter((message) => {
        const hour = hourOf(message, timeZone);
        return hour >= from && hour < to;
      }).length;
    expect(count(19, 23, 'Europe/London')).toBeGreaterThan(3 * count(3, 7, 'Europe/London'));
    const tokyo = createSyntheticDiscord(createSyntheticClan({ seed: 2, members: 20, days: 60 }), {
      timeZone: 'Asia/Tokyo',
    });
    const tokyoGeneral = tokyo.messagesOf(tokyo.guild.systemChannelId ?? '');
    expect(count(19, 23, 'Asia/Tokyo', tokyoGeneral)).toBeGreaterThan(
      3 * count(3, 7, 'Asia/Tokyo', tokyoGeneral),
    );
    const weekdays = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'short',
    });
    const weekday = (message: SyntheticDiscordMessage): string =>
      weekdays.format(Date.parse(message.timestamp));
    const perDay = (day: string): number =>
      general.filter((message) => weekday(message) === day).length;
    expect(perDay('Sat')).toBeGreaterThan(perDay('Mon'));
  });

  it('messageScale scales the volume; invalid options throw INVALID_OPTIONS', () => {
    const small = createSyntheticClan({ seed: 4, members: 15, days: 30 });
    const base = createSyntheticDiscord(small).totalMessages;
    expect(createSyntheticDiscord(small, { messageScale: 3 }).totalMessages).toBeGreaterThan(
      2 * base,
    );
    for (const options of [
      { timeZone: 'Mars/Olympus' },
      { messageScale: -1 },
      { scale: { messages: 10, channels: 0 } },
      { scale: { messages: 1.5, channels: 3 } },
    ]) {
      let error: unknown;
      try {
        createSyntheticDiscord(small, options);
      } catch (caught) {
        error = caught;
      }
      expect(isTestkitError(error) && error.code === 'INVALID_OPTIONS').toBe(true);
    }
    expect(() => discord.messagesOf('123')).toThrow(/unknown channel/);
  });
});

describe('createSyntheticDiscord: scale layout', () => {
  it('generates exactly 1,000,000 messages over 40 channels quickly and compactly', () => {
    const before = process.memoryUsage();
    const started = performance.now();
    const big = createSyntheticDiscord(clan, { scale: { messages: 1_000_000, channels: 40 } });
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    expect(big.totalMessages).toBe(1_000_000);
    const containers = big.channels.filter(
      (channel) =>
        channel.type !== DISCORD_CHANNEL_TYPES.GUILD_CATEGORY &&
        channel.type !== DISCORD_CHANNEL_TYPES.GUILD_FORUM,
    );
    expect(containers).toHaveLength(40);
    expect(containers.some((channel) => channel.role === 'post')).toBe(true);
    expect(containers.some((channel) => channel.role === 'thread')).toBe(true);
    expect(containers.every((channel) => channel.access === 'ok')).toBe(true);
    expect(big.channel(big.relayChannelId)?.messageCount).toBeGreaterThan(0);
    // Far from today's figures (about 1 s and 35 MB): only catches a regression by an order of magnitude.
    expect(elapsed).toBeLessThan(30_000);
    expect(
      after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers,
    ).toBeLessThan(250_000_000);
    const sample = big.messagesOf(containers[0]?.id ?? '').slice(0, 3);
    expect(sample.every((message) => message.content.length > 0)).toBe(true);
  });
});
