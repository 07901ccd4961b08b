/**
 * `doctor`'s API reachability checks: one request each to Wise Old Man and Discord, with every
 * failure turned into a sentence that says what to fix.
 *
 * Both go through the clients the harvest uses: `@clanstats/wom-client` for Wise Old Man and
 * `@clanstats/discord-harvester` for Discord.
 */
import type { DiscordHarvesterError, GuildCheck } from '@clanstats/discord-harvester';
import type * as DiscordHarvesterModule from '@clanstats/discord-harvester';
import type { WomClientError } from '@clanstats/wom-client';

/** The outcome of one check, as `doctor` prints it. */
export interface CheckResult {
  /** `ok` ✔, `fail` ✖, `warn` ⚠ (does not fail doctor), `skip` – (not checked). */
  status: 'ok' | 'fail' | 'warn' | 'skip';
  /** What was checked and what was found, in one line. */
  title: string;
  /** What to do about it. */
  fix?: string;
}

/** The User-Agent sent with every request. */
export const USER_AGENT = `clanstats/${__PACKAGE_VERSION__} (+https://github.com/clanstats/clanstats)`;

/** A fetch function (the global one by default). */
export type FetchFunction = typeof fetch;

/** Options of {@link checkWiseOldMan}. */
export interface WiseOldManCheckOptions {
  /** `WOM_BASE_URL`, without a trailing slash. */
  baseUrl: string;
  /** `WOM_GROUP_ID`. */
  groupId: number;
  /** `WOM_API_KEY`, sent as `x-api-key` when set. */
  apiKey: string | undefined;
  /** Request timeout in milliseconds. */
  timeoutMs: number;
  /** Injected in tests; the global `fetch` otherwise. */
  fetch?: FetchFunction;
}

function describeWomError(error: WomClientError, options: WiseOldManCheckOptions): CheckResult {
  const { groupId, timeoutMs } = options;
  const origin = new URL(options.baseUrl).origin;
  const status = error.status;
  const unreachable =
    'check your internet connection and WOM_BASE_URL (unset it for the default); if WOM is down, try again later';
  if (error.code === 'GROUP_NOT_FOUND') {
    return {
      status: 'fail',
      title: `Wise Old Man: group ${groupId} does not exist (HTTP ${status ?? 404})`,
      fix: "check WOM_GROUP_ID: it is the number in your group's URL, https://wiseoldman.net/groups/<number>",
    };
  }
  if (error.code === 'INVALID_API_KEY' || status === 401 || status === 403) {
    return {
      status: 'fail',
      title: `Wise Old Man rejected the API key (HTTP ${status ?? 403})`,
      fix: 'check WOM_API_KEY, or unset it to use WOM without a key (at most 20 requests a minute)',
    };
  }
  if (error.code === 'RATE_LIMITED' || status === 429) {
    return {
      status: 'fail',
      title: 'Wise Old Man: rate limited (HTTP 429)',
      fix: 'wait a minute and run doctor again; set WOM_API_KEY for a higher limit',
    };
  }
  if (error.code === 'TIMEOUT') {
    return {
      status: 'fail',
      title: `Wise Old Man: no answer from ${origin} within ${timeoutMs / 1000} s`,
      fix: unreachable,
    };
  }
  if (error.code === 'NETWORK_ERROR') {
    return {
      status: 'fail',
      title: `Wise Old Man: could not connect to ${origin} (${networkReason(error) ?? error.message})`,
      fix: unreachable,
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      status: 'fail',
      title: `Wise Old Man is having problems (HTTP ${status})`,
      fix: 'try again later',
    };
  }
  return {
    status: 'fail',
    title: `Wise Old Man answered ${status === undefined ? error.code : `HTTP ${status} ${error.code}`} for ${error.url}`,
    fix: 'check WOM_BASE_URL (unset it for the default) and WOM_GROUP_ID',
  };
}

/**
 * `GET {WOM_BASE_URL}/groups/{WOM_GROUP_ID}` through `@clanstats/wom-client`, the client the
 * harvest uses (same headers, same error codes), with no retries.
 */
export async function checkWiseOldMan(options: WiseOldManCheckOptions): Promise<CheckResult> {
  const { groupId } = options;
  // Loaded on demand, like the Discord harvester: only doctor needs it in the orchestrator process.
  const { WomClient, isWomClientError } = await import('@clanstats/wom-client');
  const client = new WomClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    userAgent: USER_AGENT,
    timeout: options.timeoutMs,
    retry: false,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  try {
    const group = await client.groups.getDetails(groupId);
    return {
      status: 'ok',
      title: `Wise Old Man: group ${groupId} "${group.name}" (${group.memberCount} members) found`,
    };
  } catch (error) {
    if (isWomClientError(error)) return describeWomError(error, options);
    throw error;
  }
}

/** Options of {@link checkDiscord}. */
export interface DiscordCheckOptions {
  /** `DISCORD_API_URL`, without a trailing slash (e.g. `https://discord.com/api`). */
  apiUrl: string;
  /** `DISCORD_TOKEN`. */
  token: string;
  /** `DISCORD_GUILD_ID`. */
  guildId: string;
  /** Request timeout in milliseconds. */
  timeoutMs: number;
}

