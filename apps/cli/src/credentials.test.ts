// Bad credentials through the real CLI, against the testkit fakes: a Discord token Discord refuses
// (401), a bot that is not in the server (404 Unknown Guild, 403 Missing Access), a Wise Old Man
// key WOM refuses (403) and a group WOM does not have (404). Each `clanstats run` ends with exit 8
// and one clear message naming the setting to fix, without a stack trace (shown with --verbose)
// and without the secret; the other source is still harvested and saved.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
} from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, query } from './crash-harness.js';
import { ExitCodes } from './errors.js';
import { createTempFolder, runCli } from './test-harness.js';

const clan = createSyntheticClan({ seed: 5, members: 4, formerMembers: 0, days: 5 });
const discord = createSyntheticDiscord(clan);
const TOKEN = 'MTE5OTk5ODg4Nzc3NjY2NTU1.GcAnRy.credentials-good-token';
const WRONG_TOKEN = 'MTE5OTk5ODg4Nzc3NjY2NTU2.GwRoNg.credentials-wrong-token';
const WOM_KEY = 'wom-credentials-good-key';
const WRONG_WOM_KEY = 'wom-credentials-wrong-key';
const OTHER_GUILD = '123456789012345678';
const SECRETS = [TOKEN, WRONG_TOKEN, WOM_KEY, WRONG_WOM_KEY];

let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
/** A Discord whose server answers 403 Missing Access, as for a bot that was removed from it. */
let forbiddenServer: FakeDiscordServer;

beforeAll(async () => {
  [wom, discordServer, forbiddenServer] = await Promise.all([
    startFakeWomServer({ clan, rateLimit: false, apiKeys: [WOM_KEY] }),
    startFakeDiscordServer({ clan, discord, tokens: [TOKEN], rateLimit: false }),
    startFakeDiscordServer({ clan, discord, tokens: [TOKEN], rateLimit: false }),
  ]);
  forbiddenServer.injectFault({
    kind: 'status',
    status: 403,
    path: `/guilds/${discord.guild.id}`,
    body: JSON.stringify({ message: 'Missing Access', code: 50001 }),
    times: Number.POSITIVE_INFINITY,
  });
});

afterAll(async () => {
  await Promise.all([wom.close(), discordServer.close(), forbiddenServer.close()]);
});

/** One wrong credential, and what `run` must do about it. */
interface CredentialCase {
  label: string;
  args: string[];
  /** Changes to the good settings (a function: the fakes' URLs are known once they listen). */
  env: () => Record<string, string>;
  /** Every error line says this. */
  message: string;
  /** The source that still ran and saved its data, if any. */
  saved: 'wom' | 'discord' | undefined;
  /** Whether the report and the dashboard were still written. */
  reported: boolean;
  verbose?: boolean;
}

const CASES: CredentialCase[] = [
  {
    label: 'a Discord token Discord refuses (401)',
    args: ['run'],
    env: () => ({ DISCORD_TOKEN: WRONG_TOKEN }),
    message:
      'Discord refused the bot token (401): copy it again from the Developer Portal (Bot → Reset Token) into DISCORD_TOKEN.',
    saved: 'wom',
    reported: true,
  },
  {
    label: 'a bot that is not in the server (404 Unknown Guild), with --verbose',
    args: ['run', '--verbose'],
    env: () => ({ DISCORD_GUILD_ID: OTHER_GUILD }),
    message: `The bot is not in server ${OTHER_GUILD}: invite it with the link from the Developer Portal (OAuth2 → URL Generator, scope "bot"), or check DISCORD_GUILD_ID.`,
    saved: 'wom',
    reported: true,
    verbose: true,
  },
  {
    label: 'a bot removed from the server (403 Missing Access)',
    args: ['run', '--skip-wom'],
    env: () => ({ DISCORD_API_URL: forbiddenServer.url }),
    message: `The bot has no access to server ${discord.guild.id} (403 Missing Access): it is not in the server, or was removed; invite it`,
    saved: undefined,
    reported: false,
  },
  {
    label: 'a WOM key Wise Old Man refuses (403)',
    args: ['run'],
    env: () => ({ WOM_API_KEY: WRONG_WOM_KEY }),
    message:
      'Wise Old Man refused WOM_API_KEY (HTTP 403, invalid API key): set it to the key the WOM team gave you, or unset it',
    // Discord's messages are saved, but a first harvest without a roster has nothing to report.
    saved: 'discord',
    reported: false,
  },
  {
    label: 'a group Wise Old Man does not have (404)',
    args: ['run', '--skip-discord'],
    env: () => ({ WOM_GROUP_ID: '999999' }),
    message:
      "Wise Old Man has no group 999999 (404): check WOM_GROUP_ID, the number in your group's address https://wiseoldman.net/groups/<number>.",
    saved: undefined,
    reported: false,
  },
];

