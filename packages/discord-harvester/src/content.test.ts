import {
  ComponentType,
  MessageType,
  PollLayoutType,
  StickerFormatType,
  type APIMessage,
  type APIUser,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { detectContentAvailability } from './content.js';

const BOT_ID = '900000000000000000';
let nextId = 1000n;

function user(id: string, extra: Partial<APIUser> = {}): APIUser {
  return {
    id,
    username: `user${id}`,
    global_name: null,
    discriminator: '0',
    avatar: null,
    ...extra,
  };
}

const alice = user('100000000000000001');
const bob = user('100000000000000002');
const otherBot = user('100000000000000003', { bot: true });
const botSelf = user(BOT_ID, { bot: true });
const systemUser = user('643945264868098049', { system: true });

/** A message as the API returns it with the Message Content intent off (everything empty). */
function message(author: APIUser, extra: Partial<APIMessage> = {}): APIMessage {
  nextId += 1n;
  return {
    id: nextId.toString(),
    channel_id: '500000000000000000',
    author,
    content: '',
    timestamp: '2024-06-01T12:00:00.000000+00:00',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: MessageType.Default,
    ...extra,
  };
}

const attachment = {
  id: '1',
  filename: 'drop.png',
  size: 10,
  url: 'https://cdn.example/drop.png',
  proxy_url: 'https://media.example/drop.png',
};

describe('detectContentAvailability', () => {
  it('is undefined for an empty page', () => {
    expect(detectContentAvailability([])).toBeUndefined();
  });

  it('is false when every human message is completely empty (intent off)', () => {
    const page = [message(alice), message(bob, { type: MessageType.Reply }), message(alice)];
    expect(detectContentAvailability(page, BOT_ID)).toBe(false);
    expect(detectContentAvailability(page)).toBe(false);
  });

  it('is true when a human message has content', () => {
    const page = [message(alice), message(bob, { content: 'gz' })];
    expect(detectContentAvailability(page, BOT_ID)).toBe(true);
  });

  it.each<[string, Partial<APIMessage>]>([
    ['content', { content: 'hello' }],
    ['an embed', { embeds: [{ title: 'link preview' }] }],
    ['an attachment', { attachments: [attachment] }],
    ['components', { components: [{ type: ComponentType.ActionRow, components: [] }] }],
    [
      'a poll',
      {
        poll: {
          question: { text: 'Boss of the week' },
          answers: [],
          expiry: null,
          allow_multiselect: false,
          layout_type: PollLayoutType.Default,
        },
      },
    ],
  ])('is true when a human message has %s', (_name, fields) => {
    expect(detectContentAvailability([message(alice), message(bob, fields)], BOT_ID)).toBe(true);
  });

  it('is undefined when only sticker or forward messages are empty of content (not evidence)', () => {
    const sticker = message(alice, {
      sticker_items: [{ id: '1', name: 'gz', format_type: StickerFormatType.PNG }],
    });
    const forward = message(bob, {
      message_snapshots: [
        {
          message: {
            content: '',
            timestamp: '2024-06-01T12:00:00.000000+00:00',
            edited_timestamp: null,
            mentions: [],
            mention_roles: [],
            attachments: [],
            embeds: [],
            type: MessageType.Default,
          },
        },
      ],
    });
    expect(detectContentAvailability([sticker], BOT_ID)).toBeUndefined();
    expect(detectContentAvailability([forward], BOT_ID)).toBeUndefined();
    // One non-empty human message blocks `false` for the whole page.
    expect(detectContentAvailability([message(alice), sticker], BOT_ID)).toBeUndefined();
  });

  it('ignores bots, webhooks and system users', () => {
    const noise = [
      message(otherBot, { content: 'bot output', embeds: [{ title: 'x' }] }),
      message(user('700000000000000000'), { webhook_id: '700000000000000000', content: 'relay' }),
      message(systemUser, { content: 'Discord system message' }),
    ];
    expect(detectContentAvailability(noise, BOT_ID)).toBeUndefined();
    expect(detectContentAvailability([...noise, message(alice)], BOT_ID)).toBe(false);
  });

  it("ignores the bot's own messages (they keep content without the intent)", () => {
    const page = [message(botSelf, { content: 'report' }), message(alice)];
    expect(detectContentAvailability(page, BOT_ID)).toBe(false);
    // Even if the bot flag were missing, the id identifies it.
    const unflagged = message(user(BOT_ID), { content: 'report' });
    expect(detectContentAvailability([unflagged, message(alice)], BOT_ID)).toBe(false);
  });

  it('ignores messages that mention the bot (they keep content without the intent)', () => {
    const page = [message(alice, { content: '<@900000000000000000> hi', mentions: [botSelf] })];
    expect(detectContentAvailability(page, BOT_ID)).toBeUndefined();
    expect(detectContentAvailability([...page, message(bob)], BOT_ID)).toBe(false);
    // Without the bot id, such a message cannot be told apart and counts as evidence.
    expect(detectContentAvailability([...page, message(bob)])).toBe(true);
  });

  it('a mention of someone else is still evidence', () => {
    const page = [message(alice, { content: '<@100000000000000002> gz', mentions: [bob] })];
    expect(detectContentAvailability(page, BOT_ID)).toBe(true);
  });

  it.each([
    ['USER_JOIN', MessageType.UserJoin],
    ['THREAD_CREATED', MessageType.ThreadCreated],
    ['THREAD_STARTER_MESSAGE', MessageType.ThreadStarterMessage],
    ['CHANNEL_PINNED_MESSAGE', MessageType.ChannelPinnedMessage],
    ['CHAT_INPUT_COMMAND', MessageType.ChatInputCommand],
  ])('ignores %s messages (only types 0 and 19 count)', (_name, type) => {
    expect(detectContentAvailability([message(alice, { type })], BOT_ID)).toBeUndefined();
  });

  it('stays correct across a large page', () => {
    const empty = Array.from({ length: 100 }, (_, index) => message(index % 2 ? alice : bob));
    expect(detectContentAvailability(empty, BOT_ID)).toBe(false);
    const withOne = [...empty.slice(0, 99), message(alice, { content: 'x' })];
    expect(detectContentAvailability(withOne, BOT_ID)).toBe(true);
  });
});
