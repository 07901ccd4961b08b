import { accessSync, constants } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { backupDatabase, type BackupInfo, type BackupOptions } from './backup.js';
import { countStoredContent, purgeStoredContent, type StoredContentCounts } from './content.js';
import { createPrivateFile } from './files.js';
import { DiscordWriter } from './discord.js';
import { isStoreError, StoreError } from './errors.js';
import { IdentityStore } from './identity.js';
import { createMigrations, defaultMigrationsDir, type Migrations } from './migrations.js';
import { StoreReader } from './readers.js';
import { RunLog } from './runs.js';
import { SummaryPosts } from './summary-posts.js';
import { WomWriter } from './wom.js';

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * Open the file read-only (it must exist).
   * @defaultValue `false`
   */
  readonly: boolean;
  /**
   * How long a write waits for another connection's lock before failing, in milliseconds.
   * @defaultValue `5000`
   */
  busyTimeoutMs: number;
  /**
   * The folder of SQL migrations.
   * @defaultValue the migrations shipped with this package
   */
  migrationsDir: string | undefined;
}

/** The defaults of {@link OpenStoreOptions}. */
export const DefaultOpenStoreOptions = {
  readonly: false,
  busyTimeoutMs: 5000,
  migrationsDir: undefined,
} as const satisfies OpenStoreOptions;

/** What {@link Store.optimize} did. */
export interface OptimizeResult {
  pageCount: number;
  freePages: number;
  /** Whether `VACUUM` ran (free pages passed the threshold). */
  vacuumed: boolean;
}

/** Options for {@link Store.optimize}. */
export interface OptimizeOptions {
  /**
   * `VACUUM` when free pages exceed this share of all pages (0 to 1).
   * @defaultValue `0.2`
   */
  vacuumFreePageRatio?: number;
}

/**
 * An open ClanStats database: one SQLite file in WAL mode with foreign keys on. Writers are
 * idempotent and batch their rows in one transaction per call.
 */
export class Store {
  /** The database file, or `':memory:'`. */
  readonly path: string;
  /** The underlying better-sqlite3 connection, for queries the typed API does not cover. */
  readonly db: Database.Database;
  /** Schema migrations (umzug). */
  readonly migrations: Migrations;
  #wom: WomWriter | undefined;
  #discord: DiscordWriter | undefined;
  #identity: IdentityStore | undefined;
  #runs: RunLog | undefined;
  #summaryPosts: SummaryPosts | undefined;
  #read: StoreReader | undefined;

  /** Use {@link openStore}. */
  constructor(path: string, db: Database.Database, migrationsDir: string) {
    this.path = path;
    this.db = db;
    this.migrations = createMigrations(db, migrationsDir);
  }

