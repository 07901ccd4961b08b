import { inspect } from 'node:util';
import {
  createSyntheticClan,
  startFakeWomServer,
  type FakeWomServer,
  type FakeWomServerOptions,
} from '@clanstats/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Transport, WomClientError, type WomClientEvent, type WomClientOptions } from './index.js';

// Real HTTP against the testkit's fake Wise Old Man server, with short rate-limit windows.

const clan = createSyntheticClan({ seed: 7, members: 20 });
const servers: FakeWomServer[] = [];

async function start(options: FakeWomServerOptions = {}): Promise<FakeWomServer> {
  const server = await startFakeWomServer({ clan, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const fastRetry = { baseDelay: 5, maxDelay: 20 } as const;

function client(server: FakeWomServer, options: WomClientOptions = {}): Transport {
  return new Transport({
    baseUrl: server.url,
    rateLimit: { points: 20, windowMs: 500 },
    retry: fastRetry,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<WomClientError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WomClientError);
    return error as WomClientError;
  }
  throw new Error('expected the call to fail');
}

const groupPath = `groups/${clan.group.id}`;
const member = clan.members[0]?.player.username ?? 'missing';

describe('against the fake WOM server: rate limits', () => {
  it('sends a burst of 250 calls with zero 429s in no less than the floor time', async () => {
    const server = await start({ rateLimit: { points: 20, windowMs: 500 } });
    const transport = client(server);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 250 }, () => transport.request<string>('GET', '')),
    );
    const elapsed = performance.now() - started;
    expect(results.every((version) => version === '2.8.52')).toBe(true);
    expect(server.stats.rateLimited).toBe(0);
    expect(server.stats.requests).toBe(250);
    expect(transport.requestCount).toBe(250);
    // (ceil(250 / 20) - 1) windows = 6 s. Precise timing is measured by a benchmark, not here.
    expect(elapsed).toBeGreaterThanOrEqual(0.98 * 12 * 500);
  });

  it('adopts the server limit when it is lower than the client’s', async () => {
    const server = await start({ rateLimit: { points: 5, windowMs: 400 } });
    const transport = client(server, { rateLimit: { points: 20, windowMs: 400 } });
    await Promise.all(Array.from({ length: 16 }, () => transport.request('GET', groupPath)));
    expect(server.stats.rateLimited).toBe(0);
    expect(transport.requestCount).toBe(16);
  });

  it('waits for the server reset when another process used up the window', async () => {
    const server = await start({ rateLimit: { points: 5, windowMs: 1000 } });
    // Someone else on the same IP spends 4 of the 5 points.
    for (let index = 0; index < 4; index++) await fetch(`${server.url}/`);
    const events: WomClientEvent[] = [];
    const transport = client(server, {
      rateLimit: { points: 5, windowMs: 1000 },
      onEvent: (event) => events.push(event),
    });
    await Promise.all(Array.from({ length: 4 }, () => transport.request('GET', '')));
    expect(server.stats.rateLimited).toBe(0);
    expect(transport.requestCount).toBe(4);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rateLimitWait', reason: 'server' }),
    );
  });

  it('honours Retry-After on a global 429', async () => {
    const server = await start({ rateLimit: { points: 20, windowMs: 500 } });
    server.injectFault({ kind: 'rate-limit-storm', times: 1, retryAfterSeconds: 1 });
    const transport = client(server);
    expect(await transport.request('GET', '')).toBe('2.8.52');
    const [limited, retried] = server.requests;
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.at.getTime() ?? 0) - (limited?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('ends a rate-limit storm with RATE_LIMITED after the bounded retries', async () => {
    const server = await start({ rateLimit: { points: 20, windowMs: 500 } });
    server.injectFault({ kind: 'rate-limit-storm', times: 100, retryAfterSeconds: 1 });
    const transport = client(server, { retry: { ...fastRetry, limit: 2 } });
    const error = await failure(transport.request('GET', groupPath));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfter: 1000,
      attempts: 3,
      isRetryable: true,
    });
    expect(server.stats.rateLimited).toBe(3);
    expect(transport.requestCount).toBe(3);
  });

  it('fails at once when a storm asks for longer than the retry time budget', async () => {
    const server = await start({ rateLimit: { points: 20, windowMs: 500 } });
    server.injectFault({ kind: 'rate-limit-storm', times: 100, retryAfterSeconds: 120 });
    const transport = client(server);
    const started = performance.now();
    const error = await failure(transport.request('GET', groupPath));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 120_000, attempts: 1 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('keeps a per-player cooldown to that player', async () => {
    const server = await start({ rateLimit: { points: 20, windowMs: 500 } });
    const transport = client(server);
    await transport.request('POST', `players/${encodeURIComponent(member)}`, { player: member });
    const error = await failure(
      transport.request('POST', `players/${encodeURIComponent(member)}`, { player: member }),
    );
    expect(error).toMatchObject({ code: 'PLAYER_IS_RATE_LIMITED', status: 429, attempts: 1 });
    expect(error.retryAfter).toBeGreaterThan(50_000);
    expect(server.stats.playerRateLimited).toBe(1);
    // Nothing else waits: 19 more calls fit in the current window and go out at once.
    const started = performance.now();
    await Promise.all(Array.from({ length: 10 }, () => transport.request('GET', groupPath)));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(server.stats.rateLimited).toBe(0);
  });
});

describe('against the fake WOM server: faults and errors', () => {
  it.each([502, 503, 504])('retries %i, then succeeds', async (status) => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'status', status, times: 2 });
    const transport = client(server);
    const group = await transport.request<{ id: number; createdAt: Date }>('GET', groupPath);
    expect(group.id).toBe(clan.group.id);
    expect(group.createdAt).toBeInstanceOf(Date);
    expect(server.stats.requests).toBe(3);
  });

  it('does not retry 400, 403 or 404', async () => {
    const server = await start({ rateLimit: false, apiKeys: ['k'] });
    const transport = client(server);
    expect(await failure(transport.request('GET', 'groups/not-a-number'))).toMatchObject({
      code: 'VALIDATION_ERROR',
      status: 400,
      attempts: 1,
    });
    expect(await failure(transport.request('GET', 'nowhere'))).toMatchObject({
      code: 'ENDPOINT_NOT_FOUND',
      status: 404,
      attempts: 1,
    });
    const missing = await failure(transport.request('GET', 'groups/999999'));
    expect(missing).toMatchObject({ status: 404, attempts: 1 });
    const wrongKey = client(server, { apiKey: 'not-the-key' });
    const forbidden = await failure(wrongKey.request('GET', groupPath));
    expect(forbidden).toMatchObject({ code: 'INVALID_API_KEY', status: 403, attempts: 1 });
    expect(`${forbidden.message} ${inspect(forbidden, { depth: 10 })}`).not.toContain(
      'not-the-key',
    );
    expect(server.stats.requests).toBe(4);
  });

  it('accepts a valid API key and sends the user agent both ways', async () => {
    const server = await start({
      rateLimit: { points: 20, keyedPoints: 100, windowMs: 500 },
      apiKeys: ['k'],
    });
    const transport = client(server, { apiKey: 'k', userAgent: 'clan-bot (discord: alice)' });
    await transport.request('GET', groupPath);
    const [request] = server.requests;
    expect(request?.headers['x-api-key']).toBe('k');
    expect(request?.headers['user-agent']).toBe('clan-bot (discord: alice)');
    expect(request?.headers['x-user-agent']).toBe('clan-bot (discord: alice)');
  });

  it('retries a GET that timed out, and fails with TIMEOUT when every attempt does', async () => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'delay', ms: 20_000 });
    const transport = client(server, { timeout: 200 });
    await expect(transport.request('GET', groupPath)).resolves.toMatchObject({ id: clan.group.id });
    expect(transport.requestCount).toBe(2);

    server.injectFault({ kind: 'delay', ms: 20_000, times: Infinity });
    const started = performance.now();
    expect(await failure(transport.request('GET', groupPath))).toMatchObject({
      code: 'TIMEOUT',
      attempts: 4,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('aborts quickly with ABORTED', async () => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'delay', ms: 20_000 });
    const transport = client(server);
    const started = performance.now();
    const error = await failure(
      transport.request('GET', groupPath, { signal: AbortSignal.timeout(50) }),
    );
    expect(error.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('maps a proxy HTML page to INVALID_RESPONSE (200 at once; 502 after retries)', async () => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'html', status: 200 });
    const transport = client(server, { retry: { ...fastRetry, limit: 1 } });
    const portal = await failure(transport.request('GET', groupPath));
    expect(portal).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, attempts: 1 });
    expect(portal.bodySnippet).toContain('<!DOCTYPE html>');
    server.injectFault({ kind: 'html', times: 5 });
    const gateway = await failure(transport.request('GET', groupPath));
    expect(gateway).toMatchObject({ code: 'INVALID_RESPONSE', status: 502, attempts: 2 });
  });

  it('maps truncated JSON to INVALID_RESPONSE', async () => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'truncated-json' });
    const error = await failure(client(server).request('GET', groupPath));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('retries a connection reset for GET, not for POST', async () => {
    const server = await start({ rateLimit: false });
    server.injectFault({ kind: 'reset' });
    const transport = client(server);
    expect(await transport.request('GET', groupPath)).toMatchObject({ id: clan.group.id });
    expect(transport.requestCount).toBe(2);
    server.injectFault({ kind: 'reset', method: 'POST' });
    const error = await failure(transport.request('POST', `players/${encodeURIComponent(member)}`));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1 });
  });
});
