/**
 * The synthetic clan data model: a plain, typed description of one Old School RuneScape clan as
 * Wise Old Man (and, later, Discord) would see it. Produced by `createSyntheticClan()`; consumed by
 * the fake servers and usable directly by tests to compute expected results independently.
 *
 * Dates are ISO 8601 strings in `Date.toISOString()` form. Stats live in compact per-member
 * {@link SnapshotHistory} typed arrays; wire snapshots are materialized on demand.
 */
import type {
  AchievementMeasure,
  CompetitionType,
  GroupRole,
  MemberActivityType,
  Metric,
  NameChangeStatus,
  PlayerBuild,
  PlayerStatus,
  PlayerType,
} from '../wom/enums.js';

/** An ISO 8601 instant as produced by `Date.prototype.toISOString()`, e.g. `2026-11-01T00:00:00.000Z`. */
export type IsoDate = string;

/**
 * How a member plays over the generated period; this is what inactivity detection should find.
 *
 * - `very-active`: plays most days, several hours.
 * - `active`: plays more days than not.
 * - `casual`: plays about one day in four.
 * - `idle`: plays, then takes a break of months (which may still be going on at `now`).
 * - `quit`: stops playing for good partway through; still updated daily (nothing changes).
 * - `stale`: stops being updated at all partway through (`updatedAt` is old).
 * - `untracked`: added to the group but never updated (no snapshots, type `unknown`).
 */
export type ActivityProfile =
  'very-active' | 'active' | 'casual' | 'idle' | 'quit' | 'stale' | 'untracked';

/** A whole synthetic clan. Same `seed` and options ⇒ identical value (see `fingerprintSyntheticClan`). */
export interface SyntheticClan {
  /** The seed it was generated from. */
  readonly seed: number;
  /** The reference instant ("today"); no generated event is later than this. */
  readonly now: IsoDate;
  /** The number of days of history generated before {@link SyntheticClan.now}. */
  readonly days: number;
  /** `now − days`: the first day of the generated history. */
  readonly startedAt: IsoDate;
  /** The WOM group. */
  readonly group: SyntheticGroup;
  /**
   * Everyone who has been a member during the period: current members (`membership.leftAt === null`)
   * first in join order, then former members (kept, with `leftAt` set) in join order.
   */
  readonly members: readonly SyntheticMember[];
  /** Membership events (joins, leaves, role changes), oldest first. */
  readonly activity: readonly SyntheticMemberActivity[];
  /** Name changes (approved, pending and denied), oldest first. Approved ones are reflected in usernames. */
  readonly nameChanges: readonly SyntheticNameChange[];
  /** Achievements of members, oldest first. */
  readonly achievements: readonly SyntheticAchievement[];
  /** The group's competitions (finished, ongoing and upcoming). */
  readonly competitions: readonly SyntheticCompetition[];
  /** The clan's Discord server, for the Discord fake. */
  readonly discordGuild: SyntheticDiscordGuild;
}

/** The WOM group, with the fields of WOM's `GroupDetails` plus its verification code. */
export interface SyntheticGroup {
  readonly id: number;
  readonly name: string;
  readonly clanChat: string | null;
  readonly description: string | null;
  readonly homeworld: number | null;
  readonly verified: boolean;
  readonly patron: boolean;
  readonly visible: boolean;
  readonly profileImage: string | null;
  readonly bannerImage: string | null;
  readonly score: number;
  readonly createdAt: IsoDate;
  readonly updatedAt: IsoDate;
  /** The number of current members. */
  readonly memberCount: number;
  /** The code for `POST /groups/:id/update-all`, format `XXX-XXX-XXX` (digits). */
  readonly verificationCode: string;
  readonly socialLinks: {
    readonly website: string | null;
    readonly discord: string | null;
    readonly twitter: string | null;
    readonly youtube: string | null;
    readonly twitch: string | null;
  };
  /** Custom role order, `[]` when the group uses the default order. */
  readonly roleOrders: ReadonlyArray<{ readonly role: GroupRole; readonly index: number }>;
}

/** A WOM player, without the stats fields (`exp`, `ehp`, …), which derive from the latest snapshot. */
export interface SyntheticPlayer {
  readonly id: number;
  /** Standardized: lowercase, `-`/`_` turned into spaces, 1–12 characters of `[a-z0-9 ]`. */
  readonly username: string;
  /** The name with its case (and possibly `-`/`_`) as the player typed it. */
  readonly displayName: string;
  readonly type: PlayerType;
  readonly build: PlayerBuild;
  readonly status: PlayerStatus;
  /** An ISO 3166-1 alpha-2 code (or `GB_ENG`-style), or null. */
  readonly country: string | null;
  readonly patron: boolean;
  readonly registeredAt: IsoDate;
  /** The latest snapshot's time; null when never updated. */
  readonly updatedAt: IsoDate | null;
  /** The last snapshot in which any value went up; null when never changed. */
  readonly lastChangedAt: IsoDate | null;
  readonly lastImportedAt: IsoDate | null;
}

