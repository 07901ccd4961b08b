// Failures over real HTTP against the fake Discord server: every one ends in a
// DiscordHarvesterError with its code and facts, or in a skipped channel, and none of them (nor any
// event or item) ever contains the token.
import { inspect } from 'node:util';
import type { FakeDiscordServer } from '@clanstats/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DiscordHarvesterError,
  isDiscordHarvesterError,
  type DiscordHarvesterOptions,
  type HarvestEvent,
  type HarvestItem,
} from './index.js';
import { TOKEN, harvesterFor, startServer } from './test-helpers.js';

const WRONG_TOKEN = 'OTk5.WRONG-token-that-must-not-leak.Zz';

/** Everything the tests saw, to grep for the tokens at the end. */
const seen: unknown[] = [];

async function failure(promise: Promise<unknown>): Promise<DiscordHarvesterError> {
  try {
    await promise;
  } catch (error) {
    seen.push(error);
    if (isDiscordHarvesterError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function drain(iterable: AsyncIterable<HarvestItem>): Promise<HarvestItem[]> {
  const items: HarvestItem[] = [];
  for await (const item of iterable) {
    items.push(item);
    seen.push(item);
  }
  return items;
}

describe('failures', () => {
  let server: FakeDiscordServer;
  let events: HarvestEvent[] = [];
  const allEvents: HarvestEvent[][] = [];
  const general = (): string =>
    server.discord.channels.find((channel) => channel.name === 'general')?.id ?? '';

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => {
    server.clearFaults();
    server.stats.reset();
    for (const list of allEvents.splice(0)) seen.push(...list);
  });
  afterAll(async () => {
    await server.close();
  });

  function harvester(options: Partial<DiscordHarvesterOptions> = {}) {
    const made = harvesterFor(server, options);
    events = made.events;
    allEvents.push(made.events);
    return made.harvester;
  }

  it('a rejected token is UNAUTHORIZED after one request, in harvest, members and check', async () => {
    const wrong = harvester({ token: WRONG_TOKEN });
    const error = await failure(drain(wrong.harvest()));
    expect(error).toBeInstanceOf(DiscordHarvesterError);
    expect(error).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      discordCode: 0,
      url: '/users/@me',
      route: 'GET /users/@me',
    });
    expect(server.stats.requests).toBe(1);
    expect((await failure(wrong.check())).code).toBe('UNAUTHORIZED');
    expect((await failure(drain(wrong.members() as never))).code).toBe('UNAUTHORIZED');
  });

  it('an unknown guild is GUILD_NOT_FOUND', async () => {
    const lost = harvester({ guildId: '1234567890123456789' });
    const error = await failure(drain(lost.harvest()));
    expect(error).toMatchObject({ code: 'GUILD_NOT_FOUND', status: 404, discordCode: 10004 });
    expect(error.url).toBe('/guilds/1234567890123456789');
    expect((await failure(lost.check())).code).toBe('GUILD_NOT_FOUND');
  });

  it('a 429 storm ends in RATE_LIMITED with retryAfter, instead of waiting forever', async () => {
    server.injectFault({
      kind: 'rate-limit-storm',
      path: /\/messages$/,
      times: Infinity,
      retryAfterSeconds: 0.2,
    });
    const stormy = harvester({ maxRateLimitHits: 3 });
    const started = Date.now();
    const run = stormy.harvest();
    const error = await failure(drain(run));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 200 });
    expect(error.route).toBe('GET /channels/:id/messages');
    expect(error.channelId).toMatch(/^\d{17,20}$/);
    // A bound far above the ~1 s it takes (3 waits of 0.2 s per channel), far below "forever".
    expect(Date.now() - started).toBeLessThan(60_000);
    const limited = events.filter((event) => event.type === 'rate-limited');
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(limited[0]).toMatchObject({ retryAfterMs: 200, global: false, consecutive: 1 });
    expect(run.stats.rateLimited).toBe(limited.length);
  });

  it('a global 429 storm on every route ends too', async () => {
    server.injectFault({
      kind: 'rate-limit-storm',
      times: Infinity,
      retryAfterSeconds: 0.1,
      scope: 'global',
    });
    const error = await failure(drain(harvester({ maxRateLimitHits: 2 }).harvest()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 100, route: 'GET /users/@me' });
    expect(events.find((event) => event.type === 'rate-limited')).toMatchObject({ global: true });
  });

  it('a few 429s are waited out and counted', async () => {
    server.injectFault({
      kind: 'rate-limit-storm',
      path: `/channels/${general()}/messages`,
      times: 2,
      retryAfterSeconds: 0.1,
    });
    const run = harvester().harvest({ channelIds: [general()] });
    const items = await drain(run);
    expect(items.filter((item) => item.type === 'channel-done')).toHaveLength(1);
    expect(run.stats.rateLimited).toBe(2);
    expect(events.filter((event) => event.type === 'rate-limited')).toHaveLength(2);
  });

  it('5xx on every attempt is SERVER_ERROR after the retries', async () => {
    server.injectFault({ kind: 'status', status: 500, path: /\/messages$/, times: Infinity });
    const run = harvester({ retries: 1, concurrency: 1 }).harvest({ channelIds: [general()] });
    const error = await failure(drain(run));
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 500, channelId: general() });
    expect(server.stats.byStatus['500']).toBe(2);
  });

  it('a proxy’s HTML page is INVALID_RESPONSE saying it is not JSON', async () => {
    server.injectFault({ kind: 'html', status: 200, path: /\/channels$/ });
    const error = await failure(drain(harvester().harvest()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', route: 'GET /guilds/:id/channels' });
    expect(error.message).toMatch(
      /^Not JSON from GET \/guilds\/:id\/channels, so not from Discord \(a proxy, captive portal or firewall may be answering instead\): "<!DOCTYPE html> <html lang=\\"en-US\\">/,
    );
  });

  it('a wrong shape is INVALID_RESPONSE naming the exact field', async () => {
    server.injectFault({
      kind: 'status',
      status: 200,
      path: `/channels/${general()}/messages`,
      body: JSON.stringify([{ id: 5, channel_id: general() }]),
    });
    const error = await failure(drain(harvester().harvest({ channelIds: [general()] })));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', field: 'messages[0].id' });
    expect(error.channelId).toBe(general());
  });

  it('truncated JSON fails with INVALID_RESPONSE or NETWORK, never hangs', async () => {
    server.injectFault({ kind: 'truncated-json', path: /\/guilds\/\d+$/, times: Infinity });
    const error = await failure(harvester({ retries: 0 }).check());
    expect(['INVALID_RESPONSE', 'NETWORK']).toContain(error.code);
  });

  it('a slow server is TIMEOUT', async () => {
    server.injectFault({ kind: 'delay', ms: 5_000, path: '/users/@me', times: Infinity });
    const error = await failure(harvester({ timeoutMs: 200, retries: 0 }).check());
    expect(error).toMatchObject({ code: 'TIMEOUT', route: 'GET /users/@me' });
  });

  it('reset connections are NETWORK after the retries', async () => {
    server.injectFault({ kind: 'reset', path: '/users/@me', times: Infinity });
    const error = await failure(harvester({ retries: 1 }).check());
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe('Network error on GET /users/@me (connection closed by the server)');
    expect(error.status).toBeUndefined();
    expect(server.stats.byRoute['GET /users/@me']).toBe(2);
  });

  it('a connection reset once is retried', async () => {
    server.injectFault({ kind: 'reset', path: '/users/@me' });
    await harvester({ retries: 1 }).check();
    expect(server.stats.byRoute['GET /users/@me']).toBe(2);
  });

  it('a 403 or 404 on one channel skips it and carries on', async () => {
    const pvm = server.discord.channels.find((channel) => channel.name === 'pvm')?.id ?? '';
    server.injectFault({
      kind: 'status',
      status: 403,
      path: `/channels/${general()}/messages`,
      body: JSON.stringify({ message: 'Missing Access', code: 50001 }),
    });
    server.injectFault({
      kind: 'status',
      status: 404,
      path: `/channels/${pvm}/messages`,
      body: JSON.stringify({ message: 'Unknown Channel', code: 10003 }),
    });
    const items = await drain(harvester().harvest({ channelIds: [general(), pvm] }));
    const skipped = items.filter((item) => item.type === 'channel-skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ reason: 'missing-access', status: 403, discordCode: 50001 }),
      expect.objectContaining({ reason: 'unknown-channel', status: 404, discordCode: 10003 }),
    ]);
    expect(skipped.map((item) => item.channel.id).sort()).toEqual([general(), pvm].sort());
    // pvm's threads are still harvested.
    expect(items.filter((item) => item.type === 'channel-done').length).toBeGreaterThan(2);
    expect(events.filter((event) => event.type === 'channel-skipped')).toHaveLength(2);
  });

  it('a caller abort is ABORTED', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user stop'));
    const error = await failure(drain(harvester().harvest({ signal: controller.signal })));
    expect(error.code).toBe('ABORTED');
    expect(server.stats.requests).toBe(0);
    const late = new AbortController();
    server.injectFault({ kind: 'delay', ms: 2_000, path: '/users/@me' });
    const pending = harvester().check({ signal: late.signal });
    setTimeout(() => {
      late.abort();
    }, 50);
    expect((await failure(pending)).code).toBe('ABORTED');
  });

  it('never puts the token in an error, a cause, an event, an item or the stats', () => {
    expect(seen.length).toBeGreaterThan(100);
    for (const value of seen) {
      const texts = [
        inspect(value, { depth: 12, showHidden: true, getters: false }),
        JSON.stringify(value, (_key, item: unknown) =>
          typeof item === 'bigint' ? item.toString() : item,
        ),
      ];
      if (value instanceof Error) {
        texts.push(value.message, String(value.stack));
        let cause: unknown = value.cause;
        while (cause !== undefined && cause !== null) {
          texts.push(inspect(cause, { depth: 12, showHidden: true }));
          cause = cause instanceof Error ? cause.cause : undefined;
        }
      }
      for (const text of texts) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(WRONG_TOKEN);
        expect(text).not.toContain(TOKEN.split('.')[1]);
      }
    }
  });
});
