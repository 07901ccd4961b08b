/** Numbers and dates for people: 1.2M XP, 3.4 EHP, dates in the clan's time zone. */

const compactFormat = new Intl.NumberFormat('en', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const wholeFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const hoursFormat = new Intl.NumberFormat('en', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** The text shown for an unknown figure. */
export const UNKNOWN = '–';

/** 1234567 → `1.2M`; below 10,000 the whole number (`9,876`). */
export function compact(value: number | null | undefined): string {
  if (value === null || value === undefined) return UNKNOWN;
  return Math.abs(value) < 10_000 ? wholeFormat.format(value) : compactFormat.format(value);
}

/** 1234567 → `1,234,567`. */
export function whole(value: number | null | undefined): string {
  return value === null || value === undefined ? UNKNOWN : wholeFormat.format(value);
}

/** Hours to one decimal: `3.4`. */
export function hours(value: number | null | undefined): string {
  return value === null || value === undefined ? UNKNOWN : hoursFormat.format(value);
}

/** A number with its unit where it helps: `1.2M XP`, `3.4 EHP`. */
export function withUnit(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return UNKNOWN;
  return `${unit === 'EHP' || unit === 'EHB' ? hours(value) : compact(value)} ${unit}`;
}

/** Formats instants in the clan's time zone. */
export class ClanTime {
  readonly #date: Intl.DateTimeFormat;
  readonly #dateTime: Intl.DateTimeFormat;
  readonly #weekday: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.#date = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    this.#dateTime = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    this.#weekday = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' });
  }

  /** `24 Nov 2026`. */
  date(millis: number | null | undefined): string {
    return millis === null || millis === undefined ? UNKNOWN : this.#date.format(millis);
  }

  /** `24 Nov 2026, 18:00 CET`. */
  dateTime(millis: number): string {
    return this.#dateTime.format(millis);
  }

  /** `Tue`. */
  weekday(millis: number): string {
    return this.#weekday.format(millis);
  }
}

/** `YYYY-MM-DD` (a local date) → `24 Nov`. */
export function shortDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
  });
}

/** Whole days as people say them: `today`, `1 day`, `12 days`, `2.3 years`. */
export function days(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'never';
  if (value >= 730) return `${(value / 365).toFixed(1)} years`;
  return value === 1 ? '1 day' : `${wholeFormat.format(value)} days`;
}

/** `potentially_inactive` → `Potentially inactive`. */
export function label(text: string): string {
  const spaced = text.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
