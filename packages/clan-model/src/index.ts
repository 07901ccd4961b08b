export { baselineTolerance, computeClanSummary, WOM_WINDOW_GAINS_TOLERANCE_MS } from './compute.js';
export type { ComputeClanSummaryOptions } from './compute.js';
export { DefaultClanModelRules, MEMBER_WINDOW_KEYS, WINDOW_DAYS, WINDOW_KEYS } from './rules.js';
export type {
  ClanModelRules,
  DeepPartial,
  MemberWindowKey,
  ScoreWeights,
  WindowKey,
} from './rules.js';
export { toClanData } from './clan-data.js';
export type {
  ClanDataEvent,
  ClanDataFormerMember,
  ClanDataIdentity,
  ClanDataMember,
  ClanDataV1,
  ClanDataWindow,
  ClanDataWindowSource,
  IsoInstant,
  WithIsoInstants,
} from './clan-data.js';
export { clanDataSchema } from './schema.js';
export { ClanModelError, isClanModelError, CLAN_MODEL_ERROR_CODES } from './errors.js';
export type { ClanModelErrorCode, ClanModelErrorDetails } from './errors.js';
export type {
  BossHighlight,
  BossRecord,
  ChannelActivity,
  ChannelWindow,
  ClanEvent,
  ClanSummary,
  ClanWindowTotals,
  DailyPoint,
  FormerMemberSummary,
  GainSource,
  Heatmap,
  HeatmapWindow,
  InactivityDetails,
  InactivitySignal,
  InactivitySignalKey,
  LinkedDiscordUser,
  MemberIdentity,
  MemberStatus,
  MemberSummary,
  MemberWeekly,
  MemberWindow,
  MissingGainReason,
  RankUpSuggestion,
  ScoreBreakdown,
  UnmatchedDiscordUser,
  WindowSourceInfo,
} from './types.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;
