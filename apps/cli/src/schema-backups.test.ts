// Schema versions and backups through the real CLI, each case in its own copy of a folder where a
// whole run finished. A database from a newer ClanStats (a migration this build does not know) is
// refused by every command that opens it, with the versions and what to do, and left unchanged;
// doctor says so. An older one (two migrations reverted) is backed up with its old schema before
// `run`, or `migrate up` alone, migrates it, and keeps its data. Backups: with
// CLANSTATS_BACKUP_KEEP=3, four backups of a changing database leave the newest three (nothing else
// in backups/); each of them restores to a sound database with the rows it had when it was taken,
// which a report runs on, and the restore leaves nothing else in backups/. A disk without room for
// a backup stops the run before anything is written, the older backups kept.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listBackups, openStore } from '@clanstats/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, databaseFingerprint, integrityCheck, query } from './crash-harness.js';
import { diskFull, fileHashes, startRunFixture, type RunFixture } from './run-fixture.js';
import type { CliResult, TempFolder } from './test-harness.js';

const MIGRATIONS = fileURLToPath(new URL('../../../migrations/', import.meta.url));
/** The newest migration this build knows, such as `0007_summary_posts`. */
const LATEST = readdirSync(MIGRATIONS)
  .filter((name) => name.endsWith('.up.sql'))
  .sort()
  .at(-1)
  ?.slice(0, -'.up.sql'.length);
const FUTURE = '9999_from_a_newer_clanstats';
const KEEP = 3;

let fixture: RunFixture;
let backupsMade: Promise<Backups>;
beforeAll(async () => {
  fixture = await startRunFixture({ seed: 67, prefix: 'clanstats-schema-' });
  backupsMade = makeBackups();
  // Reported by the backup cases, not as an unhandled rejection here.
  backupsMade.catch(() => undefined);
}, 60_000);
afterAll(async () => {
  await fixture.close();
});

/** Runs `sql` on the folder's database (no CLI is running there). */
function write(folder: TempFolder, sql: string): void {
  const store = openStore(folder.file('clan_data.db'));
  try {
    store.db.exec(sql);
  } finally {
    store.close();
  }
}

function migrationNames(path: string): string[] {
  const store = openStore(path, { readonly: true });
  try {
    return store.db.prepare('SELECT name FROM _migrations ORDER BY name').pluck().all() as string[];
  } finally {
    store.close();
  }
}

/** One error line and a non-zero exit, without a stack trace. */
function expectClearFailure(result: CliResult, code: number, says: string): void {
  expect(result.code, result.output).toBe(code);
  expect(result.stderr).toContain(says);
  expect(result.output).not.toMatch(/^\s+at /m);
}

describe.concurrent('schema', () => {
  it.each([
    ['run', 'backup'],
    ['harvest', 'harvest'],
    ['report', 'report'],
    ['export', 'export'],
    ['backup', 'backup'],
  ])(
    'a database from a newer ClanStats: "%s" refuses it (stage %s), unchanged',
    async (command, stage) => {
      const folder = fixture.copy();
      write(
        folder,
        `INSERT INTO _migrations (name, executed_at) VALUES ('${FUTURE}', '2030-01-01T00:00:00.000Z')`,
      );
      const before = fileHashes(folder.path);
      const args = command === 'backup' ? [command] : [command, ...fixture.asOfArgs];
      const result = await fixture.cli(folder, args);
      expectClearFailure(
        result,
        6,
        `✖ [${stage}] DATABASE: ${stage}: This database was written by a newer ClanStats: it has migration ${FUTURE}, and this ClanStats knows migrations up to ${LATEST ?? ''}. Upgrade ClanStats, or restore a backup this version made (\`clanstats restore\`); the database was not changed`,
      );
      if (command === 'run') expect(result.stderr).toContain('Stopped at stage 1/5 (backup).');
      expect(fileHashes(folder.path)['clan_data.db']).toBe(before['clan_data.db']);
      // Not even a backup: its copy would push out the ones this version can restore.
      expect(listBackups(folder.file('clan_data.db'))).toEqual([]);
      expect(fileHashes(folder.file('out'))).toEqual(fileHashes(fixture.base.file('out')));
    },
  );

  it('a database from a newer ClanStats: doctor names the migration and what to do', async () => {
    const folder = fixture.copy();
    write(folder, `INSERT INTO _migrations (name, executed_at) VALUES ('${FUTURE}', 'x')`);
    const doctor = await fixture.cli(folder, ['doctor']);
    expect(doctor.code).toBe(7);
    expect(doctor.stdout).toContain(
      `✖ Database has migrations this version does not know: ${FUTURE}\n      → a newer ClanStats wrote this database: upgrade clanstats, or restore a backup this version made ("clanstats restore")`,
    );
  });

  it.each([['run'], ['migrate up']])(
    'an older database: "%s" backs it up with its old schema, then migrates it, data kept',
    async (command) => {
      const folder = fixture.copy();
      const down = await fixture.cli(folder, ['migrate', 'down', '--step', '2']);
      expect(down.code, down.output).toBe(0);
      const oldSchema = migrationNames(folder.file('clan_data.db'));
      expect(oldSchema).toHaveLength(migrationNames(fixture.base.file('clan_data.db')).length - 2);

      const args = command === 'run' ? ['run', ...fixture.asOfArgs] : ['migrate', 'up'];
      const run = await fixture.cli(folder, args);
      expect(run.code, run.output).toBe(0);
      const [backup, ...others] = listBackups(folder.file('clan_data.db'));
      expect(others).toEqual([]);
      // The backup came first, and holds the database as it was: the old schema.
      expect(run.stdout.indexOf(`Backed up to ${backup?.path ?? '?'}`)).toBeGreaterThan(-1);
      expect(run.stdout.indexOf('Backed up to')).toBeLessThan(run.stdout.indexOf('Applied 0'));
      expect(migrationNames(backup?.path ?? '')).toEqual(oldSchema);
      expect(migrationNames(folder.file('clan_data.db'))).toContain(LATEST);
      expect(integrityCheck(folder)).toEqual(['ok']);
      expect(databaseFingerprint(folder)).toEqual(databaseFingerprint(fixture.base));
    },
  );
});