/** A membership (current, or the last one of a former member). */
export interface SyntheticMembership {
  readonly playerId: number;
  readonly groupId: number;
  /** Current role (or the role when the member left). */
  readonly role: GroupRole;
  readonly clientSyncJoinedAt: IsoDate | null;
  /** When the member joined. */
  readonly createdAt: IsoDate;
  /** The last role change, or the join time. */
  readonly updatedAt: IsoDate;
  /** When a former member left; null for current members. */
  readonly leftAt: IsoDate | null;
}

/** A Discord identity for a member, consistent with the RuneScape side. */
export interface SyntheticDiscordIdentity {
  /** A snowflake (decimal string) whose timestamp is the account's creation time. */
  readonly userId: string;
  /** The unique lowercase Discord username. */
  readonly username: string;
  /** The display name, or null. */
  readonly globalName: string | null;
  /** The guild nickname, usually resembling the RSN; null when unset. */
  readonly nickname: string | null;
  /** When the account was created (the snowflake's timestamp). */
  readonly createdAt: IsoDate;
  /** When the member joined the clan's Discord server. */
  readonly joinedAt: IsoDate;
  /** Whether the member is still in the Discord server. */
  readonly inGuild: boolean;
}

/** The clan's Discord server. */
export interface SyntheticDiscordGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerUserId: string | null;
  readonly createdAt: IsoDate;
}

/**
 * Compact snapshot history of one player: one row per snapshot (ascending time), over the
 * {@link HistoryColumn} columns (24 skills' experience, 71 bosses' kills, 15 activities' scores:
 * 110 true values, not clamped to the hiscores thresholds). Rows are stored as an initial row plus
 * a sparse list of changes; read them with `historyRow()` / `historyValue()`.
 */
export interface SnapshotHistory {
  /** Epoch milliseconds of each snapshot, strictly ascending. Its length is the snapshot count. */
  readonly times: Float64Array;
  /** The values at row 0 (length 110). */
  readonly initial: Int32Array;
  /** For each change: the row from which it applies (ascending). */
  readonly changeRows: Uint32Array;
  /** For each change: the column. */
  readonly changeColumns: Uint8Array;
  /** For each change: the new (larger) value. */
  readonly changeValues: Int32Array;
}

/** One member (current or former) of the clan. */
export interface SyntheticMember {
  readonly player: SyntheticPlayer;
  readonly membership: SyntheticMembership;
  readonly profile: ActivityProfile;
  /** The member's daily snapshots; empty for `untracked` members. */
  readonly history: SnapshotHistory;
  /** The member's Discord identity; null for the ~15% who have none. */
  readonly discord: SyntheticDiscordIdentity | null;
  /**
   * How talkative the member is on Discord: expected messages per active day (0 = lurker).
   * Correlated with, but not equal to, in-game activity.
   */
  readonly chattiness: number;
}

/** A membership event, as WOM's member activity. */
export interface SyntheticMemberActivity {
  readonly groupId: number;
  readonly playerId: number;
  readonly type: MemberActivityType;
  /** The role at join/leave, or the new role for `changed_role`. */
  readonly role: GroupRole | null;
  /** The previous role for `changed_role`; otherwise null. */
  readonly previousRole: GroupRole | null;
  readonly createdAt: IsoDate;
}

/** A name change, as WOM's `NameChange`. */
export interface SyntheticNameChange {
  readonly id: number;
  readonly playerId: number;
  readonly oldName: string;
  readonly newName: string;
  readonly status: NameChangeStatus;
  readonly reviewContext: null;
  readonly resolvedAt: IsoDate | null;
  readonly createdAt: IsoDate;
  readonly updatedAt: IsoDate;
}

/** An achievement, as WOM's `Achievement`. */
export interface SyntheticAchievement {
  readonly playerId: number;
  readonly name: string;
  readonly metric: Metric;
  readonly threshold: number;
  /** Milliseconds of uncertainty (time between the two snapshots around the crossing); -1 when unknown. */
  readonly accuracy: number | null;
  /** When it was reached; `1970-01-01T00:00:00.000Z` when it predates tracking (accuracy -1). */
  readonly createdAt: IsoDate;
  readonly measure: AchievementMeasure;
  readonly legacy: boolean;
}

/** A competition of the group. */
export interface SyntheticCompetition {
  readonly id: number;
  readonly title: string;
  readonly type: CompetitionType;
  readonly metric: Metric;
  readonly startsAt: IsoDate;
  readonly endsAt: IsoDate;
  readonly groupId: number;
  readonly score: number;
  readonly visible: boolean;
  readonly createdAt: IsoDate;
  readonly updatedAt: IsoDate;
  /** Player ids taking part. */
  readonly participantIds: readonly number[];
}
