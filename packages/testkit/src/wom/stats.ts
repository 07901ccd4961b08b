/**
 * Derived statistics of a snapshot row: the hiscores view (values clamped to -1 below the
 * thresholds, ranks, levels) and the efficiency numbers (EHP/EHB, TTM). The efficiency rates are a
 * simplified model, not WOM's real rate tables; they are deterministic and monotonic, which is
 * all a fake needs.
 */
import { ACTIVITIES, BOSSES, COMPUTED_METRICS, SKILLS, getMinimumValue } from './enums.js';
import type { Metric, PlayerType } from './enums.js';
import { historyRow } from '../clan/history.js';
import type { SyntheticMember } from '../clan/model.js';
import {
  MAX_SKILL_EXPERIENCE,
  SKILL_EXPERIENCE_CAP,
  getCombatLevel,
  getLevel,
} from './experience.js';

/** The 113 metrics in snapshot serialization order: skills, bosses, activities, computed. */
export const SNAPSHOT_METRICS: readonly Metric[] = [
  ...SKILLS,
  ...BOSSES,
  ...ACTIVITIES,
  ...COMPUTED_METRICS,
];

const snapshotIndex = new Map<string, number>(
  SNAPSHOT_METRICS.map((metric, index) => [metric, index]),
);

/** The position of a metric in {@link SNAPSHOT_METRICS}. */
export function snapshotIndexOf(metric: Metric): number {
  return snapshotIndex.get(metric) ?? -1;
}

/** Experience per hour used for EHP, per skill column (main accounts). Hitpoints counts 0 EHP. */
export const SKILL_RATES: Readonly<Record<string, number>> = {
  attack: 140_000,
  defence: 140_000,
  strength: 140_000,
  hitpoints: 0,
  ranged: 400_000,
  prayer: 500_000,
  magic: 250_000,
  cooking: 450_000,
  woodcutting: 150_000,
  fletching: 500_000,
  fishing: 100_000,
  firemaking: 400_000,
  crafting: 400_000,
  smithing: 350_000,
  mining: 100_000,
  herblore: 450_000,
  agility: 70_000,
  thieving: 250_000,
  slayer: 60_000,
  farming: 300_000,
  runecrafting: 60_000,
  hunter: 150_000,
  construction: 800_000,
  sailing: 90_000,
};

const slowBosses: Readonly<Record<string, number>> = {
  chambers_of_xeric: 3.5,
  chambers_of_xeric_challenge_mode: 2.5,
  theatre_of_blood: 3,
  theatre_of_blood_hard_mode: 2.5,
  tombs_of_amascut: 3,
  tombs_of_amascut_expert: 2.5,
  nex: 10,
  the_gauntlet: 6,
  the_corrupted_gauntlet: 6,
  tzkal_zuk: 0.8,
  tztok_jad: 2,
  sol_heredit: 1.5,
  doom_of_mokhaiotl: 4,
  yama: 8,
  nightmare: 8,
  phosanis_nightmare: 5,
  corporeal_beast: 7,
  wintertodt: 10,
  tempoross: 8,
  zalcano: 15,
  hespori: 50,
  mimic: 40,
  barrows_chests: 20,
  lunar_chests: 20,
  vorkath: 32,
  zulrah: 35,
  alchemical_hydra: 27,
  the_hueycoatl: 10,
  the_royal_titans: 25,
};

/** Kills per hour used for EHB, per boss (main accounts). */
export function bossKillsPerHour(boss: string): number {
  return slowBosses[boss] ?? 30;
}

/** The efficiency multiplier of an account type (irons are slower). */
export function typeEfficiencyFactor(type: PlayerType): number {
  switch (type) {
    case 'ironman':
    case 'hardcore':
      return 0.65;
    case 'ultimate':
      return 0.55;
    default:
      return 1;
  }
}

function rankFrom(value: number, players: number, scale: number, exponent: number): number {
  if (value <= 0) return -1;
  return Math.floor(players / (1 + (value / scale) ** exponent)) + 1;
}

const activityScales: Readonly<Record<string, number>> = {
  clue_scrolls_all: 150,
  last_man_standing: 1500,
  pvp_arena: 2800,
  soul_wars_zeal: 800,
  guardians_of_the_rift: 300,
  colosseum_glory: 8000,
  collections_logged: 700,
};

/**
 * The hiscores view and derived numbers of one snapshot row. Arrays are indexed like
 * {@link SNAPSHOT_METRICS}.
 */
export interface SnapshotStats {
  /** experience / kills / score / value; -1 when unranked. */
  readonly values: Float64Array;
  /** Ranks; -1 when unranked. */
  readonly ranks: Float64Array;
  /** Skill levels (overall: total level); 0 for non-skills. */
  readonly levels: Int16Array;
  /** Per-skill EHP and per-boss EHB (0 when unranked); computed metrics repeat their value. */
  readonly efficiency: Float64Array;
  /** `max(0, overall experience)`. */
  readonly exp: number;
  readonly ehp: number;
  readonly ehb: number;
  /** Hours to max (all skills 99). */
  readonly ttm: number;
  /** Hours to 200m all. */
  readonly tt200m: number;
  readonly combatLevel: number;
  readonly totalLevel: number;
}

const skillCount = SKILLS.length; // 25, overall first
const bossOffset = skillCount;
const activityOffset = bossOffset + BOSSES.length;
const computedOffset = activityOffset + ACTIVITIES.length;
const historyBossOffset = skillCount - 1;
const historyActivityOffset = historyBossOffset + BOSSES.length;

