import type {
  AchievementMeasure,
  AnyMetric,
  Country,
  GroupRole,
  NameChangeStatus,
  Period,
  PlayerAnnotationType,
  PlayerBuild,
  PlayerStatus,
  PlayerType,
} from '../enums.js';
import type { WireDate } from './common.js';
import type { Snapshot } from './snapshot.js';

/** A tracked player, as embedded in most responses. */
export interface Player<Dates extends WireDate = Date> {
  id: number;
  /** The standardized name: lowercase, with `-`, `_` and runs of spaces turned into one space. */
  username: string;
  /** The name as typed, with its capitals. */
  displayName: string;
  type: PlayerType;
  build: PlayerBuild;
  status: PlayerStatus;
  country: Country | null;
  patron: boolean;
  /** Overall experience (0 when unranked or never updated). */
  exp: number;
  /** Efficient hours played (a float). */
  ehp: number;
  /** Efficient hours bossed (a float). */
  ehb: number;
  /** Hours to max. */
  ttm: number;
  /** Hours to 200M experience in every skill. */
  tt200m: number;
  registeredAt: Dates;
  /** The last successful update, or `null` if the player was never updated. */
  updatedAt: Dates | null;
  /** The last update in which any value went up. */
  lastChangedAt: Dates | null;
  /** The last import from CrystalMathLabs or Temple. */
  lastImportedAt: Dates | null;
}

/** Why and when a player's profile was archived (their name taken by another account). */
export interface PlayerArchive<Dates extends WireDate = Date> {
  playerId: number;
  previousUsername: string;
  archiveUsername: string;
  restoredUsername: string | null;
  createdAt: Dates;
  restoredAt: Dates | null;
}

/** A flag on a player, such as an opt-out. */
export interface PlayerAnnotation<Dates extends WireDate = Date> {
  playerId: number;
  type: PlayerAnnotationType;
  createdAt: Dates;
}

/** A player with their latest snapshot (`GET /players/:username`, and after an update). */
export interface PlayerDetails<Dates extends WireDate = Date> extends Player<Dates> {
  /** Combat level (3 when there is no snapshot). */
  combatLevel: number;
  /** Set only when `status` is `archived`. */
  archive: PlayerArchive<Dates> | null;
  annotations: Array<PlayerAnnotation<Dates>>;
  /** The newest snapshot, or `null` if the player has never been updated. */
  latestSnapshot: Snapshot<Dates> | null;
}

/** An achievement reached by a player (a level, a kill count, an experience milestone). */
export interface Achievement<Dates extends WireDate = Date> {
  playerId: number;
  /** For example `"100 Tombs of Amascut (Expert Mode) kills"` or `"Base 70 Stats"`. */
  name: string;
  metric: AnyMetric;
  /** The value that was reached, in units of `measure`. */
  threshold: number;
  /**
   * How precisely `createdAt` is known, in milliseconds: the gap between the two snapshots it
   * was found between. `null` if never computed, `-1` if the date is unknown.
   */
  accuracy: number | null;
  /** When it was reached (as precisely as `accuracy`). */
  createdAt: Dates;
  measure: AchievementMeasure;
  /** True for achievements from an older definition, kept for history. */
  legacy: boolean;
}

/**
 * A name change. The server fills `reviewContext` for some pending and denied changes with the
 * facts behind its automatic review.
 */
export interface NameChange<Dates extends WireDate = Date> {
  id: number;
  playerId: number;
  oldName: string;
  newName: string;
  status: NameChangeStatus;
  /** The automatic review's facts (its shape varies), or `null`. */
  reviewContext: Record<string, unknown> | null;
  /** When it was approved or denied. */
  resolvedAt: Dates | null;
  createdAt: Dates;
  updatedAt: Dates;
}

/** A player's best gain in one metric over one period. Records have no id. */
export interface RecordEntry<Dates extends WireDate = Date> {
  playerId: number;
  period: Period;
  metric: AnyMetric;
  /** The gain; a float for `ehp` and `ehb`. */
  value: number;
  /** When the record was set. */
  updatedAt: Dates;
}

/** A player's membership of one group, as the group lists it. */
export interface Membership<Dates extends WireDate = Date> {
  playerId: number;
  groupId: number;
  role: GroupRole;
  /** When the in-game clan sync (RuneLite plugin) says the player joined, if known. */
  clientSyncJoinedAt: Dates | null;
  /** When the player was added to the group on Wise Old Man. */
  createdAt: Dates;
  /** The last role change. */
  updatedAt: Dates;
}
