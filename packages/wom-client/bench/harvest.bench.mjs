// WOM harvest benchmark: `pnpm bench` (or `pnpm --filter @clanstats/wom-client bench`).
//
// Fetches what a clan tracker needs every run (every member's current stats in all 113 metrics,
// and their 7/30/90/365-day gains) for a 500-member group,
// from the testkit's fake Wise Old Man server over real HTTP, with real-world limits: 100
// requests per window with an API key. The window is shortened from 60 s to BENCH_WINDOW_MS
// (default 10 s) so a run takes minutes; every proportion stays the same. The server runs in a
// child process (bench/fake-server.mjs), as a real one would not share the client's CPU.
//
// Side by side, in one run, on a current server (with the bulk endpoints) and on an older one
// (without them):
//   (a) @wise-old-man/utils 4.0.24 used the obvious way: what its documentation and JSDoc
//       suggest (the bulk methods) where the server has them; otherwise a loop over every metric
//       and period, awaited one after another, which is all an older server allows. The client
//       has no pacing or retry, so the loop does what a user would: when it throws a
//       RateLimitError, wait a moment (1/60 of the window) and try again.
//   (b) @clanstats/wom-client's fetchGroupStats(), with its default scheduler.
//
// Reported per run: HTTP requests made, 429s received, wall time, the rate-limit floor time
// (the least time those requests can take without a 429: (ceil(n / limit) - 1) windows), and
// completeness: members with stats in every metric and with gains for each period, against what
// the bulk endpoints return (an older server truncates per-metric lists to 20 rows unless
// `limit` is sent).
// Targets (issue #3): ours makes <= 10 requests on a current server, <= 1 + 113 x 5 on an older
// one, receives zero 429s, and stays within 10% of the floor time.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { WOMClient } from '@wise-old-man/utils';
import { fetchGroupStats, METRICS, WomClient } from '../dist/index.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const LIMIT = 100;
const API_KEY = 'bench-api-key';
const PERIODS = ['7d', '30d', '90d', '365d'];

// The clan is generated in the server's process only; its group id is fixed here.
const groupId = 11114;
const CLAN = { seed: 2026, members: MEMBERS, groupId };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** (a) The official client, the obvious way. */
async function official(server, { bulk }) {
  const wom = new WOMClient({ apiKey: API_KEY, baseAPIUrl: server.url, userAgent: 'bench' });
  const call = async (fn) => {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        if (error?.name !== 'RateLimitError') throw error;
        await sleep(WINDOW_MS / 60);
      }
    }
  };
  const withStats = new Set();
  const withGains = Object.fromEntries(PERIODS.map((period) => [period, new Set()]));
  if (bulk) {
    for (const row of await call(() => wom.groups.getGroupBulkHiscores(groupId))) {
      withStats.add(row.player.id);
    }
    for (const period of PERIODS) {
      for (const row of await call(() => wom.groups.getBulkGroupGains(groupId, { period }))) {
        withGains[period].add(row.player.id);
      }
    }
  } else {
    const seen = new Map();
    for (const metric of METRICS) {
      for (const row of await call(() => wom.groups.getGroupHiscores(groupId, metric))) {
        seen.set(row.player.id, (seen.get(row.player.id) ?? 0) + 1);
      }
    }
    for (const [id, count] of seen) if (count === METRICS.length) withStats.add(id);
    for (const period of PERIODS) {
      const counts = new Map();
      for (const metric of METRICS) {
        for (const row of await call(() => wom.groups.getGroupGains(groupId, { metric, period }))) {
          counts.set(row.player.id, (counts.get(row.player.id) ?? 0) + 1);
        }
      }
      for (const [id, count] of counts) if (count === METRICS.length) withGains[period].add(id);
    }
  }
  return { withStats, withGains };
}

/** (b) Ours. */
async function ours(server) {
  const wom = new WomClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    userAgent: 'bench',
    rateLimit: { points: LIMIT, windowMs: WINDOW_MS },
  });
  const stats = await fetchGroupStats(wom, groupId, { periods: PERIODS, details: false });
  const withStats = new Set();
  const withGains = Object.fromEntries(PERIODS.map((period) => [period, new Set()]));
  for (const member of stats.members) {
    if (member.stats !== undefined && member.stats !== null) withStats.add(member.player.id);
    for (const period of PERIODS) {
      if (member.gains[period] !== undefined) withGains[period].add(member.player.id);
    }
  }
  return { withStats, withGains };
}

