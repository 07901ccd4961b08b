import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { basename, dirname, extname, join } from 'node:path';
import { XlsxReportError } from './errors.js';
import type { ReportData, ReportWindowKey } from './report-data.js';
import {
  type RenderOptions,
  renderReport,
  resolveRenderOptions,
  shouldStream,
  streamReport,
} from './render.js';
import { compactStamp, LocalClock } from './time.js';

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
  /**
   * Whether to write with exceljs's streaming `WorkbookWriter`: the file is written row by row
   * (much less memory), with an autoFilter over each sheet's main table instead of Excel Tables.
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
  /** True when the streaming writer wrote the file (an autoFilter instead of Excel Tables). */
  streamed: boolean;
}

/** Error codes of a target that is locked or open elsewhere (Excel on Windows holds a lock). */
const LOCKED_CODES = new Set(['EBUSY', 'EPERM', 'EACCES']);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** Writes the temporary file's contents (created with `wx`); returns the bytes written. */
type WriteTemporary = (temporary: string) => Promise<number>;

/** A temporary file name beside `target`. */
const temporaryBeside = (target: string): string =>
  join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );

/**
 * Writes a temporary file beside `target` with `write`, then renames it over `target`. A failure
 * to create it is `WRITE_FAILED`; a render failure removes it and is rethrown as is; a failed
 * rename removes it and is rethrown (the caller decides about locked targets).
 */
async function writeAtomically(target: string, write: WriteTemporary): Promise<number> {
  const temporary = temporaryBeside(target);
  let bytes: number;
  try {
    bytes = await write(temporary);
  } catch (error) {
    if (error instanceof XlsxReportError) {
      await rm(temporary, { force: true });
      throw error;
    }
    const code = codeOf(error);
    await rm(temporary, { force: true }).catch(() => undefined);
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
  return bytes;
}

/** Writes a rendered buffer (the in-memory workbook). */
const writeBuffer =
  (buffer: Buffer): WriteTemporary =>
  async (temporary) => {
    await writeFile(temporary, buffer, { flag: 'wx' });
    return buffer.byteLength;
  };

/**
 * Streams the report into the temporary file. Rendering failures are `RENDER_FAILED`; file
 * failures (creating, writing, closing) keep their `code`.
 */
async function streamToFile(
  temporary: string,
  render: (output: Writable) => Promise<unknown>,
): Promise<number> {
  const handle = await open(temporary, 'wx');
  const output = handle.createWriteStream();
  // The handle closes itself after the stream ends or fails; wait for that before the rename.
  const closed = once(output, 'close').catch(() => undefined);
  // A write error before the writer listens (it does only at the end) must not go unhandled.
  let streamError: Error | undefined;
  output.on('error', (error) => {
    streamError ??= error;
  });
  try {
    await render(output);
  } catch (error) {
    output.destroy();
    await closed;
    throw streamError ?? error;
  }
  await closed;
  if (streamError !== undefined) throw streamError;
  return output.bytesWritten;
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
  const streamed = shouldStream(data, resolved);
  const clock = new LocalClock(data.timezone);
  let sheets: string[] = [];
  let write: WriteTemporary;
  if (streamed) {
    // Streamed straight into the temporary file. The timestamped copy of a locked target is
    // streamed again (a rare case), so that both go through the same atomic write.
    write = (temporary) =>
      streamToFile(temporary, async (output) => {
        ({ sheets } = await streamReport(data, resolved, output));
      });
  } else {
    const rendered = await renderReport(data, resolved);
    ({ sheets } = rendered);
    write = writeBuffer(rendered.buffer);
  }
  try {
    const bytes = await writeAtomically(path, write);
    return { path, fallback: false, bytes, sheets, streamed };
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
  let bytes: number;
  try {
    bytes = await writeAtomically(fallbackPath, write);
  } catch (error) {
    if (error instanceof XlsxReportError) throw error;
    const code = codeOf(error);
    throw new XlsxReportError(
      'WRITE_FAILED',
      `Writing the report failed: ${path} is locked and the copy ${fallbackPath} failed too (${code ?? 'error'})`,
      { path: fallbackPath, ...(code === undefined ? {} : { syscallCode: code }), cause: error },
    );
  }
  return { path: fallbackPath, fallback: true, bytes, sheets, streamed };
}

/**
 * Renders the report and returns the `.xlsx` bytes (for tests and other tools). With `streaming`
 * (or `'auto'` above the threshold), the streaming writer writes into the buffer: the same file
 * as `writeClanReport` would write, without the in-memory workbook (the bytes are still held).
 *
 * @throws {@link XlsxReportError} `INVALID_DATA`, `INVALID_OPTIONS`, `RENDER_FAILED`.
 */
export async function renderClanReport(
  data: ReportData,
  options: Omit<WriteReportOptions, 'path'> = {},
): Promise<Buffer> {
  const resolved = resolveRenderOptions(options satisfies RenderOptions);
  if (!shouldStream(data, resolved)) return (await renderReport(data, resolved)).buffer;
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await streamReport(data, resolved, output);
  return Buffer.concat(chunks);
}
