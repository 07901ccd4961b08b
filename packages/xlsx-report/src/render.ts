import ExcelJS from 'exceljs';
import { XlsxReportError } from './errors.js';
import type { ReportData, ReportWindowKey } from './report-data.js';
import { REPORT_WINDOWS, SHEET_BUILDERS, type SheetContext } from './sheets.js';
import { addTableSheet, withQuotePrefix } from './table-sheet.js';
import { LocalClock } from './time.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;

/** The options of rendering, without the file path. */
export interface RenderOptions {
  /**
   * The window of the Skills and Bosses sheets (the Summary always shows all four).
   * @defaultValue `'30d'`
   */
  window?: ReportWindowKey;
  /**
   * The Excel number format of dates (date-times add ` hh:mm`), e.g. `'dd/mm/yyyy'`.
   * @defaultValue `'yyyy-mm-dd'`
   */
  dateFormat?: string;
  /**
   * The clock, for the fallback file name of `writeClanReport`.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/** The defaults of {@link RenderOptions}. */
export const DefaultRenderOptions = {
  window: '30d',
  dateFormat: 'yyyy-mm-dd',
  now: () => new Date(),
} as const satisfies Required<RenderOptions>;

/** A rendered workbook. */
export interface RenderedReport {
  buffer: Buffer;
  sheets: string[];
  clock: LocalClock;
}

const invalid = (field: string, message: string): XlsxReportError =>
  new XlsxReportError('INVALID_DATA', `Invalid report data: ${message}`, { field });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the parts of the data the report relies on; throws `INVALID_DATA` naming the field. */
export function validateReportData(data: unknown): asserts data is ReportData {
  if (!isObject(data)) throw invalid('', 'expected an object (a parsed clan_data.json)');
  if (typeof data.timezone !== 'string') throw invalid('timezone', 'timezone must be a string');
  for (const field of ['asOf', 'generatedAt'] as const) {
    const value = data[field];
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw invalid(field, `${field} must be an ISO 8601 instant`);
  }
  if (!isObject(data.group)) throw invalid('group', 'group must be an object');
  if (!isObject(data.rules)) throw invalid('rules', 'rules must be an object');
  if (!isObject(data.totals)) throw invalid('totals', 'totals must be an object');
  for (const field of [
    'members',
    'formerMembers',
    'events',
    'rankUps',
    'unmatchedDiscord',
  ] as const) {
    if (!Array.isArray(data[field])) throw invalid(field, `${field} must be an array`);
  }
  if (data.channels !== undefined && !Array.isArray(data.channels))
    throw invalid('channels', 'channels must be an array when present');
  (data.members as unknown[]).forEach((member, index) => {
    if (!isObject(member) || typeof member.displayName !== 'string')
      throw invalid(`members[${index}]`, `members[${index}] has no displayName`);
    const windows = member.windows;
    for (const window of REPORT_WINDOWS) {
      if (!isObject(windows) || !isObject(windows[window]))
        throw invalid(
          `members[${index}].windows.${window}`,
          `members[${index}] lacks window ${window}`,
        );
    }
  });
  for (const window of REPORT_WINDOWS) {
    if (!isObject(data.totals[window]))
      throw invalid(`totals.${window}`, `totals lack window ${window}`);
  }
}

/** Fills in and checks the options; throws `INVALID_OPTIONS` naming the option. */
export function resolveRenderOptions(options: RenderOptions): Required<RenderOptions> {
  const resolved = {
    window: options.window ?? DefaultRenderOptions.window,
    dateFormat: options.dateFormat ?? DefaultRenderOptions.dateFormat,
    now: options.now ?? DefaultRenderOptions.now,
  };
  if (!REPORT_WINDOWS.includes(resolved.window))
    throw new XlsxReportError(
      'INVALID_OPTIONS',
      `Invalid option window: ${resolved.window as string} (expected one of ${REPORT_WINDOWS.join(', ')})`,
      { field: 'window' },
    );
  if (typeof resolved.dateFormat !== 'string' || resolved.dateFormat.trim() === '')
    throw new XlsxReportError(
      'INVALID_OPTIONS',
      'Invalid option dateFormat: expected an Excel date format',
      {
        field: 'dateFormat',
      },
    );
  if (typeof resolved.now !== 'function')
    throw new XlsxReportError('INVALID_OPTIONS', 'Invalid option now: expected a function', {
      field: 'now',
    });
  return resolved;
}

interface XlsxInternals {
  addStyles: (
    zip: { append: (data: string, options: { name: string }) => void },
    model: { styles: { xml: string } },
  ) => Promise<void>;
}

/** Renders the workbook in memory. */
export async function renderReport(
  data: ReportData,
  options: Required<RenderOptions>,
): Promise<RenderedReport> {
  validateReportData(data);
  const clock = new LocalClock(data.timezone);
  const context: SheetContext = {
    data,
    clock,
    window: options.window,
    generator: `@clanstats/xlsx-report ${VERSION}`,
  };
  try {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'ClanStats';
    workbook.created = new Date(Date.parse(data.generatedAt));
    workbook.modified = workbook.created;
    workbook.calcProperties.fullCalcOnLoad = false;
    for (const build of SHEET_BUILDERS) addTableSheet(workbook, build(context), options);
    // exceljs has no quotePrefix: add it to the text-format cell styles of formula-like text.
    const xlsx = workbook.xlsx as unknown as XlsxInternals;
    xlsx.addStyles = (zip, model) => {
      zip.append(withQuotePrefix(model.styles.xml), { name: 'xl/styles.xml' });
      return Promise.resolve();
    };
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return { buffer, sheets: workbook.worksheets.map((sheet) => sheet.name), clock };
  } catch (error) {
    if (error instanceof XlsxReportError) throw error;
    throw new XlsxReportError(
      'RENDER_FAILED',
      `Rendering the workbook failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
