import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isWomClientError,
  Transport,
  WomClientError,
  type WomClientEvent,
  type WomClientOptions,
} from './index.js';

interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Handler = (request: LoggedRequest, response: ServerResponse, index: number) => void;

interface LocalServer {
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const servers: LocalServer[] = [];

/** A scriptable HTTP server on 127.0.0.1; the handler sees each request and its index. */
async function startServer(handler: Handler): Promise<LocalServer> {
  const requests: LoggedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const logged: LoggedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(logged);
      handler(logged, response, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const local: LocalServer = {
    url: `http://127.0.0.1:${port}/v2`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  servers.push(local);
  return local;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function json(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

const fastRetry = { baseDelay: 5, maxDelay: 20 } as const;

function transport(server: LocalServer, options: WomClientOptions = {}): Transport {
  return new Transport({ baseUrl: server.url, rateLimit: false, retry: fastRetry, ...options });
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

describe('Transport: requests', () => {
  it('sends the user agent as User-Agent and x-user-agent, and the API key as x-api-key', async () => {
    const server = await startServer((_request, response) => {
      json(response, 200, {});
    });
    await transport(server).request('GET', 'groups/1');
    await transport(server, { apiKey: 'secret-key', userAgent: 'my-bot (discord: alice)' }).request(
      'GET',
      'groups/1',
    );
    const [anonymous, keyed] = server.requests;
    expect(anonymous?.headers['user-agent']).toBe(`@clanstats/wom-client/${__PACKAGE_VERSION__}`);
    expect(anonymous?.headers['x-user-agent']).toBe(`@clanstats/wom-client/${__PACKAGE_VERSION__}`);
    expect(anonymous?.headers['x-api-key']).toBeUndefined();
    expect(anonymous?.headers.accept).toBe('application/json');
    expect(anonymous?.headers['content-type']).toBeUndefined();
    expect(keyed?.headers['user-agent']).toBe('my-bot (discord: alice)');
    expect(keyed?.headers['x-user-agent']).toBe('my-bot (discord: alice)');
    expect(keyed?.headers['x-api-key']).toBe('secret-key');
  });

  it('serializes the query: dates as ISO-8601, undefined dropped, paths used as given', async () => {
    const server = await startServer((_request, response) => {
      json(response, 200, []);
    });
    await transport(server).request('GET', '/players/ze%20zima/gained', {
      searchParams: {
        startDate: new Date('2026-08-01T09:41:57.103Z'),
        endDate: undefined,
        limit: 50,
        flag: true,
      },
    });
    expect(server.requests[0]?.url).toBe(
      '/v2/players/ze%20zima/gained?startDate=2026-08-01T09%3A41%3A57.103Z&limit=50&flag=true',
    );
  });

  it('rejects an invalid Date in the query before sending', async () => {
    const server = await startServer((_request, response) => {
      json(response, 200, []);
    });
    await expect(
      transport(server).request('GET', 'x', { searchParams: { startDate: new Date(Number.NaN) } }),
    ).rejects.toThrow(RangeError);
    expect(server.requests).toHaveLength(0);
  });

  it('revives ISO timestamps into Dates, and only those', async () => {
    const body = {
      updatedAt: '2026-08-01T09:41:57.103Z',
      nested: [{ createdAt: '2026-07-01T00:00:00.000Z' }],
      noMillis: '2026-08-01T09:41:57Z',
      day: '2026-08-01',
      name: 'Zezima',
      nothing: null,
    };
    const server = await startServer((_request, response) => {
      json(response, 200, body);
    });
    const revived = await transport(server).request<Record<string, unknown>>('GET', 'x');
    expect(revived.updatedAt).toEqual(new Date('2026-08-01T09:41:57.103Z'));
    expect((revived.nested as Array<{ createdAt: unknown }>)[0]?.createdAt).toBeInstanceOf(Date);
    expect(revived.noMillis).toBe('2026-08-01T09:41:57Z');
    expect(revived.day).toBe('2026-08-01');
    expect(revived.nothing).toBeNull();
    const raw = await transport(server, { parseDates: false }).request<Record<string, unknown>>(
      'GET',
      'x',
    );
    expect(raw.updatedAt).toBe('2026-08-01T09:41:57.103Z');
  });

  it('sends a JSON body with POST, {} when there is none', async () => {
    const server = await startServer((_request, response) => {
      json(response, 201, { ok: true });
    });
    const client = transport(server);
    await client.request('POST', 'groups/1/update-all', { json: { verificationCode: '123-456' } });
    await client.request('POST', 'players/zezima');
    expect(server.requests.map((request) => request.body)).toEqual([
      '{"verificationCode":"123-456"}',
      '{}',
    ]);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('returns text from requestText and still maps its errors', async () => {
    const server = await startServer((request, response) => {
      if (request.url.endsWith('/csv')) {
        response.writeHead(200, { 'content-type': 'text/csv' });
        response.end('Player,Role\nZezima,owner\n');
      } else json(response, 404, { code: 'GROUP_NOT_FOUND', message: 'Group not found' });
    });
    const client = transport(server);
    expect(await client.requestText('GET', 'groups/1/csv')).toBe('Player,Role\nZezima,owner\n');
    expect(server.requests[0]?.headers.accept).toContain('text/csv');
    const error = await failure(client.requestText('GET', 'groups/2/other'));
    expect(error.code).toBe('GROUP_NOT_FOUND');
  });

  it('resolves undefined for 204 No Content', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    expect(await transport(server).request('POST', 'x')).toBeUndefined();
  });

  it('passes requests through a custom fetch and counts what it sends', async () => {
    const server = await startServer((_request, response) => {
      json(response, 200, {});
    });
    const seen: string[] = [];
    const client = transport(server, {
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await client.request('GET', 'a');
    await client.request('GET', 'b');
    expect(seen).toEqual([`${server.url}/a`, `${server.url}/b`]);
    expect(client.requestCount).toBe(2);
  });

  it('reports requests and responses to onEvent and survives a throwing listener', async () => {
    const server = await startServer((_request, response) => {
      json(
        response,
        200,
        {},
        { 'RateLimit-Limit': '20', 'RateLimit-Remaining': '19', 'RateLimit-Reset': '60' },
      );
    });
    const events: WomClientEvent[] = [];
    const client = transport(server, {
      onEvent: (event) => {
        events.push(event);
        throw new Error('listener bug');
      },
    });
    await client.request('GET', 'groups/1');
    expect(events.map((event) => event.type)).toEqual(['request', 'response']);
    expect(events[1]).toMatchObject({
      type: 'response',
      status: 200,
      attempt: 1,
      url: `${server.url}/groups/1`,
      rateLimit: { limit: 20, remaining: 19, reset: 60_000, retryAfter: undefined },
    });
  });

  it('checks its options', () => {
    expect(() => new Transport({ timeout: 0 })).toThrow(RangeError);
    expect(() => new Transport({ retry: -1 })).toThrow(RangeError);
    expect(() => new Transport({ retry: { limit: 1.5 } })).toThrow(RangeError);
    expect(() => new Transport({ rateLimit: { points: 0 } })).toThrow(RangeError);
    expect(() => new Transport({ baseUrl: 'not a url' })).toThrow(TypeError);
  });
});

describe('Transport: error mapping', () => {
  it('keeps the server code, message, status, data and subError; never resolves undefined', async () => {
    const server = await startServer((request, response) => {
      if (request.url.includes('groups')) {
        json(response, 404, { code: 'GROUP_NOT_FOUND', message: 'Group not found' });
      } else if (request.url.includes('conflict')) {
        json(response, 409, { code: 'UNEXPECTED_ERROR', message: 'Conflict' });
      } else {
        json(response, 400, {
          code: 'INVALID_USERNAME',
          message: 'Invalid username',
          subError: { code: 'USERNAME_TOO_LONG' },
          data: { username: 'x'.repeat(13) },
        });
      }
    });
    const client = transport(server);
    const notFound = await failure(client.request('GET', 'groups/999'));
    expect(notFound).toMatchObject({
      name: 'WomClientError',
      code: 'GROUP_NOT_FOUND',
      status: 404,
      method: 'GET',
      url: `${server.url}/groups/999`,
      attempts: 1,
      isRetryable: false,
    });
    expect(notFound.message).toBe(
      `Request failed with status code 404 (GROUP_NOT_FOUND: Group not found): GET ${server.url}/groups/999`,
    );
    const conflict = await failure(client.request('POST', 'conflict'));
    expect(conflict).toMatchObject({ code: 'UNEXPECTED_ERROR', status: 409 });
    const invalid = await failure(client.request('POST', 'players/xxxxxxxxxxxxx'));
    expect(invalid).toMatchObject({
      code: 'INVALID_USERNAME',
      status: 400,
      subError: { code: 'USERNAME_TOO_LONG' },
      data: { username: 'x'.repeat(13) },
    });
    expect(isWomClientError(invalid)).toBe(true);
  });

  it('uses HTTP_ERROR for an error status whose JSON has no code', async () => {
    const server = await startServer((_request, response) => {
      json(response, 418, { message: 'I am a teapot' });
    });
    const error = await failure(transport(server).request('GET', 'x'));
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 418 });
    expect(error.message).toContain('I am a teapot');
  });

  it('maps an HTML page with status 200 to INVALID_RESPONSE with a snippet, not retried', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><html><body>Please wait…</body></html>');
    });
    const client = transport(server);
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, attempts: 1 });
    expect(error.bodySnippet).toBe('<!DOCTYPE html><html><body>Please wait…</body></html>');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain('<!DOCTYPE html>');
    expect(client.requestCount).toBe(1);
  });

  it('maps truncated JSON to INVALID_RESPONSE and an empty 200 body too', async () => {
    const server = await startServer((request, response) => {
      const body = request.url.endsWith('empty') ? '' : '{"id":139,"name":"Clan';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    const client = transport(server);
    expect(await failure(client.request('GET', 'truncated'))).toMatchObject({
      code: 'INVALID_RESPONSE',
      bodySnippet: '{"id":139,"name":"Clan',
    });
    expect(await failure(client.request('GET', 'empty'))).toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 200,
    });
  });

  it('maps a connection cut in the middle of the body to NETWORK_ERROR', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"id":');
      setTimeout(() => request.headers.host && response.destroy(), 20);
    });
    const error = await failure(transport(server, { retry: false }).request('GET', 'x'));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 200, isRetryable: true });
  });

  it('maps an invalid API key (403 without a code) to INVALID_API_KEY, not retried', async () => {
    const server = await startServer((_request, response) => {
      json(response, 403, {
        message: 'Invalid API Key. Please check https://docs.wiseoldman.net/#rate-limits--api-keys',
      });
    });
    const client = transport(server, { apiKey: 'wrong-key' });
    const error = await failure(client.request('GET', 'groups/1'));
    expect(error).toMatchObject({ code: 'INVALID_API_KEY', status: 403, attempts: 1 });
    expect(client.requestCount).toBe(1);
  });
});

