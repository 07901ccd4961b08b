import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION, WomClient, fetchGroupStats, isWomClientError } from './index.js';
import { lastRequest, rejectionOf, startWorld, type TestWorld } from './test-helpers.js';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ seed: 2, members: 15, days: 30 });
});

afterAll(async () => {
  await world.server.close();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('WomClient', () => {
  it('sends the user agent and API key, and no body headers on GET', async () => {
    const wom = new WomClient({
      baseUrl: world.server.url,
      apiKey: 'secret-key',
      userAgent: 'bot/1',
    });
    await wom.groups.getDetails(world.groupId);
    const { headers } = lastRequest(world.server);
    expect(headers['user-agent']).toBe('bot/1');
    expect(headers['x-user-agent']).toBe('bot/1');
    expect(headers['x-api-key']).toBe('secret-key');
    expect(headers['content-type']).toBeUndefined();
  });

  it('identifies itself by default', async () => {
    const wom = new WomClient({ baseUrl: world.server.url });
    await wom.groups.getStatistics(world.groupId);
    expect(lastRequest(world.server).headers['x-user-agent']).toBe(
      `@clanstats/wom-client/${VERSION}`,
    );
  });

  it('keeps dates as ISO strings with parseDates: false', async () => {
    const wom = new WomClient({ baseUrl: world.server.url, parseDates: false });
    const details = await wom.groups.getDetails(world.groupId);
    expect(details.createdAt).toBe(world.clan.group.createdAt);
    expect(details.memberships[0]?.player.registeredAt).toMatch(ISO);
    const activity = await wom.groups.getActivity(world.groupId);
    expect(activity[0]?.createdAt).toMatch(ISO);
  });

  it('parses dates once, into Date objects', async () => {
    const details = await world.wom.groups.getDetails(world.groupId);
    expect(details.createdAt).toBeInstanceOf(Date);
    expect(details.memberships.every((membership) => membership.createdAt instanceof Date)).toBe(
      true,
    );
  });

  it('counts the requests it sends', async () => {
    const wom = new WomClient({ baseUrl: world.server.url });
    expect(wom.requestCount).toBe(0);
    await wom.groups.getDetails(world.groupId);
    await wom.players.getDetails(world.clan.members[0]?.player.username ?? 'x');
    expect(wom.requestCount).toBe(2);
  });

  it('never resolves undefined on an error status', async () => {
    world.server.injectFault({ kind: 'status', status: 409, path: `/groups/${world.groupId}` });
    const error = await rejectionOf(world.wom.groups.getDetails(world.groupId));
    expect(isWomClientError(error)).toBe(true);
    expect(error).toMatchObject({ status: 409 });
  });

  it('aborts a call through its signal', async () => {
    const error = await rejectionOf(
      world.wom.groups.getDetails(world.groupId, { signal: AbortSignal.abort() }),
    );
    expect(error).toMatchObject({ code: 'ABORTED' });
  });
});

describe('pacing against a rate-limited server', () => {
  it('runs a fallback clan fetch through the scheduler without a 429', async () => {
    const paced = await startWorld(
      { seed: 2, members: 15, days: 30 },
      {
        legacy: true,
        rateLimit: { points: 20, keyedPoints: 100, windowMs: 1_000 },
        now: () => new Date(),
      },
      { apiKey: 'key', rateLimit: { points: 100, windowMs: 1_000 } },
    );
    try {
      const stats = await fetchGroupStats(paced.wom, paced.groupId);
      expect(stats.usedBulkEndpoints).toBe(false);
      expect(stats.requests).toBe(1 + 1 + 113);
      expect(paced.server.stats.rateLimited).toBe(0);
      expect(paced.server.requests.every((request) => request.headers['x-api-key'] === 'key')).toBe(
        true,
      );
    } finally {
      await paced.server.close();
    }
  });
});
