import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSyntheticClanData, HOSTILE_NAMES, type SyntheticClanData } from '@clanstats/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIcons, writeDashboard, type DashboardData } from '../index.js';
import { launchChromium } from './chromium.js';

// The page as a clan member opens it: a generated clan rendered to a file, opened from file:// in
// a real headless Chromium, with every request and console message watched.

const WINDOWS = ['7d', '30d', '90d', '365d'] as const;

let folder: string;
let browser: Browser;
let data: SyntheticClanData;
let privateUrl: string;
let publicUrl: string;

const whole = (value: number): string => value.toLocaleString('en', { maximumFractionDigits: 0 });

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'dashboard-page-'));
  data = createSyntheticClanData({ members: 150, seed: 11 });
  const icons = await loadIcons();
  const dashboard: DashboardData = data;
  const written = await writeDashboard(dashboard, { path: join(folder, 'private.html'), icons });
  const published = await writeDashboard(dashboard, {
    path: join(folder, 'public.html'),
    icons,
    public: true,
  });
  privateUrl = pathToFileURL(written.path).href;
  publicUrl = pathToFileURL(published.path).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  problems: string[];
}

/** Opens a page from file://, recording console errors, page errors, dialogs and any request. */
async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request: ${request.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

const member0 = (): SyntheticClanData['members'][number] => {
  const first = data.members[0];
  if (first === undefined) throw new Error('no members');
  return first;
};

async function rowCellTitles(page: Page, playerId: number): Promise<string[]> {
  return page.$$eval(`tr[data-member-row="${playerId}"] td`, (cells) =>
    cells.map((cell) => cell.getAttribute('title') ?? ''),
  );
}

describe('the dashboard page', () => {
  it('renders from file:// with no errors, no network and every section', async () => {
    const { page, problems } = await open(privateUrl);
    for (const id of [
      'overview',
      'roster',
      'heatmap',
      'bosses',
      'leaderboards',
      'inactivity',
      'rankups',
      'changes',
    ]) {
      const slot = page.locator(`#${id} [data-slot]`);
      await expect
        .poll(() => slot.evaluate((element) => element.childElementCount))
        .toBeGreaterThan(0);
    }
    expect(await page.title()).toBe(`${data.group.name} · ClanStats`);
    expect(await page.locator('tr[data-member-row]').count()).toBeGreaterThanOrEqual(
      data.members.length,
    );
    await page.close();
    expect(problems).toEqual([]);
  });

  it("shows a known member's numbers, and the window switch changes them everywhere", async () => {
    const { page, problems } = await open(privateUrl);
    const zezima = member0();
    const titles = async (): Promise<string[]> => rowCellTitles(page, zezima.playerId);
    for (const window of WINDOWS) {
      await page.click(`[data-window="${window}"]`);
      expect(await page.getAttribute(`[data-window="${window}"]`, 'aria-pressed')).toBe('true');
      const stats = zezima.windows[window];
      const cells = await titles();
      for (const value of [stats.xp, stats.bossKills, stats.messages]) {
        if (value !== null && value >= 10_000) expect(cells).toContain(whole(value));
      }
      // The overview's XP card carries the clan total in full.
      const total = await page.locator('#overview .card-value').nth(1).getAttribute('title');
      expect(total).toBe(`${whole(data.totals[window].xp)} XP`);
      // The heatmap shows the window's grid.
      const heat = await page.$$eval('#heatmap td.heat', (cells) =>
        cells.map((cell) =>
          Number(
            /: ([\d,]+) messages$/
              .exec(cell.getAttribute('aria-label') ?? '')?.[1]
              ?.replace(/,/g, ''),
          ),
        ),
      );
      const grid = data.heatmap.windows[window].counts.flat();
      expect(heat).toEqual(grid);
      // The top boss of the window and its top killer.
      const top = data.bosses.windows[window][0];
      if (top !== undefined) {
        await expect
          .poll(() => page.locator('#bosses .boss-card').first().textContent())
          .toContain(top.topKiller.displayName);
      }
      // The XP leaderboard's leader.
      const leader = [...data.members]
        .filter((member) => (member.windows[window].xp ?? 0) > 0)
        .sort(
          (left, right) =>
            (right.windows[window].xp ?? 0) - (left.windows[window].xp ?? 0) ||
            left.displayName.localeCompare(right.displayName),
        )[0];
      if (leader !== undefined) {
        expect(await page.locator('[data-board="xp"] li').first().textContent()).toContain(
          leader.displayName,
        );
      }
    }
    const sevenDay = await page.$eval('[data-window="7d"]', (button) => button.textContent);
    expect(sevenDay).toBe('7d');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('sorts the roster by a column, both ways, with unknown values last', async () => {
    const { page } = await open(privateUrl);
    await page.click('[data-window="30d"]');
    const ids = async (): Promise<number[]> =>
      page.$$eval('table.roster tbody tr[data-member-row]', (rows) =>
        rows.map((row) => Number(row.getAttribute('data-member-row'))),
      );
    const xpOf = (id: number): number | null =>
      data.members.find((member) => member.playerId === id)?.windows['30d'].xp ?? null;
    const expectOrder = (order: number[], descending: boolean): void => {
      const values = order.map(xpOf);
      const known = values.filter((value): value is number => value !== null);
      expect(values.slice(0, known.length)).toEqual(known);
      expect(known).toEqual(
        [...known].sort((left, right) => (descending ? right - left : left - right)),
      );
    };
    await page.click('button[data-sort="xp"]');
    expect(await page.getAttribute('th:has(button[data-sort="xp"])', 'aria-sort')).toBe(
      'descending',
    );
    expectOrder(await ids(), true);
    await page.click('button[data-sort="xp"]');
    expect(await page.getAttribute('th:has(button[data-sort="xp"])', 'aria-sort')).toBe(
      'ascending',
    );
    expectOrder(await ids(), false);
    await page.click('button[data-sort="name"]');
    const names = await page.$$eval('table.roster tbody td.name', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(names).toEqual([...names].sort((left, right) => left.localeCompare(right)));
    await page.close();
  });

  it('searches by name, former name, Discord name and role', async () => {
    const { page } = await open(privateUrl);
    const zezima = member0();
    const visible = (): Promise<number[]> =>
      page.$$eval('table.roster tbody tr[data-member-row]', (rows) =>
        rows.map((row) => Number(row.getAttribute('data-member-row'))),
      );
    const expected = (query: string): number[] =>
      data.members
        .filter((member) =>
          [
            member.displayName,
            member.role,
            ...member.formerNames,
            ...member.discordUsers.map(
              (user) => user.nickname ?? user.globalName ?? user.username ?? user.userId,
            ),
          ].some((text) => text.toLowerCase().includes(query.toLowerCase())),
        )
        .map((member) => member.playerId)
        .sort((left, right) => left - right);
    const discord = zezima.discordUsers[0];
    const queries = [zezima.displayName, ...zezima.formerNames.slice(0, 1)];
    if (discord !== undefined)
      queries.push(discord.nickname ?? discord.globalName ?? discord.userId);
    for (const query of queries) {
      await page.fill('#roster-search', query);
      await expect
        .poll(async () => (await visible()).sort((left, right) => left - right))
        .toEqual(expected(query));
      expect(await visible()).toContain(zezima.playerId);
    }
    await page.fill('#roster-search', 'no member is called this');
    await expect.poll(() => page.locator('table.roster td.empty').count()).toBe(1);
    await page.close();
  });

  it('opens a member page with gains per skill and boss, weekly messages, Discord and former names', async () => {
    const { page, problems } = await open(privateUrl);
    await page.click('[data-window="30d"]');
    const zezima = member0();
    await page
      .locator(`table.roster tr[data-member-row="${zezima.playerId}"] .member-link`)
      .click();
    const dialog = page.locator('#member-dialog');
    await expect
      .poll(() => dialog.evaluate((element) => (element as HTMLDialogElement).open))
      .toBe(true);
    expect(await dialog.locator('h2').textContent()).toBe(zezima.displayName);
    const text = (await dialog.textContent()) ?? '';
    for (const user of zezima.discordUsers) {
      expect(text).toContain(user.nickname ?? user.globalName ?? user.username ?? user.userId);
    }
    for (const name of zezima.formerNames) expect(text).toContain(name);
    const skills = Object.keys(zezima.windows['30d'].xpBySkill ?? {});
    expect(skills.length).toBeGreaterThan(0);
    expect(await dialog.locator('.member-gains section').first().locator('li').count()).toBe(
      Object.values(zezima.windows['30d'].xpBySkill ?? {}).filter((value) => value > 0).length,
    );
    expect(await dialog.locator('.member-gains section').nth(1).locator('li').count()).toBe(
      Object.values(zezima.windows['30d'].bossKillsByBoss ?? {}).filter((value) => value > 0)
        .length,
    );
    // 52 weekly bars, each with its tooltip.
    expect(await dialog.locator('figure svg g title').count()).toBe(52);
    expect(page.url()).toContain(`#member-${zezima.playerId}`);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => dialog.evaluate((element) => (element as HTMLDialogElement).open))
      .toBe(false);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('is keyboard accessible: Tab reaches a member, Enter opens, Escape returns focus', async () => {
    const { page } = await open(privateUrl);
    const link = page.locator('table.roster .member-link').first();
    await link.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#member-dialog');
    await expect
      .poll(() => dialog.evaluate((element) => (element as HTMLDialogElement).open))
      .toBe(true);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('member-link')))
      .toBe(true);
    // The window switch and the sort buttons are real buttons.
    expect(
      await page
        .locator('[data-window]')
        .evaluateAll((buttons) => buttons.map((button) => button.tagName)),
    ).toEqual(['BUTTON', 'BUTTON', 'BUTTON', 'BUTTON']);
    await page.close();
  });

  it('shows hostile names as text, and nothing in them runs', async () => {
    const { page, problems } = await open(privateUrl);
    const hostile = data.members.filter((member) => HOSTILE_NAMES.includes(member.displayName));
    expect(hostile.length).toBeGreaterThan(0);
    await page.click('[data-window="365d"]');
    for (const member of hostile) {
      const shown = await page
        .locator(`table.roster tr[data-member-row="${member.playerId}"] td.name`)
        .textContent();
      expect(shown).toBe(member.displayName);
    }
    // No element came from a name: no img without a data: source, no svg with onload, no script
    // but ours and the data.
    expect(await page.locator('img:not([src^="data:"])').count()).toBe(0);
    expect(await page.locator('[onerror], [onload]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('switches between light and dark themes', async () => {
    const { page } = await open(privateUrl);
    const background = (): Promise<string> =>
      page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.evaluate(() => {
      document.documentElement.dataset.theme = 'light';
    });
    const light = await background();
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await background()).not.toBe(light);
    await page.close();
  });

  it('fits a phone: no sideways scrolling of the page itself', async () => {
    const { page, problems } = await open(privateUrl, { width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('public mode leaves out per-member Discord figures, inactivity and rank-ups', async () => {
    const html = readFileSync(new URL(publicUrl), 'utf8');
    // Discord user ids are long numbers that appear nowhere else.
    for (const member of data.members) {
      for (const user of member.discordUsers) expect(html).not.toContain(user.userId);
    }
    const embedded = /<script type="application\/json" id="clanstats-data">(.*?)<\/script>/s.exec(
      html,
    )?.[1];
    const model = JSON.parse(embedded ?? 'null') as {
      public: boolean;
      members: Array<Record<string, unknown> & { stats: Record<string, unknown[]> }>;
      rankUps?: unknown;
    };
    expect(model.public).toBe(true);
    expect(model.rankUps).toBeUndefined();
    for (const member of model.members) {
      for (const key of ['discord', 'weekly', 'status', 'score', 'inactivity', 'daysSince']) {
        expect(member).not.toHaveProperty(key);
      }
      for (const window of WINDOWS) expect(member.stats[window]).toHaveLength(4);
    }
    const { page, problems } = await open(publicUrl);
    expect(await page.locator('#inactivity').count()).toBe(0);
    expect(await page.locator('#rankups').count()).toBe(0);
    expect(await page.locator('#roster-status').count()).toBe(0);
    const headers = await page.$$eval('table.roster th', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(headers.join(' ')).not.toMatch(/Messages|Score|Status/);
    expect(await page.locator('[data-board="messages"], [data-board="answers"]').count()).toBe(0);
    // Clan-level figures stay.
    expect(await page.locator('#heatmap td.heat').count()).toBe(7 * 24);
    await page.close();
    expect(problems).toEqual([]);
  });
});
