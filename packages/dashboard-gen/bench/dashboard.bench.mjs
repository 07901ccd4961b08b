// Benchmark: the dashboard for 500 and 5,000 members (every skill and boss, four windows, a year of
// days, 52 weeks per member): the page's size, the time renderDashboard takes, and the page's time
// to first render in headless Chromium from file:// (navigation start → the page's
// `clanstats:rendered` mark, set when every section is drawn; and first contentful paint).
// Usage: pnpm --filter @clanstats/dashboard-gen bench  (needs a prior build and Chromium).
// Settings: BENCH_MEMBERS (comma-separated, default 500,5000), BENCH_RUNS (default 5),
// CHROMIUM_PATH (default /usr/bin/chromium).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSyntheticClanData } from '@clanstats/testkit';
import { chromium } from 'playwright-core';
import { loadIcons, renderDashboard } from '../dist/index.js';

const sizes = (process.env.BENCH_MEMBERS ?? '500,5000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (values) =>
  [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

const folder = mkdtempSync(join(tmpdir(), 'dashboard-bench-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
});
const icons = await loadIcons();
const results = [];
try {
  for (const members of sizes) {
    const data = createSyntheticClanData({ members, seed: 7 });
    renderDashboard(data, { icons }); // warm-up: templates read, code compiled
    const renderTimes = [];
    let html = '';
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      html = renderDashboard(data, { icons });
      renderTimes.push(performance.now() - started);
    }
    const path = join(folder, `dashboard-${members}.html`);
    writeFileSync(path, html);
    const firstRender = [];
    const firstPaint = [];
    for (let run = 0; run < runs; run += 1) {
      // A fresh context each time: no cache, as a member opening the file.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(pathToFileURL(path).href);
      await page.waitForSelector('html[data-ready="true"]');
      const timing = await page.evaluate(() => ({
        rendered: performance.getEntriesByName('clanstats:rendered')[0]?.startTime ?? NaN,
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      }));
      firstRender.push(timing.rendered);
      firstPaint.push(timing.paint);
      await context.close();
    }
    results.push({
      members,
      bytes: Buffer.byteLength(html),
      renderMs: median(renderTimes),
      firstRenderMs: median(firstRender),
      firstPaintMs: median(firstPaint),
    });
  }
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
}

const format = (value, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits });
console.log(`\ndashboard bench: median of ${runs} runs, Node ${process.version}\n`);
console.log(
  '| Members | HTML size | renderDashboard | First render (Chromium) | First contentful paint |',
);
console.log('|---:|---:|---:|---:|---:|');
for (const result of results) {
  console.log(
    `| ${format(result.members)} | ${format(result.bytes / 1024 / 1024, 2)} MB | ${format(result.renderMs)} ms | ${format(result.firstRenderMs)} ms | ${format(result.firstPaintMs)} ms |`,
  );
}
const target = results.find((result) => result.members === 500);
if (target !== undefined) {
  const checks = [
    ['size ≤ 1.5 MB', target.bytes <= 1.5 * 1024 * 1024],
    ['generation < 1 s', target.renderMs < 1000],
    ['first render < 1 s', target.firstRenderMs < 1000],
  ];
  console.log(
    `\n500-member targets: ${checks.map(([name, ok]) => `${name} ${ok ? 'met' : 'MISSED'}`).join(', ')}`,
  );
}
console.log(JSON.stringify(results));

// For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs); targets for 500 members.
if (process.env.CLANSTATS_BENCH_JSON) {
  const rows = results.flatMap((result) => {
    const name = `${format(result.members)} members`;
    const target = result.members === 500;
    const round = (value) => Math.round(value);
    return [
      {
        name,
        metric: 'HTML size',
        value: Math.round((result.bytes / 1024 / 1024) * 100) / 100,
        unit: 'MB',
        ...(target ? { target: { op: '<=', value: 1.5 } } : {}),
      },
      {
        name,
        metric: `renderDashboard, median of ${runs}`,
        value: round(result.renderMs),
        unit: 'ms',
        ...(target ? { target: { op: '<', value: 1000 } } : {}),
      },
      {
        name,
        metric: 'first render in Chromium',
        value: round(result.firstRenderMs),
        unit: 'ms',
        ...(target ? { target: { op: '<', value: 1000 } } : {}),
        note: `first contentful paint ${round(result.firstPaintMs)} ms`,
      },
    ];
  });
  const report = {
    schema: 1,
    bench: 'dashboard',
    package: '@clanstats/dashboard-gen',
    title: 'Dashboard',
    settings: { members: sizes.join(','), runs },
    rows,
    raw: results,
  };
  writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
}
