import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { openStore } from '@clanstats/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from './lock.js';
import { createTempFolder, runCli, waitFor, type TempFolder } from './test-harness.js';

let folder: TempFolder;
let database: string;
beforeEach(() => {
  folder = createTempFolder();
  database = folder.file('clan_data.db');
});
afterEach(() => {
  folder.remove();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: folder.path, env });
}

function readMarker(): string | undefined {
  const store = openStore(database, { readonly: true });
  try {
    const row = store.db.prepare('SELECT value FROM test_marker').get() as
      { value: string } | undefined;
    return row?.value;
  } finally {
    store.close();
  }
}

function writeMarker(value: string): void {
  const store = openStore(database);
  try {
    store.db.exec('CREATE TABLE IF NOT EXISTS test_marker (value TEXT NOT NULL)');
    store.transaction(() => {
      store.db.prepare('DELETE FROM test_marker').run();
      store.db.prepare('INSERT INTO test_marker (value) VALUES (?)').run(value);
    });
  } finally {
    store.close();
  }
}

describe('migrate', () => {
  it('applies, lists and reverts migrations on a real file', async () => {
    const before = await cli(['migrate', 'status']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`Database: ${database} (does not exist yet)`);
    expect(before.stdout).toMatch(/… 0001_initial {2}\(pending\)/);

    const up = await cli(['migrate', 'up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('✔ [migrate] Applied 0001_initial');
    expect(existsSync(database)).toBe(true);

    const again = await cli(['migrate']);
    expect(again.stdout).toContain('The database is up to date; no migrations to apply.');

    const status = await cli(['migrate', 'status']);
    expect(status.stdout).toMatch(/✔ 0001_initial {2}\(applied \d{4}-\d\d-\d\dT/);
    expect(status.stdout).toMatch(/\d+ applied, 0 pending\./);

    const down = await cli(['migrate', 'down']);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/✔ \[migrate\] Reverted \d{4}_\w+/);

    const after = await cli(['migrate', 'status']);
    expect(after.stdout).toMatch(/[1-9]\d* pending\./);

    // A migration the store does not know is a database error, with the database's exit code.
    const unknown = await cli(['migrate', 'down', '--to', 'no_such_migration']);
    expect(unknown.code).toBe(6);
    expect(unknown.stderr).toMatch(/✖ \[migrate\] DATABASE: migrate: /);
  });

  it('needs no tokens, and ignores settings it does not use', async () => {
    const result = await cli(['migrate'], {
      WOM_GROUP_ID: 'abc',
      DISCORD_TOKEN: 'has spaces in it',
    });
    expect(result.code).toBe(0);
  });
});

describe('backup and restore', () => {
  it('round-trips through the CLI', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    writeMarker('before');

    const backup = await cli(['backup']);
    expect(backup.code).toBe(0);
    const backupPath = backup.stdout.trim().split('\n').at(-1) ?? '';
    expect(existsSync(backupPath)).toBe(true);
    expect(backupPath.startsWith(folder.file('backups'))).toBe(true);

    writeMarker('after');
    expect(readMarker()).toBe('after');

    const list = await cli(['restore']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`Backups of ${database}, newest first:`);
    expect(list.stdout).toContain(`1. `);
    expect(list.stdout).toContain(backupPath);

    const restore = await cli(['restore', '--latest']);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`✔ [restore] Restored ${backupPath}.`);
    expect(readMarker()).toBe('before');

    // The replaced database was kept as a backup too: now two, newest first.
    const listed = await cli(['restore']);
    const paths = listed.stdout.split('\n').filter((line) => /^\s+\d+\. /.test(line));
    expect(paths).toHaveLength(2);
    expect(paths[1]).toContain(backupPath);

    // Restore an explicit file: the safety copy holds 'after'.
    const safetyCopy = /\s(\S+\.db)$/.exec(paths[0] ?? '')?.[1] ?? '';
    const explicit = await cli(['restore', safetyCopy]);
    expect(explicit.code).toBe(0);
    expect(readMarker()).toBe('after');
  });

  it('keeps the newest CLANSTATS_BACKUP_KEEP backups', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    for (let index = 0; index < 3; index += 1) {
      expect((await cli(['backup'], { CLANSTATS_BACKUP_KEEP: '2' })).code).toBe(0);
    }
    expect(readdirSync(folder.file('backups'))).toHaveLength(2);
  });

  it('explains a missing database or backup', async () => {
    const backup = await cli(['backup']);
    expect(backup.code).toBe(6);
    expect(backup.stderr).toContain(
      `There is no database at ${database} yet; run "clanstats migrate up"`,
    );
    const restore = await cli(['restore', '--latest']);
    expect(restore.code).toBe(6);
    expect(restore.stderr).toContain('There are no backups of');
    const missingFile = await cli(['restore', folder.file('nope.db')]);
    expect(missingFile.code).toBe(6);
    expect(missingFile.stderr).toContain('DATABASE: restore: Backup');
  });
});

