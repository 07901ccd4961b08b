import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { clanDataSchema, type ClanDataV1 } from '@clanstats/clan-model';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

const DISCORD_TOKEN = 'Sekrit.stage-export_Token-5e7f';
const clan = createSyntheticClan({ seed: 23, members: 14, formerMembers: 2, days: 45 });
const AS_OF = clan.now;
const DAY = 86_400_000;

let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
let discord: SyntheticDiscord;
let folder: TempFolder;
let data: ClanDataV1;

function settings(): Record<string, string> {
  return {
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: String(clan.group.id),
    DISCORD_API_URL: discordServer.url,
    DISCORD_TOKEN: DISCORD_TOKEN,
    DISCORD_GUILD_ID: discord.guild.id,
    CLANSTATS_TIMEZONE: 'Europe/Amsterdam',
    CLANSTATS_OUT_DIR: folder.file('out'),
  };
}

beforeAll(async () => {
  wom = await startFakeWomServer({ clan, rateLimit: false });
  discord = createSyntheticDiscord(clan);
  discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    rateLimit: false,
  });
  folder = createTempFolder('clanstats-stage-export-');
  writeFileSync(
    folder.file('clanstats.config.json'),
    JSON.stringify({
      relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
    }),
  );
  expect((await runCli(['migrate'], { cwd: folder.path })).code).toBe(0);
  const harvest = await runCli(['harvest', '--as-of', AS_OF], {
    cwd: folder.path,
    env: settings(),
  });
  expect(harvest.code, harvest.output).toBe(0);
  const exported = await runCli(['export', '--as-of', AS_OF], {
    cwd: folder.path,
    env: settings(),
  });
  expect(exported.code, exported.output).toBe(0);
  expect(exported.output).toContain('clan_data.json');
  data = JSON.parse(readFileSync(folder.file('out/clan_data.json'), 'utf8')) as ClanDataV1;
  const reported = await runCli(['report', '--as-of', AS_OF], {
    cwd: folder.path,
    env: settings(),
  });
  expect(reported.code, reported.output).toBe(0);
  expect(reported.output).toContain('clan_report_summary_merged.xlsx');
});
afterAll(async () => {
  await wom.close();
  await discordServer.close();
  folder.remove();
});

describe('clanstats report', () => {
  it('writes the Excel report from the same model as clan_data.json', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(folder.file('out/clan_report_summary_merged.xlsx'));
    const summary = workbook.worksheets[0];
    expect(summary?.name).toBe('Summary');
    const headers = (summary?.getRow(1).values as unknown[]).slice(1).map(String);
    for (const header of ['Name', 'Role', 'Status', 'Score', 'XP 7d', 'XP 30d', 'Messages 30d']) {
      expect(headers).toContain(header);
    }
    const nameColumn = headers.indexOf('Name') + 1;
    const xpColumn = headers.indexOf('XP 30d') + 1;
    const rows = new Map<string, unknown>();
    summary?.eachRow((row, index) => {
      if (index > 1) rows.set(row.getCell(nameColumn).text, row.getCell(xpColumn).value);
    });
    for (const member of data.members) {
      expect(rows.has(member.displayName), member.displayName).toBe(true);
      const xp = member.windows['30d'].xp;
      if (xp !== null) expect(rows.get(member.displayName)).toBe(xp);
    }
  });
});

