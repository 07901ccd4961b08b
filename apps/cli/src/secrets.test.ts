// Secrets never leak: real CLI processes (`run`, whose every stage also logs every secret through
// the CLANSTATS_TEST_ECHO_SECRETS hook, `export --post-summary`, `doctor`, and a run that fails on
// a wrong Discord token with `--verbose`) against the fakes, then every artefact they left
// (terminal output, app.log and its rotations, the database and its -wal/-shm, backups, every
// output file, the xlsx both as bytes and inflated) is searched for every secret.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticClan,
} from '@clanstats/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type CliResult, type TempFolder } from './test-harness.js';

const DAY = 86_400_000;
const T = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
/** Distinctive values: any of them found anywhere is a leak. */
const DISCORD_TOKEN = 'MTE5OTk5ODg4Nzc3NjY2NTU1.GcAnRy.leak-canary-discord-token-7Qz4';
const WRONG_DISCORD_TOKEN = 'MTE5OTk5ODg4Nzc3NjY2NTU2.GwRoNg.wrong-canary-discord-token-9Kp2';
const WOM_API_KEY = 'wom-leak-canary-key-3f8d';
const WEBHOOK_TOKEN = 'hook-leak-canary-token_Xy7-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghij';

/** The forms a secret could leak in: as is, URL-encoded, base64 and base64url. */
function leakForms(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ]);
  return [...forms];
}

/** The entries of a zip file, inflated (stored or deflated), by name; read from the central directory. */
function unzip(bytes: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let index = 0; index < count; index += 1) {
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart =
      localOffset +
      30 +
      bytes.readUInt16LE(localOffset + 26) +
      bytes.readUInt16LE(localOffset + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

let clan: SyntheticClan;
let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
let folder: TempFolder;
let groupSecret: string;
let webhookUrl: string;
const results: Array<{ command: string; result: CliResult }> = [];
const RULES = JSON.stringify({ wom: { updateWaitSeconds: 0 } }, null, 2);

beforeAll(async () => {
  clan = createSyntheticClan({
    seed: 9,
    members: 12,
    formerMembers: 2,
    days: 14,
    now: new Date(T).toISOString(),
  });
  groupSecret = clan.group.verificationCode;
  const discord = createSyntheticDiscord(clan);
  let offset = T - Date.now();
  const clock = (): Date => new Date(Date.now() + offset);
  wom = await startFakeWomServer({ clan, apiKeys: [WOM_API_KEY], now: clock, rateLimit: false });
  discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    now: clock,
    webhooks: [{ token: WEBHOOK_TOKEN }],
  });
  webhookUrl = discordServer.webhooks[0]?.url ?? '';
  folder = createTempFolder('clanstats-secrets-');
  writeFileSync(folder.file('clanstats.config.json'), RULES);
  // Two secrets from .env, two from the environment.
  writeFileSync(
    folder.file('.env'),
    `DISCORD_TOKEN=${DISCORD_TOKEN}\nDISCORD_WEBHOOK_URL=${webhookUrl}\n`,
  );
  const env = {
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: String(clan.group.id),
    WOM_API_KEY,
    WOM_GROUP_SECRET: groupSecret,
    DISCORD_API_URL: discordServer.url,
    DISCORD_GUILD_ID: discord.guild.id,
    CLANSTATS_TIMEZONE: 'Europe/London',
    CLANSTATS_OUT_DIR: 'out',
  };
  const asOf = new Date(T).toISOString();
  const later = new Date(T + 3_600_000).toISOString();
  const commands: Array<[string, string[], Record<string, string>]> = [
    [
      'run',
      ['run', '--as-of', asOf],
      { ...env, CLANSTATS_ENABLE_TEST_HOOKS: '1', CLANSTATS_TEST_ECHO_SECRETS: '1' },
    ],
    ['export --post-summary', ['export', '--post-summary', '--as-of', asOf], env],
    ['doctor', ['doctor'], env],
    [
      'run with a wrong token --verbose',
      ['run', '--verbose', '--as-of', later],
      { ...env, DISCORD_TOKEN: WRONG_DISCORD_TOKEN },
    ],
  ];
  for (const [command, args, extra] of commands) {
    results.push({ command, result: await runCli(args, { cwd: folder.path, env: extra }) });
    offset += 60_000;
  }
}, 60_000);

afterAll(async () => {
  folder.remove();
  await Promise.all([wom.close(), discordServer.close()]);
});

