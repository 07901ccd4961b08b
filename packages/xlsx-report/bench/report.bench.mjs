// Benchmark: writeClanReport on 1,000 members × every skill and boss × 4 windows.
// Usage (node --expose-gc): pnpm --filter @clanstats/xlsx-report bench  (needs a prior build). Settings: BENCH_MEMBERS, BENCH_RUNS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { REPORT_FILE_NAME, writeClanReport } from '../dist/index.js';
import { BOSSES, generateReportData, SKILLS } from './generate.mjs';

const members = Number(process.env.BENCH_MEMBERS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const folder = mkdtempSync(join(tmpdir(), 'xlsx-report-bench-'));
const mb = (bytes) => Math.round(bytes / 1024 / 1024);
const median = (values) =>
  [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

try {
  const data = generateReportData({ members });
  const cells = data.members.length * (48 + 3 + SKILLS.length + 3 + BOSSES.length);
  console.log(
    `members ${members}, skills ${SKILLS.length}, bosses ${BOSSES.length}, ~${cells.toLocaleString('en-US')} member cells`,
  );
  const times = [];
  let result;
  for (let run = 0; run < runs; run += 1) {
    // Collect the previous run's garbage, so that the peak is one report's, not three.
    globalThis.gc?.();
    const started = performance.now();
    result = await writeClanReport(data, { path: join(folder, REPORT_FILE_NAME) });
    times.push(Math.round(performance.now() - started));
    console.log(`run ${run + 1}: ${times.at(-1)} ms`);
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  // For comparison: exceljs's streaming WorkbookWriter writing the same Summary, Skills and Bosses
  // cells with number formats and conditional formatting (it cannot write Excel Tables).
  const streamStarted = performance.now();
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: join(folder, 'stream.xlsx'),
    useStyles: true,
    useSharedStrings: true,
  });
  const windows = ['7d', '30d', '90d', '365d'];
  const summary = writer.addWorksheet('Summary', {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  summary
    .addRow([
      'Name',
      'Role',
      'Status',
      'Score',
      ...windows.flatMap((w) =>
        ['Messages', 'Clan chat', 'XP', 'EHP', 'EHB', 'Boss kills'].map((m) => `${m} ${w}`),
      ),
    ])
    .commit();
  for (const member of data.members) {
    const row = summary.addRow([
      member.displayName,
      member.role,
      member.status,
      member.score,
      ...windows.flatMap((w) => {
        const x = member.windows[w];
        return [x.messages, x.clanChatMessages, x.xp, x.ehp, x.ehb, x.bossKills];
      }),
    ]);
    row.eachCell((cell, column) => {
      if (column > 4) cell.numFmt = '#,##0';
    });
    row.commit();
  }
  summary.addConditionalFormatting({
    ref: `E2:AB${members + 1}`,
    rules: [
      {
        type: 'colorScale',
        cfvo: [{ type: 'min' }, { type: 'max' }],
        color: [{ argb: 'FFFFFFFF' }, { argb: 'FF63BE7B' }],
      },
    ],
  });
  summary.autoFilter = `A1:AB${members + 1}`;
  summary.commit();
  for (const [name, keys, pick] of [
    ['Skills', SKILLS, (w) => w.xpBySkill],
    ['Bosses', BOSSES, (w) => w.bossKillsByBoss],
  ]) {
    const sheet = writer.addWorksheet(name);
    sheet.addRow(['Name', ...keys]).commit();
    for (const member of data.members) {
      const values = pick(member.windows['30d']);
      sheet
        .addRow([member.displayName, ...keys.map((key) => (values ? (values[key] ?? 0) : null))])
        .commit();
    }
    sheet.commit();
  }
  await writer.commit();
  const streamMs = Math.round(performance.now() - streamStarted);

  const figures = {
    members,
    runs: times,
    medianMs: median(times),
    bytes: result.bytes,
    peakRssMb,
    heapUsedMb: mb(process.memoryUsage().heapUsed),
    streamingWriterSubsetMs: streamMs,
    node: process.version,
  };
  console.log(
    `median ${figures.medianMs} ms, ${(result.bytes / 1024 / 1024).toFixed(1)} MB file, peak RSS ${peakRssMb} MB (targets: < 5,000 ms, < 400 MB)`,
  );
  console.log(
    `streaming WorkbookWriter, Summary/Skills/Bosses cells without tables: ${streamMs} ms`,
  );
  console.log(JSON.stringify(figures));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