describe('Transport: retries', () => {
  it.each([500, 502, 503, 504])('retries GET on %i, then succeeds', async (status) => {
    const server = await startServer((_request, response, index) => {
      if (index < 2)
        json(response, status, { code: 'HISCORES_SERVICE_UNAVAILABLE', message: 'down' });
      else json(response, 200, { ok: true });
    });
    const events: WomClientEvent[] = [];
    const client = transport(server, { onEvent: (event) => events.push(event) });
    expect(await client.request('GET', 'x')).toEqual({ ok: true });
    expect(client.requestCount).toBe(3);
    const retries = events.filter((event) => event.type === 'retry');
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
  });

  it('retries a proxy HTML 502 and reports INVALID_RESPONSE with the status when it persists', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><title>502 Bad gateway</title></html>');
    });
    const client = transport(server, { retry: { ...fastRetry, limit: 2 } });
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 502,
      attempts: 3,
      isRetryable: true,
    });
    expect(error.message).toContain('after 3 attempts');
    expect(client.requestCount).toBe(3);
  });

  it.each([
    [400, 'VALIDATION_ERROR'],
    [401, 'HTTP_ERROR'],
    [403, 'PLAYER_OPTED_OUT'],
    [404, 'PLAYER_NOT_FOUND'],
    [409, 'UNEXPECTED_ERROR'],
  ])('never retries %i', async (status, code) => {
    const server = await startServer((_request, response) => {
      json(response, status, code === 'HTTP_ERROR' ? { message: 'no' } : { code, message: 'no' });
    });
    const client = transport(server);
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({ code, status, attempts: 1 });
    expect(client.requestCount).toBe(1);
  });

  it('does not retry POST on 500, the server may have acted on it', async () => {
    const server = await startServer((_request, response) => {
      json(response, 500, { code: 'UNEXPECTED_DATABASE_ERROR', message: 'try again later' });
    });
    const client = transport(server);
    const error = await failure(client.request('POST', 'players/zezima'));
    expect(error).toMatchObject({ status: 500, attempts: 1, isRetryable: true });
    expect(client.requestCount).toBe(1);
  });

  it('does not retry POST on 502/504, but does on 503 hiscores outages', async () => {
    const server = await startServer((request, response, index) => {
      if (request.url.endsWith('proxy')) {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html></html>');
      } else if (index < 3) {
        json(response, 503, { code: 'HISCORES_UNEXPECTED_ERROR', message: 'refused' });
      } else json(response, 200, { username: 'zezima' });
    });
    const client = transport(server);
    expect(await failure(client.request('POST', 'proxy'))).toMatchObject({
      status: 502,
      attempts: 1,
    });
    expect(await client.request('POST', 'players/zezima')).toEqual({ username: 'zezima' });
    expect(client.requestCount).toBe(4);
  });

  it('gives up after the retry limit with the last error and its attempt count', async () => {
    const server = await startServer((_request, response) => {
      json(response, 503, { code: 'HISCORES_SERVICE_UNAVAILABLE', message: 'down' });
    });
    const client = transport(server, { retry: { ...fastRetry, limit: 2 } });
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({
      code: 'HISCORES_SERVICE_UNAVAILABLE',
      attempts: 3,
      isRetryable: true,
    });
    expect(client.requestCount).toBe(3);
  });

  it('stops retrying when the time budget would be exceeded', async () => {
    const server = await startServer((_request, response) => {
      json(response, 503, { code: 'HISCORES_SERVICE_UNAVAILABLE', message: 'down' });
    });
    const client = transport(server, {
      retry: { limit: 10, baseDelay: 200, maxDelay: 200, jitter: 'none', maxRetryTime: 500 },
    });
    const error = await failure(client.request('GET', 'x'));
    // At 0, ~200 and ~400 ms (fewer if responses are slow); a fourth would start past 500 ms,
    // and without the budget there would be 11.
    expect(error.attempts).toBeGreaterThanOrEqual(2);
    expect(error.attempts).toBeLessThanOrEqual(3);
  });

  it('starts the time budget at the first attempt, not while queued', async () => {
    const server = await startServer((request, response) => {
      if (
        request.url.endsWith('flaky') &&
        !server.requests.some((r) => r !== request && r.url === request.url)
      )
        json(response, 503, { code: 'HISCORES_SERVICE_UNAVAILABLE', message: 'down' });
      else json(response, 200, { ok: true });
    });
    const client = transport(server, {
      rateLimit: { points: 1, windowMs: 300 },
      retry: { ...fastRetry, maxRetryTime: 200 },
    });
    await client.request('GET', 'first');
    // Queued ~300 ms (longer than the budget) before its first attempt, which fails once.
    expect(await client.request('GET', 'flaky')).toEqual({ ok: true });
    expect(client.requestCount).toBe(3);
  });

  it('retries GET on a connection reset, and POST only when the connection was refused', async () => {
    const server = await startServer((_request, response, index) => {
      if (index % 2 === 0) response.socket?.destroy();
      else json(response, 200, { ok: true });
    });
    const client = transport(server);
    expect(await client.request('GET', 'x')).toEqual({ ok: true });
    expect(client.requestCount).toBe(2);
    const reset = await failure(client.request('POST', 'players/zezima'));
    expect(reset).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1, status: undefined });

    const closed = await startServer(() => undefined);
    await closed.close();
    const refused = transport(closed, { retry: { ...fastRetry, limit: 2 } });
    const error = await failure(refused.request('POST', 'players/zezima'));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 3, isRetryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('honours Retry-After on a global 429 and pauses the whole client meanwhile', async () => {
    const server = await startServer((_request, response, index) => {
      if (index === 0)
        json(
          response,
          429,
          { message: 'Too Many Requests.' },
          {
            'Retry-After': '1',
            'RateLimit-Limit': '20',
            'RateLimit-Remaining': '0',
            'RateLimit-Reset': '1',
          },
        );
      else json(response, 200, { index });
    });
    const events: WomClientEvent[] = [];
    // The second call starts once the client has seen the 429 (a fixed wait raced with a slow
    // answer on a loaded machine).
    let saw429: () => void = () => undefined;
    const seen429 = new Promise<void>((resolve) => {
      saw429 = resolve;
    });
    const client = transport(server, {
      rateLimit: { points: 20, windowMs: 60_000 },
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'rateLimited') saw429();
      },
    });
    const started = performance.now();
    const first = client.request('GET', 'a');
    await seen429;
    const other = client.request('GET', 'b'); // queued behind the pause
    await Promise.all([first, other]);
    const [, second, third] = server.requests;
    expect((second?.at ?? 0) - started).toBeGreaterThanOrEqual(990);
    expect((third?.at ?? 0) - started).toBeGreaterThanOrEqual(990);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rateLimited', scope: 'global', retryAfter: 1000 }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rateLimitWait', reason: 'server' }),
    );
  });

  it('fails at once with RATE_LIMITED when Retry-After exceeds the time budget', async () => {
    const server = await startServer((_request, response) => {
      json(response, 429, { message: 'Too Many Requests.' }, { 'Retry-After': '30' });
    });
    const client = transport(server, { retry: { maxRetryTime: 5000 } });
    const started = performance.now();
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfter: 30_000,
      attempts: 1,
      isRetryable: true,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('ends a 429 storm with RATE_LIMITED after the bounded retries', async () => {
    const server = await startServer((_request, response) => {
      json(response, 429, { message: 'Too Many Requests.' });
    });
    const client = transport(server, { retry: { ...fastRetry, limit: 3 } });
    const error = await failure(client.request('POST', 'players/zezima'));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 4, retryAfter: undefined });
    expect(client.requestCount).toBe(4);
  });
});

