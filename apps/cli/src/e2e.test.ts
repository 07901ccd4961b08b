// End to end: the real CLI, as a user runs it (`clanstats run`, one process per stage), against the
// fake Wise Old Man and Discord servers on 127.0.0.1, whose synthetic clan is the ground truth.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticClan,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, query, workbookValues } from './crash-harness.js';
import {
  createTempFolder,
  runCli,
  waitFor,
  type CliResult,
  type TempFolder,
} from './test-harness.js';

const DAY = 86_400_000;
const WOM_KEY = 'wom-key-e2e-5f1a';
const DISCORD_TOKEN = 'Discord.e2e_Token-77c3';
/** "Today" for the fakes: two days ago, so that a day later is still not in the future. */
const T = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
const MESSAGES_ROUTE = 'GET /channels/:id/messages';

interface Fakes {
  clan: SyntheticClan;
  discord: SyntheticDiscord;
  wom: FakeWomServer;
  discordServer: FakeDiscordServer;
  /** Moves both servers' clocks (they start at T and run in real time). */
  shift: (ms: number) => void;
  close: () => Promise<void>;
}

async function startFakes(): Promise<Fakes> {
  const clan = createSyntheticClan({
    seed: 42,
    members: 20,
    formerMembers: 4,
    days: 30,
    now: new Date(T).toISOString(),
  });
  const discord = createSyntheticDiscord(clan);
  let offset = T - Date.now();
  const clock = (): Date => new Date(Date.now() + offset);
  // Real limits: WOM's keyed 100 requests a window, Discord's 50/s and 5/s per channel.
  const wom = await startFakeWomServer({ clan, apiKeys: [WOM_KEY], now: clock });
  const discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    now: clock,
  });
  return {
    clan,
    discord,
    wom,
    discordServer,
    shift: (ms) => {
      offset += ms;
    },
    close: async () => {
      await Promise.all([wom.close(), discordServer.close()]);
    },
  };
}

function settingsFor(fakes: Fakes, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WOM_BASE_URL: fakes.wom.url,
    WOM_GROUP_ID: String(fakes.clan.group.id),
    WOM_API_KEY: WOM_KEY,
    DISCORD_API_URL: fakes.discordServer.url,
    DISCORD_TOKEN,
    DISCORD_GUILD_ID: fakes.discord.guild.id,
    CLANSTATS_TIMEZONE: 'Europe/London',
    CLANSTATS_OUT_DIR: 'out',
    ...extra,
  };
}

function writeRules(folder: TempFolder, discord: SyntheticDiscord): void {
  const rules = {
    relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
    ranks: [
      { role: 'recruit', minTenureDays: 0, minScore: 0 },
      { role: 'corporal', minTenureDays: 14, minScore: 100 },
    ],
  };
  writeFileSync(folder.file('clanstats.config.json'), JSON.stringify(rules));
}

function run(folder: TempFolder, fakes: Fakes, asOf: number, extra: Record<string, string> = {}) {
  return runCli(['run', '--as-of', new Date(asOf).toISOString()], {
    cwd: folder.path,
    env: settingsFor(fakes, extra),
  });
}

interface ClanDataFile {
  asOf: string;
  generatedAt: string;
  members: Array<{
    playerId: number;
    displayName: string;
    current: { xp: number | null } | null;
    discordUsers: Array<{ userId: string }>;
    windows: Record<string, { messages: number; xp: number | null }>;
  }>;
  totals: Record<string, { messages: number; xp: number }>;
}

function readClanData(folder: TempFolder): ClanDataFile {
  return JSON.parse(readFileSync(folder.file('out/clan_data.json'), 'utf8')) as ClanDataFile;
}

/** Every message of the readable channels, as the ground truth has it now. */
function readableMessages(discord: SyntheticDiscord) {
  return discord.channels
    .filter((channel) => channel.access === 'ok')
    .flatMap((channel) => discord.messagesOf(channel.id));
}

/**
 * A member's human Discord messages in the window `[asOf − days, asOf]`, from the ground truth's
 * `messages` (types 0 and 19, no bots or webhooks), by the Discord accounts the run linked to them.
 */
