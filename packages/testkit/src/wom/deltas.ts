/** WOM's delta maths (`delta.utils.ts`), over {@link SnapshotStats}. */
import { ACTIVITIES, BOSSES, COMPUTED_METRICS, SKILLS, getMinimumValue, isSkill } from './enums.js';
import type { Metric } from './enums.js';
import { getLevel } from './experience.js';
import type { Json } from './format.js';
import { snapshotIndexOf } from './stats.js';
import type { SnapshotStats } from './stats.js';

/** `{ gained, start, end }`. */
export interface MetricDelta {
  gained: number;
  start: number;
  end: number;
}

/** Rounds to `decimals` places like WOM's `round()`. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function valueDiff(metric: Metric, start: SnapshotStats, end: SnapshotStats): MetricDelta {
  const at = snapshotIndexOf(metric);
  const rawStart = start.values[at] ?? 0;
  const rawEnd = end.values[at] ?? 0;
  const startValue = rawStart !== 0 ? rawStart : -1;
  const endValue = rawEnd !== 0 ? rawEnd : -1;
  let gained = round(
    Math.max(0, endValue - Math.max(0, getMinimumValue(metric) - 1, startValue)),
    5,
  );
  if (metric === 'overall' && startValue === -1) gained = 0;
  return { gained, start: startValue, end: endValue };
}

function rankDiff(metric: Metric, start: SnapshotStats, end: SnapshotStats): MetricDelta {
  const at = snapshotIndexOf(metric);
  const rawStart = start.ranks[at] ?? 0;
  const startRank = rawStart !== 0 ? rawStart : -1;
  const rawEnd = end.ranks[at] ?? 0;
  const endRank = rawEnd !== 0 ? rawEnd : -1;
  const gained = isSkill(metric) && rawStart === -1 ? 0 : endRank - Math.max(0, startRank);
  return { gained, start: startRank, end: endRank };
}

function efficiencyDiff(metric: Metric, start: SnapshotStats, end: SnapshotStats): MetricDelta {
  const at = snapshotIndexOf(metric);
  const startValue = start.efficiency[at] ?? 0;
  const endValue = end.efficiency[at] ?? 0;
  return { gained: round(endValue - startValue, 5), start: startValue, end: endValue };
}

function computedDiff(
  metric: 'ehp' | 'ehb',
  start: SnapshotStats,
  end: SnapshotStats,
): MetricDelta {
  const startValue = metric === 'ehp' ? start.ehp : start.ehb;
  const endValue = metric === 'ehp' ? end.ehp : end.ehb;
  return { gained: Math.max(0, round(endValue - startValue, 5)), start: startValue, end: endValue };
}

function levelDiff(
  metric: Metric,
  start: SnapshotStats,
  end: SnapshotStats,
  values: MetricDelta,
): MetricDelta {
  if (metric === 'overall') {
    return {
      gained: Math.max(0, end.totalLevel - start.totalLevel),
      start: start.totalLevel,
      end: end.totalLevel,
    };
  }
  const startLevel = getLevel(values.start);
  const endLevel = getLevel(values.end);
  return { gained: Math.max(0, endLevel - startLevel), start: startLevel, end: endLevel };
}

/** WOM's `calculateMetricDelta`: used by group gained and bulk-gained. */
export function calculateMetricDelta(
  metric: Metric,
  start: SnapshotStats,
  end: SnapshotStats,
): MetricDelta {
  if (metric === 'ehp' || metric === 'ehb') return computedDiff(metric, start, end);
  return valueDiff(metric, start, end);
}

const asJson = (delta: MetricDelta): Record<string, Json> => ({
  gained: delta.gained,
  start: delta.start,
  end: delta.end,
});

/** WOM's `calculatePlayerDeltas`: the full `data` of player gained. */
export function calculatePlayerDeltas(
  start: SnapshotStats,
  end: SnapshotStats,
): Record<string, Json> {
  const computed: Record<string, Json> = {};
  let ehpDelta: Record<string, Json> = {};
  for (const metric of COMPUTED_METRICS) {
    const value = asJson(computedDiff(metric, start, end));
    if (metric === 'ehp') ehpDelta = value;
    computed[metric] = { metric, value, rank: asJson(rankDiff(metric, start, end)) };
  }
  const skills: Record<string, Json> = {};
  for (const skill of SKILLS) {
    const experience = valueDiff(skill, start, end);
    skills[skill] = {
      metric: skill,
      experience: asJson(experience),
      ehp: skill === 'overall' ? ehpDelta : asJson(efficiencyDiff(skill, start, end)),
      rank: asJson(rankDiff(skill, start, end)),
      level: asJson(levelDiff(skill, start, end, experience)),
    };
  }
  const bosses: Record<string, Json> = {};
  for (const boss of BOSSES) {
    bosses[boss] = {
      metric: boss,
      ehb: asJson(efficiencyDiff(boss, start, end)),
      rank: asJson(rankDiff(boss, start, end)),
      kills: asJson(valueDiff(boss, start, end)),
    };
  }
  const activities: Record<string, Json> = {};
  for (const activity of ACTIVITIES) {
    activities[activity] = {
      metric: activity,
      rank: asJson(rankDiff(activity, start, end)),
      score: asJson(valueDiff(activity, start, end)),
    };
  }
  return { skills, bosses, activities, computed };
}

/** WOM's `emptyPlayerDelta()`: every delta `{ start: 0, end: 0, gained: 0 }`. */
export function emptyPlayerDeltas(): Record<string, Json> {
  const empty = (): Record<string, Json> => ({ start: 0, end: 0, gained: 0 });
  return {
    skills: Object.fromEntries(
      SKILLS.map((skill) => [
        skill,
        { metric: skill, ehp: empty(), rank: empty(), level: empty(), experience: empty() },
      ]),
    ),
    bosses: Object.fromEntries(
      BOSSES.map((boss) => [boss, { metric: boss, ehb: empty(), rank: empty(), kills: empty() }]),
    ),
    activities: Object.fromEntries(
      ACTIVITIES.map((activity) => [activity, { metric: activity, rank: empty(), score: empty() }]),
    ),
    computed: Object.fromEntries(
      COMPUTED_METRICS.map((metric) => [metric, { metric, rank: empty(), value: empty() }]),
    ),
  };
}