describe('run', () => {
  it('refuses to start without WOM_GROUP_ID, before any stage', async () => {
    const result = await cli(['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WOM_GROUP_ID is not set');
    expect(result.output).not.toContain('Stage 1/5');
    expect(existsSync(database)).toBe(false);
    expect(existsSync(`${database}.lock`)).toBe(false);
  });

  it('backs up and migrates, then stops at a harvest that fails, naming the stage', async () => {
    const env = { WOM_GROUP_ID: '1', WOM_BASE_URL: 'http://127.0.0.1:9/v2' };
    const first = await cli(['run'], env);
    expect(first.code).toBe(8);
    expect(first.stdout).toContain('No database at');
    expect(first.stdout).toContain('✔ [migrate] Applied 0001_initial');
    expect(first.stdout).toContain('◐ [run] Stage 3/5: harvest');
    expect(first.stderr).toContain('Wise Old Man could not be reached');
    expect(first.stderr).toContain(
      '⚠ [run] Stopped at stage 3/5 (harvest); backup and migrate finished.',
    );
    expect(first.output).not.toContain('Stage 4/5');
    expect(first.stderr).not.toContain('    at ');

    // The second run has a database to back up first.
    const second = await cli(['run'], env);
    expect(second.code).toBe(8);
    expect(second.stdout).toContain('✔ [backup] Backed up to');
    expect(readdirSync(folder.file('backups'))).toHaveLength(1);

    const log = readFileSync(folder.file('app.log'), 'utf8');
    expect(log).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[clanstats\] started clanstats run/m,
    );
    expect(log).toMatch(/ERROR \[run\] SOURCE_FAILED/);
    expect(existsSync(`${database}.lock`)).toBe(false);
  });

  it.each(['report', 'export'])(
    '%s says what is missing before the first harvest',
    async (command) => {
      expect((await cli(['migrate'])).code).toBe(0);
      const result = await cli([command]);
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        `Run "clanstats harvest" (with WOM_GROUP_ID set) before "clanstats ${command}"`,
      );
      expect(result.stderr).not.toContain('    at ');
    },
  );

  it('stops the pipeline when a stage crashes, naming the stage', async () => {
    const result = await cli(['run'], {
      WOM_GROUP_ID: '1',
      CLANSTATS_ENABLE_TEST_HOOKS: '1',
      CLANSTATS_TEST_CRASH: 'migrate',
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(
      '✖ [migrate] STAGE_CRASHED: Stage "migrate" crashed (exit code 1) without reporting a result: Error: test hook: migrate crashed on purpose.',
    );
    expect(result.output).not.toContain('harvest');
    // No stack on the terminal; app.log has the stage's stderr.
    expect(result.output).not.toContain('    at ');
    expect(readFileSync(folder.file('app.log'), 'utf8')).toMatch(/STDERR \[migrate\]\s+at /);
    expect(existsSync(`${database}.lock`)).toBe(false);
  });

  it('shows the stack with --verbose', async () => {
    const result = await cli(['migrate', '--verbose'], {
      CLANSTATS_ENABLE_TEST_HOOKS: '1',
      CLANSTATS_TEST_CRASH: 'migrate:signal',
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('Stage "migrate" was killed by SIGKILL');
    expect(result.stderr).toContain('StageCrashedError: Stage "migrate" was killed by SIGKILL');
    expect(result.stderr).toContain('    at ');
  });

  it('ignores the test hooks unless they are enabled', async () => {
    const result = await cli(['migrate'], { CLANSTATS_TEST_CRASH: 'migrate' });
    expect(result.code).toBe(0);
  });
});

describe('lock', () => {
  it('refuses a second concurrent run, and is released on SIGTERM once the stage is gone', async () => {
    let firstChild: { kill(signal: NodeJS.Signals): boolean } | undefined;
    let firstOutput = '';
    const first = runCli(['migrate'], {
      cwd: folder.path,
      env: { CLANSTATS_ENABLE_TEST_HOOKS: '1', CLANSTATS_TEST_CRASH: 'migrate:hang' },
      onSpawn: (child) => {
        firstChild = child;
        child.stdout?.on('data', (chunk: Buffer) => {
          firstOutput += chunk.toString();
        });
      },
    });
    await waitFor(
      () => /injecting fault "hang" \(pid (\d+)\)/.test(firstOutput),
      'the stage to hang',
    );
    const hungPid = Number(/\(pid (\d+)\)/.exec(firstOutput)?.[1]);
    expect(existsSync(`${database}.lock`)).toBe(true);

    const second = await cli(['backup']);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(
      '✖ [backup] LOCKED: The database is locked by "clanstats migrate"',
    );
    expect(second.stderr).toContain(`delete ${database}.lock`);

    firstChild?.kill('SIGTERM');
    const stopped = await first;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain('INTERRUPTED: Interrupted by SIGTERM.');
    expect(existsSync(`${database}.lock`)).toBe(false);
    // The lock is released only once the stage is gone: a new run never meets a stage still
    // writing.
    expect(isProcessAlive(hungPid)).toBe(false);
  });

  it('clears a stale lock left by a process that is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(dead.stdout);
    writeFileSync(
      `${database}.lock`,
      JSON.stringify({
        pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        command: 'run',
      }),
    );
    const result = await cli(['migrate']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `⚠ [lock] Removed a stale lock ${database}.lock: process ${pid} that took it is no longer running.`,
    );
    expect(existsSync(`${database}.lock`)).toBe(false);
  });

  it('read-only commands do not need the lock', async () => {
    writeFileSync(
      `${database}.lock`,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        command: 'run',
      }),
    );
    expect((await cli(['migrate', 'status'])).code).toBe(0);
    expect((await cli(['restore'])).code).toBe(0);
    expect((await cli(['optimize'])).code).toBe(4);
  });
});

describe('optimize', () => {
  it('optimizes a database', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    const result = await cli(['optimize']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✔ \[optimize\] Optimized/);
  });

  it('refuses a damaged database and says to restore a backup', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    const store = openStore(database);
    store.wom.upsertPlayers(
      Array.from({ length: 2000 }, (_, index) => ({
        id: index + 1,
        username: `p${index}`,
        displayName: `P${index}`,
      })),
    );
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const descriptor = openSync(database, 'r+');
    writeSync(descriptor, Buffer.alloc(4096 * 3, 0x5a), 0, 4096 * 3, 4096 * 6);
    closeSync(descriptor);

    const result = await cli(['optimize']);
    expect(result.code).not.toBe(0);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('failed its integrity check');
    expect(result.stderr).toContain('clanstats restore');
    expect(result.stdout).not.toContain('Optimized');
  });
});
