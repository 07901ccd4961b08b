import fc from 'fast-check';
import { SnowflakeUtil } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  DISCORD_EPOCH,
  compareSnowflakes,
  isSnowflake,
  maxSnowflake,
  minSnowflake,
  snowflakeFromTimestamp,
  snowflakeToTimestamp,
} from './snowflake.js';

const SEED = 20240817;
const MAX_UINT64 = (1n << 64n) - 1n;
const anySnowflake = fc.bigInt({ min: 0n, max: MAX_UINT64 }).map((value) => value.toString());
/** Times a snowflake can encode: the Discord epoch to 2^42 - 1 ms after it. */
const encodableTime = fc.integer({ min: DISCORD_EPOCH, max: DISCORD_EPOCH + 2 ** 42 - 1 });

describe('DISCORD_EPOCH', () => {
  it('is 2015-01-01T00:00:00.000Z', () => {
    expect(new Date(DISCORD_EPOCH).toISOString()).toBe('2015-01-01T00:00:00.000Z');
  });
});

describe('snowflakeToTimestamp', () => {
  it("decodes the docs' example id", () => {
    expect(new Date(snowflakeToTimestamp('175928847299117063')).toISOString()).toBe(
      '2016-04-30T11:18:25.796Z',
    );
  });

  it('decodes the edges of the id space', () => {
    expect(snowflakeToTimestamp('0')).toBe(DISCORD_EPOCH);
    expect(snowflakeToTimestamp('4194303')).toBe(DISCORD_EPOCH); // worker/process/increment only
    expect(snowflakeToTimestamp('4194304')).toBe(DISCORD_EPOCH + 1);
    expect(snowflakeToTimestamp(MAX_UINT64.toString())).toBe(DISCORD_EPOCH + 2 ** 42 - 1);
  });

  it('agrees with discord.js SnowflakeUtil', () => {
    for (const id of ['175928847299117063', '1234567890123456789', '81440962496172032']) {
      expect(snowflakeToTimestamp(id)).toBe(SnowflakeUtil.timestampFrom(id));
    }
  });

  it.each(['', 'abc', '-1', '1.5', ' 1', '01', '18446744073709551616', '123456789012345678901'])(
    'rejects %j with a TypeError',
    (id) => {
      expect(() => snowflakeToTimestamp(id)).toThrow(TypeError);
    },
  );
});

