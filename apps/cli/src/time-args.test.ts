import { describe, expect, it } from 'vitest';
import { stageArguments } from './commands.js';
import { UsageError } from './errors.js';
import { parseInstant } from './time-args.js';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');

describe('parseInstant', () => {
  it.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T18:00:00+01:00', '2026-01-31T17:00:00.000Z'],
    ['2026-01-31T18:00Z', '2026-01-31T18:00:00.000Z'],
    ['2026-01-31T18:00:00.250Z', '2026-01-31T18:00:00.250Z'],
    ['90d', '2026-08-26T12:00:00.000Z'],
    [' 7d ', '2026-11-17T12:00:00.000Z'],
  ])('reads %j', (text, iso) => {
    expect(new Date(parseInstant('--since', text, NOW)).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2026-13-01', '2026-01-31T18:00:00', '31/01/2026', '-5d', ''])(
    'rejects %j with the accepted forms',
    (text) => {
      expect(() => parseInstant('--since', text, NOW)).toThrow(UsageError);
      expect(() => parseInstant('--since', text, NOW)).toThrow(/ISO date \(2026-01-31\)/);
    },
  );
});

describe('stageArguments', () => {
  it('pins one as-of time for every stage of a run', () => {
    const args = stageArguments({}, ['backup', 'migrate', 'harvest', 'report', 'export'], NOW);
    const asOf = ['--as-of', new Date(NOW).toISOString()];
    expect(args).toEqual({ harvest: asOf, report: asOf, export: asOf });
  });

  it('passes the harvest options through, normalized', () => {
    const args = stageArguments(
      { since: '2026-01-01', 'skip-discord': true, 'as-of': '2026-11-01' },
      ['harvest'],
      NOW,
    );
    expect(args.harvest).toEqual([
      '--as-of',
      '2026-11-01T00:00:00.000Z',
      '--since',
      '2026-01-01T00:00:00.000Z',
      '--skip-discord',
    ]);
  });

  it('lets a single stage default to its own clock, and refuses a future as-of', () => {
    expect(stageArguments({}, ['harvest'], NOW).harvest).toEqual([]);
    expect(() => stageArguments({ 'as-of': '2027-01-01' }, ['report'], NOW)).toThrow(
      /in the future/,
    );
  });
});
