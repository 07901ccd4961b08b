import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyntheticClan, createSyntheticDiscord, startFakeDiscordServer } from '../index.js';
import type { FakeDiscordServer, FakeDiscordWebhook, SyntheticDiscord } from '../index.js';

const clan = createSyntheticClan({ seed: 3, members: 20, days: 30 });
let discord: SyntheticDiscord;
let server: FakeDiscordServer;
let hook: FakeDiscordWebhook;

interface WireMessage {
  id: string;
  type: number;
  content: string;
  channel_id: string;
  flags: number;
  embeds: Array<Record<string, unknown>>;
  mentions: Array<{ id: string }>;
  mention_everyone: boolean;
  author: { id: string; username: string; discriminator: string; bot?: boolean; avatar: unknown };
  webhook_id?: string;
}

beforeAll(async () => {
  discord = createSyntheticDiscord(clan);
  server = await startFakeDiscordServer({ clan, discord, rateLimit: false });
  const first = server.webhooks[0];
  if (first === undefined) throw new Error('no default webhook');
  hook = first;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearFaults();
  server.setIntents({ messageContent: true });
});

const post = (url: string, body: unknown, init: RequestInit = {}): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

async function channelMessages(channelId: string): Promise<WireMessage[]> {
  const response = await fetch(`${server.url}/v10/channels/${channelId}/messages?limit=5`, {
    headers: { Authorization: 'Bot fake-discord-token' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as WireMessage[];
}

describe('the default webhook', () => {
  it('is ClanStats in #announcements, deterministic, with a pasteable URL', async () => {
    const announcements = discord.channels.find((channel) => channel.role === 'announcements');
    expect(hook.name).toBe('ClanStats');
    expect(hook.channelId).toBe(announcements?.id);
    expect(hook.id).toMatch(/^\d{17,20}$/);
    expect(hook.token).toMatch(/^[\w-]{68}$/);
    expect(hook.url).toBe(`${server.origin}/api/webhooks/${hook.id}/${hook.token}`);
    const again = await startFakeDiscordServer({ clan, rateLimit: false });
    try {
      expect(again.webhooks[0]?.id).toBe(hook.id);
      expect(again.webhooks[0]?.token).toBe(hook.token);
    } finally {
      await again.close();
    }
  });

  it('can be replaced or removed', async () => {
    const general = discord.channels.find((channel) => channel.name === 'general');
    const custom = await startFakeDiscordServer({
      clan,
      rateLimit: false,
      webhooks: [
        { id: '123456789012345678', token: 'abc_DEF-1', channelId: general?.id ?? '', name: 'Bot' },
      ],
    });
    const none = await startFakeDiscordServer({ clan, rateLimit: false, webhooks: [] });
    try {
      expect(custom.webhooks).toEqual([
        {
          id: '123456789012345678',
          token: 'abc_DEF-1',
          channelId: general?.id,
          name: 'Bot',
          url: `${custom.origin}/api/webhooks/123456789012345678/abc_DEF-1`,
        },
      ]);
      expect(none.webhooks).toEqual([]);
    } finally {
      await custom.close();
      await none.close();
    }
    await expect(
      startFakeDiscordServer({ clan, webhooks: [{ channelId: '1' }] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', option: 'webhooks' });
    await expect(startFakeDiscordServer({ clan, webhooks: [{ id: 'x' }] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});

describe('POST /webhooks/:id/:token', () => {
  it('answers 204 without wait, and the message is listed in the channel', async () => {
    const before = server.webhookPosts.length;
    const response = await post(hook.url, { content: 'Weekly summary: 12 new 99s' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const recorded = server.webhookPosts[before];
    expect(recorded).toMatchObject({
      webhookId: hook.id,
      channelId: hook.channelId,
      body: { content: 'Weekly summary: 12 new 99s' },
    });
    const [newest] = await channelMessages(hook.channelId);
    expect(newest).toMatchObject({
      id: recorded?.messageId,
      type: 0,
      content: 'Weekly summary: 12 new 99s',
      webhook_id: hook.id,
      author: { id: hook.id, username: 'ClanStats', discriminator: '0000', bot: true },
    });
    expect(discord.message(hook.channelId, recorded?.messageId ?? '')).toMatchObject({
      authorId: hook.id,
      webhookId: hook.id,
      isBot: true,
      content: 'Weekly summary: 12 new 99s',
    });
  });

  it('answers 200 with the created message with wait=true (username override, embeds)', async () => {
    const response = await post(`${hook.url}?wait=true`, {
      content: 'Hi @everyone',
      username: 'Clan Summary',
      avatar_url: 'https://example.com/a.png',
      embeds: [
        {
          title: 'Week 44',
          color: 0x3498db,
          timestamp: '2026-11-01T00:00:00.000Z',
          fields: [{ name: 'Top gainer', value: 'Iron Fally' }],
          footer: { text: 'ClanStats' },
        },
      ],
      allowed_mentions: { parse: [] },
      flags: 4096,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const message = (await response.json()) as WireMessage;
    expect(message).toMatchObject({
      type: 0,
      channel_id: hook.channelId,
      content: 'Hi @everyone',
      mention_everyone: false,
      mentions: [],
      flags: 4096,
      webhook_id: hook.id,
      author: { id: hook.id, username: 'Clan Summary', discriminator: '0000', bot: true },
      embeds: [
        {
          type: 'rich',
          title: 'Week 44',
          color: 0x3498db,
          timestamp: '2026-11-01T00:00:00.000000+00:00',
          fields: [{ name: 'Top gainer', value: 'Iron Fally', inline: false }],
          footer: { text: 'ClanStats' },
        },
      ],
    });
    expect(message.author.avatar).toMatch(/^[0-9a-f]{32}$/);
    const [newest] = await channelMessages(hook.channelId);
    expect(newest).toEqual(message);
    server.setIntents({ messageContent: false });
    const [hidden] = await channelMessages(hook.channelId);
    expect(hidden).toMatchObject({ id: message.id, content: '', embeds: [] });
  });

  it('pings @everyone and users only when allowed_mentions lets it', async () => {
    const member = discord.users.find((user) => !user.bot && user.leftAt === null);
    const content = `@everyone <@${member?.id ?? ''}>`;
    const open = (await (await post(`${hook.url}?wait=true`, { content })).json()) as WireMessage;
    expect(open.mention_everyone).toBe(true);
    expect(open.mentions.map((user) => user.id)).toEqual([member?.id]);
    const closed = (await (
      await post(`${hook.url}?wait=true`, { content, allowed_mentions: { parse: [] } })
    ).json()) as WireMessage;
    expect(closed.mention_everyone).toBe(false);
    expect(closed.mentions).toEqual([]);
  });

  it('is served unversioned, under /api/v10 and /api/v9, and ignores a bot token', async () => {
    for (const prefix of ['/api', '/api/v10', '/api/v9']) {
      const response = await post(
        `${server.origin}${prefix}/webhooks/${hook.id}/${hook.token}`,
        { content: prefix },
        { headers: { 'Content-Type': 'application/json', Authorization: 'Bot wrong' } },
      );
      expect([prefix, response.status]).toEqual([prefix, 204]);
    }
    const get = await fetch(hook.url);
    expect(get.status).toBe(405);
  });

  it('answers Discord error bodies: 404 10015, 401 50027, 400 50006, 50109', async () => {
    const unknown = await post(`${server.url}/webhooks/123456789012345678/${hook.token}`, {
      content: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Unknown Webhook', code: 10015 });
    const wrongToken = await post(`${server.url}/webhooks/${hook.id}/not-the-token`, {
      content: 'x',
    });
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({ message: 'Invalid Webhook Token', code: 50027 });
    for (const body of [{}, { content: '' }, { content: '', embeds: [] }]) {
      const empty = await post(hook.url, body);
      expect(empty.status).toBe(400);
      expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
    }
    const broken = await post(hook.url, '{"content": "x"');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      message: 'The request body contains invalid JSON.',
      code: 50109,
    });
  });

  it('answers 400 50035 with nested field errors for lengths and counts', async () => {
    const long = await post(hook.url, { content: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        content: {
          _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
        },
      },
    });
    // 2000 code points (astral characters) are fine.
    expect((await post(hook.url, { content: '😀'.repeat(2000) })).status).toBe(204);
    const nested = (await (
      await post(hook.url, {
        username: 'x'.repeat(81),
        embeds: [
          { title: 't'.repeat(257) },
          { fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) },
          { fields: [{ name: '', value: 'v'.repeat(1025) }], footer: { text: 'f'.repeat(2049) } },
        ],
      })
    ).json()) as { code: number; errors: Record<string, unknown> };
    expect(nested.code).toBe(50035);
    expect(nested.errors).toEqual({
      username: {
        _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 80 in length.' }],
      },
      embeds: {
        0: {
          title: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }],
          },
        },
        1: {
          fields: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }],
          },
        },
        2: {
          fields: {
            0: {
              name: {
                _errors: [
                  { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 256 in length.' },
                ],
              },
              value: {
                _errors: [
                  {
                    code: 'BASE_TYPE_BAD_LENGTH',
                    message: 'Must be between 1 and 1024 in length.',
                  },
                ],
              },
            },
          },
          footer: {
            text: {
              _errors: [
                { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 2048 in length.' },
              ],
            },
          },
        },
      },
    });
    const eleven = (await (
      await post(hook.url, { embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) })
    ).json()) as { errors: unknown };
    expect(eleven.errors).toEqual({
      embeds: {
        _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }],
      },
    });
    const named = (await (
      await post(hook.url, { content: 'x', username: 'Discord Bot' })
    ).json()) as {
      errors: unknown;
    };
    expect(named.errors).toEqual({
      username: {
        _errors: [
          { code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "discord"' },
        ],
      },
    });
  });

  it('enforces the 6000-character total over all embeds', async () => {
    const embeds = [0, 1].map(() => ({ description: 'd'.repeat(3000) }));
    expect((await post(hook.url, { embeds })).status).toBe(204);
    embeds.push({ description: 'd' });
    const response = await post(hook.url, { embeds });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          _errors: [
            { code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' },
          ],
        },
      },
    });
  });

  it('posts into a thread of its channel with thread_id', async () => {
    const thread = discord.channels.find(
      (channel) => channel.parentId === hook.channelId && channel.type === 10,
    );
    expect(thread).toBeDefined();
    if (thread === undefined) return;
    const response = await post(`${hook.url}?wait=true&thread_id=${thread.id}`, { content: 'x' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as WireMessage).channel_id).toBe(thread.id);
    const unknown = await post(`${hook.url}?thread_id=123456789012345678`, { content: 'x' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
  });

  it('never records the token (path, url, headers)', async () => {
    server.stats.reset();
    await post(`${hook.url}?wait=true`, { content: 'secret-free' });
    await post(`${server.url}/v10/webhooks/${hook.id}/${hook.token}`, { content: 'x' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: `/api/webhooks/${hook.id}/***`,
      url: `/api/webhooks/${hook.id}/***?wait=true`,
      route: 'POST /webhooks/:id/:token',
      majorParameter: hook.id,
      status: 200,
    });
    expect(server.requests[1]?.path).toBe(`/api/v10/webhooks/${hook.id}/***`);
    expect(server.stats.byRoute['POST /webhooks/:id/:token']).toBe(2);
    const recorded = JSON.stringify(
      server.requests.map((entry) => ({ ...entry, query: entry.query.toString() })),
    );
    expect(recorded).not.toContain(hook.token);
    const posts = JSON.stringify(
      server.webhookPosts.map((entry) => ({ ...entry, query: entry.query.toString() })),
    );
    expect(posts).not.toContain(hook.token);
  });

  it('takes injected faults on its path', async () => {
    server.injectFault({ kind: 'status', status: 500, path: `/webhooks/${hook.id}/${hook.token}` });
    server.injectFault({ kind: 'status', status: 502, path: /\/webhooks\// });
    const first = await post(hook.url, { content: 'x' });
    expect(first.status).toBe(500);
    expect(await first.json()).toEqual({ message: '500: Internal Server Error', code: 0 });
    expect((await post(hook.url, { content: 'x' })).status).toBe(502);
    expect((await post(hook.url, { content: 'x' })).status).toBe(204);
    expect(server.requests.at(-3)?.fault).toBe('status');
  });
});

describe('webhook rate limits', () => {
  it('sends X-RateLimit-* headers and 429 after 5 posts in 2 s, per webhook', async () => {
    const limited = await startFakeDiscordServer({
      clan,
      webhooks: [{}, { name: 'Second' }],
    });
    try {
      const [first, second] = limited.webhooks;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let attempt = 0; attempt < 6; attempt++) {
        last = await post(first?.url ?? '', { content: `#${attempt}` });
        statuses.push(last.status);
        if (attempt === 0) {
          expect(last.headers.get('x-ratelimit-limit')).toBe('5');
          expect(last.headers.get('x-ratelimit-remaining')).toBe('4');
          expect(Number(last.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(1.5);
          expect(last.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
        }
      }
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.headers.get('x-ratelimit-scope')).toBe('user');
      expect(await last?.json()).toMatchObject({
        message: 'You are being rate limited.',
        global: false,
      });
      expect((await post(second?.url ?? '', { content: 'other bucket' })).status).toBe(204);
      expect(limited.stats.rateLimited).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
