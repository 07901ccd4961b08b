/**
 * `clanstats assets`: installs a clan's own boss and skill images for the dashboard into
 * `CLANSTATS_ASSETS_DIR` (`--from <dir>`), or lists the ones installed. Runs in the orchestrator
 * (it never opens the database); `@clanstats/dashboard-gen` is loaded only when the command runs.
 */
import { readdirSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type * as DashboardGen from '@clanstats/dashboard-gen';
import type { CommandContext } from './commands.js';
import { ConfigError } from './errors.js';
import { readSettings } from './settings.js';

/** The code of a Node.js system error, if any. */
function syscallCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** A path for messages: relative to the working folder when inside it. */
function shownPath(cwd: string, path: string): string {
  const relativePath = relative(cwd, path);
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath)
    ? relativePath
    : path;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Loads the icon functions on demand, so other commands start without them. */
function loadDashboardGen(): Promise<typeof DashboardGen> {
  return import('@clanstats/dashboard-gen');
}

/** Runs `clanstats assets [--from <dir>]`. */
export async function assetsCommand(context: CommandContext): Promise<void> {
  const settings = readSettings(context.env, context.cwd, {
    validate: ['CLANSTATS_ASSETS_DIR'],
    require: [],
  });
  const from = context.values.from;
  if (typeof from === 'string') {
    await installCommand(context, resolve(context.cwd, from), settings.assetsDir);
  } else {
    await listCommand(context, settings.assetsDir);
  }
}

async function installCommand(context: CommandContext, from: string, to: string): Promise<void> {
  const { installIcons, isDashboardError, metricName } = await loadDashboardGen();
  const log = context.logger.withTag('assets');
  let result: Awaited<ReturnType<typeof installIcons>>;
  try {
    result = await installIcons({ from, to });
  } catch (error) {
    if (isDashboardError(error) && error.code === 'ICON_INVALID') {
      throw new ConfigError(
        [
          {
            setting: '--from',
            message: `--from ${shownPath(context.cwd, from)}: ${error.message}`,
          },
        ],
        error.path ?? from,
        { cause: error },
      );
    }
    if (isDashboardError(error) && error.code === 'WRITE_FAILED') {
      throw new ConfigError(
        [
          {
            setting: 'CLANSTATS_ASSETS_DIR',
            message: `${error.message}; check that CLANSTATS_ASSETS_DIR (${to}) is a folder you can write to`,
          },
        ],
        error.path ?? to,
        { cause: error },
      );
    }
    throw error;
  }
  const target = shownPath(context.cwd, to);
  for (const { metric, file } of result.installed) {
    log.success(`${file} → ${metricName(metric)} (${metric})`);
  }
  for (const { file, reason } of result.skipped) {
    log.warn(`Skipped ${file}: ${reason}`);
  }
  if (result.installed.length === 0) {
    throw new ConfigError(
      [
        {
          setting: '--from',
          message:
            result.skipped.length === 0
              ? `No images installed: ${shownPath(context.cwd, from)} is empty. Put images named after a boss, skill or activity there (zulrah.png, "Chambers of Xeric.png").`
              : `No images installed: none of the ${plural(result.skipped.length, 'file')} in ${shownPath(context.cwd, from)} could be used (see the reasons above).`,
        },
      ],
      from,
    );
  }
  log.success(
    `Installed ${plural(result.installed.length, 'image')} into ${target}${
      result.skipped.length > 0 ? `; skipped ${plural(result.skipped.length, 'file')}` : ''
    }. The next "clanstats export" puts them in the dashboard.`,
  );
}

async function listCommand(context: CommandContext, directory: string): Promise<void> {
  const { ICON_EXTENSIONS, METRIC_INFO, metricName } = await loadDashboardGen();
  const shown = shownPath(context.cwd, directory);
  let files: string[];
  try {
    files = readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (syscallCodeOf(error) !== 'ENOENT') {
      throw new ConfigError(
        [
          {
            setting: 'CLANSTATS_ASSETS_DIR',
            message: `Cannot read CLANSTATS_ASSETS_DIR (${directory}): ${String(error)}`,
          },
        ],
        directory,
        { cause: error },
      );
    }
    files = [];
  }
  const images: Array<{ metric: string; file: string }> = [];
  const unused: string[] = [];
  for (const file of files) {
    const extension = extname(file).toLowerCase();
    const metric = file.slice(0, file.length - extension.length).toLowerCase();
    if (ICON_EXTENSIONS.includes(extension) && Object.hasOwn(METRIC_INFO, metric)) {
      images.push({ metric, file });
    } else if (!file.startsWith('.')) {
      unused.push(file);
    }
  }
  const total = Object.keys(METRIC_INFO).length;
  if (images.length === 0) {
    context.print(
      [
        `No custom images in ${shown}; the dashboard uses the built-in icons for all ${total} bosses, skills and activities.`,
        'Install your own with "clanstats assets --from <dir>".',
        ...unused.map(
          (file) => `  ? ${file}  (not used: not named <metric>.<png|jpg|webp|gif|svg>)`,
        ),
      ].join('\n'),
    );
    return;
  }
  const metrics = new Set(images.map(({ metric }) => metric));
  const width = Math.max(...images.map(({ metric }) => metricName(metric).length)) + 2;
  context.print(
    [
      `Custom images in ${shown}:`,
      ...images.map(({ metric, file }) => `  ${metricName(metric).padEnd(width)}${file}`),
      ...unused.map((file) => `  ? ${file}  (not used: not named <metric>.<png|jpg|webp|gif|svg>)`),
      `${metrics.size} of ${total} metrics have a custom image; the others use the built-in icons.`,
    ].join('\n'),
  );
}
