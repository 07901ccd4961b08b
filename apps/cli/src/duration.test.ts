import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['90s', 90 * SECOND],
    ['30m', 30 * MINUTE],
    ['6h', 6 * HOUR],
    ['7d', 7 * DAY],
    ['1h30m', 90 * MINUTE],
    ['1d2h3m4s', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    [' 2H ', 2 * HOUR],
    ['0s', 0],
  ])('reads %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each([
    '',
    '6',
    's',
    '6 h',
    '1m1h',
    '-1h',
    '1.5h',
    '90sec',
    '6h ago',
    '1e3s',
    '99999999999999999d',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses seconds when asked to count in minutes', () => {
    expect(parseDuration('30s', false)).toBeUndefined();
    expect(parseDuration('1h30m', false)).toBe(90 * MINUTE);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first and leaves out the empty ones', () => {
    expect(formatDuration(6 * HOUR)).toBe('6h');
    expect(formatDuration(DAY + 30 * MINUTE)).toBe('1d30m');
    expect(formatDuration(90 * SECOND)).toBe('1m30s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(400)).toBe('400ms');
  });
});