describe.concurrent('clanstats run with a wrong credential', () => {
  it.each(CASES)(
    '$label',
    async (credentialCase) => {
      const folder = createTempFolder('clanstats-credentials-');
      try {
        // With a byte-order mark, as Windows Notepad saves it: the rules file still reads.
        writeFileSync(
          folder.file('clanstats.config.json'),
          `\uFEFF${JSON.stringify({ wom: { updateWaitSeconds: 0 } })}`,
        );
        const env = {
          WOM_BASE_URL: wom.url,
          WOM_GROUP_ID: String(clan.group.id),
          WOM_API_KEY: WOM_KEY,
          DISCORD_API_URL: discordServer.url,
          DISCORD_TOKEN: TOKEN,
          DISCORD_GUILD_ID: discord.guild.id,
          ...credentialCase.env(),
        };
        const result = await runCli([...credentialCase.args, '--as-of', clan.now], {
          cwd: folder.path,
          env,
        });

        expect(result.code, result.output).toBe(ExitCodes.SOURCE_FAILED);
        // One message: the harvest says it when it happens, the run repeats it as its last line.
        const errors = result.stderr.split('\n').filter((line) => line.startsWith('✖'));
        expect(errors.length, result.stderr).toBeGreaterThanOrEqual(1);
        expect(errors.length, result.stderr).toBeLessThanOrEqual(2);
        for (const line of errors) expect(line).toContain(credentialCase.message);
        expect(errors.at(-1)).toMatch(/^✖ \[run\] SOURCE_FAILED: harvest: /);
        if (credentialCase.verbose === true) {
          expect(result.stderr).toMatch(/^\s+at /m);
          expect(result.stderr).toContain('caused by: DiscordHarvesterError: Unknown guild');
        } else {
          expect(result.output).not.toMatch(/^\s+at /m);
        }
        const log = readFileSync(folder.file('app.log'), 'utf8');
        for (const secret of SECRETS) {
          expect(result.output).not.toContain(secret);
          expect(log).not.toContain(secret);
        }

        // The other source was harvested and saved; the run record says so.
        const [run] = query<{ status: string }>(
          folder,
          'SELECT status FROM harvest_runs ORDER BY id DESC LIMIT 1',
        );
        expect(run?.status).toBe(credentialCase.saved === undefined ? 'failed' : 'partial');
        const members = count(folder, 'SELECT count(*) AS n FROM wom_memberships');
        const messages = count(folder, 'SELECT count(*) AS n FROM discord_messages');
        expect(members > 0).toBe(credentialCase.saved === 'wom');
        expect(messages > 0).toBe(credentialCase.saved === 'discord');
        expect(existsSync(folder.file('out/clan_report_summary_merged.xlsx'))).toBe(
          credentialCase.reported,
        );
        expect(existsSync(folder.file('out/clan_dashboard.html'))).toBe(credentialCase.reported);
      } finally {
        folder.remove();
      }
      // Five whole runs at once: about 10 s on two idle cores, more on a busy machine.
    },
    90_000,
  );
});
