import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from './index.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clanstats-store-'));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A migrated store on a real file in a temporary folder, closed after the test. */
export async function migratedStore(name = 'clan_data.db'): Promise<Store> {
  const store = openStore(join(tempDir(), name));
  cleanups.push(() => {
    store.close();
  });
  await store.migrations.up();
  return store;
}
