// Benchmark: writeClanReport, in-memory and streaming, on 1,000 and 3,000 members × every skill
// and boss × 4 windows. Each mode and size runs in its own child process, so that the peak RSS is
// that mode's alone.
// Usage: pnpm --filter @clanstats/xlsx-report bench  (needs a prior build).
// Settings: BENCH_MEMBERS (comma-separated sizes, default 1000,3000), BENCH_RUNS (default 3).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_FILE_NAME, STREAMING_THRESHOLD, writeClanReport } from '../dist/index.js';
import {
  BOSSES as WOM_BOSSES,
  SKILLS as WOM_SKILLS,
  createSyntheticClanData,
} from '@clanstats/testkit';

/** Every Wise Old Man skill but `overall` (the report's per-skill columns). */
const SKILLS = WOM_SKILLS.filter((skill) => skill !== 'overall');
/** Every Wise Old Man boss metric. */
const BOSSES = [...WOM_BOSSES];

const MODES = { 'in-memory': false, streaming: true };
const median = (values) =>
  [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

/** One mode and size, in this process: BENCH_RUNS runs, the median and the peak RSS. */
async function child(mode, members, runs) {
  const folder = mkdtempSync(join(tmpdir(), 'xlsx-report-bench-'));
  try {
    const data = createSyntheticClanData({ members });
    const times = [];
    let result;
    for (let run = 0; run < runs; run += 1) {
      // Collect the previous run's garbage, so that the peak is one report's, not three.
      globalThis.gc?.();
      const started = performance.now();
      result = await writeClanReport(data, {
        path: join(folder, REPORT_FILE_NAME),
        streaming: MODES[mode],
      });
      times.push(Math.round(performance.now() - started));
    }
    return {
      mode,
      members,
      runs: times,
      medianMs: median(times),
      bytes: result.bytes,
      streamed: result.streamed,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const [, , role, childMode, childMembers] = process.argv;
if (role === '--child') {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  console.log(JSON.stringify(await child(childMode, Number(childMembers), runs)));
} else {
  const sizes = (process.env.BENCH_MEMBERS ?? '1000,3000').split(',').map(Number);
  console.log(
    `skills ${SKILLS.length}, bosses ${BOSSES.length}, ~${(48 + 3 + SKILLS.length + 3 + BOSSES.length).toLocaleString('en-US')} member cells per member; streaming by default above ${STREAMING_THRESHOLD.toLocaleString('en-US')} members`,
  );
  const figures = [];
  for (const members of sizes) {
    for (const mode of Object.keys(MODES)) {
      const output = execFileSync(
        process.execPath,
        ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, String(members)],
        { encoding: 'utf8', env: process.env, maxBuffer: 1024 * 1024 },
      );
      const result = JSON.parse(output.trim().split('\n').at(-1));
      figures.push(result);
      const isDefault = members > STREAMING_THRESHOLD === result.streamed;
      console.log(
        `${members.toLocaleString('en-US')} members, ${mode}${isDefault ? ' (default)' : ''}: median ${result.medianMs} ms (runs ${result.runs.join(' / ')} ms), peak RSS ${result.peakRssMb} MB, ${(result.bytes / 1024 / 1024).toFixed(1)} MB file`,
      );
    }
  }
  console.log('targets (1,000 members, default mode): < 5,000 ms, < 400 MB peak RSS');
  console.log(JSON.stringify({ node: process.version, figures }));

  // For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs): per size, the mode
  // `streaming: 'auto'` picks against the other mode, both measured above in this run.
  if (process.env.CLANSTATS_BENCH_JSON) {
    const rows = [];
    for (const members of sizes) {
      const ofSize = figures.filter((figure) => figure.members === members);
      const chosen = ofSize.find((figure) => members > STREAMING_THRESHOLD === figure.streamed);
      const other = ofSize.find((figure) => figure !== chosen);
      if (chosen === undefined) continue;
      const name = `${members.toLocaleString('en-US')} members, ${chosen.mode} (default)`;
      const target = members === 1000;
      const baseline = (value) =>
        other === undefined ? {} : { baseline: { name: other.mode, value } };
      rows.push(
        {
          name,
          metric: `writeClanReport, median of ${chosen.runs.length}`,
          value: chosen.medianMs,
          unit: 'ms',
          ...(target ? { target: { op: '<', value: 5000 } } : {}),
          ...baseline(other?.medianMs),
          note: `${(chosen.bytes / 1024 / 1024).toFixed(1)} MB file`,
        },
        {
          name,
          metric: 'peak RSS',
          value: chosen.peakRssMb,
          unit: 'MB',
          ...(target ? { target: { op: '<', value: 400 } } : {}),
          ...baseline(other?.peakRssMb),
        },
      );
    }
    const report = {
      schema: 1,
      bench: 'xlsx-report',
      package: '@clanstats/xlsx-report',
      title: 'Excel report',
      settings: { members: sizes.join(','), runs: Number(process.env.BENCH_RUNS ?? 3) },
      rows,
      notes: [
        'the baseline is the other mode (in-memory or streaming) at the same size, each in a child process of its own',
      ],
      raw: figures,
    };
    writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
  }
}
