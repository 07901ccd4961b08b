import { describe, expect, it } from 'vitest';
import {
  BENCH_IDS,
  computeRatio,
  datedStem,
  evaluateTarget,
  finalizeRow,
  formatNumber,
  formatRatio,
  formatTarget,
  median,
  parseArgs,
  parseStageResult,
  renderMarkdown,
  stageSplit,
} from './lib.mjs';
import { validateBenchReport } from './report-shape.mjs';

describe('parseArgs', () => {
  it('runs everything by default', () => {
    expect(parseArgs([])).toEqual({
      only: BENCH_IDS,
      quick: false,
      runs: 5,
      out: 'bench/results',
      help: false,
      updateLatest: false,
      partial: false,
    });
  });
  it('takes --only in run order, --quick, --runs and --out', () => {
    const options = parseArgs(['--only', 'discord,wom', '--quick', '--runs=3', '--out', '/tmp/x']);
    expect(options).toMatchObject({
      only: ['wom', 'discord'],
      quick: true,
      runs: 3,
      out: '/tmp/x',
    });
    expect(options.partial).toBe(true);
    expect(parseArgs(['--only', BENCH_IDS.join(',')]).partial).toBe(false);
  });
  it('refuses unknown ids and options', () => {
    expect(() => parseArgs(['--only', 'wom,nope'])).toThrow(/unknown benchmark nope/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseArgs(['--only'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--quick', '--update-latest'])).toThrow(/--update-latest/);
  });
});

describe('targets and ratios', () => {
  it('evaluates each operator', () => {
    expect(evaluateTarget(300_000, { op: '>=', value: 300_000 })).toBe(true);
    expect(evaluateTarget(29.9, { op: '<', value: 30 })).toBe(true);
    expect(evaluateTarget(30, { op: '<', value: 30 })).toBe(false);
    expect(evaluateTarget(0, { op: '==', value: 0 })).toBe(true);
    expect(evaluateTarget(null, { op: '<', value: 1 })).toBeUndefined();
    expect(evaluateTarget(1, undefined)).toBeUndefined();
  });
  it('computes ratios as ours ÷ baseline', () => {
    expect(computeRatio(566, 817)).toBeCloseTo(0.6928, 3);
    expect(computeRatio(5, 0)).toBeNull();
    expect(computeRatio(null, 3)).toBeNull();
  });
  it('fills met and ratio, keeping what the bench gave', () => {
    const row = finalizeRow({
      name: 'x',
      metric: 'requests',
      value: 566,
      unit: 'requests',
      target: { op: '<=', value: 566 },
      baseline: { name: 'them', value: 817 },
    });
    expect(row).toMatchObject({ met: true, status: 'ok', better: 'lower' });
    expect(row.ratio).toBeCloseTo(0.693, 3);
    const given = finalizeRow({
      name: 'x',
      metric: 'm',
      value: 1,
      unit: 's',
      target: { op: '<', value: 0 },
      met: true,
    });
    expect(given.met).toBe(true);
  });
  it('formats figures for the table', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(null)).toBe('–');
    expect(formatTarget({ op: '>=', value: 300_000 }, 'rows/s')).toBe('≥ 300,000 rows/s');
    expect(formatRatio(0.25, 'lower')).toBe('0.25× (better)');
    expect(formatRatio(7.71, 'higher')).toBe('7.71× (better)');
    expect(formatRatio(1.01, 'lower')).toBe('1.01× (same)');
    expect(formatRatio(2, 'lower')).toBe('2× (worse)');
    expect(formatRatio(null)).toBe('');
  });
});

describe('helpers', () => {
  it('takes the median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  it('reads the stage result line', () => {
    expect(
      parseStageResult('noise\n{"protocol":1,"stage":"migrate","status":"ok","durationMs":41}\n'),
    ).toMatchObject({ durationMs: 41 });
    expect(parseStageResult('not json\n')).toBeUndefined();
    expect(parseStageResult('')).toBeUndefined();
  });
  it('splits the pipeline by its stage lines', () => {
    const lines = [
      { atMs: 100, line: '◐ [run] Stage 1/2: backup' },
      { atMs: 150, line: 'something' },
      { atMs: 400, line: '◐ [run] Stage 2/2: migrate' },
    ];
    expect(stageSplit(lines, 1000)).toEqual([
      { stage: 'backup', ms: 300 },
      { stage: 'migrate', ms: 600 },
    ]);
  });
  it('names dated copies in UTC', () => {
    expect(datedStem(new Date('2026-11-25T14:05:59Z'))).toBe('2026-11-25-1405');
  });
});

describe('validateBenchReport', () => {
  it('accepts a minimal report and names what is wrong', () => {
    const report = { schema: 1, bench: 'b', package: '@clanstats/x', title: 'B', rows: [] };
    expect(validateBenchReport(report)).toEqual([]);
    expect(
      validateBenchReport({
        ...report,
        rows: [{ name: 'n', metric: 'm', value: 'fast', unit: 's', target: { op: '~', value: 1 } }],
      }),
    ).toEqual([
      'rows[0].value: must be a finite number or null',
      'rows[0].target.op: must be one of < <= > >= ==',
    ]);
  });
});

describe('renderMarkdown', () => {
  it('renders one table with baselines, ratios, targets and failures', () => {
    const markdown = renderMarkdown({
      schema: 1,
      startedAt: '2026-11-25T14:05:00.000Z',
      durationSeconds: 900,
      quick: false,
      partial: false,
      only: BENCH_IDS,
      machine: {
        cpus: 2,
        model: 'CPU',
        memoryGb: 8,
        node: 'v20.20.2',
        platform: 'linux',
        loadStart: [1, 2, 3],
        loadEnd: [2, 2, 2],
      },
      benches: [
        {
          schema: 1,
          bench: 'wom-harvest',
          package: '@clanstats/wom-client',
          title: 'WOM harvest',
          status: 'ok',
          seconds: 130,
          loadStart: [1, 1, 1],
          loadEnd: [2, 2, 2],
          rows: [
            {
              name: 'older server',
              metric: 'requests',
              value: 566,
              unit: 'requests',
              target: { op: '<=', value: 566 },
              baseline: { name: '@wise-old-man/utils', value: 817 },
            },
          ],
        },
        {
          schema: 1,
          bench: 'xlsx',
          package: '@clanstats/xlsx-report',
          title: 'xlsx',
          status: 'failed',
          error: 'exit code 1: boom',
          rows: [],
        },
      ],
    });
    expect(markdown).toContain(
      '| WOM harvest: older server, requests | 566 requests | @wise-old-man/utils: 817 requests | 0.69× (better) | ≤ 566 requests | met |',
    );
    expect(markdown).toContain('| xlsx | **failed**: exit code 1: boom |');
    expect(markdown).toContain('2 × CPU');
    expect(markdown).toContain('The whole run took 15 min.');
  });
});
