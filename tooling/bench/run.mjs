#!/usr/bin/env node
// Runs every ClanStats benchmark one after another and writes one combined table:
//   pnpm bench                                   (builds first, then runs this script)
//   node tooling/bench/run.mjs --only wom,discord --quick
//
// 1. Each package's bench script (its `bench` script in package.json, run with the same node
//    flags from the package folder), with CLANSTATS_BENCH_JSON naming a file for its
//    machine-readable results (shape: tooling/bench/report-shape.mjs). Output is streamed.
// 2. The demo pipeline's wall time: `node apps/cli/dist/bin.js demo --dir <fresh folder>`.
// 3. The per-stage process start cost: each pipeline stage's worker (`node apps/cli/dist/stage.js
//    <stage>`) spawned directly, --runs times, against testkit's fake WOM and Discord servers:
//    spawn-to-exit wall time minus the body's own `durationMs`; and `node -e 0` as the floor.
// Then bench/results/latest.json, latest.md and <date>-<time>.json (UTC). A failing benchmark is
// recorded in the table and makes the exit code 1; the others still run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, arch, tmpdir, totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  USAGE,
  datedStem,
  finalizeRow,
  median,
  parseArgs,
  parseStageResult,
  mergeResults,
  renderMarkdown,
  stageSplit,
} from './lib.mjs';
import { BENCH_REPORT_SCHEMA, validateBenchReport } from './report-shape.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliBin = join(root, 'apps/cli/dist/bin.js');
const stageScript = join(root, 'apps/cli/dist/stage.js');
const MINUTE = 60_000;

/** The package benchmarks, in run order. `quickEnv`: the --quick sizes (BENCH_* settings). */
const PACKAGE_BENCHES = [
  {
    id: 'store',
    dir: 'packages/store',
    quickEnv: { BENCH_MESSAGES: '200000', BENCH_PLAYERS: '50', BENCH_DAYS: '60' },
    timeoutMs: 20 * MINUTE,
  },
  {
    id: 'wom',
    dir: 'packages/wom-client',
    quickEnv: { BENCH_WINDOW_MS: '2000', BENCH_BURST_WINDOW_MS: '500' },
    timeoutMs: 20 * MINUTE,
  },
  {
    id: 'discord',
    dir: 'packages/discord-harvester',
    quickEnv: { BENCH_MESSAGES: '50000', BENCH_NAIVE_SECONDS: '10' },
    timeoutMs: 30 * MINUTE,
  },
  {
    id: 'clan-model',
    dir: 'packages/clan-model',
    quickEnv: {
      BENCH_MEMBERS: '100',
      BENCH_DAYS: '60',
      BENCH_MESSAGES: '100000',
      BENCH_RUNS: '3',
    },
    timeoutMs: 20 * MINUTE,
  },
  {
    id: 'xlsx',
    dir: 'packages/xlsx-report',
    quickEnv: { BENCH_MEMBERS: '1000', BENCH_RUNS: '1' },
    timeoutMs: 20 * MINUTE,
  },
  {
    id: 'dashboard',
    dir: 'packages/dashboard-gen',
    quickEnv: { BENCH_MEMBERS: '500', BENCH_RUNS: '2' },
    timeoutMs: 20 * MINUTE,
  },
];

const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((value) => round(value, 2));

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

/** The process group of the running child, so Ctrl+C stops it too. */
let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (running?.pid !== undefined) {
      try {
        process.kill(-running.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/**
 * Runs a command, streaming its output (optionally prefixed) and keeping it.
 * @returns {Promise<{ code: number | null, signal: string | null, ms: number, stdout: string,
 *   stderr: string, lines: Array<{ atMs: number, line: string }>, timedOut: boolean }>}
 */
function runCommand(command, args, { cwd, env, timeoutMs, echo = true, prefix = '' }) {
  return new Promise((resolvePromise, reject) => {
    const began = performance.now();
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running = child;
    let stdout = '';
    let stderr = '';
    const lines = [];
    const partial = { stdout: '', stderr: '' };
    const collect = (stream, chunk) => {
      const text = chunk.toString('utf8');
      if (stream === 'stdout') stdout += text;
      else stderr += text;
      const atMs = performance.now() - began;
      const pieces = (partial[stream] + text).split('\n');
      partial[stream] = pieces.pop();
      for (const line of pieces) lines.push({ atMs, line });
      if (echo) {
        const target = stream === 'stdout' ? process.stdout : process.stderr;
        target.write(prefix === '' ? text : pieces.map((line) => `${prefix}${line}\n`).join(''));
      }
    };
    child.stdout.on('data', (chunk) => collect('stdout', chunk));
    child.stderr.on('data', (chunk) => collect('stderr', chunk));
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, 'SIGTERM');
            } catch {
              // already gone
            }
          }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running = undefined;
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const ms = performance.now() - began;
      for (const stream of ['stdout', 'stderr']) {
        if (partial[stream] !== '') lines.push({ atMs: ms, line: partial[stream] });
      }
      resolvePromise({ code, signal, ms, stdout, stderr, lines, timedOut });
    });
  });
}

