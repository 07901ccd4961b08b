import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockedError } from './errors.js';
import { acquireLock, isProcessAlive, lockPathFor } from './lock.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

let folder: TempFolder;
let database: string;
beforeEach(() => {
  folder = createTempFolder();
  database = folder.file('clan_data.db');
});
afterEach(() => {
  folder.remove();
});

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const pid = Number(child.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

function writeLock(holder: Record<string, unknown>): void {
  writeFileSync(lockPathFor(database), JSON.stringify(holder));
}

describe('acquireLock', () => {
  it('writes pid, host name, start time and command, and removes the file on release', () => {
    const lock = acquireLock(database, { command: 'run' });
    expect(lock.path).toBe(`${database}.lock`);
    const written = JSON.parse(readFileSync(lock.path, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ pid: process.pid, hostname: hostname(), command: 'run' });
    expect(Number.isNaN(Date.parse(String(written.startedAt)))).toBe(false);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release();
  });

  it('refuses while a live process holds the lock', () => {
    const first = acquireLock(database, { command: 'run' });
    let caught: unknown;
    try {
      acquireLock(database, { command: 'backup' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LockedError);
    const locked = caught as LockedError;
    expect(locked.code).toBe('LOCKED');
    expect(locked.exitCode).toBe(4);
    expect(locked.holder).toMatchObject({ pid: process.pid, command: 'run' });
    expect(locked.message).toContain(`"clanstats run" (pid ${process.pid} on ${hostname()}`);
    first.release();
  });

  it('clears a lock whose process is gone, with a warning', () => {
    const pid = deadPid();
    writeLock({ pid, hostname: hostname(), startedAt: new Date().toISOString(), command: 'run' });
    const warnings: string[] = [];
    const lock = acquireLock(database, {
      command: 'migrate',
      onStaleLock: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([
      `Removed a stale lock ${lock.path}: process ${pid} that took it is no longer running.`,
    ]);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('clears a lock older than the maximum age, even from another host', () => {
    writeLock({
      pid: 1,
      hostname: 'other-host',
      startedAt: '2020-01-01T00:00:00.000Z',
      command: 'run',
    });
    const warnings: string[] = [];
    const lock = acquireLock(database, {
      command: 'run',
      onStaleLock: (message) => warnings.push(message),
    });
    expect(warnings[0]).toContain('it is older than 12 hours');
    lock.release();
  });

  it('respects a fresh lock from another host', () => {
    writeLock({
      pid: 1,
      hostname: 'other-host',
      startedAt: new Date().toISOString(),
      command: 'run',
    });
    expect(() => acquireLock(database, { command: 'run' })).toThrow(LockedError);
  });

  it('treats an unreadable lock as live while it is young, and stale once old', () => {
    writeFileSync(lockPathFor(database), '');
    expect(() => acquireLock(database, { command: 'run' })).toThrow(/locked by another process/);
    const later = new Date(Date.now() + 60_000);
    const lock = acquireLock(database, { command: 'run', now: () => later });
    expect(existsSync(lock.path)).toBe(true);
    lock.release();
  });

  it('does not delete a lock that is no longer its own', () => {
    const lock = acquireLock(database, { command: 'run' });
    writeLock({
      pid: 42,
      hostname: 'other-host',
      startedAt: new Date().toISOString(),
      command: 'run',
    });
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });
});