/** Computes {@link SnapshotStats} from a history row (see `historyRow`). */
export function computeSnapshotStats(row: Int32Array, type: PlayerType): SnapshotStats {
  const total = SNAPSHOT_METRICS.length;
  const values = new Float64Array(total);
  const ranks = new Float64Array(total);
  const levels = new Int16Array(total);
  const efficiency = new Float64Array(total);
  const factor = typeEfficiencyFactor(type);
  let overallExperience = 0;
  let totalLevel = 0;
  let ehp = 0;
  let ttm = 0;
  let tt200m = 0;
  for (let skill = 1; skill < skillCount; skill++) {
    const name = SKILLS[skill] ?? 'attack';
    const experience = row[skill - 1] ?? 0;
    const ranked = experience > 0;
    values[skill] = ranked ? experience : -1;
    ranks[skill] = ranked ? rankFrom(experience, 2_400_000, 1_500_000, 1.3) : -1;
    const level = ranked ? getLevel(experience) : 1;
    levels[skill] = level;
    totalLevel += name === 'hitpoints' ? Math.max(10, level) : level;
    const rate = (SKILL_RATES[name] ?? 0) * factor;
    const skillEhp = ranked && rate > 0 ? experience / rate : 0;
    efficiency[skill] = skillEhp;
    ehp += skillEhp;
    if (rate > 0) {
      const current = Math.max(0, experience);
      ttm += Math.max(0, MAX_SKILL_EXPERIENCE - current) / rate;
      tt200m += Math.max(0, SKILL_EXPERIENCE_CAP - current) / rate;
    }
    if (ranked) overallExperience += experience;
  }
  values[0] = overallExperience > 0 ? overallExperience : -1;
  ranks[0] = rankFrom(overallExperience, 2_500_000, 40_000_000, 1.5);
  levels[0] = totalLevel;
  efficiency[0] = ehp;

  let ehb = 0;
  for (let boss = 0; boss < BOSSES.length; boss++) {
    const name = BOSSES[boss] ?? 'zulrah';
    const kills = row[historyBossOffset + boss] ?? 0;
    const ranked = kills >= getMinimumValue(name);
    values[bossOffset + boss] = ranked ? kills : -1;
    ranks[bossOffset + boss] = ranked ? rankFrom(kills, 400_000, 80, 1.2) : -1;
    const bossEhb = ranked ? kills / (bossKillsPerHour(name) * factor) : 0;
    efficiency[bossOffset + boss] = bossEhb;
    ehb += bossEhb;
  }
  for (let activity = 0; activity < ACTIVITIES.length; activity++) {
    const name = ACTIVITIES[activity] ?? 'clue_scrolls_all';
    const score = row[historyActivityOffset + activity] ?? 0;
    const ranked = score >= getMinimumValue(name);
    values[activityOffset + activity] = ranked ? score : -1;
    ranks[activityOffset + activity] = ranked
      ? rankFrom(score, 500_000, activityScales[name] ?? 40, 1.2)
      : -1;
  }
  values[computedOffset] = ehp;
  ranks[computedOffset] = ehp > 0 ? rankFrom(ehp, 2_000_000, 300, 1.6) : -1;
  efficiency[computedOffset] = ehp;
  values[computedOffset + 1] = ehb;
  ranks[computedOffset + 1] = ehb > 0 ? rankFrom(ehb, 600_000, 60, 1.4) : -1;
  efficiency[computedOffset + 1] = ehb;

  const combatLevel = getCombatLevel({
    attack: levels[1] ?? 1,
    defence: levels[2] ?? 1,
    strength: levels[3] ?? 1,
    hitpoints: levels[4] ?? 10,
    ranged: levels[5] ?? 1,
    prayer: levels[6] ?? 1,
    magic: levels[7] ?? 1,
  });
  return {
    values,
    ranks,
    levels,
    efficiency,
    exp: Math.max(0, overallExperience),
    ehp,
    ehb,
    ttm,
    tt200m,
    combatLevel,
    totalLevel,
  };
}

/**
 * The wire value of a derived metric (`overall`, `ehp`, `ehb`) for a history row, computed the same
 * way as {@link computeSnapshotStats} but without building the whole snapshot.
 */
export function derivedValue(
  row: Int32Array,
  metric: 'overall' | 'ehp' | 'ehb' | Metric,
  type: PlayerType,
): number {
  const factor = typeEfficiencyFactor(type);
  if (metric === 'overall' || metric === 'ehp') {
    let total = 0;
    for (let skill = 1; skill < skillCount; skill++) {
      const experience = row[skill - 1] ?? 0;
      if (experience <= 0) continue;
      if (metric === 'overall') {
        total += experience;
      } else {
        const rate = (SKILL_RATES[SKILLS[skill] ?? 'attack'] ?? 0) * factor;
        if (rate > 0) total += experience / rate;
      }
    }
    return metric === 'overall' && total === 0 ? -1 : total;
  }
  let total = 0;
  for (let boss = 0; boss < BOSSES.length; boss++) {
    const name = BOSSES[boss] ?? 'zulrah';
    const kills = row[historyBossOffset + boss] ?? 0;
    if (kills >= getMinimumValue(name)) total += kills / (bossKillsPerHour(name) * factor);
  }
  return total;
}

/**
 * The {@link SnapshotStats} of one of a member's snapshots (default: the latest), or null when the
 * member has no snapshots. Handy for computing what the fake server will answer.
 */
export function snapshotStatsOf(
  member: Pick<SyntheticMember, 'history' | 'player'>,
  row: number = member.history.times.length - 1,
): SnapshotStats | null {
  if (member.history.times.length === 0) return null;
  return computeSnapshotStats(historyRow(member.history, row), member.player.type);
}
