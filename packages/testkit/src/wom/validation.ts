import { METRICS, PERIODS, PERIOD_DURATIONS } from './enums.js';
import type { Metric, Period } from './enums.js';
import { validationError } from './errors.js';

const metricSet: ReadonlySet<string> = new Set(METRICS);
const periodSet: ReadonlySet<string> = new Set(PERIODS);

/** Reads a query parameter the way Express does (first value only). */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value ?? undefined;
}

/** `z.coerce.number().int().positive()` for a route parameter, with WOM's messages. */
export function parsePositiveInt(raw: string | undefined, name: string): number {
  if (raw === undefined) throw validationError(`Parameter '${name}' is undefined.`);
  const value = Number(raw);
  if (Number.isNaN(value)) throw validationError(`Parameter '${name}' is not a valid number.`);
  if (!Number.isInteger(value)) throw validationError('Expected integer, received float');
  if (value <= 0) throw validationError('Number must be greater than 0');
  return value;
}

/** `z.nativeEnum(Metric)`; `required` false makes it optional. */
export function parseMetric(query: URLSearchParams, required: true): Metric;
export function parseMetric(query: URLSearchParams, required: false): Metric | undefined;
export function parseMetric(query: URLSearchParams, required: boolean): Metric | undefined {
  const raw = queryValue(query, 'metric');
  if (raw === undefined) {
    if (required) throw validationError("Parameter 'metric' is undefined.");
    return undefined;
  }
  if (!metricSet.has(raw)) throw validationError("Invalid enum value for 'metric'.");
  return raw as Metric;
}

/** `z.nativeEnum(Period)` (the five fixed periods only). */
export function parseFixedPeriod(query: URLSearchParams, required: boolean): Period | undefined {
  const raw = queryValue(query, 'period');
  if (raw === undefined) {
    if (required) throw validationError("Parameter 'period' is undefined.");
    return undefined;
  }
  if (!periodSet.has(raw)) throw validationError("Invalid enum value for 'period'.");
  return raw as Period;
}

/** WOM's `getPaginationSchema(maxLimit)`: `limit` default 20 (≤ max), `offset` default 0. */
export function parsePagination(
  query: URLSearchParams,
  maxLimit: number,
): { limit: number; offset: number } {
  const rawLimit = queryValue(query, 'limit');
  const rawOffset = queryValue(query, 'offset');
  let limit = 20;
  let offset = 0;
  if (rawLimit !== undefined) {
    const value = Number(rawLimit);
    if (Number.isNaN(value)) throw validationError("Parameter 'limit' is not a valid number.");
    if (!Number.isInteger(value)) throw validationError('Expected integer, received float');
    if (value <= 0) throw validationError("Parameter 'limit' must be > 0.");
    if (value > maxLimit) {
      throw validationError(
        `The maximum results limit is ${maxLimit}. Please consider using the 'offset' parameter to load more data.`,
      );
    }
    limit = value;
  }
  if (rawOffset !== undefined) {
    const value = Number(rawOffset);
    if (Number.isNaN(value)) throw validationError("Parameter 'offset' is not a valid number.");
    if (!Number.isInteger(value)) throw validationError('Expected integer, received float');
    if (value < 0) throw validationError("Parameter 'offset' must be >= 0.");
    offset = value;
  }
  return { limit, offset };
}

/** WOM's `getDateSchema(name)`: any `new Date()`-parsable string (ISO, `YYYY-MM-DD`, `Date.toString()`). */
export function parseDate(query: URLSearchParams, name: string): Date | undefined {
  const raw = queryValue(query, name);
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  const asNumber = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const date = new Date(Number.isNaN(asNumber) ? trimmed : asNumber);
  if (trimmed === '' || Number.isNaN(date.getTime())) {
    throw validationError(`Parameter '${name}' is not a valid date.`);
  }
  return date;
}

const periodExpression = /^(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?$/;

/**
 * WOM's `parsePeriodExpression`: one of the five periods, or a custom expression such as `6h`,
 * `3d`, `2w`, `1m2w` (`m` = 31-day month, `y` = 365.2422 days). Returns the duration in
 * milliseconds, or null when unparsable.
 */
export function parsePeriodExpression(period: string): number | null {
  const fixed = PERIOD_DURATIONS[period as Period] as number | undefined;
  if (fixed !== undefined && periodSet.has(period)) return fixed;
  const lower = period.toLowerCase();
  const match = periodExpression.exec(lower);
  if (match === null || lower.length === 0) return null;
  const units = [
    PERIOD_DURATIONS.year,
    PERIOD_DURATIONS.month,
    PERIOD_DURATIONS.week,
    PERIOD_DURATIONS.day,
    3_600_000,
  ];
  let total = 0;
  for (let index = 0; index < units.length; index++) {
    const part = match[index + 1];
    if (part !== undefined) total += Number.parseInt(part, 10) * (units[index] ?? 0);
  }
  return total > 0 ? total : null;
}