  // The typed APIs prepare their statements on first use, after the schema exists.
  /** WOM writers: groups, players, memberships, name changes, activity, snapshots. */
  get wom(): WomWriter {
    return (this.#wom ??= new WomWriter(this.db));
  }

  /** Discord writers: guilds, channels, users, members, messages, checkpoints. */
  get discord(): DiscordWriter {
    return (this.#discord ??= new DiscordWriter(this.db));
  }

  /** Discord ↔ WOM links. */
  get identity(): IdentityStore {
    return (this.#identity ??= new IdentityStore(this.db));
  }

  /** Harvest run records. */
  get runs(): RunLog {
    return (this.#runs ??= new RunLog(this.db));
  }

  /** Summaries posted to Discord (the weekly summary). */
  get summaryPosts(): SummaryPosts {
    return (this.#summaryPosts ??= new SummaryPosts(this.db));
  }

  /** Readers for the clan model, the report and the dashboard. */
  get read(): StoreReader {
    return (this.#read ??= new StoreReader(this.db));
  }

  /** Runs `work` in one transaction: all of its writes commit, or none do. */
  transaction<Result>(work: () => Result): Result {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      // Rows the writers cached ids of (metrics) may have been rolled back with it.
      this.#wom?.forgetCachedIds();
      throw error;
    }
  }

  /** Takes a consistent online backup into `backups/` beside the database, keeping the last N. */
  backup(options: BackupOptions = {}): Promise<BackupInfo> {
    return backupDatabase(this.db, this.path, options);
  }

  /**
   * Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; throws a StoreError with code
   * `INTEGRITY_CHECK_FAILED` and the problems found.
   */
  integrityCheck(): void {
    let problems: string[];
    try {
      const integrity = (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>)
        .map((row) => row.integrity_check)
        .filter((line) => line !== 'ok');
      const foreignKeys = (
        this.db.pragma('foreign_key_check') as Array<{
          table: string;
          rowid: number;
          parent: string;
        }>
      ).map((row) => `${row.table} row ${row.rowid} points to a missing ${row.parent} row`);
      problems = [...integrity, ...foreignKeys];
    } catch (error) {
      // Damage bad enough that SQLite cannot even walk the file.
      problems = [String(error)];
    }
    if (problems.length > 0) {
      throw new StoreError(
        'INTEGRITY_CHECK_FAILED',
        `The database ${this.path} failed its integrity check (${problems.length} problem(s)); restore a backup with \`clanstats restore\``,
        { path: this.path, problems },
      );
    }
  }

  /** `PRAGMA optimize` and `ANALYZE`; `VACUUM` when free pages pass the threshold. */
  optimize(options: OptimizeOptions = {}): OptimizeResult {
    const ratio = options.vacuumFreePageRatio ?? 0.2;
    this.db.pragma('optimize');
    this.db.exec('ANALYZE');
    const pageCount = this.db.pragma('page_count', { simple: true }) as number;
    const freePages = this.db.pragma('freelist_count', { simple: true }) as number;
    const vacuumed = pageCount > 0 && freePages / pageCount > ratio;
    if (vacuumed) {
      this.db.exec('VACUUM');
      if (this.path !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return { pageCount, freePages, vacuumed };
  }

  /**
   * How many Discord messages and relayed clan-chat lines hold their text (stored only when the
   * clan opted in). Works on any schema ClanStats wrote, so on old backups too.
   */
  countContent(): StoredContentCounts {
    return countStoredContent(this.db);
  }

  /**
   * Removes every stored message text: sets `content` to `NULL` in `discord_messages` and
   * `discord_relay_lines`, in one transaction, with `secure_delete` on. Returns the rows cleared.
   * Call {@link Store.vacuum} next, so no old copy of a page stays in the WAL. Works on any schema
   * ClanStats wrote, so on old backups too.
   */
  purgeContent(): StoredContentCounts {
    return purgeStoredContent(this.db);
  }

  /**
   * `VACUUM`, then `wal_checkpoint(TRUNCATE)`: the file is rewritten without free pages and the WAL
   * emptied, so data deleted before is gone from the files on disk, not only from the tables.
   * @returns `false` when another connection kept the WAL from being emptied.
   */
  vacuum(): boolean {
    this.db.exec('VACUUM');
    if (this.path === ':memory:') return true;
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return result === undefined || result.busy === 0;
  }

  /** Closes the connection (checkpointing the WAL). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The `code` of a Node or SQLite error, if it has one. */
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** The errno codes that say this user may not write a path. */
const NOT_WRITABLE_CODES: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A `READ_ONLY` error about the database file or about its folder. */
function readOnlyError(
  file: string,
  part: 'file' | 'folder',
  reason: string,
  cause: unknown,
): StoreError {
  const name = basename(file);
  const message =
    part === 'file'
      ? `The database ${file} is read-only for this user (${reason}): ClanStats writes to it. Give this user write access to it (chmod u+w, or chown it to this user), or run ClanStats as the user that owns it`
      : `The folder ${dirname(file)} of the database ${file} is not writable for this user (${reason}): SQLite keeps ${name}-wal and ${name}-shm beside the database, even to read it. Give this user write access to the folder, or run ClanStats as the user that owns it`;
  return new StoreError('READ_ONLY', message, { path: file, cause });
}

/**
 * Refuses, before SQLite opens it, a database this user may not write: SQLite would open it
 * read-only without a word, every write would fail later, and a backup of it would never end. The
 * file (when it exists) and its folder, where SQLite creates the `-wal` and `-shm` files.
 */
function assertWritable(file: string): void {
  const parts: Array<['file' | 'folder', string]> = [
    ['file', file],
    ['folder', dirname(file)],
  ];
  for (const [part, path] of parts) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      // A missing file is a new database; a missing folder is the open's error to report.
      if (code !== undefined && NOT_WRITABLE_CODES.has(code)) {
        throw readOnlyError(file, part, code, error);
      }
    }
  }
}

/**
 * Opens (creating if needed) a ClanStats database file, or `':memory:'`. Sets WAL journaling,
 * foreign keys and a busy timeout. It does not migrate: call `store.migrations.up()`.
 */
export function openStore(path: string, options: Partial<OpenStoreOptions> = {}): Store {
  const settings = { ...DefaultOpenStoreOptions, ...options };
  const file = path === ':memory:' ? path : resolve(path);
  let db: Database.Database;
  try {
    // A new database is private to its owner (0600; SQLite gives its -wal and -shm files the same
    // mode): it holds a clan's members and messages.
    if (!settings.readonly && file !== ':memory:') {
      assertWritable(file);
      createPrivateFile(file);
    }
    db = new Database(file, {
      readonly: settings.readonly,
      fileMustExist: settings.readonly,
      timeout: settings.busyTimeoutMs,
    });
  } catch (error) {
    if (isStoreError(error)) throw error;
    throw new StoreError('OPEN_FAILED', `Could not open the database ${file}: ${String(error)}`, {
      path: file,
      cause: error,
    });
  }
  try {
    if (!settings.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(settings.busyTimeoutMs))}`);
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
  } catch (error) {
    db.close();
    // SQLite opens a file it may not write read-only, then cannot set up WAL beside it.
    const code = errorCode(error) ?? '';
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
      throw readOnlyError(file, code === 'SQLITE_READONLY' ? 'file' : 'folder', code, error);
    }
    throw new StoreError(
      'OPEN_FAILED',
      `${file} is not a usable SQLite database: ${String(error)}`,
      { path: file, cause: error },
    );
  }
  return new Store(file, db, settings.migrationsDir ?? defaultMigrationsDir());
}
