import { standardizeUsername } from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  lastRequest,
  rejectionOf,
  requestsTo,
  startWorld,
  trackedMembers,
  type TestWorld,
} from './test-helpers.js';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ seed: 21, members: 120, days: 200 });
});

afterAll(async () => {
  await world.server.close();
});

describe('nameChanges.search', () => {
  it('pages every name change, newest first', async () => {
    const { wom, clan, server } = world;
    const expected = [...clan.nameChanges].sort((left, right) =>
      right.createdAt.localeCompare(left.createdAt),
    );
    expect(expected.length).toBeGreaterThan(5);
    const page = await wom.nameChanges.search(undefined, { limit: 3, offset: 2 });
    expect(page.map((change) => change.id)).toEqual(
      expected.slice(2, 5).map((change) => change.id),
    );
    expect(page[0]?.createdAt).toBeInstanceOf(Date);
    expect(Object.fromEntries(lastRequest(server).query)).toEqual({ limit: '3', offset: '2' });

    const before = requestsTo(server, 'GET /names').length;
    const all = await collect(wom.nameChanges.iterateSearch(undefined, { pageSize: 4 }));
    expect(all.map((change) => change.id)).toEqual(expected.map((change) => change.id));
    expect(requestsTo(server, 'GET /names').length - before).toBe(
      Math.floor(expected.length / 4) + 1,
    );
  });

  it('filters by status and by name prefix', async () => {
    const { wom, clan, server } = world;
    const approved = await collect(wom.nameChanges.iterateSearch({ status: 'approved' }));
    expect(approved.map((change) => change.id).sort()).toEqual(
      clan.nameChanges
        .filter((change) => change.status === 'approved')
        .map((change) => change.id)
        .sort(),
    );
    const target = clan.nameChanges[0];
    if (target === undefined) throw new Error('no name change');
    const prefix = target.newName.slice(0, 3);
    const found = await wom.nameChanges.search({ username: prefix, status: target.status });
    expect(found.map((change) => change.id)).toContain(target.id);
    const needle = standardizeUsername(prefix);
    for (const change of found) {
      expect(
        standardizeUsername(change.oldName).startsWith(needle) ||
          standardizeUsername(change.newName).startsWith(needle),
      ).toBe(true);
    }
    expect(lastRequest(server).query.get('username')).toBe(prefix);
  });

  it('rejects an invalid status with the server code', async () => {
    const error = await rejectionOf(world.wom.nameChanges.search({ status: 'maybe' as 'pending' }));
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
  });
});

describe('nameChanges.submit', () => {
  it('submits a pending change and refuses a duplicate', async () => {
    const { wom, clan, server } = world;
    const member = trackedMembers(clan)[0];
    if (member === undefined) throw new Error('no member');
    const change = await wom.nameChanges.submit(member.player.displayName, 'Fresh Name 9');
    expect(change).toMatchObject({
      playerId: member.player.id,
      oldName: member.player.displayName,
      newName: 'Fresh Name 9',
      status: 'pending',
      resolvedAt: null,
    });
    expect(change.createdAt).toBeInstanceOf(Date);
    expect(lastRequest(server)).toMatchObject({
      method: 'POST',
      path: '/v2/names',
      body: { oldName: member.player.displayName, newName: 'Fresh Name 9' },
      status: 201,
    });
    const duplicate = await rejectionOf(
      wom.nameChanges.submit(member.player.displayName, 'Fresh Name 9'),
    );
    expect(duplicate).toMatchObject({ status: 400 });
    expect((duplicate as Error).message).toContain('already a similar pending name change');
    await expect(wom.nameChanges.submit('', 'x')).rejects.toThrow(TypeError);
  });
});
