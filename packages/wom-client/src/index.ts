export { WomClient } from './client.js';
export type { WomClientConstructor } from './client.js';
export { GroupsClient } from './groups.js';
export type { GroupGainsFilter, GroupRecordsFilter, LeaderboardOptions } from './groups.js';
export { PlayersClient } from './players.js';
export type { PlayerRecordsFilter } from './players.js';
export { NameChangesClient } from './name-changes.js';
export type { NameChangeFilter } from './name-changes.js';
export { fetchGroupStats } from './clan.js';
export type {
  FetchGroupStatsOptions,
  GroupMemberStats,
  PlayerStats,
  GroupStats,
  GroupStatsRange,
  MemberGains,
  MetricDeltas,
  MetricValue,
  MetricValues,
} from './clan.js';
export {
  WomClientError,
  isWomClientError,
  WOM_CLIENT_ERROR_CODES,
  WOM_SERVER_ERROR_CODES,
} from './errors.js';
export type {
  HttpMethod,
  WomClientErrorCode,
  WomClientErrorDetails,
  WomErrorCode,
  WomServerErrorCode,
} from './errors.js';
export {
  DEFAULT_POINTS_WITH_API_KEY,
  DEFAULT_POINTS_WITHOUT_API_KEY,
  DefaultRetryOptions,
  DefaultWomClientOptions,
} from './transport/index.js';
export type {
  RateLimitInfo,
  RateLimitOptions,
  RetryOptions,
  WomClientEvent,
  WomClientOptions,
  WomRateLimitedEvent,
  WomRateLimitWaitEvent,
  WomRequestEvent,
  WomResponseEvent,
  WomRetryEvent,
} from './transport/index.js';
export {
  ACHIEVEMENT_MEASURES,
  ACTIVITIES,
  BOSSES,
  COMPETITION_STATUSES,
  COMPETITION_TYPES,
  COMPUTED_METRICS,
  COUNTRY_CODES,
  GROUP_ROLES,
  MEMBER_ACTIVITY_TYPES,
  METRIC_TYPES,
  METRICS,
  NAME_CHANGE_STATUSES,
  PERIOD_DURATIONS,
  PERIODS,
  PLAYER_ANNOTATION_TYPES,
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
export type {
  AchievementMeasure,
  Activity,
  AnyMetric,
  Boss,
  CompetitionStatus,
  CompetitionType,
  ComputedMetric,
  Country,
  GroupRole,
  MemberActivityType,
  Metric,
  MetricMeasure,
  MetricType,
  NameChangeStatus,
  Period,
  PeriodExpression,
  PlayerAnnotationType,
  PlayerBuild,
  PlayerStatus,
  PlayerType,
  Skill,
} from './enums.js';
export type * from './types/index.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;
