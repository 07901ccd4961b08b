import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkPrivateFile, checkWritableFolder } from './doctor.js';
import { checkDiscord, checkWiseOldMan } from './reachability.js';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';
import {
  createSyntheticClan,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
} from '@clanstats/testkit';

const GOOD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.good-token-abcdefghijklmnopq';
const GOOD_KEY = 'good-wom-key-123';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

// Testkit's fakes on 127.0.0.1: never the real internet.
let wom: FakeWomServer;
let discord: FakeDiscordServer;
let guildId: string;
let folder: TempFolder;
beforeAll(async () => {
  wom = await startFakeWomServer({
    clan: createSyntheticClan({
      seed: 3,
      members: 42,
      days: 7,
      groupId: 11114,
      groupName: 'Nevr Lucky',
    }),
    apiKeys: [GOOD_KEY],
    rateLimit: false,
  });
  discord = await startFakeDiscordServer({
    clan: createSyntheticClan({ seed: 7, members: 12, formerMembers: 2, days: 30 }),
    tokens: [GOOD_TOKEN],
  });
  guildId = discord.discord.guild.id;
});
afterAll(async () => {
  await wom.close();
  await discord.close();
});
beforeEach(() => {
  folder = createTempFolder();
  wom.stats.reset();
  wom.faults.clear();
  discord.clearFaults();
  discord.setIntents({ guildMembers: true });
});
afterEach(() => {
  folder.remove();
});

function goodSettings(): Record<string, string> {
  return {
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: '11114',
    WOM_API_KEY: GOOD_KEY,
    DISCORD_API_URL: discord.url,
    DISCORD_TOKEN: GOOD_TOKEN,
    DISCORD_GUILD_ID: guildId,
    LOCAL_DRIVE_PATH: folder.file('drive'),
  };
}

