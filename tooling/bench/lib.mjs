// The pure parts of tooling/bench/run.mjs: argument parsing, target and ratio evaluation, the
// Markdown table. No I/O here, so lib.test.mjs can test them directly.

/** Every benchmark id the runner knows, in run order. */
export const BENCH_IDS = [
  'store',
  'wom',
  'discord',
  'clan-model',
  'xlsx',
  'dashboard',
  'demo',
  'stages',
];

/** The usage text of `node tooling/bench/run.mjs --help`. */
export const USAGE = `Usage: node tooling/bench/run.mjs [options]   (pnpm bench builds first, then runs this)

Runs every benchmark one after another, then writes bench/results/latest.json, latest.md and a
dated copy.

Options:
  --only <ids>     Comma-separated subset of: ${BENCH_IDS.join(', ')}
  --quick          Smaller sizes where a bench supports them (targets are for the full sizes)
  --runs <n>       Spawns per stage for the process start cost (default 5)
  --out <dir>      Where results go (default bench/results)
  --update-latest  With --only: replace those benchmarks' entries in latest.json and latest.md,
                   keeping the others (e.g. to re-run one that failed)
  --help           This text

A full run takes about 15 minutes on 2 cores (Discord 1,000,000 messages: ~6 min; WOM older
server: ~2 min). Runs with --only or --quick write only a dated copy, never latest.*.`;

/**
 * @typedef {object} RunnerOptions
 * @property {string[]} only The benchmark ids to run, in run order.
 * @property {boolean} quick Smaller sizes.
 * @property {number} runs Spawns per stage.
 * @property {string} out The results folder (relative to the repository root unless absolute).
 * @property {boolean} partial Whether this is less than a full run (--only or --quick).
 * @property {boolean} help Whether --help was given.
 * @property {boolean} updateLatest Merge into latest.json instead of leaving it alone.
 */

/**
 * Parses the runner's command line.
 * @param {readonly string[]} argv The arguments after the script.
 * @returns {RunnerOptions}
 * @throws {Error} On an unknown option, a missing value or an unknown benchmark id.
 */
