import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { DashboardData } from './dashboard-data.js';
import { DashboardError, syscallCodeOf } from './errors.js';
import { renderDashboard, type RenderDashboardOptions } from './render.js';

/** The dashboard's file name in ClanStats' output folder. */
export const DASHBOARD_FILE_NAME = 'clan_dashboard.html';

/** Options of {@link writeDashboard}: where, plus everything {@link renderDashboard} takes. */
export interface WriteDashboardOptions extends RenderDashboardOptions {
  /** The file to write, e.g. `out/clan_dashboard.html`. Its folder is created if needed. */
  path: string;
}

/** What {@link writeDashboard} wrote. */
export interface WriteDashboardResult {
  /** The absolute path of the page. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
}

/** A temporary name beside `target`, hidden and unique to this process and call. */
function temporaryBeside(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/** Removes a temporary file if it is there; a failure to clean up must not hide the real error. */
async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Renders the dashboard and writes it atomically: to a temporary file beside `path`, then renamed
 * over it, so a reader (or a synced drive) never sees half a page and a failure leaves the
 * previous page as it was.
 *
 * @throws {@link DashboardError} as {@link renderDashboard}, or `WRITE_FAILED` with `path` and
 * `syscallCode` (e.g. `EACCES`, `ENOSPC`).
 */
export async function writeDashboard(
  data: DashboardData,
  options: WriteDashboardOptions,
): Promise<WriteDashboardResult> {
  if (typeof options.path !== 'string' || options.path === '') {
    throw new DashboardError('INVALID_OPTIONS', 'options.path must be a file path', {
      field: 'path',
    });
  }
  const path = resolve(options.path);
  const html = renderDashboard(data, options);
  const temporary = temporaryBeside(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, html);
    await rename(temporary, path);
  } catch (error) {
    await removeQuietly(temporary);
    const syscallCode = syscallCodeOf(error);
    throw new DashboardError(
      'WRITE_FAILED',
      `Could not write the dashboard to ${path} (${reasonOf(error)}); the previous page, if any, is unchanged.`,
      { path, cause: error, ...(syscallCode === undefined ? {} : { syscallCode }) },
    );
  }
  return { path, bytes: Buffer.byteLength(html) };
}

/** Options of {@link deployFiles}. */
export interface DeployFilesOptions {
  /** The files to copy (e.g. the dashboard and `clan_data.json`). */
  files: readonly string[];
  /** The folder to copy them into (e.g. a synced Google Drive folder); created if missing. */
  to: string;
}

/** What {@link deployFiles} copied. */
export interface DeployFilesResult {
  /** The absolute deploy folder. */
  folder: string;
  files: Array<{ from: string; to: string; bytes: number }>;
}

function deployFailure(folder: string, path: string, error: unknown): DashboardError {
  const syscallCode = syscallCodeOf(error);
  const advice =
    syscallCode === 'EACCES' || syscallCode === 'EPERM' || syscallCode === 'EROFS'
      ? 'the folder is not writable: choose a folder you can write to, or fix its permissions'
      : syscallCode === 'ENOTDIR' || syscallCode === 'EEXIST'
        ? 'a file is in the way where a folder should be'
        : syscallCode === 'ENOSPC'
          ? 'the disk is full'
          : syscallCode === 'EBUSY'
            ? 'the file is open in another program: close it and run again'
            : reasonOf(error);
  return new DashboardError(
    'DEPLOY_FAILED',
    `Could not copy the outputs to ${folder}: ${advice}. Files already there are unchanged.`,
    { path, cause: error, ...(syscallCode === undefined ? {} : { syscallCode }) },
  );
}

/**
 * Copies files into a folder, each atomically (a temporary name in the folder, then a rename), so
 * a synced drive never uploads half a file. Creates the folder if needed and never deletes
 * anything else in it.
 *
 * @throws {@link DashboardError} `DEPLOY_FAILED` with `path` and `syscallCode`; files copied
 * before the failure stay (each is complete), the others are as they were.
 */
export async function deployFiles(options: DeployFilesOptions): Promise<DeployFilesResult> {
  if (typeof options.to !== 'string' || options.to === '') {
    throw new DashboardError('INVALID_OPTIONS', 'options.to must be a folder path', {
      field: 'to',
    });
  }
  const folder = resolve(options.to);
  try {
    await mkdir(folder, { recursive: true });
    if (!(await stat(folder)).isDirectory()) {
      throw Object.assign(new Error(`${folder} is not a folder`), { code: 'ENOTDIR' });
    }
  } catch (error) {
    throw deployFailure(folder, folder, error);
  }
  const copied: DeployFilesResult['files'] = [];
  for (const file of options.files) {
    const from = resolve(file);
    const target = join(folder, basename(from));
    const temporary = temporaryBeside(target);
    try {
      await copyFile(from, temporary);
      await rename(temporary, target);
    } catch (error) {
      await removeQuietly(temporary);
      throw deployFailure(folder, syscallCodeOf(error) === 'ENOENT' ? from : target, error);
    }
    copied.push({ from, to: target, bytes: (await stat(target)).size });
  }
  return { folder, files: copied };
}
