import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import { Umzug, type UmzugStorage } from 'umzug';
import { StoreError, isStoreError } from './errors.js';

/** An applied migration, as recorded in the `_migrations` table. */
export interface AppliedMigration {
  name: string;
  /** ISO 8601 time the migration was applied. */
  executedAt: string;
}

/** What {@link Migrations.status} reports. */
export interface MigrationStatus {
  executed: AppliedMigration[];
  pending: string[];
  /** Applied migrations this version does not know: the database was written by a newer ClanStats. */
  unknown: string[];
}

/** How far {@link Migrations.down} goes back: a number of steps, or down to (and including) a name. */
export type DownTarget = { step: number } | { to: string };

/** Runs the SQL migrations of a store. Each migration and its record commit in one transaction. */
export interface Migrations {
  /** Applies every pending migration in order; returns the names applied. */
  up(): Promise<string[]>;
  /** Reverts the last `step` migrations (default 1), or every migration down to `to` inclusive. */
  down(target?: DownTarget): Promise<string[]>;
  /** Lists applied, pending and unknown migrations. */
  status(): Promise<MigrationStatus>;
  /** Throws `SCHEMA_TOO_NEW` or `SCHEMA_OUTDATED` unless the schema is exactly current. */
  assertCurrent(): Promise<void>;
}

interface MigrationFile {
  name: string;
  upSql: string;
  downSql: string | undefined;
}

const migrationsTable = '_migrations';

/**
 * Where the SQL migrations are: `dist/migrations` in a published build, or the repository's
 * top-level `migrations/` when running from source.
 */
export function defaultMigrationsDir(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../../migrations/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new StoreError(
    'MIGRATION_FAILED',
    'The SQL migrations folder was not found next to the store build',
  );
}

function readMigrationFiles(dir: string): MigrationFile[] {
  const files = readdirSync(dir);
  return files
    .filter((file) => file.endsWith('.up.sql'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.up.sql'.length);
      const downFile = `${name}.down.sql`;
      return {
        name,
        upSql: readFileSync(join(dir, file), 'utf8'),
        downSql: files.includes(downFile) ? readFileSync(join(dir, downFile), 'utf8') : undefined,
      };
    });
}

function ensureTable(db: BetterSqlite3.Database): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${migrationsTable} (name TEXT PRIMARY KEY, executed_at TEXT NOT NULL)`,
  );
}

function appliedMigrations(db: BetterSqlite3.Database): AppliedMigration[] {
  const table = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(migrationsTable);
  if (table === undefined) return [];
  return db
    .prepare<[], AppliedMigration>(
      `SELECT name, executed_at AS executedAt FROM ${migrationsTable} ORDER BY name`,
    )
    .all();
}

/** Creates the migration runner (umzug) for an open database. */
export function createMigrations(db: BetterSqlite3.Database, migrationsDir: string): Migrations {
  // The record is written by the migration itself, inside its transaction; the storage only reads.
  const storage: UmzugStorage = {
    logMigration: () => Promise.resolve(),
    unlogMigration: () => Promise.resolve(),
    executed: () => Promise.resolve(appliedMigrations(db).map((migration) => migration.name)),
  };

  function runInTransaction(name: string, sql: string, record: () => void): void {
    try {
      db.transaction(() => {
        db.exec(sql);
        record();
      }).immediate();
    } catch (error) {
      throw new StoreError(
        'MIGRATION_FAILED',
        `Migration ${name} failed and was rolled back: ${String(error)}`,
        {
          migration: name,
          cause: error,
        },
      );
    }
  }

  function createUmzug(): Umzug {
    const files = readMigrationFiles(migrationsDir);
    return new Umzug({
      logger: undefined,
      storage,
      migrations: files.map((file) => ({
        name: file.name,
        up: () => {
          runInTransaction(file.name, file.upSql, () => {
            db.prepare(`INSERT INTO ${migrationsTable} (name, executed_at) VALUES (?, ?)`).run(
              file.name,
              new Date().toISOString(),
            );
          });
          return Promise.resolve();
        },
        down: () => {
          if (file.downSql === undefined) {
            throw new StoreError(
              'MIGRATION_FAILED',
              `Migration ${file.name} has no ${file.name}.down.sql`,
              {
                migration: file.name,
              },
            );
          }
          runInTransaction(file.name, file.downSql, () => {
            db.prepare(`DELETE FROM ${migrationsTable} WHERE name = ?`).run(file.name);
          });
          return Promise.resolve();
        },
      })),
    });
  }

  function status(): Promise<MigrationStatus> {
    const known = new Set(readMigrationFiles(migrationsDir).map((file) => file.name));
    const executed = appliedMigrations(db);
    const applied = new Set(executed.map((migration) => migration.name));
    return Promise.resolve({
      executed,
      pending: [...known].filter((name) => !applied.has(name)),
      unknown: executed.map((migration) => migration.name).filter((name) => !known.has(name)),
    });
  }

  function tooNew(unknown: string[]): StoreError {
    const latest = readMigrationFiles(migrationsDir).at(-1)?.name ?? 'none';
    return new StoreError(
      'SCHEMA_TOO_NEW',
      `This database was written by a newer ClanStats: it has migration ${unknown.join(', ')}, and this ClanStats knows migrations up to ${latest}. Upgrade ClanStats, or restore a backup this version made (\`clanstats restore\`); the database was not changed`,
      { migration: unknown[0] },
    );
  }

  async function unwrap<Result>(work: () => Promise<Result>): Promise<Result> {
    try {
      return await work();
    } catch (error) {
      // umzug wraps errors thrown by a migration in its own MigrationError; surface ours.
      let current: unknown = error;
      while (current instanceof Error) {
        if (isStoreError(current)) throw current;
        current = current.cause;
      }
      throw new StoreError('MIGRATION_FAILED', `Migration failed: ${String(error)}`, {
        cause: error,
      });
    }
  }

  return {
    async up() {
      const { unknown } = await status();
      if (unknown.length > 0) throw tooNew(unknown);
      ensureTable(db);
      const applied = await unwrap(() => createUmzug().up());
      return applied.map((migration) => migration.name);
    },
    async down(target = { step: 1 }) {
      const umzug = createUmzug();
      const reverted = await unwrap(() =>
        'to' in target ? umzug.down({ to: target.to }) : umzug.down({ step: target.step }),
      );
      return reverted.map((migration) => migration.name);
    },
    status,
    async assertCurrent() {
      const { pending, unknown } = await status();
      if (unknown.length > 0) throw tooNew(unknown);
      if (pending.length > 0) {
        throw new StoreError(
          'SCHEMA_OUTDATED',
          `The database needs ${pending.length} migration(s) (${pending.join(', ')}); run \`clanstats migrate up\``,
          { migration: pending[0] },
        );
      }
    },
  };
}