export function parseArgs(argv) {
  const options = {
    only: [...BENCH_IDS],
    quick: false,
    runs: 5,
    out: 'bench/results',
    help: false,
    updateLatest: false,
  };
  let onlyGiven = false;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const [flag, inline] = argument.startsWith('--') ? argument.split(/=(.*)/s, 2) : [argument];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      index += 1;
      return next;
    };
    switch (flag) {
      case '--':
        break;
      case '--only': {
        const ids = value()
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '');
        const unknown = ids.filter((id) => !BENCH_IDS.includes(id));
        if (unknown.length > 0) {
          throw new Error(
            `--only: unknown benchmark ${unknown.join(', ')}; known: ${BENCH_IDS.join(', ')}`,
          );
        }
        if (ids.length === 0) throw new Error('--only needs at least one benchmark id');
        options.only = BENCH_IDS.filter((id) => ids.includes(id));
        onlyGiven = true;
        break;
      }
      case '--quick':
        options.quick = true;
        break;
      case '--runs': {
        const runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1)
          throw new Error('--runs must be a whole number >= 1');
        options.runs = runs;
        break;
      }
      case '--out':
        options.out = value();
        break;
      case '--update-latest':
        options.updateLatest = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${argument}; see --help`);
    }
  }
  if (options.updateLatest && options.quick) {
    throw new Error('--update-latest cannot be used with --quick');
  }
  return {
    ...options,
    partial: options.quick || (onlyGiven && options.only.length < BENCH_IDS.length),
  };
}

/**
 * Whether `value` meets `target`.
 * @param {number | null} value
 * @param {import('./report-shape.mjs').BenchTarget | undefined} target
 * @returns {boolean | undefined} undefined when there is no target or no value.
 */
export function evaluateTarget(value, target) {
  if (target === undefined || value === null || value === undefined) return undefined;
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
    case '==':
      return value === target.value;
    default:
      throw new Error(`unknown target operator ${String(target.op)}`);
  }
}

/**
 * `value / baseline`, or null when either is missing or the baseline is 0.
 * @param {number | null | undefined} value
 * @param {number | null | undefined} baseline
 * @returns {number | null}
 */
export function computeRatio(value, baseline) {
  if (typeof value !== 'number' || typeof baseline !== 'number' || baseline === 0) return null;
  return value / baseline;
}

/**
 * A row with `status`, `better`, `met` (when it has a target) and `ratio` (when it has a
 * baseline) filled in; what the bench gave wins.
 * @param {import('./report-shape.mjs').BenchRow} row
 * @returns {import('./report-shape.mjs').BenchRow}
 */
export function finalizeRow(row) {
  const done = { status: 'ok', better: 'lower', ...row };
  if (done.target !== undefined && done.met === undefined) {
    const met = evaluateTarget(done.value, done.target);
    if (met !== undefined) done.met = met;
  }
  if (done.baseline !== undefined && done.ratio === undefined) {
    done.ratio = computeRatio(done.value, done.baseline.value);
  }
  return done;
}

/**
 * A number for a table: grouped thousands, fewer decimals the larger it is.
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 || Number.isInteger(value) ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/**
 * A value with its unit: "1,234 ms", "12.5 %".
 * @param {number | null | undefined} value
 * @param {string} unit
 */
export function formatValue(value, unit) {
  const number = formatNumber(value);
  if (number === '–' || unit === '') return number;
  return `${number} ${unit}`;
}

const OPERATOR_TEXT = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };

/**
 * A target for a table: "≥ 300,000 rows/s", or its own wording.
 * @param {import('./report-shape.mjs').BenchTarget | undefined} target
 * @param {string} unit
 */
export function formatTarget(target, unit) {
  if (target === undefined) return '';
  const bound = `${OPERATOR_TEXT[target.op] ?? target.op} ${formatValue(target.value, unit)}`;
  return target.text === undefined ? bound : `${target.text} (${bound})`;
}

/**
 * A ratio for a table: "0.25× (better)". Within 2 % of 1 reads "same".
 * @param {number | null | undefined} ratio
 * @param {'lower' | 'higher'} better
 */
export function formatRatio(ratio, better = 'lower') {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '';
  const digits = ratio >= 10 ? 1 : ratio >= 0.1 ? 2 : 3;
  const text = `${ratio.toLocaleString('en-US', { maximumFractionDigits: digits })}×`;
  if (Math.abs(ratio - 1) <= 0.02) return `${text} (same)`;
  const isBetter = better === 'higher' ? ratio > 1 : ratio < 1;
  return `${text} (${isBetter ? 'better' : 'worse'})`;
}

/** Escapes a cell for a Markdown table. */
export const cell = (text) =>
  String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

/**
 * The median of `values` (the mean of the middle two for an even count).
 * @param {readonly number[]} values
 * @returns {number | null}
 */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The stage result line of `node dist/stage.js`: the last non-empty stdout line, parsed.
 * @param {string} stdout
 * @returns {{ stage: string, status: string, durationMs: number } | undefined}
 */
export function parseStageResult(stdout) {
  const last = stdout
    .split('\n')
    .map((line) => line.trim())
    .findLast((line) => line !== '');
  if (last === undefined) return undefined;
  try {
    const result = JSON.parse(last);
    if (typeof result?.durationMs !== 'number' || typeof result.stage !== 'string')
      return undefined;
    return result;
  } catch {
    return undefined;
  }
}

/**
 * The time each pipeline stage took, from output lines stamped on arrival: a stage runs from its
 * "Stage i/n: <name>" line to the next one (the last one to `endMs`).
 * @param {ReadonlyArray<{ atMs: number, line: string }>} lines
 * @param {number} endMs
 * @returns {Array<{ stage: string, ms: number }>}
 */
export function stageSplit(lines, endMs) {
  const starts = [];
  for (const { atMs, line } of lines) {
    const match = /Stage \d+\/\d+: ([\w-]+)/.exec(line);
    if (match !== null) starts.push({ stage: match[1], atMs });
  }
  return starts.map((start, index) => ({
    stage: start.stage,
    ms: Math.round((starts[index + 1]?.atMs ?? endMs) - start.atMs),
  }));
}

/**
 * The dated file name stem: `2026-11-25-1405` (UTC).
 * @param {Date} date
 */
export function datedStem(date) {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

const loadText = (load) => (load ?? []).map((value) => value.toFixed(2)).join(' / ');

/**
 * @typedef {object} CombinedResults What run.mjs writes to latest.json.
 * @property {1} schema
 * @property {string} startedAt ISO 8601.
 * @property {number} durationSeconds The whole run.
 * @property {boolean} quick
 * @property {boolean} partial
 * @property {string[]} only
 * @property {{ cpus: number, model: string, node: string, platform: string, memoryGb: number,
 *   loadStart: number[], loadEnd: number[], commit?: string }} machine
 * @property {Array<import('./report-shape.mjs').BenchReport & { status: 'ok' | 'failed' | 'not available',
 *   error?: string, seconds?: number, loadStart?: number[], loadEnd?: number[] }>} benches
 */

/**
 * The combined Markdown table of a run.
 * @param {CombinedResults} results
 * @returns {string}
 */
export function renderMarkdown(results) {
  const { machine } = results;
  const lines = [];
  lines.push('# ClanStats benchmarks: latest run', '');
  lines.push(
    `${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpus} × ${machine.model}, ` +
      `${machine.memoryGb} GB, Node ${machine.node} (${machine.platform})` +
      (machine.commit === undefined ? '' : `, commit ${machine.commit}`) +
      `. Load average (1/5/15 min) ${loadText(machine.loadStart)} at the start, ` +
      `${loadText(machine.loadEnd)} at the end. The whole run took ${formatNumber(Math.round(results.durationSeconds / 6) / 10)} min.`,
  );
  if (results.quick) {
    lines.push(
      '',
      '**Quick run: reduced sizes. The targets are for the full sizes; do not compare.**',
    );
  }
  if (results.partial && !results.quick) lines.push('', `Partial run: ${results.only.join(', ')}.`);
  for (const update of results.updates ?? []) {
    lines.push(
      '',
      `Re-run at ${update.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`--only ${update.only.join(',')} --update-latest\` (${formatNumber(update.durationSeconds)} s): those rows replace the first run's; their load averages are in "Runs".`,
    );
  }
  lines.push(
    '',
    'Ratio = ours ÷ the baseline, both measured in the same run of the same script (so machine',
    'load affects both); read it with the direction: for times and counts lower is better, for',
    'rates and "succeeded" higher is better. `MISSED` marks a target not met.',
    '',
    '| Benchmark | Measured | Baseline (same run) | Ratio | Target | Met |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const bench of results.benches) {
    if (bench.status !== 'ok' && bench.rows.length === 0) {
      lines.push(
        `| ${cell(bench.title)} | **${bench.status}**${bench.error === undefined ? '' : `: ${cell(bench.error)}`} |  |  |  |  |`,
      );
      continue;
    }
    for (const raw of bench.rows) {
      const row = finalizeRow(raw);
      const name = `${bench.title}: ${row.name}, ${row.metric}`;
      const measured = row.status === 'ok' ? formatValue(row.value, row.unit) : `**${row.status}**`;
      const note = row.note === undefined ? '' : ` (${row.note})`;
      const baseline =
        row.baseline === undefined
          ? ''
          : `${row.baseline.name}: ${formatValue(row.baseline.value, row.unit)}` +
            (row.baseline.note === undefined ? '' : ` (${row.baseline.note})`);
      const met = row.met === undefined ? '' : row.met ? 'met' : '**MISSED**';
      lines.push(
        `| ${cell(name)} | ${cell(measured + note)} | ${cell(baseline)} | ${cell(formatRatio(row.ratio, row.better))} | ${cell(formatTarget(row.target, row.unit))} | ${met} |`,
      );
    }
    if (bench.status === 'failed') {
      lines.push(`| ${cell(bench.title)} | **failed**: ${cell(bench.error ?? '')} |  |  |  |  |`);
    }
  }
  lines.push(
    '',
    '## Runs',
    '',
    '| Benchmark | Package | Status | Time | Load average before → after |',
  );
  lines.push('| --- | --- | --- | --- | --- |');
  for (const bench of results.benches) {
    lines.push(
      `| ${cell(bench.bench)} | ${cell(bench.package)} | ${bench.status} | ${bench.seconds === undefined ? '' : `${formatNumber(bench.seconds)} s`} | ${loadText(bench.loadStart)} → ${loadText(bench.loadEnd)} |`,
    );
  }
  const notes = results.benches.flatMap((bench) =>
    (bench.notes ?? []).map((note) => `- ${bench.title}: ${note}`),
  );
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes);
  lines.push('', 'Reproduce: `pnpm bench` (see bench/README.md).', '');
  return lines.join('\n');
}

/**
 * `latest` with the benchmarks of `fresh` put in place of its entries of the same id (appended
 * when new), in run order; the machine's load at the end and the merge noted.
 * @param {CombinedResults} latest
 * @param {CombinedResults} fresh
 * @returns {CombinedResults}
 */
export function mergeResults(latest, fresh) {
  const replaced = new Set(fresh.benches.map((bench) => bench.runnerId ?? bench.bench));
  const kept = latest.benches.filter((bench) => !replaced.has(bench.runnerId ?? bench.bench));
  const order = (bench) => BENCH_IDS.indexOf(bench.runnerId ?? bench.bench);
  const benches = [...kept, ...fresh.benches].sort((left, right) => order(left) - order(right));
  return {
    ...latest,
    benches,
    machine: { ...latest.machine, loadEnd: fresh.machine.loadEnd },
    updates: [
      ...(latest.updates ?? []),
      { startedAt: fresh.startedAt, only: fresh.only, durationSeconds: fresh.durationSeconds },
    ],
  };
}