describe('Transport: per-player cooldown', () => {
  const cooldown = (response: ServerResponse, seconds: number): void => {
    json(
      response,
      429,
      { code: 'PLAYER_IS_RATE_LIMITED', message: 'Player was updated too recently' },
      {
        'RateLimit-Limit': '1',
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(seconds),
        'Retry-After': String(seconds),
      },
    );
  };

  it('fails a long cooldown at once, holds back only that player, and keeps the global limit', async () => {
    const server = await startServer((request, response) => {
      if (request.method === 'POST' && request.url.endsWith('/zezima')) cooldown(response, 50);
      else
        json(
          response,
          200,
          {},
          { 'RateLimit-Limit': '20', 'RateLimit-Remaining': '15', 'RateLimit-Reset': '60' },
        );
    });
    const events: WomClientEvent[] = [];
    const client = transport(server, {
      rateLimit: { points: 20, windowMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    const error = await failure(client.request('POST', 'players/zezima', { player: 'Zezima' }));
    expect(error).toMatchObject({
      code: 'PLAYER_IS_RATE_LIMITED',
      status: 429,
      retryAfter: 50_000,
      attempts: 1,
    });
    // Other players and reads go on at once: the client did not pause or adopt RateLimit-Limit: 1.
    const started = performance.now();
    await Promise.all([
      client.request('POST', 'players/lynx%20titan', { player: 'Lynx Titan' }),
      client.request('GET', 'players/zezima'),
      client.request('GET', 'groups/1'),
    ]);
    expect(performance.now() - started).toBeLessThan(10_000);
    // The same player (however spelled) fails locally without spending a request.
    const sent = client.requestCount;
    const local = await failure(client.request('POST', 'players/zezima', { player: ' ZEZIMA ' }));
    expect(local).toMatchObject({ code: 'PLAYER_IS_RATE_LIMITED', attempts: 0, status: undefined });
    expect(local.retryAfter).toBeGreaterThan(40_000);
    expect(client.requestCount).toBe(sent);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rateLimited', scope: 'player', player: 'zezima' }),
    );
  });

  it('waits out a short cooldown once and retries', async () => {
    const server = await startServer((_request, response, index) => {
      if (index === 0) cooldown(response, 1);
      else json(response, 200, { updated: true });
    });
    const client = transport(server, { retry: { maxPlayerCooldownWait: 2000 } });
    const started = performance.now();
    expect(await client.request('POST', 'players/zezima', { player: 'zezima' })).toEqual({
      updated: true,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(client.requestCount).toBe(2);
  });

  it('makes a later update of the same player wait out a short known cooldown', async () => {
    const server = await startServer((_request, response, index) => {
      if (index === 0) cooldown(response, 1);
      else json(response, 200, { updated: true });
    });
    // The second update starts once the client has seen the first one's cooldown (waiting a fixed
    // time instead raced with a slow answer on a loaded machine).
    let sawCooldown: () => void = () => undefined;
    const cooldownSeen = new Promise<void>((resolve) => {
      sawCooldown = resolve;
    });
    const client = transport(server, {
      retry: { maxPlayerCooldownWait: 2000 },
      onEvent: (event) => {
        if (event.type === 'rateLimited') sawCooldown();
      },
    });
    const started = performance.now();
    const first = client.request('POST', 'players/zezima', { player: 'zezima' });
    await cooldownSeen;
    const second = client.request('POST', 'players/zezima', { player: 'Zezima' });
    await Promise.all([first, second]);
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests.slice(1))
      expect(request.at - started).toBeGreaterThanOrEqual(990);
  });

  it('retries a short cooldown only once', async () => {
    const server = await startServer((_request, response) => {
      cooldown(response, 0);
    });
    const client = transport(server, { retry: { maxPlayerCooldownWait: 2000 } });
    const error = await failure(client.request('POST', 'players/zezima', { player: 'zezima' }));
    expect(error).toMatchObject({ code: 'PLAYER_IS_RATE_LIMITED', attempts: 2 });
  });
});

describe('Transport: timeouts and aborts', () => {
  it('retries a GET that times out within the retry budget, then fails with TIMEOUT', async () => {
    const server = await startServer((_request, response) => {
      setTimeout(() => {
        json(response, 200, {});
      }, 2000);
    });
    const client = transport(server, { timeout: 100, retry: { ...fastRetry, limit: 2 } });
    const started = performance.now();
    const error = await failure(client.request('GET', 'x'));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 3, isRetryable: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(client.requestCount).toBe(3);
  });

  it('retries a GET that timed out once, and returns the next answer', async () => {
    const server = await startServer((_request, response, index) => {
      if (index === 0) return; // never answers
      json(response, 200, { ok: true });
    });
    const client = transport(server, { timeout: 100 });
    expect(await client.request('GET', 'x')).toEqual({ ok: true });
    expect(client.requestCount).toBe(2);
  });

  it('never retries a POST that timed out', async () => {
    const server = await startServer(() => undefined); // never answers
    const client = transport(server, { timeout: 100 });
    const error = await failure(client.request('POST', 'players/zezima'));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(client.requestCount).toBe(1);
  });

  it('times out a body that stalls after the headers', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"slow":');
    });
    const error = await failure(transport(server, { timeout: 150 }).request('GET', 'x'));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 200 });
  });

  it('aborts an in-flight call quickly with ABORTED and the reason as cause', async () => {
    const server = await startServer(() => undefined); // never answers
    const controller = new AbortController();
    const client = transport(server);
    const started = performance.now();
    const pending = client.request('GET', 'x', { signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error('user cancelled'));
    }, 50);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(error.cause).toEqual(new Error('user cancelled'));
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('aborts a call that waits in the rate-limit queue, or during a retry delay', async () => {
    const server = await startServer((request, response) => {
      if (request.url.endsWith('flaky')) json(response, 503, { code: 'X', message: 'down' });
      else json(response, 200, {});
    });
    const client = transport(server, {
      rateLimit: { points: 1, windowMs: 60_000 },
      retry: { baseDelay: 10_000, maxDelay: 10_000 },
    });
    await client.request('GET', 'first');
    const queued = client.request('GET', 'second', { signal: AbortSignal.timeout(50) });
    expect(await failure(queued)).toMatchObject({ code: 'ABORTED', attempts: 0 });

    const other = transport(server, { retry: { baseDelay: 10_000, maxDelay: 10_000 } });
    const started = performance.now();
    const retrying = other.request('GET', 'flaky', { signal: AbortSignal.timeout(100) });
    expect(await failure(retrying)).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const server = await startServer((_request, response) => {
      json(response, 200, {});
    });
    const client = transport(server);
    const error = await failure(client.request('GET', 'x', { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'ABORTED', attempts: 0 });
    expect(client.requestCount).toBe(0);
  });
});

