import { ACTIVITIES, BOSSES, COMPUTED_METRICS, METRICS, SKILLS } from '@clanstats/wom-client';
import { describe, expect, it } from 'vitest';
import {
  METRIC_INFO,
  SKILL_ORDER,
  metricFromName,
  metricKind,
  metricName,
  normaliseMetricName,
} from './metrics.js';

describe('METRIC_INFO', () => {
  it("has every metric of wom-client's METRICS, in the same order, and nothing else", () => {
    expect(Object.keys(METRIC_INFO)).toEqual([...METRICS]);
    expect(Object.keys(METRIC_INFO)).toHaveLength(113);
  });

  it.each([
    ['skill', SKILLS],
    ['boss', BOSSES],
    ['activity', ACTIVITIES],
    ['computed', COMPUTED_METRICS],
  ] as const)('gives every %s its kind', (kind, metrics) => {
    for (const metric of metrics) {
      expect(METRIC_INFO[metric]).toEqual({ metric, name: expect.any(String) as string, kind });
      expect(metricKind(metric)).toBe(kind);
    }
    expect(Object.values(METRIC_INFO).filter((info) => info.kind === kind)).toHaveLength(
      metrics.length,
    );
  });

  it('has a distinct, non-empty name per metric', () => {
    const names = Object.values(METRIC_INFO).map((info) => info.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^\S.*\S$/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(METRIC_INFO)).toBe(true);
    expect(Object.isFrozen(METRIC_INFO.zulrah)).toBe(true);
    expect(Object.isFrozen(SKILL_ORDER)).toBe(true);
  });
});

describe('metricName', () => {
  it.each([
    ['tzkal_zuk', 'TzKal-Zuk'],
    ['tztok_jad', 'TzTok-Jad'],
    ['the_corrupted_gauntlet', 'The Corrupted Gauntlet'],
    ['chambers_of_xeric', 'Chambers of Xeric'],
    ['chambers_of_xeric_challenge_mode', 'Chambers of Xeric: Challenge Mode'],
    ['theatre_of_blood_hard_mode', 'Theatre of Blood: Hard Mode'],
    ['tombs_of_amascut_expert', 'Tombs of Amascut: Expert Mode'],
    ['kreearra', "Kree'Arra"],
    ['kril_tsutsaroth', "K'ril Tsutsaroth"],
    ['vetion', "Vet'ion"],
    ['calvarion', "Calvar'ion"],
    ['phosanis_nightmare', "Phosani's Nightmare"],
    ['clue_scrolls_all', 'Clue Scrolls (All)'],
    ['pvp_arena', 'PvP Arena'],
    ['runecrafting', 'Runecraft'],
    ['overall', 'Overall'],
    ['ehp', 'EHP'],
    ['ehb', 'EHB'],
  ])('%s → %s', (metric, name) => {
    expect(metricName(metric)).toBe(name);
  });

  it('humanises unknown metrics', () => {
    expect(metricName('some_boss')).toBe('Some boss');
    expect(metricName('league_points')).toBe('League points');
    expect(metricName('')).toBe('');
    expect(metricName('constructor')).toBe('Constructor');
    expect(metricKind('some_boss')).toBeUndefined();
    expect(metricKind('toString')).toBeUndefined();
  });
});

describe('SKILL_ORDER', () => {
  it('lists the skills in the hiscores order, overall first', () => {
    expect(SKILL_ORDER).toEqual([...SKILLS]);
    expect(SKILL_ORDER[0]).toBe('overall');
  });
});

describe('metricFromName', () => {
  it.each([
    ['zulrah', 'zulrah'],
    ['Zulrah', 'zulrah'],
    ['Chambers of Xeric', 'chambers_of_xeric'],
    ['chambers-of-xeric', 'chambers_of_xeric'],
    ['Chambers of Xeric: Challenge Mode', 'chambers_of_xeric_challenge_mode'],
    ['Chambers Of Xeric (CM)', 'chambers_of_xeric_challenge_mode'],
    ['TzKal-Zuk', 'tzkal_zuk'],
    ["Kree'Arra", 'kreearra'],
    ['K’ril Tsutsaroth', 'kril_tsutsaroth'],
    ['Tombs of Amascut: Expert Mode', 'tombs_of_amascut_expert'],
    ['Clue Scrolls (All)', 'clue_scrolls_all'],
    ['Runecraft', 'runecrafting'],
    ['  EHP ', 'ehp'],
  ])('%j → %s', (name, metric) => {
    expect(metricFromName(name)).toBe(metric);
  });

  it('returns undefined for anything else', () => {
    expect(metricFromName('dragon')).toBeUndefined();
    expect(metricFromName('')).toBeUndefined();
    expect(metricFromName('__proto__')).toBeUndefined();
  });

  it('normalises names', () => {
    expect(normaliseMetricName(' The  Corrupted--Gauntlet ')).toBe('the_corrupted_gauntlet');
    expect(normaliseMetricName('Vet’ion')).toBe('vetion');
  });
});
