import { REST, RESTEvents, Routes } from 'discord.js';
import type { RateLimitData } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticClan, createSyntheticDiscord, startFakeDiscordServer } from '../index.js';
import type { FakeDiscordServer, FakeDiscordServerOptions } from '../index.js';

const TOKEN = 'fake-discord-token';
const clan = createSyntheticClan({ seed: 21, members: 20, days: 45 });
const discord = createSyntheticDiscord(clan);
const general = discord.channels.find((channel) => channel.name === 'general')?.id ?? '';
const pvm = discord.channels.find((channel) => channel.name === 'pvm')?.id ?? '';
let server: FakeDiscordServer | undefined;

async function start(options: FakeDiscordServerOptions): Promise<FakeDiscordServer> {
  server = await startFakeDiscordServer({ clan, discord, ...options });
  return server;
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const call = (running: FakeDiscordServer, path: string, token = TOKEN): Promise<Response> =>
  fetch(`${running.url}/v10${path}`, { headers: { Authorization: `Bot ${token}` } });

describe('rate limits over HTTP', () => {
  it('sends X-RateLimit-* on every response; buckets are per route and per channel', async () => {
    const running = await start({
      rateLimit: {
        messages: { limit: 3, windowMs: 60_000 },
        default: { limit: 4, windowMs: 60_000 },
      },
    });
    const first = await call(running, `/channels/${general}/messages?limit=1`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(first.headers.get('x-ratelimit-reset-after')).toMatch(/^\d+\.\d{3}$/);
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const bucket = first.headers.get('x-ratelimit-bucket');
    expect(bucket).toMatch(/^[0-9a-f]{32}$/);
    const other = await call(running, `/channels/${pvm}/messages?limit=1`);
    expect(other.headers.get('x-ratelimit-bucket')).toBe(bucket);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
    const channels = await call(running, `/guilds/${discord.guild.id}/channels`);
    expect(channels.headers.get('x-ratelimit-limit')).toBe('4');
    expect(channels.headers.get('x-ratelimit-bucket')).not.toBe(bucket);
    const unauthorized = await call(running, `/guilds/${discord.guild.id}/channels`, 'nope');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-ratelimit-bucket')).toBe(
      channels.headers.get('x-ratelimit-bucket'),
    );
    await call(running, `/channels/${general}/messages?limit=1`);
    await call(running, `/channels/${general}/messages?limit=1`);
    const limited = await call(running, `/channels/${general}/messages?limit=1`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect(await limited.json()).toMatchObject({
      message: 'You are being rate limited.',
      global: false,
    });
    expect((await call(running, `/channels/${pvm}/messages?limit=1`)).status).toBe(200);
    expect(running.stats.rateLimited).toBe(1);
  });

  it('a global limit per token across routes: 429 with X-RateLimit-Global', async () => {
    const running = await start({ rateLimit: { global: { limit: 3, windowMs: 60_000 } } });
    for (const path of ['/users/@me', `/guilds/${discord.guild.id}`, `/channels/${general}`])
      expect((await call(running, path)).status).toBe(200);
    const limited = await call(running, `/channels/${pvm}/messages`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await limited.json()).toMatchObject({ global: true });
    expect(running.stats.globalRateLimited).toBe(1);
    // Another token has its own global window.
    const other = await startFakeDiscordServer({
      clan,
      discord,
      tokens: [TOKEN, 'second'],
      rateLimit: { global: { limit: 1, windowMs: 60_000 } },
    });
    try {
      expect((await call(other, '/users/@me')).status).toBe(200);
      expect((await call(other, '/users/@me', 'second')).status).toBe(200);
      expect((await call(other, '/users/@me')).status).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('rateLimit: false sends no rate-limit headers and never limits', async () => {
    const running = await start({ rateLimit: false });
    for (let index = 0; index < 20; index++) {
      const response = await call(running, `/channels/${general}/messages?limit=1`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});

describe('discord.js REST against the fake', () => {
  const rest = (running: FakeDiscordServer): REST =>
    new REST({ api: running.url, version: '10', retries: 1, timeout: 5000 }).setToken(TOKEN);

  it('pre-emptive throttling: a burst on one bucket sees no server 429', async () => {
    const running = await start({ rateLimit: { messages: { limit: 3, windowMs: 300 } } });
    const client = rest(running);
    const events: RateLimitData[] = [];
    client.on(RESTEvents.RateLimited, (data) => events.push(data));
    const pages = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.get(Routes.channelMessages(general), { query: new URLSearchParams({ limit: '5' }) }),
      ),
    );
    expect(pages.every((page) => Array.isArray(page) && page.length === 5)).toBe(true);
    expect(running.stats.rateLimited).toBe(0);
    expect(running.stats.byStatus).toEqual({ '200': 10 });
    expect(events.length).toBeGreaterThan(0);
  });

  it('retries injected 429 storms (route and global) transparently', async () => {
    const running = await start({});
    const client = rest(running);
    running.injectFault({
      kind: 'rate-limit-storm',
      times: 2,
      retryAfterSeconds: 0.1,
      path: `/api/v10/channels/${general}/messages`,
    });
    const page = (await client.get(Routes.channelMessages(general))) as unknown[];
    expect(page).toHaveLength(50);
    expect(running.stats.rateLimited).toBe(2);
    running.injectFault({
      kind: 'rate-limit-storm',
      times: 1,
      retryAfterSeconds: 0.1,
      scope: 'global',
    });
    const started = Date.now();
    await client.get(Routes.user('@me'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(running.stats.globalRateLimited).toBe(1);
  });

  it('a backfill through REST returns the ground truth; errors carry Discord codes', async () => {
    const running = await start({ rateLimit: false });
    const client = rest(running);
    const truth = discord.messagesOf(general).map((message) => message.id);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: '100' });
      if (before !== undefined) query.set('before', before);
      const page = (await client.get(Routes.channelMessages(general), { query })) as Array<{
        id: string;
      }>;
      seen.unshift(...page.map((message) => message.id).reverse());
      if (page.length < 100) break;
      before = page[page.length - 1]?.id;
    }
    expect(seen).toEqual(truth);
    const staff = discord.channels.find((channel) => channel.name === 'staff')?.id ?? '';
    await expect(client.get(Routes.channelMessages(staff))).rejects.toMatchObject({
      status: 403,
      code: 50001,
    });
    await expect(client.get(Routes.channelThreads(pvm, 'private'))).rejects.toMatchObject({
      status: 403,
      code: 50013,
    });
    const joined = (await client.get(Routes.channelJoinedArchivedThreads(pvm))) as {
      threads: unknown[];
    };
    expect(joined.threads.length).toBeGreaterThan(0);
    const members = (await client.get(Routes.guildMembers(discord.guild.id), {
      query: new URLSearchParams({ limit: '1000' }),
    })) as unknown[];
    expect(members).toHaveLength(discord.members.length);
    await expect(
      new REST({ api: running.url, retries: 0 }).setToken('wrong').get(Routes.user('@me')),
    ).rejects.toMatchObject({ status: 401 });
    expect(running.requests.every((request) => request.route !== null)).toBe(true);
  });
});
