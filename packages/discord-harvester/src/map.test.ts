import { describe, expect, it } from 'vitest';
import {
  contentEvidence,
  hasThreadAnswerCandidates,
  mapPage,
  starterQuestionIn,
  type ChannelContext,
} from './map.js';
import type { HarvestChannel } from './types.js';
import { parseMessages, type WireMessage } from './wire.js';

const BOT = '900000000000000001';
const ALICE = '900000000000000002';
const BOB = '900000000000000003';
const RELAY = '900000000000000004';
const CHANNEL = '800000000000000001';
const THREAD = '810000000000000000';

interface RawOptions {
  id: string;
  author?: string;
  content?: string;
  type?: number;
  bot?: boolean;
  replyTo?: { id: string; author: string; content: string; type?: number } | null;
  webhookId?: string;
  channelId?: string;
  attachments?: number;
  mentions?: string[];
  edited?: string;
}

function raw(options: RawOptions): Record<string, unknown> {
  const author = options.author ?? ALICE;
  const message: Record<string, unknown> = {
    id: options.id,
    channel_id: options.channelId ?? CHANNEL,
    author: {
      id: author,
      username: `user${author.slice(-2)}`,
      global_name: null,
      discriminator: '0',
      avatar: null,
      ...(options.bot === true ? { bot: true } : {}),
    },
    content: options.content ?? '',
    timestamp: '2026-10-01T00:00:00.000000+00:00',
    edited_timestamp: options.edited ?? null,
    type: options.type ?? (options.replyTo === undefined ? 0 : 19),
    mentions: (options.mentions ?? []).map((id) => ({ id, username: 'x' })),
    mention_roles: [],
    mention_everyone: false,
    attachments: Array.from({ length: options.attachments ?? 0 }, (_, index) => ({
      id: String(index),
    })),
    embeds: [],
    components: [],
    pinned: false,
    tts: false,
    flags: 0,
  };
  if (options.webhookId !== undefined) message.webhook_id = options.webhookId;
  if (options.replyTo !== undefined) {
    message.message_reference = { message_id: options.replyTo?.id ?? '1', channel_id: CHANNEL };
    message.referenced_message =
      options.replyTo === null
        ? null
        : raw({
            id: options.replyTo.id,
            author: options.replyTo.author,
            content: options.replyTo.content,
            type: options.replyTo.type ?? 0,
          });
  }
  return message;
}

function wire(...messages: Array<Record<string, unknown>>): WireMessage[] {
  return parseMessages(messages, { url: '/test', route: 'GET /test' });
}

function channel(overrides: Partial<HarvestChannel> = {}): HarvestChannel {
  return {
    id: CHANNEL,
    guildId: '700000000000000001',
    parentId: null,
    type: 0,
    name: 'general',
    isThread: false,
    archived: false,
    archiveTimestamp: null,
    lastMessageId: null,
    ownerId: null,
    ...overrides,
  };
}

function context(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return {
    channel: channel(),
    isPost: false,
    relay: undefined,
    includeContent: false,
    botUserId: BOT,
    ...overrides,
  };
}