function expectedMessages(
  messages: ReturnType<typeof readableMessages>,
  userIds: ReadonlySet<string>,
  asOf: number,
  days: number,
): number {
  return messages.filter((message) => {
    const at = Date.parse(message.timestamp);
    return (
      userIds.has(message.authorId) &&
      (message.type === 0 || message.type === 19) &&
      !message.isBot &&
      message.webhookId === null &&
      at >= asOf - days * DAY &&
      at <= asOf
    );
  }).length;
}

/** Overall XP per player id from the fake's bulk hiscores, over HTTP like the harvest. */
async function overallXp(fakes: Fakes): Promise<Map<number, number>> {
  const response = await fetch(`${fakes.wom.url}/groups/${fakes.clan.group.id}/bulk-hiscores`, {
    headers: { 'x-api-key': WOM_KEY },
  });
  const rows = (await response.json()) as Array<{
    player: { id: number };
    data: { data: { skills: { overall: { experience: number } } } };
  }>;
  return new Map(rows.map((row) => [row.player.id, row.data.data.skills.overall.experience]));
}

function expectSucceeded(result: CliResult): void {
  if (result.code !== 0)
    throw new Error(`clanstats run failed (${result.code}):\n${result.output}`);
}

describe('clanstats run against the fakes, day after day', { timeout: 120_000 }, () => {
  let fakes: Fakes;
  let folder: TempFolder;
  let first: ClanDataFile;

  beforeAll(async () => {
    fakes = await startFakes();
    folder = createTempFolder('clanstats-e2e-');
    writeRules(folder, fakes.discord);
  });
  afterAll(async () => {
    await fakes.close();
    folder.remove();
  });

  it('first run: harvests everything and writes the report, the data and the dashboard', async () => {
    const result = await run(folder, fakes, T);
    expectSucceeded(result);
    for (const file of [
      'out/clan_report_summary_merged.xlsx',
      'out/clan_data.json',
      'out/clan_dashboard.html',
      'app.log',
    ]) {
      expect(existsSync(folder.file(file)), file).toBe(true);
    }
    expect(count(folder, 'SELECT count(*) AS n FROM discord_messages')).toBe(
      readableMessages(fakes.discord).length,
    );
    first = readClanData(folder);
    const current = fakes.clan.members.filter((member) => member.membership.leftAt === null);
    expect(first.members.map((member) => member.playerId).sort()).toEqual(
      current.map((member) => member.player.id).sort(),
    );
    const xp = await overallXp(fakes);
    for (const member of first.members) {
      expect(member.current?.xp ?? null, member.displayName).toBe(xp.get(member.playerId) ?? null);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(folder.file('out/clan_report_summary_merged.xlsx'));
    expect(workbook.worksheets.length).toBeGreaterThan(1);
  });

  it('a day later: fetches only what is new, and nothing is counted twice', async () => {
    const womDay = fakes.wom.advance({ days: 1 });
    const discordDay = fakes.discordServer.advance({ days: 1 });
    fakes.shift(DAY);
    expect(womDay.snapshots).toBeGreaterThan(0);
    expect(discordDay.messages).toBeGreaterThan(0);
    const messagesBefore = count(folder, 'SELECT count(*) AS n FROM discord_messages');
    const snapshotsBefore = count(folder, 'SELECT count(*) AS n FROM wom_snapshots');
    fakes.discordServer.stats.reset();
    fakes.wom.stats.reset();

    const asOf = T + DAY;
    expectSucceeded(await run(folder, fakes, asOf));

    // Discord: only the channels with new messages were paged, a page or two each.
    const messageRequests = fakes.discordServer.requests.filter(
      (request) => request.route === MESSAGES_ROUTE,
    ).length;
    const newPages = Object.values(discordDay.byChannel).reduce(
      (sum, added) => sum + Math.ceil(added / 100) + 1,
      0,
    );
    expect(messageRequests).toBeLessThanOrEqual(newPages);
    const messagesAfter = count(folder, 'SELECT count(*) AS n FROM discord_messages');
    expect(messagesAfter).toBe(readableMessages(fakes.discord).length);
    expect(messagesAfter - messagesBefore).toBe(discordDay.messages);
    expect(
      count(
        folder,
        'SELECT count(*) AS n FROM (SELECT id FROM discord_messages GROUP BY id HAVING count(*) > 1)',
      ),
    ).toBe(0);
    // Wise Old Man: one new snapshot per member WOM updated, no more.
    expect(count(folder, 'SELECT count(*) AS n FROM wom_snapshots') - snapshotsBefore).toBe(
      womDay.playersUpdated,
    );
    expect(fakes.wom.stats.requests).toBeLessThan(30);

    // The numbers moved with the day, and each is exactly the ground truth.
    const second = readClanData(folder);
    expect(Date.parse(second.asOf)).toBe(asOf);
    const xp = await overallXp(fakes);
    let progressed = 0;
    const groundTruth = readableMessages(fakes.discord);
    for (const member of second.members) {
      expect(member.current?.xp ?? null, member.displayName).toBe(xp.get(member.playerId) ?? null);
      const before = first.members.find((entry) => entry.playerId === member.playerId);
      if ((member.current?.xp ?? 0) > (before?.current?.xp ?? 0)) progressed++;
      const userIds = new Set(member.discordUsers.map((user) => user.userId));
      for (const [window, days] of [
        ['7d', 7],
        ['30d', 30],
      ] as const) {
        expect(member.windows[window]?.messages, `${member.displayName} ${window}`).toBe(
          expectedMessages(groundTruth, userIds, asOf, days),
        );
      }
    }
    expect(progressed).toBe(womDay.playersProgressed);
  });

  it('a run where Discord fails: Wise Old Man data lands, the outputs are made, the exit code says so', async () => {
    const other = createTempFolder('clanstats-e2e-discord-down-');
    try {
      writeRules(other, fakes.discord);
      const result = await run(other, fakes, T + DAY, { DISCORD_TOKEN: 'not-the-bot-token' });
      expect(result.code).toBe(8);
      expect(result.stderr).toContain('SOURCE_FAILED');
      expect(result.stderr).toMatch(/Discord/);
      expect(result.output).toContain('Stage 5/5: export');
      expect(result.output).not.toContain('not-the-bot-token');
      expect(count(other, 'SELECT count(*) AS n FROM wom_snapshots')).toBeGreaterThan(0);
      expect(count(other, 'SELECT count(*) AS n FROM discord_messages')).toBe(0);
      expect(existsSync(other.file('out/clan_report_summary_merged.xlsx'))).toBe(true);
      expect(existsSync(other.file('out/clan_dashboard.html'))).toBe(true);
      const [lastRun] = query<{ status: string }>(
        other,
        'SELECT status FROM harvest_runs ORDER BY id DESC LIMIT 1',
      );
      expect(lastRun?.status).toBe('partial');
      expect(existsSync(other.file('clan_data.db.lock'))).toBe(false);
    } finally {
      other.remove();
    }
  });
});

describe('clanstats run --every', { timeout: 120_000 }, () => {
  let fakes: Fakes;
  let folder: TempFolder;

  beforeAll(async () => {
    fakes = await startFakes();
    folder = createTempFolder('clanstats-e2e-every-');
    writeRules(folder, fakes.discord);
  });
  afterAll(async () => {
    await fakes.close();
    folder.remove();
  });

  it('runs now, says when it runs next, holds the lock only while running, and stops on SIGTERM', async () => {
    let child: ChildProcess | undefined;
    const scheduled = runCli(['run', '--every', '6h'], {
      cwd: folder.path,
      env: settingsFor(fakes),
      onSpawn: (spawned) => {
        child = spawned;
      },
    });
    const log = folder.file('app.log');
    await waitFor(
      () => existsSync(log) && readFileSync(log, 'utf8').includes('Next run at'),
      'the first run to finish',
      90_000,
    );
    // Between runs the database is free for other commands.
    expect(existsSync(folder.file('clan_data.db.lock'))).toBe(false);
    expect(existsSync(folder.file('out/clan_dashboard.html'))).toBe(true);
    child?.kill('SIGTERM');
    const result = await scheduled;
    expect(result.code).toBe(143);
    expect(result.stdout).toContain('Run 1 (every 6h).');
    expect(result.stdout).toMatch(/Next run at .+ \(every 6h\); Ctrl\+C stops\./);
    expect(result.output).not.toContain('Run 2');
    expect(existsSync(folder.file('clan_data.db.lock'))).toBe(false);
  });

  it.each([
    [['--every', '5m'], 'from 10m to 7d'],
    [['--every', 'hourly'], 'such as 6h, 30m, 1d or 1h30m'],
    [
      ['--every', '6h', '--as-of', '2026-11-01T00:00:00Z'],
      '--every and --as-of do not go together',
    ],
  ])('refuses %j before any stage', async (args, message) => {
    const result = await runCli(['run', ...args], { cwd: folder.path, env: settingsFor(fakes) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.output).not.toContain('Stage 1/5');
  });
});

describe('a run killed at a random moment', { timeout: 180_000 }, () => {
  let fakes: Fakes;
  const folders: TempFolder[] = [];

  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.close();
    for (const folder of folders) folder.remove();
  });

  /** clan_data.json without the one field that records when it was written. */
  function comparable(folder: TempFolder): unknown {
    const data: Partial<ClanDataFile> = readClanData(folder);
    delete data.generatedAt;
    return data;
  }

  it('then a normal run gives the same outputs as an uninterrupted run', async () => {
    const reference = createTempFolder('clanstats-e2e-reference-');
    const killed = createTempFolder('clanstats-e2e-killed-');
    folders.push(reference, killed);
    writeRules(reference, fakes.discord);
    writeRules(killed, fakes.discord);

    const started = performance.now();
    expectSucceeded(await run(reference, fakes, T));
    const uninterruptedMs = performance.now() - started;

    // Kill the whole process group (the run and its stage) with SIGKILL: no handler runs, like a
    // power cut. The moment is random within the uninterrupted run's duration.
    const killAfterMs = Math.round(200 + Math.random() * Math.max(0, uninterruptedMs * 0.9 - 200));
    let pid: number | undefined;
    const interrupted = runCli(['run', '--as-of', new Date(T).toISOString()], {
      cwd: killed.path,
      env: settingsFor(fakes),
      detached: true,
      onSpawn: (child) => {
        pid = child.pid;
      },
    });
    await waitFor(() => pid !== undefined, 'the run to start');
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    try {
      process.kill(-(pid ?? 0), 'SIGKILL');
    } catch {
      // It finished before the kill: the normal run below then has nothing left to do.
    }
    const killedResult = await interrupted;
    // Stages still running in the group die with it; give the OS a moment to reap them.
    await waitFor(() => {
      try {
        process.kill(-(pid ?? 0), 0);
        return false;
      } catch {
        return true;
      }
    }, 'the killed process group to end');

    const resumed = await run(killed, fakes, T);
    const context = `killed after ${killAfterMs} ms of ${Math.round(uninterruptedMs)} ms (${killedResult.signal ?? `exit ${String(killedResult.code)}`})`;
    if (resumed.code !== 0) throw new Error(`${context}; the next run failed:\n${resumed.output}`);

    expect(comparable(killed), context).toEqual(comparable(reference));
    const messages = 'SELECT count(*) AS n FROM discord_messages';
    expect(count(killed, messages), context).toBe(count(reference, messages));
    const snapshots = 'SELECT count(*) AS n FROM wom_snapshots';
    expect(count(killed, snapshots), context).toBe(count(reference, snapshots));
    expect(
      count(
        killed,
        "SELECT count(*) AS n FROM pragma_integrity_check WHERE integrity_check <> 'ok'",
      ),
      context,
    ).toBe(0);
    expect(await workbookValues(killed), context).toEqual(await workbookValues(reference));
    for (const file of ['clan_report_summary_merged.xlsx', 'clan_dashboard.html']) {
      expect(existsSync(killed.file(`out/${file}`)), `${context}: ${file}`).toBe(true);
    }
    expect(
      readdirSync(killed.file('out')).filter((name) => name.endsWith('.tmp')),
      context,
    ).toEqual([]);
    expect(existsSync(killed.file('clan_data.db.lock')), context).toBe(false);
  });
});
