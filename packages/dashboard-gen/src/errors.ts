/** The stable codes of {@link DashboardError}. */
export type DashboardErrorCode =
  /** The data is not a usable `DashboardData` (see `field`). */
  | 'INVALID_DATA'
  /** An option is invalid (see `field`). */
  | 'INVALID_OPTIONS'
  /** The templates or the page's script could not be read or rendered (see `cause`). */
  | 'RENDER_FAILED'
  /** Writing a file failed (see `path`, `syscallCode` and `cause`). */
  | 'WRITE_FAILED'
  /** Copying the outputs to the deploy folder failed (see `path`, `syscallCode` and `cause`). */
  | 'DEPLOY_FAILED'
  /** An image could not be read or used as an icon (see `path`). */
  | 'ICON_INVALID';

const MARKER = Symbol.for('@clanstats/dashboard-gen/DashboardError');

/** Every error thrown by this package: a stable `code`, facts in fields, upstream error as `cause`. */
export class DashboardError extends Error {
  override name = 'DashboardError' as const;
  /** What went wrong, stable across versions. */
  readonly code: DashboardErrorCode;
  /** The file or folder involved (`WRITE_FAILED`, `DEPLOY_FAILED`, `ICON_INVALID`). */
  readonly path?: string;
  /** The data field or option involved (`INVALID_DATA`, `INVALID_OPTIONS`), e.g. `members[3].windows`. */
  readonly field?: string;
  /** The system error code of the failed file operation, e.g. `EACCES`. */
  readonly syscallCode?: string;
  readonly [MARKER] = true;

  constructor(
    code: DashboardErrorCode,
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

/** Whether `error` is a {@link DashboardError}, also across copies of this package. */
export function isDashboardError(error: unknown): error is DashboardError {
  return typeof error === 'object' && error !== null && MARKER in error;
}

/** The `code` of a Node.js system error (`EACCES`, `ENOSPC`…), if it has one. */
export function syscallCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}
