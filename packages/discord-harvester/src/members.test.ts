// members() and check() over real HTTP against the fake Discord server.
import type { FakeDiscordServer } from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembersPage } from './index.js';
import { harvesterFor, startServer } from './test-helpers.js';

async function pagesOf(iterable: AsyncIterable<MembersPage>): Promise<MembersPage[]> {
  const pages: MembersPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

describe('members', () => {
  let server: FakeDiscordServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists every member with the Server Members intent', async () => {
    server.setIntents({ guildMembers: true });
    server.stats.reset();
    const { harvester, events } = harvesterFor(server);
    const pages = await pagesOf(harvester.members());
    expect(pages.every((page) => page.source === 'members-list')).toBe(true);
    const members = pages.flatMap((page) => page.members);
    const truth = server.discord.members;
    expect(members.map((member) => member.userId)).toEqual(truth.map((member) => member.userId));
    for (const [index, member] of members.entries()) {
      const expected = truth[index];
      expect(member.nickname).toBe(expected?.nickname);
      expect(member.joinedAt).toBe(Date.parse(expected?.joinedAt ?? ''));
      expect(member.roles).toEqual(expected?.roles);
      expect(member.user.id).toBe(member.userId);
      expect(member.user.username).toBe(server.discord.user(member.userId)?.username);
    }
    // Fewer than 1000 members: one request.
    expect(server.stats.byRoute['GET /guilds/:id/members']).toBe(1);
    expect(events.some((event) => event.type === 'members-fallback')).toBe(false);
  });

  it('without the intent, looks up known users one by one and lists those who left', async () => {
    server.setIntents({ guildMembers: false });
    server.stats.reset();
    const { harvester, events } = harvesterFor(server);
    // Every user who ever appeared: current members and people who left.
    const known = server.discord.users.map((user) => user.id);
    const current = new Set(server.discord.members.map((member) => member.userId));
    const pages = await pagesOf(harvester.members({ knownUserIds: [...known, ...known] }));
    expect(pages.every((page) => page.source === 'lookup')).toBe(true);
    expect(pages.every((page) => page.members.length + page.missing.length <= 100)).toBe(true);
    const found = pages.flatMap((page) => page.members.map((member) => member.userId));
    const missing = pages.flatMap((page) => page.missing);
    expect(found.sort()).toEqual(known.filter((id) => current.has(id)).sort());
    expect(missing.sort()).toEqual(known.filter((id) => !current.has(id)).sort());
    expect(missing.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'members-fallback')).toEqual([
      { type: 'members-fallback', status: 403, discordCode: 50001, lookups: known.length },
    ]);
    // One refused list request, then one lookup per distinct known user.
    expect(server.stats.byRoute['GET /guilds/:id/members']).toBe(1);
    expect(server.stats.byRoute['GET /guilds/:id/members/:user']).toBe(known.length);
    server.setIntents({ guildMembers: true });
  });

  it('check() names the guild and the bot in 3 requests', async () => {
    server.stats.reset();
    const { harvester } = harvesterFor(server);
    const check = await harvester.check();
    expect(check).toMatchObject({
      guild: {
        id: server.discord.guild.id,
        name: server.discord.guild.name,
        ownerId: server.discord.guild.ownerId,
      },
      bot: { id: server.discord.botUser.id, username: server.discord.botUser.username, bot: true },
      permissions: { viewChannel: true, readMessageHistory: true, manageThreads: false },
      requests: 3,
    });
    expect(check.permissions.bits).toMatch(/^\d+$/);
    expect(server.stats.requests).toBe(3);
  });
});
