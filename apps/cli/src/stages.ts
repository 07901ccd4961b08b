/**
 * The stage bodies. Only the stage worker (`stage.ts`) imports this module: it is the one place
 * the CLI opens the database. Each body reads its settings from the environment and its options
 * from its arguments; see "Stage protocol" in the README.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  defaultBackupDir,
  listBackups,
  openStore,
  restoreBackup,
  type BackupInfo,
  type Store,
  type StoredContentCounts,
} from '@clanstats/store';
import { ClanstatsError, UsageError } from './errors.js';
import type { JsonValue, StageName } from './protocol.js';
import { CORE_SETTINGS, readSettings } from './settings.js';
// The harvest, report, export and link bodies are loaded when their stage runs (`import()`): each
// pulls in heavy packages (discord.js, exceljs, eta) that the other stages do not need, and every
// stage is a process of its own, so loading everything would cost each one about a second.
import { parseInstant } from './time-args.js';
import {
  withTermination,
  type StageContext,
  type StageHandler,
  type StageOutput,
} from './stage-runtime.js';

function databasePath(context: StageContext): string {
  return readSettings(context.env, context.cwd, { validate: CORE_SETTINGS, require: [] })
    .databasePath;
}

function missingDatabase(path: string): ClanstatsError {
  return new ClanstatsError(
    'DATABASE',
    `There is no database at ${path} yet; run "clanstats migrate up" (or "clanstats run") to create it, or set CLANSTATS_DB.`,
  );
}

/** Opens the store, runs `body`, and always closes it. */
async function withStore<TResult>(
  path: string,
  options: { readonly?: boolean },
  body: (store: Store) => Promise<TResult> | TResult,
): Promise<TResult> {
  const store = openStore(path, options.readonly === true ? { readonly: true } : {});
  try {
    return await body(store);
  } finally {
    store.close();
  }
}

function parseStageArgs(
  context: StageContext,
  options: NonNullable<ParseArgsConfig['options']>,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...context.args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new UsageError(
      `stage ${context.stage}: ${error instanceof Error ? error.message : String(error)}`,
      context.stage,
    );
  }
}

function backupToJson(backup: BackupInfo): JsonValue {
  return { path: backup.path, createdAt: backup.createdAt.toISOString(), bytes: backup.bytes };
}

/** `backup [--if-exists]`: copies the database into `<db dir>/backups`, keeping the newest N. */
const backupStage: StageHandler = async (context) => {
  const { values } = parseStageArgs(context, { 'if-exists': { type: 'boolean' } });
  const settings = readSettings(context.env, context.cwd, {
    validate: CORE_SETTINGS,
    require: [],
  });
  const path = settings.databasePath;
  if (!existsSync(path)) {
    if (values['if-exists'] === true) {
      context.logger.info(`No database at ${path} yet; nothing to back up.`);
      return { counts: { bytes: 0 }, details: { skipped: true } };
    }
    throw missingDatabase(path);
  }
  const backup = await withStore(path, {}, async (store) => {
    // A database from a newer ClanStats is not backed up: its copy would push out the older
    // backups, the ones this version can restore. assertCurrent() says SCHEMA_TOO_NEW.
    if ((await store.migrations.status()).unknown.length > 0) {
      await store.migrations.assertCurrent();
    }
    return store.backup({ keep: settings.backupKeep });
  });
  context.logger.success(`Backed up to ${backup.path} (${backup.bytes} bytes).`);
  return {
    counts: { bytes: backup.bytes },
    details: { skipped: false, backup: backupToJson(backup) },
  };
};

/**
 * `migrate up [--skip-backup] | down [--step N | --to NAME] | status`. `up` backs up a database
 * that has migrations to apply first (not a new one), unless `--skip-backup` (`run` has just
 * backed it up).
 */
const migrateStage: StageHandler = async (context) => {
  const { values, positionals } = parseStageArgs(context, {
    step: { type: 'string' },
    to: { type: 'string' },
    'skip-backup': { type: 'boolean' },
  });
  const action = positionals[0] ?? 'up';
  const path = databasePath(context);
  const { logger } = context;

  if (action === 'status') {
    // A missing database has every migration pending; do not create the file just to say so.
    const target = existsSync(path) ? path : ':memory:';
    const status = await withStore(target, {}, (store) => store.migrations.status());
    return {
      counts: { executed: status.executed.length, pending: status.pending.length },
      details: {
        exists: target !== ':memory:',
        executed: status.executed.map((entry) => ({
          name: entry.name,
          executedAt: entry.executedAt,
        })),
        pending: status.pending,
        unknown: status.unknown,
      },
    };
  }

  if (action === 'up') {
    const applied = await withStore(path, {}, async (store) => {
      const status = await store.migrations.status();
      const older = status.executed.length > 0 && status.pending.length > 0;
      if (older && status.unknown.length === 0 && values['skip-backup'] !== true) {
        const { backupKeep } = readSettings(context.env, context.cwd, {
          validate: CORE_SETTINGS,
          require: [],
        });
        const backup = await store.backup({ keep: backupKeep });
        logger.success(`Backed up to ${backup.path} before migrating (${backup.bytes} bytes).`);
      }
      return store.migrations.up();
    });
    if (applied.length === 0) logger.info('The database is up to date; no migrations to apply.');
    for (const name of applied) logger.success(`Applied ${name}`);
    return { counts: { applied: applied.length }, details: { applied } };
  }

  if (action === 'down') {
    if (!existsSync(path)) throw missingDatabase(path);
    const to = values.to;
    const step = values.step;
    let target: { step: number } | { to: string };
    if (typeof to === 'string') {
      target = { to };
    } else {
      const count = typeof step === 'string' ? Number(step) : 1;
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new UsageError(`--step must be a whole number of 1 or more, got '${String(step)}'`);
      }
      target = { step: count };
    }
    const reverted = await withStore(path, {}, (store) => store.migrations.down(target));
    if (reverted.length === 0) logger.info('Nothing to revert.');
    for (const name of reverted) logger.success(`Reverted ${name}`);
    return { counts: { reverted: reverted.length }, details: { reverted } };
  }

  throw new UsageError(`migrate: unknown action "${action}"; use up, down or status`, 'migrate');
};

