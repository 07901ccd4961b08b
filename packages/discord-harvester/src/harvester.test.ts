// Integration tests over real HTTP against @clanstats/testkit's fake Discord server, whose
// synthetic guild is the ground truth (channels, access, every message, questions, answers,
// relay lines).
import { DefaultFakeDiscordRateLimitOptions, type FakeDiscordServer } from '@clanstats/testkit';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  TOKEN,
  collect,
  harvesterFor,
  readableChannels,
  readableMessageIds,
  requestsTo,
  startServer,
  type Collected,
} from './test-helpers.js';
import { snowflakeFromTimestamp, type HarvestedMessage } from './index.js';

const MESSAGES_ROUTE = 'GET /channels/:id/messages';
const DAY = 86_400_000;

function byId(left: string, right: string): number {
  return BigInt(left) < BigInt(right) ? -1 : BigInt(left) > BigInt(right) ? 1 : 0;
}

describe('a full harvest (Discord-like rate limits)', () => {
  let server: FakeDiscordServer;
  let result: Collected;
  let store: MemoryStore;

  beforeAll(async () => {
    // The fake's default limits: 50 requests/s globally, 5/s per channel for messages.
    server = await startServer({ rateLimit: DefaultFakeDiscordRateLimitOptions });
    const { discord } = server;
    const { harvester } = harvesterFor(server, {
      relay: [{ channelId: discord.relayChannelId, authorIds: [discord.relayBotUserId] }],
    });
    store = new MemoryStore();
    result = await collect(harvester.harvest(), store);
  });
  afterAll(async () => {
    await server.close();
  });

  it('starts with the guild and its channels; lists every channel and thread once, before its messages', () => {
    const [guild, channels] = result.items;
    expect(guild).toEqual({
      type: 'guild',
      guild: { id: server.discord.guild.id, name: server.discord.guild.name },
    });
    expect(channels?.type).toBe('channels');
    // Every channel of the guild, and every thread the bot can see, listed exactly once.
    const listed = result.channels.map((channel) => channel.id);
    expect(new Set(listed).size).toBe(listed.length);
    for (const channel of server.discord.channels) {
      const isThread = [10, 11, 12].includes(channel.type);
      if (!isThread || channel.access === 'ok') expect(listed).toContain(channel.id);
    }
    // A channel is listed before any item about it (archived threads come in later lists).
    const listedSoFar = new Set<string>();
    for (const item of result.items) {
      if (item.type === 'channels')
        for (const channel of item.channels) listedSoFar.add(channel.id);
      else if (item.type !== 'guild') expect(listedSoFar).toContain(item.channel.id);
    }
  });

  it('harvests every readable channel, thread and forum/media post, and nothing else', () => {
    const harvested = result.done.map((item) => item.channel.id).sort(byId);
    expect(harvested).toEqual([...readableChannels(server)].sort(byId));
    expect(harvested.length).toBeGreaterThan(20);
    const types = new Set(result.done.map((item) => item.channel.type));
    // Text, announcement, voice (text in voice), public, private and announcement threads.
    for (const type of [0, 2, 5, 10, 11, 12]) expect(types).toContain(type);
    // Forum and media posts are threads whose parent is a forum (15) or media (16) channel.
    const parents = new Set(
      result.done.map((item) => server.discord.channel(item.channel.parentId ?? '')?.type),
    );
    expect(parents).toContain(15);
    expect(parents).toContain(16);
  });

  it('skips unreadable channels with the right reason and without a single message request', () => {
    const reasons = Object.fromEntries(
      result.skipped.map((item) => [item.channel.name, item.reason]),
    );
    expect(reasons).toMatchObject({ staff: 'missing-access', 'bot-log': 'no-read-history' });
    for (const item of result.skipped) {
      const truth = server.discord.channel(item.channel.id);
      expect(truth?.access).not.toBe('ok');
      expect(requestsTo(server, MESSAGES_ROUTE, item.channel.id)).toBe(0);
    }
    // Categories, forums and media channels are never paged for messages.
    for (const channel of server.discord.channels.filter((channel) =>
      [4, 15, 16].includes(channel.type),
    )) {
      expect(requestsTo(server, MESSAGES_ROUTE, channel.id)).toBe(0);
    }
  });

  it('yields every message of the ground truth exactly once, pages ascending by id', () => {
    expect(store.duplicates).toBe(0);
    expect([...store.messages.keys()].sort(byId)).toEqual(readableMessageIds(server).sort(byId));
    for (const page of result.pages) {
      const ids = page.messages.map((message) => message.id);
      expect(ids).toEqual([...ids].sort(byId));
      expect(page.messages.every((message) => message.channelId === page.channel.id)).toBe(true);
    }
    for (const done of result.done) {
      expect(done.messages).toBe(server.discord.messageCountOf(done.channel.id));
    }
  });

  it('stays within the rate limits: no 429 from the server', () => {
    // discord.js waits before a bucket runs out (the fake sends X-RateLimit-* on every response).
    expect(server.stats.rateLimited).toBe(0);
    expect(server.stats.requests).toBeGreaterThan(50);
  });

  it('matches the ground truth flags: type, bot, webhook, reply, thread, mentions, attachments', () => {
    let checked = 0;
    for (const id of readableChannels(server)) {
      for (const truth of server.discord.messagesOf(id)) {
        const message = store.messages.get(truth.id) as HarvestedMessage;
        expect(message.authorId).toBe(truth.authorId);
        expect(message.type).toBe(truth.type);
        expect(message.isWebhook).toBe(truth.webhookId !== null);
        expect(message.isBot).toBe(truth.isBot);
        expect(message.replyToId).toBe(truth.type === 19 ? truth.replyToId : null);
        expect(message.editedAt).toBe(
          truth.editedTimestamp === null ? null : Date.parse(truth.editedTimestamp),
        );
        expect(message.attachmentCount).toBe(truth.attachmentCount);
        expect(message.mentionCount).toBeGreaterThanOrEqual(truth.mentionIds.length);
        checked += 1;
      }
    }
    expect(checked).toBe(store.messages.size);
  });

  it('flags questions and answers exactly like the ground truth', () => {
    const readable = new Set(readableChannels(server));
    const readableIds = new Set(readableMessageIds(server));
    const questions = server.discord.questionIds.filter((id) => readableIds.has(id));
    const flagged = [...store.messages.values()].filter((message) => message.isQuestion);
    expect(flagged.map((message) => message.id).sort(byId)).toEqual([...questions].sort(byId));
    expect(questions.length).toBeGreaterThan(50);
    let answers = 0;
    for (const id of readable) {
      for (const truth of server.discord.messagesOf(id)) {
        expect(store.messages.get(truth.id)?.answerToId).toBe(truth.answerToId);
        if (truth.answerToId !== null) answers += 1;
      }
    }
    expect(answers).toBeGreaterThan(50);
  });

  it('attributes relayed clan-chat lines to their RSNs', () => {
    const truth = server.discord
      .messagesOf(server.discord.relayChannelId)
      .flatMap((message) =>
        (message.relayLines ?? [])
          .filter((line) => line.kind === 'chat')
          .map((line) => `${message.id}:${line.line}:${line.rsn}:${line.isQuestion}`),
      );
    const lines = result.pages
      .flatMap((page) => page.relayLines)
      .map((line) => `${line.messageId}:${line.line}:${line.rsn}:${line.isQuestion}`);
    expect(lines.sort()).toEqual(truth.sort());
    expect(truth.length).toBeGreaterThan(100);
    // relayRsn: the RSN of single-line messages.
    for (const message of server.discord.messagesOf(server.discord.relayChannelId)) {
      const chat = (message.relayLines ?? []).filter((line) => line.kind === 'chat');
      expect(store.messages.get(message.id)?.relayRsn).toBe(
        chat.length === 1 ? (chat[0]?.rsn ?? null) : null,
      );
    }
  });

  it('puts no message text in the output by default', () => {
    expect([...store.messages.values()].every((message) => message.content === null)).toBe(true);
    expect(
      result.pages.every((page) => page.relayLines.every((line) => line.content === null)),
    ).toBe(true);
    expect(result.pages.every((page) => page.contentAvailable)).toBe(true);
  });

  it('carries each channel’s checkpoint after each page; an empty channel gets one empty page', () => {
    for (const done of result.done) {
      const checkpoint = store.checkpoints.get(done.channel.id);
      const ids = server.discord.messagesOf(done.channel.id).map((message) => message.id);
      expect(checkpoint).toEqual({
        channelId: done.channel.id,
        newestId: ids.at(-1) ?? null,
        oldestId: ids[0] ?? null,
        backfillDone: true,
        backfillSince: null,
      });
    }
    const rules = result.pages.filter((page) => page.channel.name === 'rules');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.messages).toEqual([]);
    expect(rules[0]?.checkpoint.backfillDone).toBe(true);
  });

  it('authors on each page are the page’s authors, once each', () => {
    for (const page of result.pages) {
      const authors = new Set(page.messages.map((message) => message.authorId));
      expect(page.users.map((user) => user.id).sort()).toEqual([...authors].sort());
    }
  });
});

