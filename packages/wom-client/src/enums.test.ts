import * as official from '@wise-old-man/utils';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITIES,
  BOSSES,
  COMPETITION_STATUSES,
  COMPETITION_TYPES,
  COMPUTED_METRICS,
  COUNTRY_CODES,
  GROUP_ROLES,
  METRICS,
  PERIOD_DURATIONS,
  PERIODS,
  PLAYER_BUILDS,
  PLAYER_STATUSES,
  PLAYER_TYPES,
  PRIVILEGED_GROUP_ROLES,
  SKILLS,
  getMetricMeasure,
  getMetricType,
  isActivity,
  isBoss,
  isComputedMetric,
  isCountry,
  isGroupRole,
  isMetric,
  isPeriod,
  isPlayerBuild,
  isPlayerStatus,
  isPlayerType,
  isSkill,
} from './enums.js';

describe('enums', () => {
  it('has the documented sizes', () => {
    expect(SKILLS).toHaveLength(25);
    expect(ACTIVITIES).toHaveLength(15);
    expect(BOSSES).toHaveLength(71);
    expect(COMPUTED_METRICS).toHaveLength(2);
    expect(METRICS).toHaveLength(113);
    expect(new Set(METRICS).size).toBe(113);
    expect(GROUP_ROLES).toHaveLength(269);
    expect(COUNTRY_CODES).toHaveLength(253);
  });

  it('matches @wise-old-man/utils, in order', () => {
    expect(SKILLS).toEqual(official.SKILLS);
    expect(ACTIVITIES).toEqual(official.ACTIVITIES);
    expect(BOSSES).toEqual(official.BOSSES);
    expect(COMPUTED_METRICS).toEqual(official.COMPUTED_METRICS);
    expect(METRICS).toEqual(official.METRICS);
    expect(PERIODS).toEqual(official.PERIODS);
    expect(GROUP_ROLES).toEqual(official.GROUP_ROLES);
    expect(PRIVILEGED_GROUP_ROLES).toEqual(official.PRIVILEGED_GROUP_ROLES);
    expect(COUNTRY_CODES).toEqual(official.COUNTRY_CODES);
    expect(PLAYER_TYPES).toEqual(official.PLAYER_TYPES);
    expect(PLAYER_BUILDS).toEqual(official.PLAYER_BUILDS);
    expect(PLAYER_STATUSES).toEqual(official.PLAYER_STATUSES);
    expect(COMPETITION_TYPES).toEqual(official.COMPETITION_TYPES);
    expect(COMPETITION_STATUSES).toEqual(official.COMPETITION_STATUSES);
  });

  it('orders METRICS skills, activities, bosses, computed', () => {
    expect(METRICS.slice(0, 25)).toEqual(SKILLS);
    expect(METRICS.slice(25, 40)).toEqual(ACTIVITIES);
    expect(METRICS.slice(40, 111)).toEqual(BOSSES);
    expect(METRICS.slice(111)).toEqual(['ehp', 'ehb']);
  });

  it('has type guards that accept exactly their list', () => {
    const guards = [
      [isSkill, SKILLS],
      [isActivity, ACTIVITIES],
      [isBoss, BOSSES],
      [isComputedMetric, COMPUTED_METRICS],
      [isMetric, METRICS],
      [isPeriod, PERIODS],
      [isGroupRole, GROUP_ROLES],
      [isCountry, COUNTRY_CODES],
      [isPlayerType, PLAYER_TYPES],
      [isPlayerBuild, PLAYER_BUILDS],
      [isPlayerStatus, PLAYER_STATUSES],
    ] as const;
    for (const [guard, list] of guards) {
      for (const value of list) expect(guard(value)).toBe(true);
      for (const value of ['', 'OVERALL', 'league_points', 'gb', 'UK', 42, null, undefined, {}]) {
        expect(guard(value)).toBe(false);
      }
    }
    expect(METRICS.filter((metric) => isSkill(metric))).toEqual(SKILLS);
  });

  it('classifies metrics and their measures', () => {
    expect(getMetricType('overall')).toBe('skill');
    expect(getMetricType('zulrah')).toBe('boss');
    expect(getMetricType('clue_scrolls_all')).toBe('activity');
    expect(getMetricType('ehb')).toBe('computed');
    expect(getMetricType('league_points')).toBeUndefined();
    expect(getMetricMeasure('sailing')).toBe('experience');
    expect(getMetricMeasure('mad_angel')).toBe('kills');
    expect(getMetricMeasure('colosseum_glory')).toBe('score');
    expect(getMetricMeasure('ehp')).toBe('value');
    expect(getMetricMeasure('a_metric_from_2027')).toBeUndefined();
    for (const metric of METRICS) {
      expect(getMetricMeasure(metric)).toBe(official.MetricProps[metric].measure);
      expect(getMetricType(metric)).toBe(official.MetricProps[metric].type);
    }
  });

  it('has the server period lengths', () => {
    for (const period of PERIODS) {
      expect(PERIOD_DURATIONS[period]).toBe(official.PeriodProps[period].milliseconds);
    }
  });
});

describe('enums shared with the fake server', () => {
  // The testkit's fake server keeps its own copy of Wise Old Man's vocabulary, on purpose: a
  // mistake in the client's lists must not be mirrored by the server that tests it. Both are
  // written from the reference; this keeps them from drifting apart.
  it('lists the same values as @clanstats/testkit', async () => {
    const testkit = await import('@clanstats/testkit');
    const sorted = (values: readonly string[]) => [...values].sort();
    expect(METRICS).toEqual(testkit.METRICS);
    expect(SKILLS).toEqual(testkit.SKILLS);
    expect(BOSSES).toEqual(testkit.BOSSES);
    expect(ACTIVITIES).toEqual(testkit.ACTIVITIES);
    expect(GROUP_ROLES).toEqual(testkit.GROUP_ROLES);
    expect(sorted(PRIVILEGED_GROUP_ROLES)).toEqual(sorted(testkit.PRIVILEGED_GROUP_ROLES));
    expect(PERIODS).toEqual(testkit.PERIODS);
    expect(PERIOD_DURATIONS).toEqual(testkit.PERIOD_DURATIONS);
    expect(PLAYER_TYPES).toEqual(testkit.PLAYER_TYPES);
    expect(PLAYER_BUILDS).toEqual(testkit.PLAYER_BUILDS);
    expect(PLAYER_STATUSES).toEqual(testkit.PLAYER_STATUSES);
  });
});
