import { describe, expect, it } from 'vitest';
import { millisToSnowflake, type Store } from './index.js';
import { migratedStore } from './test-helpers.js';

describe('identity links', () => {
  it('let manual links win over automatic ones', async () => {
    const store = await migratedStore();
    store.wom.upsertPlayers([
      { id: 1, username: 'a', displayName: 'A' },
      { id: 2, username: 'b', displayName: 'B' },
    ]);
    const user = '123456789012345678';
    expect(store.identity.setLink({ discordUserId: user, playerId: 1, source: 'nickname' })).toBe(
      true,
    );
    expect(store.identity.setLink({ discordUserId: user, playerId: 2, source: 'manual' })).toBe(
      true,
    );
    expect(
      store.identity.listLinks().map((link) => [link.playerId, link.source, link.confirmed]),
    ).toEqual([[2, 'manual', true]]);
    // An automatic suggestion can no longer override the leader's decision.
    expect(store.identity.setLink({ discordUserId: user, playerId: 1, source: 'relay' })).toBe(
      false,
    );
    expect(store.identity.listLinks()).toHaveLength(1);
    expect(store.identity.removeLink(user, 2)).toBe(true);
    expect(store.identity.listLinks()).toEqual([]);
  });
});

// A hand-checked clan. Players (group 100; all current members except Old Timer, who left):
//   1 Zezima · 2 Lynx Titan · 3 Sir Gowi (formerly "Gowi Old") · 4 Iron Mike
//   5 Mike Reborn (formerly "Iron Mike", the name player 4 has now) · 6 Titan Alt
//   7 Old Timer (left) · 8 B0aty
const GUILD = '300000000000000001';
const U = {
  zezimaPvm: '100000000000000001', // nickname "[PvM] Zezima"      → 1, but contested by zezima
  gowi: '100000000000000002', // nickname "Gowi Old"                → 3 by a former name
  ironMike: '100000000000000003', // nickname "Iron Mike"           → 4 and 5: ambiguous
  zezima2: '100000000000000004', // display name "Zezima2"          → nothing (no substrings)
  lynx: '100000000000000005', // nickname "Lynx Titan"              → 2, but linked by hand to 6
  bot: '100000000000000006', // a bot nicknamed "B0aty"              → never
  oldTimer: '100000000000000007', // nickname "Old Timer"           → nothing (a leaver)
  reborn: '100000000000000009', // nickname "Mike Reborn"           → 5, but blocked
  boaty: '100000000000000010', // display name "b0aty"              → 8
  zezima: '100000000000000011', // username "zezima"                → 1, contested
  lynxFan: '100000000000000012', // nickname "Lynx_Titan"           → 2, but "never link"
  titanAlt: '100000000000000014', // nickname "Titan Alt"           → 6, linked by hand to lynx
} as const;

async function clanStore(): Promise<Store> {
  const store = await migratedStore();
  const at = Date.parse('2026-11-01T00:00:00Z');
  store.wom.upsertGroup({ id: 100, name: 'Clan' }, at);
  store.wom.upsertPlayers(
    [
      [1, 'Zezima'],
      [2, 'Lynx Titan'],
      [3, 'Sir Gowi'],
      [4, 'Iron Mike'],
      [5, 'Mike Reborn'],
      [6, 'Titan Alt'],
      [7, 'Old Timer'],
      [8, 'B0aty'],
    ].map(([id, name]) => ({
      id: Number(id),
      username: String(name).toLowerCase(),
      displayName: String(name),
    })),
    at,
  );
  store.wom.upsertNameChanges([
    {
      id: 1,
      playerId: 3,
      oldName: 'Gowi Old',
      newName: 'Sir Gowi',
      status: 'approved',
      createdAt: at,
    },
    {
      id: 2,
      playerId: 5,
      oldName: 'Iron Mike',
      newName: 'Mike Reborn',
      status: 'approved',
      createdAt: at,
    },
  ]);
  const members = [1, 2, 3, 4, 5, 6, 7, 8].map((playerId) => ({
    playerId,
    role: 'member',
    joinedAt: at - 86_400_000,
  }));
  store.wom.syncMemberships(100, members, at);
  store.wom.syncMemberships(
    100,
    members.filter((member) => member.playerId !== 7),
    at + 1000,
  );
  store.discord.upsertGuild({ id: GUILD, name: 'Clan Discord' }, at);
  const users: Array<[string, string, string | null, string | null, boolean?]> = [
    [U.zezimaPvm, 'pvm_guy', null, '[PvM] Zezima'],
    [U.gowi, 'gowi', null, 'Gowi Old'],
    [U.ironMike, 'mike', null, 'Iron Mike'],
    [U.zezima2, 'zz', 'Zezima2', null],
    [U.lynx, 'lynx_owner', null, 'Lynx Titan'],
    [U.bot, 'clanbot', null, 'B0aty', true],
    [U.oldTimer, 'old', null, 'Old Timer'],
    [U.reborn, 'reborn', null, 'Mike Reborn'],
    [U.boaty, 'boat', 'b0aty', null],
    [U.zezima, 'zezima', null, null],
    [U.lynxFan, 'fan', null, 'Lynx_Titan'],
    [U.titanAlt, 'alt', null, 'Titan Alt'],
  ];
  store.discord.upsertUsers(
    users.map(([id, username, globalName, , bot]) => ({
      id,
      username,
      globalName,
      bot: bot ?? false,
    })),
    at,
  );
  store.discord.upsertMembers(
    GUILD,
    users.map(([userId, , , nickname]) => ({ userId, nickname })),
    at,
  );
  return store;
}

