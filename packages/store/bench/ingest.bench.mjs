// Store ingest benchmark: `pnpm bench` (or `pnpm --filter @clanstats/store bench`).
// Writes through the public typed API of the built package into a real database file.
//   1. 1,000,000 synthetic Discord messages (store.discord.insertMessages, 5,000 per transaction)
//   2. 500 players x 120 metrics x 365 daily snapshots (store.wom.insertSnapshots, one day per call)
// Timed: the store calls only (validation, binding, SQLite, commit); building the synthetic input
// objects is excluded, as parsing API responses is in a real harvest.
// Targets (issue #2): >= 300,000 message rows/s; the whole snapshot year in < 30 s.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { millisToSnowflake, openStore } from '../dist/index.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 500);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const METRICS = 120;
const MESSAGE_BATCH = 5_000;
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'clanstats-bench-'));
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function fileSizeMb(path) {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(path + suffix).size;
    } catch {
      // no WAL file
    }
  }
  return Math.round(bytes / 1024 / 1024);
}

async function benchMessages() {
  const store = openStore(join(dir, 'messages.db'));
  await store.migrations.up();
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const channels = Array.from({ length: 40 }, (_, index) =>
    (1_200_000_000_000_000_000n + BigInt(index)).toString(),
  );
  const authors = Array.from({ length: 600 }, (_, index) =>
    (300_000_000_000_000_000n + BigInt(index * 7919)).toString(),
  );
  const base = BigInt(millisToSnowflake(start));
  let storeMs = 0;
  for (let offset = 0; offset < MESSAGES; offset += MESSAGE_BATCH) {
    const batch = [];
    for (let index = offset; index < Math.min(offset + MESSAGE_BATCH, MESSAGES); index += 1) {
      batch.push({
        id: (base + BigInt(index) * 131_072n).toString(),
        channelId: channels[index % channels.length],
        authorId: authors[(index * 31) % authors.length],
        type: index % 7 === 0 ? 19 : 0,
        replyToId: index % 7 === 0 ? (base + BigInt(index - 1) * 131_072n).toString() : null,
        isQuestion: index % 11 === 0,
        mentionCount: index % 3,
      });
    }
    const began = performance.now();
    store.discord.insertMessages(batch);
    storeMs += performance.now() - began;
  }
  const seconds = storeMs / 1000;
  const stored = store.db.prepare('SELECT count(*) FROM discord_messages').pluck().get();
  store.close();
  if (stored !== MESSAGES) throw new Error(`expected ${MESSAGES} messages, found ${stored}`);
  return {
    rows: MESSAGES,
    seconds,
    rowsPerSecond: MESSAGES / seconds,
    fileMb: fileSizeMb(join(dir, 'messages.db')),
  };
}

async function benchSnapshots() {
  const store = openStore(join(dir, 'snapshots.db'));
  await store.migrations.up();
  const names = Array.from(
    { length: METRICS },
    (_, index) => `metric_${String(index).padStart(3, '0')}`,
  );
  const skills = names.slice(0, 25);
  const bosses = names.slice(25, 25 + 78);
  const activities = names.slice(103, 118);
  const computed = names.slice(118);
  store.wom.upsertPlayers(
    Array.from({ length: PLAYERS }, (_, index) => ({
      id: index + 1,
      username: `p${index}`,
      displayName: `P${index}`,
    })),
  );
  const start = Date.parse('2025-01-01T06:00:00.000Z');
  let storeMs = 0;
  for (let day = 0; day < DAYS; day += 1) {
    const snapshots = [];
    for (let player = 1; player <= PLAYERS; player += 1) {
      const grow = day * player;
      snapshots.push({
        playerId: player,
        takenAt: start + day * DAY + player * 1000,
        data: {
          skills: Object.fromEntries(
            skills.map((name, index) => [
              name,
              {
                experience: 1_000_000 + grow * (index + 1),
                rank: 5000 + index,
                level: 70 + (index % 29),
              },
            ]),
          ),
          bosses: Object.fromEntries(
            bosses.map((name, index) => [
              name,
              { kills: index % 4 === 0 ? -1 : day + index, rank: 900 + index },
            ]),
          ),
          activities: Object.fromEntries(
            activities.map((name, index) => [name, { score: day + index, rank: 100 + index }]),
          ),
          computed: Object.fromEntries(
            computed.map((name, index) => [name, { value: day * 0.5 + index, rank: 10 + index }]),
          ),
        },
      });
    }
    const began = performance.now();
    store.wom.insertSnapshots(snapshots);
    storeMs += performance.now() - began;
  }
  const seconds = storeMs / 1000;
  const rows = store.db.prepare('SELECT count(*) FROM wom_snapshot_values').pluck().get();
  store.close();
  const expected = PLAYERS * DAYS * METRICS;
  if (rows !== expected) throw new Error(`expected ${expected} snapshot values, found ${rows}`);
  return {
    rows,
    snapshots: PLAYERS * DAYS,
    seconds,
    rowsPerSecond: rows / seconds,
    fileMb: fileSizeMb(join(dir, 'snapshots.db')),
  };
}

try {
  const messages = await benchMessages();
  const afterMessages = peakRssMb();
  const snapshots = await benchSnapshots();
  const format = (value) => Math.round(value).toLocaleString('en-US');
  console.log('\n@clanstats/store ingest benchmark');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('| workload | rows | time | rows/s | target | file | peak RSS |');
  console.log('|---|---:|---:|---:|---|---:|---:|');
  console.log(
    `| ${format(messages.rows)} Discord messages | ${format(messages.rows)} | ${messages.seconds.toFixed(1)} s | ${format(messages.rowsPerSecond)} | >= 300,000 rows/s: ${messages.rowsPerSecond >= 300_000 ? 'met' : 'MISSED'} | ${messages.fileMb} MB | ${afterMessages} MB |`,
  );
  console.log(
    `| ${PLAYERS} players x ${METRICS} metrics x ${DAYS} days | ${format(snapshots.rows)} | ${snapshots.seconds.toFixed(1)} s | ${format(snapshots.rowsPerSecond)} | < 30 s: ${snapshots.seconds < 30 ? 'met' : 'MISSED'} | ${snapshots.fileMb} MB | ${peakRssMb()} MB |`,
  );
  console.log(
    JSON.stringify({
      benchmark: 'store-ingest',
      node: process.version,
      messages,
      snapshots,
      peakRssMb: peakRssMb(),
    }),
  );
  // For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs).
  if (process.env.CLANSTATS_BENCH_JSON) {
    const report = {
      schema: 1,
      bench: 'store-ingest',
      package: '@clanstats/store',
      title: 'Store ingest',
      settings: { messages: MESSAGES, players: PLAYERS, days: DAYS, metrics: METRICS },
      rows: [
        {
          name: `${format(messages.rows)} Discord messages`,
          metric: 'ingest rate',
          value: Math.round(messages.rowsPerSecond),
          unit: 'rows/s',
          better: 'higher',
          target: { op: '>=', value: 300_000 },
          note: `${messages.seconds.toFixed(1)} s, peak RSS ${afterMessages} MB`,
          details: messages,
        },
        {
          name: `${PLAYERS} players × ${METRICS} metrics × ${DAYS} days (${format(snapshots.rows)} values)`,
          metric: 'store time',
          value: Math.round(snapshots.seconds * 10) / 10,
          unit: 's',
          target: { op: '<', value: 30 },
          note: `${format(snapshots.rowsPerSecond)} rows/s, peak RSS ${peakRssMb()} MB`,
          details: snapshots,
        },
      ],
      notes: ['no naive writer is measured, so there is no baseline: the targets are absolute'],
    };
    writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