describe('incremental runs', () => {
  let server: FakeDiscordServer;
  const store = new MemoryStore();

  beforeAll(async () => {
    server = await startServer();
    const { harvester } = harvesterFor(server);
    await collect(harvester.harvest(), store);
  });
  afterAll(async () => {
    await server.close();
  });

  it('fetches only the new messages, in the channels that have some', async () => {
    const general = server.discord.channels.find((channel) => channel.name === 'general');
    const thread = server.discord.channels.find(
      (channel) => channel.type === 11 && channel.access === 'ok' && !channel.titleIsQuestion,
    );
    if (general === undefined || thread === undefined) throw new Error('layout changed');
    const posted = [
      ...server.postMessages(general.id, 150),
      ...server.postMessages(thread.id, 3),
    ].map((message) => message.id);
    server.stats.reset();

    const { harvester } = harvesterFor(server);
    const before = store.messages.size;
    const result = await collect(harvester.harvest({ checkpoints: store }), store);
    const yielded = result.pages.flatMap((page) => page.messages.map((message) => message.id));
    expect(yielded.sort(byId)).toEqual([...posted].sort(byId));
    expect(result.pages.every((page) => page.direction === 'forward')).toBe(true);
    expect(store.messages.size).toBe(before + posted.length);
    expect(store.duplicates).toBe(0);
    // #general: 150 new messages = 2 pages (100 + 50); the thread: 1 page, plus at most one
    // request for its first message (to know whether it asks a question).
    expect(requestsTo(server, MESSAGES_ROUTE, general.id)).toBe(2);
    expect(requestsTo(server, MESSAGES_ROUTE, thread.id)).toBeLessThanOrEqual(2);
    expect(requestsTo(server, MESSAGES_ROUTE)).toBeLessThanOrEqual(4);
    const upToDate = result.done.filter((item) => item.upToDate).length;
    expect(upToDate).toBe(result.done.length - 2);
    expect(store.checkpoints.get(general.id)?.newestId).toBe(posted[149]);
  });

  it('with nothing new, sends no message request and at most one request per channel overall', async () => {
    server.stats.reset();
    const { harvester } = harvesterFor(server);
    const run = harvester.harvest({ checkpoints: store });
    const result = await collect(run, store);
    expect(result.pages).toEqual([]);
    expect(requestsTo(server, MESSAGES_ROUTE)).toBe(0);
    expect(result.done.every((item) => item.upToDate && item.requests === 0)).toBe(true);
    expect(server.stats.requests).toBe(run.stats.requests);
    expect(run.stats.requests).toBeLessThanOrEqual(result.done.length);
  });
});