/** Starts the fake server in a child process; resolves its base URL and a way to stop it. */
async function startServer(legacy, rateLimit = { keyedPoints: LIMIT, windowMs: WINDOW_MS }) {
  const child = fork(new URL('./fake-server.mjs', import.meta.url), { stdio: 'inherit' });
  child.send({ clan: CLAN, legacy, apiKeys: [API_KEY], rateLimit });
  const [{ url }] = await once(child, 'message');
  return {
    url,
    async stats() {
      child.send('stats');
      const [{ stats }] = await once(child, 'message');
      return stats;
    },
    async close() {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

async function measure(label, client, legacy) {
  const server = await startServer(legacy);
  try {
    const began = performance.now();
    const result = await client(server);
    const seconds = (performance.now() - began) / 1000;
    const { requests, rateLimited } = await server.stats();
    const floor = (Math.max(0, Math.ceil(requests / LIMIT) - 1) * WINDOW_MS) / 1000;
    return {
      server: legacy ? 'older (no bulk)' : 'current (bulk)',
      client: label,
      requests,
      tooMany: rateLimited,
      seconds,
      floor,
      stats: result.withStats.size,
      gains: PERIODS.map((period) => result.withGains[period].size),
    };
  } finally {
    await server.close();
  }
}

const runs = [];
for (const legacy of [false, true]) {
  runs.push(
    await measure(
      '(a) @wise-old-man/utils 4.0.24',
      (server) => official(server, { bulk: !legacy }),
      legacy,
    ),
  );
  runs.push(await measure('(b) @clanstats/wom-client', ours, legacy));
}
// The reference for completeness: what the official client gets from the bulk endpoints, i.e.
// every member the server has stats and gains for (a member never tracked has none).
const reference = runs[0];
for (const run of runs) {
  run.complete =
    run.stats === reference.stats &&
    run.gains.every((count, index) => count === reference.gains[index]);
}

const ourRuns = runs.filter((run) => run.client.startsWith('(b)'));
const [ourBulk, ourLegacy] = ourRuns;
const withinFloor = (run) => run.floor === 0 || run.seconds <= run.floor * 1.1;
const targets = [
  [`<= 10 requests with bulk endpoints`, ourBulk.requests <= 10],
  [`<= ${1 + METRICS.length * 5} requests without`, ourLegacy.requests <= 1 + METRICS.length * 5],
  ['zero 429s', ourRuns.every((run) => run.tooMany === 0)],
  ['within 10% of the floor time', ourRuns.every(withinFloor)],
  ['complete data (same as the bulk endpoints give)', ourRuns.every((run) => run.complete)],
];

console.log(
  `\n@clanstats/wom-client harvest benchmark: ${MEMBERS} members, ${METRICS.length} metrics, periods ${PERIODS.join('/')}`,
);
console.log(
  `node ${process.version}; limit ${LIMIT} requests per ${WINDOW_MS / 1000} s window (60 s in production)`,
);
console.log(
  '| server | client | requests | 429s | wall time | floor | members with stats | with 7d/30d/90d/365d gains |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const run of runs) {
  console.log(
    `| ${run.server} | ${run.client} | ${run.requests} | ${run.tooMany} | ${run.seconds.toFixed(1)} s | ${run.floor.toFixed(1)} s | ${run.stats}${run.complete ? '' : ' (incomplete)'} | ${run.gains.join(' / ')} |`,
  );
}
for (const [name, met] of targets) console.log(`target ${name}: ${met ? 'met' : 'MISSED'}`);

// Burst: 250 concurrent calls from one client without an API key (20 requests per window, here
// 1 s), as when a bot serves many users at once. Ours queues them; the official client sends
// them all and 230 come back as 429 errors.
const BURST = 250;
const BURST_POINTS = 20;
const BURST_WINDOW_MS = Number(process.env.BENCH_BURST_WINDOW_MS ?? 1_000);
async function burst(label, call) {
  const server = await startServer(false, { points: BURST_POINTS, windowMs: BURST_WINDOW_MS });
  try {
    const began = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: BURST }, () => call(server.url)));
    const seconds = (performance.now() - began) / 1000;
    const { requests, rateLimited } = await server.stats();
    return {
      client: label,
      calls: BURST,
      succeeded: settled.filter((result) => result.status === 'fulfilled').length,
      requests,
      tooMany: rateLimited,
      seconds,
      floor: ((Math.ceil(BURST / BURST_POINTS) - 1) * BURST_WINDOW_MS) / 1000,
    };
  } finally {
    await server.close();
  }
}
const bursts = [
  await burst('(a) @wise-old-man/utils 4.0.24', (url) =>
    new WOMClient({ baseAPIUrl: url, userAgent: 'bench' }).groups.getGroupStatistics(groupId),
  ),
  await (async () => {
    let wom;
    return burst('(b) @clanstats/wom-client', (url) => {
      wom ??= new WomClient({
        baseUrl: url,
        userAgent: 'bench',
        rateLimit: { points: BURST_POINTS, windowMs: BURST_WINDOW_MS },
      });
      return wom.groups.getStatistics(groupId);
    });
  })(),
];
console.log(
  `\nBurst: ${BURST} concurrent calls, limit ${BURST_POINTS} requests per ${BURST_WINDOW_MS / 1000} s window`,
);
console.log('| client | succeeded | requests | 429s | wall time | floor | over the floor |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const run of bursts) {
  const over =
    run.succeeded < run.calls
      ? `${run.calls - run.succeeded} calls failed`
      : `${(((run.seconds - run.floor) / run.floor) * 100).toFixed(1)} %`;
  console.log(
    `| ${run.client} | ${run.succeeded} | ${run.requests} | ${run.tooMany} | ${run.seconds.toFixed(1)} s | ${run.floor.toFixed(1)} s | ${over} |`,
  );
}
const ourBurst = bursts[1];
console.log(
  `target burst: zero 429s and within 10% of the floor: ${ourBurst.tooMany === 0 && ourBurst.succeeded === BURST && ourBurst.seconds <= ourBurst.floor * 1.1 ? 'met' : 'MISSED'}`,
);