const lastLines = (text, count = 3) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count)
    .join(' / ')
    .slice(0, 400);

/** The command a package's `bench` script runs: `node [flags] <script>`, run directly. */
function benchCommand(dir) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const script = manifest.scripts?.bench;
  if (typeof script !== 'string') throw new Error(`${dir}/package.json has no bench script`);
  const words = script.trim().split(/\s+/);
  if (words[0] === 'node' && words.slice(1).every((word) => !/[;&|<>$`'"]/.test(word))) {
    return { manifest, command: process.execPath, args: words.slice(1), text: script };
  }
  // Anything fancier goes through pnpm, exactly as `pnpm --filter <package> bench` would.
  return { manifest, command: 'pnpm', args: ['run', 'bench'], text: `pnpm run bench (${script})` };
}

async function runPackageBench(definition, scratch) {
  const { manifest, command, args, text } = benchCommand(definition.dir);
  const jsonPath = join(scratch, `${definition.id}.json`);
  const env = {
    ...process.env,
    ...(options.quick ? definition.quickEnv : {}),
    CLANSTATS_BENCH_JSON: jsonPath,
  };
  const quickText = options.quick
    ? ` with ${Object.entries(definition.quickEnv)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`
    : '';
  console.log(`\n━━ ${definition.id}: ${manifest.name}: ${text}${quickText}`);
  const loadStart = load();
  const result = await runCommand(command, args, {
    cwd: join(root, definition.dir),
    env,
    timeoutMs: definition.timeoutMs,
  });
  const base = {
    schema: BENCH_REPORT_SCHEMA,
    bench: definition.id,
    package: manifest.name,
    title: definition.id,
    rows: [],
    seconds: round(result.ms / 1000, 1),
    loadStart,
    loadEnd: load(),
  };
  let report;
  if (existsSync(jsonPath)) {
    try {
      report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    } catch (error) {
      return { ...base, status: 'failed', error: `unreadable results: ${error.message}` };
    }
    const problems = validateBenchReport(report);
    if (problems.length > 0) {
      return {
        ...base,
        status: 'failed',
        error: `bad results: ${problems.slice(0, 3).join('; ')}`,
      };
    }
  }
  if (result.timedOut) {
    return {
      ...base,
      ...report,
      ...timing(base),
      status: 'failed',
      error: `timed out after ${definition.timeoutMs / MINUTE} min`,
    };
  }
  if (result.code !== 0) {
    const why = result.signal === null ? `exit code ${result.code}` : `killed by ${result.signal}`;
    return {
      ...base,
      ...report,
      ...timing(base),
      status: 'failed',
      error: `${why}: ${lastLines(result.stderr) || lastLines(result.stdout)}`,
    };
  }
  if (report === undefined) {
    return {
      ...base,
      status: 'failed',
      error: 'exited 0 but wrote no results (CLANSTATS_BENCH_JSON)',
    };
  }
  return { ...base, ...report, ...timing(base), status: 'ok' };
}
const timing = ({ seconds, loadStart, loadEnd }) => ({ seconds, loadStart, loadEnd });

/** The folder of a demo that finished, for the stage measurements (undefined: none). */
let demoFolder;

async function demoAvailable() {
  if (!existsSync(cliBin)) return false;
  const result = await runCommand(process.execPath, [cliBin, 'demo', '--help'], {
    cwd: root,
    env: process.env,
    timeoutMs: MINUTE,
    echo: false,
  });
  return result.code === 0;
}

/** The demo pipeline from nothing, timed from spawn to exit. */
async function runDemo(scratch) {
  const base = {
    schema: BENCH_REPORT_SCHEMA,
    bench: 'demo',
    package: '@clanstats/cli',
    title: 'Demo pipeline',
    rows: [],
    loadStart: load(),
  };
  console.log(`\n━━ demo: node apps/cli/dist/bin.js demo --dir <fresh folder>`);
  if (!(await demoAvailable())) {
    console.log('demo: not available (`node apps/cli/dist/bin.js demo --help` fails)');
    return {
      ...base,
      status: 'not available',
      loadEnd: load(),
      rows: [
        {
          name: 'node apps/cli/dist/bin.js demo, first run',
          metric: 'wall time',
          value: null,
          unit: 's',
          status: 'not available',
          note: 'the CLI has no demo command in this build',
        },
      ],
    };
  }
  const work = mkdtempSync(join(scratch, 'demo-'));
  const dir = join(work, 'demo');
  const result = await runCommand(process.execPath, [cliBin, 'demo', '--dir', dir], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1' },
    timeoutMs: 30 * MINUTE,
    prefix: '  demo │ ',
  });
  const seconds = round(result.ms / 1000, 2);
  const split = stageSplit(result.lines, result.ms);
  const timing = {
    seconds: round(result.ms / 1000, 1),
    loadStart: base.loadStart,
    loadEnd: load(),
  };
  if (result.code !== 0) {
    return {
      ...base,
      ...timing,
      status: 'failed',
      error: `exit code ${result.code}: ${lastLines(result.stderr) || lastLines(result.stdout)}`,
    };
  }
  if (existsSync(join(dir, 'clanstats.db'))) demoFolder = dir;
  const rows = [
    {
      name: 'node apps/cli/dist/bin.js demo, first run (from nothing)',
      metric: 'wall time',
      value: seconds,
      unit: 's',
      note: 'spawn to exit: fakes start, seeding and the whole run pipeline',
      details: { stages: split },
    },
    ...split.map((part) => ({
      name: `demo stage ${part.stage}`,
      metric: 'wall time',
      value: part.ms,
      unit: 'ms',
      note: 'from its "Stage i/n" line to the next one, as printed',
    })),
  ];
  return {
    ...base,
    ...timing,
    status: 'ok',
    settings: { dir: '<fresh temporary folder>' },
    rows,
    notes:
      split.length === 0
        ? ['the stage split was not found in the demo output ("Stage i/n: <stage>" lines)']
        : [],
    raw: { envFileWritten: existsSync(join(dir, '.env')) },
  };
}

/**
 * The stage workers' process cost: each pipeline stage spawned directly, `options.runs` times, in
 * pipeline order, in a folder of its own, against testkit's fakes (started in this process).
 */
async function runStages(scratch) {
  const base = {
    schema: BENCH_REPORT_SCHEMA,
    bench: 'stages',
    package: '@clanstats/cli',
    title: 'Stage process cost',
    rows: [],
    loadStart: load(),
  };
  console.log(`\n━━ stages: node apps/cli/dist/stage.js <stage>, ${options.runs} spawns each`);
  const began = performance.now();
  const testkit = await import(pathToFileURL(join(root, 'packages/testkit/dist/index.js')).href);
  const members = options.quick ? 50 : 300;
  const clan = testkit.createSyntheticClan({ seed: 2026, members });
  const discord = testkit.createSyntheticDiscord(clan);
  const WOM_KEY = 'bench-wom-key';
  const DISCORD_TOKEN = 'bench-discord-token';
  const wom = await testkit.startFakeWomServer({ clan, rateLimit: false, apiKeys: [WOM_KEY] });
  const discordServer = await testkit.startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    rateLimit: false,
  });
  const dir = mkdtempSync(join(scratch, 'stages-'));
  writeFileSync(
    join(dir, 'clanstats.config.json'),
    JSON.stringify({
      relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
    }),
  );
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CLANSTATS_LOG_LEVEL: '3',
  };
  // Harvest: always against the fakes started here, in a folder of its own.
  const own = {
    cwd: dir,
    env: {
      ...baseEnv,
      WOM_BASE_URL: wom.url,
      WOM_GROUP_ID: String(clan.group.id),
      WOM_API_KEY: WOM_KEY,
      DISCORD_API_URL: discordServer.url,
      DISCORD_TOKEN,
      DISCORD_GUILD_ID: discord.guild.id,
      CLANSTATS_DB: join(dir, 'clan_data.db'),
      CLANSTATS_OUT_DIR: join(dir, 'out'),
    },
  };
  // The other stages: on the demo's folder and database when a demo finished (the settings the
  // demo gives its run, minus the fakes' addresses, which are gone), else on the same folder.
  const onDemo =
    demoFolder === undefined
      ? undefined
      : {
          cwd: demoFolder,
          env: {
            ...baseEnv,
            CLANSTATS_DB: join(demoFolder, 'clanstats.db'),
            CLANSTATS_OUT_DIR: join(demoFolder, 'out'),
            CLANSTATS_TIMEZONE: 'Europe/London',
          },
        };
  const asOf = ['--as-of', clan.now];
  const pipeline = [
    ['backup', ['--if-exists']],
    ['migrate', ['up']],
    ['harvest', asOf],
    ['report', onDemo === undefined ? asOf : []],
    ['export', onDemo === undefined ? asOf : []],
  ];
  const where = (stage) => (stage === 'harvest' || onDemo === undefined ? own : onDemo);
  const spawnStage = async (stage, args, place = where(stage)) => {
    const result = await runCommand(process.execPath, [stageScript, stage, ...args], {
      cwd: place.cwd,
      env: place.env,
      timeoutMs: 20 * MINUTE,
      echo: false,
    });
    const parsed = parseStageResult(result.stdout);
    if (result.code !== 0 || parsed === undefined || parsed.status !== 'ok') {
      const why =
        parsed?.error?.message ?? (lastLines(result.stderr) || `exit code ${result.code}`);
      throw new Error(`stage ${stage} failed (exit ${result.code}): ${why}`);
    }
    return { wallMs: result.ms, bodyMs: parsed.durationMs };
  };
  const samples = Object.fromEntries(pipeline.map(([stage]) => [stage, []]));
  const first = {};
  const floor = [];
  const orchestrator = [];
  try {
    // The first pass (the harvest's folder from nothing; on the demo's folder, one more pass)
    // is reported apart, not in the medians.
    if (onDemo !== undefined) await spawnStage('migrate', ['up'], own);
    for (const [stage, args] of pipeline) {
      first[stage] = await spawnStage(stage, args);
      console.log(
        `  first ${stage}: wall ${Math.round(first[stage].wallMs)} ms, body ${first[stage].bodyMs} ms`,
      );
    }
    for (let run = 0; run < options.runs; run += 1) {
      for (const [stage, args] of pipeline) samples[stage].push(await spawnStage(stage, args));
      const bare = await runCommand(process.execPath, ['-e', '0'], {
        cwd: dir,
        env: baseEnv,
        echo: false,
      });
      floor.push(bare.ms);
      const version = await runCommand(process.execPath, [cliBin, '--version'], {
        cwd: dir,
        env: baseEnv,
        echo: false,
      });
      orchestrator.push(version.ms);
      console.log(`  run ${run + 1}/${options.runs} done`);
    }
  } catch (error) {
    return {
      ...base,
      seconds: round((performance.now() - began) / 1000, 1),
      loadEnd: load(),
      status: 'failed',
      error: error.message,
    };
  } finally {
    await wom.close();
    await discordServer.close();
  }
  const floorMs = median(floor);
  const rows = [
    {
      name: '`node -e 0` (the floor: node start and exit)',
      metric: 'spawn to exit',
      value: round(floorMs),
      unit: 'ms',
      details: { runsMs: floor.map((value) => round(value)) },
    },
    {
      name: '`node apps/cli/dist/bin.js --version` (the orchestrator loading)',
      metric: 'spawn to exit',
      value: round(median(orchestrator)),
      unit: 'ms',
      details: { runsMs: orchestrator.map((value) => round(value)) },
    },
  ];
  for (const [stage] of pipeline) {
    const wall = median(samples[stage].map((sample) => sample.wallMs));
    const body = median(samples[stage].map((sample) => sample.bodyMs));
    const costs = samples[stage].map((sample) => sample.wallMs - sample.bodyMs);
    const cost = median(costs);
    rows.push({
      name: `stage ${stage}`,
      metric: 'process start cost (wall − body)',
      value: round(cost),
      unit: 'ms',
      note: `wall ${round(wall)} ms, body ${round(body)} ms; ${round(cost - floorMs)} ms over node -e 0`,
      details: {
        wallMs: round(wall),
        bodyMs: round(body),
        overFloorMs: round(cost - floorMs),
        runs: samples[stage].map((sample) => ({
          wallMs: round(sample.wallMs),
          bodyMs: sample.bodyMs,
        })),
        firstRun: { wallMs: round(first[stage].wallMs), bodyMs: first[stage].bodyMs },
      },
    });
  }
  const totalCost = pipeline.reduce(
    (sum, [stage]) => sum + median(samples[stage].map((sample) => sample.wallMs - sample.bodyMs)),
    0,
  );
  rows.push({
    name: 'all five stages',
    metric: 'process start cost, summed',
    value: round(totalCost),
    unit: 'ms',
    note: `per run of the pipeline; first run from nothing: ${pipeline.map(([stage]) => `${stage} ${round(first[stage].wallMs)} ms`).join(', ')}`,
  });
  return {
    ...base,
    seconds: round((performance.now() - began) / 1000, 1),
    loadEnd: load(),
    status: 'ok',
    settings: {
      members,
      runs: options.runs,
      seed: 2026,
      database: onDemo === undefined ? 'own' : 'demo (backup, migrate, report, export)',
    },
    rows,
    notes: [
      `Each stage worker spawned directly (node apps/cli/dist/stage.js <stage> [args], as the orchestrator does), ${options.runs} times in pipeline order after a first pass; medians. ` +
        (onDemo === undefined
          ? `All stages in a folder of their own, filled from nothing by the first pass (testkit clan of ${members} members, seed 2026; fake WOM and Discord in the runner's process, no rate limits). `
          : `backup, migrate, report and export on the demo's folder and database (the demo's settings); harvest in a folder of its own against fakes in the runner's process (testkit clan of ${members} members, seed 2026, no rate limits), incremental after its first pass. `) +
        "Wall = spawn to exit as the runner sees it; body = the stage's own durationMs (from the start of runStageWorker, after the bundle's imports, to its result line); start cost = wall − body: node start, loading dist/stage.js and everything it imports, writing the result and exiting.",
    ],
  };
}

function machine(loadStart) {
  const cpuList = cpus();
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    commit = undefined;
  }
  return {
    cpus: cpuList.length,
    model: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    loadStart,
    ...(commit === undefined ? {} : { commit }),
  };
}

