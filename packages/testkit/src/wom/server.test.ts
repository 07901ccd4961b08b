import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyntheticClan, startFakeWomServer } from '../index.js';
import type { FakeWomServer, SyntheticClan } from '../index.js';

let clan: SyntheticClan;
let server: FakeWomServer;

beforeAll(async () => {
  clan = createSyntheticClan({ seed: 11, members: 30 });
  server = await startFakeWomServer({ clan, rateLimit: false });
});

afterAll(async () => {
  await server.close();
});

async function getJson(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`);
  return {
    status: response.status,
    body: await response.json(),
    headers: response.headers,
  };
}

describe('fake WOM server: core endpoints', () => {
  it('answers the version at GET /v2/', async () => {
    const { status, body, headers } = await getJson('/');
    expect(status).toBe(200);
    expect(body).toBe('2.8.52');
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves group details with current members only', async () => {
    const { status, body } = await getJson(`/groups/${clan.group.id}`);
    expect(status).toBe(200);
    const details = body as { memberCount: number; memberships: unknown[] };
    expect(details.memberCount).toBe(30);
    expect(details.memberships).toHaveLength(30);
  });

  it('serves bulk hiscores and bulk gained', async () => {
    const hiscores = await getJson(`/groups/${clan.group.id}/bulk-hiscores`);
    expect(hiscores.status).toBe(200);
    const gained = await getJson(`/groups/${clan.group.id}/bulk-gained?period=week`);
    expect(gained.status).toBe(200);
    const rows = gained.body as Array<{ data: unknown[] }>;
    expect(rows[0]?.data).toHaveLength(113);
  });

  it('404s unknown endpoints with ENDPOINT_NOT_FOUND', async () => {
    const { status, body } = await getJson('/nothing/here');
    expect(status).toBe(404);
    expect(body).toEqual({ code: 'ENDPOINT_NOT_FOUND', message: 'Endpoint not found' });
  });
});
