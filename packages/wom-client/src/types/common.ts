import type { Period, PeriodExpression } from '../enums.js';

/**
 * The type of every date in a response: `Date` when the client parses dates (the default), or the
 * server's ISO-8601 string (`2026-08-01T09:41:57.103Z`) with `parseDates: false`.
 *
 * Every response type takes it as its `Dates` parameter, defaulting to `Date`, so `Player` is a
 * player with `Date` fields and `Player<string>` one with strings. A client made with
 * `new WomClient({ parseDates: false })` is a `WomClient<string>` and returns the string forms.
 */
export type WireDate = Date | string;

/**
 * A map from metric name to value that keeps metrics this version does not know: the known keys
 * are always present and precisely typed, and any other key (a metric added to Wise Old Man after
 * this release) is still there at runtime, typed `Value | undefined`.
 */
export type UnknownMetrics<Value> = Record<string, Value | undefined>;

/** A change in one number between two snapshots. */
export interface MetricDelta {
  /**
   * How much it went up. Never negative for values; for ranks a negative number is an
   * improvement.
   */
  gained: number;
  /** The value at the start; `-1` when unranked (or 0, which the server reports as `-1`). */
  start: number;
  /** The value at the end; `-1` when unranked. */
  end: number;
}

/** A time range given as a period: the last week, or a custom expression such as `6h` or `2w`. */
export interface PeriodRange {
  /** A fixed {@link Period}, or a custom {@link PeriodExpression} (`6h`, `3d`, `1m2w`). */
  period: Period | PeriodExpression;
  startDate?: never;
  endDate?: never;
}

/** A time range given by two instants. Both are sent as ISO-8601. */
export interface DateRange {
  /** The start of the range: a `Date`, or a string the server can parse (ISO-8601 preferred). */
  startDate: Date | string;
  /** The end of the range, after `startDate`. */
  endDate: Date | string;
  period?: never;
}

/** Either a {@link PeriodRange} or a {@link DateRange}. */
export type TimeRange = PeriodRange | DateRange;

/** Per-request options every endpoint method accepts as its last argument. */
export interface CallOptions {
  /** Aborts the request (and any retry wait). The promise then rejects. */
  signal?: AbortSignal | undefined;
}

/** {@link CallOptions} plus the page to load, for paginated endpoints. */
export interface PageOptions extends CallOptions {
  /**
   * How many rows to return. The server's default is 20; its maximum is 50 for most lists and
   * 200 for snapshots.
   */
  limit?: number | undefined;
  /** How many rows to skip. @defaultValue `0` */
  offset?: number | undefined;
}

/** {@link CallOptions} for the `iterate…` methods, which load every page in turn. */
export interface IterateOptions extends CallOptions {
  /**
   * Rows per request. The iterator stops after the first page shorter than this. Defaults to
   * the endpoint's maximum (50, or 200 for snapshots), which needs the fewest requests.
   */
  pageSize?: number | undefined;
  /** Rows to skip before the first page. @defaultValue `0` */
  offset?: number | undefined;
}
