import { describe, expect, it } from 'vitest';
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