/** The innermost `code` (e.g. `ECONNREFUSED`) in an error's cause chain. */
function networkReason(error: unknown): string | undefined {
  let reason: string | undefined;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') reason = code;
    cause = cause.cause;
  }
  return reason;
}

function describeHarvesterError(
  error: DiscordHarvesterError,
  options: DiscordCheckOptions,
): CheckResult {
  const origin = new URL(options.apiUrl).origin;
  switch (error.code) {
    case 'UNAUTHORIZED':
      return {
        status: 'fail',
        title: 'Discord rejected DISCORD_TOKEN (HTTP 401 Unauthorized)',
        fix: 'open https://discord.com/developers/applications → your bot → Bot → Reset Token, and put the new token in DISCORD_TOKEN (without "Bot ")',
      };
    case 'GUILD_NOT_FOUND':
      return {
        status: 'fail',
        title: `Discord: server ${options.guildId} was not found (HTTP 404)`,
        fix: 'check DISCORD_GUILD_ID (Developer Mode on, right-click the server, Copy Server ID)',
      };
    case 'FORBIDDEN':
      return {
        status: 'fail',
        title: `Discord: the bot has no access to server ${options.guildId} (HTTP ${error.status ?? 403})`,
        fix: 'invite the bot to the server (Developer Portal → OAuth2 → URL Generator, scope "bot"), or check DISCORD_GUILD_ID',
      };
    case 'TIMEOUT':
      return {
        status: 'fail',
        title: `Discord: no answer from ${origin} within ${options.timeoutMs / 1000} s`,
        fix: 'check your internet connection and DISCORD_API_URL (unset it for the default)',
      };
    case 'NETWORK':
      return {
        status: 'fail',
        title: `Discord: could not connect to ${origin} (${networkReason(error) ?? error.message})`,
        fix: 'check your internet connection and DISCORD_API_URL (unset it for the default)',
      };
    case 'RATE_LIMITED':
      return {
        status: 'fail',
        title: 'Discord: rate limited (HTTP 429)',
        fix: 'wait a minute and run doctor again',
      };
    default:
      return {
        status: 'fail',
        title: `Discord: ${error.message}`,
        fix: 'check DISCORD_API_URL (unset it for the default); if Discord is down, try again later',
      };
  }
}

/**
 * Loads `@clanstats/discord-harvester` (and discord.js) on demand: the orchestrator needs it only
 * for `doctor` and to check `DISCORD_WEBHOOK_URL`, so other commands start without it.
 */
export function loadDiscordHarvester(): Promise<typeof DiscordHarvesterModule> {
  return import('@clanstats/discord-harvester');
}

/**
 * Checks the Discord bot with the harvester's own client (`DiscordHarvester.check()`: the bot's
 * user, the server, the bot's roles and permissions), then whether the Server Members intent is on
 * (one `GET /guilds/{id}/members` page).
 */
export async function checkDiscord(options: DiscordCheckOptions): Promise<CheckResult[]> {
  const { DiscordHarvester, isDiscordHarvesterError } = await loadDiscordHarvester();
  const harvester = new DiscordHarvester({
    token: options.token,
    guildId: options.guildId,
    api: options.apiUrl,
    timeoutMs: options.timeoutMs,
    retries: 0,
    maxRateLimitHits: 1,
  });
  let check: GuildCheck;
  try {
    check = await harvester.check();
  } catch (error) {
    if (isDiscordHarvesterError(error)) return [describeHarvesterError(error, options)];
    throw error;
  }
  const results: CheckResult[] = [
    check.bot.bot
      ? { status: 'ok', title: `Discord: logged in as bot "${check.bot.username}"` }
      : {
          status: 'warn',
          title: `Discord: DISCORD_TOKEN belongs to "${check.bot.username}", which is not a bot`,
          fix: "use a bot token: user tokens (self-bots) break Discord's terms of service",
        },
    {
      status: 'ok',
      title: `Discord: the bot can see server ${check.guild.id} "${check.guild.name}"`,
    },
  ];
  const { permissions } = check;
  const missing = [
    permissions.viewChannel ? undefined : 'View Channels',
    permissions.readMessageHistory ? undefined : 'Read Message History',
  ].filter((name): name is string => name !== undefined);
  results.push(
    missing.length === 0
      ? {
          status: 'ok',
          title: `Discord: the bot may read message history${permissions.manageThreads ? ', including private threads' : ''}`,
        }
      : {
          status: 'warn',
          title: `Discord: the bot's roles lack ${missing.join(' and ')} server-wide; only channels that allow it will be read`,
          fix: "Server Settings → Roles → the bot's role: allow View Channels and Read Message History",
        },
  );
  try {
    for await (const page of harvester.members()) {
      results.push(
        page.source === 'members-list'
          ? {
              status: 'ok',
              title: 'Discord: the Server Members intent is on (nicknames for everyone)',
            }
          : {
              status: 'warn',
              title:
                'Discord: the Server Members intent is off; nicknames only for people who posted',
              fix: 'Developer Portal → your bot → Bot → Privileged Gateway Intents: turn on Server Members Intent',
            },
      );
      break;
    }
  } catch (error) {
    if (!isDiscordHarvesterError(error)) throw error;
    results.push({ ...describeHarvesterError(error, options), status: 'warn' });
  }
  return results;
}