const pairs = (store: Store): Array<[string, number, string]> =>
  store.identity.listLinks().map((link) => [link.discordUserId, link.playerId, link.source]);

describe('linkCandidates', () => {
  it('reads non-bot users with their nickname, and current members with current and former names', async () => {
    const store = await clanStore();
    const { users, players } = store.identity.linkCandidates();
    expect(users.map((user) => user.id)).not.toContain(U.bot);
    expect(users.find((user) => user.id === U.gowi)).toEqual({
      id: U.gowi,
      username: 'gowi',
      globalName: null,
      nickname: 'Gowi Old',
    });
    expect(players.map((player) => player.playerId)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(players.find((player) => player.playerId === 3)?.names).toEqual([
      { name: 'Sir Gowi', current: true },
      { name: 'Gowi Old', current: false },
    ]);
    // A nickname from another server is not used.
    const other = store.identity.linkCandidates({ guildId: '300000000000000002' });
    expect(other.users.every((user) => user.nickname === null)).toBe(true);
    expect(store.identity.linkCandidates({ allPlayers: true }).players).toHaveLength(8);
  });
});

describe('refreshAutomaticLinks', () => {
  it('links exact matches only, and reports ambiguous, contested, blocked and manual ones', async () => {
    const store = await clanStore();
    const replaced = store.identity.replaceManualLinks(
      [{ discordUserId: U.lynx, playerId: 6 }],
      [
        { discordUserId: U.reborn, playerId: 5 },
        { discordUserId: U.lynxFan, playerId: null },
      ],
      1000,
    );
    expect(replaced).toEqual({
      links: { added: 1, removed: 0, kept: 0 },
      blocks: { added: 2, removed: 0, kept: 0 },
    });

    const result = store.identity.refreshAutomaticLinks({ at: 2000 });
    expect({ added: result.added, removed: result.removed, kept: result.kept }).toEqual({
      added: 2,
      removed: 0,
      kept: 0,
    });
    expect(pairs(store)).toEqual([
      [U.gowi, 3, 'nickname'], // a former RSN links
      [U.lynx, 6, 'manual'], // not Lynx Titan (2): the leader said so
      [U.boaty, 8, 'nickname'],
    ]);
    // "Iron Mike" is player 4's name now and player 5's former name: no link.
    expect(result.ambiguous.map((entry) => [entry.discordUserId, entry.playerIds])).toEqual([
      [U.ironMike, [4, 5]],
    ]);
    expect(
      result.skipped.map((entry) => [entry.discordUserId, entry.playerId, entry.reason]),
    ).toEqual([
      [U.reborn, 5, 'blocked'],
      [U.zezimaPvm, 1, 'contested'],
      [U.zezima, 1, 'contested'],
      [U.titanAlt, 6, 'manual'],
    ]);

    // Idempotent: nothing changes the second time, and the links keep their creation time.
    const again = store.identity.refreshAutomaticLinks({ at: 3000 });
    expect([again.added, again.removed, again.kept]).toEqual([0, 0, 2]);
    expect(store.identity.listLinks().find((link) => link.discordUserId === U.gowi)).toMatchObject({
      createdAt: 2000,
      updatedAt: 2000,
      confirmed: false,
    });
  });

  it('lets a manual link replace an automatic one, and removes links whose match went away', async () => {
    const store = await clanStore();
    store.identity.replaceManualLinks([], [{ discordUserId: U.lynxFan, playerId: null }]);
    store.identity.refreshAutomaticLinks();
    expect(pairs(store)).toContainEqual([U.lynx, 2, 'nickname']);

    store.identity.replaceManualLinks(
      [{ discordUserId: U.lynx, playerId: 6 }],
      [{ discordUserId: U.lynxFan, playerId: null }],
    );
    expect(pairs(store).filter(([user]) => user === U.lynx)).toEqual([[U.lynx, 6, 'manual']]);
    const refreshed = store.identity.refreshAutomaticLinks();
    expect(pairs(store).filter(([user]) => user === U.lynx)).toEqual([[U.lynx, 6, 'manual']]);
    expect(refreshed.skipped.map((entry) => entry.discordUserId)).not.toContain(U.lynx);

    // The user renames themselves: the automatic link goes.
    store.discord.upsertMembers(GUILD, [{ userId: U.boaty, nickname: 'Sailor' }]);
    store.discord.upsertUsers([{ id: U.boaty, username: 'boat', globalName: null }]);
    const after = store.identity.refreshAutomaticLinks();
    expect(after.removed).toBe(1);
    expect(pairs(store).map(([user]) => user)).not.toContain(U.boaty);
  });

  it('replaceManualLinks makes the manual links and blocks exactly the given ones', async () => {
    const store = await clanStore();
    const links = [
      { discordUserId: U.lynx, playerId: 6 },
      { discordUserId: U.lynx, playerId: 6 },
    ];
    const blocks = [{ discordUserId: U.reborn, playerId: 5 }];
    store.identity.replaceManualLinks(links, blocks, 1000);
    expect(store.identity.replaceManualLinks(links, blocks, 2000)).toEqual({
      links: { added: 0, removed: 0, kept: 1 },
      blocks: { added: 0, removed: 0, kept: 1 },
    });
    expect(store.identity.replaceManualLinks([], [], 3000)).toEqual({
      links: { added: 0, removed: 1, kept: 0 },
      blocks: { added: 0, removed: 1, kept: 0 },
    });
    expect(store.identity.listLinks()).toEqual([]);
    expect(() =>
      store.identity.replaceManualLinks([{ discordUserId: U.lynx, playerId: 999 }], []),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
    expect(() =>
      store.identity.replaceManualLinks([{ discordUserId: 'abc', playerId: 1 }], []),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });

  it('blockLink, unblockLink and listBlocks', async () => {
    const store = await clanStore();
    expect(store.identity.blockLink(U.reborn, 5, 10)).toBe(true);
    expect(store.identity.blockLink(U.reborn, 5, 20)).toBe(false);
    expect(store.identity.blockLink(U.reborn, null, 30)).toBe(true);
    expect(store.identity.listBlocks()).toEqual([
      { discordUserId: U.reborn, playerId: null, createdAt: 30 },
      { discordUserId: U.reborn, playerId: 5, createdAt: 10 },
    ]);
    expect(store.identity.unblockLink(U.reborn, null)).toBe(true);
    expect(store.identity.unblockLink(U.reborn, null)).toBe(false);
    expect(store.identity.listBlocks()).toHaveLength(1);
    expect(() => store.identity.blockLink(U.reborn, 999)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });
});

describe('unmatchedAuthors', () => {
  it('lists active unlinked authors, most messages first, with exact-name candidates', async () => {
    const store = await clanStore();
    store.identity.replaceManualLinks([], [{ discordUserId: U.lynxFan, playerId: null }]);
    store.identity.refreshAutomaticLinks();
    const since = Date.parse('2026-11-10T00:00:00Z');
    let sequence = 0n;
    const message = (authorId: string, minutes: number, type = 0, isBot = false) => ({
      id: (BigInt(millisToSnowflake(since + minutes * 60_000)) + (sequence += 1n)).toString(),
      channelId: '400000000000000001',
      authorId,
      type,
      isBot,
    });
    store.discord.insertMessages([
      message(U.zezimaPvm, 1),
      message(U.zezimaPvm, 2, 19),
      message(U.zezimaPvm, 3),
      message(U.ironMike, 4),
      message(U.ironMike, 5),
      message(U.zezima2, 6),
      message(U.oldTimer, 7),
      message(U.oldTimer, 8, 7), // a join notice: not chat
      message(U.gowi, 9), // linked
      message(U.bot, 10, 0, true),
      message(U.lynxFan, 11), // marked "never link"
      message(U.zezima2, -60), // before the range
    ]);
    const unmatched = store.identity.unmatchedAuthors({ since, until: since + 3_600_000 });
    expect(unmatched.map((author) => [author.userId, author.messages, author.reason])).toEqual([
      [U.zezimaPvm, 3, 'contested'],
      [U.ironMike, 2, 'ambiguous'],
      [U.zezima2, 1, 'no_match'],
      [U.oldTimer, 1, 'no_match'],
    ]);
    expect(unmatched[0]).toMatchObject({
      username: 'pvm_guy',
      globalName: null,
      nickname: '[PvM] Zezima',
      lastMessageAt: since + 3 * 60_000,
      candidates: [{ playerId: 1, currentName: 'Zezima', via: 'nickname', former: false }],
    });
    expect(
      unmatched[1]?.candidates.map((entry) => [entry.playerId, entry.currentName, entry.former]),
    ).toEqual([
      [4, 'Iron Mike', false],
      [5, 'Mike Reborn', true],
    ]);
    expect(unmatched[2]?.candidates).toEqual([]);
  });
});
