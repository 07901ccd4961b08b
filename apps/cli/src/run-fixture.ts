/**
 * Test helpers for the fault tests that start from a finished run: fake Wise Old Man and Discord
 * servers with a small synthetic clan, the settings of a run against them, one folder where a
 * whole `clanstats run` finished (database, backup, outputs), and a copy of that folder per case.
 * Used by the tests only; not part of either bundle.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type SyntheticClan,
  type SyntheticDiscordOptions,
} from '@clanstats/testkit';
import {
  createTempFolder,
  runCli,
  type CliResult,
  type RunCliOptions,
  type TempFolder,
} from './test-harness.js';

const DAY = 86_400_000;
const WOM_KEY = 'wom-key-run-fixture-2c9d';
const DISCORD_TOKEN = 'Discord.run-fixture_Token-5b70';

/** Where the fake servers are, and what a run needs to use them. */
export interface FakeRunServers {
  /** The fake Wise Old Man's base URL. */
  womUrl: string;
  /** The group the clan is. */
  groupId: number;
  /** An API key the fake WOM accepts. */
  womKey: string;
  /** The fake Discord's API URL. */
  discordUrl: string;
  /** A bot token the fake Discord accepts. */
  discordToken: string;
  /** The clan's Discord server. */
  guildId: string;
}

/**
 * The settings of a run against the fake servers: their URLs, the group, the guild and the
 * credentials, the London time zone, and `out/` for the outputs.
 */
export function fakeRunSettings(servers: FakeRunServers): Record<string, string> {
  return {
    WOM_BASE_URL: servers.womUrl,
    WOM_GROUP_ID: String(servers.groupId),
    WOM_API_KEY: servers.womKey,
    DISCORD_API_URL: servers.discordUrl,
    DISCORD_TOKEN: servers.discordToken,
    DISCORD_GUILD_ID: servers.guildId,
    CLANSTATS_TIMEZONE: 'Europe/London',
    CLANSTATS_OUT_DIR: 'out',
  };
}

/** Options of {@link startRunFixture}. */
export interface RunFixtureOptions {
  /** The temporary folders' name prefix, such as `clanstats-disk-`. */
  prefix: string;
  /** The synthetic clan's seed, for the default clan. */
  seed?: number;
  /**
   * The clan the fakes serve; its `now` is the fakes' "now" and the runs' as-of time.
   * @defaultValue five members and one former member over ten days, until two days ago
   */
  clan?: SyntheticClan;
  /**
   * How its Discord server is made.
   * @defaultValue `{ messageScale: 0.2 }`
   */
  discord?: SyntheticDiscordOptions;
  /** More arguments for the base run, such as `--verbose`. */
  runArgs?: readonly string[];
}

/** The default clan of {@link startRunFixture}: until two days ago, on the hour. */
function smallClan(seed: number): SyntheticClan {
  const now = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
  return createSyntheticClan({
    seed,
    members: 5,
    formerMembers: 1,
    days: 10,
    now: new Date(now).toISOString(),
  });
}

/** What {@link startRunFixture} set up. */
export interface RunFixture {
  clan: SyntheticClan;
  /** `['--as-of', <time>]`: every run and stage of the fixture is for the same instant. */
  asOfArgs: readonly string[];
  /** The settings of a run against the fakes, with `extra` on top. */
  settings(extra?: Record<string, string>): Record<string, string>;
  /** The folder where one `clanstats run` finished; tests copy it and never change it. */
  base: TempFolder;
  /** A new folder holding a copy of everything in {@link RunFixture.base}. */
  copy(): TempFolder;
  /** What the base run printed. */
  baseRun: CliResult;
  /** Runs the CLI in `folder` with {@link RunFixture.settings} and `env`. */
  cli(
    folder: TempFolder,
    args: readonly string[],
    env?: Record<string, string>,
    options?: Omit<RunCliOptions, 'cwd' | 'env'>,
  ): Promise<CliResult>;
  /** Stops the fakes and removes every folder. */
  close(): Promise<void>;
}

/**
 * Starts the fakes (by default a clan of five members over ten days, a little Discord chat), and
 * runs `clanstats run` once in a new folder with the clan's relay rules: the base every case
 * copies. Throws with the run's output when that run fails.
 */
export async function startRunFixture(options: RunFixtureOptions): Promise<RunFixture> {
  const clan = options.clan ?? smallClan(options.seed ?? 1);
  const now = Date.parse(clan.now);
  const discord = createSyntheticDiscord(clan, options.discord ?? { messageScale: 0.2 });
  const offset = now - Date.now();
  const clock = (): Date => new Date(Date.now() + offset);
  const wom = await startFakeWomServer({ clan, apiKeys: [WOM_KEY], now: clock, rateLimit: false });
  const discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    now: clock,
    rateLimit: false,
  });
  const folders: TempFolder[] = [];
  const newFolder = (): TempFolder => {
    const folder = createTempFolder(options.prefix);
    folders.push(folder);
    return folder;
  };
  const settings = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...fakeRunSettings({
      womUrl: wom.url,
      groupId: clan.group.id,
      womKey: WOM_KEY,
      discordUrl: discordServer.url,
      discordToken: DISCORD_TOKEN,
      guildId: discord.guild.id,
    }),
    ...extra,
  });
  const cli: RunFixture['cli'] = (folder, args, env = {}, more = {}) =>
    runCli(args, { ...more, cwd: folder.path, env: settings(env) });
  const fixture: Omit<RunFixture, 'baseRun'> = {
    clan,
    asOfArgs: ['--as-of', new Date(now).toISOString()],
    settings,
    base: newFolder(),
    copy: () => {
      const folder = newFolder();
      cpSync(fixture.base.path, folder.path, { recursive: true });
      return folder;
    },
    cli,
    close: async () => {
      for (const folder of folders) folder.remove();
      await Promise.all([wom.close(), discordServer.close()]);
    },
  };
  writeFileSync(
    fixture.base.file('clanstats.config.json'),
    JSON.stringify({
      relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
    }),
  );
  const baseRun = await cli(fixture.base, ['run', ...(options.runArgs ?? []), ...fixture.asOfArgs]);
  if (baseRun.code !== 0) {
    await fixture.close();
    throw new Error(`the base run failed (${String(baseRun.code)}):\n${baseRun.output}`);
  }
  return { ...fixture, baseRun };
}

/** SHA-256 of each file in `folder` (not in its subfolders), by name: to prove nothing changed. */
export function fileHashes(folder: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    hashes[entry.name] = createHash('sha256')
      .update(readFileSync(join(folder, entry.name)))
      .digest('hex');
  }
  return hashes;
}

const DISK_FULL = fileURLToPath(new URL('__fixtures__/disk-full.mjs', import.meta.url));

/**
 * The environment of a disk under `dir` that has `free` bytes left, in the CLI and every stage
 * process: see `__fixtures__/disk-full.mjs`.
 */
export function diskFull(dir: string, free: number): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${DISK_FULL}`,
    CLANSTATS_TEST_DISK_DIR: dir,
    CLANSTATS_TEST_DISK_FREE: String(free),
  };
}
