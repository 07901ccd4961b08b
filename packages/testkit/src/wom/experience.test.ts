import { describe, expect, it } from 'vitest';
import {
  EXPERIENCE_TABLE,
  MAX_SKILL_EXPERIENCE,
  getCombatLevel,
  getExperienceForLevel,
  getLevel,
} from '../index.js';

describe('experience table', () => {
  it('matches the known OSRS values', () => {
    expect(getExperienceForLevel(1)).toBe(0);
    expect(getExperienceForLevel(2)).toBe(83);
    expect(getExperienceForLevel(10)).toBe(1154);
    expect(getExperienceForLevel(50)).toBe(101_333);
    expect(getExperienceForLevel(92)).toBe(6_517_253);
    expect(getExperienceForLevel(99)).toBe(MAX_SKILL_EXPERIENCE);
    expect(EXPERIENCE_TABLE).toHaveLength(100);
  });

  it('maps experience to levels at the boundaries', () => {
    expect(getLevel(-1)).toBe(1);
    expect(getLevel(0)).toBe(1);
    expect(getLevel(82)).toBe(1);
    expect(getLevel(83)).toBe(2);
    expect(getLevel(13_034_430)).toBe(98);
    expect(getLevel(13_034_431)).toBe(99);
    expect(getLevel(200_000_000)).toBe(99);
    for (let level = 2; level <= 99; level++) {
      expect(getLevel(getExperienceForLevel(level))).toBe(level);
      expect(getLevel(getExperienceForLevel(level) - 1)).toBe(level - 1);
    }
  });

  it('computes combat levels', () => {
    const maxed = {
      attack: 99,
      strength: 99,
      defence: 99,
      hitpoints: 99,
      ranged: 99,
      magic: 99,
      prayer: 99,
    };
    expect(getCombatLevel(maxed)).toBe(126);
    const fresh = {
      attack: 1,
      strength: 1,
      defence: 1,
      hitpoints: 10,
      ranged: 1,
      magic: 1,
      prayer: 1,
    };
    expect(getCombatLevel(fresh)).toBe(3);
  });
});
