import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkWritableFolder } from './doctor.js';
import { checkDiscord, checkWiseOldMan } from './reachability.js';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

const GOOD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.good-token-abcdefghijklmnopq';
const GOOD_KEY = 'good-wom-key-123';
const GUILD_ID = '123456789012345678';

interface FakeApi {
  server: Server;
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
}

/** Fake Wise Old Man and Discord APIs on 127.0.0.1: never the real internet. */
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
    if (path.startsWith('/discord/v10/')) {
      if (headers.authorization !== `Bot ${GOOD_TOKEN}`)
        return [401, { message: '401: Unauthorized', code: 0 }];
      if (path === '/discord/v10/users/@me')
        return [200, { id: '1', username: 'ClanStatsBot', bot: true }];
      if (path === `/discord/v10/guilds/${GUILD_ID}`)
        return [200, { id: GUILD_ID, name: 'Nevr Lucky' }];
      if (path === '/discord/v10/guilds/999999999999999999') {
        return [403, { message: 'Missing Access', code: 50001 }];
      }
      return [404, { message: 'Unknown Guild', code: 10004 }];
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
let folder: TempFolder;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(async () => {
  api.server.closeAllConnections();
  await new Promise((resolve) => api.server.close(resolve));
});
beforeEach(() => {
  folder = createTempFolder();
  api.requests.length = 0;
});
afterEach(() => {
  folder.remove();
});

function goodSettings(): Record<string, string> {
  return {
    WOM_BASE_URL: `${api.url}/wom`,
    WOM_GROUP_ID: '11114',
    WOM_API_KEY: GOOD_KEY,
    DISCORD_API_URL: `${api.url}/discord`,
    DISCORD_TOKEN: GOOD_TOKEN,
    DISCORD_GUILD_ID: GUILD_ID,
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
      '  ✔ Discord: logged in as bot "ClanStatsBot"',
      `  ✔ Discord: the bot can see server ${GUILD_ID} "Nevr Lucky"`,
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
    const discord = api.requests.find((request) => request.path === '/discord/v10/users/@me');
    expect(discord?.headers.authorization).toBe(`Bot ${GOOD_TOKEN}`);
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
        DISCORD_API_URL: `${api.url}/discord`,
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
      '  ✖ Discord rejected DISCORD_TOKEN (HTTP 401 Unauthorized)',
      '      → open https://discord.com/developers/applications → your bot → Bot → Reset Token',
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
      apiUrl: `http://127.0.0.1:${port}`,
      token: GOOD_TOKEN,
      guildId: GUILD_ID,
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

  it('explains a guild the bot cannot access', async () => {
    const results = await checkDiscord({
      apiUrl: `${api.url}/discord`,
      token: GOOD_TOKEN,
      guildId: '999999999999999999',
      timeoutMs: 2000,
    });
    expect(results[1]).toMatchObject({
      status: 'fail',
      title: 'Discord: the bot has no access to server 999999999999999999 (HTTP 403)',
    });
    expect(results[1]?.fix).toContain('invite the bot to the server');
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
