/** Discord snowflakes: `(ms − 1420070400000) << 22 | worker << 17 | process << 12 | increment`. */

/** The Discord epoch, 2015-01-01T00:00:00.000Z, in epoch milliseconds. */
export const DISCORD_EPOCH = 1_420_070_400_000;

/**
 * The snowflake (as a decimal string) for an instant, with the given low 22 bits (worker, process,
 * increment); `low` 0 gives the smallest id of that millisecond, handy as a `before`/`after` cursor.
 */
export function snowflakeFromTime(time: Date | number, low = 0): string {
  const millis = typeof time === 'number' ? time : time.getTime();
  return ((BigInt(Math.trunc(millis) - DISCORD_EPOCH) << 22n) | BigInt(low & 0x3fffff)).toString();
}

/** The creation time (epoch milliseconds) a snowflake encodes. */
export function timeFromSnowflake(id: string | bigint): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** True for a decimal string that parses as an unsigned 64-bit snowflake. */
export function isSnowflake(value: string): boolean {
  return /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n;
}

/** An id for `millis` with `low` as its low 22 bits, as a bigint. */
export function snowflakeBigInt(millis: number, low: number): bigint {
  return (BigInt(Math.trunc(millis) - DISCORD_EPOCH) << 22n) | BigInt(low & 0x3fffff);
}

const DAY = 86_400_000;
let cachedDay = Number.NaN;
let cachedPrefix = '';
const pad2 = (value: number): string => (value < 10 ? `0${value}` : String(value));

/** Discord's wire timestamp form: `2026-10-31T22:15:03.123000+00:00`. */
export function discordTimestamp(millis: number): string {
  const time = Math.floor(millis);
  const day = Math.floor(time / DAY);
  if (day !== cachedDay) {
    // The date part changes rarely along a page: format it once per day.
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  const inDay = time - day * DAY;
  const ms = inDay % 1000;
  const seconds = Math.floor(inDay / 1000);
  return `${cachedPrefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}000+00:00`;
}