describe('the since date', () => {
  let server: FakeDiscordServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('backfills only since the date, and an earlier date later resumes the backfill', async () => {
    const now = Date.parse(server.discord.now);
    const recent = now - 20 * DAY;
    const earlier = now - 40 * DAY;
    const store = new MemoryStore();
    const { harvester } = harvesterFor(server);
    await collect(harvester.harvest({ since: recent }), store);
    const floor = BigInt(snowflakeFromTimestamp(recent));
    const expectedRecent = readableMessageIds(server).filter((id) => BigInt(id) >= floor);
    expect([...store.messages.keys()].sort(byId)).toEqual(expectedRecent.sort(byId));
    for (const checkpoint of store.checkpoints.values()) {
      expect(checkpoint.backfillDone).toBe(true);
      expect(checkpoint.backfillSince).toBe(recent);
    }

    server.stats.reset();
    const result = await collect(
      harvester.harvest({ since: new Date(earlier), checkpoints: store }),
      store,
    );
    const earlierFloor = BigInt(snowflakeFromTimestamp(earlier));
    const expectedEarlier = readableMessageIds(server).filter((id) => BigInt(id) >= earlierFloor);
    expect(store.duplicates).toBe(0);
    expect([...store.messages.keys()].sort(byId)).toEqual(expectedEarlier.sort(byId));
    expect(result.pages.every((page) => page.direction === 'backfill')).toBe(true);
    for (const checkpoint of store.checkpoints.values())
      expect(checkpoint.backfillSince).toBe(earlier);

    // No since at all: the rest of the history.
    await collect(harvester.harvest({ checkpoints: store }), store);
    expect(store.duplicates).toBe(0);
    expect(store.messages.size).toBe(readableMessageIds(server).length);
  });
});

