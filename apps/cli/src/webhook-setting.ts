/**
 * `DISCORD_WEBHOOK_URL`: its form is checked with `@clanstats/discord-harvester`'s own
 * `parseWebhookUrl`, the parser the post uses, so a URL accepted at start-up is one the post can
 * use. The value (it holds the webhook's token) is never shown.
 */
import { ConfigError, type ConfigIssue } from './errors.js';
import { loadDiscordHarvester } from './reachability.js';
import { WEBHOOK_HOW_TO_SET, type Environment } from './settings.js';

/** `parseWebhookUrl` of `@clanstats/discord-harvester`. */
export type ParseWebhookUrl = (url: string) => { id: string; token: string; apiBase: string };

/**
 * What is wrong with a `DISCORD_WEBHOOK_URL` value, naming the setting but never showing the value
 * (`DISCORD_WEBHOOK_URL is not a Discord webhook URL: only https is allowed…`); `undefined` when it
 * is unset or valid.
 */
export function webhookUrlProblem(
  raw: string | undefined,
  parseWebhookUrl: ParseWebhookUrl,
): string | undefined {
  const value = raw?.trim();
  if (value === undefined || value === '') return undefined;
  try {
    parseWebhookUrl(value);
    return undefined;
  } catch (error) {
    // The parser's messages never contain the token.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /^Invalid webhook URL: /,
      '',
    );
    return `DISCORD_WEBHOOK_URL is not a Discord webhook URL: ${reason}`;
  }
}

/** {@link webhookUrlProblem} as a configuration issue, with how to get a webhook URL. */
export function webhookUrlIssue(
  raw: string | undefined,
  parseWebhookUrl: ParseWebhookUrl,
): ConfigIssue | undefined {
  const problem = webhookUrlProblem(raw, parseWebhookUrl);
  return problem === undefined
    ? undefined
    : { setting: 'DISCORD_WEBHOOK_URL', message: `${problem}; ${WEBHOOK_HOW_TO_SET}` };
}

/**
 * Checks `DISCORD_WEBHOOK_URL` when it is set, loading the Discord client only then.
 * @throws {@link ConfigError} (`CONFIG_INVALID`) naming the setting.
 */
export async function checkWebhookSetting(env: Environment): Promise<void> {
  const raw = env.DISCORD_WEBHOOK_URL;
  if (raw === undefined || raw.trim() === '') return;
  const { parseWebhookUrl } = await loadDiscordHarvester();
  const issue = webhookUrlIssue(raw, parseWebhookUrl);
  if (issue !== undefined) throw new ConfigError([issue], 'environment');
}
