/**
 * The dashboard's metric icons: ClanStats' own SVG per metric (built from `assets/icons` into
 * `dist/icons`), overridden by a clan's own images, and installing those images into their folder.
 */
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DashboardError, syscallCodeOf } from './errors.js';
import { METRIC_INFO, knownMetricNames, metricFromName, normaliseMetricName } from './metrics.js';

/** Metric → image as a `data:` URI, ready for an <img src>. */
export type IconSet = Readonly<Record<string, string>>;

/** The image file extensions a clan's own icons may have, in the order they win over each other. */
export const ICON_EXTENSIONS: readonly string[] = Object.freeze([
  '.svg',
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.gif',
]);

/** Options of {@link loadIcons}. */
export interface LoadIconsOptions {
  /** A folder of the clan's own images, `<metric>.<ext>`; they win over the built-in icons. Missing folder = no overrides. */
  overrideDir?: string;
}

/** Options of {@link installIcons}. */
export interface InstallIconsOptions {
  /** The folder to read images from (not its subfolders). */
  from: string;
  /** The folder to install them into, as `<metric>.<ext>` (created if needed). */
  to: string;
  /**
   * The largest image accepted, in bytes; larger files are skipped.
   * @defaultValue `262144` (256 KiB)
   */
  maxBytes?: number;
}

/** What {@link installIcons} did with each file of the `from` folder. */
export interface InstallIconsResult {
  /** The images installed: the metric, the file's name in `from`, and its size in bytes. */
  installed: Array<{ metric: string; file: string; bytes: number }>;
  /** The files left out: the file's name in `from`, and why, in words a clan leader understands. */
  skipped: Array<{ file: string; reason: string }>;
}

/** The default of {@link InstallIconsOptions.maxBytes}: 256 KiB. */
const DEFAULT_MAX_BYTES = 256 * 1024;

/** The built-in icons: `dist/icons` of this package (from `src/` in tests, `dist/` when built). */
const BUILT_IN_DIR = new URL('../dist/icons/', import.meta.url);

/** An image type recognised by its first bytes. */
interface ImageType {
  /** `PNG`, `JPEG`, `GIF`, `WEBP` or `SVG`. */
  label: string;
  mime: string;
  /** The extensions a file of this type may have; the first is used when it had another one. */
  extensions: readonly string[];
}

const PNG: ImageType = { label: 'PNG', mime: 'image/png', extensions: ['.png'] };
const JPEG: ImageType = { label: 'JPEG', mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'] };
const GIF: ImageType = { label: 'GIF', mime: 'image/gif', extensions: ['.gif'] };
const WEBP: ImageType = { label: 'WEBP', mime: 'image/webp', extensions: ['.webp'] };
const SVG: ImageType = { label: 'SVG', mime: 'image/svg+xml', extensions: ['.svg'] };

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

const ascii = (text: string): number[] => Array.from(Buffer.from(text, 'latin1'));

/** An SVG document: optional BOM, XML declaration, comments and doctype, then `<svg`. */
const SVG_START =
  /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>/]/i;

/** The type of an image from its content (magic bytes; SVG by its root element), if any. */
function detectImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return GIF;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return WEBP;
  if (SVG_START.test(new TextDecoder().decode(bytes))) return SVG;
  return undefined;
}

/**
 * Characters percent-encoded in an SVG `data:` URI: `%` and `#` (URL syntax), quotes, `<`, `>`
 * and the other characters that are not safe in a URL or an HTML attribute, control characters
 * (URL parsers drop tabs and newlines), and everything outside ASCII (as UTF-8).
 */
