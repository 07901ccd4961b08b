import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { XlsxReportError } from './errors.js';
import type { ReportData, ReportWindowKey } from './report-data.js';
import { type RenderOptions, renderReport, resolveRenderOptions } from './render.js';
import { compactStamp } from './time.js';

/** The file name of the report, as the original ClanStats wrote it. */
export const REPORT_FILE_NAME = 'clan_report_summary_merged.xlsx';

/** Options of {@link writeClanReport}. */
export interface WriteReportOptions {
  /** The file to write, e.g. `join(outDir, REPORT_FILE_NAME)`. Its folder must exist. */
  path: string;
  /**
   * The window of the Skills and Bosses sheets.
   * @defaultValue `'30d'`
   */
  window?: ReportWindowKey;
  /**
   * The Excel number format of dates (date-times add ` hh:mm`).
   * @defaultValue `'yyyy-mm-dd'`
   */
  dateFormat?: string;
  /**
   * The clock, for the fallback file name (its time in the clan's time zone).
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/** What {@link writeClanReport} wrote. */
export interface WriteReportResult {
  /** The file written: `options.path`, or the timestamped copy beside it. */
  path: string;
  /** True when the target was locked and a timestamped copy was written. */
  fallback: boolean;
  /** The file's size in bytes. */
  bytes: number;
  /** The sheet names, in order. */
  sheets: string[];
}

/** Error codes of a target that is locked or open elsewhere (Excel on Windows holds a lock). */
const LOCKED_CODES = new Set(['EBUSY', 'EPERM', 'EACCES']);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** Writes `buffer` to a temporary file beside `target`, then renames it over `target`. */
async function writeAtomically(target: string, buffer: Buffer): Promise<void> {
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, buffer, { flag: 'wx' });
  } catch (error) {
    const code = codeOf(error);
    throw new XlsxReportError(
      'WRITE_FAILED',
      `Writing the report failed: cannot create ${temporary}`,
      {
        path: temporary,
        ...(code === undefined ? {} : { syscallCode: code }),
        cause: error,
      },
    );
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Renders the report and writes it to `options.path` atomically (a temporary file in the same
 * folder, then a rename). When the target is locked or open elsewhere (`EBUSY`, `EPERM`, `EACCES`),
 * it writes `<name>-YYYYMMDD-HHmmss.xlsx` beside it instead and returns `fallback: true`.
 *
 * @throws {@link XlsxReportError} `INVALID_DATA`, `INVALID_OPTIONS`, `RENDER_FAILED`, `WRITE_FAILED`.
 */
export async function writeClanReport(
  data: ReportData,
  options: WriteReportOptions,
): Promise<WriteReportResult> {
  if (typeof options.path !== 'string' || options.path === '')
    throw new XlsxReportError('INVALID_OPTIONS', 'Invalid option path: expected a file path', {
      field: 'path',
    });
  const { path, ...renderOptions } = options;
  const resolved = resolveRenderOptions(renderOptions);
  const { buffer, sheets, clock } = await renderReport(data, resolved);
  const result = { fallback: false, bytes: buffer.byteLength, sheets };
  try {
    await writeAtomically(path, buffer);
    return { path, ...result };
  } catch (error) {
    if (error instanceof XlsxReportError) throw error;
    const code = codeOf(error);
    if (code === undefined || !LOCKED_CODES.has(code)) {
      throw new XlsxReportError(
        'WRITE_FAILED',
        `Writing the report failed: ${path} (${code ?? 'error'})`,
        {
          path,
          ...(code === undefined ? {} : { syscallCode: code }),
          cause: error,
        },
      );
    }
  }
  const extension = extname(path);
  const stamp = compactStamp(new Date(clock.localMillis(resolved.now().getTime())));
  const fallbackPath = join(dirname(path), `${basename(path, extension)}-${stamp}${extension}`);
  try {
    await writeAtomically(fallbackPath, buffer);
  } catch (error) {
    if (error instanceof XlsxReportError) throw error;
    const code = codeOf(error);
    throw new XlsxReportError(
      'WRITE_FAILED',
      `Writing the report failed: ${path} is locked and the copy ${fallbackPath} failed too (${code ?? 'error'})`,
      { path: fallbackPath, ...(code === undefined ? {} : { syscallCode: code }), cause: error },
    );
  }
  return { path: fallbackPath, ...result, fallback: true };
}

/**
 * Renders the report in memory and returns the `.xlsx` bytes (for tests and other tools).
 *
 * @throws {@link XlsxReportError} `INVALID_DATA`, `INVALID_OPTIONS`, `RENDER_FAILED`.
 */
export async function renderClanReport(
  data: ReportData,
  options: Omit<WriteReportOptions, 'path'> = {},
): Promise<Buffer> {
  const { buffer } = await renderReport(
    data,
    resolveRenderOptions(options satisfies RenderOptions),
  );
  return buffer;
}
