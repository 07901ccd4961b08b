/**
 * Discord snowflakes: 64-bit ids that encode their creation time in the top 42 bits
 * (`(ms - DISCORD_EPOCH) << 22`). All arithmetic and ordering here use `BigInt`, never `Number`:
 * 18–20 digit ids exceed `Number.MAX_SAFE_INTEGER`.
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */

/** The Discord epoch, 2015-01-01T00:00:00.000Z, in milliseconds since the Unix epoch. */
export const DISCORD_EPOCH = 1420070400000;

const DISCORD_EPOCH_BIG = BigInt(DISCORD_EPOCH);
const TIMESTAMP_SHIFT = 22n;
const MAX_UINT64 = (1n << 64n) - 1n;
/** The largest millisecond offset from the Discord epoch that fits in a snowflake (42 bits). */
const MAX_OFFSET_MS = Number(MAX_UINT64 >> TIMESTAMP_SHIFT);
/** Canonical decimal: `0`, or 1–20 digits without a leading zero. */
const SNOWFLAKE_PATTERN = /^(?:0|[1-9]\d{0,19})$/;

/**
 * Whether `value` is a snowflake in canonical form: a string of 1–20 decimal digits, without a
 * leading zero (except `'0'` itself), whose value fits in an unsigned 64-bit integer.
 *
 * Leading zeros are rejected so that equal ids are always equal strings (ids are deduplicated and
 * used as keys by string).
 *
 * @example
 * ```ts
 * isSnowflake('175928847299117063'); // true
 * isSnowflake('18446744073709551616'); // false: 2^64 does not fit
 * isSnowflake(175928847299117063); // false: numbers lose precision, ids are strings
 * ```
 */
export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && SNOWFLAKE_PATTERN.test(value) && BigInt(value) <= MAX_UINT64;
}

function toBigInt(id: string, name: string): bigint {
  if (!isSnowflake(id)) {
    throw new TypeError(`${name} is not a snowflake: ${JSON.stringify(id)}`);
  }
  return BigInt(id);
}

function checkedOrNull(id: string | null): string | null {
  if (id !== null) toBigInt(id, 'id');
  return id;
}

/**
 * The creation time encoded in a snowflake, in milliseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * new Date(snowflakeToTimestamp('175928847299117063')).toISOString(); // '2016-04-30T11:18:25.796Z'
 * ```
 * @throws TypeError when `id` is not a snowflake (see {@link isSnowflake}).
 */
export function snowflakeToTimestamp(id: string): number {
  return Number((toBigInt(id, 'id') >> TIMESTAMP_SHIFT) + DISCORD_EPOCH_BIG);
}

/**
 * The smallest snowflake created at a time (worker, process and increment bits all zero), for use as
 * a `before`/`after` cursor. Fractional milliseconds are floored. Times before the Discord epoch
 * give `'0'`, which sorts before every real id.
 *
 * @param time - milliseconds since the Unix epoch, or a `Date`.
 * @example
 * ```ts
 * snowflakeFromTimestamp(Date.UTC(2016, 3, 30, 11, 18, 25, 796)); // '175928847298985984'
 * ```
 * @throws RangeError when `time` is not finite (including an invalid `Date`) or lies after the
 * last time a snowflake can encode (about the year 2154).
 */
export function snowflakeFromTimestamp(time: number | Date): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Cannot make a snowflake from a non-finite time: ${String(ms)}`);
  }
  const offset = Math.floor(ms) - DISCORD_EPOCH;
  if (offset <= 0) return '0';
  if (offset > MAX_OFFSET_MS) {
    throw new RangeError(`Time ${ms} is after the last time a snowflake can encode`);
  }
  return (BigInt(offset) << TIMESTAMP_SHIFT).toString();
}

/**
 * Orders two snowflakes numerically (which is also chronologically): negative when `a` is older,
 * positive when newer, `0` when equal. Suitable for `Array.prototype.sort`.
 *
 * @throws TypeError when either argument is not a snowflake.
 */
export function compareSnowflakes(a: string, b: string): number {
  const left = toBigInt(a, 'a');
  const right = toBigInt(b, 'b');
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The newer of two snowflakes, where `null` means "none" (so the other one wins);
 * `null` only when both are `null`. Handy for advancing a `newestId` checkpoint.
 *
 * @throws TypeError when a non-null argument is not a snowflake.
 */
export function maxSnowflake(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return checkedOrNull(a ?? b);
  return compareSnowflakes(a, b) >= 0 ? a : b;
}

/**
 * The older of two snowflakes, where `null` means "none" (so the other one wins);
 * `null` only when both are `null`. Handy for advancing an `oldestId` checkpoint.
 *
 * @throws TypeError when a non-null argument is not a snowflake.
 */
export function minSnowflake(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return checkedOrNull(a ?? b);
  return compareSnowflakes(a, b) <= 0 ? a : b;
}
