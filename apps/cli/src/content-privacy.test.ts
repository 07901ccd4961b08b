// Message text stays out of the database unless the clan opts in, and `clanstats purge-content`
// removes it for good: real CLI processes against the fake Discord (whose messages have text, the
// Message Content intent on), then the database file, its -wal and -shm, and the backups are
// searched for distinctive texts.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import {
  createSyntheticClan,
  startFakeDiscordServer,
  type FakeDiscordServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, integrityCheck } from './crash-harness.js';
import { createTempFolder, runCli, type CliResult, type TempFolder } from './test-harness.js';

const DISCORD_TOKEN = 'MTE5OTk5ODg4Nzc3NjY2NTU3.GcOnTt.content-privacy-token-5Rw2';
const MESSAGE_TEXT = 'quokka-canary-7731 anyone up for a zulrah trip tonight?';
const RELAY_TEXT = 'narwhal-canary-4410 lf tob team, need a scythe';

let discordServer: FakeDiscordServer;
let discord: SyntheticDiscord;
/** Texts that must not be in a database that stores none: ours, and a few the fake generated. */
let texts: string[];
const off = { folder: undefined as unknown as TempFolder, results: [] as CliResult[] };
const on = {
  folder: undefined as unknown as TempFolder,
  results: {} as Record<string, CliResult>,
  /** Rows with text after the harvest with the opt-in. */
  stored: { messages: 0, relayLines: 0 },
  /** Which of `texts` the database and the backup held before the purge. */
  before: { database: [] as string[], backup: [] as string[] },
  /** The same after `purge-content`. */
  afterPurge: { database: [] as string[], backup: [] as string[] },
  afterBackups: [] as string[],
  /** What backups/ holds besides the backup files after --include-backups. */
  backupDir: [] as string[],
  backupModes: [] as number[][],
};

/** Which of `texts` are in the files (a database and its -wal and -shm, when they exist). */
function found(files: readonly string[]): string[] {
  const present = files
    .flatMap((file) => [file, `${file}-wal`, `${file}-shm`])
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file));
  return texts.filter((text) => present.some((bytes) => bytes.includes(text)));
}

function backupFiles(folder: TempFolder): string[] {
  const dir = folder.file('backups');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.db'))
        .map((name) => `${dir}/${name}`)
    : [];
}

const CONTENT_ROWS = {
  messages: 'SELECT count(*) AS n FROM discord_messages WHERE content IS NOT NULL',
  relayLines: 'SELECT count(*) AS n FROM discord_relay_lines WHERE content IS NOT NULL',
};

function storedContent(folder: TempFolder): { messages: number; relayLines: number } {
  return {
    messages: count(folder, CONTENT_ROWS.messages),
    relayLines: count(folder, CONTENT_ROWS.relayLines),
  };
}

function writeRules(folder: TempFolder, storeMessageContent?: boolean): void {
  writeFileSync(
    folder.file('clanstats.config.json'),
    JSON.stringify({
      relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
      ...(storeMessageContent === undefined ? {} : { discord: { storeMessageContent } }),
    }),
  );
}

function cli(folder: TempFolder, args: string[]): Promise<CliResult> {
  return runCli(args, {
    cwd: folder.path,
    env: {
      DISCORD_API_URL: discordServer.url,
      DISCORD_TOKEN,
      DISCORD_GUILD_ID: discord.guild.id,
    },
  });
}

beforeAll(async () => {
  const clan = createSyntheticClan({ seed: 23, members: 5, formerMembers: 0, days: 4 });
  discordServer = await startFakeDiscordServer({ clan, tokens: [DISCORD_TOKEN], rateLimit: false });
  discord = discordServer.discord;
  const readable = discord.channels.filter((channel) => channel.access === 'ok');
  const chat = readable.find(
    (channel) => channel.type === 0 && channel.id !== discord.relayChannelId,
  );
  const speaker = clan.members.find((member) => member.membership.leftAt === null);
  if (chat === undefined || speaker === undefined) throw new Error('no chat channel or member');
  discordServer.postMessages(chat.id, 1, { content: MESSAGE_TEXT });
  discordServer.postMessages(discord.relayChannelId, 1, {
    authorId: discord.relayBotUserId,
    content: `**${speaker.player.displayName}**: ${RELAY_TEXT}`,
  });
  const generated = readable
    .flatMap((channel) => discord.messagesOf(channel.id))
    .filter((message) => !message.isBot && !message.isSystem && message.content.length >= 30)
    .map((message) => message.content);
  texts = [MESSAGE_TEXT, RELAY_TEXT, ...[...new Set(generated)].slice(0, 3)];
  if (texts.length < 5) throw new Error('the fake generated too few long messages');

  off.folder = createTempFolder('clanstats-content-off-');
  on.folder = createTempFolder('clanstats-content-on-');
  writeRules(off.folder);
  writeRules(on.folder, true);
  const harvest = ['harvest', '--skip-wom'];
  await Promise.all([
    (async () => {
      for (const args of [['migrate'], harvest]) off.results.push(await cli(off.folder, args));
    })(),
    (async () => {
      const { folder, results } = on;
      results.migrate = await cli(folder, ['migrate']);
      results.harvest = await cli(folder, harvest);
      on.stored = storedContent(folder);
      results.backup = await cli(folder, ['backup']);
      on.before = {
        database: found([folder.file('clan_data.db')]),
        backup: found(backupFiles(folder)),
      };
      // The opt-in taken back: the next harvest says what is still stored.
      writeRules(folder, false);
      results.harvestOff = await cli(folder, harvest);
      writeRules(folder, true);
      results.purge = await cli(folder, ['purge-content']);
      on.afterPurge = {
        database: found([folder.file('clan_data.db')]),
        backup: found(backupFiles(folder)),
      };
      results.purgeBackups = await cli(folder, ['purge-content', '--include-backups']);
      on.afterBackups = found([folder.file('clan_data.db'), ...backupFiles(folder)]);
      on.backupDir = readdirSync(folder.file('backups')).filter((name) => !name.endsWith('.db'));
      // The file format's read/write versions (bytes 18 and 19): 1 is a rollback journal, 2 WAL.
      on.backupModes = backupFiles(folder).map((path) => [...readFileSync(path).subarray(18, 20)]);
    })(),
  ]);
}, 60_000);

