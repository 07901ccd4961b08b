// Disk faults through the real CLI, each case in its own copy of a folder where a whole run
// finished: a database file, or its folder, that this user may not write; a disk that fills up
// while the report, the dashboard, clan_data.json or the copies to LOCAL_DRIVE_PATH are written (a
// write stub at the fs boundary, __fixtures__/disk-full.mjs, loaded into every stage process);
// LOCAL_DRIVE_PATH missing, in the way or not writable. Each ends in one clear error line (what,
// where, what to do) and a non-zero exit, without a stack, with the database and the previous
// outputs unchanged byte for byte and no temporary file left; the next run without the fault
// succeeds. Root ignores file modes, so as root the permission cases run the CLI as nobody.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damagedOutputs, integrityCheck, temporaryFiles } from './crash-harness.js';
import { diskFull, fileHashes, startRunFixture, type RunFixture } from './run-fixture.js';
import type { CliResult, TempFolder } from './test-harness.js';

const AS_ROOT = process.getuid?.() === 0;
/** Root ignores file modes: the permission cases run the CLI as nobody instead. */
const OTHER_USER = AS_ROOT ? { user: { uid: 65534, gid: 65534 } } : {};
const OUTPUTS = ['clan_dashboard.html', 'clan_data.json', 'clan_report_summary_merged.xlsx'];

let fixture: RunFixture;
beforeAll(async () => {
  fixture = await startRunFixture({ seed: 61, prefix: 'clanstats-disk-' });
}, 60_000);
afterAll(async () => {
  await fixture.close();
});

/** Lets nobody work in `folder` (as root): every folder 0777, every file 0666. */
function openToOthers(folder: string): void {
  if (!AS_ROOT) return;
  chmodSync(folder, 0o777);
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o777 : 0o666);
  }
}

/** One error line and a non-zero exit, without a stack trace. */
function expectClearFailure(result: CliResult, code: number, says: string): void {
  expect(result.code, result.output).toBe(code);
  expect(result.stderr).toContain(says);
  expect(result.output).not.toMatch(/^\s+at /m);
}

/** What a case checks after its fault: the database is sound, nothing half-written is left. */
function expectNoDamage(folder: TempFolder): void {
  expect(integrityCheck(folder)).toEqual(['ok']);
  expect(temporaryFiles(folder.file('out'))).toEqual([]);
  expect(existsSync(folder.file('clan_data.db.lock'))).toBe(false);
}

describe.concurrent('a database this user may not write', () => {
  it('a read-only database file: run and export refused, doctor says so, nothing changed', async () => {
    const folder = fixture.copy();
    openToOthers(folder.path);
    chmodSync(folder.file('clan_data.db'), 0o444);
    const before = {
      database: fileHashes(folder.path)['clan_data.db'],
      out: fileHashes(folder.file('out')),
    };

    const says = `The database ${folder.file('clan_data.db')} is read-only for this user (EACCES): ClanStats writes to it. Give this user write access to it (chmod u+w, or chown it to this user), or run ClanStats as the user that owns it`;
    // run and export one after the other (the second would find the lock of the first); doctor
    // takes no lock.
    const [[run, exported], doctor] = await Promise.all([
      fixture
        .cli(folder, ['run', ...fixture.asOfArgs], {}, OTHER_USER)
        .then(async (first): Promise<[CliResult, CliResult]> => [
          first,
          await fixture.cli(folder, ['export', ...fixture.asOfArgs], {}, OTHER_USER),
        ]),
      fixture.cli(folder, ['doctor'], {}, OTHER_USER),
    ]);
    expectClearFailure(run, 6, `✖ [backup] DATABASE: backup: ${says}`);
    expect(run.stderr).toContain('Stopped at stage 1/5 (backup).');
    expectClearFailure(exported, 6, `DATABASE: export: ${says}`);
    expect(doctor.code).toBe(7);
    expect(doctor.stdout).toContain(
      `✖ Database ${folder.file('clan_data.db')} is read-only for this user (EACCES)`,
    );

    expect(fileHashes(folder.path)['clan_data.db']).toBe(before.database);
    expect(fileHashes(folder.file('out'))).toEqual(before.out);
    expect(existsSync(folder.file('backups'))).toBe(false);
    expectNoDamage(folder);
  });

  it('a read-only database folder: the lock, and any open, say which folder and what to do', async () => {
    const folder = fixture.copy();
    mkdirSync(folder.file('data'));
    renameSync(folder.file('clan_data.db'), folder.file('data/clan_data.db'));
    openToOthers(folder.path);
    chmodSync(folder.file('data'), 0o555);
    const data = folder.file('data');
    const before = { data: fileHashes(data), out: fileHashes(folder.file('out')) };
    const env = { CLANSTATS_DB: 'data/clan_data.db' };

    const [run, status, doctor] = await Promise.all([
      fixture.cli(folder, ['run', ...fixture.asOfArgs], env, OTHER_USER),
      fixture.cli(folder, ['migrate', 'status'], env, OTHER_USER),
      fixture.cli(folder, ['doctor'], env, OTHER_USER),
    ]);
    expectClearFailure(
      run,
      6,
      `Could not create the lock file ${data}/clan_data.db.lock: permission denied (EACCES): give this user write access to the database folder (${data}), or run ClanStats as the user that owns it. Nothing was changed.`,
    );
    const folderSays = `The folder ${data} of the database ${data}/clan_data.db is not writable for this user (EACCES): SQLite keeps clan_data.db-wal and clan_data.db-shm beside the database, even to read it. Give this user write access to the folder, or run ClanStats as the user that owns it`;
    expectClearFailure(status, 6, folderSays);
    expect(doctor.code).toBe(7);
    expect(doctor.stdout).toContain(`Database folder ${data} is not writable (EACCES)`);
    expect(doctor.stdout).toContain(`Database check failed: check: The folder ${data}`);

    expect(fileHashes(data)).toEqual(before.data);
    expect(fileHashes(folder.file('out'))).toEqual(before.out);
  });
});

