/**
 * The `export` stage: computes the clan model from the store for the run's as-of time and writes
 * it as `clan_data.json` (schema version 1, described by `@clanstats/clan-model`'s JSON Schema)
 * into `CLANSTATS_OUT_DIR`, atomically. The dashboard HTML arrives with `@clanstats/dashboard-gen`.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeClanSummary,
  isClanModelError,
  toClanData,
  type ClanModelRules,
  type ClanSummary,
} from '@clanstats/clan-model';
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

/** Computes the clan model as the report and the export see it. */
export function buildClanSummary(
  context: StageContext,
  store: Store,
  asOf: number,
): { summary: ClanSummary; timeZone: string } {
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
    return { summary, timeZone: settings.timezone };
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

/** Runs the export into `CLANSTATS_OUT_DIR`. */
export function runExport(context: StageContext, store: Store, asOf: number): StageOutput {
  const settings = readSettings(context.env, context.cwd, {
    validate: [...CORE_SETTINGS, 'CLANSTATS_OUT_DIR', 'CLANSTATS_TIMEZONE'],
    require: [],
  });
  const { summary } = buildClanSummary(context, store, asOf);
  const data = toClanData(summary);
  ensureOutputFolder(settings.outDir);
  const path = join(settings.outDir, CLAN_DATA_FILE);
  writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
  context.logger.success(
    `Wrote ${path}: ${data.members.length} members as of ${data.asOf} (${data.timezone}).`,
  );
  return {
    counts: { members: data.members.length, formerMembers: data.formerMembers.length },
    details: { clanData: path, asOf: data.asOf },
  };
}
