export { STREAMING_THRESHOLD, VERSION } from './render.js';
export { REPORT_FILE_NAME, renderClanReport, writeClanReport } from './write.js';
export type { WriteReportOptions, WriteReportResult } from './write.js';
export { XlsxReportError, isXlsxReportError } from './errors.js';
export type { XlsxReportErrorCode } from './errors.js';
export type {
  ReportChannel,
  ReportData,
  ReportDiscordUser,
  ReportEvent,
  ReportFormerMember,
  ReportIdentity,
  ReportInactivitySignal,
  ReportInstant,
  ReportMember,
  ReportMemberStatus,
  ReportMemberWindow,
  ReportRankUp,
  ReportRules,
  ReportUnmatchedDiscordUser,
  ReportWindowKey,
  ReportWindowTotals,
} from './report-data.js';