/** A folder where KEEP + 1 backups were made, and what the database held at each, by path. */
interface Backups {
  folder: TempFolder;
  taken: Map<string, ReturnType<typeof databaseFingerprint>>;
}

/** Makes the backups (started in beforeAll, so it runs while the schema cases run). */
async function makeBackups(): Promise<Backups> {
  const folder = fixture.copy();
  const taken = new Map<string, ReturnType<typeof databaseFingerprint>>();
  for (let index = 0; index < KEEP + 1; index += 1) {
    // A different database each time: one Discord message fewer.
    write(folder, 'DELETE FROM discord_messages WHERE id = (SELECT max(id) FROM discord_messages)');
    const fingerprint = databaseFingerprint(folder);
    const backup = await fixture.cli(folder, ['backup'], { CLANSTATS_BACKUP_KEEP: String(KEEP) });
    if (backup.code !== 0) throw new Error(`backup failed:\n${backup.output}`);
    taken.set(backup.stdout.trim().split('\n').at(-1) ?? '', fingerprint);
  }
  return { folder, taken };
}

describe.concurrent('backups', () => {
  let folder: TempFolder;
  let taken: Backups['taken'];
  beforeAll(async () => {
    ({ folder, taken } = await backupsMade);
  }, 60_000);

  it(`rotate: of ${KEEP + 1} backups the newest ${KEEP} stay, and nothing else in backups/`, () => {
    const kept = listBackups(folder.file('clan_data.db'));
    expect(kept.map((backup) => backup.path)).toEqual([...taken.keys()].slice(-KEEP).reverse());
    expect(readdirSync(folder.file('backups'))).toHaveLength(KEEP);
    const largest = Math.max(...kept.map((backup) => backup.bytes));
    const total = readdirSync(folder.file('backups')).reduce(
      (sum, name) => sum + statSync(folder.file(`backups/${name}`)).size,
      0,
    );
    expect(total).toBeLessThanOrEqual(KEEP * largest);
  });

  it.each([0, 1, 2])(
    'restore the kept backup %i (newest first): sound, its rows, and a report runs on it',
    async (index) => {
      const copy = fixture.copy();
      cpSync(folder.file('backups'), copy.file('backups'), { recursive: true });
      const backup = listBackups(copy.file('clan_data.db'))[index];
      if (backup === undefined) throw new Error(`no backup ${index}`);
      const restored = await fixture.cli(copy, ['restore', backup.path]);
      expect(restored.code, restored.output).toBe(0);
      expect(integrityCheck(copy)).toEqual(['ok']);
      const original = folder.file(`backups/${basename(backup.path)}`);
      expect(databaseFingerprint(copy)).toEqual(taken.get(original));
      const report = await fixture.cli(copy, ['report', ...fixture.asOfArgs]);
      expect(report.code, report.output).toBe(0);
      // The restore kept the replaced database as a backup, and left nothing else in backups/.
      expect(listBackups(copy.file('clan_data.db'))).toHaveLength(KEEP + 1);
      expect(readdirSync(copy.file('backups'))).toHaveLength(KEEP + 1);
      if (index > 0) return;
      // The next backup rotates to KEEP again.
      const next = await fixture.cli(copy, ['backup'], { CLANSTATS_BACKUP_KEEP: String(KEEP) });
      expect(next.code, next.output).toBe(0);
      expect(readdirSync(copy.file('backups'))).toHaveLength(KEEP);
    },
  );

  it('a disk without room for a backup: the run stops before anything, older backups kept', async () => {
    const copy = fixture.copy();
    cpSync(folder.file('backups'), copy.file('backups'), { recursive: true });
    const before = { backups: fileHashes(copy.file('backups')), out: fileHashes(copy.file('out')) };
    const run = await fixture.cli(copy, ['run', ...fixture.asOfArgs], {
      CLANSTATS_BACKUP_KEEP: String(KEEP),
      ...diskFull(copy.path, 1024 * 1024),
    });
    expectClearFailure(
      run,
      6,
      `✖ [backup] DATABASE: backup: Not enough free space to back up ${copy.file('clan_data.db')} in ${copy.file('backups')}: the backup needs`,
    );
    expect(run.stderr).toContain(
      'and the disk has 1.0 MB free. Free some space on that disk, or keep fewer backups; nothing was written, the older backups are kept',
    );
    expect(run.stderr).toContain('Stopped at stage 1/5 (backup).');
    expect(fileHashes(copy.file('backups'))).toEqual(before.backups);
    expect(fileHashes(copy.file('out'))).toEqual(before.out);
    expect(count(copy, 'SELECT count(*) AS n FROM harvest_runs')).toBe(
      count(fixture.base, 'SELECT count(*) AS n FROM harvest_runs'),
    );
    expect(query(copy, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });
});
