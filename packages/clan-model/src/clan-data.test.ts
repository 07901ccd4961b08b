import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clanDataSchema, computeClanSummary, toClanData } from './index.js';
import {
  CHANNEL,
  DAY,
  GROUP,
  addPlayer,
  clanDataValidator,
  discordUser,
  link,
  messages,
  migratedStore,
  relayLines,
  roster,
  snapshot,
} from './test-helpers.js';

const asOf = Date.UTC(2026, 2, 31, 12);

async function sampleData() {
  const store = await migratedStore();
  addPlayer(store, 1, 'Alpha', { lastChangedAt: asOf - 3 * DAY });
  addPlayer(store, 2, 'Bravo');
  addPlayer(store, 3, 'Charlie');
  roster(store, asOf - 100 * DAY, [
    { playerId: 1, role: 'recruit' },
    { playerId: 2 },
    { playerId: 3 },
  ]);
  roster(store, asOf - 10 * DAY, [{ playerId: 1, role: 'recruit' }, { playerId: 2 }]);
  store.wom.insertGroupActivity([
    {
      groupId: GROUP,
      playerId: 1,
      type: 'changed_role',
      role: 'recruit',
      previousRole: 'member',
      createdAt: asOf - 50 * DAY,
    },
  ]);
  store.wom.upsertNameChanges([
    {
      id: 7,
      playerId: 2,
      oldName: 'Bravo Old',
      newName: 'Bravo',
      status: 'approved',
      createdAt: asOf - 5 * DAY,
    },
  ]);
  snapshot(store, 1, asOf - 31 * DAY, {
    xp: 100,
    skills: { attack: 50, magic: 50 },
    bosses: { zulrah: 1 },
  });
  snapshot(store, 1, asOf - DAY, {
    xp: 500_100,
    skills: { attack: 400_050, magic: 100_050 },
    bosses: { zulrah: 11 },
  });
  discordUser(store, '700000000000000001', 'alpha');
  link(store, '700000000000000001', 1);
  messages(store, '700000000000000001', [asOf - DAY, asOf - 2 * DAY]);
  discordUser(store, '700000000000000002', 'stranger');
  messages(store, '700000000000000002', [asOf - 2 * DAY]);
  relayLines(store, 'Bravo', [asOf - 3 * DAY]);
  return computeClanSummary(store, {
    asOf,
    timeZone: 'Europe/Amsterdam',
    generatedAt: new Date(asOf + 60_000),
    rules: {
      ranks: [
        { role: 'recruit', minTenureDays: 0, minScore: 0 },
        { role: 'member', minTenureDays: 30, minScore: 10 },
      ],
    },
  });
}

describe('toClanData', () => {
  it('is plain JSON with ISO instants that validates against clanDataSchema', async () => {
    const summary = await sampleData();
    const data = toClanData(summary);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    const validate = clanDataValidator();
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data).toMatchObject({
      schemaVersion: 1,
      generatedAt: '2026-03-31T12:01:00.000Z',
      asOf: '2026-03-31T12:00:00.000Z',
      timezone: 'Europe/Amsterdam',
      group: { id: GROUP, name: 'Test Clan' },
    });
    const alpha = data.members.find((member) => member.playerId === 1);
    expect(alpha).toMatchObject({
      username: 'alpha',
      role: 'recruit',
      joinedAt: '2025-12-21T12:00:00.000Z',
      discordUserIds: ['700000000000000001'],
      windows: {
        '30d': {
          xp: 500_000,
          xpBySkill: { attack: 400_000, magic: 100_000 },
          bossKills: 10,
          messages: 2,
          clanChatMessages: 0,
        },
        '7d': { xp: null, xpBySkill: null },
      },
      windowSources: { '30d': { source: 'snapshots', baseAt: '2026-02-28T12:00:00.000Z' } },
      // 2 messages × 6 + 500,000 XP / 100,000 × 1 + 10 kills × 3 = 47
      score: 47,
      rankUp: { toRole: 'member', reason: 'tenure 100 d ≥ 30 d, score 47 ≥ 10' },
    });
    expect(data.formerMembers).toMatchObject([{ playerId: 3, leftAt: '2026-03-21T12:00:00.000Z' }]);
    expect(data.events.map((event) => event.type)).toEqual([
      'joined',
      'joined',
      'joined',
      'changed_role', // −50 d
      'left', // −10 d
      'name_changed', // −5 d
    ]);
    expect(data.unmatchedDiscord.map((user) => user.userId)).toEqual(['700000000000000002']);
    expect(data.heatmap.counts).toHaveLength(7);
    // Three human messages in #general (the relay bot's line is not one).
    const general = { messages: 3, questions: 0, answers: 0, medianAnswerMs: null };
    expect(data.channels).toEqual([
      {
        channelId: CHANNEL,
        name: 'general',
        parentId: null,
        isThread: false,
        windows: { '7d': general, '30d': general, '90d': general, '365d': general },
      },
    ]);
  });

  it('fails validation when a required field is missing or a status is unknown', async () => {
    const data = toClanData(await sampleData());
    const validate = clanDataValidator();
    const noStatus = structuredClone(data) as unknown as {
      members: Array<Record<string, unknown>>;
    };
    delete noStatus.members[0]?.status;
    expect(validate(noStatus)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'required',
      params: { missingProperty: 'status' },
    });
    const zombie = structuredClone(data) as unknown as { members: Array<Record<string, unknown>> };
    (zombie.members[0] as Record<string, unknown>).status = 'zombie';
    expect(validate(zombie)).toBe(false);
    const badWindow = structuredClone(data) as unknown as {
      members: Array<{ windows: Record<string, unknown> }>;
    };
    delete badWindow.members[0]?.windows['7d'];
    expect(validate(badWindow)).toBe(false);
    const badDate = { ...data, asOf: 'yesterday' };
    expect(validate(badDate)).toBe(false);
    const negativeSkill = structuredClone(data);
    (negativeSkill.members[0] as (typeof data.members)[number]).windows['30d'].xpBySkill = {
      attack: -1,
    };
    expect(validate(negativeSkill)).toBe(false);
    const channelWithoutMessages = structuredClone(data) as unknown as {
      channels: Array<{ windows: Record<string, Record<string, unknown>> }>;
    };
    delete channelWithoutMessages.channels[0]?.windows['30d']?.messages;
    expect(validate(channelWithoutMessages)).toBe(false);
  });

  it('ships the same schema as schema/clan-data.v1.schema.json', () => {
    const file = JSON.parse(
      readFileSync(new URL('../schema/clan-data.v1.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(file).toEqual(clanDataSchema);
    expect(clanDataSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
    });
  });
});