describe('Transport: secrets', () => {
  it('keeps the API key out of every error, message and event', async () => {
    const apiKey = 'super-secret-api-key-123';
    const server = await startServer((request, response) => {
      if (request.url.endsWith('slow')) return;
      if (request.url.endsWith('reset')) {
        response.socket?.destroy();
        return;
      }
      if (request.url.endsWith('html')) {
        response.writeHead(200);
        response.end('<html>oops</html>');
        return;
      }
      json(response, 403, { message: 'Invalid API Key.' });
    });
    const events: WomClientEvent[] = [];
    const client = transport(server, {
      apiKey,
      // Long enough that only the request the server never answers times out, even on a busy
      // machine (a 100 ms timeout once caught the HTML response too).
      timeout: 2_000,
      retry: false,
      onEvent: (event) => events.push(event),
    });
    const errors = await Promise.all(
      ['forbidden', 'slow', 'reset', 'html'].map((path) => failure(client.request('GET', path))),
    );
    expect(errors.map((error) => error.code)).toEqual([
      'INVALID_API_KEY',
      'TIMEOUT',
      'NETWORK_ERROR',
      'INVALID_RESPONSE',
    ]);
    for (const error of errors) {
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(apiKey);
      expect(`${JSON.stringify(error)} ${error.message} ${error.stack ?? ''}`).not.toContain(
        apiKey,
      );
    }
    expect(inspect(events, { depth: 10 })).not.toContain(apiKey);
  });
});

describe('Transport: rate limiting against response headers', () => {
  it('adopts a lower server limit before sending a burst', async () => {
    // A server allowing 3 per window while the client was configured for 10.
    let windowStart = -Infinity;
    let count = 0;
    const server = await startServer((_request, response) => {
      const now = performance.now();
      if (now >= windowStart + 400) {
        windowStart = now;
        count = 0;
      }
      count++;
      const headers = {
        'RateLimit-Limit': '3',
        'RateLimit-Remaining': String(Math.max(0, 3 - count)),
        'RateLimit-Reset': '1',
      };
      if (count > 3)
        json(response, 429, { message: 'Too Many Requests.' }, { ...headers, 'Retry-After': '1' });
      else json(response, 200, {}, headers);
    });
    const client = transport(server, { rateLimit: { points: 10, windowMs: 400 } });
    await Promise.all(Array.from({ length: 9 }, () => client.request('GET', 'x')));
    expect(server.requests).toHaveLength(9);
    expect(client.requestCount).toBe(9);
  });
});
