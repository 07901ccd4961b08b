import { XlsxReportError } from './errors.js';

const DAY_MS = 86_400_000;

/**
 * Converts instants to the clan's wall-clock time as `Date`s whose UTC fields hold that local time:
 * Excel has no time zones, and exceljs writes a `Date` by its UTC fields.
 */
export class LocalClock {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (error) {
      throw new XlsxReportError('INVALID_DATA', `Unknown time zone in data.timezone: ${timeZone}`, {
        field: 'timezone',
        cause: error,
      });
    }
    this.timeZone = timeZone;
  }

  /** The wall-clock time of `millis` in the zone, fields as UTC. */
  localMillis(millis: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.#format.formatToParts(millis)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const field = (name: string): number => parts[name] ?? 0;
    return Date.UTC(
      field('year'),
      field('month') - 1,
      field('day'),
      field('hour'),
      field('minute'),
      field('second'),
      millis % 1000 < 0 ? 1000 + (millis % 1000) : millis % 1000,
    );
  }

  /** The local date-time of an ISO instant, or `null` for `null`/unparseable input. */
  dateTime(iso: string | null | undefined): Date | null {
    if (iso === null || iso === undefined) return null;
    const millis = Date.parse(iso);
    if (Number.isNaN(millis)) return null;
    return new Date(this.localMillis(millis));
  }

  /** The local calendar date (midnight) of an ISO instant, or `null`. */
  date(iso: string | null | undefined): Date | null {
    const local = this.dateTime(iso);
    if (local === null) return null;
    return new Date(Math.floor(local.getTime() / DAY_MS) * DAY_MS);
  }
}

/** `YYYYMMDD-HHmmss` of a `Date` whose UTC fields hold the wanted wall-clock time. */
export function compactStamp(local: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return (
    `${local.getUTCFullYear()}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}-` +
    `${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}${pad(local.getUTCSeconds())}`
  );
}
