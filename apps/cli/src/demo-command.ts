/**
 * `clanstats demo`: the whole product in one command, without an account anywhere. It starts the
 * fake Wise Old Man and Discord servers of `@clanstats/testkit` on 127.0.0.1 with a seeded clan
 * and a year of history, then runs `clanstats run` as a separate process in the demo folder, with
 * the same settings a real user sets (`WOM_BASE_URL`, `DISCORD_API_URL`, the ids and tokens), and
 * shuts the servers down.
 *
 * The fakes live in this (orchestrator) process; the run and its stages are child processes, so
 * the servers answer while the pipeline works, exactly as the real APIs would.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WebhookEmbed } from '@clanstats/discord-harvester';
import type { CommandContext } from './commands.js';
import { ClanstatsError, UsageError } from './errors.js';
import { SettingDefinitions, type Environment } from './settings.js';
import { summaryText } from './summary-post.js';

/** The demo folder's marker: a folder with it is ours to empty on the next demo. */
export const DEMO_MARKER = '.clanstats-demo.json';

/** The demo's defaults. */
export const DEMO_DEFAULTS = {
  dir: 'demo',
  members: 300,
  seed: 2026,
  timeZone: 'Europe/London',
} as const;

/** Discord's limits times ten (see the fake's defaults): a demo is about a minute. */
const DEMO_DISCORD_RATE_LIMITS = {
  global: { limit: 500, windowMs: 1000 },
  messages: { limit: 50, windowMs: 1000 },
  default: { limit: 100, windowMs: 1000 },
};

const DEMO_WOM_KEY = 'demo-wom-api-key';
const DEMO_DISCORD_TOKEN = 'demo-discord-bot-token';

/** Settings of the user's own that must not reach the demo (a real LOCAL_DRIVE_PATH, say). */
const DEMO_CLEARED = [
  ...SettingDefinitions.map((definition) => definition.name),
  'DISCORD_WEBHOOK_URL',
];

/** The demo's own failure: the run it started exited with `runExitCode`. */
export class DemoFailedError extends ClanstatsError {
  override name = 'DemoFailedError';
  /** The exit code of the `clanstats run` the demo started. */
  readonly runExitCode: number;

  constructor(runExitCode: number, logPath: string) {
    super(
      'STAGE_FAILED',
      `The demo's run failed (exit code ${runExitCode}); its log is ${logPath}. Run "clanstats demo --verbose" for details.`,
    );
    this.runExitCode = runExitCode;
  }

  override get exitCode(): number {
    return this.runExitCode;
  }
}

