export { VERSION, renderDashboard, scriptSafeJson } from './render.js';
export type { RenderDashboardOptions } from './render.js';
export { DASHBOARD_FILE_NAME, deployFiles, writeDashboard } from './write.js';
export type {
  DeployFilesOptions,
  DeployFilesResult,
  WriteDashboardOptions,
  WriteDashboardResult,
} from './write.js';
export { toViewModel } from './view-model.js';
export type { ViewModelOptions } from './view-model.js';
export { DashboardError, isDashboardError } from './errors.js';
export type { DashboardErrorCode } from './errors.js';
export type {
  DashboardBossHighlight,
  DashboardBossRecord,
  DashboardDailyPoint,
  DashboardData,
  DashboardDiscordUser,
  DashboardEvent,
  DashboardFormerMember,
  DashboardHeatmapCounts,
  DashboardIdentity,
  DashboardInactivitySignal,
  DashboardInstant,
  DashboardMember,
  DashboardMemberStatus,
  DashboardMemberWindow,
  DashboardRankUp,
  DashboardRules,
  DashboardWindowKey,
  DashboardWindowTotals,
} from './dashboard-data.js';
export type * from './shared/view-model.js';
export { METRIC_INFO, SKILL_ORDER, metricKind, metricName } from './metrics.js';
export type { MetricInfo, MetricKind } from './metrics.js';
export { ICON_EXTENSIONS, installIcons, loadIcons } from './icons.js';
export type {
  IconSet,
  InstallIconsOptions,
  InstallIconsResult,
  LoadIconsOptions,
} from './icons.js';