console.log(
  JSON.stringify({
    benchmark: 'wom-harvest',
    bursts,
    node: process.version,
    windowMs: WINDOW_MS,
    limit: LIMIT,
    members: MEMBERS,
    periods: PERIODS,
    runs,
  }),
);

// For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs): (b) ours against (a) the
// official client, both measured above in this run.
if (process.env.CLANSTATS_BENCH_JSON) {
  const [theirBulk, , theirLegacy] = runs;
  const official = '@wise-old-man/utils 4.0.24';
  const seconds = (value) => Math.round(value * 100) / 100;
  const complete = (run) => (run.complete ? run.stats : 0);
  const [theirBurst] = bursts;
  const report = {
    schema: 1,
    bench: 'wom-harvest',
    package: '@clanstats/wom-client',
    title: 'WOM harvest',
    settings: {
      members: MEMBERS,
      metrics: METRICS.length,
      periods: PERIODS.join('/'),
      limit: LIMIT,
      windowMs: WINDOW_MS,
      burstWindowMs: BURST_WINDOW_MS,
    },
    rows: [
      {
        name: `${MEMBERS} members, current server (bulk endpoints)`,
        metric: 'requests',
        value: ourBulk.requests,
        unit: 'requests',
        target: { op: '<=', value: 10 },
        baseline: { name: official, value: theirBulk.requests },
      },
      {
        name: `${MEMBERS} members, current server (bulk endpoints)`,
        metric: 'wall time',
        value: seconds(ourBulk.seconds),
        unit: 's',
        baseline: { name: official, value: seconds(theirBulk.seconds) },
      },
      {
        name: `${MEMBERS} members, older server (no bulk endpoints)`,
        metric: 'requests',
        value: ourLegacy.requests,
        unit: 'requests',
        target: { op: '<=', value: 1 + METRICS.length * 5 },
        baseline: { name: official, value: theirLegacy.requests },
      },
      {
        name: `${MEMBERS} members, older server`,
        metric: '429s received',
        value: ourLegacy.tooMany,
        unit: '× 429',
        target: { op: '==', value: 0 },
        baseline: { name: official, value: theirLegacy.tooMany },
      },
      {
        name: `${MEMBERS} members, older server`,
        metric: 'wall time',
        value: seconds(ourLegacy.seconds),
        unit: 's',
        target: {
          op: '<=',
          value: seconds(ourLegacy.floor * 1.1),
          text: `within 10 % of the rate-limit floor (${ourLegacy.floor.toFixed(1)} s)`,
        },
        met: withinFloor(ourLegacy),
        baseline: { name: official, value: seconds(theirLegacy.seconds) },
        note: `window ${WINDOW_MS / 1000} s instead of 60 s`,
      },
      {
        name: `${MEMBERS} members, older server`,
        metric: 'members with complete data',
        value: complete(ourLegacy),
        unit: 'members',
        better: 'higher',
        target: { op: '==', value: reference.stats, text: 'what the bulk endpoints give' },
        baseline: {
          name: official,
          value: complete(theirLegacy),
          ...(theirLegacy.complete ? {} : { note: 'lists cut to 20 rows' }),
        },
      },
      {
        name: `burst of ${BURST} concurrent calls, ${BURST_POINTS} per window`,
        metric: 'calls that succeeded',
        value: ourBurst.succeeded,
        unit: 'calls',
        better: 'higher',
        target: { op: '==', value: BURST },
        baseline: { name: official, value: theirBurst.succeeded },
      },
      {
        name: `burst of ${BURST} concurrent calls`,
        metric: 'wall time',
        value: seconds(ourBurst.seconds),
        unit: 's',
        target: {
          op: '<=',
          value: seconds(ourBurst.floor * 1.1),
          text: `zero 429s and within 10 % of the floor (${ourBurst.floor.toFixed(1)} s)`,
        },
        met:
          ourBurst.tooMany === 0 &&
          ourBurst.succeeded === BURST &&
          ourBurst.seconds <= ourBurst.floor * 1.1,
        note: `${ourBurst.tooMany} × 429; ${official} is faster only because ${theirBurst.tooMany} of its calls fail with 429`,
      },
    ],
    notes: [
      `(a) ${official} used the obvious way (bulk methods where the server has them, else a loop over every metric and period, retrying after a 429); (b) fetchGroupStats() with the default scheduler. Each against its own fresh fake server (a child process), one after the other in one run.`,
    ],
    raw: { runs, bursts },
  };
  writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
}
