import { inspect } from 'node:util';
import { openStore, type Store } from '@clanstats/store';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  type FakeDiscordServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayRules } from './config.js';
import {
  harvestDiscord,
  toRelayRules,
  type DiscordHarvestProgress,
  type HarvestDiscordOptions,
} from './harvest-discord.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

const TOKEN = 'Sekrit.harvest-token_4f9a2c';
const clan = createSyntheticClan({ seed: 5, members: 20, days: 45 });

let folder: TempFolder;
let store: Store;
let server: FakeDiscordServer;
let discord: SyntheticDiscord;

async function startServer(intents?: { guildMembers: boolean }): Promise<void> {
  discord = createSyntheticDiscord(clan);
  server = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [TOKEN],
    rateLimit: false,
    ...(intents === undefined ? {} : { intents: { messageContent: true, ...intents } }),
  });
}

beforeEach(async () => {
  folder = createTempFolder('clanstats-harvest-discord-');
  store = openStore(folder.file('clan_data.db'));
  await store.migrations.up();
});

afterEach(async () => {
  store.close();
  await server.close();
  folder.remove();
});

function relayRules(): RelayRules {
  return {
    botUserIds: [discord.relayBotUserId],
    botNames: ['Osrs clanchat'],
    channelIds: [discord.relayChannelId],
  };
}

function harvest(extra: Partial<HarvestDiscordOptions> = {}) {
  return harvestDiscord({
    store,
    token: TOKEN,
    guildId: discord.guild.id,
    apiUrl: server.url,
    relay: relayRules(),
    ...extra,
  });
}