describe('options', () => {
  let server: FakeDiscordServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('channelIds restricts the harvest to those channels and their threads', async () => {
    const pvm = server.discord.channels.find((channel) => channel.name === 'pvm');
    const general = server.discord.channels.find((channel) => channel.name === 'general');
    if (pvm === undefined || general === undefined) throw new Error('layout changed');
    server.stats.reset();
    const { harvester } = harvesterFor(server);
    const result = await collect(harvester.harvest({ channelIds: [pvm.id, general.id] }));
    const expected = server.discord.channels
      .filter(
        (channel) =>
          channel.access === 'ok' &&
          (channel.id === pvm.id || channel.id === general.id || channel.parentId === pvm.id),
      )
      .map((channel) => channel.id);
    expect(result.done.map((item) => item.channel.id).sort(byId)).toEqual(expected.sort(byId));
    expect(expected.length).toBeGreaterThan(3);
    const harvested = new Set(expected);
    expect(
      server.requests
        .filter((request) => request.route === MESSAGES_ROUTE)
        .every((request) => harvested.has(request.majorParameter ?? '')),
    ).toBe(true);
  });

  it('includeContent puts the text in messages and relay lines', async () => {
    const { discord } = server;
    const { harvester } = harvesterFor(server, {
      includeContent: true,
      relay: [{ channelId: discord.relayChannelId, authorName: 'osrs clanchat' }],
    });
    const store = new MemoryStore();
    const result = await collect(
      harvester.harvest({ channelIds: [discord.relayChannelId] }),
      store,
    );
    for (const truth of discord.messagesOf(discord.relayChannelId)) {
      expect(store.messages.get(truth.id)?.content).toBe(truth.content);
    }
    const lines = result.pages.flatMap((page) => page.relayLines);
    expect(lines.length).toBeGreaterThan(100);
    const truthLines = new Map(
      discord
        .messagesOf(discord.relayChannelId)
        .flatMap((message) =>
          (message.relayLines ?? []).map(
            (line) => [`${message.id}:${line.line}`, line.text] as const,
          ),
        ),
    );
    for (const line of lines)
      expect(line.content).toBe(truthLines.get(`${line.messageId}:${line.line}`));
  });

  it('with Manage Threads, lists every archived private thread and reads those it did not join', async () => {
    const managing = await startServer({ botPermissions: { manageThreads: true } });
    try {
      const { harvester } = harvesterFor(managing);
      const result = await collect(harvester.harvest());
      expect(requestsTo(managing, 'GET /channels/:id/threads/archived/private')).toBeGreaterThan(0);
      expect(requestsTo(managing, 'GET /channels/:id/users/@me/threads/archived/private')).toBe(0);
      const expected = managing.discord.channels
        .filter(
          (channel) =>
            [0, 2, 5, 10, 11, 12].includes(channel.type) &&
            managing.discord.accessOf(channel.id, { manageThreads: true }).access === 'ok',
        )
        .map((channel) => channel.id);
      expect(result.done.map((item) => item.channel.id).sort(byId)).toEqual(expected.sort(byId));
    } finally {
      await managing.close();
    }
  });

  it('sends through an injected discord.js REST instance, leaving its other requests alone', async () => {
    const rest = new REST({ api: server.url, version: '10' }).setToken(TOKEN);
    const { harvester, events } = harvesterFor(server, { rest, token: 'ignored' });
    const check = await harvester.check();
    expect(check.guild.id).toBe(server.discord.guild.id);
    expect(events.filter((event) => event.type === 'request')).toHaveLength(3);
    // A request of the application's own is not counted or reported.
    await rest.get('/users/@me');
    expect(events.filter((event) => event.type === 'request')).toHaveLength(3);
    const result = await collect(
      harvester.harvest({ channelIds: [server.discord.relayChannelId] }),
    );
    expect(result.done).toHaveLength(1);
  });
});

