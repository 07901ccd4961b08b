import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkWritableFolder } from './doctor.js';
import { checkDiscord, checkWiseOldMan } from './reachability.js';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';
import {
  createSyntheticClan,
  startFakeDiscordServer,
  type FakeDiscordServer,
} from '@clanstats/testkit';

const GOOD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.good-token-abcdefghijklmnopq';
const GOOD_KEY = 'good-wom-key-123';

interface FakeApi {
  server: Server;
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
}

/** A fake Wise Old Man API on 127.0.0.1 (Discord is testkit's fake): never the real internet. */
async function startFakeApi(): Promise<FakeApi> {
  const requests: FakeApi['requests'] = [];
  const answer = (path: string, headers: IncomingHttpHeaders): [number, unknown] | undefined => {
    if (path === '/hang') return undefined; // never answers
    if (path.startsWith('/wom/groups/')) {
      const key = headers['x-api-key'];
      if (key !== undefined && key !== GOOD_KEY) return [401, { message: 'Invalid API key.' }];
      if (path === '/wom/groups/11114')
        return [200, { id: 11114, name: 'Nevr Lucky', memberCount: 42 }];
      return [404, { message: 'Group not found.' }];
    }
    return [404, {}];
  };
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push({ path, headers: request.headers });
    const reply = answer(path, request.headers);
    if (reply === undefined) return;
    response.writeHead(reply[0], { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply[1]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

let api: FakeApi;
let discord: FakeDiscordServer;
let guildId: string;
let folder: TempFolder;
beforeAll(async () => {
  api = await startFakeApi();
  discord = await startFakeDiscordServer({
    clan: createSyntheticClan({ seed: 7, members: 12, formerMembers: 2, days: 30 }),
    tokens: [GOOD_TOKEN],
  });
  guildId = discord.discord.guild.id;
});
afterAll(async () => {
  api.server.closeAllConnections();
  await new Promise((resolve) => api.server.close(resolve));
  await discord.close();
});
beforeEach(() => {
  folder = createTempFolder();
  api.requests.length = 0;
  discord.clearFaults();
  discord.setIntents({ guildMembers: true });
});
afterEach(() => {
  folder.remove();
});

function goodSettings(): Record<string, string> {
  return {
    WOM_BASE_URL: `${api.url}/wom`,
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

    const wom = api.requests.find((request) => request.path === '/wom/groups/11114');
    expect(wom?.headers['x-api-key']).toBe(GOOD_KEY);
    expect(wom?.headers['user-agent']).toMatch(/^clanstats\//);
    // The harvester's own client made the Discord checks, authenticated, as the harvest will.
    const routes = discord.requests.map((request) => request.route);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /users/@me', 'GET /guilds/:id', 'GET /guilds/:id/members']),
    );
    expect(discord.requests.every((request) => request.authorized)).toBe(true);
  });

  it('gives actionable messages for 401 and 404, and exits non-zero', async () => {
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
    expect(result.stdout).toContain('  ✖ Wise Old Man rejected the API key (HTTP 401)');
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
        WOM_BASE_URL: `${api.url}/wom`,
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
    const timedOut = await checkWiseOldMan({
      baseUrl: `${api.url}/hang#`,
      groupId: 1,
      apiKey: undefined,
      timeoutMs: 200,
    });
    expect(timedOut.status).toBe('fail');
    expect(timedOut.title).toBe(`Wise Old Man: no answer from ${api.url} within 0.2 s`);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
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
