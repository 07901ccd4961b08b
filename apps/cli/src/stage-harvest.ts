/**
 * The `harvest` stage: Wise Old Man, then Discord, then identity links, into one migrated store,
 * under one run record (requests, 429s, durations and per-channel or per-player problems).
 *
 * The two sources are independent: when one fails (a wrong token, an outage), the other's data
 * still lands, the run record says `partial`, and the stage fails with a message that names the
 * setting to fix. Everything written is written in transactions with its checkpoints, so the next
 * run resumes.
 */
import type { Store } from '@clanstats/store';
import { loadClanRules } from './config.js';
import { SourceFailedError, UsageError } from './errors.js';
import { harvestDiscord, type DiscordHarvestSummary } from './harvest-discord.js';
import { harvestWom, type WomHarvestSummary } from './harvest-wom.js';
import { applyIdentity, type ApplyIdentityResult } from './identity.js';
import type { JsonValue } from './protocol.js';
import { parseInstant } from './time-args.js';
import {
  CORE_SETTINGS,
  HARVEST_SETTINGS,
  planHarvestSources,
  readSettings,
  type Settings,
} from './settings.js';
import type { StageContext, StageOutput } from './stage-runtime.js';

/** The options of the `harvest` stage, parsed from its arguments. */
export interface HarvestStageOptions {
  /** The end of the report windows WOM gains are fetched for (epoch ms). */
  asOf: number;
  /** The Discord backfill start (epoch ms), or `undefined` for the whole history. */
  since: number | undefined;
  /** Leave Wise Old Man out of this run. */
  skipWom: boolean;
  /** Leave Discord out of this run. */
  skipDiscord: boolean;
}

/** Reads the stage's arguments. `now` is the default as-of time. */
export function parseHarvestArgs(
  values: Readonly<Record<string, string | boolean | undefined>>,
  now: number,
): HarvestStageOptions {
  const asOfText = values['as-of'];
  const sinceText = values.since;
  const asOf = typeof asOfText === 'string' ? parseInstant('--as-of', asOfText, now) : now;
  if (asOf > now + 60_000) {
    throw new UsageError(
      `--as-of ${String(asOfText)} is in the future; harvests happen now or for the past`,
    );
  }
  const since =
    typeof sinceText === 'string' ? parseInstant('--since', sinceText, asOf) : undefined;
  if (since !== undefined && since >= asOf) {
    throw new UsageError(`--since ${String(sinceText)} must be before the as-of time`);
  }
  const skipWom = values['skip-wom'] === true;
  const skipDiscord = values['skip-discord'] === true;
  if (skipWom && skipDiscord) {
    throw new UsageError('--skip-wom and --skip-discord together leave nothing to harvest');
  }
  return { asOf, since, skipWom, skipDiscord };
}

/** Which sources run, given the settings: an unconfigured Discord is skipped with a note. */
function plan(
  context: StageContext,
  options: HarvestStageOptions,
): { settings: Settings; wom: boolean; discord: boolean; notes: string[] } {
  const { wom, discord, require, note } = planHarvestSources(context.env, options);
  const settings = readSettings(context.env, context.cwd, {
    validate: [...CORE_SETTINGS, ...HARVEST_SETTINGS],
    require,
  });
  return { settings, wom, discord, notes: note === undefined ? [] : [note] };
}

const SOURCE_NAMES = {
  wom: 'Wise Old Man',
  discord: 'Discord',
  identity: 'Identity links',
} as const satisfies Record<SourceFailure['source'], string>;

/** A source's failure, in words that name what to fix, with its code. */
export interface SourceFailure {
  source: 'wom' | 'discord' | 'identity';
  code: string;
  message: string;
  /** The error it describes, kept as the cause of the stage's error for `--verbose`. */
  error?: unknown;
}