function parseWholeNumber(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got '${text}'.`,
      'demo',
    );
  }
  return Number(text);
}

/**
 * Empties the demo folder when it is ours (it has {@link DEMO_MARKER}) or empty, and creates it.
 * Anything else is refused: the demo never deletes a folder it did not make.
 */
function prepareFolder(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new UsageError(
        `${dir} already exists and is not a ClanStats demo folder; choose another folder with --dir, or empty it.`,
        'demo',
      );
    }
    for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

/** The orchestrator bundle (`dist/bin.js`), which the demo runs as `clanstats run`. */
function binPath(): string {
  return fileURLToPath(new URL('./bin.js', import.meta.url));
}

/** Runs `clanstats run` in `cwd` with `env`, its output on this terminal; resolves to its exit code. */
function runPipelineProcess(
  cwd: string,
  env: Environment,
  args: readonly string[],
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [binPath(), 'run', ...args], {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `clanstats demo`. */
export async function demoCommand(context: CommandContext): Promise<void> {
  const { values } = context;
  const dir = resolve(context.cwd, typeof values.dir === 'string' ? values.dir : DEMO_DEFAULTS.dir);
  const members =
    typeof values.members === 'string'
      ? parseWholeNumber('members', values.members, 10, 2000)
      : DEMO_DEFAULTS.members;
  const seed =
    typeof values.seed === 'string'
      ? parseWholeNumber('seed', values.seed, 1, 2 ** 31 - 1)
      : DEMO_DEFAULTS.seed;
  const log = context.logger.withTag('demo');
  const started = performance.now();

  prepareFolder(dir);
  // The fakes are a development dependency of the product, loaded only here.
  const testkit = await import('@clanstats/testkit');
  log.start(`Generating a ${members}-member clan with a year of history (seed ${seed})…`);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clan = testkit.createSyntheticClan({ seed, members, now: now.toISOString() });
  const discord = testkit.createSyntheticDiscord(clan, { timeZone: DEMO_DEFAULTS.timeZone });
  // Both fakes keep the wall clock, so "now" for the run is "now" for the servers.
  const clock = (): Date => new Date();
  const wom = await testkit.startFakeWomServer({ clan, apiKeys: [DEMO_WOM_KEY], now: clock });
  const discordServer = await testkit.startFakeDiscordServer({
    clan,
    discord,
    tokens: [DEMO_DISCORD_TOKEN],
    now: clock,
    // Discord's rate-limit protocol (headers, buckets, 429s), with limits high enough that a
    // year of one busy channel takes seconds, not the five minutes it takes at Discord's pace.
    rateLimit: DEMO_DISCORD_RATE_LIMITS,
  });
  try {
    log.info(
      `Fake Wise Old Man at ${wom.url} (group ${clan.group.id}, "${clan.group.name}"), fake Discord at ${discordServer.url} (${discord.totalMessages.toLocaleString('en-GB')} messages).`,
    );
    writeFileSync(
      join(dir, DEMO_MARKER),
      `${JSON.stringify({ createdAt: now.toISOString(), seed, members, groupId: clan.group.id }, null, 2)}\n`,
    );
    writeFileSync(
      join(dir, 'clanstats.config.json'),
      `${JSON.stringify(demoRules(discord.relayBotUserId, discord.relayChannelId), null, 2)}\n`,
    );
    const cleared = new Set<string>(DEMO_CLEARED);
    const env: Record<string, string | undefined> = Object.fromEntries(
      Object.entries(context.env).filter(([name]) => !cleared.has(name)),
    );
    Object.assign(env, {
      WOM_BASE_URL: wom.url,
      WOM_GROUP_ID: String(clan.group.id),
      WOM_API_KEY: DEMO_WOM_KEY,
      DISCORD_API_URL: discordServer.url,
      DISCORD_TOKEN: DEMO_DISCORD_TOKEN,
      DISCORD_GUILD_ID: discord.guild.id,
      CLANSTATS_DB: join(dir, 'clanstats.db'),
      CLANSTATS_OUT_DIR: join(dir, 'out'),
      CLANSTATS_TIMEZONE: DEMO_DEFAULTS.timeZone,
      DISCORD_WEBHOOK_URL: discordServer.webhooks[0]?.url,
    });
    log.start(`Running "clanstats run" in ${dir}`);
    const exitCode = await runPipelineProcess(dir, env, context.flags.verbose ? ['--verbose'] : []);
    if (exitCode !== 0) throw new DemoFailedError(exitCode, join(dir, 'app.log'));
    const out = join(dir, 'out');
    const posted = discordServer.webhookPosts.at(-1);
    const channel = discord.channels.find((candidate) => candidate.id === posted?.channelId);
    const summaryLines =
      posted === undefined
        ? []
        : [
            '',
            `Weekly summary posted to the fake Discord #${channel?.name ?? 'announcements'}:`,
            ...summaryText(
              (posted.body as { embeds?: Array<Partial<WebhookEmbed>> }).embeds ?? [],
            ).map((line) => `  ${line.replaceAll('\n', '\n  ')}`),
          ];
    context.print(
      [
        '',
        `✔ Demo finished in ${seconds(performance.now() - started)}: a ${members}-member clan, ${wom.stats.requests} Wise Old Man and ${discordServer.stats.requests.toLocaleString('en-GB')} Discord requests.`,
        `  Dashboard:  ${pathToFileURL(join(out, 'clan_dashboard.html')).href}`,
        `  Report:     ${join(out, 'clan_report_summary_merged.xlsx')}`,
        `  Data:       ${join(out, 'clan_data.json')}`,
        `  Database:   ${join(dir, 'clanstats.db')}`,
        `  Log:        ${join(dir, 'app.log')}`,
        ...summaryLines,
        'Open the dashboard in your browser. For your own clan, see "Using it" in the README.',
      ].join('\n'),
    );
  } finally {
    await Promise.all([wom.close(), discordServer.close()]);
  }
}

/** The demo clan's rules: the relay bot, a rank ladder and the owner exempt from inactivity. */
export function demoRules(relayBotUserId: string, relayChannelId: string): object {
  return {
    inactivity: { days: 30, exemptRoles: ['owner'] },
    ranks: [
      { role: 'recruit', minTenureDays: 0, minScore: 0 },
      { role: 'corporal', minTenureDays: 14, minScore: 300 },
      { role: 'sergeant', minTenureDays: 60, minScore: 1500 },
      { role: 'lieutenant', minTenureDays: 120, minScore: 4000 },
      { role: 'captain', minTenureDays: 240, minScore: 8000 },
    ],
    relay: { botUserIds: [relayBotUserId], channelIds: [relayChannelId] },
  };
}
