import { writeFileSync } from 'node:fs';
import { openStore } from '@clanstats/store';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

const DISCORD_TOKEN = 'Sekrit.stage-harvest_Token-91b2';
const WOM_KEY = 'wom-key-stage-harvest-0c1d';
const clan = createSyntheticClan({ seed: 11, members: 16, formerMembers: 3, days: 40 });
const AS_OF = clan.now;

let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
let discord: SyntheticDiscord;
let folder: TempFolder;

beforeAll(async () => {
  wom = await startFakeWomServer({ clan, rateLimit: false, apiKeys: [WOM_KEY] });
  discord = createSyntheticDiscord(clan);
  discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    rateLimit: false,
  });
});
afterAll(async () => {
  await wom.close();
  await discordServer.close();
});
beforeEach(() => {
  folder = createTempFolder('clanstats-stage-harvest-');
  discordServer.clearFaults();
  writeFileSync(
    folder.file('clanstats.config.json'),
    JSON.stringify({
      relay: {
        botUserIds: [discord.relayBotUserId],
        channelIds: [discord.relayChannelId],
      },
    }),
  );
});
afterEach(() => {
  folder.remove();
});

function settings(extra: Record<string, string> = {}): Record<string, string> {
  return {
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: String(clan.group.id),
    WOM_API_KEY: WOM_KEY,
    DISCORD_API_URL: discordServer.url,
    DISCORD_TOKEN: DISCORD_TOKEN,
    DISCORD_GUILD_ID: discord.guild.id,
    ...extra,
  };
}

function count(sql: string): number {
  const store = openStore(folder.file('clan_data.db'), { readonly: true });
  try {
    return Number(store.db.prepare(sql).pluck().get() ?? 0);
  } finally {
    store.close();
  }
}

function lastRun(): {
  status: string;
  womRequests: number;
  discordRequests: number;
  details: Record<string, unknown>;
} {
  const store = openStore(folder.file('clan_data.db'), { readonly: true });
  try {
    const [run] = store.runs.recent(1);
    if (run === undefined) throw new Error('no run recorded');
    return { ...run, details: run.details as Record<string, unknown> };
  } finally {
    store.close();
  }
}

const currentMembers = clan.members.filter((member) => member.membership.leftAt === null);
function readableMessageCount(since = 0): number {
  return discord.channels
    .filter((channel) => channel.access === 'ok')
    .flatMap((channel) => discord.messagesOf(channel.id))
    .filter((message) => Date.parse(message.timestamp) >= since).length;
}

