/** The category of a WOM metric, as `wom_metrics.category` stores it. */
export type MetricCategory = 'skill' | 'boss' | 'activity' | 'computed';

/** A metric of the store: its id is the index into value arrays. */
export interface MetricInfo {
  id: number;
  name: string;
  category: MetricCategory;
}

/** XP needed for each level 1–99 (index = level). */
const LEVEL_XP: number[] = (() => {
  const table = [0, 0];
  let points = 0;
  for (let level = 1; level < 99; level += 1) {
    points += Math.floor(level + 300 * 2 ** (level / 7));
    table.push(Math.floor(points / 4));
  }
  return table;
})();

/** The level (1–99) of a skill with `xp` experience. */
export function levelForXp(xp: number): number {
  let low = 1;
  let high = 99;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((LEVEL_XP[middle] as number) <= xp) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The gain of one metric from `base` to `end` (NaN: the metric is absent from a snapshot).
 *
 * - Never negative: a decrease counts as 0.
 * - `-1` is WOM's "unranked". For bosses and activities, an unranked *start* with a ranked end
 *   counts from 0 (the true start is below the hiscores minimum and cannot be known; -1 → 500 is
 *   +500, never +501). An unranked end gives 0.
 * - For skills and computed metrics (XP, EHP, EHB), an unranked value at either end gives 0: the
 *   gain cannot be known and is not invented.
 */
export function metricGain(category: MetricCategory, base: number, end: number): number {
  if (Number.isNaN(base) || Number.isNaN(end) || end < 0) return 0;
  if (base < 0) {
    if (category === 'boss' || category === 'activity') return end;
    return 0;
  }
  return end > base ? end - base : 0;
}

/** The WOM gains of a member over one window. */
export interface WomGains {
  xp: number;
  ehp: number;
  ehb: number;
  bossKills: number;
  bossKillsByBoss: Record<string, number>;
  /** XP gained per skill (every skill metric but `overall`); skills with no gain are left out. */
  xpBySkill: Record<string, number>;
  levels: number;
}

/** Rounds to 3 decimals (EHP and EHB are fractional hours). */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The gains between two sets of values, indexed by metric id (NaN where absent). Levels and XP per
 * skill are computed for every skill but `overall`, with the same {@link metricGain} rule as `xp`.
 */
export function computeGains(
  metrics: readonly MetricInfo[],
  base: Float64Array,
  end: Float64Array,
): WomGains {
  const gains: WomGains = {
    xp: 0,
    ehp: 0,
    ehb: 0,
    bossKills: 0,
    bossKillsByBoss: {},
    xpBySkill: {},
    levels: 0,
  };
  for (const metric of metrics) {
    const from = base[metric.id] ?? Number.NaN;
    const to = end[metric.id] ?? Number.NaN;
    const gain = metricGain(metric.category, from, to);
    if (metric.category === 'skill') {
      if (metric.name === 'overall') gains.xp = gain;
      else if (gain > 0) {
        gains.xpBySkill[metric.name] = gain;
        gains.levels += Math.max(0, levelForXp(to) - levelForXp(from));
      }
    } else if (metric.category === 'boss') {
      if (gain > 0) {
        gains.bossKills += gain;
        gains.bossKillsByBoss[metric.name] = gain;
      }
    } else if (metric.category === 'computed') {
      if (metric.name === 'ehp') gains.ehp = round3(gain);
      else if (metric.name === 'ehb') gains.ehb = round3(gain);
    }
  }
  return gains;
}
