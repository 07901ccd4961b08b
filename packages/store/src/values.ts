import { StoreError } from './errors.js';

/** An instant as the store accepts it: a `Date`, an ISO 8601 string, or epoch milliseconds. */
export type Instant = Date | string | number;

/** Converts an {@link Instant} to epoch milliseconds, rejecting invalid dates. */
export function toMillis(instant: Instant, field = 'instant'): number {
  const millis =
    typeof instant === 'number'
      ? instant
      : instant instanceof Date
        ? instant.getTime()
        : Date.parse(instant);
  if (!Number.isFinite(millis)) {
    throw new StoreError('INVALID_INPUT', `${field} is not a valid date: ${String(instant)}`);
  }
  return millis;
}

/** {@link toMillis} for optional fields: `null` and `undefined` stay `null`. */
export function toMillisOrNull(instant: Instant | null | undefined, field?: string): number | null {
  return instant === null || instant === undefined ? null : toMillis(instant, field);
}

/** A Discord snowflake: a decimal string of an unsigned 64-bit integer. */
export type Snowflake = string;

const snowflakePattern = /^\d{1,20}$/;
const maxSignedInt64 = 2n ** 63n - 1n;
const maxSignedInt64Text = maxSignedInt64.toString();

/**
 * Checks a snowflake and returns it unchanged, for binding to an INTEGER column: SQLite stores the
 * decimal string as a 64-bit integer without going through a JavaScript number.
 */
export function checkSnowflake(id: Snowflake, field = 'id'): Snowflake {
  if (
    typeof id !== 'string' ||
    !snowflakePattern.test(id) ||
    (id.length >= 19 && (id.length > 19 || id > maxSignedInt64Text))
  ) {
    throw new StoreError(
      'INVALID_INPUT',
      `${field} is not a Discord snowflake: ${JSON.stringify(id)}`,
    );
  }
  return id;
}

/**
 * Checks a snowflake and returns it as a `BigInt` for binding to an INTEGER column. Snowflakes are
 * never passed through `Number`, which would lose precision.
 */
export function snowflakeToBigInt(id: Snowflake, field = 'id'): bigint {
  if (!snowflakePattern.test(id)) {
    throw new StoreError(
      'INVALID_INPUT',
      `${field} is not a Discord snowflake: ${JSON.stringify(id)}`,
    );
  }
  const value = BigInt(id);
  if (value > maxSignedInt64) {
    throw new StoreError('INVALID_INPUT', `${field} is out of range for a snowflake: ${id}`);
  }
  return value;
}

const discordEpoch = 1_420_070_400_000n;

/** The creation time (epoch milliseconds) encoded in a snowflake. */
export function snowflakeToMillis(id: Snowflake): number {
  return Number((snowflakeToBigInt(id) >> 22n) + discordEpoch);
}

/** The smallest snowflake that could have been created at `instant`, for id-range queries. */
export function millisToSnowflake(instant: Instant): Snowflake {
  const millis = BigInt(Math.max(0, toMillis(instant))) - discordEpoch;
  return (millis < 0n ? 0n : millis << 22n).toString();
}

/**
 * WOM's own name normalisation (`standardizeUsername`): each `-`, `_` and whitespace character
 * becomes a space, then the name is trimmed and lowercased. `Sir_Gowi`, `sir-gowi` and ` SIR GOWI `
 * are the same name. Like WOM, runs are not collapsed: `a__b` is `a  b`, not `a b`.
 *
 * @see https://github.com/wise-old-man/wise-old-man `server/src/api/modules/players/player.utils.ts`
 */
export function normalizeRsn(name: string): string {
  return name
    .replace(/[-_\s]/g, ' ')
    .trim()
    .toLowerCase();
}

/** `true`/`false` as SQLite 0/1. */
export function toFlag(value: boolean | undefined): 0 | 1 {
  return value === true ? 1 : 0;
}
