import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { XlsxReportError } from './errors.js';
import type { ReportData, ReportWindowKey } from './report-data.js';
import { REPORT_WINDOWS, SHEET_BUILDERS, type SheetContext } from './sheets.js';
import { addStreamedSheet, addTableSheet, withQuotePrefix } from './table-sheet.js';
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
  /**
   * Whether to write with exceljs's streaming `WorkbookWriter` (rows committed as they are added,
   * an autoFilter instead of Excel Tables) rather than the in-memory `Workbook` (Excel Tables).
   * `'auto'` streams when the report has more than `streamingThreshold` members.
   * @defaultValue `'auto'`
   */
  streaming?: boolean | 'auto';
  /**
   * The member count above which `streaming: 'auto'` streams.
   * @defaultValue `STREAMING_THRESHOLD` (1,500)
   */
  streamingThreshold?: number;
}

/**
 * The member count above which the report is streamed by default: up to it, the in-memory
 * `Workbook` (with Excel Tables) stays within 5 s and 400 MB peak RSS (see bench/README.md).
 */
export const STREAMING_THRESHOLD = 1500;

/** The defaults of {@link RenderOptions}. */
export const DefaultRenderOptions = {
  window: '30d',
  dateFormat: 'yyyy-mm-dd',
  now: () => new Date(),
  streaming: 'auto',
  streamingThreshold: STREAMING_THRESHOLD,
} as const satisfies Required<RenderOptions>;

/** A rendered workbook. */
export interface RenderedReport {
  buffer: Buffer;
  sheets: string[];
  clock: LocalClock;
}

/** A workbook streamed to a writable stream. */
export interface StreamedReport {
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
    streaming: options.streaming ?? DefaultRenderOptions.streaming,
    streamingThreshold: options.streamingThreshold ?? DefaultRenderOptions.streamingThreshold,
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
  const streaming: unknown = resolved.streaming;
  if (streaming !== true && streaming !== false && streaming !== 'auto')
    throw new XlsxReportError(
      'INVALID_OPTIONS',
      "Invalid option streaming: expected true, false or 'auto'",
      { field: 'streaming' },
    );
  if (!Number.isInteger(resolved.streamingThreshold) || resolved.streamingThreshold < 0)
    throw new XlsxReportError(
      'INVALID_OPTIONS',
      'Invalid option streamingThreshold: expected a member count (an integer, 0 or more)',
      { field: 'streamingThreshold' },
    );
  return resolved;
}

/** Whether the report is streamed: `streaming`, or for `'auto'`, more members than the threshold. */
export function shouldStream(data: ReportData, options: Required<RenderOptions>): boolean {
  validateReportData(data);
  if (options.streaming === 'auto') return data.members.length > options.streamingThreshold;
  return options.streaming;
}

interface XlsxInternals {
  addStyles: (
    zip: { append: (data: string, options: { name: string }) => void },
    model: { styles: { xml: string } },
  ) => Promise<void>;
}

function createContext(data: ReportData, options: Required<RenderOptions>): SheetContext {
  validateReportData(data);
  return {
    data,
    clock: new LocalClock(data.timezone),
    window: options.window,
    generator: `@clanstats/xlsx-report ${VERSION}`,
  };
}

function renderFailed(error: unknown): XlsxReportError {
  if (error instanceof XlsxReportError) return error;
  return new XlsxReportError(
    'RENDER_FAILED',
    `Rendering the workbook failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/** Renders the workbook in memory (`Workbook`, with Excel Tables). */
export async function renderReport(
  data: ReportData,
  options: Required<RenderOptions>,
): Promise<RenderedReport> {
  const context = createContext(data, options);
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
    return {
      buffer,
      sheets: workbook.worksheets.map((sheet) => sheet.name),
      clock: context.clock,
    };
  } catch (error) {
    throw renderFailed(error);
  }
}

interface WriterInternals {
  zip: { append: (data: string, options: { name: string }) => void };
  styles: { xml: string };
  addStyles: () => Promise<void>;
}

/**
 * Streams the workbook to `output` with exceljs's `stream.xlsx.WorkbookWriter`: each sheet is
 * built, written row by row (each row committed as it is added) and committed before the next
 * sheet is built. Resolves when `output` has finished; `output`'s errors reject.
 */
export async function streamReport(
  data: ReportData,
  options: Required<RenderOptions>,
  output: Writable,
): Promise<StreamedReport> {
  const context = createContext(data, options);
  const created = new Date(Date.parse(data.generatedAt));
  try {
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: output,
      useStyles: true,
      useSharedStrings: true,
    });
    writer.creator = 'ClanStats';
    writer.created = created;
    writer.modified = created;
    // As in renderReport: quotePrefix on the text-format cell styles, written at commit.
    const internals = writer as unknown as WriterInternals;
    internals.addStyles = () => {
      internals.zip.append(withQuotePrefix(internals.styles.xml), { name: 'xl/styles.xml' });
      return Promise.resolve();
    };
    const sheets: string[] = [];
    for (const build of SHEET_BUILDERS) {
      const spec = build(context);
      addStreamedSheet(writer, spec, options);
      sheets.push(spec.name);
    }
    await writer.commit();
    return { sheets, clock: context.clock };
  } catch (error) {
    throw renderFailed(error);
  }
}