/** `restore --list | --latest | <backup-file>`. */
const restoreStage: StageHandler = async (context) => {
  const { values, positionals } = parseStageArgs(context, {
    list: { type: 'boolean' },
    latest: { type: 'boolean' },
  });
  const path = databasePath(context);
  const backups = listBackups(path);
  if (values.list === true) {
    return { counts: { backups: backups.length }, details: { backups: backups.map(backupToJson) } };
  }
  let backupPath = positionals[0];
  if (values.latest === true) {
    const newest = backups[0];
    if (newest === undefined) {
      throw new ClanstatsError(
        'DATABASE',
        `There are no backups of ${path} to restore; "clanstats backup" makes one.`,
      );
    }
    backupPath = newest.path;
  }
  if (backupPath === undefined) {
    throw new UsageError('restore needs a backup file or --latest', 'restore');
  }
  context.logger.start(`Restoring ${backupPath} over ${path}`);
  const safetyCopy = await restoreBackup({ dbPath: path, backupPath });
  if (safetyCopy !== undefined) {
    context.logger.info(`The replaced database was kept as ${safetyCopy.path}.`);
  }
  context.logger.success(`Restored ${backupPath}.`);
  return {
    counts: {},
    details: {
      restoredFrom: backupPath,
      database: path,
      replacedCopy: safetyCopy === undefined ? null : backupToJson(safetyCopy),
    },
  };
};

/**
 * `optimize`: the integrity check first (a damaged file is not worth vacuuming; the error says to
 * restore a backup), then `PRAGMA optimize`, `ANALYZE`, and `VACUUM` when enough pages are free.
 */
const optimizeStage: StageHandler = async (context) => {
  const path = databasePath(context);
  if (!existsSync(path)) throw missingDatabase(path);
  const result = await withStore(path, {}, (store) => {
    store.integrityCheck();
    context.logger.info('Integrity check passed.');
    return store.optimize();
  });
  context.logger.success(
    result.vacuumed
      ? `Optimized and vacuumed (${result.freePages} free pages of ${result.pageCount} reclaimed).`
      : `Optimized (${result.freePages} free pages of ${result.pageCount}; no vacuum needed).`,
  );
  return {
    counts: { freePages: result.freePages, pageCount: result.pageCount },
    details: { vacuumed: result.vacuumed, integrity: 'ok' },
  };
};

function describeCleared(counts: StoredContentCounts): string {
  return `${counts.messages} messages and ${counts.relayLines} relayed clan-chat lines`;
}

/** Clears the message text of one database file and rewrites it, so none is left on disk. */
function purgeFile(path: string, kind: 'database' | 'backup'): Promise<StoredContentCounts> {
  return withStore(path, {}, (store) => {
    const cleared = store.purgeContent();
    if (!store.vacuum()) {
      throw new ClanstatsError(
        'DATABASE',
        `${path} could not be rewritten completely (another program has it open); close it and run "clanstats purge-content" again.`,
      );
    }
    store.integrityCheck();
    // A backup stays one self-contained file (rollback journal), as the backup wrote it.
    if (kind === 'backup') store.db.pragma('journal_mode = DELETE');
    return cleared;
  });
}

/**
 * `purge-content [--include-backups]`: sets every stored message text to NULL, then vacuums and
 * empties the WAL, so the text is gone from the file; the same for every backup with
 * `--include-backups`, else counts the backups that still hold text. Any schema (old backups too).
 */
