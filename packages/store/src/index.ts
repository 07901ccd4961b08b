export { openStore, Store, DefaultOpenStoreOptions } from './store.js';
export type { OpenStoreOptions, OptimizeOptions, OptimizeResult } from './store.js';
export { StoreError, isStoreError, STORE_ERROR_CODES } from './errors.js';
export type { StoreErrorCode, StoreErrorDetails } from './errors.js';
export type { StoredContentCounts } from './content.js';
export {
  listBackups,
  restoreBackup,
  defaultBackupDir,
  BACKUP_FREE_SPACE_RESERVE,
  DEFAULT_BACKUP_KEEP,
  DEFAULT_BACKUP_STALL_TIMEOUT_MS,
} from './backup.js';
export type { BackupInfo, BackupOptions, RestoreOptions } from './backup.js';
export { defaultMigrationsDir } from './migrations.js';
export type { AppliedMigration, DownTarget, MigrationStatus, Migrations } from './migrations.js';
export { WomWriter } from './wom.js';
export type {
  GroupActivityRecord,
  GroupRecord,
  MemberRecord,
  MembershipSyncResult,
  MetricCategory,
  NameChangeRecord,
  PlayerRecord,
  SnapshotData,
  SnapshotRecord,
  WindowGainRecord,
} from './wom.js';
export { DiscordWriter } from './discord.js';
export type {
  ChannelRecord,
  CheckpointRecord,
  DiscordPage,
  GuildMemberRecord,
  GuildRecord,
  MessageRecord,
  RelayLineRecord,
  UserRecord,
} from './discord.js';
export { IdentityStore } from './identity.js';
export type {
  ChangeCounts,
  IdentityBlock,
  IdentityBlockInput,
  IdentityLink,
  LinkCandidates,
  LinkCandidatesOptions,
  LinkSource,
  ManualLinkInput,
  RefreshLinksOptions,
  RefreshLinksResult,
  ReplaceManualLinksResult,
  SkippedSuggestion,
  SkipReason,
  UnmatchedAuthor,
  UnmatchedAuthorsOptions,
  UnmatchedCandidate,
  UnmatchedReason,
} from './identity.js';
export { RunLog } from './runs.js';
export type { HarvestRun, RunOutcome, RunProblem, RunStatus } from './runs.js';
export { SUMMARY_POST_KINDS, SummaryPosts } from './summary-posts.js';
export type { SummaryPost, SummaryPostInput, SummaryPostKind } from './summary-posts.js';
export { StoreReader } from './readers.js';
export type {
  AuthorActivity,
  MemberRow,
  MetricValue,
  PlayerNameRow,
  PlayerSnapshot,
  RelayActivity,
  TimeRange,
} from './readers.js';
export { suggestLinks } from './link-suggestions.js';
export type {
  LinkAmbiguity,
  LinkCandidateName,
  LinkCandidatePlayer,
  LinkCandidateUser,
  LinkMatch,
  LinkSuggestion,
  LinkSuggestions,
  LinkVia,
} from './link-suggestions.js';
export { millisToSnowflake, normalizeRsn, snowflakeToMillis } from './values.js';
export type { Instant, Snowflake } from './values.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;
