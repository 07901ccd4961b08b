import type { Activity, Boss, ComputedMetric, Skill } from '../enums.js';
import type { MetricDelta, UnknownMetrics, WireDate } from './common.js';

/** One skill in a snapshot. */
export interface SkillValue<Name extends string = Skill> {
  metric: Name;
  /** Experience; `-1` when unranked. */
  experience: number;
  /** Hiscores rank; `-1` when unranked. */
  rank: number;
  /**
   * Level, 1–99 from experience (1 when unranked). For `overall` this is the total level (at
   * least 33).
   */
  level: number;
  /** Efficient hours played in this skill (0 when unranked). For `overall`, the player's EHP. */
  ehp: number;
}

/** One boss in a snapshot. */
export interface BossValue<Name extends string = Boss> {
  metric: Name;
  /** Kill count; `-1` below the hiscores minimum (usually 5 kills). */
  kills: number;
  /** Hiscores rank; `-1` when unranked. */
  rank: number;
  /** Efficient hours bossed at this boss (0 when unranked). */
  ehb: number;
}

/** One activity (minigame, clue scrolls, collections) in a snapshot. */
export interface ActivityValue<Name extends string = Activity> {
  metric: Name;
  /** Score; `-1` below the hiscores minimum. */
  score: number;
  /** Hiscores rank; `-1` when unranked. */
  rank: number;
}

/** One computed metric (`ehp`, `ehb`) in a snapshot. */
export interface ComputedMetricValue<Name extends string = ComputedMetric> {
  metric: Name;
  /** The value, a float (hours). */
  value: number;
  /** Rank among tracked players; `-1` when unranked. */
  rank: number;
}

/** Every skill by name; unknown (newer) skills are kept, see {@link UnknownMetrics}. */
export type SnapshotSkills = { [Name in Skill]: SkillValue<Name> } & UnknownMetrics<
  SkillValue<string>
>;
/** Every boss by name; unknown (newer) bosses are kept. */
export type SnapshotBosses = { [Name in Boss]: BossValue<Name> } & UnknownMetrics<
  BossValue<string>
>;
/** Every activity by name; unknown (newer) activities are kept. */
export type SnapshotActivities = { [Name in Activity]: ActivityValue<Name> } & UnknownMetrics<
  ActivityValue<string>
>;
/** Both computed metrics by name; unknown (newer) ones are kept. */
export type SnapshotComputed = {
  [Name in ComputedMetric]: ComputedMetricValue<Name>;
} & UnknownMetrics<ComputedMetricValue<string>>;

/** The values of a snapshot, grouped skills → bosses → activities → computed (wire order). */
export interface SnapshotData {
  skills: SnapshotSkills;
  bosses: SnapshotBosses;
  activities: SnapshotActivities;
  computed: SnapshotComputed;
}

/** A player's hiscores at one moment. */
export interface Snapshot<Dates extends WireDate = Date> {
  /**
   * Always `-1`. Snapshots lost their database id in 2026; the server keeps this field for
   * backwards compatibility.
   * @deprecated Snapshots have no id; identify one by `playerId` and `createdAt`.
   */
  id: -1;
  /** The player's id (`-1` for a group's `averageStats`). */
  playerId: number;
  /** When the snapshot was taken. */
  createdAt: Dates;
  /** When it was imported from CrystalMathLabs or Temple, if it was. */
  importedAt: Dates | null;
  /** The values. */
  data: SnapshotData;
}

/** A point of a player's history for one metric (`/players/:username/snapshots/timeline`). */
export interface SnapshotTimelineEntry<Dates extends WireDate = Date> {
  /** The metric's value (experience, kills, score or computed value); `-1` when unranked. */
  value: number;
  /** The rank; `-1` when unranked. */
  rank: number;
  /** When the snapshot was taken. */
  date: Dates;
}

/** How one skill changed over a period. */
export interface SkillGain<Name extends string = Skill> {
  metric: Name;
  experience: MetricDelta;
  /** Efficient hours played; per-skill deltas may be negative when rates changed. */
  ehp: MetricDelta;
  rank: MetricDelta;
  level: MetricDelta;
}

/** How one boss changed over a period. */
export interface BossGain<Name extends string = Boss> {
  metric: Name;
  /** Efficient hours bossed; may be negative when rates changed. */
  ehb: MetricDelta;
  rank: MetricDelta;
  kills: MetricDelta;
}

/** How one activity changed over a period. */
export interface ActivityGain<Name extends string = Activity> {
  metric: Name;
  rank: MetricDelta;
  score: MetricDelta;
}

/** How one computed metric changed over a period. */
export interface ComputedMetricGain<Name extends string = ComputedMetric> {
  metric: Name;
  value: MetricDelta;
  rank: MetricDelta;
}

/** Every metric's change, grouped like {@link SnapshotData}; unknown metrics are kept. */
export interface PlayerGainsData {
  skills: { [Name in Skill]: SkillGain<Name> } & UnknownMetrics<SkillGain<string>>;
  bosses: { [Name in Boss]: BossGain<Name> } & UnknownMetrics<BossGain<string>>;
  activities: { [Name in Activity]: ActivityGain<Name> } & UnknownMetrics<ActivityGain<string>>;
  computed: { [Name in ComputedMetric]: ComputedMetricGain<Name> } & UnknownMetrics<
    ComputedMetricGain<string>
  >;
}

/**
 * A player's gains over a range (`/players/:username/gained`). Note `startsAt`/`endsAt` here,
 * where group gains use `startDate`/`endDate`.
 */
export interface PlayerGains<Dates extends WireDate = Date> {
  /** The first snapshot compared, or `null` (with all-zero data) when there is none in range. */
  startsAt: Dates | null;
  /** The last snapshot compared, or `null` when there is none in range. */
  endsAt: Dates | null;
  data: PlayerGainsData;
}
