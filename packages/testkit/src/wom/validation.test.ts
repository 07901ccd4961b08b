import { describe, expect, it } from 'vitest';
import { PERIOD_DURATIONS, parsePeriodExpression } from '../index.js';
import { parseDate, parsePagination } from './validation.js';

describe('parsePeriodExpression', () => {
  it('accepts the five periods and custom expressions', () => {
    expect(parsePeriodExpression('week')).toBe(PERIOD_DURATIONS.week);
    expect(parsePeriodExpression('five_min')).toBe(300_000);
    expect(parsePeriodExpression('6h')).toBe(6 * 3_600_000);
    expect(parsePeriodExpression('3d')).toBe(3 * 86_400_000);
    expect(parsePeriodExpression('1m2w')).toBe(PERIOD_DURATIONS.month + 2 * PERIOD_DURATIONS.week);
    expect(parsePeriodExpression('1Y')).toBe(PERIOD_DURATIONS.year);
  });

  it('rejects nonsense and wrong unit order', () => {
    expect(parsePeriodExpression('decade')).toBeNull();
    expect(parsePeriodExpression('2w1m')).toBeNull();
    expect(parsePeriodExpression('')).toBeNull();
    expect(parsePeriodExpression('0d')).toBeNull();
  });
});

describe('query parsing', () => {
  it('parses dates in any Date-parsable form', () => {
    const date = new Date('2026-10-01T12:00:00.000Z');
    for (const form of [date.toISOString(), date.toString(), date.toUTCString()]) {
      expect(parseDate(new URLSearchParams({ startDate: form }), 'startDate')?.getTime()).toBe(
        date.getTime(),
      );
    }
    expect(() => parseDate(new URLSearchParams({ startDate: 'soon' }), 'startDate')).toThrow(
      "Parameter 'startDate' is not a valid date.",
    );
  });

  it('applies pagination defaults and limits', () => {
    expect(parsePagination(new URLSearchParams(), 50)).toEqual({ limit: 20, offset: 0 });
    expect(() => parsePagination(new URLSearchParams({ limit: '51' }), 50)).toThrow(
      "The maximum results limit is 50. Please consider using the 'offset' parameter to load more data.",
    );
    expect(() => parsePagination(new URLSearchParams({ limit: '0' }), 50)).toThrow(
      "Parameter 'limit' must be > 0.",
    );
    expect(() => parsePagination(new URLSearchParams({ offset: '-1' }), 50)).toThrow(
      "Parameter 'offset' must be >= 0.",
    );
    expect(() => parsePagination(new URLSearchParams({ limit: 'ten' }), 50)).toThrow(
      "Parameter 'limit' is not a valid number.",
    );
  });
});