describe.concurrent('a disk that fills up', () => {
  it('while the report is written: ENOSPC named, the previous report intact, then the report succeeds', async () => {
    const folder = fixture.copy();
    const out = folder.file('out');
    const before = fileHashes(out);
    const report = await fixture.cli(folder, ['report', ...fixture.asOfArgs], diskFull(out, 2000));
    expectClearFailure(
      report,
      1,
      `Could not write the report ${out}/clan_report_summary_merged.xlsx: the disk is full (ENOSPC): free some space on the disk of CLANSTATS_OUT_DIR (${out}), then run again. The previous report, if any, is unchanged.`,
    );
    expect(fileHashes(out)).toEqual(before);
    expectNoDamage(folder);

    const again = await fixture.cli(folder, ['report', ...fixture.asOfArgs]);
    expect(again.code, again.output).toBe(0);
    expect(fileHashes(out)['clan_report_summary_merged.xlsx']).not.toBe(
      before['clan_report_summary_merged.xlsx'],
    );
    expect(await damagedOutputs(folder)).toEqual([]);
  });

  it('while clan_data.json is written: the export stops before the dashboard, nothing replaced', async () => {
    const folder = fixture.copy();
    const out = folder.file('out');
    const before = fileHashes(out);
    const exported = await fixture.cli(folder, ['export', ...fixture.asOfArgs], diskFull(out, 0));
    expectClearFailure(
      exported,
      1,
      `Could not write ${out}/clan_data.json: the disk is full (ENOSPC): free some space on the disk of CLANSTATS_OUT_DIR (${out}), then run again. The previous file, if any, is unchanged.`,
    );
    expect(fileHashes(out)).toEqual(before);
    expectNoDamage(folder);
  });

  it('while the dashboard is written: the previous page intact', async () => {
    const folder = fixture.copy();
    const out = folder.file('out');
    const before = fileHashes(out);
    // Room for clan_data.json (the same size again), not for the page after it.
    const free = statSync(join(out, 'clan_data.json')).size + 100;
    const exported = await fixture.cli(
      folder,
      ['export', ...fixture.asOfArgs],
      diskFull(out, free),
    );
    expectClearFailure(
      exported,
      1,
      `Could not write the dashboard to ${out}/clan_dashboard.html (ENOSPC: no space left on device`,
    );
    expect(exported.stderr).toContain(
      `the previous page, if any, is unchanged. The disk is full (ENOSPC): free some space on the disk of CLANSTATS_OUT_DIR (${out}), then run again.`,
    );
    const after = fileHashes(out);
    expect(after['clan_dashboard.html']).toBe(before['clan_dashboard.html']);
    expect(after['clan_report_summary_merged.xlsx']).toBe(
      before['clan_report_summary_merged.xlsx'],
    );
    expect(await damagedOutputs(folder)).toEqual([]);
    expectNoDamage(folder);
  });

  it('on LOCAL_DRIVE_PATH: the outputs written, the copies there intact', async () => {
    const folder = fixture.copy();
    const drive = folder.file('drive');
    mkdirSync(drive);
    for (const name of OUTPUTS.slice(0, 2)) writeFileSync(join(drive, name), `previous ${name}`);
    const before = fileHashes(drive);
    const exported = await fixture.cli(folder, ['export', ...fixture.asOfArgs], {
      LOCAL_DRIVE_PATH: drive,
      ...diskFull(drive, 1000),
    });
    expectClearFailure(
      exported,
      1,
      `Could not copy the outputs to ${drive}: the disk is full. Files already there are unchanged. The disk is full (ENOSPC): free some space on the disk of LOCAL_DRIVE_PATH (${drive}), then run again.`,
    );
    expect(fileHashes(drive)).toEqual(before);
    expect(temporaryFiles(drive)).toEqual([]);
    expect(await damagedOutputs(folder)).toEqual([]);
    expectNoDamage(folder);
  });
});