describe('mapPage', () => {
  it('maps the analytics fields and keeps content out by default', () => {
    const page = wire(
      raw({
        id: '1000000000000000001',
        content: 'hello',
        attachments: 2,
        mentions: [BOB],
        edited: '2026-10-02T00:00:00.000Z',
      }),
    );
    const { messages, users } = mapPage(page, context(), true, false);
    expect(messages).toEqual([
      {
        id: '1000000000000000001',
        channelId: CHANNEL,
        authorId: ALICE,
        editedAt: Date.parse('2026-10-02T00:00:00.000Z'),
        type: 0,
        replyToId: null,
        inThread: false,
        isBot: false,
        isWebhook: false,
        mentionCount: 1,
        attachmentCount: 2,
        isQuestion: false,
        answerToId: null,
        relayRsn: null,
        content: null,
      },
    ]);
    expect(users).toEqual([{ id: ALICE, username: 'user02', globalName: null, bot: false }]);
    expect(mapPage(page, context({ includeContent: true }), true, false).messages[0]?.content).toBe(
      'hello',
    );
  });

  it('flags questions and answers to another author’s question', () => {
    const page = wire(
      raw({ id: '1000000000000000001', content: 'anyone for cox?' }),
      raw({
        id: '1000000000000000002',
        author: BOB,
        content: 'me',
        replyTo: { id: '1000000000000000001', author: ALICE, content: 'anyone for cox?' },
      }),
      raw({
        id: '1000000000000000003',
        author: BOB,
        content: 'ok',
        replyTo: { id: '1000000000000000009', author: ALICE, content: 'gz' },
      }),
      raw({
        id: '1000000000000000004',
        content: 'self',
        replyTo: { id: '1000000000000000001', author: ALICE, content: 'anyone for cox?' },
      }),
    );
    const { messages } = mapPage(page, context(), true, false);
    expect(
      messages.map((message) => [message.isQuestion, message.answerToId, message.replyToId]),
    ).toEqual([
      [true, null, null],
      [false, '1000000000000000001', '1000000000000000001'],
      [false, null, '1000000000000000009'],
      [false, null, '1000000000000000001'],
    ]);
  });

  it('without message content, any reply to another person counts as an answer', () => {
    const page = wire(
      raw({
        id: '1000000000000000002',
        author: BOB,
        replyTo: { id: '1000000000000000001', author: ALICE, content: '' },
      }),
      raw({
        id: '1000000000000000003',
        author: BOB,
        replyTo: { id: '1000000000000000005', author: RELAY, content: '' },
      }),
      raw({ id: '1000000000000000004', author: BOB, replyTo: null }),
    );
    // A reply to a bot is not an answer; a deleted reference (null) neither.
    const bot = page[1] as WireMessage;
    (bot.referenced_message as { author: { bot: boolean } }).author.bot = true;
    const { messages } = mapPage(page, context(), false, false);
    expect(messages.map((message) => message.answerToId)).toEqual([
      '1000000000000000001',
      null,
      null,
    ]);
  });

  it('in a question thread, messages by others than the owner answer the thread', () => {
    const thread = channel({
      id: THREAD,
      isThread: true,
      type: 11,
      parentId: CHANNEL,
      ownerId: ALICE,
      name: 'loot split',
    });
    const page = wire(
      raw({ id: '810000000000000001', channelId: THREAD, content: 'details' }),
      raw({ id: '810000000000000002', channelId: THREAD, author: BOB, content: 'sure' }),
      raw({
        id: '810000000000000003',
        channelId: THREAD,
        author: RELAY,
        bot: true,
        content: 'beep',
      }),
    );
    const asked = mapPage(page, context({ channel: thread }), true, true).messages;
    expect(asked.map((message) => [message.inThread, message.answerToId])).toEqual([
      [true, null],
      [true, THREAD],
      [true, null],
    ]);
    expect(
      mapPage(page, context({ channel: thread }), true, false).messages.every(
        (message) => message.answerToId === null,
      ),
    ).toBe(true);
  });

  it('a forum post starter is a question when its title is', () => {
    const post = channel({
      id: THREAD,
      isThread: true,
      type: 11,
      parentId: CHANNEL,
      ownerId: ALICE,
      name: 'Best gear for Vorkath?',
    });
    const page = wire(raw({ id: THREAD, channelId: THREAD, content: 'budget 50m' }));
    const mapped = mapPage(page, context({ channel: post, isPost: true }), true, true).messages[0];
    expect(mapped?.isQuestion).toBe(true);
    expect(mapped?.answerToId).toBeNull();
  });

  it('bots, webhooks and system messages are never questions or answers', () => {
    const page = wire(
      raw({ id: '1000000000000000001', author: RELAY, bot: true, content: 'who wants a drop?' }),
      raw({ id: '1000000000000000002', author: RELAY, webhookId: RELAY, content: 'why?' }),
      raw({ id: '1000000000000000003', type: 7, content: '' }),
    );
    const { messages, users } = mapPage(page, context(), true, false);
    expect(
      messages.map((message) => [
        message.isQuestion,
        message.answerToId,
        message.isBot,
        message.isWebhook,
      ]),
    ).toEqual([
      [false, null, true, false],
      [false, null, false, true], // isBot mirrors author.bot (Discord sets it on webhook authors),
      [false, null, false, false],
    ]);
    expect(users.find((user) => user.id === RELAY)?.bot).toBe(true);
  });

  it('parses relay lines and sets relayRsn for single-line messages', () => {
    const relayChannel = context({
      relay: { channelId: CHANNEL, authorIds: [RELAY] },
      includeContent: true,
    });
    const page = wire(
      raw({
        id: '1000000000000000001',
        author: RELAY,
        bot: true,
        content: '<:Owner:123> **Sir Gowi**: anyone cox?',
      }),
      raw({
        id: '1000000000000000002',
        author: RELAY,
        bot: true,
        content: '**Zezima**: hi\n**Lynx Titan** received a drop: Twisted bow\n**B0aty**: gz',
      }),
      raw({ id: '1000000000000000003', author: ALICE, content: '**Fake**: not relayed' }),
    );
    const { messages, relayLines } = mapPage(page, relayChannel, true, false);
    expect(messages.map((message) => message.relayRsn)).toEqual(['Sir Gowi', null, null]);
    expect(relayLines).toEqual([
      {
        messageId: '1000000000000000001',
        line: 0,
        rsn: 'Sir Gowi',
        normalizedRsn: 'sir gowi',
        isQuestion: true,
        content: 'anyone cox?',
      },
      {
        messageId: '1000000000000000002',
        line: 0,
        rsn: 'Zezima',
        normalizedRsn: 'zezima',
        isQuestion: false,
        content: 'hi',
      },
      {
        messageId: '1000000000000000002',
        line: 2,
        rsn: 'B0aty',
        normalizedRsn: 'b0aty',
        isQuestion: false,
        content: 'gz',
      },
    ]);
    const privateLines = mapPage(
      page,
      { ...relayChannel, includeContent: false },
      true,
      false,
    ).relayLines;
    expect(privateLines.every((line) => line.content === null)).toBe(true);
  });
});

