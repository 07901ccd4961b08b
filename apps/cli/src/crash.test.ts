// Crash consistency: the real CLI (`clanstats run`, one process per stage) killed with SIGKILL at
// random moments of its harvest, report and export, several times in a row in the same folder,
// then run to the end. Whatever the moments, the database is sound, nothing is lost or counted
// twice, the lock is taken over, and no output at its target path is ever half written.
//
// CLANSTATS_CRASH_POINTS sets how many kills (9 by default; `pnpm test:soak` runs 60) and
// CLANSTATS_CRASH_SEED replays the moments of a failed run (its seed is in every message).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparableClanData,
  count,
  damagedOutputs,
  databaseFingerprint,
  integrityCheck,
  isGroupAlive,
  killGroup,
  seededRandom,
  temporaryFiles,
  workbookValues,
} from './crash-harness.js';
import { fakeRunSettings } from './run-fixture.js';
import {
  createTempFolder,
  runCli,
  waitFor,
  type CliResult,
  type TempFolder,
} from './test-harness.js';

const DAY = 86_400_000;
const WOM_KEY = 'wom-key-crash-0b7e';
const DISCORD_TOKEN = 'Discord.crash_Token-4d21';
const T = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
const AS_OF = new Date(T).toISOString();

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1`);
  return value;
}

/** Kills per suite run. */
const POINTS = positiveInteger('CLANSTATS_CRASH_POINTS', 9);
/** Kills chained in one folder before its normal run. */
const KILLS_PER_FOLDER = 3;
const SEED = positiveInteger('CLANSTATS_CRASH_SEED', Math.floor(Math.random() * 2_147_483_647) + 1);
const FOLDERS = Math.ceil(POINTS / KILLS_PER_FOLDER);
const STAGES = ['backup', 'migrate', 'harvest', 'report', 'export'] as const;
const TARGETS = ['harvest', 'report', 'export'] as const;
type Stage = (typeof STAGES)[number];
type Target = (typeof TARGETS)[number];

let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
let discord: SyntheticDiscord;
let groupId: number;
let reference: TempFolder;
/** How long each stage of the uninterrupted run took, in milliseconds. */
const referenceMs: Partial<Record<Stage, number>> = {};
let referenceTotalMs = 0;
const folders: TempFolder[] = [];
const servers: Array<{ close: () => Promise<void> }> = [];
const kills: Record<Target, number> = { harvest: 0, report: 0, export: 0 };
const suiteStarted = performance.now();

function settings(): Record<string, string> {
  return fakeRunSettings({
    womUrl: wom.url,
    groupId,
    womKey: WOM_KEY,
    discordUrl: discordServer.url,
    discordToken: DISCORD_TOKEN,
    guildId: discord.guild.id,
  });
}

function newFolder(prefix: string): TempFolder {
  const folder = createTempFolder(prefix);
  folders.push(folder);
  const rules = {
    relay: { botUserIds: [discord.relayBotUserId], channelIds: [discord.relayChannelId] },
    ranks: [
      { role: 'recruit', minTenureDays: 0, minScore: 0 },
      { role: 'corporal', minTenureDays: 7, minScore: 50 },
    ],
  };
  writeFileSync(folder.file('clanstats.config.json'), JSON.stringify(rules));
  return folder;
}

/** One `clanstats run`, and where it was when it was killed. */
interface Attempt {
  result: CliResult;
  /** Milliseconds from the spawn to each "Stage i/n" line. */
  stageAt: Partial<Record<Stage, number>>;
  /** The stage running when SIGKILL was sent; `undefined` when the run ended first. */
  killedIn: Stage | undefined;
  /** The run's pid (its process group). */
  pid: number | undefined;
}

/**
 * Runs `clanstats run --as-of T` in a process group of its own; with `kill`, sends SIGKILL to the
 * group `afterMs` after the run prints the line of `stage`, and waits for the group to end.
 */
async function attempt(
  folder: TempFolder,
  kill?: { stage: Target; afterMs: number },
): Promise<Attempt> {
  const started = performance.now();
  const stageAt: Partial<Record<Stage, number>> = {};
  let current: Stage | undefined;
  let killedIn: Stage | undefined;
  let pid: number | undefined;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let seen = '';
  const running = runCli(['run', '--as-of', AS_OF], {
    cwd: folder.path,
    env: settings(),
    detached: true,
    onSpawn: (child) => {
      pid = child.pid;
      child.stdout?.on('data', (chunk: string) => {
        seen += chunk;
        for (const match of seen.matchAll(/Stage \d+\/\d+: (\w+)/g)) {
          const stage = match[1] as Stage;
          if (stageAt[stage] !== undefined) continue;
          stageAt[stage] = performance.now() - started;
          current = stage;
          if (kill?.stage === stage) {
            timer = setTimeout(() => {
              if (ended || pid === undefined) return;
              if (killGroup(pid)) killedIn = current;
            }, kill.afterMs);
          }
        }
      });
    },
  });
  const result = await running;
  ended = true;
  clearTimeout(timer);
  if (pid !== undefined) {
    const group = pid;
    // Stages still running in the group die with it; give the OS a moment to reap them.
    await waitFor(() => !isGroupAlive(group), 'the killed process group to end');
  }
  return { result, stageAt, killedIn, pid };
}

beforeAll(async () => {
  const clan = createSyntheticClan({
    seed: 9,
    members: 15,
    formerMembers: 3,
    days: 20,
    now: AS_OF,
  });
  discord = createSyntheticDiscord(clan);
  groupId = clan.group.id;
  const offset = T - Date.now();
  const clock = (): Date => new Date(Date.now() + offset);
  wom = await startFakeWomServer({ clan, apiKeys: [WOM_KEY], now: clock, rateLimit: false });
  discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    now: clock,
    rateLimit: false,
  });
  servers.push(wom, discordServer);

  reference = newFolder('clanstats-crash-reference-');
  const started = performance.now();
  const run = await attempt(reference);
  referenceTotalMs = performance.now() - started;
  if (run.result.code !== 0)
    throw new Error(`the uninterrupted run failed (${run.result.code}):\n${run.result.output}`);
  for (const [index, stage] of STAGES.entries()) {
    const start = run.stageAt[stage];
    const next = STAGES[index + 1];
    const end = next === undefined ? referenceTotalMs : run.stageAt[next];
    if (start === undefined || end === undefined)
      throw new Error(`no "Stage" line for ${stage} in:\n${run.result.output}`);
    referenceMs[stage] = end - start;
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  for (const folder of folders) folder.remove();
  const total = kills.harvest + kills.report + kills.export;
  const timings = TARGETS.map((stage) => `${stage} ${Math.round(referenceMs[stage] ?? 0)} ms`);
  console.log(
    `crash consistency: ${total} SIGKILLs survived (harvest ${kills.harvest}, report ${kills.report}, export ${kills.export}) in ${FOLDERS} folders, seed ${SEED}, ${Math.round((performance.now() - suiteStarted) / 1000)} s; uninterrupted run ${Math.round(referenceTotalMs)} ms (${timings.join(', ')})`,
  );
});

describe(`clanstats run killed with SIGKILL at ${POINTS} random moments (seed ${SEED})`, () => {
  // The folders run side by side (each has its own generator, so a seed gives the same moments).
  it.concurrent.each(Array.from({ length: FOLDERS }, (_, index) => index))(
    'folder %i: killed again and again, then a normal run equals the uninterrupted run',
    { timeout: 60_000 + KILLS_PER_FOLDER * 20_000 },
    async (index) => {
      const folder = newFolder(`clanstats-crash-${index}-`);
      const random = seededRandom(SEED + index * 7919);
      const quota = Math.min(KILLS_PER_FOLDER, POINTS - index * KILLS_PER_FOLDER);
      const history: string[] = [];
      const context = (): string =>
        `seed ${SEED} (CLANSTATS_CRASH_SEED=${SEED} replays it), folder ${index}: ${history.join(' → ') || 'no kill yet'}`;
      let lockLeft = false;
      const windowMs = { ...referenceMs };
      let deadPid: number | undefined;
      const rotation = Math.floor(random() * TARGETS.length);

      // Up to twice the quota of attempts: a kill meant for the end of a stage can come after
      // the run ended, and then does not count.
      for (let tries = 0, killed = 0; killed < quota && tries < quota * 2; tries += 1) {
        // Each folder aims at the three stages in turn, from a random one.
        const stage = TARGETS[(rotation + killed) % TARGETS.length] ?? 'harvest';
        const afterMs = Math.round(random() * (windowMs[stage] ?? 0));
        const { result, killedIn, stageAt, pid } = await attempt(folder, { stage, afterMs });
        // A harvest after another is shorter (only what is new, or what the killed one left):
        // the next moments are drawn inside the stage as this folder last ran it whole.
        for (const [position, name] of STAGES.entries()) {
          const next = STAGES[position + 1];
          const start = stageAt[name];
          const end = next === undefined ? undefined : stageAt[next];
          if (start !== undefined && end !== undefined) windowMs[name] = end - start;
        }
        if (lockLeft) {
          // The lock the killed run left is taken over, with a warning that says why.
          expect(result.output, context()).toMatch(
            /Removed a stale lock .*clan_data\.db\.lock: process \d+ that took it is no longer running/,
          );
        }
        if (killedIn === undefined) {
          history.push(`${stage}+${afterMs}ms: ended first (${String(result.code)})`);
          if (result.code !== 0)
            throw new Error(`${context()}; a run that was not killed failed:\n${result.output}`);
          lockLeft = false;
          continue;
        }
        killed += 1;
        deadPid = pid;
        if (killedIn === 'harvest' || killedIn === 'report' || killedIn === 'export')
          kills[killedIn] += 1;
        history.push(`${stage}+${afterMs}ms: killed in ${killedIn}`);
        // Never half a file at a target path, whatever the moment.
        expect(await damagedOutputs(folder), context()).toEqual([]);
        lockLeft = existsSync(folder.file('clan_data.db.lock'));
        expect(lockLeft, `${context()}: the killed run held the lock`).toBe(true);
      }

      // A kill in the middle of a write leaves the temporary file beside the target (a moment
      // the random kills seldom hit): the same names, as a killed writer leaves them.
      if (deadPid !== undefined) {
        mkdirSync(folder.file('out'), { recursive: true });
        for (const name of [
          `.clan_report_summary_merged.xlsx.${deadPid}-0a1b2c3d.tmp`,
          `.clan_dashboard.html.${deadPid}.deadbeef.tmp`,
          `clan_data.json.${deadPid}.tmp`,
        ])
          writeFileSync(folder.file(`out/${name}`), 'PK\u0003\u0004 half');
      }
      const final = await attempt(folder);
      if (final.result.code !== 0)
        throw new Error(`${context()}; the normal run failed:\n${final.result.output}`);
      if (lockLeft) expect(final.result.output, context()).toContain('Removed a stale lock');

      expect(integrityCheck(folder), context()).toEqual(['ok']);
      expect(
        count(
          folder,
          'SELECT count(*) AS n FROM (SELECT id FROM discord_messages GROUP BY id HAVING count(*) > 1)',
        ),
        context(),
      ).toBe(0);
      expect(databaseFingerprint(folder), context()).toEqual(databaseFingerprint(reference));
      // The harvest run records the killed runs left open are closed, none still "running".
      expect(
        count(folder, "SELECT count(*) AS n FROM harvest_runs WHERE status = 'running'"),
        context(),
      ).toBe(0);
      expect(comparableClanData(folder), context()).toEqual(comparableClanData(reference));
      expect(await workbookValues(folder), context()).toEqual(await workbookValues(reference));
      expect(await damagedOutputs(folder), context()).toEqual([]);
      for (const file of ['clan_report_summary_merged.xlsx', 'clan_dashboard.html']) {
        expect(existsSync(folder.file(`out/${file}`)), `${context()}: ${file}`).toBe(true);
      }
      expect(temporaryFiles(folder.file('out')), context()).toEqual([]);
      expect(existsSync(folder.file('clan_data.db.lock')), context()).toBe(false);
    },
  );
});
