/**
 * Temporary files a killed run left in an output folder. Every output is written to a temporary
 * file beside its target and renamed over it, so a run killed mid-write (SIGKILL, a power cut)
 * never leaves half a file at the target path, but it does leave the temporary file, under a name
 * no later run reuses (each holds its writer's pid). The report and export stages remove them.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './lock.js';

/**
 * The temporary names of the outputs: `.clan_report_summary_merged.xlsx.<pid>-<hex>.tmp`
 * (xlsx-report), `.clan_dashboard.html.<pid>.<hex>.tmp` (dashboard-gen, also its copies to
 * `LOCAL_DRIVE_PATH`) and `clan_data.json.<pid>.tmp` (the export stage). Group 1 is the pid.
 */
const TEMPORARY_NAME =
  /^\.?(?:clan_report_summary_merged\.xlsx|clan_dashboard\.html|clan_data\.json)\.(\d+)(?:[.-][0-9a-f]+)?\.tmp$/;

/**
 * A temporary file older than this is left over whatever its pid says (the folder may be shared
 * with another machine, where the pid means nothing), in milliseconds.
 */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files of outputs in `folder` whose writer is gone: its pid is not a
 * running process here, or the file is more than an hour old. Files of a live writer, and every
 * other file, are left alone. Never throws (a file it cannot remove stays, as before).
 * @returns The names removed.
 */
export function removeStaleTemporaryFiles(folder: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(TEMPORARY_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid) continue;
    const path = join(folder, name);
    try {
      const abandoned = now - statSync(path).mtimeMs > ABANDONED_AFTER_MS;
      if (!abandoned && isProcessAlive(pid)) continue;
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // Gone in the meantime, or not ours to remove.
    }
  }
  return removed;
}