function errorFacts(error: unknown): { code: string; status: number | undefined; message: string } {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<
    string,
    unknown
  >;
  return {
    code: typeof record.code === 'string' ? record.code : 'UNEXPECTED',
    status: typeof record.status === 'number' ? record.status : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Describes a Wise Old Man failure; the client's messages carry no key or secret. */
export function describeWomFailure(error: unknown, groupId: number | undefined): SourceFailure {
  const { code, status, message } = errorFacts(error);
  const group = groupId === undefined ? 'the group' : `group ${groupId}`;
  let text: string;
  if (status === 404 || code === 'GROUP_NOT_FOUND') {
    text = `Wise Old Man has no ${group} (404): check WOM_GROUP_ID, the number in your group's address https://wiseoldman.net/groups/<number>.`;
  } else if (code === 'INVALID_API_KEY') {
    text = `Wise Old Man refused WOM_API_KEY (HTTP ${status ?? 403}, invalid API key): set it to the key the WOM team gave you, or unset it to use the public limit of 20 requests a minute.`;
  } else if (status === 401 || status === 403) {
    text = `Wise Old Man refused the request (HTTP ${status}: ${message}): check WOM_API_KEY, or unset it to use the public limit.`;
  } else if (code === 'RATE_LIMITED' || status === 429) {
    text =
      'Wise Old Man kept answering "too many requests"; set WOM_API_KEY for a higher limit, or try again later.';
  } else if (code === 'NETWORK_ERROR' || code === 'TIMEOUT') {
    text = `Wise Old Man could not be reached (${message}); check the internet connection and WOM_BASE_URL.`;
  } else if (code === 'ABORTED') {
    text = 'The Wise Old Man harvest was interrupted; the next run continues from what was saved.';
  } else if (code === 'INVALID_RESPONSE') {
    text = `Wise Old Man sent an answer ClanStats cannot read (${message}): a proxy, captive portal or firewall may be answering instead, or WOM changed its API; try again later, and update ClanStats if it keeps happening.`;
  } else if (status !== undefined && status >= 500) {
    text = `Wise Old Man answered with a server error (${message}): it may be down or busy; try again later.`;
  } else {
    text = `The Wise Old Man harvest failed: ${message}`;
  }
  return { source: 'wom', code: `WOM_${code}`, message: text, error };
}

/** Whether a Discord error concerns the server itself (`GET /guilds/:id`), not one of its lists. */
function isGuildRoute(error: unknown): boolean {
  const route = (error as { route?: unknown } | null)?.route;
  return route === 'GET /guilds/:id';
}

/** Describes a Discord failure; the harvester's messages carry no token. */
export function describeDiscordFailure(error: unknown, guildId: string | undefined): SourceFailure {
  const { code, message } = errorFacts(error);
  const guild = guildId === undefined ? 'the server' : `server ${guildId}`;
  let text: string;
  switch (code) {
    case 'UNAUTHORIZED':
      text =
        'Discord refused the bot token (401): copy it again from the Developer Portal (Bot → Reset Token) into DISCORD_TOKEN.';
      break;
    case 'GUILD_NOT_FOUND':
      text = `The bot is not in ${guild}: invite it with the link from the Developer Portal (OAuth2 → URL Generator, scope "bot"), or check DISCORD_GUILD_ID.`;
      break;
    case 'FORBIDDEN':
      text = isGuildRoute(error)
        ? `The bot has no access to ${guild} (403 Missing Access): it is not in the server, or was removed; invite it with the link from the Developer Portal (OAuth2 → URL Generator, scope "bot"), or check DISCORD_GUILD_ID.`
        : `The bot may not read ${guild} (403): give its role View Channel and Read Message History.`;
      break;
    case 'RATE_LIMITED':
      text =
        'Discord kept rate-limiting the bot; the messages fetched so far are saved and the next run continues.';
      break;
    case 'NETWORK':
    case 'TIMEOUT':
      text = `Discord could not be reached (${message}); check the internet connection and DISCORD_API_URL.`;
      break;
    case 'ABORTED':
      text =
        'The Discord harvest was interrupted; the next run continues from the last saved page.';
      break;
    case 'SERVER_ERROR':
      text = `Discord answered with a server error on every attempt (${message}): it may be having an outage (https://discordstatus.com); try again later, the next run continues from the last saved page.`;
      break;
    case 'INVALID_RESPONSE':
      text = `Discord sent an answer ClanStats cannot read (${message}): a proxy, captive portal or firewall may be answering instead, or Discord changed its API; try again later, and update ClanStats if it keeps happening.`;
      break;
    default:
      text = `The Discord harvest failed: ${message}`;
  }
  return { source: 'discord', code: `DISCORD_${code}`, message: text, error };
}

function womDetails(summary: WomHarvestSummary): JsonValue {
  return {
    durationMs: summary.durationMs,
    requests: summary.requests,
    rateLimited: summary.rateLimited,
    group: summary.group,
    members: summary.members,
    joined: summary.joined.length,
    left: summary.left.length,
    roleChanged: summary.roleChanged.length,
    snapshots: summary.snapshots,
    windowGains: summary.windowGains,
    activityEvents: summary.activityEvents,
    nameChanges: summary.nameChanges,
    updateAll: summary.updateAll,
    usedBulkEndpoints: summary.usedBulkEndpoints,
    problems: summary.problems.length,
  };
}

function discordDetails(summary: DiscordHarvestSummary): JsonValue {
  return {
    durationMs: summary.durationMs,
    requests: summary.requests,
    rateLimited: summary.rateLimited,
    messages: summary.messages,
    pages: summary.pages,
    channels: summary.channels,
    skipped: summary.skipped.map((channel) => ({ ...channel })),
    members: summary.members,
    membersSource: summary.membersSource,
    contentAvailable: summary.contentAvailable,
  };
}

/**
 * With `discord.storeMessageContent` off, says when the database still holds message text stored
 * while it was on, and how to remove it.
 */
function noteStoredContent(context: StageContext, store: Store): void {
  const stored = store.countContent();
  if (stored.messages + stored.relayLines === 0) return;
  context.logger.warn(
    `Discord: the database still holds the text of ${stored.messages} messages and ${stored.relayLines} relayed clan-chat lines from when discord.storeMessageContent was on; "clanstats purge-content" removes it.`,
  );
}

function identityDetails(result: ApplyIdentityResult): JsonValue {
  return {
    manual: result.manual,
    blocks: result.blocks,
    automatic: { ...result.automatic },
    ambiguous: result.ambiguous,
    unresolved: result.unresolved.map((entry) => ({ ...entry })),
  };
}

/**
 * Runs the harvest into `store` and records it; see the module comment. When `signal` aborts
 * (SIGTERM: the stage deadline, Ctrl+C), both sources stop between writes, and the run record is
 * closed as failed with their `ABORTED` problems.
 */
export async function runHarvest(
  context: StageContext,
  store: Store,
  options: HarvestStageOptions,
  signal?: AbortSignal,
): Promise<StageOutput> {
  const { logger } = context;
  const { settings, wom, discord, notes } = plan(context, options);
  const { rules } = loadClanRules(context.cwd);
  for (const note of notes) logger.info(note);
  await store.migrations.assertCurrent();

  // Under the run's lock: a run record still open is one a killed run left.
  const abandoned = store.runs.closeAbandoned();
  if (abandoned > 0)
    logger.info(`Closed ${abandoned} harvest run record(s) left open by a killed run.`);
  const runId = store.runs.start('harvest');
  const failures: SourceFailure[] = [];
  const details: Record<string, JsonValue> = {
    runId,
    asOf: new Date(options.asOf).toISOString(),
    since: options.since === undefined ? null : new Date(options.since).toISOString(),
  };
  const counts: Record<string, number> = {};
  let womRequests = 0;
  let discordRequests = 0;
  let rateLimited = 0;
  const recordFailure = (failure: SourceFailure): void => {
    failures.push(failure);
    store.runs.addProblem(runId, {
      source: failure.source === 'identity' ? 'other' : failure.source,
      code: failure.code,
      message: failure.message,
    });
    // The stage's error, printed once when the harvest ends, says what happened and what to do;
    // this line only says when, so a long harvest does not look stuck.
    logger.warn(`${SOURCE_NAMES[failure.source]} failed (${failure.code}); see the error below.`);
  };

  try {
    if (wom) {
      const groupId = settings.womGroupId as number;
      logger.start(`Wise Old Man: group ${groupId}`);
      const firstRoster = store.read.currentMembers(groupId).length === 0;
      try {
        const summary = await harvestWom({
          store,
          groupId,
          baseUrl: settings.womBaseUrl,
          apiKey: settings.womApiKey,
          groupSecret: settings.womGroupSecret,
          updateWaitMs: rules.wom.updateWaitSeconds * 1000,
          asOf: options.asOf,
          runId,
          timeoutMs: settings.httpTimeoutMs,
          ...(signal === undefined ? {} : { signal }),
          onProgress: (progress) => {
            if (progress.phase !== 'done') {
              context.progress(`Wise Old Man (${progress.phase})`, progress.done, progress.total);
            }
          },
        });
        womRequests = summary.requests;
        rateLimited += summary.rateLimited;
        details.wom = womDetails(summary);
        counts.members = summary.members;
        counts.snapshots = summary.snapshots;
        for (const problem of summary.problems) logger.warn(problem.message);
        logger.success(
          `Wise Old Man: ${summary.group.name}, ${summary.members} members (${firstRoster ? 'first roster' : `${summary.joined.length} joined, ${summary.left.length} left, ${summary.roleChanged.length} new roles`}), ${summary.snapshots} new snapshots, ${summary.activityEvents} new activity events, ${summary.nameChanges} name changes; ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s.`,
        );
      } catch (error) {
        recordFailure(describeWomFailure(error, settings.womGroupId));
        details.wom = { failed: true, code: errorFacts(error).code };
      }
    }

    if (discord) {
      const guildId = settings.discordGuildId as string;
      logger.start(`Discord: server ${guildId}`);
      try {
        const summary = await harvestDiscord({
          store,
          token: settings.discordToken as string,
          guildId,
          apiUrl: settings.discordApiUrl,
          relay: rules.relay,
          includeContent: rules.discord.storeMessageContent,
          since: options.since,
          runId,
          timeoutMs: settings.httpTimeoutMs,
          ...(signal === undefined ? {} : { signal }),
          onProgress: (progress) => {
            context.progress('Discord channels', progress.channelsDone, progress.channelsTotal);
          },
        });
        discordRequests = summary.requests;
        rateLimited += summary.rateLimited;
        details.discord = discordDetails(summary);
        counts.messages = summary.messages;
        for (const channel of summary.skipped) {
          logger.warn(
            `Discord: skipped #${channel.name} (${channel.reason}); see the run's problems.`,
          );
        }
        if (summary.contentAvailable === false) {
          logger.info(
            'Discord: message text is not readable (Message Content intent off); questions are recognised from replies and threads only.',
          );
        }
        if (!rules.discord.storeMessageContent) noteStoredContent(context, store);
        logger.success(
          `Discord: ${summary.messages} messages in ${summary.channels} channels and threads, ${summary.members} members; ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s.`,
        );
      } catch (error) {
        recordFailure(describeDiscordFailure(error, settings.discordGuildId));
        details.discord = { failed: true, code: errorFacts(error).code };
      }
    }

    try {
      const identity = applyIdentity(store, {
        cwd: context.cwd,
        ...(settings.discordGuildId === undefined ? {} : { guildId: settings.discordGuildId }),
      });
      details.identity = identityDetails(identity);
      for (const entry of identity.unresolved) {
        logger.warn(`Links file: ${entry.entry}: ${entry.reason}`);
      }
      logger.info(
        `Identity: ${identity.manual} manual links, ${identity.automatic.added + identity.automatic.kept} automatic links, ${identity.ambiguous} ambiguous names left unlinked ("clanstats link --unmatched" lists them).`,
      );
    } catch (error) {
      // A broken links file is the leader's to fix; the harvested data stays.
      recordFailure({
        source: 'identity',
        code: errorFacts(error).code,
        message: errorFacts(error).message,
        error,
      });
    }
  } catch (error) {
    store.runs.finish(runId, {
      status: 'failed',
      womRequests,
      discordRequests,
      rateLimited,
      errorCode: errorFacts(error).code,
      errorMessage: errorFacts(error).message,
      details,
    });
    throw error;
  }

  const sourcesFailed = failures.filter((failure) => failure.source !== 'identity').length;
  const status =
    failures.length === 0
      ? 'ok'
      : sourcesFailed === Number(wom) + Number(discord)
        ? 'failed'
        : 'partial';
  const first = failures[0];
  store.runs.finish(runId, {
    status,
    womRequests,
    discordRequests,
    rateLimited,
    errorCode: first?.code ?? null,
    errorMessage: first?.message ?? null,
    details,
  });
  counts.womRequests = womRequests;
  counts.discordRequests = discordRequests;
  counts.rateLimited = rateLimited;
  if (first !== undefined) {
    // A first harvest whose Wise Old Man half failed leaves no roster for the report.
    const reportable =
      !wom ||
      store.db.prepare('SELECT 1 FROM wom_groups WHERE id = ?').get(settings.womGroupId) !==
        undefined;
    const saved =
      status !== 'partial'
        ? ''
        : reportable
          ? ' The other source was harvested and saved.'
          : " The other source was harvested and saved, but the report and the dashboard need the group's roster from Wise Old Man: fix this and run again.";
    throw new SourceFailedError(
      failures.length === 1
        ? `${first.message}${saved}`
        : failures.map((failure) => failure.message).join(' '),
      status === 'partial',
      { cause: first.error, reportable },
    );
  }
  return { counts, details };
}