const purgeContentStage: StageHandler = async (context) => {
  const { values } = parseStageArgs(context, { 'include-backups': { type: 'boolean' } });
  const { logger } = context;
  const path = databasePath(context);
  if (!existsSync(path)) throw missingDatabase(path);
  const cleared = await purgeFile(path, 'database');
  logger.success(
    `Cleared the text of ${describeCleared(cleared)} in ${path}, and rewrote the file: no message text is left in it.`,
  );

  const includeBackups = values['include-backups'] === true;
  const backups: JsonValue[] = [];
  const failed: string[] = [];
  let holdingText = 0;
  for (const backup of listBackups(path)) {
    try {
      const counts = includeBackups
        ? await purgeFile(backup.path, 'backup')
        : await withStore(backup.path, { readonly: true }, (store) => store.countContent());
      const found = counts.messages + counts.relayLines > 0;
      if (found) holdingText += 1;
      if (includeBackups && found) {
        logger.info(`Backup ${backup.path}: cleared the text of ${describeCleared(counts)}.`);
      }
      backups.push({ path: backup.path, ...counts });
    } catch (error) {
      failed.push(`${backup.path} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (includeBackups) {
    logger.success(
      `Backups: ${backups.length} purged and rewritten, ${holdingText} of them held message text.`,
    );
  } else if (holdingText > 0) {
    logger.warn(
      `${holdingText} of the ${backups.length + failed.length} backups in ${defaultBackupDir(path)} still hold message text stored before: "clanstats purge-content --include-backups" clears them too (or delete them).`,
    );
  }
  if (failed.length > 0) {
    throw new ClanstatsError(
      'DATABASE',
      `The database was purged, but ${failed.length} backup(s) could not be ${includeBackups ? 'purged' : 'read'}: ${failed.join('; ')}`,
    );
  }
  return {
    counts: {
      messages: cleared.messages,
      relayLines: cleared.relayLines,
      backupsHoldingText: holdingText,
    },
    details: { database: path, includeBackups, backups },
  };
};

/** `check`: for `doctor`, opens the database read-only, runs the integrity check and reads the migration status. */
const checkStage: StageHandler = async (context) => {
  const path = databasePath(context);
  if (!existsSync(path)) {
    return { counts: {}, details: { exists: false, database: path } };
  }
  return withStore(path, { readonly: true }, async (store): Promise<StageOutput> => {
    store.integrityCheck();
    const status = await store.migrations.status();
    return {
      counts: { executed: status.executed.length, pending: status.pending.length },
      details: {
        exists: true,
        database: path,
        integrity: 'ok',
        pending: status.pending,
        unknown: status.unknown,
      },
    };
  });
};

/**
 * `harvest [--as-of <time>] [--since <time>] [--skip-wom] [--skip-discord]`: Wise Old Man, then
 * Discord, then identity links; see `stage-harvest.ts`.
 */
const harvestStage: StageHandler = async (context) => {
  const { values } = parseStageArgs(context, {
    'as-of': { type: 'string' },
    since: { type: 'string' },
    'skip-wom': { type: 'boolean' },
    'skip-discord': { type: 'boolean' },
  });
  const { parseHarvestArgs, runHarvest } = await import('./stage-harvest.js');
  const options = parseHarvestArgs(values, Date.now());
  const path = databasePath(context);
  if (!existsSync(path)) throw missingDatabase(path);
  return withStore(path, {}, (store) =>
    withTermination((signal) => runHarvest(context, store, options, signal)),
  );
};

/**
 * A stage that reads the clan model for `--as-of` (default now), from a read-only store unless
 * `writes` (the export records the summaries it posts).
 */
function modelStage(
  body: (
    context: StageContext,
    store: Store,
    asOf: number,
    values: Record<string, string | boolean | undefined>,
  ) => Promise<StageOutput> | StageOutput,
  options: NonNullable<ParseArgsConfig['options']> = {},
  writes = false,
): StageHandler {
  return async (context) => {
    const { values } = parseStageArgs(context, { 'as-of': { type: 'string' }, ...options });
    const now = Date.now();
    const asOfText = values['as-of'];
    const asOf = typeof asOfText === 'string' ? parseInstant('--as-of', asOfText, now) : now;
    const path = databasePath(context);
    if (!existsSync(path)) throw missingDatabase(path);
    return withStore(path, { readonly: !writes }, async (store) => {
      await store.migrations.assertCurrent();
      return body(context, store, asOf, values);
    });
  };
}

/**
 * `export [--as-of <time>] [--public] [--post-summary]`: writes clan_data.json and the dashboard,
 * deploys them, and posts the weekly summary when due; see `stage-export.ts`.
 */
const exportStage = modelStage(
  async (context, store, asOf, values) =>
    (await import('./stage-export.js')).runExport(context, store, asOf, {
      public: values.public === true,
      postSummary: values['post-summary'] === true,
    }),
  { public: { type: 'boolean' }, 'post-summary': { type: 'boolean' } },
  true,
);

/** `report [--as-of <time>]`: writes the Excel report; see `stage-report.ts`. */
const reportStage = modelStage(async (context, store, asOf) =>
  (await import('./stage-report.js')).runReport(context, store, asOf),
);

/** Every stage body, by name. */
export const stageHandlers: Readonly<Record<StageName, StageHandler>> = {
  backup: backupStage,
  migrate: migrateStage,
  harvest: harvestStage,
  report: reportStage,
  export: exportStage,
  restore: restoreStage,
  optimize: optimizeStage,
  'purge-content': purgeContentStage,
  check: checkStage,
  link: async (context) => (await import('./stage-link.js')).linkStage(context),
};
