// Discord harvest benchmark: `pnpm bench` (or `pnpm --filter @clanstats/discord-harvester bench`).
//
// A guild with BENCH_MESSAGES (default 1,000,000) messages spread over BENCH_CHANNELS (default 40)
// text channels, threads and forum posts, served by @clanstats/testkit's fake Discord server over
// real HTTP on 127.0.0.1, in a child process of its own (fake-server.mjs), with Discord-like
// limits: 50 requests per second globally, and a bucket of 5 requests per second per channel for
// `GET /channels/:id/messages` (Discord does not publish its per-route numbers; the REST layer
// reads them from the X-RateLimit-* headers, as it would in production).
//
// Side by side, in one run, each client in a process of its own (client.mjs) so its memory is
// measured alone:
//   (a) the obvious discord.js loop: `REST` lists the guild's channels and active threads, then
//       pages each one back with `before`, one channel after another. It would take far longer
//       than the harvester (one channel's bucket at a time), so it runs for BENCH_NAIVE_SECONDS
//       (default 60) and its rate is reported with the time it would need for every message.
//   (b) DiscordHarvester.harvest() from nothing, then again from its checkpoints with nothing new.
//
// Reported: requests the server received, 429s it sent, messages, wall time, messages/s, the
// rate-limit floor (at least one request per 100 messages per channel, at 50 requests/s), RSS
// at each tenth of the history (flat = streaming) and peak RSS, and the re-run's requests per
// channel. Targets (issue #4): (b) within 10% of the floor time, zero 429s, memory flat, and a
// re-run with nothing new in <= 1 request per channel.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 40);
const NAIVE_SECONDS = Number(process.env.BENCH_NAIVE_SECONDS ?? 60);
const CONCURRENCY = process.env.BENCH_CONCURRENCY
  ? Number(process.env.BENCH_CONCURRENCY)
  : undefined;
const GLOBAL_PER_SECOND = 50;
const RATE_LIMIT = {
  global: { limit: GLOBAL_PER_SECOND, windowMs: 1000 },
  messages: { limit: 5, windowMs: 1000 },
  default: { limit: 10, windowMs: 1000 },
};
const TOKEN = 'fake-discord-token';
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

