// Network faults through the real CLI: `clanstats harvest` against the fake WOM and Discord servers
// with one fault injected per case (429 storms, 5xx, resets, timeouts, truncated, HTML and
// wrong-shaped bodies). A fault the clients retry ends in exit 0 with exactly the data of a
// fault-free harvest. Any other ends, in seconds, in SOURCE_FAILED (exit 8: the other source is
// saved, by design) with one error line that names the source and what happened, no stack trace, the
// lock released, a sound database, the run record closed, and no partial rows: the WOM tables as
// they were before (its half is written in one transaction after every page is read), and each
// Discord channel's messages exactly those its checkpoint covers (one transaction per page). Last,
// CLANSTATS_STAGE_TIMEOUT stops a harvest that a silent server would hold forever.
//
// Each case has its own folder and fake servers; all of them run at once (see `started`).
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FaultSpec,
} from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint, integrityCheck, killGroup, query } from './crash-harness.js';
import { createTempFolder, runCli, type CliResult, type TempFolder } from './test-harness.js';

const WOM_KEY = 'wom-key-network-faults-5e1a';
const DISCORD_TOKEN = 'Discord.network-faults_Token-77c3';
const clan = createSyntheticClan({ seed: 23, members: 5, formerMembers: 1, days: 20 });
/** `#general` (91 messages, one page) and a forum post (149 messages, two pages). */
const discord = createSyntheticDiscord(clan, { scale: { messages: 240, channels: 2 } });
const AS_OF = clan.now;
const GROUP = `/groups/${clan.group.id}`;
const thread = discord.channels.find((channel) => channel.type === 11);
const general = discord.channels.find((channel) => channel.name === 'general');
if (thread === undefined || general === undefined) throw new Error('the guild layout changed');
const GENERAL_PAGES = `/channels/${general.id}/messages`;
/** A persistent Discord fault lets the thread's first page through, so the harvest stops half-way. */
const THREAD_PAGES = { path: `/channels/${thread.id}/messages`, skip: 1, times: Infinity };
/** The last WOM request: every page before it is read when the fault hits. */
const NAME_CHANGES = { path: `${GROUP}/name-changes`, times: Infinity };
const HTTP_TIMEOUT_MS = 2_000;
const SLOW = { kind: 'delay', ms: 3 * HTTP_TIMEOUT_MS } as const;
/** Long enough for a busy machine to start the harvest and reach its first request. */
const STAGE_TIMEOUT_S = 5;
/**
 * A harvest still running after this is hung: its process group is killed, and the case fails on
 * the signal. Generous, so that a busy machine (every case runs at once) is not taken for a hang;
 * the slowest case waits about 10 s in all for its retries and timeouts.
 */
const HANG_MS = 100_000;

type Source = 'wom' | 'discord';
const SOURCE_NAMES = { wom: 'Wise Old Man', discord: 'Discord' } as const;
/** The tables of `databaseFingerprint` each source fills. */
const SOURCE_TABLES = {
  wom: ['wom_snapshots', 'wom_snapshot_values', 'wom_memberships', 'wom_window_gains'],
  discord: [
    'discord_messages',
    'discord_relay_lines',
    'discord_author_days',
    'discord_channel_days',
  ],
} as const;

interface FaultCase {
  source: Source;
  /** What is injected, for the test name (and the README's table). */
  name: string;
  faults: FaultSpec[];
  /** `retried`: success with the data of a fault-free run; else the problem code of the run. */
  outcome: 'retried' | `${'WOM' | 'DISCORD'}_${string}`;
  /** What the error line says besides the source's name. */
  says?: RegExp;
}