const byId = (left: string, right: string): number => {
  const difference = BigInt(left) - BigInt(right);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

/** Every message of the channels the bot can read, per the ground truth, ascending id. */
function expectedMessageIds(since = 0): string[] {
  return discord.channels
    .filter((channel) => channel.access === 'ok')
    .flatMap((channel) => discord.messagesOf(channel.id))
    .filter((message) => Date.parse(message.timestamp) >= since)
    .map((message) => message.id)
    .sort(byId);
}

function storedMessageIds(): string[] {
  return store.db
    .prepare<[], { id: string }>('SELECT CAST(id AS TEXT) AS id FROM discord_messages ORDER BY id')
    .all()
    .map((row) => row.id);
}

describe('harvestDiscord', () => {
  it('stores every readable message, relay lines by RSN, members, and skipped channels as problems', async () => {
    await startServer();
    const runId = store.runs.start('harvest');
    const progress: DiscordHarvestProgress[] = [];
    const summary = await harvest({ runId, onProgress: (step) => progress.push(step) });

    const expected = expectedMessageIds();
    expect(expected.length).toBeGreaterThan(500);
    expect(storedMessageIds()).toEqual(expected);
    expect(summary.messages).toBe(expected.length);
    expect(summary.pages).toBeGreaterThan(0);
    expect(summary.requests).toBeGreaterThan(summary.pages);
    expect(summary.rateLimited).toBe(0);
    expect(summary.contentAvailable).toBe(true);

    // Every channel and thread is stored, with its owner and archive time.
    const channels = store.db
      .prepare<[], { id: string; owner: string | null; archivedAt: number | null }>(
        `SELECT CAST(id AS TEXT) AS id, CAST(owner_id AS TEXT) AS owner,
           archive_timestamp AS archivedAt FROM discord_channels`,
      )
      .all();
    const storedChannels = new Map(channels.map((row) => [row.id, row]));
    const listedThreads = discord.channels.filter(
      (channel) => channel.ownerId !== null && storedChannels.has(channel.id),
    );
    expect(listedThreads.length).toBeGreaterThan(3);
    for (const thread of listedThreads) {
      expect(storedChannels.get(thread.id)).toMatchObject({
        owner: thread.ownerId,
        archivedAt: thread.archiveTimestamp === null ? null : Date.parse(thread.archiveTimestamp),
      });
    }

    // Unreadable channels are run problems naming the channel and the permission to grant.
    const problems = store.runs.problems(runId);
    const unreadable = discord.channels.filter(
      (channel) => channel.access !== 'ok' && storedChannels.has(channel.id) && channel.type !== 4,
    );
    expect(unreadable.length).toBeGreaterThan(0);
    expect(problems.map((problem) => problem.scope ?? '').sort(byId)).toEqual(
      unreadable.map((channel) => channel.id).sort(byId),
    );
    expect(summary.skipped.map((skip) => skip.channelId).sort(byId)).toEqual(
      unreadable.map((channel) => channel.id).sort(byId),
    );
    for (const problem of problems) {
      const channel = unreadable.find((candidate) => candidate.id === problem.scope);
      expect(problem.source).toBe('discord');
      expect(problem.message).toContain(`#${channel?.name ?? '?'}`);
      expect(problem.message).toMatch(/View Channel|Read Message History|Manage Threads/);
    }

    // Relay lines: exactly the chat lines of the relay channel, attributed to the RSN in the line.
    const expectedLines = discord
      .messagesOf(discord.relayChannelId)
      .flatMap((message) =>
        (message.relayLines ?? [])
          .filter((line) => line.kind === 'chat')
          .map((line) => `${message.id}:${line.line}:${line.rsn}`),
      )
      .sort();
    expect(expectedLines.length).toBeGreaterThan(20);
    const storedLines = store.db
      .prepare<[], { key: string }>(
        `SELECT CAST(message_id AS TEXT) || ':' || line || ':' || rsn AS key FROM discord_relay_lines`,
      )
      .all()
      .map((row) => row.key)
      .sort();
    expect(storedLines).toEqual(expectedLines);

    // Members, with their nicknames.
    const members = store.db
      .prepare<[], { userId: string; nickname: string | null }>(
        `SELECT CAST(user_id AS TEXT) AS userId, nickname FROM discord_members ORDER BY user_id`,
      )
      .all();
    expect(members).toEqual(
      discord.members.map((member) => ({ userId: member.userId, nickname: member.nickname })),
    );
    expect(members.some((member) => member.nickname !== null)).toBe(true);
    expect(summary.members).toBe(discord.members.length);
    expect(summary.membersSource).toBe('members-list');

    // Progress ends with every channel done and every message counted.
    const last = progress.at(-1);
    expect(last?.messages).toBe(expected.length);
    expect(last?.channelsDone).toBe(last?.channelsTotal);
    expect(last?.channelsDone).toBe(summary.channels + unreadable.length);
  });

  it('adds exactly the new messages on a second run, and writes nothing when nothing is new', async () => {
    await startServer();
    await harvest();
    const before = storedMessageIds();

    const general = discord.channels.find((channel) => channel.name === 'general');
    const thread = discord.channels.find(
      (channel) => channel.type === 11 && channel.access === 'ok' && !channel.archived,
    );
    if (general === undefined || thread === undefined) throw new Error('layout changed');
    const posted = [
      ...server.postMessages(general.id, 7),
      ...server.postMessages(thread.id, 3),
      ...server.postMessages(discord.relayChannelId, 2),
    ].map((message) => message.id);

    const second = await harvest();
    expect(second.messages).toBe(posted.length);
    const after = storedMessageIds();
    expect(after).toEqual([...before, ...posted].sort(byId));
    expect(after).toEqual(expectedMessageIds());

    const messageRequests = (): number =>
      server.requests.filter((request) => request.route === 'GET /channels/:id/messages').length;
    const requestsBefore = messageRequests();
    const third = await harvest();
    expect(third.messages).toBe(0);
    expect(third.pages).toBe(0);
    expect(messageRequests()).toBe(requestsBefore);
    expect(storedMessageIds()).toEqual(after);
  });

  it('limits the backfill to `since`', async () => {
    await startServer();
    const since = Date.parse(clan.now) - 10 * 86_400_000;
    const summary = await harvest({ since });
    const expected = expectedMessageIds(since);
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.length).toBeLessThan(expectedMessageIds().length);
    expect(storedMessageIds()).toEqual(expected);
    expect(summary.messages).toBe(expected.length);
  });

  it('looks the known authors up when the member list is refused', async () => {
    await startServer({ guildMembers: false });
    const summary = await harvest();
    expect(summary.membersSource).toBe('lookup');
    const authors = new Set(
      discord.channels
        .filter((channel) => channel.access === 'ok')
        .flatMap((channel) => discord.messagesOf(channel.id))
        .filter((message) => message.webhookId === null)
        .map((message) => message.authorId),
    );
    const expected = discord.members
      .filter((member) => authors.has(member.userId))
      .map((member) => ({ userId: member.userId, nickname: member.nickname }));
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(authors.size);
    const members = store.db
      .prepare<[], { userId: string; nickname: string | null }>(
        `SELECT CAST(user_id AS TEXT) AS userId, nickname FROM discord_members ORDER BY user_id`,
      )
      .all();
    expect(members).toEqual(expected);
    expect(summary.members).toBe(expected.length);
  });

  it('never lets the token into the summary, the problems or an error', async () => {
    await startServer();
    const runId = store.runs.start('harvest');
    const summary = await harvest({ runId });
    expect(JSON.stringify(summary)).not.toContain(TOKEN);
    const rows = store.db.prepare('SELECT * FROM harvest_run_problems').all();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);

    const wrongToken = 'Wrong.harvest-token_77b1e0';
    const failures = [
      await harvest({ token: wrongToken }).catch((error: unknown) => error),
      await harvest({ guildId: '123456789012345678' }).catch((error: unknown) => error),
    ];
    expect(failures.map((error) => (error as { code?: string }).code)).toEqual([
      'UNAUTHORIZED',
      'GUILD_NOT_FOUND',
    ]);
    for (const error of failures) {
      const text = `${inspect(error, { depth: Infinity, showHidden: true })}\n${JSON.stringify(error)}`;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(wrongToken);
    }
  });
});

describe('toRelayRules', () => {
  it('makes one rule per relay channel, matching bots by id or by any name', () => {
    expect(
      toRelayRules({
        botUserIds: ['123456789012345678'],
        botNames: ['Osrs clanchat'],
        channelIds: ['234567890123456789', '345678901234567890'],
      }),
    ).toEqual([
      {
        channelId: '234567890123456789',
        authorIds: ['123456789012345678'],
        authorName: 'Osrs clanchat',
      },
      {
        channelId: '345678901234567890',
        authorIds: ['123456789012345678'],
        authorName: 'Osrs clanchat',
      },
    ]);
    const [rule] = toRelayRules({
      botUserIds: [],
      botNames: ['Clan.Chat (relay)', 'CC bot'],
      channelIds: ['234567890123456789'],
    });
    expect(rule?.authorIds).toBeUndefined();
    const pattern = rule?.authorName;
    if (!(pattern instanceof RegExp)) throw new Error('expected a RegExp');
    expect(pattern.test('clan.chat (RELAY)')).toBe(true);
    expect(pattern.test('cc BOT')).toBe(true);
    expect(pattern.test('ClanXChat (relay)')).toBe(false);
    expect(pattern.test('CC bot 2')).toBe(false);
    expect(
      toRelayRules({ botUserIds: ['123456789012345678'], botNames: [], channelIds: [] }),
    ).toEqual([]);
  });
});