describe('discovery through parent messages and backpressure', () => {
  let server: FakeDiscordServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    server.clearFaults();
    await server.close();
  });

  it('finds threads through their parent message’s thread field when the lists miss them', async () => {
    const empty = JSON.stringify({ threads: [], members: [], has_more: false });
    server.injectFault({
      kind: 'status',
      status: 200,
      path: /\/threads\//,
      times: Infinity,
      body: empty,
    });
    try {
      const { harvester, events } = harvesterFor(server);
      const store = new MemoryStore();
      const result = await collect(harvester.harvest(), store);
      // Threads started from a readable message (HAS_THREAD), per the ground truth.
      const started = readableChannels(server).flatMap((id) =>
        server.discord
          .messagesOf(id)
          .filter((message) => message.threadId !== null)
          .map((message) => message.threadId as string),
      );
      const readableStarted = started.filter((id) => server.discord.channel(id)?.access === 'ok');
      expect(readableStarted.length).toBeGreaterThan(3);
      const discovered = events.flatMap((event) =>
        event.type === 'thread-discovered' ? [event.threadId] : [],
      );
      expect(discovered.sort(byId)).toEqual([...new Set(started)].sort(byId));
      // Each listed once, in a later channels item, then harvested completely.
      const listed = result.channels.map((channel) => channel.id);
      expect(new Set(listed).size).toBe(listed.length);
      for (const id of readableStarted) {
        expect(listed).toContain(id);
        const ids = server.discord.messagesOf(id).map((message) => message.id);
        expect(ids.every((messageId) => store.messages.has(messageId))).toBe(true);
        expect(result.done.some((item) => item.channel.id === id)).toBe(true);
      }
    } finally {
      server.clearFaults();
    }
  });

  it('fetches a channel’s next page only once the consumer is done with the last one', async () => {
    const { harvester } = harvesterFor(server, { concurrency: 3 });
    server.stats.reset();
    const run = harvester.harvest();
    let held = -1;
    for await (const item of run) {
      if (item.type !== 'messages') continue;
      // A slow consumer: hold the first page a while before asking for more.
      await new Promise((resolve) => setTimeout(resolve, 500));
      held = requestsTo(server, MESSAGES_ROUTE);
      break;
    }
    // 3 workers, each holding at most one page (plus at most one thread-start lookup each),
    // while the history has more than 60 pages.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(6);
    expect(run.stats.pages).toBe(1);
  });
});

describe('without the Message Content intent', () => {
  let server: FakeDiscordServer;
  beforeAll(async () => {
    server = await startServer({ intents: { messageContent: false } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('notices it, says so once, and flags answers from the reply structure', async () => {
    const { discord } = server;
    const { harvester, events } = harvesterFor(server, {
      includeContent: true,
      relay: [{ channelId: discord.relayChannelId, authorIds: [discord.relayBotUserId] }],
    });
    const store = new MemoryStore();
    const result = await collect(harvester.harvest(), store);
    expect(events.filter((event) => event.type === 'content-unavailable')).toHaveLength(1);
    const general = result.pages.filter((page) => page.channel.name === 'general');
    expect(general.every((page) => !page.contentAvailable)).toBe(true);
    expect(result.pages.flatMap((page) => page.relayLines)).toEqual([]);
    const messages = [...store.messages.values()];
    expect(messages.every((message) => message.content === '' || message.content === null)).toBe(
      true,
    );
    // Only forum posts under a question title remain questions.
    for (const message of messages.filter((message) => message.isQuestion)) {
      expect(message.id).toBe(message.channelId);
      expect(discord.channel(message.channelId)?.titleIsQuestion).toBe(true);
    }
    // Every reply to another person is an answer (the text cannot tell).
    let replies = 0;
    for (const message of messages.filter((message) => message.type === 19)) {
      const truth = discord.message(message.channelId, message.id);
      const target =
        truth?.replyToId === null || truth === undefined
          ? undefined
          : discord.message(message.channelId, truth.replyToId);
      if (
        target === undefined ||
        target.authorId === message.authorId ||
        target.isBot ||
        target.isSystem ||
        target.webhookId !== null
      )
        continue;
      expect(message.answerToId).toBe(target.id);
      replies += 1;
    }
    expect(replies).toBeGreaterThan(50);
  });
});

describe('time limits', () => {
  let server: FakeDiscordServer;

  beforeAll(async () => {
    // No server limits: the harvester's own pacer (Discord's 50 requests/s) is the only brake,
    // so requests queue there while the largest channels page as fast as it allows.
    server = await startServer();
  });
  afterAll(() => server.close());

  it('does not count the wait for its own rate limit against a request’s time limit', async () => {
    // Each attempt may take 400 ms once sent; a request behind busier channels waits longer than
    // that for its turn at 50 requests/s, which used to end the harvest with TIMEOUT.
    const { harvester, events } = harvesterFor(server, { timeoutMs: 400, retries: 0 });
    const store = new MemoryStore();
    const result = await collect(harvester.harvest(), store);
    const requests = events.filter((event) => event.type === 'request');
    expect(requests.length).toBeGreaterThan(50);
    expect(requests.filter((event) => event.status !== 200)).toEqual([]);
    expect(result.done.length).toBeGreaterThan(10);
    expect(store.messages.size).toBe(readableMessageIds(server).length);
  });
});