describe('clanstats export', () => {
  it('writes clan_data.json that validates against the published schema', () => {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
    const validate = ajv.compile(clanDataSchema);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data).toMatchObject({
      schemaVersion: 1,
      asOf: AS_OF,
      timezone: 'Europe/Amsterdam',
      group: { id: clan.group.id, name: clan.group.name },
    });
  });

  it('lists every current member, including those never seen on Discord, and former members', () => {
    const current = clan.members.filter((member) => member.membership.leftAt === null);
    expect(data.members.map((member) => member.playerId).sort((a, b) => a - b)).toEqual(
      current.map((member) => member.player.id).sort((a, b) => a - b),
    );
    const former = clan.members.filter((member) => member.membership.leftAt !== null);
    for (const member of former) {
      expect(data.formerMembers.map((entry) => entry.playerId)).toContain(member.player.id);
    }
  });

  it("shows Wise Old Man's own window gains on a first run (no lifetime totals)", async () => {
    // The fake's /gained for the exact 30-day window is the independent ground truth.
    const start = new Date(Date.parse(AS_OF) - 30 * DAY).toISOString();
    const response = await fetch(
      `${wom.url}/groups/${clan.group.id}/gained?metric=overall&startDate=${start}&endDate=${AS_OF}`,
    );
    const gained = (await response.json()) as Array<{
      player: { id: number };
      data: { gained: number };
    }>;
    expect(gained.length).toBeGreaterThan(0);
    for (const entry of gained) {
      const member = data.members.find((candidate) => candidate.playerId === entry.player.id);
      if (member === undefined) continue;
      expect(member.windows['30d'].xp).toBe(entry.data.gained);
    }
  });

  it('counts Discord messages of linked members exactly, per the fake guild', () => {
    const windowStart = Date.parse(AS_OF) - 30 * DAY;
    const readable = discord.channels
      .filter((channel) => channel.access === 'ok')
      .flatMap((channel) => discord.messagesOf(channel.id));
    const linked = data.members.filter((member) => member.discordUserIds.length > 0);
    expect(linked.length).toBeGreaterThan(0);
    for (const member of linked) {
      const ids = new Set(member.discordUserIds);
      const expected = readable.filter(
        (message) =>
          ids.has(message.authorId) &&
          !message.isBot &&
          message.webhookId === null &&
          (message.type === 0 || message.type === 19) &&
          Date.parse(message.timestamp) >= windowStart &&
          Date.parse(message.timestamp) <= Date.parse(AS_OF),
      ).length;
      expect(member.windows['30d'].messages, member.displayName).toBe(expected);
    }
  });

  it('has a 7 × 24 heatmap in the clan time zone', () => {
    expect(data.heatmap.timezone).toBe('Europe/Amsterdam');
    expect(data.heatmap.counts).toHaveLength(7);
    for (const row of data.heatmap.counts) expect(row).toHaveLength(24);
    const total = data.heatmap.counts.flat().reduce((sum, value) => sum + value, 0);
    expect(total).toBeGreaterThan(0);
  });
});

/** The page's embedded data (the JSON `<script>` of clan_dashboard.html). */
function embeddedModel(path: string): {
  public: boolean;
  metrics: string[];
  icons: Record<string, string>;
  members: Array<{ id: number; discord?: string[] }>;
} {
  const html = readFileSync(path, 'utf8');
  const json = /<script type="application\/json" id="clanstats-data">(.*?)<\/script>/s.exec(
    html,
  )?.[1];
  return JSON.parse(json ?? 'null') as ReturnType<typeof embeddedModel>;
}