describe('clanstats doctor', () => {
  it('reports ok for good settings, tokens and database', async () => {
    mkdirSync(folder.file('drive'));
    writeFileSync(folder.file('clanstats.config.json'), '{ "publicMode": true }');
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const result = await runCli(['doctor'], { cwd: folder.path, env: goodSettings() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('✖');
    for (const line of [
      '  ✔ WOM_GROUP_ID = 11114',
      '  ✔ DISCORD_TOKEN = [redacted]',
      '  ✔ CLANSTATS_TIMEZONE = UTC (default)',
      '  ✔ clanstats.config.json is valid',
      `  ✔ Output folder ${folder.file('out')} does not exist yet; it will be created in ${folder.path}`,
      `  ✔ Drive folder ${folder.file('drive')} is writable`,
      `  ✔ Database ${folder.file('clan_data.db')} opens and passes the integrity check`,
      '  ✔ Database migrations are up to date',
      '  ✔ Wise Old Man: group 11114 "Nevr Lucky" (42 members) found',
      `  ✔ Discord: logged in as bot "${discord.discord.botUser.username}"`,
      `  ✔ Discord: the bot can see server ${guildId} "${discord.discord.guild.name}"`,
      '  ✔ Discord: the bot may read message history',
      '  ✔ Discord: the Server Members intent is on (nicknames for everyone)',
      '✔ Everything looks good.',
    ]) {
      expect(result.stdout).toContain(line);
    }
    expect(result.output).not.toContain(GOOD_TOKEN);
    expect(result.output).not.toContain(GOOD_KEY);
    expect(readFileSync(folder.file('app.log'), 'utf8')).not.toContain(GOOD_TOKEN);

    // The harvest's own Wise Old Man client made the check, with the key and our User-Agent.
    const details = wom.requests.find((request) => request.route === 'GET /groups/:id');
    expect(details?.path).toBe('/v2/groups/11114');
    expect(details?.headers['x-api-key']).toBe(GOOD_KEY);
    expect(details?.headers['user-agent']).toMatch(/^clanstats\//);
    // The harvester's own client made the Discord checks, authenticated, as the harvest will.
    const routes = discord.requests.map((request) => request.route);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /users/@me', 'GET /guilds/:id', 'GET /guilds/:id/members']),
    );
    expect(discord.requests.every((request) => request.authorized)).toBe(true);
  });

  it('gives actionable messages for a rejected key and an unknown server, and exits non-zero', async () => {
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const result = await runCli(['doctor'], {
      cwd: folder.path,
      env: {
        ...goodSettings(),
        WOM_API_KEY: 'wrong-key-0000',
        DISCORD_GUILD_ID: '222222222222222222',
      },
    });
    expect(result.code).toBe(7);
    expect(result.stdout).toContain('  ✖ Wise Old Man rejected the API key (HTTP 403)');
    expect(result.stdout).toContain(
      '      → check WOM_API_KEY, or unset it to use WOM without a key',
    );
    expect(result.stdout).toContain(
      '  ✖ Discord: server 222222222222222222 was not found (HTTP 404)',
    );
    expect(result.stdout).toContain('      → check DISCORD_GUILD_ID');
    expect(result.stderr).toContain('DOCTOR_FAILED: doctor found 2 problems');
    expect(result.output).not.toContain('wrong-key-0000');
  });

  it('says what to fix for a bad token, an unknown group, missing settings and no database', async () => {
    const result = await runCli(['doctor'], {
      cwd: folder.path,
      env: {
        WOM_BASE_URL: wom.url,
        WOM_GROUP_ID: '404',
        DISCORD_API_URL: discord.url,
        DISCORD_TOKEN: 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.bad-token-abcdefghijklmnopqrs',
        CLANSTATS_TIMEZONE: 'Moon/Base',
      },
    });
    expect(result.code).toBe(7);
    const lines = [
      '  ⚠ WOM_API_KEY is not set: without it Wise Old Man allows only 20 requests a minute',
      '  ✖ DISCORD_GUILD_ID is not set',
      '      → turn on Developer Mode in Discord, right-click your server, Copy Server ID',
      "  ✖ CLANSTATS_TIMEZONE must be an IANA time zone such as UTC, Europe/London or America/New_York, got 'Moon/Base'",
      '  ✔ clanstats.config.json not found; the default rules apply',
      `  ✖ Database ${folder.file('clan_data.db')} does not exist yet`,
      '      → run "clanstats migrate up"',
      '  ✖ Wise Old Man: group 404 does not exist (HTTP 404)',
      "      → check WOM_GROUP_ID: it is the number in your group's URL",
      '  – Discord not checked: fix DISCORD_TOKEN, DISCORD_GUILD_ID and DISCORD_API_URL first',
    ];
    for (const line of lines) expect(result.stdout).toContain(line);
    expect(result.output).not.toContain('bad-token');
  });
});

describe('reachability checks', () => {
  it('maps a timeout and a refused connection to actionable messages', async () => {
    wom.injectFault({ kind: 'delay', ms: 10_000, path: '/groups/1' });
    const timedOut = await checkWiseOldMan({
      baseUrl: wom.url,
      groupId: 1,
      apiKey: undefined,
      timeoutMs: 200,
    });
    expect(timedOut).toEqual({
      status: 'fail',
      title: `Wise Old Man: no answer from ${wom.origin} within 0.2 s`,
      fix: expect.stringContaining('WOM_BASE_URL') as string,
    });

    const port = await closedPort();
    const womRefused = await checkWiseOldMan({
      baseUrl: `http://127.0.0.1:${port}/v2`,
      groupId: 11114,
      apiKey: GOOD_KEY,
      timeoutMs: 2000,
    });
    expect(womRefused).toEqual({
      status: 'fail',
      title: `Wise Old Man: could not connect to http://127.0.0.1:${port} (ECONNREFUSED)`,
      fix: 'check your internet connection and WOM_BASE_URL (unset it for the default); if WOM is down, try again later',
    });
    expect(JSON.stringify(womRefused)).not.toContain(GOOD_KEY);

    const refused = await checkDiscord({
      apiUrl: `http://127.0.0.1:${port}/api`,
      token: GOOD_TOKEN,
      guildId: '123456789012345678',
      timeoutMs: 2000,
    });
    expect(refused).toEqual([
      {
        status: 'fail',
        title: `Discord: could not connect to http://127.0.0.1:${port} (ECONNREFUSED)`,
        fix: 'check your internet connection and DISCORD_API_URL (unset it for the default)',
      },
    ]);
  });

  it('maps Wise Old Man answers to the setting to fix', async () => {
    const check = (groupId: number, apiKey: string | undefined = GOOD_KEY) =>
      checkWiseOldMan({ baseUrl: wom.url, groupId, apiKey, timeoutMs: 5000 });
    expect(await check(11114, undefined)).toEqual({
      status: 'ok',
      title: 'Wise Old Man: group 11114 "Nevr Lucky" (42 members) found',
    });
    expect(await check(404)).toMatchObject({
      status: 'fail',
      title: 'Wise Old Man: group 404 does not exist (HTTP 404)',
      fix: expect.stringContaining('WOM_GROUP_ID') as string,
    });
    const rejected = await check(11114, 'wrong-key-0000');
    expect(rejected).toMatchObject({
      title: 'Wise Old Man rejected the API key (HTTP 403)',
      fix: expect.stringContaining('WOM_API_KEY') as string,
    });
    expect(JSON.stringify(rejected)).not.toContain('wrong-key-0000');
    wom.injectFault({ kind: 'status', status: 503, path: '/groups/11114' });
    expect(await check(11114)).toMatchObject({
      title: 'Wise Old Man is having problems (HTTP 503)',
      fix: 'try again later',
    });
    wom.injectFault({ kind: 'rate-limit-storm', times: 1 });
    expect(await check(11114)).toMatchObject({ title: 'Wise Old Man: rate limited (HTTP 429)' });
    wom.injectFault({ kind: 'html', status: 200, path: '/groups/11114' });
    expect(await check(11114)).toMatchObject({
      title: expect.stringContaining('Wise Old Man answered') as string,
      fix: 'check WOM_BASE_URL (unset it for the default) and WOM_GROUP_ID',
    });
  });

  it('explains a bad token and a server the bot is not in, without the token', async () => {
    const badToken = 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.bad-token-abcdefghijklmnopqrs';
    const rejected = await checkDiscord({
      apiUrl: discord.url,
      token: badToken,
      guildId,
      timeoutMs: 5000,
    });
    expect(rejected).toEqual([
      {
        status: 'fail',
        title: 'Discord rejected DISCORD_TOKEN (HTTP 401 Unauthorized)',
        fix: expect.stringContaining('Reset Token') as string,
      },
    ]);
    expect(JSON.stringify(rejected)).not.toContain(badToken);

    discord.injectFault({
      kind: 'status',
      status: 403,
      path: `/guilds/${guildId}`,
      body: JSON.stringify({ message: 'Missing Access', code: 50001 }),
      headers: { 'content-type': 'application/json' },
    });
    const results = await checkDiscord({
      apiUrl: discord.url,
      token: GOOD_TOKEN,
      guildId,
      timeoutMs: 5000,
    });
    expect(results).toEqual([
      {
        status: 'fail',
        title: `Discord: the bot has no access to server ${guildId} (HTTP 403)`,
        fix: expect.stringContaining('invite the bot to the server') as string,
      },
    ]);
  });

  it('warns when the Server Members intent is off', async () => {
    discord.setIntents({ guildMembers: false });
    const results = await checkDiscord({
      apiUrl: discord.url,
      token: GOOD_TOKEN,
      guildId,
      timeoutMs: 5000,
    });
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'warn']);
    expect(results[3]).toMatchObject({
      title: 'Discord: the Server Members intent is off; nicknames only for people who posted',
      fix: expect.stringContaining('Server Members Intent') as string,
    });
  });

  it('checks folders by writing to them', () => {
    const folderPath = folder.file('out');
    mkdirSync(folderPath);
    expect(checkWritableFolder('Output folder', 'CLANSTATS_OUT_DIR', folderPath).status).toBe('ok');
    writeFileSync(folder.file('file'), '');
    const blocked = checkWritableFolder(
      'Output folder',
      'CLANSTATS_OUT_DIR',
      folder.file('file/out'),
    );
    expect(blocked).toMatchObject({
      status: 'fail',
      fix: 'set CLANSTATS_OUT_DIR to a folder path',
    });
    expect(blocked.title).toContain('is a file, not a folder');
  });
});

