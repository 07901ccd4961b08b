/**
 * The `export` stage: computes the clan model from the store for the run's as-of time and writes
 * it as `clan_data.json` (schema version 1, described by `@clanstats/clan-model`'s JSON Schema) and
 * as the dashboard (`clan_dashboard.html`, `@clanstats/dashboard-gen`) into `CLANSTATS_OUT_DIR`,
 * atomically, then copies them to `LOCAL_DRIVE_PATH` when it is set.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import type { Store } from '@clanstats/store';
import { loadClanRules, type ClanRules } from './config.js';
import { ClanstatsError } from './errors.js';
import { CORE_SETTINGS, readSettings } from './settings.js';
import type { StageContext, StageOutput } from './stage-runtime.js';

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
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClanstatsError(
      'STAGE_FAILED',
      `Could not write ${path} (${reason}); check CLANSTATS_OUT_DIR is a writable folder with free space. The previous file, if any, is unchanged.`,
      { cause: error },
    );
  }
}

/** Creates the output folder, or says which setting to fix. */
export function ensureOutputFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClanstatsError(
      'STAGE_FAILED',
      `Could not create the output folder ${folder} (${reason}); set CLANSTATS_OUT_DIR to a writable folder.`,
      { cause: error },
    );
  }
}

/** Options of the export stage. */
export interface ExportOptions {
  /** `--public`: a dashboard without per-member Discord figures, inactivity or rank-ups. */
  public: boolean;
}

/** Turns a dashboard-gen failure into what to fix. */
function dashboardFailure(error: unknown, setting: string, folder: string): unknown {
  if (!isDashboardError(error)) return error;
  return new ClanstatsError(
    'STAGE_FAILED',
    `${error.message} Check ${setting} (${folder}) is a folder you can write to, with free space.`,
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
    ],
    require: [],
  });
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
    try {
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
    },
  };
}