const SVG_UNSAFE = /[^\x20-\x7e]|[%#"<>`{}|\\^]/gu;

/** An image as a `data:` URI: SVG percent-encoded (smaller than base64), other images base64. */
function toDataUri(bytes: Uint8Array, type: ImageType): string {
  if (type === SVG) {
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    return `data:image/svg+xml,${text.replace(SVG_UNSAFE, (character) => encodeURIComponent(character))}`;
  }
  return `data:${type.mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

const SUPPORTED_TYPES = 'a PNG/JPEG/GIF/WEBP/SVG image';

/** The metric a file in the icon folder is for: exactly `<metric><ext>`, in any case. */
function metricOfIconFile(file: string): string | undefined {
  const extension = extname(file).toLowerCase();
  if (!ICON_EXTENSIONS.includes(extension)) return undefined;
  const metric = file.slice(0, -extension.length).toLowerCase();
  return Object.hasOwn(METRIC_INFO, metric) ? metric : undefined;
}

/** The `ICON_INVALID` error for a folder or image that cannot be read, worded for people. */
function unreadable(what: string, path: string, error: unknown): DashboardError {
  const syscallCode = syscallCodeOf(error);
  const reason =
    syscallCode === 'ENOENT'
      ? 'it does not exist'
      : syscallCode === 'ENOTDIR'
        ? 'it is a file, not a folder'
        : syscallCode === 'EISDIR'
          ? 'it is a folder, not a file'
          : syscallCode === 'EACCES' || syscallCode === 'EPERM'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
  return new DashboardError('ICON_INVALID', `Cannot read ${what} ${path}: ${reason}`, {
    path,
    cause: error,
    ...(syscallCode === undefined ? {} : { syscallCode }),
  });
}

async function readDirectory(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw unreadable('the image folder', path, error);
  }
}

async function readImage(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw unreadable('the image', path, error);
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    throw unreadable('the image', path, error);
  }
}

async function loadBuiltInIcons(): Promise<Record<string, string>> {
  const directory = fileURLToPath(BUILT_IN_DIR);
  const entries = await Promise.all(
    Object.keys(METRIC_INFO).map(async (metric) => {
      const path = join(directory, `${metric}.svg`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        const syscallCode = syscallCodeOf(error);
        throw new DashboardError(
          'ICON_INVALID',
          `The built-in icon ${path} is missing; this copy of @clanstats/dashboard-gen is incomplete (reinstall it, or rebuild it from the repository).`,
          { path, cause: error, ...(syscallCode === undefined ? {} : { syscallCode }) },
        );
      }
      return [metric, toDataUri(bytes, SVG)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * The icon of every metric as a `data:` URI: the built-in SVGs (every metric of
 * {@link METRIC_INFO} has one), with the clan's own images from `overrideDir` in their place.
 * In `overrideDir`, only files named `<metric>.<ext>` (any case, an extension of
 * {@link ICON_EXTENSIONS}) count; when one metric has several, the first extension in
 * {@link ICON_EXTENSIONS} order wins.
 * @throws {@link DashboardError} `ICON_INVALID` (with `path`) when a built-in icon is missing, the
 * override folder exists but cannot be read, or an image in it is unreadable or not an image.
 */
export async function loadIcons(options: LoadIconsOptions = {}): Promise<IconSet> {
  const icons = await loadBuiltInIcons();
  const { overrideDir } = options;
  if (overrideDir === undefined) return Object.freeze(icons);
  const directory = resolve(overrideDir);
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (syscallCodeOf(error) === 'ENOENT') return Object.freeze(icons);
    throw unreadable('the image folder', directory, error);
  }
  const chosen = new Map<string, string>();
  const rank = (file: string): number => ICON_EXTENSIONS.indexOf(extname(file).toLowerCase());
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const metric = metricOfIconFile(entry.name);
    if (metric === undefined) continue;
    const current = chosen.get(metric);
    if (
      current === undefined ||
      rank(entry.name) < rank(current) ||
      (rank(entry.name) === rank(current) && entry.name < current)
    ) {
      chosen.set(metric, entry.name);
    }
  }
  await Promise.all(
    [...chosen].map(async ([metric, file]) => {
      const path = join(directory, file);
      const bytes = await readImage(path);
      const type = detectImageType(bytes);
      if (type === undefined) {
        throw new DashboardError(
          'ICON_INVALID',
          `${path} is not ${SUPPORTED_TYPES}; replace it, or delete it to use the built-in icon.`,
          { path },
        );
      }
      icons[metric] = toDataUri(bytes, type);
    }),
  );
  return Object.freeze(icons);
}

/** Edit distance, for "did you mean". */
function distance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      current[column] = Math.min(
        (previous[column] ?? 0) + 1,
        (current[column - 1] ?? 0) + 1,
        (previous[column - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** Up to three metrics a name may have meant, closest first. */
function suggestMetrics(name: string): string[] {
  const wanted = normaliseMetricName(name);
  if (wanted === '') return [];
  const scored = new Map<string, number>();
  for (const [known, metric] of knownMetricNames()) {
    const words = known.split('_');
    let score: number;
    if (known.includes(wanted) || (wanted.length >= 4 && wanted.includes(known))) score = 0;
    else if (words.some((word) => word.length >= 3 && distance(word, wanted) <= 1)) score = 1;
    else {
      const edits = distance(known, wanted);
      score = edits <= Math.max(2, Math.floor(wanted.length / 3)) ? 1 + edits : Infinity;
    }
    if (score < (scored.get(metric) ?? Infinity)) scored.set(metric, score);
  }
  return [...scored]
    .filter(([, score]) => Number.isFinite(score))
    .sort(
      ([leftMetric, left], [rightMetric, right]) =>
        left - right || (leftMetric < rightMetric ? -1 : 1),
    )
    .slice(0, 3)
    .map(([metric]) => metric);
}

function formatKilobytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const kilobytes = bytes / 1024;
  return `${kilobytes >= 10 ? Math.round(kilobytes) : Math.round(kilobytes * 10) / 10} KB`;
}

function describeMetric(metric: string): string {
  const info = METRIC_INFO[metric];
  return info === undefined ? metric : `${info.name} (${metric})`;
}

function writeFailed(message: string, path: string, error: unknown): DashboardError {
  const syscallCode = syscallCodeOf(error);
  return new DashboardError('WRITE_FAILED', `${message}: ${String(error)}`, {
    path,
    cause: error,
    ...(syscallCode === undefined ? {} : { syscallCode }),
  });
}

/** Writes `bytes` to `path` through a temporary file in the same folder, then a rename. */
async function writeAtomically(path: string, directory: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(
    directory,
    `.clanstats-icon-${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw writeFailed(`Cannot write the image ${path}`, path, error);
  }
}

/**
 * Installs a clan's own images as dashboard icons: every file directly in `from` whose name means
 * a metric (any case; spaces, hyphens, apostrophes and colons as you like; a metric such as
 * `chambers_of_xeric` or a display name such as `Chambers of Xeric.png` or `TzKal-Zuk.png`), that
 * is a PNG, JPEG, GIF, WEBP or SVG image by its content and at most `maxBytes`, is copied to
 * `to/<metric><ext>` (atomically: a temporary file in `to`, then a rename), replacing that
 * metric's image with another extension. Nothing else in `to` is touched. Every other file is
 * skipped with a reason.
 * @throws {@link DashboardError} `ICON_INVALID` (with `path`, `syscallCode`) when `from` or an
 * image in it cannot be read, `WRITE_FAILED` (with `path`, `syscallCode`) when `to` cannot be
 * created or written.
 */
export async function installIcons(options: InstallIconsOptions): Promise<InstallIconsResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw new DashboardError(
      'INVALID_OPTIONS',
      `maxBytes must be a positive number of bytes, got ${String(maxBytes)}`,
      { field: 'maxBytes' },
    );
  }
  const from = resolve(options.from);
  const to = resolve(options.to);
  const entries = (await readDirectory(from)).sort((left, right) =>
    left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
  );
  const skipped: InstallIconsResult['skipped'] = [];
  const accepted: Array<{ metric: string; file: string; bytes: Uint8Array; extension: string }> =
    [];
  const taken = new Map<string, string>();
  for (const entry of entries) {
    const file = entry.name;
    const path = join(from, file);
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      isFile = await stat(path).then(
        (stats) => stats.isFile(),
        () => false,
      );
    }
    if (!isFile) {
      skipped.push({
        file,
        reason: entry.isDirectory()
          ? 'a folder; only the images directly in the folder are installed'
          : 'not a regular file',
      });
      continue;
    }
    const extension = extname(file).toLowerCase();
    if (!ICON_EXTENSIONS.includes(extension)) {
      skipped.push({
        file,
        reason: `not an image file (the name must end in ${ICON_EXTENSIONS.join(', ')})`,
      });
      continue;
    }
    const baseName = file.slice(0, -extension.length);
    const metric = metricFromName(baseName);
    if (metric === undefined) {
      const suggestions = suggestMetrics(baseName);
      skipped.push({
        file,
        reason: `no metric named "${baseName}"; ${
          suggestions.length === 0
            ? 'name the file after a boss, skill or activity, such as zulrah.png or "Chambers of Xeric.png"'
            : `did you mean ${suggestions.map(describeMetric).join(' or ')}?`
        }`,
      });
      continue;
    }
    const size = await sizeOf(path);
    if (size > maxBytes) {
      skipped.push({
        file,
        reason: `too large (${formatKilobytes(size)} > ${formatKilobytes(maxBytes)}); make the image smaller (64 × 64 pixels is plenty)`,
      });
      continue;
    }
    const bytes = await readImage(path);
    const type = detectImageType(bytes);
    if (type === undefined) {
      skipped.push({ file, reason: `not ${SUPPORTED_TYPES} (its content is something else)` });
      continue;
    }
    const earlier = taken.get(metric);
    if (earlier !== undefined) {
      skipped.push({
        file,
        reason: `${earlier} is already the image for ${describeMetric(metric)}; keep only one`,
      });
      continue;
    }
    taken.set(metric, file);
    // A JPEG named .png is installed as .jpg: the extension follows the content.
    const installedExtension = type.extensions.includes(extension)
      ? extension
      : (type.extensions[0] ?? extension);
    accepted.push({ metric, file, bytes, extension: installedExtension });
  }

  const installed: InstallIconsResult['installed'] = [];
  if (accepted.length > 0) {
    try {
      await mkdir(to, { recursive: true });
    } catch (error) {
      throw writeFailed(`Cannot create the icon folder ${to}`, to, error);
    }
  }
  for (const { metric, file, bytes, extension } of accepted) {
    const target = join(to, `${metric}${extension}`);
    await writeAtomically(target, to, bytes);
    for (const other of ICON_EXTENSIONS) {
      if (other === extension) continue;
      const older = join(to, `${metric}${other}`);
      try {
        await unlink(older);
      } catch (error) {
        if (syscallCodeOf(error) !== 'ENOENT') {
          throw writeFailed(`Cannot remove the older image ${older}`, older, error);
        }
      }
    }
    installed.push({ metric, file, bytes: bytes.byteLength });
  }
  return { installed, skipped };
}
