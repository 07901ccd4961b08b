// Clan model benchmark: `pnpm bench` (or `pnpm --filter @clanstats/clan-model bench` after a build).
// A store with 500 current members (+30 former), a year of daily snapshots with WOM's full metric set
// (25 skills, 71 bosses, 15 activities, ehp and ehb: 112 metrics) and 1,000,000 Discord messages
// (about 20% of them clan-chat lines relayed by a bot). Building it takes a while, so it is cached
// under os.tmpdir() in a file named by a fingerprint of the generator settings and the migrations
// (schema); later runs reuse it.
// Timed: computeClanSummary (one warm-up, then the median of RUNS runs), and toClanData.
// Target: < 2 s per summary on a 2-core machine.
import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir, millisToSnowflake, openStore } from '@clanstats/store';
import {
  ACTIVITIES,
  BOSSES,
  COMPUTED_METRICS,
  SKILLS,
  createRandom,
  hashString,
} from '@clanstats/testkit';
import { computeClanSummary, toClanData } from '../dist/index.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const FORMER = 30;
const DAYS = Number(process.env.BENCH_DAYS ?? 366);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const AUTHORS = 600;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DAY = 86_400_000;
const AS_OF = Date.UTC(2026, 10, 24, 12);
const GROUP = 11114;
const GUILD = '900000000000000001';
const RELAY_BOT = '900000000000000003';
const SEED = 'clan-model-bench-v1';

// The schema is part of the fingerprint: a changed or added migration builds a new store.
const migrations = readdirSync(defaultMigrationsDir())
  .filter((name) => name.endsWith('.up.sql'))
  .sort()
  .map((name) => [name, readFileSync(join(defaultMigrationsDir(), name), 'utf8')]);
const settings = {
  MEMBERS,
  FORMER,
  DAYS,
  MESSAGES,
  AUTHORS,
  AS_OF,
  SEED,
  metrics: [SKILLS, BOSSES, ACTIVITIES, COMPUTED_METRICS],
  migrations,
};
const fingerprint = createHash('sha256')
  .update(JSON.stringify(settings))
  .digest('hex')
  .slice(0, 16);
const file = join(tmpdir(), `clanstats-clan-model-bench-${fingerprint}.db`);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const playerName = (id) => `Player ${id}`;
const authorId = (index) => (300_000_000_000_000_000n + BigInt(index * 7919)).toString();