describe('snowflakeFromTimestamp', () => {
  it('gives the smallest id at a millisecond', () => {
    expect(snowflakeFromTimestamp(Date.UTC(2016, 3, 30, 11, 18, 25, 796))).toBe(
      '175928847298985984',
    );
    expect(snowflakeFromTimestamp(new Date('2016-04-30T11:18:25.796Z'))).toBe('175928847298985984');
  });

  it('floors fractional milliseconds', () => {
    expect(snowflakeFromTimestamp(DISCORD_EPOCH + 1.9)).toBe('4194304');
  });

  it("gives '0' at and before the Discord epoch", () => {
    expect(snowflakeFromTimestamp(DISCORD_EPOCH)).toBe('0');
    expect(snowflakeFromTimestamp(0)).toBe('0');
    expect(snowflakeFromTimestamp(new Date('2010-01-01T00:00:00Z'))).toBe('0');
  });

  it('encodes the last representable millisecond and rejects the next', () => {
    const last = DISCORD_EPOCH + 2 ** 42 - 1;
    expect(snowflakeFromTimestamp(last)).toBe(((2n ** 42n - 1n) << 22n).toString());
    expect(() => snowflakeFromTimestamp(last + 1)).toThrow(RangeError);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects %s with a RangeError',
    (time) => {
      expect(() => snowflakeFromTimestamp(time)).toThrow(RangeError);
    },
  );

  it('rejects an invalid Date with a RangeError', () => {
    expect(() => snowflakeFromTimestamp(new Date('not a date'))).toThrow(RangeError);
  });

  it('agrees with discord.js SnowflakeUtil.generate (ignoring its increment bits)', () => {
    const time = Date.UTC(2024, 5, 1, 12, 0, 0, 123);
    const generated = SnowflakeUtil.generate({ timestamp: time });
    expect(snowflakeFromTimestamp(time)).toBe(((generated >> 22n) << 22n).toString());
  });
});

describe('compareSnowflakes', () => {
  it('orders numerically, not lexicographically', () => {
    expect(compareSnowflakes('9', '10')).toBeLessThan(0);
    expect(compareSnowflakes('10', '9')).toBeGreaterThan(0);
    expect(compareSnowflakes('175928847299117063', '175928847299117063')).toBe(0);
    expect(
      ['1234567890123456789', '99999999999999999', '175928847299117063'].sort(compareSnowflakes),
    ).toEqual(['99999999999999999', '175928847299117063', '1234567890123456789']);
  });

  it('tells apart ids that are equal as Numbers', () => {
    // 2^53 and 2^53 + 1 are the same double.
    expect(compareSnowflakes('9007199254740992', '9007199254740993')).toBeLessThan(0);
  });

  it('rejects non-snowflakes', () => {
    expect(() => compareSnowflakes('1', 'x')).toThrow(TypeError);
    expect(() => compareSnowflakes('', '1')).toThrow(TypeError);
  });
});

describe('maxSnowflake / minSnowflake', () => {
  it('treats null as none', () => {
    expect(maxSnowflake(null, null)).toBeNull();
    expect(minSnowflake(null, null)).toBeNull();
    expect(maxSnowflake(null, '5')).toBe('5');
    expect(maxSnowflake('5', null)).toBe('5');
    expect(minSnowflake(null, '5')).toBe('5');
    expect(minSnowflake('5', null)).toBe('5');
  });

  it('picks by numeric value', () => {
    expect(maxSnowflake('9', '10')).toBe('10');
    expect(minSnowflake('9', '10')).toBe('9');
    expect(maxSnowflake('9007199254740993', '9007199254740992')).toBe('9007199254740993');
    expect(minSnowflake('9007199254740993', '9007199254740992')).toBe('9007199254740992');
  });

  it('validates the non-null argument', () => {
    expect(() => maxSnowflake(null, 'x')).toThrow(TypeError);
    expect(() => minSnowflake('01', null)).toThrow(TypeError);
  });
});

describe('isSnowflake', () => {
  it.each([
    ['0', true],
    ['1', true],
    ['175928847299117063', true],
    [MAX_UINT64.toString(), true],
    [(MAX_UINT64 + 1n).toString(), false],
    ['99999999999999999999', false], // 20 digits but over 2^64 - 1
    ['123456789012345678901', false], // 21 digits
    ['', false],
    ['007', false],
    ['-1', false],
    ['1e5', false],
    ['１２３', false], // fullwidth digits
    ['12 3', false],
    [' 123', false],
    ['123\n', false],
  ])('%j ⇒ %s', (value, expected) => {
    expect(isSnowflake(value)).toBe(expected);
  });

  it.each([[123], [123n], [null], [undefined], [{}], [['1']]])(
    'rejects non-strings: %s',
    (value) => {
      expect(isSnowflake(value)).toBe(false);
    },
  );
});

describe('properties', () => {
  it('every uint64 decimal string is a snowflake', () => {
    fc.assert(
      fc.property(anySnowflake, (id) => isSnowflake(id)),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('time → id → time round-trips for every encodable millisecond', () => {
    fc.assert(
      fc.property(encodableTime, (time) => {
        const id = snowflakeFromTimestamp(time);
        return isSnowflake(id) && snowflakeToTimestamp(id) === time;
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('the id from an id’s time is the smallest id at that time', () => {
    fc.assert(
      fc.property(anySnowflake, (id) => {
        const floor = snowflakeFromTimestamp(snowflakeToTimestamp(id));
        return (
          compareSnowflakes(floor, id) <= 0 &&
          BigInt(id) - BigInt(floor) < 1n << 22n &&
          snowflakeToTimestamp(floor) === snowflakeToTimestamp(id)
        );
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('compareSnowflakes agrees with BigInt ordering, and min/max with it', () => {
    fc.assert(
      fc.property(anySnowflake, anySnowflake, (a, b) => {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        return (
          Math.sign(compareSnowflakes(a, b)) === expected &&
          Math.sign(compareSnowflakes(b, a)) === -expected &&
          maxSnowflake(a, b) === (expected >= 0 ? a : b) &&
          minSnowflake(a, b) === (expected <= 0 ? a : b)
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('later times give larger ids (time order is id order)', () => {
    fc.assert(
      fc.property(encodableTime, encodableTime, (t1, t2) => {
        const order = Math.sign(
          compareSnowflakes(snowflakeFromTimestamp(t1), snowflakeFromTimestamp(t2)),
        );
        return order === Math.sign(t1 - t2);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