describe('thread starters', () => {
  const thread = channel({
    id: THREAD,
    isThread: true,
    type: 11,
    parentId: CHANNEL,
    ownerId: ALICE,
    name: 'x',
  });

  it('finds a forum starter by id and a text-thread starter through its type-21 message', () => {
    expect(
      starterQuestionIn(
        wire(raw({ id: THREAD, channelId: THREAD, content: 'how do I start?' })),
        context({ channel: thread }),
      ),
    ).toBe(true);
    const starter = raw({
      id: '810000000000000001',
      channelId: THREAD,
      type: 21,
      replyTo: { id: THREAD, author: ALICE, content: 'what now?' },
    });
    expect(starterQuestionIn(wire(starter), context({ channel: thread }))).toBe(true);
    expect(
      starterQuestionIn(
        wire(raw({ id: '810000000000000005', channelId: THREAD })),
        context({ channel: thread }),
      ),
    ).toBeUndefined();
  });

  it('knows when a page has possible answers', () => {
    expect(
      hasThreadAnswerCandidates(wire(raw({ id: '810000000000000005', author: ALICE })), thread),
    ).toBe(false);
    expect(
      hasThreadAnswerCandidates(wire(raw({ id: '810000000000000005', author: BOB })), thread),
    ).toBe(true);
  });
});

describe('contentEvidence', () => {
  it('reads the Message Content intent from human messages', () => {
    expect(contentEvidence(wire(raw({ id: '1000000000000000001', content: 'hi' })), BOT)).toBe(
      true,
    );
    expect(
      contentEvidence(
        wire(raw({ id: '1000000000000000001' }), raw({ id: '1000000000000000002' })),
        BOT,
      ),
    ).toBe(false);
    expect(
      contentEvidence(wire(raw({ id: '1000000000000000001', author: RELAY, bot: true })), BOT),
    ).toBeUndefined();
    expect(contentEvidence([], BOT)).toBeUndefined();
  });
});
