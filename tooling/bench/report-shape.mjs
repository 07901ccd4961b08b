// The machine-readable result of one benchmark: what a package's bench script writes to the file
// named by CLANSTATS_BENCH_JSON, and what tooling/bench/run.mjs collects into
// bench/results/latest.json. Plain JSON; documented here with JSDoc types and checked by
// validateBenchReport(). See bench/README.md for what each field means in the combined table.

/** The version of the shape below, written as `schema` in every report. */
export const BENCH_REPORT_SCHEMA = 1;

/** The comparison operators a {@link BenchTarget} may use. */
export const TARGET_OPERATORS = ['<', '<=', '>', '>=', '=='];

/**
 * A target from the issue, such as "at least 300,000 rows/s": `{ op: '>=', value: 300000 }`.
 * The measured value is on the left: `value op target.value`.
 * @typedef {object} BenchTarget
 * @property {'<' | '<=' | '>' | '>=' | '=='} op The comparison.
 * @property {number} value The bound, in the row's unit.
 * @property {string} [text] How the issue words it, when the bound alone would mislead
 *   (e.g. "within 10 % of the floor time (200.4 s)").
 */

/**
 * The other side of a comparison, measured in the same run of the same bench script
 * (e.g. `@wise-old-man/utils` against `@clanstats/wom-client`).
 * @typedef {object} BenchBaseline
 * @property {string} name What it is, e.g. "@wise-old-man/utils 4.0.24".
 * @property {number | null} value Its figure, in the row's unit (null: it has none, e.g. it failed).
 * @property {string} [note] A caveat, e.g. "extrapolated from a 60 s time box".
 */

/**
 * One measured figure.
 * @typedef {object} BenchRow
 * @property {string} name What was measured, e.g. "1,000,000 Discord messages".
 * @property {string} metric Which figure, e.g. "ingest rate", "wall time", "peak RSS".
 * @property {number | null} value The figure (null: not measured, see `status` and `note`).
 * @property {string} unit The unit of `value`, `target.value` and `baseline.value`: "ms", "s",
 *   "rows/s", "MB", "requests", "%", …
 * @property {'lower' | 'higher'} [better] Which direction is better; default "lower".
 * @property {BenchTarget} [target] The target, if any.
 * @property {boolean} [met] Whether the target is met; the runner computes it from `target`
 *   when the bench leaves it out.
 * @property {BenchBaseline} [baseline] The other side of a comparison.
 * @property {number | null} [ratio] `value / baseline.value`; the runner computes it when left
 *   out. Read it with `better`: below 1 is better when lower is better.
 * @property {'ok' | 'failed' | 'not available'} [status] Default "ok".
 * @property {string} [note] One short caveat shown in the table.
 * @property {Record<string, unknown>} [details] Further figures (runs, RSS samples, …), JSON only.
 */

/**
 * What one bench script writes.
 * @typedef {object} BenchReport
 * @property {1} schema {@link BENCH_REPORT_SCHEMA}.
 * @property {string} bench A stable id, e.g. "store-ingest".
 * @property {string} package The package it measures, e.g. "@clanstats/store".
 * @property {string} title A human title, e.g. "Store ingest".
 * @property {Record<string, string | number | boolean>} [settings] The sizes used (after
 *   BENCH_* environment overrides), e.g. `{ messages: 1000000 }`.
 * @property {BenchRow[]} rows The figures, in display order.
 * @property {string[]} [notes] Sentences worth keeping with the figures.
 * @property {unknown} [raw] The bench's own complete figures, as it prints them.
 */

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumberOrNull = (value) =>
  value === null || (typeof value === 'number' && Number.isFinite(value));

/**
 * Checks that `value` has the {@link BenchReport} shape.
 * @param {unknown} value
 * @returns {string[]} The problems found, each naming the field; empty when valid.
 */
export function validateBenchReport(value) {
  const problems = [];
  if (!isObject(value)) return ['report: must be an object'];
  if (value.schema !== BENCH_REPORT_SCHEMA) problems.push(`schema: must be ${BENCH_REPORT_SCHEMA}`);
  for (const key of ['bench', 'package', 'title']) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      problems.push(`${key}: must be a non-empty string`);
    }
  }
  if (value.settings !== undefined && !isObject(value.settings)) {
    problems.push('settings: must be an object');
  }
  if (value.notes !== undefined) {
    if (!Array.isArray(value.notes) || value.notes.some((note) => typeof note !== 'string')) {
      problems.push('notes: must be an array of strings');
    }
  }
  if (!Array.isArray(value.rows)) {
    problems.push('rows: must be an array');
    return problems;
  }
  value.rows.forEach((row, index) => {
    const at = `rows[${index}]`;
    if (!isObject(row)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    for (const key of ['name', 'metric', 'unit']) {
      if (typeof row[key] !== 'string') problems.push(`${at}.${key}: must be a string`);
    }
    if (!isNumberOrNull(row.value)) problems.push(`${at}.value: must be a finite number or null`);
    if (row.better !== undefined && row.better !== 'lower' && row.better !== 'higher') {
      problems.push(`${at}.better: must be "lower" or "higher"`);
    }
    if (row.target !== undefined) {
      if (!isObject(row.target) || !TARGET_OPERATORS.includes(row.target.op)) {
        problems.push(`${at}.target.op: must be one of ${TARGET_OPERATORS.join(' ')}`);
      } else if (typeof row.target.value !== 'number' || !Number.isFinite(row.target.value)) {
        problems.push(`${at}.target.value: must be a finite number`);
      }
    }
    if (row.met !== undefined && typeof row.met !== 'boolean') {
      problems.push(`${at}.met: must be a boolean`);
    }
    if (row.baseline !== undefined) {
      if (!isObject(row.baseline) || typeof row.baseline.name !== 'string') {
        problems.push(`${at}.baseline.name: must be a string`);
      } else if (!isNumberOrNull(row.baseline.value)) {
        problems.push(`${at}.baseline.value: must be a finite number or null`);
      }
    }
    if (row.ratio !== undefined && !isNumberOrNull(row.ratio)) {
      problems.push(`${at}.ratio: must be a finite number or null`);
    }
    if (row.status !== undefined && !['ok', 'failed', 'not available'].includes(row.status)) {
      problems.push(`${at}.status: must be "ok", "failed" or "not available"`);
    }
    if (row.details !== undefined && !isObject(row.details)) {
      problems.push(`${at}.details: must be an object`);
    }
  });
  return problems;
}
