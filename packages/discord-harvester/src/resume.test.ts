// Interrupted harvests resume where their last saved page ended: after an abort, after the
// consumer breaks out, and after the whole process is killed (SIGKILL) while writing to a real
// SQLite store. Also: stopping leaves no request running.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '@clanstats/store';
import { DefaultFakeDiscordRateLimitOptions, type FakeDiscordServer } from '@clanstats/testkit';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDiscordHarvesterError } from './index.js';
import {
  MemoryStore,
  TOKEN,
  collect,
  harvesterFor,
  readableMessageIds,
  startServer,
} from './test-helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort((left, right) => (BigInt(left) < BigInt(right) ? -1 : 1));
}

async function pause(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Once the loop is over, the run sends nothing more: its counters stay still, and so do the
 * server's (after a moment for requests aborted mid-write, which the in-process server may still
 * log, to arrive).
 */
async function expectNothingRunning(stats: { requests: number }): Promise<void> {
  const requests = stats.requests;
  await pause(300);
  const received = server.stats.requests;
  await pause(500);
  expect(stats.requests).toBe(requests);
  expect(server.stats.requests).toBe(received);
}

let server: FakeDiscordServer;

describe('stopping and resuming', () => {
  beforeAll(async () => {
    // Discord-like limits, so that the harvest takes long enough to be interrupted mid-way.
    server = await startServer({ rateLimit: DefaultFakeDiscordRateLimitOptions });
  });
  afterAll(async () => {
    await server.close();
  });

  it('an abort mid-backfill throws ABORTED, leaves nothing running, and the next run completes it', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    const { harvester } = harvesterFor(server);
    const run = harvester.harvest({ signal: controller.signal, checkpoints: store });
    let pages = 0;
    let caught: unknown;
    try {
      for await (const item of run) {
        if (item.type !== 'messages') continue;
        store.write(item);
        pages += 1;
        if (pages === 8) controller.abort(new Error('stop'));
      }
    } catch (error) {
      caught = error;
    }
    expect(isDiscordHarvesterError(caught) && caught.code).toBe('ABORTED');
    expect(pages).toBe(8);
    await expectNothingRunning(run.stats);
    expect(store.messages.size).toBeLessThan(readableMessageIds(server).length);
    expect([...store.checkpoints.values()].some((checkpoint) => !checkpoint.backfillDone)).toBe(
      true,
    );

    const resumed = await collect(harvester.harvest({ checkpoints: store }), store);
    expect(store.duplicates).toBe(0);
    expect(sorted(store.messages.keys())).toEqual(sorted(readableMessageIds(server)));
    expect(resumed.pages.length).toBeGreaterThan(0);
  });

  it('breaking out of the loop stops every worker, and the next run completes it', async () => {
    const store = new MemoryStore();
    const { harvester } = harvesterFor(server);
    const run = harvester.harvest({ checkpoints: store });
    let pages = 0;
    for await (const item of run) {
      if (item.type !== 'messages') continue;
      store.write(item);
      pages += 1;
      if (pages === 5) break;
    }
    await expectNothingRunning(run.stats);

    await collect(harvester.harvest({ checkpoints: store }), store);
    expect(store.duplicates).toBe(0);
    expect(sorted(store.messages.keys())).toEqual(sorted(readableMessageIds(server)));
  });

  it('a process killed mid-run resumes from its SQLite store: same final messages as an uninterrupted run', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'discord-harvester-resume-'));
    // The bundle lives in the package so that its imports (discord.js, @clanstats/store) resolve.
    const bundleDir = join(packageDir, 'node_modules', '.cache', 'resume-test');
    mkdirSync(bundleDir, { recursive: true });
    const bundle = join(bundleDir, `child-${process.pid}.mjs`);
    const db = join(scratch, 'clanstats.db');
    try {
      await build({
        entryPoints: [fileURLToPath(new URL('./resume-child.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        outfile: bundle,
        logLevel: 'silent',
      });
      const child = spawn(process.execPath, [bundle], {
        env: {
          ...process.env,
          RESUME_CHILD_CONFIG: JSON.stringify({
            api: server.url,
            token: TOKEN,
            guildId: server.discord.guild.id,
            db,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
        child.on('exit', (code, signal) => {
          resolve(signal ?? code);
        });
      });
      let pages = 0;
      for await (const line of createInterface({ input: child.stdout })) {
        if (line.startsWith('page ')) pages += 1;
        if (pages === 10 || line === 'done') break;
      }
      child.kill('SIGKILL');
      expect(await exited, stderr).toBe('SIGKILL');

      const store = openStore(db);
      try {
        await store.migrations.up();
        const count = (): number =>
          (
            store.db.prepare('SELECT COUNT(*) AS n FROM discord_messages').get() as {
              n: number;
            }
          ).n;
        const interrupted = count();
        expect(interrupted).toBeGreaterThan(0);
        expect(interrupted).toBeLessThan(readableMessageIds(server).length);

        const { harvester } = harvesterFor(server);
        const run = harvester.harvest({ checkpoints: store.discord });
        let resumedMessages = 0;
        for await (const item of run) {
          if (item.type === 'guild') store.discord.upsertGuild(item.guild);
          else if (item.type === 'channels') store.discord.upsertChannels(item.channels);
          else if (item.type === 'messages') {
            store.discord.writePage(item);
            resumedMessages += item.messages.length;
          }
        }
        const ids = (
          store.db.prepare('SELECT CAST(id AS TEXT) AS id FROM discord_messages').all() as Array<{
            id: string;
          }>
        ).map((row) => row.id);
        expect(sorted(ids)).toEqual(sorted(readableMessageIds(server)));
        // The second run fetched only what the killed one had not saved.
        expect(resumedMessages).toBe(readableMessageIds(server).length - interrupted);
        // Read from the table itself: every channel's backfill is complete.
        const unfinished = store.db
          .prepare('SELECT COUNT(*) AS n FROM discord_checkpoints WHERE backfill_done = 0')
          .get() as { n: number };
        expect(unfinished.n).toBe(0);
      } finally {
        store.close();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(bundle, { force: true });
    }
  });
});
