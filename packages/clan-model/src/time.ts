import { ClanModelError } from './errors.js';

/** Milliseconds in a 24-hour period. */
export const DAY_MS = 86_400_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** A stretch of time with one UTC offset: `[start, end)`, offset in milliseconds (local − UTC). */
export interface OffsetSegment {
  start: number;
  end: number;
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks an IANA time zone name and returns its canonical spelling (`europe/amsterdam` →
 * `Europe/Amsterdam`).
 * @throws {@link ClanModelError} `INVALID_OPTIONS` for an unknown zone.
 */
export function checkTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new ClanModelError('INVALID_OPTIONS', `timeZone must be an IANA time zone name`, {
      option: 'timeZone',
      value: timeZone,
    });
  }
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch (error) {
    throw new ClanModelError(
      'INVALID_OPTIONS',
      `timeZone ${JSON.stringify(timeZone)} is not an IANA time zone this Node.js knows`,
      { option: 'timeZone', value: timeZone, cause: error },
    );
  }
}

/** The UTC offset of `timeZone` at `utcMs`, in milliseconds (local − UTC). */
export function offsetAt(timeZone: string, utcMs: number): number {
  const seconds = Math.floor(utcMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(new Date(seconds));
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((candidate) => candidate.type === type);
    return part === undefined ? 0 : Number(part.value);
  };
  const era = parts.find((part) => part.type === 'era')?.value;
  let year = field('year');
  if (era === 'BC' || era === 'B') year = 1 - year;
  const local = Date.UTC(
    year,
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return local - seconds;
}

/**
 * The offset segments of `timeZone` covering `[from, to]`: found by sampling every 6 hours and
 * narrowing each change to the millisecond. The first segment starts at `-Infinity` and the last
 * ends at `Infinity`, so any instant outside the range takes the nearest known offset.
 */
export function offsetSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const step = 6 * HOUR_MS;
  const segments: OffsetSegment[] = [];
  let previousTime = from;
  let previousOffset = offsetAt(timeZone, from);
  let start = -Infinity;
  for (let time = from + step; ; time = Math.min(time + step, to)) {
    const offset = offsetAt(timeZone, time);
    if (offset !== previousOffset) {
      // Narrow down to the first millisecond with the new offset.
      let low = previousTime;
      let high = time;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(timeZone, middle) === previousOffset) low = middle;
        else high = middle;
      }
      segments.push({ start, end: high, offset: previousOffset });
      start = high;
      previousOffset = offset;
    }
    previousTime = time;
    if (time >= to) break;
  }
  segments.push({ start, end: Infinity, offset: previousOffset });
  return segments;
}

/** Local calendar arithmetic for one time zone over a range, without calling Intl per instant. */
export class ZoneCalendar {
  readonly timeZone: string;
  readonly segments: readonly OffsetSegment[];

  constructor(timeZone: string, from: number, to: number) {
    this.timeZone = timeZone;
    this.segments = offsetSegments(timeZone, from, to);
  }

  /** The offset at `utcMs` (local − UTC, milliseconds). */
  offset(utcMs: number): number {
    for (const segment of this.segments) {
      if (utcMs < segment.end) return segment.offset;
    }
    return (this.segments[this.segments.length - 1] as OffsetSegment).offset;
  }

  /** The end (exclusive) of the offset segment holding `utcMs`: the next offset change. */
  segmentEnd(utcMs: number): number {
    for (const segment of this.segments) {
      if (utcMs < segment.end) return segment.end;
    }
    return Infinity;
  }

  /** The local day number (days since 1970-01-01 in local time) of an instant. */
  dayNumber(utcMs: number): number {
    return Math.floor((utcMs + this.offset(utcMs)) / DAY_MS);
  }

  /**
   * The first instant of a local day: local midnight, or when midnight does not exist (a DST gap
   * at midnight) the first instant whose local date is that day.
   */
  dayStart(dayNumber: number): number {
    const midnight = dayNumber * DAY_MS;
    let best = Infinity;
    for (const segment of this.segments) {
      const candidate = midnight - segment.offset;
      if (candidate >= segment.start && candidate < segment.end && candidate < best) {
        best = candidate;
      }
    }
    if (best !== Infinity) return best;
    for (const segment of this.segments) {
      if (Math.floor((segment.start + segment.offset) / DAY_MS) >= dayNumber) return segment.start;
    }
    return midnight - (this.segments[this.segments.length - 1] as OffsetSegment).offset;
  }

  /**
   * An SQL expression for the local time in milliseconds of the UTC-milliseconds SQL expression
   * `utcSql`: `utcSql + CASE …` over the few offset changes, so SQLite buckets rows by local time
   * without calling back into JavaScript. Every value inlined is an integer computed here.
   */
  localMillisSql(utcSql: string): string {
    if (this.segments.length === 1) {
      return `(${utcSql} + ${(this.segments[0] as OffsetSegment).offset})`;
    }
    const branches = this.segments
      .slice(0, -1)
      .map((segment) => `WHEN ${utcSql} < ${segment.end} THEN ${segment.offset}`)
      .join(' ');
    const last = (this.segments[this.segments.length - 1] as OffsetSegment).offset;
    return `(${utcSql} + CASE ${branches} ELSE ${last} END)`;
  }
}

/** The ISO calendar date (`YYYY-MM-DD`) of a local day number. */
export function dayNumberToDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Monday-first weekday (0 = Monday … 6 = Sunday) of a local day number (day 0 was a Thursday). */
export function mondayFirstWeekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}