async function build() {
  const random = createRandom(hashString(SEED));
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const store = openStore(partial);
  await store.migrations.up();
  const began = performance.now();
  const total = MEMBERS + FORMER;
  store.wom.upsertGroup({ id: GROUP, name: 'Bench Clan' }, AS_OF);
  store.wom.upsertPlayers(
    Array.from({ length: total }, (_, index) => ({
      id: index + 1,
      username: playerName(index + 1).toLowerCase(),
      displayName: playerName(index + 1),
      lastChangedAt: AS_OF - Math.floor(random.next() * 120) * DAY,
    })),
    AS_OF,
  );
  // Roster a year and a bit ago: members 1..480 and the 30 future leavers; 100 days ago the leavers
  // are gone and members 481..500 have joined.
  const early = [
    ...Array.from({ length: MEMBERS - 20 }, (_, index) => index + 1),
    ...Array.from({ length: FORMER }, (_, index) => MEMBERS + index + 1),
  ];
  store.wom.syncMemberships(
    GROUP,
    early.map((playerId) => ({
      playerId,
      role: playerId % 10 === 0 ? 'sergeant' : 'recruit',
      joinedAt: AS_OF - 400 * DAY,
    })),
    AS_OF - 400 * DAY,
  );
  store.wom.syncMemberships(
    GROUP,
    Array.from({ length: MEMBERS }, (_, index) => ({
      playerId: index + 1,
      role: (index + 1) % 10 === 0 ? 'sergeant' : 'recruit',
      joinedAt: AS_OF - 100 * DAY,
    })),
    AS_OF - 100 * DAY,
  );

  // A year of daily snapshots: every player progresses at its own rates.
  const rates = Array.from({ length: total }, () => ({
    skills: SKILLS.map(() => 2_000_000 * random.next()),
    skillRates: SKILLS.map(() => 20_000 * random.next()),
    bosses: BOSSES.map(() => (random.next() < 0.5 ? -1 : Math.floor(random.next() * 500))),
    bossRates: BOSSES.map(() => (random.next() < 0.3 ? random.next() * 2 : 0)),
    activityRates: ACTIVITIES.map(() => random.next()),
  }));
  for (let day = DAYS - 1; day >= 0; day -= 1) {
    const takenAt = AS_OF - day * DAY - 3_600_000;
    const elapsed = DAYS - day;
    const snapshots = rates.map((rate, index) => {
      const skills = {};
      let overall = 0;
      SKILLS.forEach((skill, skillIndex) => {
        if (skill === 'overall') return;
        const experience = Math.floor(
          rate.skills[skillIndex] + rate.skillRates[skillIndex] * elapsed,
        );
        overall += experience;
        skills[skill] = { experience, rank: 1000, level: 1 };
      });
      skills.overall = { experience: overall, rank: 1000, level: 1 };
      const bosses = {};
      BOSSES.forEach((boss, bossIndex) => {
        const start = rate.bosses[bossIndex];
        const kills = Math.floor(Math.max(0, start) + rate.bossRates[bossIndex] * elapsed);
        bosses[boss] = kills < 5 ? { kills: -1, rank: -1 } : { kills, rank: 5000 };
      });
      const activities = {};
      ACTIVITIES.forEach((activity, activityIndex) => {
        activities[activity] = {
          score: Math.floor(rate.activityRates[activityIndex] * elapsed),
          rank: 1,
        };
      });
      const computed = {};
      for (const metric of COMPUTED_METRICS) computed[metric] = { value: overall / 1e6, rank: 1 };
      return { playerId: index + 1, takenAt, data: { skills, bosses, activities, computed } };
    });
    store.wom.insertSnapshots(snapshots);
  }

  // Discord: 600 authors (450 linked to members), a relay bot; 1,000,000 messages over the year.
  store.discord.upsertGuild({ id: GUILD, name: 'Bench Guild' }, AS_OF);
  const channels = Array.from({ length: 40 }, (_, index) =>
    (1_200_000_000_000_000_000n + BigInt(index)).toString(),
  );
  store.discord.upsertChannels(
    channels.map((id, index) => ({ id, guildId: GUILD, type: 0, name: `channel-${index}` })),
    AS_OF,
  );
  store.discord.upsertUsers(
    [
      ...Array.from({ length: AUTHORS }, (_, index) => ({
        id: authorId(index),
        username: `user${index}`,
        globalName: index < 450 ? playerName(index + 1) : `Stranger ${index}`,
      })),
      { id: RELAY_BOT, username: 'relay', bot: true },
    ],
    AS_OF,
  );
  store.transaction(() => {
    for (let index = 0; index < Math.min(450, MEMBERS + FORMER); index += 1) {
      store.identity.setLink(
        { discordUserId: authorId(index), playerId: index + 1, source: 'manual' },
        AS_OF,
      );
    }
  });
  const first = BigInt(millisToSnowflake(AS_OF - (DAYS - 1) * DAY));
  const step = (BigInt(millisToSnowflake(AS_OF)) - first) / BigInt(MESSAGES);
  const batch = 5_000;
  for (let offset = 0; offset < MESSAGES; offset += batch) {
    const messages = [];
    const lines = [];
    for (let index = offset; index < Math.min(offset + batch, MESSAGES); index += 1) {
      const id = (first + BigInt(index) * step).toString();
      const relay = index % 5 === 0;
      const author = relay ? RELAY_BOT : authorId(Math.floor(random.next() * AUTHORS));
      const question = !relay && index % 11 === 0;
      messages.push({
        id,
        channelId: channels[index % channels.length],
        authorId: author,
        type: index % 7 === 0 ? 19 : 0,
        isBot: relay,
        isQuestion: question,
        answerToId:
          !relay && index % 13 === 0 && index > 50
            ? (first + BigInt(index - 44) * step).toString()
            : null,
      });
      if (relay) {
        const player = 1 + Math.floor(random.next() * (MEMBERS + FORMER));
        lines.push({
          messageId: id,
          line: 0,
          rsn: playerName(player),
          normalizedRsn: playerName(player).toLowerCase(),
        });
      }
    }
    store.transaction(() => {
      store.discord.insertMessages(messages);
      store.discord.insertRelayLines(lines);
    });
  }
  store.optimize();
  store.close();
  renameSync(partial, file);
  return (performance.now() - began) / 1000;
}

