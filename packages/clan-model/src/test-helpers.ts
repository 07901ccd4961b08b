import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  millisToSnowflake,
  normalizeRsn,
  openStore,
  type SnapshotData,
  type Store,
} from '@clanstats/store';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { onTestFinished } from 'vitest';
import { clanDataSchema } from './index.js';
import type { ClanSummary, MemberSummary } from './types.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const GROUP = 11114;
export const GUILD = '900000000000000001';
export const CHANNEL = '900000000000000002';
export const RELAY_BOT = '900000000000000003';

let clanDataValidate: ValidateFunction | undefined;
/** The strict Ajv (JSON Schema 2020-12, formats) validator of `clanDataSchema`, compiled once. */
export function clanDataValidator(): ValidateFunction {
  if (clanDataValidate === undefined) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
    clanDataValidate = ajv.compile(clanDataSchema);
  }
  return clanDataValidate;
}

/** A migrated store on a real file in a temporary folder, closed after the test. */
export async function migratedStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'clanstats-clan-model-'));
  const store = openStore(join(dir, 'clan_data.db'));
  onTestFinished(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.migrations.up();
  store.wom.upsertGroup({ id: GROUP, name: 'Test Clan' }, 0);
  store.discord.upsertGuild({ id: GUILD, name: 'Test Guild' }, 0);
  store.discord.upsertChannels([{ id: CHANNEL, guildId: GUILD, type: 0, name: 'general' }], 0);
  store.discord.upsertUsers([{ id: RELAY_BOT, username: 'relay', bot: true }], 0);
  return store;
}

/** Adds players (current name only). */
export function addPlayer(
  store: Store,
  id: number,
  displayName: string,
  options: { lastChangedAt?: number | null; at?: number } = {},
): void {
  store.wom.upsertPlayers(
    [
      {
        id,
        username: normalizeRsn(displayName),
        displayName,
        lastChangedAt: options.lastChangedAt ?? null,
      },
    ],
    options.at ?? 0,
  );
}

/** The group's roster at `at` (players missing from it are marked left). */
export function roster(
  store: Store,
  at: number,
  members: Array<{ playerId: number; role?: string; joinedAt?: number }>,
): void {
  store.wom.syncMemberships(
    GROUP,
    members.map((member) => ({
      playerId: member.playerId,
      role: member.role ?? 'member',
      joinedAt: member.joinedAt ?? at,
    })),
    at,
  );
}

/** A snapshot with overall XP and optional other metrics. */
export function snapshot(
  store: Store,
  playerId: number,
  takenAt: number,
  values: {
    xp: number;
    skills?: Record<string, number>;
    bosses?: Record<string, number>;
    ehp?: number;
    ehb?: number;
  },
): void {
  const data: SnapshotData = {
    skills: {
      overall: { experience: values.xp, rank: values.xp < 0 ? -1 : 1000 },
      ...Object.fromEntries(
        Object.entries(values.skills ?? {}).map(([name, experience]) => [
          name,
          { experience, rank: experience < 0 ? -1 : 1000 },
        ]),
      ),
    },
    bosses: Object.fromEntries(
      Object.entries(values.bosses ?? {}).map(([name, kills]) => [
        name,
        { kills, rank: kills < 0 ? -1 : 1000 },
      ]),
    ),
    computed: {
      ehp: { value: values.ehp ?? 0, rank: 1 },
      ehb: { value: values.ehb ?? 0, rank: 1 },
    },
  };
  store.wom.insertSnapshots([{ playerId, takenAt, data }]);
}

let sequence = 0n;
/** A message id created at `at` (unique: the low bits count up). */
export function messageId(at: number): string {
  sequence += 1n;
  return (BigInt(millisToSnowflake(at)) + (sequence % 4_000_000n)).toString();
}

/** A Discord user (with an optional nickname). */
export function discordUser(
  store: Store,
  id: string,
  username: string,
  options: { globalName?: string | null; nickname?: string | null } = {},
): void {
  store.discord.upsertUsers([{ id, username, globalName: options.globalName ?? null }], 0);
  store.discord.upsertMembers(GUILD, [{ userId: id, nickname: options.nickname ?? null }], 0);
}

/** Human messages by `authorId` at each instant. */
export function messages(
  store: Store,
  authorId: string,
  times: number[],
  options: { isQuestion?: boolean; answerToId?: string; type?: number; isBot?: boolean } = {},
): string[] {
  const ids = times.map((at) => messageId(at));
  store.discord.insertMessages(
    ids.map((id) => ({
      id,
      channelId: CHANNEL,
      authorId,
      type: options.type ?? 0,
      isQuestion: options.isQuestion ?? false,
      answerToId: options.answerToId ?? null,
      isBot: options.isBot ?? false,
    })),
  );
  return ids;
}

/** Clan-chat lines relayed by the bot: one message per line. */
export function relayLines(store: Store, rsn: string, times: number[]): void {
  for (const at of times) {
    const id = messageId(at);
    store.discord.insertMessages([{ id, channelId: CHANNEL, authorId: RELAY_BOT, isBot: true }]);
    store.discord.insertRelayLines([
      { messageId: id, line: 0, rsn, normalizedRsn: normalizeRsn(rsn) },
    ]);
  }
}

/** Links a Discord user to a player. */
export function link(store: Store, userId: string, playerId: number): void {
  store.identity.setLink({ discordUserId: userId, playerId, source: 'manual' });
}

/** A WOM window gains row (table `wom_window_gains`) for every given metric. */
export function womWindowGains(
  store: Store,
  playerId: number,
  windowDays: number,
  rangeEnd: number,
  metrics: Record<string, { start: number; end: number }>,
): void {
  const insert = store.db.prepare(
    `INSERT INTO wom_window_gains (player_id, window_days, metric_id, range_start, range_end, start_at,
       end_at, start_value, end_value, gained)
     VALUES (?, ?, (SELECT id FROM wom_metrics WHERE name = ?), ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [name, { start, end }] of Object.entries(metrics)) {
    insert.run(
      playerId,
      windowDays,
      name,
      rangeEnd - windowDays * DAY,
      rangeEnd,
      rangeEnd - windowDays * DAY + HOUR,
      rangeEnd - HOUR,
      start,
      end,
      Math.max(0, end - start),
    );
  }
}

/** The current member `playerId` of a summary; fails the test when missing. */
export function memberOf(summary: ClanSummary, playerId: number): MemberSummary {
  const found = summary.members.find((member) => member.playerId === playerId);
  if (found === undefined) throw new Error(`member ${playerId} missing`);
  return found;
}
