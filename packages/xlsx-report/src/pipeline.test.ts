import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeClanSummary, toClanData, type ClanDataV1 } from '@clanstats/clan-model';
import { millisToSnowflake, normalizeRsn, openStore, type Store } from '@clanstats/store';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { renderClanReport } from './index.js';

// A clan_data.json made by the real pipeline (store → clan model → toClanData → JSON), the way
// `clanstats export` makes it, with store rows written directly instead of harvested.

const DAY = 86_400_000;
const AS_OF = Date.parse('2026-03-31T12:00:00.000Z');
const GROUP = 11114;
const GUILD = '900000000000000001';
const CHANNEL = '900000000000000002';

let folder: string | undefined;
let store: Store | undefined;
afterEach(() => {
  store?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  store = undefined;
  folder = undefined;
});

async function pipelineClanData(): Promise<ClanDataV1> {
  folder = mkdtempSync(join(tmpdir(), 'xlsx-report-pipeline-'));
  store = openStore(join(folder, 'clan_data.db'));
  await store.migrations.up();
  store.wom.upsertGroup({ id: GROUP, name: 'Pipeline Clan' }, 0);
  const players = [
    { id: 1, displayName: 'Alice' },
    { id: 2, displayName: '=1+1' },
  ];
  store.wom.upsertPlayers(
    players.map((player) => ({
      ...player,
      username: normalizeRsn(player.displayName),
      lastChangedAt: AS_OF - DAY,
    })),
    0,
  );
  store.wom.syncMemberships(
    GROUP,
    players.map((player) => ({ playerId: player.id, role: 'member', joinedAt: AS_OF - 400 * DAY })),
    AS_OF - 400 * DAY,
  );
  for (const [takenAt, xp, attack, zulrah] of [
    [AS_OF - 8 * DAY, 1_000_000, 500_000, 10],
    [AS_OF - DAY, 1_250_000, 700_000, 25],
  ] as const) {
    store.wom.insertSnapshots([
      {
        playerId: 1,
        takenAt,
        data: {
          skills: {
            overall: { experience: xp, rank: 1000 },
            attack: { experience: attack, rank: 1000 },
          },
          bosses: { zulrah: { kills: zulrah, rank: 1000 } },
          computed: { ehp: { value: xp / 100_000, rank: 1 }, ehb: { value: zulrah / 10, rank: 1 } },
        },
      },
    ]);
  }
  store.discord.upsertGuild({ id: GUILD, name: 'Guild' }, 0);
  store.discord.upsertChannels([{ id: CHANNEL, guildId: GUILD, type: 0, name: '+general' }], 0);
  store.discord.upsertUsers(
    [{ id: '700000000000000001', username: 'alice', globalName: '@Alice' }],
    0,
  );
  store.identity.setLink({ discordUserId: '700000000000000001', playerId: 1, source: 'manual' });
  store.discord.insertMessages(
    [AS_OF - 2 * DAY, AS_OF - 3 * DAY, AS_OF - 20 * DAY].map((at, index) => ({
      id: (BigInt(millisToSnowflake(at)) + BigInt(index)).toString(),
      channelId: CHANNEL,
      authorId: '700000000000000001',
      type: 0,
      isQuestion: false,
      answerToId: null,
      isBot: false,
    })),
  );
  const summary = computeClanSummary(store, { asOf: AS_OF, timeZone: 'Europe/Amsterdam' });
  return JSON.parse(JSON.stringify(toClanData(summary))) as ClanDataV1;
}

describe('a clan_data.json from the real pipeline', () => {
  it('renders with the figures the clan model computed', async () => {
    const data = await pipelineClanData();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await renderClanReport(data, { window: '7d' })) as unknown as ExcelJS.Buffer,
    );
    const summary = workbook.getWorksheet('Summary');
    if (summary === undefined) throw new Error('no Summary');
    const headers = (summary.getRow(1).values as unknown[]).slice(1);
    const cell = (name: string, header: string): unknown => {
      for (let row = 2; row <= summary.rowCount; row += 1) {
        if (summary.getCell(row, 1).value === name)
          return summary.getCell(row, headers.indexOf(header) + 1).value;
      }
      throw new Error(`no ${name}`);
    };
    const alice = data.members.find((member) => member.displayName === 'Alice');
    expect(alice?.windows['7d'].xp).toBe(250_000);
    expect(cell('Alice', 'XP 7d')).toBe(250_000);
    expect(cell('Alice', 'Boss kills 7d')).toBe(15);
    expect(cell('Alice', 'Messages 7d')).toBe(2);
    expect(cell('Alice', 'Messages 30d')).toBe(3);
    expect(cell('Alice', 'Discord')).toBe('@Alice');
    expect(cell('=1+1', 'XP 7d')).toBeNull();
    expect(cell('=1+1', 'Status')).toBe(
      {
        active: 'Active',
        potentially_inactive: 'Potentially inactive',
        inactive: 'Inactive',
        exempt: 'Exempt',
      }[data.members.find((member) => member.playerId === 2)?.status ?? 'active'],
    );
    const bosses = workbook.getWorksheet('Bosses');
    expect((bosses?.getRow(3).values as unknown[]).slice(1)).toEqual([
      'Name',
      'Role',
      'Boss kills 7d',
      'Zulrah',
    ]);
    // The fields being added to clan_data.json: rendered once the clan model writes them.
    const withNew = data as unknown as { channels?: unknown[] };
    if (alice !== undefined && 'xpBySkill' in alice.windows['7d']) {
      expect((workbook.getWorksheet('Skills')?.getRow(3).values as unknown[]).slice(1)).toContain(
        'Attack',
      );
    }
    if (withNew.channels !== undefined) {
      let found = false;
      workbook.getWorksheet('Discord')?.eachRow((row) => {
        if (row.getCell(1).value === '+general') found = true;
      });
      expect(found).toBe(true);
    }
  });
});
