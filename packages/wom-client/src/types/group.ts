import type {
  Activity,
  AnyMetric,
  Boss,
  CompetitionType,
  ComputedMetric,
  GroupRole,
  MemberActivityType,
  Metric,
  Skill,
} from '../enums.js';
import type { MetricDelta, UnknownMetrics, WireDate } from './common.js';
import type { Achievement, Membership, NameChange, Player, RecordEntry } from './player.js';
import type { Snapshot } from './snapshot.js';

/** A group (clan), as embedded in other responses. */
export interface Group<Dates extends WireDate = Date> {
  id: number;
  name: string;
  /** The in-game clan chat name. */
  clanChat: string | null;
  description: string | null;
  homeworld: number | null;
  verified: boolean;
  patron: boolean;
  /** False for groups hidden from public lists. */
  visible: boolean;
  profileImage: string | null;
  bannerImage: string | null;
  score: number;
  createdAt: Dates;
  updatedAt: Dates;
  memberCount: number;
}

/** A group's links; every field is `null` when not set. */
export interface GroupSocialLinks {
  website: string | null;
  discord: string | null;
  twitter: string | null;
  youtube: string | null;
  twitch: string | null;
}

/** The position of a role in the group's custom role order. */
export interface GroupRoleOrder {
  groupId: number;
  role: GroupRole;
  /** 0 first. */
  index: number;
}

/** A membership with its player, as in group details. */
export interface GroupMembership<Dates extends WireDate = Date> extends Membership<Dates> {
  player: Player<Dates>;
}

/** A membership with its group, as in a player's group list. */
export interface PlayerMembership<Dates extends WireDate = Date> extends Membership<Dates> {
  group: Group<Dates>;
}

/** A group with its members (`GET /groups/:id`). */
export interface GroupDetails<Dates extends WireDate = Date> extends Group<Dates> {
  socialLinks: GroupSocialLinks;
  /** The custom role order, by `index`; empty when the group has none. */
  roleOrders: GroupRoleOrder[];
  /**
   * Every member, ordered by the role order (or privileged roles first, then roles
   * alphabetically). Members never updated have zeroed stats and `updatedAt: null`.
   */
  memberships: Array<GroupMembership<Dates>>;
}

/** A skill's hiscores entry. For `overall`, `level` is the total level. */
export interface SkillHiscoresData {
  type: 'skill';
  rank: number;
  level: number;
  experience: number;
}
/** A boss's hiscores entry. */
export interface BossHiscoresData {
  type: 'boss';
  rank: number;
  kills: number;
}
/** An activity's hiscores entry. */
export interface ActivityHiscoresData {
  type: 'activity';
  rank: number;
  score: number;
}
/** A computed metric's hiscores entry. */
export interface ComputedMetricHiscoresData {
  type: 'computed';
  rank: number;
  value: number;
}
/** Any hiscores entry; `type` tells which. */
export type GroupHiscoresData =
  SkillHiscoresData | BossHiscoresData | ActivityHiscoresData | ComputedMetricHiscoresData;

/** The hiscores entry type for a metric: `HiscoresDataFor<'zulrah'>` is {@link BossHiscoresData}. */
export type HiscoresDataFor<Name extends Metric> = Name extends Skill
  ? SkillHiscoresData
  : Name extends Boss
    ? BossHiscoresData
    : Name extends Activity
      ? ActivityHiscoresData
      : Name extends ComputedMetric
        ? ComputedMetricHiscoresData
        : never;

/** One member in a group's hiscores for one metric (`GET /groups/:id/hiscores`). */
export interface GroupHiscoresEntry<
  Dates extends WireDate = Date,
  Data extends GroupHiscoresData = GroupHiscoresData,
> {
  player: Player<Dates>;
  data: Data;
}

/** One member's latest snapshot (`GET /groups/:id/bulk-hiscores`). */
export interface BulkHiscoresEntry<Dates extends WireDate = Date> {
  player: Player<Dates>;
  data: Snapshot<Dates>;
}

/** One member's gain in one metric (`GET /groups/:id/gained`). */
export interface GroupGainsEntry<Dates extends WireDate = Date> {
  player: Player<Dates>;
  /** The member's first snapshot in range. */
  startDate: Dates;
  /** The member's last snapshot in range (their latest, for a period). */
  endDate: Dates;
  data: MetricDelta;
}

/** One metric's change in a bulk-gained row. */
export interface MetricGain extends MetricDelta {
  metric: AnyMetric;
}

/** One member's gains in every metric (`GET /groups/:id/bulk-gained`). */
export interface BulkGainsEntry<Dates extends WireDate = Date> {
  player: Player<Dates>;
  startDate: Dates;
  endDate: Dates;
  /** Every metric, in `METRICS` order (skills, activities, bosses, computed). */
  data: MetricGain[];
}