const startedAt = new Date();
const loadStart = load();
const runStarted = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'clanstats-bench-run-'));
const benches = [];
try {
  for (const id of options.only) {
    const definition = PACKAGE_BENCHES.find((bench) => bench.id === id);
    try {
      if (definition !== undefined) benches.push(await runPackageBench(definition, scratch));
      else if (id === 'demo') benches.push(await runDemo(scratch));
      else if (id === 'stages') benches.push(await runStages(scratch));
    } catch (error) {
      benches.push({
        schema: BENCH_REPORT_SCHEMA,
        bench: id,
        package: definition === undefined ? '@clanstats/cli' : definition.dir,
        title: id,
        rows: [],
        status: 'failed',
        error: error.message,
      });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const results = {
  schema: 1,
  startedAt: startedAt.toISOString(),
  durationSeconds: round((performance.now() - runStarted) / 1000, 1),
  quick: options.quick,
  partial: options.partial,
  only: options.only,
  machine: { ...machine(loadStart), loadEnd: load() },
  benches: benches.map((bench, index) => ({
    ...bench,
    runnerId: options.only[index],
    rows: bench.rows.map(finalizeRow),
  })),
};
const outDir = isAbsolute(options.out) ? options.out : resolve(root, options.out);
mkdirSync(outDir, { recursive: true });
const stem = `${datedStem(startedAt)}${options.quick ? '-quick' : options.partial ? '-partial' : ''}`;
const written = [join(outDir, `${stem}.json`)];
writeFileSync(written[0], `${JSON.stringify(results, null, 2)}\n`);
let latest = options.partial ? undefined : results;
if (options.partial && options.updateLatest) {
  const latestPath = join(outDir, 'latest.json');
  if (existsSync(latestPath)) {
    latest = mergeResults(JSON.parse(readFileSync(latestPath, 'utf8')), results);
  } else {
    console.error('bench: --update-latest: no latest.json yet; writing a dated copy only');
  }
}
const markdown = renderMarkdown(latest ?? results);
if (latest === undefined) {
  written.push(join(outDir, `${stem}.md`));
  writeFileSync(written[1], markdown);
} else {
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), markdown);
  written.push(join(outDir, 'latest.json'), join(outDir, 'latest.md'));
}
console.log(`\n${markdown}`);
console.log(`Written: ${written.map((path) => path.replace(root, '')).join(', ')}`);
const failed = results.benches.filter((bench) => bench.status === 'failed');
if (failed.length > 0) {
  console.error(`bench: ${failed.length} failed: ${failed.map((bench) => bench.bench).join(', ')}`);
  process.exitCode = 1;
}
