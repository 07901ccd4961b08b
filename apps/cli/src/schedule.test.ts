import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import {
  formatInterval,
  MAX_INTERVAL_MS,
  MIN_INTERVAL_MS,
  nextRunAt,
  parseInterval,
} from './schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('parseInterval', () => {
  it.each([
    ['6h', 6 * HOUR],
    ['30m', 30 * MINUTE],
    ['1d', 24 * HOUR],
    ['1h30m', 90 * MINUTE],
    ['1d12h', 36 * HOUR],
    [' 10m ', 10 * MINUTE],
    ['7d', 7 * 24 * HOUR],
    ['2H', 2 * HOUR],
  ])('reads %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
    expect(parseInterval(formatInterval(ms))).toBe(ms);
  });

  it.each(['', '6', 'h', '6 h', '30s', '1m1h', '-1h', '1.5h', 'every 6h'])(
    'refuses %j with the accepted forms',
    (text) => {
      expect(() => parseInterval(text)).toThrow(UsageError);
      expect(() => parseInterval(text)).toThrow(/such as 6h, 30m, 1d or 1h30m/);
    },
  );

  it.each(['9m', '0m', '8d', '200h'])('refuses %s: outside 10m to 7d', (text) => {
    expect(() => parseInterval(text)).toThrow(/from 10m to 7d/);
  });

  it('has bounds that fit a Node.js timer', () => {
    expect(MIN_INTERVAL_MS).toBe(10 * MINUTE);
    expect(MAX_INTERVAL_MS).toBeLessThan(2 ** 31 - 1);
  });
});

describe('nextRunAt', () => {
  const start = Date.parse('2026-11-25T06:00:00Z');

  it('keeps the rhythm: one interval after the previous start, however long the run took', () => {
    expect(nextRunAt(start, start + 3 * MINUTE, 6 * HOUR)).toBe(start + 6 * HOUR);
    expect(nextRunAt(start, start + 5 * HOUR, 6 * HOUR)).toBe(start + 6 * HOUR);
  });

  it('skips starts a long run (or a sleeping computer) missed, without catching up', () => {
    expect(nextRunAt(start, start + 6 * HOUR, 6 * HOUR)).toBe(start + 12 * HOUR);
    expect(nextRunAt(start, start + 13 * HOUR, 6 * HOUR)).toBe(start + 18 * HOUR);
    expect(nextRunAt(start, start + 3 * 24 * HOUR + 1, 6 * HOUR)).toBe(start + 78 * HOUR);
  });
});
