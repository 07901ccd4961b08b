import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyntheticClan, startFakeWomServer } from '../index.js';
import type { FakeWomServer } from '../index.js';

const clan = createSyntheticClan({ seed: 9, members: 12 });
const groupId = clan.group.id;
let server: FakeWomServer;

beforeAll(async () => {
  server = await startFakeWomServer({ clan, rateLimit: { points: 1000 } });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.faults.clear();
  server.stats.reset();
});

const detailsUrl = (): string => `${server.url}/groups/${groupId}`;

describe('fault injection', () => {
  it('status: answers the given status once, with a default body, then recovers', async () => {
    const fault = server.injectFault({ kind: 'status', status: 500 });
    const failed = await fetch(detailsUrl());
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({
      code: 'UNEXPECTED_ERROR',
      message: 'Unknown server error.',
    });
    expect(fault.hits).toBe(1);
    expect(fault.remaining).toBe(0);
    expect((await fetch(detailsUrl())).status).toBe(200);
    expect(server.requests[0]?.fault).toBe('status');
    expect(server.stats.faults).toBe(1);
  });

  it('status: 503 hiscores body, 502/504 HTML, custom body and headers, times', async () => {
    server.injectFault({ kind: 'status', status: 503 });
    const unavailable = await fetch(detailsUrl());
    expect(await unavailable.json()).toEqual({
      code: 'HISCORES_SERVICE_UNAVAILABLE',
      message: 'Jagex Hiscores Service is unavailable',
    });
    server.injectFault({ kind: 'status', status: 504, times: 2 });
    for (let index = 0; index < 2; index++) {
      const timeout = await fetch(detailsUrl());
      expect(timeout.status).toBe(504);
      expect(timeout.headers.get('content-type')).toContain('text/html');
    }
    server.injectFault({
      kind: 'status',
      status: 500,
      body: '{"oops":true}',
      headers: { 'x-extra': 'yes' },
    });
    const custom = await fetch(detailsUrl());
    expect(custom.headers.get('x-extra')).toBe('yes');
    expect(await custom.json()).toEqual({ oops: true });
    expect((await fetch(detailsUrl())).status).toBe(200);
  });

  it('matches by path (string with or without /v2, RegExp) and method, and can skip', async () => {
    server.injectFault({ kind: 'status', status: 500, path: `/groups/${groupId}/activity` });
    expect((await fetch(detailsUrl())).status).toBe(200);
    expect((await fetch(`${detailsUrl()}/activity?limit=5`)).status).toBe(500);
    server.injectFault({ kind: 'status', status: 502, path: /\/hiscores$/, method: 'GET' });
    expect((await fetch(`${detailsUrl()}/hiscores?metric=attack`)).status).toBe(502);
    server.injectFault({
      kind: 'status',
      status: 500,
      path: `/v2/groups/${groupId}`,
      method: 'POST',
    });
    expect((await fetch(detailsUrl())).status).toBe(200);
    server.faults.clear();
    server.injectFault({ kind: 'status', status: 500, skip: 2 });
    expect((await fetch(detailsUrl())).status).toBe(200);
    expect((await fetch(detailsUrl())).status).toBe(200);
    expect((await fetch(detailsUrl())).status).toBe(500);
    const forever = server.injectFault({ kind: 'status', status: 500, times: Infinity });
    for (let index = 0; index < 3; index++) expect((await fetch(detailsUrl())).status).toBe(500);
    expect(server.faults.active).toHaveLength(1);
    forever.cancel();
    expect(server.faults.active).toHaveLength(0);
  });

  it('delay: handles the request normally after waiting; an aborting client leaves the server healthy', async () => {
    server.injectFault({ kind: 'delay', ms: 30 });
    const delayed = await fetch(detailsUrl());
    expect(delayed.status).toBe(200);
    expect(server.requests[0]?.fault).toBe('delay');
    server.injectFault({ kind: 'delay', ms: 60_000 });
    await expect(fetch(detailsUrl(), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect((await fetch(detailsUrl())).status).toBe(200);
  });

  it('truncated-json: a 200 whose JSON body is cut in half', async () => {
    const whole = await (await fetch(detailsUrl())).text();
    server.injectFault({ kind: 'truncated-json' });
    const response = await fetch(detailsUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('html: a proxy error page with 502, or 200', async () => {
    server.injectFault({ kind: 'html' });
    const bad = await fetch(detailsUrl());
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(await bad.text()).toContain('<!DOCTYPE html>');
    server.injectFault({ kind: 'html', status: 200 });
    const ok = await fetch(detailsUrl());
    expect(ok.status).toBe(200);
    await expect(ok.json()).rejects.toThrow(SyntaxError);
  });

  it('reset: destroys the socket without answering', async () => {
    server.injectFault({ kind: 'reset' });
    await expect(fetch(detailsUrl())).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({ fault: 'reset', status: null });
    expect((await fetch(detailsUrl())).status).toBe(200);
  });

  it('rate-limit-storm: global 429s with Retry-After for N requests', async () => {
    server.injectFault({ kind: 'rate-limit-storm', times: 3, retryAfterSeconds: 2 });
    for (let index = 0; index < 3; index++) {
      const response = await fetch(detailsUrl());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.headers.get('ratelimit-remaining')).toBe('0');
      expect(await response.json()).toEqual({
        message:
          'Too Many Requests. Please check https://docs.wiseoldman.net/#rate-limits--api-keys.',
      });
    }
    expect((await fetch(detailsUrl())).status).toBe(200);
    expect(server.stats.rateLimited).toBe(3);
  });

  it('rejects a fault with times <= 0', () => {
    expect(() => server.injectFault({ kind: 'reset', times: 0 })).toThrow(RangeError);
  });
});
