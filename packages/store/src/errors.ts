/** Stable codes carried by every {@link StoreError}. */
export const STORE_ERROR_CODES = [
  'OPEN_FAILED',
  'READ_ONLY',
  'MIGRATION_FAILED',
  'SCHEMA_TOO_NEW',
  'SCHEMA_OUTDATED',
  'INTEGRITY_CHECK_FAILED',
  'BACKUP_FAILED',
  'BACKUP_NOT_FOUND',
  'RESTORE_FAILED',
  'INVALID_INPUT',
] as const;

/** One of {@link STORE_ERROR_CODES}. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

const storeErrorMarker = Symbol.for('@clanstats/store.StoreError');

/** Facts a {@link StoreError} may carry besides its code and message. */
export interface StoreErrorDetails {
  /** The database file the error is about. */
  path?: string | undefined;
  /** The migration that failed or that is unknown to this version. */
  migration?: string | undefined;
  /** The problems `PRAGMA integrity_check` or `foreign_key_check` reported. */
  problems?: readonly string[];
  /** The underlying error. */
  cause?: unknown;
}

/** The one error class `@clanstats/store` throws. Branch on `code`, never on the message. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly path: string | undefined;
  readonly migration: string | undefined;
  readonly problems: readonly string[];
  readonly [storeErrorMarker] = true;

  constructor(code: StoreErrorCode, message: string, details: StoreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
    this.migration = details.migration;
    this.problems = details.problems ?? [];
  }
}

/** True for a {@link StoreError}, also across copies of this package (checks a global marker). */
export function isStoreError(error: unknown): error is StoreError {
  return typeof error === 'object' && error !== null && storeErrorMarker in error;
}
