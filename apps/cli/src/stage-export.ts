/**
 * The `export` stage: computes the clan model from the store for the run's as-of time and writes
 * it as `clan_data.json` (schema version 1, described by `@clanstats/clan-model`'s JSON Schema) and
 * as the dashboard (`clan_dashboard.html`, `@clanstats/dashboard-gen`) into `CLANSTATS_OUT_DIR`,
 * atomically, then copies them to `LOCAL_DRIVE_PATH` when it is set. Last, with
 * `DISCORD_WEBHOOK_URL` set, it posts the weekly summary to Discord when one is due; a failed post
 * is a warning, never a failed export.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  computeClanSummary,
  isClanModelError,
  toClanData,
  type ClanModelRules,
  type ClanSummary,
} from '@clanstats/clan-model';
import {
  DASHBOARD_FILE_NAME,
  deployFiles,
  isDashboardError,
  loadIcons,
  writeDashboard,
} from '@clanstats/dashboard-gen';
import {
  checkWebhookMessage,
  isDiscordHarvesterError,
  parseWebhookUrl,
  postWebhookMessage,
} from '@clanstats/discord-harvester';
import type { Store } from '@clanstats/store';
import { loadClanRules, type ClanRules } from './config.js';
import { ClanstatsError, ConfigError } from './errors.js';
import {
  ensureDriveFolder,
  fileErrorAdvice,
  outputWriteError,
  systemErrorCode,
} from './file-errors.js';
import type { JsonValue } from './protocol.js';
import { CORE_SETTINGS, readSettings, type Settings } from './settings.js';
import type { StageContext, StageOutput } from './stage-runtime.js';
import { removeStaleTemporaryFiles } from './stale-files.js';
import {
  isWeeklySummaryDue,
  WEEKLY_POST_INTERVAL_MS,
  weeklySummaryMessage,
} from './summary-post.js';
import { webhookUrlIssue } from './webhook-setting.js';

/** The file name of the serialized clan model. */
export const CLAN_DATA_FILE = 'clan_data.json';

/** The clan model's part of the clan's rules file. */
export function toModelRules(rules: ClanRules): ClanModelRules {
  const { score, inactivity, ranks } = rules;
  return { score, inactivity, ranks };
}

/** Computes the clan model as the report and the export see it, with the clan rules it used. */
export function buildClanSummary(
  context: StageContext,
  store: Store,
  asOf: number,
): { summary: ClanSummary; timeZone: string; rules: ClanRules } {
  const settings = readSettings(context.env, context.cwd, {
    validate: [...CORE_SETTINGS, 'CLANSTATS_TIMEZONE', 'WOM_GROUP_ID'],
    require: [],
  });
  const { rules } = loadClanRules(context.cwd);
  try {
    const summary = computeClanSummary(store, {
      asOf,
      timeZone: settings.timezone,
      rules: toModelRules(rules),
      ...(settings.womGroupId === undefined ? {} : { groupId: settings.womGroupId }),
    });
    return { summary, timeZone: settings.timezone, rules };
  } catch (error) {
    if (isClanModelError(error) && error.code === 'NO_GROUP') {
      throw new ClanstatsError(
        'STAGE_FAILED',
        `${error.message}. Run "clanstats harvest" (with WOM_GROUP_ID set) before "clanstats ${context.stage}".`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Writes `text` to `path` through a temporary file and a rename, so readers never see half a file. */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw outputWriteError(
      '',
      path,
      { setting: 'CLANSTATS_OUT_DIR', folder: dirname(path) },
      error,
      'The previous file, if any, is unchanged.',
    );
  }
}

/**
 * Creates the output folder, or says which setting to fix; removes the temporary files a killed
 * run left in it.
 */
export function ensureOutputFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
    removeStaleTemporaryFiles(folder);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const advice =
      fileErrorAdvice(systemErrorCode(error), 'CLANSTATS_OUT_DIR', folder) ??
      `${reason}; set CLANSTATS_OUT_DIR to a writable folder`;
    throw new ClanstatsError(
      'STAGE_FAILED',
      `Could not create the output folder ${folder}: ${advice}.`,
      { cause: error },
    );
  }
}

