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

/** Options of {@link startRunFixture}. */
export interface RunFixtureOptions {
  /** The synthetic clan's seed. */
  seed: number;
  /** The temporary folders' name prefix, such as `clanstats-disk-`. */
  prefix: string;
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
 * Starts the fakes (a clan of five members over ten days, a little Discord chat), and runs
 * `clanstats run` once in a new folder: the base every case copies.
 */
export async function startRunFixture(options: RunFixtureOptions): Promise<RunFixture> {
  const now = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
  const clan = createSyntheticClan({
    seed: options.seed,
    members: 5,
    formerMembers: 1,
    days: 10,
    now: new Date(now).toISOString(),
  });
  const discord = createSyntheticDiscord(clan, { messageScale: 0.2 });
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
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: String(clan.group.id),
    WOM_API_KEY: WOM_KEY,
    DISCORD_API_URL: discordServer.url,
    DISCORD_TOKEN,
    DISCORD_GUILD_ID: discord.guild.id,
    CLANSTATS_TIMEZONE: 'Europe/London',
    CLANSTATS_OUT_DIR: 'out',
    ...extra,
  });
  const cli: RunFixture['cli'] = (folder, args, env = {}, more = {}) =>
    runCli(args, { ...more, cwd: folder.path, env: settings(env) });
  const fixture: RunFixture = {
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
  const first = await cli(fixture.base, ['run', ...fixture.asOfArgs]);
  if (first.code !== 0) {
    await fixture.close();
    throw new Error(`the base run failed (${String(first.code)}):\n${first.output}`);
  }
  return fixture;
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
