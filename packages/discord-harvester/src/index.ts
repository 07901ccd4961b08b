export { DiscordHarvester } from './harvester.js';
export { DefaultDiscordHarvesterOptions } from './options.js';
export type { DiscordHarvesterOptions } from './options.js';
export {
  DiscordHarvesterError,
  isDiscordHarvesterError,
  DISCORD_HARVESTER_ERROR_CODES,
} from './errors.js';
export type { DiscordHarvesterErrorCode, DiscordHarvesterErrorDetails } from './errors.js';
export type {
  HarvestChannelSkippedEvent,
  HarvestContentUnavailableEvent,
  HarvestDiscoveryEvent,
  HarvestEvent,
  HarvestMembersFallbackEvent,
  HarvestRateLimitedEvent,
  HarvestRateLimitWaitEvent,
  HarvestRequestEvent,
  HarvestThreadDiscoveredEvent,
} from './events.js';
export type {
  ChannelDoneItem,
  ChannelSkipReason,
  ChannelSkippedItem,
  ChannelsItem,
  CheckpointReader,
  GuildCheck,
  GuildItem,
  HarvestChannel,
  HarvestCheckpoint,
  HarvestItem,
  HarvestOptions,
  HarvestRun,
  HarvestStats,
  HarvestedMember,
  HarvestedMessage,
  HarvestedUser,
  MembersOptions,
  MembersPage,
  MessagesPage,
  RelayLine,
} from './types.js';
export {
  DEFAULT_RELAY_LINE_PATTERN,
  matchesRelayAuthor,
  normalizeRsn,
  parseRelayLines,
} from './relay.js';
export type { ParsedRelayLine, RelayAuthor, RelayRule } from './relay.js';
export { isQuestionText, isQuestionTitle, QUESTION_MARKS, QUESTION_WORDS } from './questions.js';
export {
  DISCORD_EPOCH,
  compareSnowflakes,
  isSnowflake,
  maxSnowflake,
  minSnowflake,
  snowflakeFromTimestamp,
  snowflakeToTimestamp,
} from './snowflake.js';
export {
  ALL_PERMISSIONS,
  canManageThreads,
  channelAccess,
  computeBasePermissions,
  computeChannelPermissions,
} from './permissions.js';
export type {
  BasePermissionsInput,
  ChannelAccess,
  ChannelPermissionsInput,
  PermissionOverwrite,
  PermissionRole,
} from './permissions.js';
export { detectContentAvailability } from './content.js';
export {
  DefaultPostWebhookOptions,
  checkWebhookMessage,
  parseWebhookUrl,
  postWebhookMessage,
} from './webhook.js';
export type {
  PostWebhookOptions,
  PostedWebhookMessage,
  WebhookEmbed,
  WebhookMessage,
} from './webhook.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;