afterAll(async () => {
  off.folder.remove();
  on.folder.remove();
  await discordServer.close();
});

describe('message text, not opted in (the default)', () => {
  it('is stored nowhere: every content column is NULL, and no text is in the files', () => {
    for (const result of off.results) expect(result.code, result.output).toBe(0);
    expect(count(off.folder, 'SELECT count(*) AS n FROM discord_messages')).toBeGreaterThan(10);
    // The relayed line is there, attributed, without its words.
    expect(count(off.folder, 'SELECT count(*) AS n FROM discord_relay_lines')).toBeGreaterThan(0);
    expect(storedContent(off.folder)).toEqual({ messages: 0, relayLines: 0 });
    expect(found([off.folder.file('clan_data.db')])).toEqual([]);
    expect(off.results[1]?.output).not.toContain('purge-content');
  });
});

describe('message text, opted in (discord.storeMessageContent)', () => {
  it('is stored by the harvest, in the database and its backups', () => {
    const { results, stored, before } = on;
    for (const name of ['migrate', 'harvest', 'backup']) {
      expect(results[name]?.code, results[name]?.output).toBe(0);
    }
    expect(stored.messages).toBeGreaterThan(10);
    expect(stored.relayLines).toBeGreaterThan(0);
    expect(before.database).toEqual(texts);
    expect(before.backup).toEqual(texts);
  });

  it('taken back: the harvest warns that text is still stored and how to remove it', () => {
    const result = on.results.harvestOff;
    expect(result?.code, result?.output).toBe(0);
    expect(result?.output).toContain(
      `the database still holds the text of ${on.stored.messages} messages and ${on.stored.relayLines} relayed clan-chat lines`,
    );
    expect(result?.output).toContain('"clanstats purge-content" removes it');
  });

  it('purge-content clears it from the database and its files, and says the backups still hold it', () => {
    const result = on.results.purge;
    expect(result?.code, result?.output).toBe(0);
    expect(result?.output).toContain(
      `Cleared the text of ${on.stored.messages} messages and ${on.stored.relayLines} relayed clan-chat lines`,
    );
    expect(result?.output).toContain('1 of the 1 backups');
    expect(result?.output).toContain('purge-content --include-backups');
    // The opt-in is still on: the next harvest would store text again.
    expect(result?.output).toContain('"storeMessageContent": true');
    expect(on.afterPurge.database).toEqual([]);
    expect(on.afterPurge.backup).toEqual(texts);
  });

  it('--include-backups clears the backups too; rows, counts and integrity stay', () => {
    const result = on.results.purgeBackups;
    expect(result?.code, result?.output).toBe(0);
    expect(result?.output).toContain('Cleared the text of 0 messages');
    expect(result?.output).toContain(
      'Backups: 1 purged and rewritten, 1 of them held message text.',
    );
    expect(on.afterBackups).toEqual([]);
    // Each backup is still one self-contained file: no -wal or -shm left beside it.
    expect(on.backupDir).toEqual([]);
    expect(on.backupModes).toEqual([[1, 1]]);
    expect(storedContent(on.folder)).toEqual({ messages: 0, relayLines: 0 });
    expect(count(on.folder, 'SELECT count(*) AS n FROM discord_messages')).toBe(
      count(off.folder, 'SELECT count(*) AS n FROM discord_messages'),
    );
    expect(integrityCheck(on.folder)).toEqual(['ok']);
  });
});
