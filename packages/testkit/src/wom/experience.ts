/** Experience needed for each level 1–99 (index = level), by the standard OSRS formula. */
export const EXPERIENCE_TABLE: readonly number[] = buildExperienceTable();

/** Experience at level 99. */
export const MAX_SKILL_EXPERIENCE = 13_034_431;
/** The experience cap per skill. */
export const SKILL_EXPERIENCE_CAP = 200_000_000;
/** Total level of a maxed account: 24 skills (sailing included) × 99. */
export const MAX_TOTAL_LEVEL = 24 * 99;

function buildExperienceTable(): number[] {
  const table = [0, 0];
  let points = 0;
  for (let level = 1; level < 99; level++) {
    points += Math.floor(level + 300 * 2 ** (level / 7));
    table.push(Math.floor(points / 4));
  }
  return table;
}

/** The experience a level starts at (`getExpForLevel`); level 1 is 0. */
export function getExperienceForLevel(level: number): number {
  const clamped = Math.max(1, Math.min(99, Math.floor(level)));
  return EXPERIENCE_TABLE[clamped] ?? 0;
}

/** The level (1–99, not virtual) for an amount of experience; -1 (unranked) is level 1. */
export function getLevel(experience: number): number {
  if (experience < 83) return 1;
  let low = 2;
  let high = 99;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((EXPERIENCE_TABLE[middle] ?? Infinity) <= experience) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Combat level from the seven combat skills' levels (WOM's `getCombatLevel`). */
export function getCombatLevel(levels: {
  attack: number;
  strength: number;
  defence: number;
  hitpoints: number;
  ranged: number;
  magic: number;
  prayer: number;
}): number {
  const base =
    0.25 * (levels.defence + Math.max(levels.hitpoints, 10) + Math.floor(levels.prayer / 2));
  const melee = 0.325 * (levels.attack + levels.strength);
  const range = 0.325 * Math.floor((3 * levels.ranged) / 2);
  const mage = 0.325 * Math.floor((3 * levels.magic) / 2);
  return Math.floor(base + Math.max(melee, range, mage));
}