describe.skipIf(process.platform === 'win32')('private files', () => {
  it('warns when .env, the database or the backups folder are open to group or others', () => {
    const env = folder.file('.env');
    writeFileSync(env, 'DISCORD_TOKEN=x\n');
    chmodSync(env, 0o644);
    expect(checkPrivateFile('Settings file', env)).toEqual({
      status: 'warn',
      title: `Settings file ${env} is open to group and others on this machine (mode 644)`,
      fix: `chmod 600 ${env}`,
    });
    chmodSync(env, 0o640);
    expect(checkPrivateFile('Settings file', env)?.title).toContain('open to group on');
    chmodSync(env, 0o600);
    expect(checkPrivateFile('Settings file', env)).toEqual({
      status: 'ok',
      title: `Settings file ${env} is readable by you only (mode 600)`,
    });
    const backups = folder.file('backups');
    mkdirSync(backups, { mode: 0o755 });
    chmodSync(backups, 0o755);
    expect(checkPrivateFile('Backups folder', backups)).toMatchObject({
      status: 'warn',
      fix: `chmod 700 ${backups} && chmod 600 ${backups}/*`,
    });
    expect(checkPrivateFile('Database', folder.file('missing.db'))).toBeUndefined();
    expect(checkPrivateFile('Settings file', env, 'win32')).toBeUndefined();
  });

  it('doctor shows the warning with the chmod to run, and still passes', async () => {
    expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
    const env = folder.file('.env');
    const database = folder.file('clan_data.db');
    writeFileSync(env, `DISCORD_TOKEN=${GOOD_TOKEN}\n`);
    chmodSync(env, 0o644);
    chmodSync(database, 0o604);
    const settings: Record<string, string> = goodSettings();
    delete settings.DISCORD_TOKEN;
    const result = await runCli(['doctor'], { cwd: folder.path, env: settings });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain(
      [
        'Private files',
        `  ⚠ Settings file ${env} is open to group and others on this machine (mode 644)`,
        `      → chmod 600 ${env}`,
        `  ⚠ Database ${database} is open to others on this machine (mode 604)`,
        `      → chmod 600 ${database}`,
      ].join('\n'),
    );
    chmodSync(env, 0o600);
    chmodSync(database, 0o600);
    const fixed = await runCli(['doctor'], { cwd: folder.path, env: settings });
    expect(fixed.stdout).toContain(`  ✔ Settings file ${env} is readable by you only (mode 600)`);
    expect(fixed.stdout).toContain(`  ✔ Database ${database} is readable by you only (mode 600)`);
    expect(fixed.stdout).not.toContain('⚠ Database');
  });
});
