/** Stable codes carried by every {@link ClanModelError}. */
export const CLAN_MODEL_ERROR_CODES = [
  'NO_GROUP',
  'INVALID_OPTIONS',
  'STORE_OUTDATED',
  'QUERY_FAILED',
] as const;

/**
 * One of {@link CLAN_MODEL_ERROR_CODES}:
 *
 * - `NO_GROUP`: the store holds no WOM group, or not the requested `groupId`.
 * - `INVALID_OPTIONS`: an option or rule is invalid (time zone, `asOf`, weights, ladder...), or the
 *   store holds several groups and no `groupId` was given.
 * - `STORE_OUTDATED`: the store lacks a migration the model needs (`0004_discord_author_days`): run
 *   `store.migrations.up()`.
 * - `QUERY_FAILED`: SQLite refused a query (the store is not migrated to schema v3, or is damaged).
 */
export type ClanModelErrorCode = (typeof CLAN_MODEL_ERROR_CODES)[number];

const clanModelErrorMarker = Symbol.for('@clanstats/clan-model.ClanModelError');

/** Facts a {@link ClanModelError} may carry besides its code and message. */
export interface ClanModelErrorDetails {
  /** The option or rule at fault, as a dotted path (`timeZone`, `rules.score.window`). */
  option?: string | undefined;
  /** The rejected value. */
  value?: unknown;
  /** The group ids found in the store. */
  groupIds?: readonly number[] | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/** The one error class `@clanstats/clan-model` throws. Branch on `code`, never on the message. */
export class ClanModelError extends Error {
  override readonly name = 'ClanModelError';
  /** What went wrong; stable across versions. */
  readonly code: ClanModelErrorCode;
  /** The option or rule at fault (`INVALID_OPTIONS`), as a dotted path. */
  readonly option: string | undefined;
  /** The rejected value (`INVALID_OPTIONS`). */
  readonly value: unknown;
  /** The group ids found in the store (`NO_GROUP`, `INVALID_OPTIONS` for several groups). */
  readonly groupIds: readonly number[];
  readonly [clanModelErrorMarker] = true;

  constructor(code: ClanModelErrorCode, message: string, details: ClanModelErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.option = details.option;
    this.value = details.value;
    this.groupIds = details.groupIds ?? [];
  }
}

/** True for a {@link ClanModelError}, also across copies of this package (checks a global marker). */
export function isClanModelError(error: unknown): error is ClanModelError {
  return typeof error === 'object' && error !== null && clanModelErrorMarker in error;
}
