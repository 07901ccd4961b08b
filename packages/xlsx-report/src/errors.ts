/** The stable codes of {@link XlsxReportError}. */
export type XlsxReportErrorCode =
  /** The data is not a usable `ReportData` (see `field`). */
  | 'INVALID_DATA'
  /** An option is invalid (see `field`). */
  | 'INVALID_OPTIONS'
  /** Writing the file failed (see `path` and `cause`). */
  | 'WRITE_FAILED'
  /** exceljs failed to produce the workbook (see `cause`). */
  | 'RENDER_FAILED';

const MARKER = Symbol.for('@clanstats/xlsx-report/XlsxReportError');

/** Every error thrown by this package: a stable `code`, facts in fields, upstream error as `cause`. */
export class XlsxReportError extends Error {
  override name = 'XlsxReportError' as const;
  /** What went wrong, stable across versions. */
  readonly code: XlsxReportErrorCode;
  /** The file involved (`WRITE_FAILED`). */
  readonly path?: string;
  /** The data field or option involved (`INVALID_DATA`, `INVALID_OPTIONS`), e.g. `timezone`. */
  readonly field?: string;
  /** The system error code of the failed file operation (`WRITE_FAILED`), e.g. `ENOENT`. */
  readonly syscallCode?: string;
  readonly [MARKER] = true;

  constructor(
    code: XlsxReportErrorCode,
    message: string,
    details: { path?: string; field?: string; syscallCode?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.path !== undefined) this.path = details.path;
    if (details.field !== undefined) this.field = details.field;
    if (details.syscallCode !== undefined) this.syscallCode = details.syscallCode;
  }
}

/** Whether `error` is an {@link XlsxReportError}, also across copies of this package. */
export function isXlsxReportError(error: unknown): error is XlsxReportError {
  return typeof error === 'object' && error !== null && MARKER in error;
}
