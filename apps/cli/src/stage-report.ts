/**
 * The `report` stage: computes the clan model from the store for the run's as-of time (the same
 * model `export` writes as clan_data.json) and writes the Excel report,
 * `clan_report_summary_merged.xlsx`, into `CLANSTATS_OUT_DIR` with `@clanstats/xlsx-report`.
 */
import { join } from 'node:path';
import { toClanData } from '@clanstats/clan-model';
import type { Store } from '@clanstats/store';
import { isXlsxReportError, REPORT_FILE_NAME, writeClanReport } from '@clanstats/xlsx-report';
import { ClanstatsError } from './errors.js';
import { outputWriteError } from './file-errors.js';
import { CORE_SETTINGS, readSettings } from './settings.js';
import { buildClanSummary, ensureOutputFolder } from './stage-export.js';
import type { StageContext, StageOutput } from './stage-runtime.js';

/** Runs the report into `CLANSTATS_OUT_DIR`. */
export async function runReport(
  context: StageContext,
  store: Store,
  asOf: number,
): Promise<StageOutput> {
  const settings = readSettings(context.env, context.cwd, {
    validate: [...CORE_SETTINGS, 'CLANSTATS_OUT_DIR', 'CLANSTATS_TIMEZONE'],
    require: [],
  });
  const { summary, rules } = buildClanSummary(context, store, asOf);
  ensureOutputFolder(settings.outDir);
  const target = join(settings.outDir, REPORT_FILE_NAME);
  try {
    const { report } = rules;
    const result = await writeClanReport(toClanData(summary), {
      path: target,
      window: report.window,
      dateFormat: report.dateFormat,
    });
    if (result.fallback) {
      context.logger.warn(
        `${target} is open in another program or locked, so the report was written to ${result.path} instead. Close the old report to have the next run replace it.`,
      );
    } else {
      context.logger.success(
        `Wrote ${result.path}: ${summary.members.length} members as of ${new Date(asOf).toISOString()} (${summary.timezone}).`,
      );
    }
    return {
      counts: { members: summary.members.length, bytes: result.bytes },
      details: { report: result.path, fallback: result.fallback, sheets: result.sheets },
    };
  } catch (error) {
    if (isXlsxReportError(error) && error.code === 'WRITE_FAILED') {
      throw outputWriteError(
        'the report',
        target,
        { setting: 'CLANSTATS_OUT_DIR', folder: settings.outDir },
        error,
        'The previous report, if any, is unchanged.',
      );
    }
    if (isXlsxReportError(error)) {
      throw new ClanstatsError(
        'STAGE_FAILED',
        `${error.message}. Check that CLANSTATS_OUT_DIR (${settings.outDir}) is a writable folder with free space; the previous report, if any, is unchanged.`,
        { cause: error },
      );
    }
    throw error;
  }
}
