export {
  createSyntheticClan,
  fingerprintSyntheticClan,
  metricDisplayName,
  DefaultSyntheticClanOptions,
} from './clan/generate.js';
export type { SyntheticClanOptions } from './clan/generate.js';
export type {
  ActivityProfile,
  IsoDate,
  SnapshotHistory,
  SyntheticAchievement,
  SyntheticClan,
  SyntheticCompetition,
  SyntheticDiscordGuild,
  SyntheticDiscordIdentity,
  SyntheticGroup,
  SyntheticMember,
  SyntheticMemberActivity,
  SyntheticMembership,
  SyntheticNameChange,
  SyntheticPlayer,
} from './clan/model.js';
export {
  createSyntheticClanData,
  DefaultSyntheticClanDataOptions,
  HOSTILE_NAMES,
} from './clan/clan-data.js';
export type { SyntheticClanDataOptions } from './clan/clan-data.js';
export type {
  SyntheticBossHighlight,
  SyntheticBossRecord,
  SyntheticChangedRoleEvent,
  SyntheticChannelActivity,
  SyntheticChannelWindow,
  SyntheticClanData,
  SyntheticClanDataEvent,
  SyntheticClanDataFormerMember,
  SyntheticClanDataIdentity,
  SyntheticClanDataMember,
  SyntheticClanDataRules,
  SyntheticClanDataWindow,
  SyntheticClanDataWindowSource,
  SyntheticClanWindowTotals,
  SyntheticDailyPoint,
  SyntheticGainSource,
  SyntheticHeatmap,
  SyntheticInactivitySignal,
  SyntheticInactivitySignalKey,
  SyntheticJoinedEvent,
  SyntheticLeftEvent,
  SyntheticLinkedDiscordUser,
  SyntheticMemberStatus,
  SyntheticMemberWindowKey,
  SyntheticMissingGainReason,
  SyntheticNameChangedEvent,
  SyntheticRankUpSuggestion,
  SyntheticUnmatchedDiscordUser,
  SyntheticWeeklyActivity,
  SyntheticWindowKey,
} from './clan/clan-data-model.js';
export {
  HISTORY_COLUMNS,
  firstRowAtOrAfter,
  historyColumnOf,
  historyLength,
  historyRow,
  historyValue,
  lastRowAtOrBefore,
} from './clan/history.js';
export type { HistoryColumn } from './clan/history.js';
export { sanitizeDisplayName, standardizeUsername, validateUsername } from './clan/names.js';
export type { UsernameProblem } from './clan/names.js';
export { createRandom, hashString } from './random.js';
export type { Random } from './random.js';
export { TestkitError, isTestkitError, TESTKIT_ERROR_CODES } from './errors.js';
export type { TestkitErrorCode } from './errors.js';
export {
  ACTIVITIES,
  BOSSES,
  COMPUTED_METRICS,
  GROUP_ROLES,
  METRICS,
  NAME_CHANGE_STATUSES,
  PERIODS,
  PERIOD_DURATIONS,
  PLAYER_BUILDS,
  PLAYER_STATUSES,
  PLAYER_TYPES,
  PRIVILEGED_GROUP_ROLES,
  SKILLS,
  getMetricMeasure,
  getMetricType,
  getMinimumValue,
  isMetric,
} from './wom/enums.js';
export type {
  AchievementMeasure,
  Activity,
  Boss,
  CompetitionType,
  ComputedMetric,
  GroupRole,
  MemberActivityType,
  Metric,
  MetricMeasure,
  MetricType,
  NameChangeStatus,
  Period,
  PlayerBuild,
  PlayerStatus,
  PlayerType,
  Skill,
} from './wom/enums.js';
export {
  EXPERIENCE_TABLE,
  MAX_SKILL_EXPERIENCE,
  MAX_TOTAL_LEVEL,
  SKILL_EXPERIENCE_CAP,
  getCombatLevel,
  getExperienceForLevel,
  getLevel,
} from './wom/experience.js';
export { SNAPSHOT_METRICS, computeSnapshotStats, snapshotStatsOf } from './wom/stats.js';
export type { SnapshotStats } from './wom/stats.js';
export { calculateMetricDelta } from './wom/deltas.js';
export type { MetricDelta } from './wom/deltas.js';
export { parsePeriodExpression } from './wom/validation.js';
export { startFakeWomServer } from './wom/server.js';
export type {
  FakeWomRequest,
  FakeWomServer,
  FakeWomServerOptions,
  FakeWomStats,
} from './wom/server.js';
export type { ExtraRow, GroupState, MembershipState, PlayerState, WomState } from './wom/state.js';
export type { WomAdvanceResult } from './wom/advance.js';
export type { AdvanceDuration } from './clan/progress.js';
export { DefaultFakeWomRateLimitOptions } from './wom/rate-limit.js';
export type { FakeWomRateLimitOptions } from './wom/rate-limit.js';
export type { RequestCounters } from './http/server.js';
export type {
  DelayFault,
  FaultKind,
  FaultMatch,
  FaultSpec,
  HtmlFault,
  InjectedFault,
  RateLimitStormFault,
  ResetFault,
  StatusFault,
  TruncatedJsonFault,
} from './http/faults.js';
export { createSyntheticDiscord, DefaultSyntheticDiscordOptions } from './discord/generate.js';
export type { SyntheticDiscordOptions } from './discord/generate.js';
export {
  DISCORD_CHANNEL_TYPES,
  DISCORD_MESSAGE_TYPES,
  DISCORD_PERMISSIONS,
} from './discord/model.js';
export type {
  SyntheticDiscord,
  SyntheticDiscordAccess,
  SyntheticDiscordChannel,
  SyntheticDiscordChannelRole,
  SyntheticDiscordGuildInfo,
  SyntheticDiscordMember,
  SyntheticDiscordMessage,
  SyntheticDiscordOverwrite,
  SyntheticDiscordRole,
  SyntheticDiscordUser,
  SyntheticDiscordWebhook,
  SyntheticRelayLine,
} from './discord/model.js';
export {
  DISCORD_EPOCH,
  discordTimestamp,
  snowflakeFromTime,
  timeFromSnowflake,
} from './discord/snowflake.js';
export { startFakeDiscordServer } from './discord/server.js';
export type { DiscordAdvanceResult } from './discord/advance.js';
export type {
  FakeDiscordIntents,
  FakeDiscordRequest,
  FakeDiscordServer,
  FakeDiscordServerOptions,
  FakeDiscordStats,
} from './discord/server.js';
export { DefaultFakeDiscordRateLimitOptions } from './discord/rate-limit.js';
export type { FakeDiscordLimit, FakeDiscordRateLimitOptions } from './discord/rate-limit.js';
export { DISCORD_ERROR_CODES } from './discord/routes.js';
export type {
  FakeDiscordWebhook,
  FakeDiscordWebhookOptions,
  FakeDiscordWebhookPost,
} from './discord/webhooks.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;
