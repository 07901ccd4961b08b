// Renders a generated 300-member clan and saves screenshots of the page for the README:
// docs/desktop.png (1280 wide), docs/phone.png (390 wide) and docs/member.png (a member page, dark).
// Usage: pnpm --filter @clanstats/dashboard-gen screenshots  (needs a prior build and Chromium).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSyntheticClanData } from '@clanstats/testkit';
import { chromium } from 'playwright-core';
import { loadIcons, writeDashboard } from '../dist/index.js';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'dashboard-screenshots-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
});
try {
  const data = createSyntheticClanData({ members: 300, seed: 7, hostileNames: false });
  const { path } = await writeDashboard(data, {
    path: join(folder, 'clan_dashboard.html'),
    icons: await loadIcons(),
  });
  const url = pathToFileURL(path).href;
  const shoot = async (viewport, file, prepare, colorScheme = 'light') => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]');
    await prepare?.(page);
    await page.screenshot({ path: join(docs, file) });
    await context.close();
    console.log(`wrote docs/${file}`);
  };
  await shoot({ width: 1280, height: 1400 }, 'desktop.png');
  await shoot({ width: 390, height: 844 }, 'phone.png', async (page) => {
    await page.locator('#bosses').scrollIntoViewIfNeeded();
  });
  await shoot(
    { width: 1100, height: 900 },
    'member.png',
    async (page) => {
      await page.locator('table.roster .member-link').first().click();
      await page.waitForSelector('#member-dialog[open]');
    },
    'dark',
  );
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
}