/** Options of the export stage. */
export interface ExportOptions {
  /** `--public`: a dashboard without per-member Discord figures, inactivity or rank-ups. */
  public: boolean;
  /**
   * `--post-summary`: post the weekly summary (with `DISCORD_WEBHOOK_URL` set) even when the last
   * one is less than a week old.
   * @defaultValue `false`
   */
  postSummary?: boolean;
}

/** What went wrong with a webhook post, in words, by the client's error code. */
const PostFailureReasons: Readonly<Record<string, string>> = {
  WEBHOOK_UNAUTHORIZED:
    "Discord refused the webhook's token (the webhook's URL was reset, or the URL is cut short): copy the webhook URL again",
  WEBHOOK_NOT_FOUND:
    'the webhook does not exist any more (it was deleted): make a new one and copy its URL',
  RATE_LIMITED: 'Discord kept rate-limiting the webhook',
  INVALID_REQUEST: 'Discord refused the message',
  SERVER_ERROR: 'Discord answered with a server error on every attempt',
  TIMEOUT: 'Discord did not answer in time (CLANSTATS_HTTP_TIMEOUT_MS) on any attempt',
  NETWORK: 'Discord could not be reached',
};

/**
 * Posts the weekly summary when `DISCORD_WEBHOOK_URL` is set and a post is due (or `force`), and
 * records it once Discord accepted it. Never throws for a failed post: it warns, and the post
 * stays due for the next export.
 */