/** A join, leave or role change. */
export interface MemberActivity<Dates extends WireDate = Date> {
  groupId: number;
  playerId: number;
  type: MemberActivityType;
  /** The role on joining or leaving, or the new role; `null` in some older rows. */
  role: GroupRole | null;
  /** The old role, for `changed_role` only. */
  previousRole: GroupRole | null;
  createdAt: Dates;
}

/** A {@link MemberActivity} with its player (`GET /groups/:id/activity`). */
export interface GroupMemberActivity<Dates extends WireDate = Date> extends MemberActivity<Dates> {
  player: Player<Dates>;
}

/** An {@link Achievement} with its player (`GET /groups/:id/achievements`). */
export interface GroupAchievement<Dates extends WireDate = Date> extends Achievement<Dates> {
  player: Player<Dates>;
}

/** An approved {@link NameChange} with its player (`GET /groups/:id/name-changes`). */
export interface GroupNameChange<Dates extends WireDate = Date> extends NameChange<Dates> {
  player: Player<Dates>;
}

/** A {@link RecordEntry} with its player (`GET /groups/:id/records`). */
export interface GroupRecordEntry<Dates extends WireDate = Date> extends RecordEntry<Dates> {
  player: Player<Dates>;
}

/** A metric a competition tracks. */
export interface CompetitionMetric<Dates extends WireDate = Date> {
  /** Currently always 1. */
  weight: number;
  metric: AnyMetric;
  createdAt: Dates;
}

/** A competition. */
export interface Competition<Dates extends WireDate = Date> {
  id: number;
  title: string;
  type: CompetitionType;
  /** The start. Competitions use `startsAt`/`endsAt`. */
  startsAt: Dates;
  endsAt: Dates;
  groupId: number | null;
  score: number;
  visible: boolean;
  createdAt: Dates | null;
  updatedAt: Dates | null;
  /**
   * The first metric.
   * @deprecated Use `metrics`; a competition may track several.
   */
  metric: AnyMetric;
  metrics: Array<CompetitionMetric<Dates>>;
  participantCount: number;
  /** The hosting group; absent when there is none. */
  group?: Group<Dates>;
}

/** A competition with its group (`GET /groups/:id/competitions`). */
export interface GroupCompetition<Dates extends WireDate = Date> extends Competition<Dates> {
  group: Group<Dates>;
}

/** The member with the best value in one skill. */
export interface SkillLeader<Dates extends WireDate = Date, Name extends string = Skill> {
  metric: Name;
  experience: number;
  rank: number;
  level: number;
  /** `null` when nobody is ranked. */
  player: Player<Dates> | null;
}
/** The member with the most kills of one boss. */
export interface BossLeader<Dates extends WireDate = Date, Name extends string = Boss> {
  metric: Name;
  kills: number;
  rank: number;
  player: Player<Dates> | null;
}
/** The member with the best score in one activity. */
export interface ActivityLeader<Dates extends WireDate = Date, Name extends string = Activity> {
  metric: Name;
  score: number;
  rank: number;
  player: Player<Dates> | null;
}
/** The member with the highest computed metric. */
export interface ComputedMetricLeader<
  Dates extends WireDate = Date,
  Name extends string = ComputedMetric,
> {
  metric: Name;
  value: number;
  rank: number;
  player: Player<Dates> | null;
}

/** The leader of every metric, grouped like a snapshot; unknown metrics are kept. */
export interface MetricLeaders<Dates extends WireDate = Date> {
  skills: { [Name in Skill]: SkillLeader<Dates, Name> } & UnknownMetrics<
    SkillLeader<Dates, string>
  >;
  bosses: { [Name in Boss]: BossLeader<Dates, Name> } & UnknownMetrics<BossLeader<Dates, string>>;
  activities: { [Name in Activity]: ActivityLeader<Dates, Name> } & UnknownMetrics<
    ActivityLeader<Dates, string>
  >;
  computed: { [Name in ComputedMetric]: ComputedMetricLeader<Dates, Name> } & UnknownMetrics<
    ComputedMetricLeader<Dates, string>
  >;
}

/** A group's statistics (`GET /groups/:id/statistics`). */
export interface GroupStatistics<Dates extends WireDate = Date> {
  /** Members with combat level 126. */
  maxedCombatCount: number;
  /** Members with the maximum total level. */
  maxedTotalCount: number;
  /** 200M-experience skills, counted across all members. */
  maxed200msCount: number;
  /** The members' mean values, as a snapshot with `playerId: -1` taken now. */
  averageStats: Snapshot<Dates>;
  metricLeaders: MetricLeaders<Dates>;
}

/** The answer to `POST /groups/:id/update-all`. */
export interface UpdateAllResult {
  /** How many outdated members (not updated in about 24 hours) were queued for an update. */
  count: number;
  /** The server's sentence, e.g. `"6 outdated (updated > 24h ago) players are being updated. …"`. */
  message: string;
}