describe('clanstats harvest', () => {
  it('fills the store from both fakes, then a second run adds only what is new', async () => {
    const readableMessages = readableMessageCount();
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const first = await runCli(['harvest', '--as-of', AS_OF], {
      cwd: folder.path,
      env: settings(),
    });
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('Wise Old Man:');
    expect(first.output).toContain('Discord:');

    // Wise Old Man: the roster with its history, a snapshot per tracked member, WOM's window gains.
    expect(count('SELECT COUNT(*) FROM wom_memberships WHERE left_at IS NULL')).toBe(
      currentMembers.length,
    );
    const tracked = currentMembers.filter((member) => member.history.times.length > 0).length;
    expect(count('SELECT COUNT(DISTINCT player_id) FROM wom_snapshots')).toBe(tracked);
    expect(count('SELECT COUNT(DISTINCT window_days) FROM wom_window_gains')).toBe(4);
    expect(count('SELECT COUNT(*) FROM wom_group_activity')).toBeGreaterThan(0);
    // Discord: every readable message, once.
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(readableMessages);
    expect(count('SELECT COUNT(*) FROM discord_relay_lines')).toBeGreaterThan(0);

    const run = lastRun();
    expect(run.status).toBe('ok');
    expect(run.womRequests).toBeGreaterThan(0);
    expect(run.discordRequests).toBeGreaterThan(0);
    expect(run.details).toMatchObject({ asOf: AS_OF });

    const snapshots = count('SELECT COUNT(*) FROM wom_snapshots');
    const activity = count('SELECT COUNT(*) FROM wom_group_activity');
    const second = await runCli(['harvest', '--as-of', AS_OF], {
      cwd: folder.path,
      env: settings(),
    });
    expect(second.code, second.output).toBe(0);
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(readableMessages);
    expect(count('SELECT COUNT(*) FROM wom_group_activity')).toBe(activity);
    // WOM's snapshots did not change between the runs: nothing is stored twice.
    expect(count('SELECT COUNT(*) FROM wom_snapshots')).toBe(snapshots);
    const again = lastRun();
    expect(again.status).toBe('ok');
    expect(again.discordRequests).toBeLessThan(run.discordRequests);
    expect(again.womRequests).toBeLessThanOrEqual(run.womRequests);
  });

  it('saves Wise Old Man data when Discord refuses the token, and exits with SOURCE_FAILED', async () => {
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const result = await runCli(['harvest', '--as-of', AS_OF], {
      cwd: folder.path,
      env: settings({ DISCORD_TOKEN: 'Wrong.token-value_123' }),
    });
    expect(result.code, result.output).toBe(8);
    expect(result.output).toContain('SOURCE_FAILED');
    expect(result.output).toContain('DISCORD_TOKEN');
    expect(result.output).not.toContain('Wrong.token-value_123');
    expect(result.output).not.toContain(WOM_KEY);
    expect(count('SELECT COUNT(*) FROM wom_memberships WHERE left_at IS NULL')).toBe(
      currentMembers.length,
    );
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(0);
    const run = lastRun();
    expect(run.status).toBe('partial');
    const store = openStore(folder.file('clan_data.db'), { readonly: true });
    try {
      const [stored] = store.runs.recent(1);
      const problems = store.runs.problems(stored?.id ?? -1);
      expect(problems.map((problem) => problem.code)).toContain('DISCORD_UNAUTHORIZED');
    } finally {
      store.close();
    }
  });

  it('names the group setting when Wise Old Man has no such group, and still harvests Discord', async () => {
    const readableMessages = readableMessageCount();
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const result = await runCli(['harvest', '--as-of', AS_OF], {
      cwd: folder.path,
      env: settings({ WOM_GROUP_ID: '999999' }),
    });
    expect(result.code, result.output).toBe(8);
    expect(result.output).toContain('WOM_GROUP_ID');
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(readableMessages);
    expect(lastRun().status).toBe('partial');
  });

  it('harvests one source with --skip-discord or --skip-wom', async () => {
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const womOnly = await runCli(['harvest', '--skip-discord', '--as-of', AS_OF], {
      cwd: folder.path,
      env: settings(),
    });
    expect(womOnly.code, womOnly.output).toBe(0);
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(0);
    expect(count('SELECT COUNT(*) FROM wom_players')).toBeGreaterThan(0);
    expect(lastRun().discordRequests).toBe(0);

    const discordOnly = await runCli(
      ['harvest', '--skip-wom', '--since', '10d', '--as-of', AS_OF],
      {
        cwd: folder.path,
        env: settings(),
      },
    );
    expect(discordOnly.code, discordOnly.output).toBe(0);
    const since = Date.parse(AS_OF) - 10 * 86_400_000;
    expect(count('SELECT COUNT(*) FROM discord_messages')).toBe(readableMessageCount(since));
    expect(lastRun().womRequests).toBe(0);
  });

  it('rejects bad times and contradictory flags before any request', async () => {
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const requestsBefore = wom.requests.length;
    const badDate = await runCli(['harvest', '--as-of', 'last tuesday'], {
      cwd: folder.path,
      env: settings(),
    });
    expect(badDate.code).toBe(2);
    expect(badDate.output).toContain('--as-of "last tuesday" is not a date');
    const both = await runCli(['harvest', '--skip-wom', '--skip-discord'], {
      cwd: folder.path,
      env: settings(),
    });
    expect(both.code).toBe(2);
    expect(both.output).toContain('leave nothing to harvest');
    const missing = await runCli(['harvest'], {
      cwd: folder.path,
      env: settings({ WOM_GROUP_ID: '' }),
    });
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('WOM_GROUP_ID');
    expect(wom.requests.length).toBe(requestsBefore);
  });
});
