import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticClan, isTestkitError, startFakeWomServer } from '../index.js';
import type { FakeWomServer, FakeWomServerOptions } from '../index.js';

const clan = createSyntheticClan({ seed: 5, members: 25 });
const groupId = clan.group.id;
const TOO_MANY = {
  message: 'Too Many Requests. Please check https://docs.wiseoldman.net/#rate-limits--api-keys.',
};

const servers: FakeWomServer[] = [];
async function start(options: FakeWomServerOptions = {}): Promise<FakeWomServer> {
  const server = await startFakeWomServer({ clan, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function manualClock(): { now: () => Date; advance: (ms: number) => void } {
  let time = Date.parse(clan.now);
  return {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
  };
}

describe('global rate limit', () => {
  it('sends RateLimit headers on every response and 429s after N requests in a window', async () => {
    const clock = manualClock();
    const server = await start({ rateLimit: { points: 3, windowMs: 1000 }, now: clock.now });
    const remaining: Array<string | null> = [];
    for (let index = 0; index < 3; index++) {
      const response = await fetch(`${server.url}/groups/${groupId}/activity`);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      expect(response.headers.get('ratelimit-reset')).toBe('1');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await fetch(`${server.url}/groups/${groupId}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await limited.json()).toEqual(TOO_MANY);
    // unknown endpoints cost a point too, and are limited the same way
    expect((await fetch(`${server.url}/nothing`)).status).toBe(429);
    expect(server.stats.rateLimited).toBe(2);
    clock.advance(1000);
    const fresh = await fetch(`${server.url}/groups/${groupId}`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('keys windows by API key (keyedPoints) and by IP, and rejects unknown keys with 403', async () => {
    const server = await start({ rateLimit: { points: 1, keyedPoints: 2 }, apiKeys: ['good-key'] });
    const keyed = { headers: { 'x-api-key': 'good-key' } };
    const first = await fetch(`${server.url}/`, keyed);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-reset')).toBe('60');
    expect((await fetch(`${server.url}/`, keyed)).status).toBe(200);
    expect((await fetch(`${server.url}/`, keyed)).status).toBe(429);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(429);
    expect(
      (await fetch(`${server.url}/`, { headers: { 'x-forwarded-for': '10.0.0.9' } })).status,
    ).toBe(200);
    const bad = await fetch(`${server.url}/`, { headers: { 'x-api-key': 'nope' } });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({
      message: 'Invalid API Key. Please check https://docs.wiseoldman.net/#rate-limits--api-keys',
    });
    server.resetRateLimits();
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it('can be disabled (no headers at all)', async () => {
    const server = await start({ rateLimit: false });
    for (let index = 0; index < 25; index++) {
      const response = await fetch(`${server.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});

describe('player update', () => {
  it('201 for a new player, 200 for an existing one, then the per-player cooldown', async () => {
    const clock = manualClock();
    const server = await start({ rateLimit: false, now: clock.now });
    const member = clan.members.find(
      (candidate) => candidate.membership.leftAt === null && candidate.history.times.length > 0,
    );
    if (member === undefined) throw new Error('no tracked member');
    const path = `${server.url}/players/${encodeURIComponent(member.player.displayName)}`;
    const first = await fetch(path, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(first.status).toBe(200);
    const details = (await first.json()) as {
      updatedAt: string;
      lastChangedAt: string | null;
      latestSnapshot: { createdAt: string };
    };
    expect(details.updatedAt).toBe(clock.now().toISOString());
    expect(details.latestSnapshot.createdAt).toBe(details.updatedAt);
    expect(details.lastChangedAt).toBe(member.player.lastChangedAt);

    clock.advance(20_000);
    const limited = await fetch(path, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-limit')).toBe('1');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(await limited.json()).toEqual({
      code: 'PLAYER_IS_RATE_LIMITED',
      message: 'Player was updated too recently',
    });
    expect(server.stats.playerRateLimited).toBe(1);
    expect(server.stats.rateLimited).toBe(0);

    clock.advance(40_000);
    expect((await fetch(path, { method: 'POST' })).status).toBe(200);

    const created = await fetch(`${server.url}/players/Brand_New`, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      username: 'brand new',
      displayName: 'Brand_New',
      lastChangedAt: null,
    });
    // a brand-new player may be updated again right away
    expect((await fetch(`${server.url}/players/brand%20new`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${server.url}/players/brand%20new`)).status).toBe(200);
  });

  it('rejects invalid usernames with INVALID_USERNAME and a sub-error', async () => {
    const server = await start({ rateLimit: false });
    const tooLong = await fetch(`${server.url}/players/abcdefghijklmn`, { method: 'POST' });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({
      code: 'INVALID_USERNAME',
      subError: { code: 'USERNAME_TOO_LONG' },
      message: 'Invalid username',
    });
    const special = await fetch(`${server.url}/players/${encodeURIComponent('bad$name')}`, {
      method: 'POST',
    });
    expect(await special.json()).toMatchObject({
      subError: { code: 'USERNAME_HAS_SPECIAL_CHARACTERS' },
    });
  });

  it('answers HISCORES_USERNAME_NOT_FOUND for names the fake hiscores do not know', async () => {
    const server = await start({ rateLimit: false, hiscoresNotFound: ['Ghost_Name'] });
    const response = await fetch(`${server.url}/players/ghost%20name`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'HISCORES_USERNAME_NOT_FOUND',
      message: 'Player not found on the hiscores',
    });
    expect((await fetch(`${server.url}/players/ghost%20name`)).status).toBe(404);
  });

  it('honours a custom cooldown', async () => {
    const server = await start({ rateLimit: false, playerUpdateCooldownMs: 0 });
    const name = encodeURIComponent(clan.members[0]?.player.username ?? '');
    expect((await fetch(`${server.url}/players/${name}`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${server.url}/players/${name}`, { method: 'POST' })).status).toBe(200);
  });
});

describe('request log and stats', () => {
  it('records method, raw path, query, lowercased headers and status', async () => {
    const server = await start({ rateLimit: false });
    await fetch(`${server.url}/players/ze%20zima?x=1&limit=5`, {
      headers: { 'User-Agent': 'clanstats-test/1.0' },
    });
    await fetch(`${server.url}/names`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-User-Agent': 'browser' },
      body: JSON.stringify({ oldName: 'a', newName: 'b' }),
    });
    const [first, second] = server.requests;
    expect(first).toMatchObject({
      method: 'GET',
      path: '/v2/players/ze%20zima',
      route: 'GET /players/:username',
      status: 404,
    });
    expect(first?.url).toBe('/v2/players/ze%20zima?x=1&limit=5');
    expect(first?.query.get('limit')).toBe('5');
    expect(first?.headers['user-agent']).toBe('clanstats-test/1.0');
    expect(first?.at).toBeInstanceOf(Date);
    expect(second).toMatchObject({
      method: 'POST',
      body: { oldName: 'a', newName: 'b' },
      status: 400,
    });
    expect(second?.headers['x-user-agent']).toBe('browser');
    expect(server.stats).toMatchObject({
      requests: 2,
      byPath: { '/v2/players/ze%20zima': 1, '/v2/names': 1 },
      byRoute: { 'GET /players/:username': 1, 'POST /names': 1 },
      byStatus: { '404': 1, '400': 1 },
    });
    server.stats.reset();
    expect(server.stats.requests).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('answers CORS preflights', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/groups/${groupId}`, {
      method: 'OPTIONS',
      headers: {
        'access-control-request-headers': 'x-api-key,content-type',
        'access-control-request-method': 'GET',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-api-key,content-type');
  });

  it('rejects invalid options with TestkitError', async () => {
    await expect(startFakeWomServer({ rateLimit: { points: 0 } })).rejects.toSatisfy(
      isTestkitError,
    );
    await expect(startFakeWomServer({ playerUpdateCooldownMs: -1 })).rejects.toSatisfy(
      isTestkitError,
    );
  });
});

describe('legacy mode', () => {
  it('has no bulk endpoints and paginates hiscores and gained (default 20)', async () => {
    const big = createSyntheticClan({ seed: 8, members: 45 });
    const server = await startFakeWomServer({ clan: big, legacy: true, rateLimit: false });
    servers.push(server);
    const id = big.group.id;
    for (const path of [`/groups/${id}/bulk-hiscores`, `/groups/${id}/bulk-gained?period=week`]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        code: 'ENDPOINT_NOT_FOUND',
        message: 'Endpoint not found',
      });
    }
    const tracked = big.members.filter(
      (member) => member.membership.leftAt === null && member.history.times.length > 0,
    );
    expect(tracked.length).toBeGreaterThan(20);
    const page = (await (
      await fetch(`${server.url}/groups/${id}/hiscores?metric=overall`)
    ).json()) as unknown[];
    expect(page).toHaveLength(20);
    const all = (await (
      await fetch(`${server.url}/groups/${id}/hiscores?metric=overall&limit=100000`)
    ).json()) as unknown[];
    expect(all).toHaveLength(tracked.length);
    const rest = (await (
      await fetch(`${server.url}/groups/${id}/hiscores?metric=overall&offset=20&limit=100000`)
    ).json()) as unknown[];
    expect(rest).toEqual(all.slice(20));
    const gained = (await (
      await fetch(`${server.url}/groups/${id}/gained?metric=overall&period=year`)
    ).json()) as unknown[];
    expect(gained).toHaveLength(20);
    const tooMany = await fetch(
      `${server.url}/groups/${id}/gained?metric=overall&period=year&limit=100001`,
    );
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({
      code: 'VALIDATION_ERROR',
      message:
        "The maximum results limit is 100000. Please consider using the 'offset' parameter to load more data.",
    });
  });
});

describe('close()', () => {
  it('frees the port and refuses further connections', async () => {
    const server = await startFakeWomServer({ clan });
    const { port, url } = server;
    expect(url).toBe(`http://127.0.0.1:${port}/v2`);
    expect(server.origin).toBe(`http://127.0.0.1:${port}`);
    await fetch(`${url}/`);
    await server.close();
    await server.close();
    await expect(fetch(`${url}/`)).rejects.toThrow();
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => {
        probe.close(() => {
          resolve();
        });
      });
    });
  });
});

describe('request bodies and paths', () => {
  it('answers 400 to a malformed JSON body and tolerates trailing slashes', async () => {
    const server = await start({ rateLimit: false });
    const response = await fetch(`${server.url}/names`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"oldName":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'UNEXPECTED_ERROR' });
    expect((await fetch(`${server.url}/groups/${groupId}/`)).status).toBe(200);
    expect((await fetch(`${server.origin}/groups/${groupId}`)).status).toBe(404);
    expect((await fetch(`${server.url}/groups/${groupId}`, { method: 'DELETE' })).status).toBe(404);
  });
});