async function postWeeklySummary(
  context: StageContext,
  store: Store,
  summary: ClanSummary,
  settings: Settings,
  force: boolean,
): Promise<JsonValue> {
  const url = settings.discordWebhookUrl;
  if (url === undefined) {
    context.logger.debug('DISCORD_WEBHOOK_URL is not set: no weekly summary is posted.');
    return { status: 'off' };
  }
  const last = store.summaryPosts.latest('weekly');
  if (!force && !isWeeklySummaryDue(last?.asOf, summary.asOf)) {
    const lastAsOf = new Date(last?.asOf ?? 0).toISOString();
    const dueFrom = new Date((last?.asOf ?? 0) + WEEKLY_POST_INTERVAL_MS).toISOString();
    context.logger.info(
      `The weekly summary is not due: the last one was for ${lastAsOf}; the next is due from ${dueFrom} (--post-summary posts now).`,
    );
    return { status: 'not_due', lastAsOf, dueFrom };
  }
  let posted: { id: string; channelId: string };
  try {
    const message = weeklySummaryMessage(summary, { timeZone: summary.timezone });
    checkWebhookMessage(message);
    posted = await postWebhookMessage(url, message, {
      timeoutMs: settings.httpTimeoutMs,
      retries: 2,
      userAgentSuffix: 'clanstats-cli',
    });
  } catch (error) {
    const code = isDiscordHarvesterError(error) ? error.code : 'UNEXPECTED';
    const status = isDiscordHarvesterError(error) ? (error.status ?? null) : null;
    const field = isDiscordHarvesterError(error) ? error.field : undefined;
    // The client's messages carry no token; ours name the code and status, never the URL.
    const reason =
      PostFailureReasons[code] ?? (error instanceof Error ? error.message : String(error));
    context.logger.warn(
      `Could not post the weekly summary to DISCORD_WEBHOOK_URL: ${code}${status === null ? '' : ` (HTTP ${status})`}: ${reason}${field === undefined ? '' : ` (${field})`}. The outputs are written; the next export tries again.`,
    );
    return { status: 'failed', code, httpStatus: status };
  }
  try {
    store.summaryPosts.record({
      kind: 'weekly',
      asOf: summary.asOf,
      postedAt: Date.now(),
      messageId: posted.id,
      channelId: posted.channelId,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.logger.warn(
      `Posted the weekly summary to Discord (message ${posted.id}), but could not record it (${reason}); the next export may post it again.`,
    );
    return { status: 'posted', messageId: posted.id, channelId: posted.channelId, recorded: false };
  }
  context.logger.success(`Posted the weekly summary to Discord (message ${posted.id}).`);
  return { status: 'posted', messageId: posted.id, channelId: posted.channelId, recorded: true };
}

/** Turns a dashboard-gen failure into what to fix. */
function dashboardFailure(error: unknown, setting: string, folder: string): unknown {
  if (!isDashboardError(error)) return error;
  const advice = fileErrorAdvice(error.syscallCode, setting, folder);
  return new ClanstatsError(
    'STAGE_FAILED',
    advice === undefined
      ? `${error.message} Check ${setting} (${folder}) is a folder you can write to, with free space.`
      : `${error.message} ${advice[0]?.toUpperCase() ?? ''}${advice.slice(1)}.`,
    { cause: error },
  );
}

/**
 * Runs the export into `CLANSTATS_OUT_DIR`: `clan_data.json` and `clan_dashboard.html`, then the
 * copy to `LOCAL_DRIVE_PATH`.
 */
export async function runExport(
  context: StageContext,
  store: Store,
  asOf: number,
  options: ExportOptions = { public: false },
): Promise<StageOutput> {
  const settings = readSettings(context.env, context.cwd, {
    validate: [
      ...CORE_SETTINGS,
      'CLANSTATS_OUT_DIR',
      'CLANSTATS_TIMEZONE',
      'CLANSTATS_ASSETS_DIR',
      'LOCAL_DRIVE_PATH',
      'DISCORD_WEBHOOK_URL',
      'CLANSTATS_HTTP_TIMEOUT_MS',
    ],
    require: [],
  });
  // A webhook URL that cannot work stops the export before it writes anything.
  const webhookIssue = webhookUrlIssue(settings.discordWebhookUrl, parseWebhookUrl);
  if (webhookIssue !== undefined) throw new ConfigError([webhookIssue], 'environment');
  const { summary, rules } = buildClanSummary(context, store, asOf);
  const isPublic = options.public || rules.publicMode;
  const data = toClanData(summary);
  ensureOutputFolder(settings.outDir);
  const dataPath = join(settings.outDir, CLAN_DATA_FILE);
  writeFileAtomic(dataPath, `${JSON.stringify(data, null, 2)}\n`);
  context.logger.success(
    `Wrote ${dataPath}: ${data.members.length} members as of ${data.asOf} (${data.timezone}).`,
  );

  let dashboard: { path: string; bytes: number };
  try {
    const icons = await loadIcons({ overrideDir: settings.assetsDir });
    dashboard = await writeDashboard(data, {
      path: join(settings.outDir, DASHBOARD_FILE_NAME),
      public: isPublic,
      icons,
    });
  } catch (error) {
    throw dashboardFailure(error, 'CLANSTATS_OUT_DIR', settings.outDir);
  }
  context.logger.success(
    `Wrote ${dashboard.path} (${(dashboard.bytes / 1024).toFixed(0)} KB${isPublic ? ', public: no per-member Discord figures, inactivity or rank-ups' : ''}). Open it in a browser.`,
  );

  const deployed: string[] = [];
  if (settings.localDrivePath !== undefined) {
    // A public page may be published from that folder: the full clan_data.json stays local.
    const files = isPublic ? [dashboard.path] : [dashboard.path, dataPath];
    ensureDriveFolder(
      settings.localDrivePath,
      `The outputs are written in CLANSTATS_OUT_DIR (${settings.outDir}).`,
    );
    try {
      removeStaleTemporaryFiles(settings.localDrivePath);
      const result = await deployFiles({ files, to: settings.localDrivePath });
      deployed.push(...result.files.map((file) => file.to));
    } catch (error) {
      throw dashboardFailure(error, 'LOCAL_DRIVE_PATH', settings.localDrivePath);
    }
    context.logger.success(`Copied ${deployed.length} file(s) to ${settings.localDrivePath}.`);
    if (isPublic && existsSync(join(settings.localDrivePath, CLAN_DATA_FILE))) {
      context.logger.warn(
        `${join(settings.localDrivePath, CLAN_DATA_FILE)} is from an earlier, non-public export and holds per-member Discord figures; delete it if that folder is published.`,
      );
    }
  }
  // Last: a failed post must never cost the outputs. `--public` changes nothing here.
  const summaryPost = await postWeeklySummary(
    context,
    store,
    summary,
    settings,
    options.postSummary === true,
  );
  return {
    counts: {
      members: data.members.length,
      formerMembers: data.formerMembers.length,
      dashboardBytes: dashboard.bytes,
      deployed: deployed.length,
    },
    details: {
      clanData: dataPath,
      dashboard: dashboard.path,
      public: isPublic,
      asOf: data.asOf,
      deployedTo: settings.localDrivePath ?? null,
      summaryPost,
    },
  };
}
