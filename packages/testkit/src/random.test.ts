import { describe, expect, it } from 'vitest';
import { createRandom, hashString } from './index.js';

describe('createRandom', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const first = createRandom(42);
    const second = createRandom(42);
    const other = createRandom(43);
    const a = Array.from({ length: 20 }, () => first.next());
    const b = Array.from({ length: 20 }, () => second.next());
    const c = Array.from({ length: 20 }, () => other.next());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('stays in range', () => {
    const random = createRandom(7);
    const outside: number[] = [];
    for (let index = 0; index < 2000; index++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside.push(value);
      const integer = random.int(3, 9);
      if (!(integer >= 3 && integer <= 9 && Number.isInteger(integer))) outside.push(integer);
    }
    expect(outside).toEqual([]);
  });

  it('picks by weight and forks reproducibly', () => {
    const random = createRandom(1);
    const counts = { a: 0, b: 0 };
    for (let index = 0; index < 4000; index++)
      counts[random.weighted(['a', 'b'] as const, [9, 1])]++;
    expect(counts.a).toBeGreaterThan(counts.b * 5);
    expect(createRandom(5).fork(3).next()).toBe(createRandom(5).fork(3).next());
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('hashes strings stably', () => {
    expect(hashString('zezima')).toBe(hashString('zezima'));
    expect(hashString('zezima')).not.toBe(hashString('zezimb'));
  });
});