describe('secrets', () => {
  it('the commands really used every secret', () => {
    const [run, exported, doctor, failed] = results.map(({ result }) => result);
    expect(run?.code, run?.output).toBe(0);
    expect(exported?.code, exported?.output).toBe(0);
    expect(doctor?.code, doctor?.output).toBe(0);
    // The Discord source fails on the wrong token; the rest of the run goes on (exit 8).
    expect(failed?.code, failed?.output).toBe(8);
    const updateAll = wom.requests.find(
      (request) => request.route === 'POST /groups/:id/update-all',
    );
    expect(updateAll?.status).toBe(200);
    expect(discordServer.webhookPosts.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(folder.file('clanstats.config.json'), 'utf8')).toBe(RULES);
    // Every stage of the run logged every secret (redacted), the webhook URL and its token too.
    const log = readFileSync(folder.file('app.log'), 'utf8');
    for (const stage of ['backup', 'migrate', 'harvest', 'report', 'export']) {
      for (const line of [
        'DISCORD_TOKEN is [redacted]',
        'WOM_API_KEY is [redacted]',
        'WOM_GROUP_SECRET is [redacted]',
        'DISCORD_WEBHOOK_URL is [redacted]',
        'webhook token [redacted]',
        'request POST [redacted]?wait=true',
      ]) {
        expect(log).toContain(`[${stage}] test hook: ${line}`);
      }
    }
  });

  it('appear in no output, log, database, backup or output file', async () => {
    const secrets: Record<string, string> = {
      DISCORD_TOKEN,
      WRONG_DISCORD_TOKEN,
      WOM_API_KEY,
      WOM_GROUP_SECRET: groupSecret,
      DISCORD_WEBHOOK_URL: webhookUrl,
      'webhook token': WEBHOOK_TOKEN,
    };
    const artefacts = new Map<string, Buffer>();
    for (const { command, result } of results) {
      artefacts.set(`${command}: stdout`, Buffer.from(result.stdout));
      artefacts.set(`${command}: stderr`, Buffer.from(result.stderr));
    }
    for (const path of filesUnder(folder.path)) {
      const name = relative(folder.path, path);
      if (name === '.env') continue;
      const bytes = readFileSync(path);
      artefacts.set(name, bytes);
      if (name.endsWith('.xlsx')) {
        for (const [entry, data] of unzip(bytes)) artefacts.set(`${name}!${entry}`, data);
      }
    }
    const names = [...artefacts.keys()];
    // Every kind of artefact is there to be searched.
    expect(names).toContain('app.log');
    expect(names).toContain('clan_data.db');
    expect(names.some((name) => name.startsWith('backups/'))).toBe(true);
    expect(names).toContain('out/clan_data.json');
    expect(names).toContain('out/clan_dashboard.html');
    expect(names).toContain('out/clan_report_summary_merged.xlsx!xl/worksheets/sheet1.xml');
    expect(names.some((name) => name.startsWith('clanstats.config.json'))).toBe(true);

    const leaks: string[] = [];
    for (const [artefact, bytes] of artefacts) {
      for (const [label, secret] of Object.entries(secrets)) {
        for (const form of leakForms(secret)) {
          if (bytes.includes(form) || bytes.includes(Buffer.from(form, 'utf16le'))) {
            leaks.push(`${label} (${form === secret ? 'as is' : form}) in ${artefact}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);

    // The workbook's cell values too, as exceljs reads them.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(folder.file('out/clan_report_summary_merged.xlsx'));
    const cells: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => {
        cells.push(JSON.stringify(row.values));
      });
    }
    const text = cells.join('\n');
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    // The log was searched whole: every file it rotated to as well.
    const logs = readdirSync(folder.path).filter((name) => name.startsWith('app.log'));
    for (const log of logs) expect(statSync(folder.file(log)).size).toBeGreaterThan(0);
  });
});

describe('.gitignore', () => {
  it('keeps settings, databases, backups, logs and outputs out of git', () => {
    const gitignore = readFileSync(new URL('../../../.gitignore', import.meta.url), 'utf8');
    const patterns = gitignore.split('\n').map((line) => line.trim());
    for (const pattern of [
      '.env',
      '.env.*',
      '*.db',
      '*.db-wal',
      '*.db-shm',
      '*.log',
      'backups/',
      'out/',
      'demo/',
    ]) {
      expect(patterns, pattern).toContain(pattern);
    }
  });
});
