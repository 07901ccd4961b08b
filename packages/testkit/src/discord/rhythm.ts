/** The daily and weekly rhythm of a clan's Discord, in the clan's time zone. */
import { TestkitError } from '../errors.js';
import type { Random } from '../random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One calendar day in the time zone. */
export interface LocalDay {
  /** UTC epoch milliseconds of local midnight. */
  readonly start: number;
  /** UTC epoch milliseconds of the next local midnight. */
  readonly end: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** The UTC offset at local noon, in milliseconds (local = UTC + offset). */
  readonly offset: number;
}

/** Relative message volume by weekday (Sunday first): busier at the weekend. */
const WEEKDAY_FACTORS = [1.2, 0.9, 0.95, 1, 1, 1.1, 1.25] as const;

/** Relative message volume by local hour: quiet at night, evening peak; flatter at weekends. */
const WORKDAY_HOURS = [
  3, 2, 1.2, 0.7, 0.5, 0.5, 0.8, 1.5, 2.2, 2.6, 3, 3.4, 4, 4.2, 4.3, 4.6, 5.4, 6.6, 7.8, 8.8, 9.3,
  9, 7.4, 5,
];
const WEEKEND_HOURS = [
  4.5, 3.3, 2.2, 1.3, 0.8, 0.6, 0.7, 1.2, 2.2, 3.4, 4.8, 5.8, 6.4, 6.6, 6.6, 6.6, 6.8, 7.2, 7.8,
  8.4, 8.8, 8.6, 7.5, 6,
];

function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => {
    total += weight;
    sums[index] = total;
  });
  return sums;
}

const WORKDAY_CUMULATIVE = cumulative(WORKDAY_HOURS);
const WEEKEND_CUMULATIVE = cumulative(WEEKEND_HOURS);

/** The relative volume of a day (weekday factor). */
export function dayFactor(day: LocalDay): number {
  return WEEKDAY_FACTORS[day.weekday] ?? 1;
}

/** A random instant within `day`, following the hour-of-day curve (UTC epoch milliseconds). */
export function sampleTimeInDay(random: Random, day: LocalDay): number {
  const sums = day.weekday === 0 || day.weekday === 6 ? WEEKEND_CUMULATIVE : WORKDAY_CUMULATIVE;
  const roll = random.next() * (sums[23] ?? 1);
  let low = 0;
  let high = 23;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sums[middle] ?? 0) <= roll) low = middle + 1;
    else high = middle;
  }
  const time = day.start + low * HOUR + Math.floor(random.next() * HOUR);
  return Math.min(day.end - 1, Math.max(day.start, time));
}

/** Throws `INVALID_OPTIONS` unless `timeZone` is an IANA zone `Intl` knows. */
export function checkTimeZone(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch (error) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      `createSyntheticDiscord: unknown timeZone ${JSON.stringify(timeZone)}`,
      { option: 'timeZone', cause: error },
    );
  }
}

/** The local calendar date and UTC offset of an instant. */
function localParts(
  format: Intl.DateTimeFormat,
  instant: number,
): { year: number; month: number; day: number; offset: number } {
  const values: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const year = values.year ?? 1970;
  const month = (values.month ?? 1) - 1;
  const day = values.day ?? 1;
  const local = Date.UTC(year, month, day, values.hour ?? 0, values.minute ?? 0);
  const offset = Math.round((local - Math.floor(instant / 60_000) * 60_000) / 60_000) * 60_000;
  return { year, month, day, offset };
}

/** The local days overlapping [startMs, endMs), in order. */
export function localDays(startMs: number, endMs: number, timeZone: string): LocalDay[] {
  const format = checkTimeZone(timeZone);
  // Offsets are within ±14 h, so 12:00 UTC of a date is on that local date (or its DST twin).
  const offsetAtNoon = (date: number): number => localParts(format, date + 12 * HOUR).offset;
  const first = localParts(format, startMs);
  const days: LocalDay[] = [];
  let date = Date.UTC(first.year, first.month, first.day);
  let offset = offsetAtNoon(date);
  while (date - offset < endMs) {
    const nextOffset = offsetAtNoon(date + DAY);
    days.push({
      start: date - offset,
      end: date + DAY - nextOffset,
      weekday: new Date(date).getUTCDay(),
      offset,
    });
    date += DAY;
    offset = nextOffset;
  }
  return days;
}