const CASES: FaultCase[] = [
  // Wise Old Man: retried (GET: a 429 after its Retry-After; 500, 502, 503, 504, timeouts and
  // connection failures with backoff; 3 retries per request). One run, faults on three requests.
  {
    source: 'wom',
    name: '429 storm of 2 (Retry-After 1 s) then 500, 502 proxy page then 503, connection reset then no answer within CLANSTATS_HTTP_TIMEOUT_MS',
    faults: [
      { kind: 'rate-limit-storm', path: GROUP, times: 2 },
      { kind: 'status', status: 500, path: GROUP },
      { kind: 'status', status: 502, path: `${GROUP}/activity` },
      { kind: 'status', status: 503, path: `${GROUP}/activity` },
      { kind: 'reset', path: `${GROUP}/name-changes` },
      { ...SLOW, path: `${GROUP}/name-changes` },
    ],
    outcome: 'retried',
  },
  // Wise Old Man: failed, on the last request (name changes), with nothing written.
  {
    source: 'wom',
    name: '500 on every attempt',
    faults: [{ kind: 'status', status: 500, ...NAME_CHANGES }],
    outcome: 'WOM_UNEXPECTED_ERROR',
    says: /server error \(Request failed with status code 500 .*after 4 attempts.*try again later/,
  },
  {
    source: 'wom',
    name: '503 on every attempt',
    faults: [{ kind: 'status', status: 503, ...NAME_CHANGES }],
    outcome: 'WOM_HISCORES_SERVICE_UNAVAILABLE',
    says: /server error \(Request failed with status code 503 .*after 4 attempts.*try again later/,
  },
  {
    source: 'wom',
    name: '429 storm longer than the retry budget',
    faults: [{ kind: 'rate-limit-storm', ...NAME_CHANGES }],
    outcome: 'WOM_RATE_LIMITED',
    says: /too many requests/,
  },
  {
    source: 'wom',
    name: 'connection reset on every attempt',
    faults: [{ kind: 'reset', ...NAME_CHANGES }],
    outcome: 'WOM_NETWORK_ERROR',
    says: /could not be reached/,
  },
  {
    source: 'wom',
    name: 'no answer within CLANSTATS_HTTP_TIMEOUT_MS on every attempt',
    faults: [{ ...SLOW, ...NAME_CHANGES }],
    outcome: 'WOM_TIMEOUT',
    says: /timed out after 2000 ms \(after 4 attempts\)/,
  },
  {
    source: 'wom',
    name: 'HTML page with status 200 (captive portal)',
    faults: [{ kind: 'html', status: 200, ...NAME_CHANGES }],
    outcome: 'WOM_INVALID_RESPONSE',
    says: /cannot read \(Invalid JSON .*<!DOCTYPE html>.*captive portal/,
  },
  {
    source: 'wom',
    name: 'truncated JSON (not retried)',
    faults: [{ kind: 'truncated-json', ...NAME_CHANGES, times: 1 }],
    outcome: 'WOM_INVALID_RESPONSE',
    says: /cannot read \(Invalid JSON/,
  },
  {
    source: 'wom',
    name: 'JSON of the wrong shape',
    faults: [{ kind: 'status', status: 200, body: '[{"id":"x"}]', ...NAME_CHANGES }],
    outcome: 'WOM_INVALID_RESPONSE',
    says: /cannot read \(Unexpected response shape .*\[0\]\.id: expected an integer id/,
  },
  // Discord: retried (discord.js: a 429 after its reset time; 5xx, timeouts and connection
  // failures `retries` = 3 times). One run, one fault per request.
  {
    source: 'discord',
    name: '429 storm of 3, 500 then 502 proxy page then 503, connection reset, no answer within CLANSTATS_HTTP_TIMEOUT_MS',
    faults: [
      { kind: 'rate-limit-storm', path: GENERAL_PAGES, times: 3, retryAfterSeconds: 0.5 },
      ...[500, 502, 503].map((status) => ({
        kind: 'status' as const,
        status,
        path: `/channels/${thread.id}/messages`,
      })),
      { kind: 'reset', path: '/users/@me' },
      { ...SLOW, path: `/guilds/${discord.guild.id}/channels` },
    ],
    outcome: 'retried',
  },
  // Discord: failed after the thread's first page; the pages saved stay, whole.
  {
    source: 'discord',
    name: '500 on every attempt',
    faults: [{ kind: 'status', status: 500, ...THREAD_PAGES }],
    outcome: 'DISCORD_SERVER_ERROR',
    says: /server error on every attempt \(Discord server error on GET \/channels\/:id\/messages: HTTP 500\).*try again later/,
  },
  {
    source: 'discord',
    name: '429 storm (10 in a row on a route)',
    faults: [{ kind: 'rate-limit-storm', retryAfterSeconds: 0.2, ...THREAD_PAGES }],
    outcome: 'DISCORD_RATE_LIMITED',
    says: /kept rate-limiting/,
  },
  {
    source: 'discord',
    name: 'connection reset on every attempt',
    faults: [{ kind: 'reset', ...THREAD_PAGES }],
    outcome: 'DISCORD_NETWORK',
    says: /could not be reached \(Network error on GET \/channels\/:id\/messages \(connection closed by the server\)\)/,
  },
  {
    source: 'discord',
    name: 'no answer within CLANSTATS_HTTP_TIMEOUT_MS on every attempt',
    faults: [{ ...SLOW, ...THREAD_PAGES }],
    outcome: 'DISCORD_TIMEOUT',
    says: /could not be reached \(Timed out on GET \/channels\/:id\/messages\)/,
  },
  {
    source: 'discord',
    name: 'HTML page with status 200 (captive portal)',
    faults: [{ kind: 'html', status: 200, ...THREAD_PAGES }],
    outcome: 'DISCORD_INVALID_RESPONSE',
    says: /Not JSON from GET \/channels\/:id\/messages, so not from Discord/,
  },
  {
    source: 'discord',
    name: 'truncated JSON (not retried)',
    faults: [{ kind: 'truncated-json', ...THREAD_PAGES, times: 1 }],
    outcome: 'DISCORD_INVALID_RESPONSE',
    says: /cannot read \(Invalid JSON from GET \/channels\/:id\/messages\)/,
  },
  {
    source: 'discord',
    name: 'JSON of the wrong shape',
    faults: [{ kind: 'status', status: 200, body: '[{"id":5}]', ...THREAD_PAGES }],
    outcome: 'DISCORD_INVALID_RESPONSE',
    says: /cannot read \(.*messages\[0\]\.id is not a snowflake/,
  },
];

const folders: TempFolder[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
let template: TempFolder;

function newFolder(): TempFolder {
  const folder = createTempFolder('clanstats-network-');
  folders.push(folder);
  return folder;
}

/** One `clanstats harvest` against fresh fakes, with `faults` injected into `source`'s. */
interface Harvest {
  folder: TempFolder;
  result: CliResult;
  ms: number;
  /** Requests each fault hit. */
  hits: number[];
}

async function harvest(
  source: Source | undefined,
  faults: readonly FaultSpec[],
  env: Record<string, string> = {},
): Promise<Harvest> {
  const folder = newFolder();
  // The freshly migrated, empty database.
  copyFileSync(template.file('clan_data.db'), folder.file('clan_data.db'));
  const fakes = {
    wom: await startFakeWomServer({ clan, rateLimit: false, apiKeys: [WOM_KEY] }),
    discord: await startFakeDiscordServer({
      clan,
      discord,
      tokens: [DISCORD_TOKEN],
      rateLimit: false,
    }),
  };
  servers.push(fakes.wom, fakes.discord);
  const injected =
    source === undefined ? [] : faults.map((fault) => fakes[source].injectFault(fault));
  const started = performance.now();
  let hung: NodeJS.Timeout | undefined;
  const result = await runCli(['harvest', '--as-of', AS_OF], {
    cwd: folder.path,
    detached: true,
    onSpawn: (child) => {
      hung = setTimeout(() => killGroup(child.pid ?? 0), HANG_MS);
    },
    env: {
      WOM_BASE_URL: fakes.wom.url,
      WOM_GROUP_ID: String(clan.group.id),
      WOM_API_KEY: WOM_KEY,
      DISCORD_API_URL: fakes.discord.url,
      DISCORD_TOKEN,
      DISCORD_GUILD_ID: discord.guild.id,
      CLANSTATS_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
      ...env,
    },
  });
  clearTimeout(hung);
  const ms = performance.now() - started;
  return { folder, result, ms, hits: injected.map((fault) => fault.hits) };
}

/**
 * Starts `tasks`, at most `limit` at a time (a harvest is two Node processes, which spend most of
 * their time waiting for retries and timeouts), and returns their results in order.
 */
function pooled<Value>(
  tasks: ReadonlyArray<() => Promise<Value>>,
  limit: number,
): Array<Promise<Value>> {
  const waiting: Array<() => void> = [];
  let running = 0;
  return tasks.map(async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  });
}

/** Every row of every table whose name starts with `prefix`, by table. */
function tableRows(folder: TempFolder, prefix: string): Record<string, string[]> {
  const tables = query<{ name: string }>(
    folder,
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '${prefix}%' ORDER BY name`,
  );
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      query(folder, `SELECT * FROM ${name}`)
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );
}

/** Channels whose stored messages are not exactly those of the truth its checkpoint covers. */
function inconsistentChannels(folder: TempFolder): string[] {
  const checkpoints = query<{ channel_id: string; newest_id: string; oldest_id: string }>(
    folder,
    // Snowflakes are INTEGER columns: read them as text, past 2^53.
    `SELECT CAST(channel_id AS TEXT) AS channel_id, CAST(newest_id AS TEXT) AS newest_id,
       CAST(oldest_id AS TEXT) AS oldest_id FROM discord_checkpoints WHERE newest_id IS NOT NULL`,
  );
  const stored = query<{ id: string; channel_id: string }>(
    folder,
    'SELECT CAST(id AS TEXT) AS id, CAST(channel_id AS TEXT) AS channel_id FROM discord_messages',
  );
  const channels = new Set([
    ...checkpoints.map((row) => row.channel_id),
    ...stored.map((row) => row.channel_id),
  ]);
  return [...channels].filter((channelId) => {
    const checkpoint = checkpoints.find((row) => row.channel_id === channelId);
    const inRange = (id: string): boolean =>
      checkpoint !== undefined &&
      BigInt(id) >= BigInt(checkpoint.oldest_id) &&
      BigInt(id) <= BigInt(checkpoint.newest_id);
    const expected = discord
      .messagesOf(channelId)
      .map((message) => message.id)
      .filter(inRange)
      .sort();
    const actual = stored
      .filter((row) => row.channel_id === channelId)
      .map((row) => row.id)
      .sort();
    return JSON.stringify(actual) !== JSON.stringify(expected);
  });
}

/** What every harvest, failed or not, must leave: a sound database, no lock, no open run record. */
function expectCleanEnd(run: Harvest): void {
  // Not killed as hung (HANG_MS).
  expect(run.result.signal, run.result.output).toBeNull();
  expect(run.result.output).not.toMatch(/^\s+at /m);
  expect(integrityCheck(run.folder)).toEqual(['ok']);
  expect(existsSync(run.folder.file('clan_data.db.lock'))).toBe(false);
  expect(query(run.folder, "SELECT id FROM harvest_runs WHERE status = 'running'")).toEqual([]);
  expect(inconsistentChannels(run.folder)).toEqual([]);
}

let reference: Harvest;
let templateWom: Record<string, string[]>;
const runs = new Map<FaultCase, Promise<Harvest>>();
let deadlineRun: Promise<Harvest>;

beforeAll(async () => {
  const folder = newFolder();
  const migrated = await runCli(['migrate'], { cwd: folder.path });
  expect(migrated.code, migrated.output).toBe(0);
  template = folder;
  templateWom = tableRows(template, 'wom_');
  // Everything at once: the cases mostly wait (retries, timeouts).
  const tasks = [
    () => harvest(undefined, []),
    // A server that never answers, an HTTP timeout that never ends it: only the deadline does.
    // Second, so that the harvest is under way when the deadline comes.
    () =>
      harvest('wom', [{ kind: 'delay', ms: 120_000, path: GROUP, times: Infinity }], {
        CLANSTATS_HTTP_TIMEOUT_MS: '600000',
        CLANSTATS_STAGE_TIMEOUT: `${STAGE_TIMEOUT_S}s`,
      }),
    ...CASES.map((fault) => () => harvest(fault.source, fault.faults)),
  ];
  const [first, second, ...rest] = pooled(tasks, 8);
  // Each case awaits its own; a failure before that must not count as unhandled.
  for (const run of [second, ...rest]) run?.catch(() => undefined);
  CASES.forEach((fault, index) => runs.set(fault, rest[index] as Promise<Harvest>));
  deadlineRun = second as Promise<Harvest>;
  reference = await (first as Promise<Harvest>);
  expect(reference.result.code, reference.result.output).toBe(0);
}, HANG_MS);

afterAll(async () => {
  await Promise.allSettled([...runs.values(), deadlineRun]);
  await Promise.all(servers.map((server) => server.close()));
  for (const folder of folders) folder.remove();
});

describe('clanstats harvest under network faults', () => {
  it.each(CASES.map((fault) => [`${SOURCE_NAMES[fault.source]}: ${fault.name}`, fault] as const))(
    '%s',
    async (_name, fault) => {
      const run = await (runs.get(fault) as Promise<Harvest>);
      const { result } = run;
      expectCleanEnd(run);
      expect(
        run.hits.every((hits) => hits > 0),
        'every fault was hit',
      ).toBe(true);
      const fingerprint = databaseFingerprint(run.folder);
      const expected = databaseFingerprint(reference.folder);
      if (fault.outcome === 'retried') {
        expect(result.code, result.output).toBe(0);
        expect(result.output).not.toContain('✖');
        expect(fingerprint).toEqual(expected);
        return;
      }

      expect(result.code, result.output).toBe(8);
      const errors = result.output.split('\n').filter((line) => line.startsWith('✖'));
      expect(errors, result.output).toHaveLength(1);
      expect(errors[0]).toContain(SOURCE_NAMES[fault.source]);
      expect(errors[0]).toContain('SOURCE_FAILED');
      expect(errors[0]).toMatch(fault.says ?? /./);
      const problems = query<{ code: string }>(run.folder, 'SELECT code FROM harvest_run_problems');
      expect(problems.map((problem) => problem.code)).toContain(fault.outcome);
      expect(query(run.folder, 'SELECT status FROM harvest_runs')).toEqual([{ status: 'partial' }]);

      // The other source is saved in full.
      const other: Source = fault.source === 'wom' ? 'discord' : 'wom';
      for (const table of SOURCE_TABLES[other]) expect(fingerprint[table]).toEqual(expected[table]);
      if (fault.source === 'wom') {
        // Nothing from Wise Old Man: every page was read before the fault, none was written.
        expect(tableRows(run.folder, 'wom_')).toEqual(templateWom);
      } else {
        // Discord: the thread's first page is saved whole with its checkpoint, the rest is not.
        const saved = query<{ n: number }>(
          run.folder,
          `SELECT count(*) AS n FROM discord_messages WHERE channel_id = '${thread.id}'`,
        )[0]?.n;
        expect(saved).toBeGreaterThan(0);
        expect(saved).toBeLessThan(discord.messagesOf(thread.id).length);
      }
    },
    HANG_MS + 10_000,
  );

  it(
    `stops a harvest held by a silent server at CLANSTATS_STAGE_TIMEOUT=${STAGE_TIMEOUT_S}s`,
    async () => {
      const run = await deadlineRun;
      const { result } = run;
      expect(result.code, result.output).toBe(9);
      expectCleanEnd(run);
      // SIGTERM at the deadline: the stage aborts its request and closes its run record at once.
      expect(run.ms).toBeGreaterThan(STAGE_TIMEOUT_S * 1000);
      expect(run.ms).toBeLessThan(STAGE_TIMEOUT_S * 1000 + 10_000);
      const errors = result.output.split('\n').filter((line) => line.startsWith('✖'));
      expect(errors).toEqual([
        `✖ [harvest] STAGE_TIMEOUT: Stage "harvest" did not finish within ${STAGE_TIMEOUT_S}s (CLANSTATS_STAGE_TIMEOUT) and was stopped. Check the internet connection to Wise Old Man and Discord (WOM_BASE_URL, DISCORD_API_URL), or raise CLANSTATS_STAGE_TIMEOUT (such as 12h) if it needs longer. What it saved before is kept; the next run goes on from there.`,
      ]);
      // What the stage said as it wound down went to app.log only.
      expect(result.output).not.toContain('ABORTED');
      // The stage was waiting for Wise Old Man's answer (unless the machine was so slow that the
      // deadline came first: then no run record was open yet). It aborted the request, skipped
      // Discord and closed its run record itself, instead of leaving it for the next run to find.
      if (run.hits[0] === 1) {
        expect(query(run.folder, 'SELECT status, error_code FROM harvest_runs')).toEqual([
          { status: 'failed', error_code: 'WOM_ABORTED' },
        ]);
        const problems = query<{ code: string }>(
          run.folder,
          'SELECT code FROM harvest_run_problems',
        );
        expect(problems.map((problem) => problem.code)).toEqual(['WOM_ABORTED', 'DISCORD_ABORTED']);
        expect(readFileSync(run.folder.file('app.log'), 'utf8')).toContain(
          'WARN  [harvest] Wise Old Man failed (WOM_ABORTED)',
        );
      }
    },
    HANG_MS + 10_000,
  );
});
