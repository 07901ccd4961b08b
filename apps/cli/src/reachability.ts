/**
 * `doctor`'s API reachability checks: one request each to Wise Old Man and Discord, with every
 * failure turned into a sentence that says what to fix.
 *
 * TODO(issue 3, issue 4): replace these plain `fetch` calls with `@clanstats/wom-client`
 * (issue 3) and the Discord harvester's REST client (issue 4) once they exist, so doctor tests
 * exactly the code the harvest uses.
 */

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

interface HttpOutcome {
  response?: Response;
  body?: unknown;
  failure?: string;
}

function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${new URL(url).origin} within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const reason = cause?.code ?? (error instanceof Error ? error.message : String(error));
  return `could not connect to ${new URL(url).origin} (${reason})`;
}

async function request(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  fetchFunction: FetchFunction,
): Promise<HttpOutcome> {
  try {
    const response = await fetchFunction(url, {
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    return { response, body };
  } catch (error) {
    return { failure: describeNetworkError(error, url, timeoutMs) };
  }
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

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

/** `GET {WOM_BASE_URL}/groups/{WOM_GROUP_ID}`. */
export async function checkWiseOldMan(options: WiseOldManCheckOptions): Promise<CheckResult> {
  const { baseUrl, groupId, apiKey, timeoutMs } = options;
  const url = `${baseUrl}/groups/${groupId}`;
  const headers: Record<string, string> = apiKey === undefined ? {} : { 'x-api-key': apiKey };
  const outcome = await request(url, headers, timeoutMs, options.fetch ?? fetch);
  const { response, body } = outcome;
  if (response === undefined) {
    return {
      status: 'fail',
      title: `Wise Old Man: ${outcome.failure ?? 'request failed'}`,
      fix: 'check your internet connection and WOM_BASE_URL (unset it for the default); if WOM is down, try again later',
    };
  }
  const status = response.status;
  if (response.ok) {
    const name = field(body, 'name');
    const memberCount = field(body, 'memberCount');
    const description =
      typeof name === 'string'
        ? `group ${groupId} "${name}"${typeof memberCount === 'number' ? ` (${memberCount} members)` : ''}`
        : `group ${groupId}`;
    return { status: 'ok', title: `Wise Old Man: ${description} found` };
  }
  if (status === 404) {
    return {
      status: 'fail',
      title: `Wise Old Man: group ${groupId} does not exist (HTTP 404)`,
      fix: "check WOM_GROUP_ID: it is the number in your group's URL, https://wiseoldman.net/groups/<number>",
    };
  }
  if (status === 401 || status === 403) {
    return {
      status: 'fail',
      title: `Wise Old Man rejected the API key (HTTP ${status})`,
      fix: 'check WOM_API_KEY, or unset it to use WOM without a key (at most 20 requests a minute)',
    };
  }
  if (status === 429) {
    return {
      status: 'fail',
      title: 'Wise Old Man: rate limited (HTTP 429)',
      fix: 'wait a minute and run doctor again; set WOM_API_KEY for a higher limit',
    };
  }
  if (status >= 500) {
    return {
      status: 'fail',
      title: `Wise Old Man is having problems (HTTP ${status})`,
      fix: 'try again later',
    };
  }
  return {
    status: 'fail',
    title: `Wise Old Man answered HTTP ${status} for ${url}`,
    fix: 'check WOM_BASE_URL (unset it for the default) and WOM_GROUP_ID',
  };
}

/** Options of {@link checkDiscord}. */
export interface DiscordCheckOptions {
  /** `DISCORD_API_URL`, without a trailing slash. */
  apiUrl: string;
  /** `DISCORD_TOKEN`. */
  token: string;
  /** `DISCORD_GUILD_ID`, or `undefined` to check the token only. */
  guildId: string | undefined;
  /** Request timeout in milliseconds. */
  timeoutMs: number;
  /** Injected in tests; the global `fetch` otherwise. */
  fetch?: FetchFunction;
}

/** `GET {DISCORD_API_URL}/v10/users/@me`, then `GET /v10/guilds/{DISCORD_GUILD_ID}`. */
export async function checkDiscord(options: DiscordCheckOptions): Promise<CheckResult[]> {
  const { apiUrl, token, guildId, timeoutMs } = options;
  const fetchFunction = options.fetch ?? fetch;
  const headers = { authorization: `Bot ${token}` };
  const unreachable = (failure: string | undefined): CheckResult => ({
    status: 'fail',
    title: `Discord: ${failure ?? 'request failed'}`,
    fix: 'check your internet connection and DISCORD_API_URL (unset it for the default)',
  });

  const me = await request(`${apiUrl}/v10/users/@me`, headers, timeoutMs, fetchFunction);
  if (me.response === undefined) return [unreachable(me.failure)];
  const results: CheckResult[] = [];
  const meStatus = me.response.status;
  if (meStatus === 401) {
    return [
      {
        status: 'fail',
        title: 'Discord rejected DISCORD_TOKEN (HTTP 401 Unauthorized)',
        fix: 'open https://discord.com/developers/applications → your bot → Bot → Reset Token, and put the new token in DISCORD_TOKEN (without "Bot ")',
      },
    ];
  }
  if (!me.response.ok) {
    return [
      {
        status: 'fail',
        title: `Discord answered HTTP ${meStatus} for the bot's own user`,
        fix:
          meStatus === 429
            ? 'rate limited: wait a minute and run doctor again'
            : 'check DISCORD_API_URL (unset it for the default); if Discord is down, try again later',
      },
    ];
  }
  const username = field(me.body, 'username');
  const isBot = field(me.body, 'bot') === true;
  results.push(
    isBot
      ? { status: 'ok', title: `Discord: logged in as bot "${String(username)}"` }
      : {
          status: 'warn',
          title: `Discord: DISCORD_TOKEN belongs to "${String(username)}", which is not a bot`,
          fix: "use a bot token: user tokens (self-bots) break Discord's terms of service",
        },
  );

  if (guildId === undefined) return results;
  const guild = await request(`${apiUrl}/v10/guilds/${guildId}`, headers, timeoutMs, fetchFunction);
  if (guild.response === undefined) return [...results, unreachable(guild.failure)];
  const guildStatus = guild.response.status;
  if (guild.response.ok) {
    const name = field(guild.body, 'name');
    results.push({
      status: 'ok',
      title: `Discord: the bot can see server ${guildId}${typeof name === 'string' ? ` "${name}"` : ''}`,
    });
  } else if (guildStatus === 404) {
    results.push({
      status: 'fail',
      title: `Discord: server ${guildId} was not found (HTTP 404)`,
      fix: 'check DISCORD_GUILD_ID (Developer Mode on, right-click the server, Copy Server ID)',
    });
  } else if (guildStatus === 403) {
    results.push({
      status: 'fail',
      title: `Discord: the bot has no access to server ${guildId} (HTTP 403)`,
      fix: 'invite the bot to the server (Developer Portal → OAuth2 → URL Generator, scope "bot"), or check DISCORD_GUILD_ID',
    });
  } else {
    results.push({
      status: 'fail',
      title: `Discord answered HTTP ${guildStatus} for server ${guildId}`,
      fix: 'try again later; check DISCORD_GUILD_ID',
    });
  }
  return results;
}
