import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openStore, type Store } from './index.js';

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clanstats-store-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A migrated store on a real file in a temporary folder, closed after the test. */
export async function migratedStore(name = 'clan_data.db'): Promise<Store> {
  const store = openStore(join(tempDir(), name));
  onTestFinished(() => {
    store.close();
  });
  await store.migrations.up();
  return store;
}