async function startServer() {
  const child = fork(here('./fake-server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({
    clan: { seed: 2026, members: 50 },
    scale: { messages: MESSAGES, channels: CHANNELS },
    rateLimit: RATE_LIMIT,
  });
  const [info] = await once(child, 'message');
  const ask = async (message, key) => {
    child.send(message);
    for (;;) {
      const [answer] = await once(child, 'message');
      if (key in answer) return answer[key];
    }
  };
  return {
    ...info,
    stats: () => ask('stats', 'stats'),
    reset: () => ask('reset', 'reset'),
    close: async () => {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

/** Runs one client in its own process; `onPhase` sees intermediate messages (harvester only). */
async function runClient(task, onPhase = async () => {}) {
  const child = fork(here('./client.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(task);
  for (;;) {
    const [message] = await once(child, 'message');
    if (message.result !== undefined) {
      await once(child, 'exit');
      return message.result;
    }
    await onPhase(message.phase);
    child.send('continue');
  }
}

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const server = await startServer();
console.log(
  `Fake Discord: ${fmt(server.totalMessages)} messages in ${server.counts.length} channels and threads (largest: ${fmt(Math.max(...server.counts))}); ` +
    `limits ${GLOBAL_PER_SECOND} requests/s global, ${RATE_LIMIT.messages.limit} per ${RATE_LIMIT.messages.windowMs} ms per channel.`,
);

// (b) ours first, on a quiet server.
await server.reset();
let fullStats;
let againStats;
const ours = await runClient(
  {
    mode: 'harvester',
    url: server.url,
    guildId: server.guildId,
    token: TOKEN,
    expected: server.totalMessages,
    concurrency: CONCURRENCY,
  },
  async (phase) => {
    if (phase === 'full-done') {
      fullStats = await server.stats();
      await server.reset();
    }
  },
);
againStats = await server.stats();

// (a) the obvious loop, time-boxed.
await server.reset();
const naive = await runClient({
  mode: 'naive',
  url: server.url,
  guildId: server.guildId,
  token: TOKEN,
  deadlineMs: NAIVE_SECONDS * 1000,
  expected: server.totalMessages,
});
const naiveStats = await server.stats();
await server.close();

// The floor: every message needs its page of 100 (a page that comes back short ends a backfill),
// at 50 requests/s overall and 5/s within one channel, so the largest channel can bound it too.
const pagesOf = (count) => Math.ceil(count / 100);
const floorRequests = server.counts.reduce((sum, count) => sum + pagesOf(count), 0);
const floorSeconds = Math.max(
  floorRequests / GLOBAL_PER_SECOND,
  ...server.counts.map(
    (count) => (pagesOf(count) / RATE_LIMIT.messages.limit) * (RATE_LIMIT.messages.windowMs / 1000),
  ),
);
const rssRange = (samples) => {
  const values = samples.map((sample) => sample.rssMb);
  return values.length === 0 ? 'n/a' : `${fmt(Math.min(...values))}–${fmt(Math.max(...values))} MB`;
};
const naiveRate = naive.messages / naive.seconds;

console.log('');
console.log(
  '| client | messages | requests | 429s | wall time | messages/s | vs floor | RSS over the run | peak RSS |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| (a) obvious discord.js loop (${naive.timedOut ? `stopped after ${NAIVE_SECONDS} s` : 'complete'}) | ${fmt(naive.messages)} | ${fmt(naiveStats.requests)} | ${fmt(naiveStats.rateLimited)} | ${fmt(naive.seconds, 1)} s | ${fmt(naiveRate)} | ${naive.timedOut ? `~${fmt(server.totalMessages / naiveRate / 60)} min for all` : `${fmt((naive.seconds / floorSeconds - 1) * 100, 1)} %`} | ${rssRange(naive.samples)} | ${fmt(naive.peakRssMb)} MB |`,
);
console.log(
  `| (b) DiscordHarvester | ${fmt(ours.messages)} | ${fmt(fullStats.requests)} | ${fmt(fullStats.rateLimited)} | ${fmt(ours.seconds, 1)} s | ${fmt(ours.messages / ours.seconds)} | ${fmt((ours.seconds / floorSeconds - 1) * 100, 1)} % | ${rssRange(ours.samples)} | ${fmt(ours.peakRssMb)} MB |`,
);
console.log('');
console.log(
  `Floor: ${fmt(floorRequests)} requests (one per 100 messages in each channel) at ${GLOBAL_PER_SECOND}/s overall and ${RATE_LIMIT.messages.limit}/s per channel = ${fmt(floorSeconds, 1)} s. ` +
    `(a) found ${naive.channelsFound} channels and active threads (no archived threads or forum posts).`,
);
console.log(
  `(b) RSS at each tenth of the history: ${ours.samples.map((sample) => fmt(sample.rssMb)).join(', ')} MB.`,
);
console.log(
  `Re-run with nothing new: ${fmt(againStats.requests)} requests for ${ours.channels} channels and threads ` +
    `(${fmt(againStats.requests / Math.max(1, ours.channels), 2)} per channel), ${againStats.rateLimited} 429s, ` +
    `${ours.again.messages} messages, ${ours.again.upToDate} channels skipped by their last_message_id, ${fmt(ours.again.seconds, 1)} s.`,
);

const flat = ours.samples.length >= 2 && ours.samples.at(-1).rssMb - ours.samples[0].rssMb < 50;
const targets = [
  ['complete: every message once', ours.messages === server.totalMessages],
  ['within 10% of the floor time', ours.seconds <= floorSeconds * 1.1],
  ['zero 429s', fullStats.rateLimited === 0],
  ['memory flat (< 50 MB growth from the first to the last tenth)', flat],
  ['re-run <= 1 request per channel', againStats.requests <= ours.channels],
];
for (const [name, met] of targets) console.log(`target ${name}: ${met ? 'met' : 'MISSED'}`);

// For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs): (b) the harvester against
// (a) the obvious discord.js loop, both measured above in this run.
if (process.env.CLANSTATS_BENCH_JSON) {
  const loop = `obvious discord.js loop${naive.timedOut ? ` (stopped after ${NAIVE_SECONDS} s)` : ''}`;
  const timeForAll = naive.timedOut ? server.totalMessages / naiveRate : naive.seconds;
  const seconds = (value) => Math.round(value * 10) / 10;
  const growthMb =
    ours.samples.length >= 2 ? ours.samples.at(-1).rssMb - ours.samples[0].rssMb : null;
  const report = {
    schema: 1,
    bench: 'discord-harvest',
    package: '@clanstats/discord-harvester',
    title: 'Discord harvest',
    settings: {
      messages: server.totalMessages,
      channels: server.counts.length,
      globalPerSecond: GLOBAL_PER_SECOND,
      perChannelPerSecond: RATE_LIMIT.messages.limit,
      naiveSeconds: NAIVE_SECONDS,
    },
    rows: [
      {
        name: `${fmt(server.totalMessages)} messages, ${server.counts.length} channels`,
        metric: 'messages/s',
        value: Math.round(ours.messages / ours.seconds),
        unit: 'messages/s',
        better: 'higher',
        baseline: { name: loop, value: Math.round(naiveRate) },
      },
      {
        name: `${fmt(server.totalMessages)} messages`,
        metric: 'wall time for every message',
        value: seconds(ours.seconds),
        unit: 's',
        target: {
          op: '<=',
          value: seconds(floorSeconds * 1.1),
          text: `within 10 % of the rate-limit floor (${fmt(floorSeconds, 1)} s)`,
        },
        met: ours.seconds <= floorSeconds * 1.1,
        baseline: {
          name: loop,
          value: seconds(timeForAll),
          ...(naive.timedOut ? { note: `extrapolated from its rate over ${NAIVE_SECONDS} s` } : {}),
        },
      },
      {
        name: `${fmt(server.totalMessages)} messages`,
        metric: '429s received',
        value: fullStats.rateLimited,
        unit: '× 429',
        target: { op: '==', value: 0 },
        baseline: { name: loop, value: naiveStats.rateLimited },
      },
      {
        name: `${fmt(server.totalMessages)} messages`,
        metric: 'messages received once each',
        value: ours.messages,
        unit: 'messages',
        better: 'higher',
        target: { op: '==', value: server.totalMessages },
      },
      {
        name: 'RSS, first to last tenth of the history',
        metric: 'growth',
        value: growthMb === null ? null : Math.round(growthMb),
        unit: 'MB',
        target: { op: '<', value: 50, text: 'memory flat' },
        met: flat,
        note: `${rssRange(ours.samples)} over the run, peak ${fmt(ours.peakRssMb)} MB (loop: peak ${fmt(naive.peakRssMb)} MB)`,
      },
      {
        name: 'Re-run with nothing new',
        metric: 'requests per channel',
        value: Math.round((againStats.requests / Math.max(1, ours.channels)) * 100) / 100,
        unit: 'requests',
        target: { op: '<=', value: 1 },
        note: `${fmt(againStats.requests)} requests for ${ours.channels} channels and threads, ${ours.again.messages} messages`,
      },
    ],
    notes: [
      `(a) ${loop}: REST lists the channels and active threads, then pages each back one channel after another; (b) DiscordHarvester.harvest() from nothing. Each in a child process of its own against the same fake server (its counters reset in between), one after the other in one run. Floor: ${fmt(floorRequests)} requests at ${GLOBAL_PER_SECOND}/s overall and ${RATE_LIMIT.messages.limit}/s per channel = ${fmt(floorSeconds, 1)} s.`,
    ],
    raw: { ours, naive, fullStats, againStats, naiveStats, floorRequests, floorSeconds },
  };
  writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
}