describe('clanstats export: the dashboard', () => {
  it('writes clan_dashboard.html beside clan_data.json, with every current member and no link out', () => {
    const path = folder.file('out/clan_dashboard.html');
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain(DISCORD_TOKEN);
    const model = embeddedModel(path);
    expect(model.public).toBe(false);
    expect(model.members.map((member) => member.id).sort()).toEqual(
      data.members.map((member) => member.playerId).sort(),
    );
    // Every metric on the page has an image: the built-in icon set is complete.
    for (const metric of model.metrics)
      expect(model.icons[metric], metric).toMatch(/^data:image\//);
  });

  it("copies both files to LOCAL_DRIVE_PATH, creating it, and leaves the folder's other files alone", async () => {
    // Its parent exists: only the last folder is created (a drive that is not mounted is an error).
    mkdirSync(folder.file('drive'));
    const drive = folder.file('drive/clan stats');
    const exported = await runCli(['export', '--as-of', AS_OF], {
      cwd: folder.path,
      env: { ...settings(), LOCAL_DRIVE_PATH: drive },
    });
    expect(exported.code, exported.output).toBe(0);
    expect(exported.output).toContain(`Copied 2 file(s) to ${drive}`);
    writeFileSync(`${drive}/notes.txt`, 'keep me');
    const again = await runCli(['export', '--as-of', AS_OF], {
      cwd: folder.path,
      env: { ...settings(), LOCAL_DRIVE_PATH: drive },
    });
    expect(again.code, again.output).toBe(0);
    expect(readdirSync(drive).sort()).toEqual([
      'clan_dashboard.html',
      'clan_data.json',
      'notes.txt',
    ]);
    expect(readFileSync(`${drive}/clan_data.json`, 'utf8')).toBe(
      readFileSync(folder.file('out/clan_data.json'), 'utf8'),
    );
    expect(readFileSync(`${drive}/notes.txt`, 'utf8')).toBe('keep me');
  });

  it('--public: a page without per-member Discord figures; only the page is copied, with a warning about an old clan_data.json', async () => {
    const drive = folder.file('drive/clan stats');
    const before = readFileSync(`${drive}/clan_data.json`, 'utf8');
    const exported = await runCli(['export', '--as-of', AS_OF, '--public'], {
      cwd: folder.path,
      env: { ...settings(), LOCAL_DRIVE_PATH: drive },
    });
    expect(exported.code, exported.output).toBe(0);
    expect(exported.output).toContain('Copied 1 file(s)');
    expect(exported.output).toContain('earlier, non-public export');
    const html = readFileSync(`${drive}/clan_dashboard.html`, 'utf8');
    const model = embeddedModel(`${drive}/clan_dashboard.html`);
    expect(model.public).toBe(true);
    for (const member of data.members) {
      for (const id of member.discordUserIds) expect(html).not.toContain(id);
    }
    expect(model.members.every((member) => member.discord === undefined)).toBe(true);
    expect(readFileSync(`${drive}/clan_data.json`, 'utf8')).toBe(before);
  });

  it("uses the clan's own images from CLANSTATS_ASSETS_DIR instead of the built-in icons", async () => {
    const metric = embeddedModel(folder.file('out/clan_dashboard.html')).metrics[0] ?? 'attack';
    mkdirSync(folder.file('my-assets'), { recursive: true });
    writeFileSync(
      folder.file(`my-assets/${metric}.svg`),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><title>our-own-icon</title></svg>',
    );
    const exported = await runCli(['export', '--as-of', AS_OF], {
      cwd: folder.path,
      env: { ...settings(), CLANSTATS_ASSETS_DIR: folder.file('my-assets') },
    });
    expect(exported.code, exported.output).toBe(0);
    expect(embeddedModel(folder.file('out/clan_dashboard.html')).icons[metric]).toContain(
      'our-own-icon',
    );
  });

  it('an unwritable LOCAL_DRIVE_PATH fails with a message naming it, and the outputs stay complete', async () => {
    writeFileSync(folder.file('blocker'), 'a file where a folder should be');
    const exported = await runCli(['export', '--as-of', AS_OF], {
      cwd: folder.path,
      env: { ...settings(), LOCAL_DRIVE_PATH: folder.file('blocker/drive') },
    });
    expect(exported.code).not.toBe(0);
    expect(exported.output).toContain('LOCAL_DRIVE_PATH');
    expect(exported.output).toContain(
      `LOCAL_DRIVE_PATH ${folder.file('blocker/drive')} cannot be used: a file is in the way where a folder should be (ENOTDIR): set LOCAL_DRIVE_PATH to a folder. Nothing was copied there.`,
    );
    expect(embeddedModel(folder.file('out/clan_dashboard.html')).members.length).toBe(
      data.members.length,
    );
  });
});
