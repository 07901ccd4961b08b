import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGroupStats, isWomClientError, WomClient, type WomClientError } from './index.js';
import { startWorld, type TestWorld } from './test-helpers.js';
import {
  ResponseShapeError,
  checkBulkGains,
  checkGroupActivity,
  checkGroupHiscores,
  checkShape,
  checkUpdateAllResult,
  formatPath,
  type ShapeCheck,
} from './validate.js';

// Bodies of the wrong shape over real HTTP: the testkit's fake server answers a real body with
// one value broken (an injected `status` fault with status 200), through the real client.

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ seed: 11, members: 12, days: 40 });
});

afterAll(async () => {
  await world.server.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<WomClientError> {
  try {
    await promise;
  } catch (error) {
    if (isWomClientError(error)) return error;
    throw error;
  }
  throw new Error('Expected a rejection');
}

/** The server's real body for `path`, as JSON. */
async function realBody(path: string): Promise<unknown> {
  const response = await fetch(`${world.server.url}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Makes the next request to `path` answer 200 with `body`. */
function answerOnce(path: string, body: unknown): void {
  world.server.injectFault({ kind: 'status', status: 200, body: JSON.stringify(body), path });
}

describe('responses of the wrong shape', () => {
  it('names the field of group details whose member has no player id', async () => {
    const { wom, groupId } = world;
    const path = `/groups/${groupId}`;
    const details = (await realBody(path)) as {
      memberships: Array<{ player: Record<string, unknown> }>;
    };
    (details.memberships[2] as { player: Record<string, unknown> }).player.id = null;
    answerOnce(path, details);
    const error = await rejectionOf(wom.groups.getDetails(groupId));
    expect(error).toMatchObject({
      name: 'WomClientError',
      code: 'INVALID_RESPONSE',
      field: 'memberships[2].player.id',
      status: 200,
      method: 'GET',
      attempts: 1,
      isRetryable: false,
    });
    expect(error.url).toBe(`${world.server.url}${path}`);
    expect(error.message).toBe(
      `Unexpected response shape with status code 200 (memberships[2].player.id: expected an integer id, got null): GET ${error.url}`,
    );
    // The next request is answered normally again.
    await expect(wom.groups.getDetails(groupId)).resolves.toMatchObject({ id: groupId });
  });

  it('fails fetchGroupStats with the bulk-hiscores field, not a TypeError later', async () => {
    const { wom, groupId } = world;
    const path = `/groups/${groupId}/bulk-hiscores`;
    const rows = (await realBody(path)) as Array<{
      data: { data: { skills: { attack: Record<string, unknown> } } };
    }>;
    expect(rows.length).toBeGreaterThan(3);
    (rows[3] as (typeof rows)[number]).data.data.skills.attack.experience = '1234';
    answerOnce(path, rows);
    const error = await rejectionOf(fetchGroupStats(wom, groupId, { periods: ['week'] }));
    expect(error).toMatchObject({
      code: 'INVALID_RESPONSE',
      field: '[3].data.data.skills.attack.experience',
      status: 200,
    });
    expect(error.url).toContain('/bulk-hiscores');
    expect(error.message).toContain('expected a number, got the string "1234"');
  });

  it('rejects an unknown member activity type and a non-array page', async () => {
    const { wom, groupId } = world;
    const path = `/groups/${groupId}/activity`;
    const events = (await realBody(path)) as Array<Record<string, unknown>>;
    expect(events.length).toBeGreaterThan(0);
    (events[0] as Record<string, unknown>).type = 'rejoined';
    answerOnce(path, events);
    await expect(rejectionOf(wom.groups.getActivity(groupId))).resolves.toMatchObject({
      code: 'INVALID_RESPONSE',
      field: '[0].type',
    });
    answerOnce(path, { rows: events });
    await expect(rejectionOf(wom.groups.getActivity(groupId))).resolves.toMatchObject({
      code: 'INVALID_RESPONSE',
      field: '',
    });
  });

  it('rejects a date the client cannot revive, and accepts it as a string with parseDates: false', async () => {
    const { groupId } = world;
    const path = `/groups/${groupId}/activity`;
    const events = (await realBody(path)) as Array<Record<string, unknown>>;
    expect(events.length).toBeGreaterThan(1);
    (events[1] as Record<string, unknown>).createdAt = '2026-08-01 09:41';
    const options = { baseUrl: world.server.url, rateLimit: false } as const;
    answerOnce(path, events);
    await expect(
      rejectionOf(new WomClient(options).groups.getActivity(groupId)),
    ).resolves.toMatchObject({ code: 'INVALID_RESPONSE', field: '[1].createdAt' });
    answerOnce(path, events);
    const raw = await new WomClient({ ...options, parseDates: false }).groups.getActivity(groupId);
    expect(raw[1]?.createdAt).toBe('2026-08-01 09:41');
  });

  it('keeps extra fields and metrics unknown to this version', async () => {
    const { wom, groupId } = world;
    const path = `/groups/${groupId}/bulk-hiscores`;
    const rows = (await realBody(path)) as Array<{
      extra: unknown;
      data: { data: { bosses: Record<string, unknown> } };
    }>;
    const first = rows[0] as (typeof rows)[number];
    first.extra = { anything: [1, null] };
    first.data.data.bosses.a_boss_from_2027 = { metric: 'a_boss_from_2027', kills: 7, rank: 9 };
    answerOnce(path, rows);
    const result = await wom.groups.getBulkHiscores(groupId);
    expect(result[0]).toHaveProperty('extra', { anything: [1, null] });
    expect(result[0]?.data.data.bosses.a_boss_from_2027).toMatchObject({ kills: 7 });
  });
});

describe('field paths and messages', () => {
  it('formats array indexes, identifiers and quoted keys', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath([3, 'data', 'skills', 'attack', 'experience'])).toBe(
      '[3].data.skills.attack.experience',
    );
    expect(formatPath(['memberships', 12, 'player'], 'id')).toBe('memberships[12].player.id');
    expect(formatPath(['data', 'odd-key', 0])).toBe('data["odd-key"][0]');
  });

  it('says what was expected and what came, without dumping large values', () => {
    const fail = (check: ShapeCheck, value: unknown, parseDates = true): ResponseShapeError => {
      try {
        checkShape(check, value, parseDates);
      } catch (error) {
        if (error instanceof ResponseShapeError) return error;
        throw error;
      }
      throw new Error('Expected a failure');
    };
    expect(fail(checkUpdateAllResult, []).message).toBe('(root): expected an object, got an array');
    expect(fail(checkUpdateAllResult, { count: '3' }).message).toBe(
      'count: expected a number, got the string "3"',
    );
    expect(fail(checkUpdateAllResult, { count: 'y'.repeat(500) }).message).toBe(
      `count: expected a number, got the string "${'y'.repeat(40)}…"`,
    );
    expect(fail(checkGroupActivity, [{}]).message).toBe(
      '[0].groupId: expected an integer id, got nothing (missing)',
    );
    const bad = fail(checkBulkGains, [{ player: {} }]);
    expect(bad.field).toBe('[0].player.id');
    expect(fail(checkGroupHiscores, [{ player: null, data: { type: 'skill' } }]).message).toBe(
      '[0].player: expected an object, got null',
    );
  });
});