describe.concurrent('LOCAL_DRIVE_PATH', () => {
  it('missing with its parent (a drive not mounted): an error, no folder created, the outputs written', async () => {
    const folder = fixture.copy();
    const parent = folder.file('not-mounted');
    const drive = join(parent, 'ClanStats');
    const out = folder.file('out');
    const env = { LOCAL_DRIVE_PATH: drive };
    const [exported, doctor] = await Promise.all([
      fixture.cli(folder, ['export', ...fixture.asOfArgs], env),
      fixture.cli(folder, ['doctor'], env),
    ]);
    expectClearFailure(
      exported,
      1,
      `LOCAL_DRIVE_PATH ${drive} does not exist, and neither does the folder it would be created in (${parent}): if it is on a drive that is not connected, mounted or synced yet, connect it; otherwise create the folder, or fix LOCAL_DRIVE_PATH. Nothing was copied there. The outputs are written in CLANSTATS_OUT_DIR (${out}).`,
    );
    expect(existsSync(parent)).toBe(false);
    expect(exported.stdout).toContain(`Wrote ${out}/clan_dashboard.html`);
    expect(doctor.stdout).toContain(
      `✖ Drive folder ${drive} does not exist, and neither does the folder it would be created in (${parent})`,
    );
    expectNoDamage(folder);
  });

  it('a file: an error that says so', async () => {
    const folder = fixture.copy();
    const drive = folder.file('notes.txt');
    writeFileSync(drive, 'not a folder');
    const exported = await fixture.cli(folder, ['export', ...fixture.asOfArgs], {
      LOCAL_DRIVE_PATH: drive,
    });
    expectClearFailure(
      exported,
      1,
      `LOCAL_DRIVE_PATH ${drive} is a file, not a folder: set LOCAL_DRIVE_PATH to a folder. Nothing was copied there.`,
    );
    expect(await damagedOutputs(folder)).toEqual([]);
  });

  it('not writable: an error naming it, the copies there intact, the outputs written', async () => {
    const folder = fixture.copy();
    const drive = folder.file('drive');
    mkdirSync(drive);
    for (const name of OUTPUTS.slice(0, 2)) writeFileSync(join(drive, name), `previous ${name}`);
    openToOthers(folder.path);
    chmodSync(drive, 0o555);
    const before = fileHashes(drive);
    const exported = await fixture.cli(
      folder,
      ['export', ...fixture.asOfArgs],
      { LOCAL_DRIVE_PATH: drive },
      OTHER_USER,
    );
    expectClearFailure(
      exported,
      1,
      `Could not copy the outputs to ${drive}: the folder is not writable: choose a folder you can write to, or fix its permissions. Files already there are unchanged. Permission denied (EACCES): give this user write access to LOCAL_DRIVE_PATH (${drive}), or run ClanStats as the user that owns it.`,
    );
    expect(fileHashes(drive)).toEqual(before);
    expect(exported.stdout).toContain(`Wrote ${folder.file('out')}/clan_data.json`);
    expectNoDamage(folder);
  });
});