let buildSeconds = null;
if (!existsSync(file)) buildSeconds = await build();
const store = openStore(file);
await store.migrations.up();

const options = { asOf: AS_OF, timeZone: 'Europe/Amsterdam' };
globalThis.gc?.();
computeClanSummary(store, options); // warm-up
const times = [];
let summary;
for (let run = 0; run < RUNS; run += 1) {
  const began = performance.now();
  summary = computeClanSummary(store, options);
  times.push(performance.now() - began);
}
times.sort((left, right) => left - right);
const began = performance.now();
const json = JSON.stringify(toClanData(summary));
const serializeMs = performance.now() - began;
store.close();

const medianMs = times[Math.floor(times.length / 2)];
const result = {
  members: summary.members.length,
  formerMembers: summary.formerMembers.length,
  messages: MESSAGES,
  days: DAYS,
  buildSeconds: buildSeconds === null ? 'cached' : Math.round(buildSeconds * 10) / 10,
  fileMb: Math.round(statSync(file).size / 1024 / 1024),
  runsMs: times.map((time) => Math.round(time)),
  medianMs: Math.round(medianMs),
  toClanDataAndStringifyMs: Math.round(serializeMs),
  clanDataKb: Math.round(json.length / 1024),
  peakRssMb: peakRssMb(),
  target: '< 2000 ms',
  met: medianMs < 2000,
};
console.log(`cache: ${file}`);
console.log(
  `computeClanSummary median ${result.medianMs} ms over ${RUNS} runs (${result.runsMs.join(', ')} ms); peak RSS ${result.peakRssMb} MB`,
);
console.log(JSON.stringify(result));

// For tooling/bench/run.mjs (shape: tooling/bench/report-shape.mjs).
if (process.env.CLANSTATS_BENCH_JSON) {
  const report = {
    schema: 1,
    bench: 'clan-model',
    package: '@clanstats/clan-model',
    title: 'Clan model',
    settings: { members: MEMBERS, former: FORMER, days: DAYS, messages: MESSAGES, runs: RUNS },
    rows: [
      {
        name: `${MEMBERS} members, ${DAYS} daily snapshots, ${MESSAGES.toLocaleString('en-US')} messages`,
        metric: `computeClanSummary, median of ${RUNS}`,
        value: result.medianMs,
        unit: 'ms',
        target: { op: '<', value: 2000 },
        met: result.met,
        note: `runs ${result.runsMs.join(', ')} ms; peak RSS ${result.peakRssMb} MB`,
      },
      {
        name: `${MEMBERS} members`,
        metric: 'toClanData + JSON.stringify',
        value: result.toClanDataAndStringifyMs,
        unit: 'ms',
        note: `${result.clanDataKb.toLocaleString('en-US')} KB of JSON`,
      },
    ],
    notes: [
      `store ${result.buildSeconds === 'cached' ? 'reused from the cache' : `built in ${result.buildSeconds} s`} (${result.fileMb} MB)`,
    ],
    raw: result,
  };
  writeFileSync(process.env.CLANSTATS_BENCH_JSON, `${JSON.stringify(report, null, 2)}\n`);
}
