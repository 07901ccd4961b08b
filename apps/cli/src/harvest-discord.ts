/**
 * The Discord half of `clanstats harvest`: harvests the guild with `@clanstats/discord-harvester`,
 * resuming from the store's checkpoints, and writes everything it yields into the store (guild,
 * channels and threads, message pages with their authors, relay lines and checkpoints, members).
 * Channels the bot cannot read become run problems. It never prints: it reports through
 * `onProgress` and its return value.
 */
import {
  DiscordHarvester,
  type ChannelSkipReason,
  type HarvestChannel,
  type RelayRule,
} from '@clanstats/discord-harvester';
import type { ChannelRecord, Store } from '@clanstats/store';
import type { RelayRules } from './config.js';

/** Progress of {@link harvestDiscord}, reported after each page and each finished channel. */
export interface DiscordHarvestProgress {
  /** Channels and threads finished or skipped so far. */
  channelsDone: number;
  /** Channels and threads found so far that hold messages (grows as threads are discovered). */
  channelsTotal: number;
  /** Messages harvested so far. */
  messages: number;
}

/** Options of {@link harvestDiscord}. */
export interface HarvestDiscordOptions {
  /** A migrated store. */
  store: Store;
  /** The bot token. Sent only as the `Authorization` header; never in the result or errors. */
  token: string;
  /** The guild (server) to harvest. */
  guildId: string;
  /** The API base URL without the version, such as `https://discord.com/api`. */
  apiUrl: string;
  /** The clan's relay rules (`relay` in `clanstats.config.json`). */
  relay: RelayRules;
  /** The backfill start (epoch ms); default the whole history. */
  since?: number | undefined;
  /**
   * Store message text too.
   * @defaultValue `false`
   */
  includeContent?: boolean;
  /** The run record that channel problems are added to; without it they are only returned. */
  runId?: number;
  /** Stops the harvest (the checkpoints of the pages written so far are kept). */
  signal?: AbortSignal;
  /** Called after each page and each finished or skipped channel. */
  onProgress?: (progress: DiscordHarvestProgress) => void;
  /** The time limit of each request attempt, in milliseconds. */
  timeoutMs?: number;
}

/** A channel or thread that was not harvested. */
export interface SkippedChannel {
  channelId: string;
  name: string;
  reason: ChannelSkipReason;
}

/** What {@link harvestDiscord} did. */
export interface DiscordHarvestSummary {
  /** HTTP requests sent (message pages, discovery and members; retries and 429s included). */
  requests: number;
  /** HTTP 429 responses received. */
  rateLimited: number;
  /** Messages harvested (new, or re-read on a resumed page). */
  messages: number;
  /** Message pages written. */
  pages: number;
  /** Channels and threads finished. */
  channels: number;
  /** Channels and threads the bot could not read. */
  skipped: SkippedChannel[];
  /** Members stored. */
  members: number;
  /** Where the members came from: the member list, or one lookup per known author. */
  membersSource: 'members-list' | 'lookup';
  /** Whether message text was readable (Message Content intent); `null` when no page was read. */
  contentAvailable: boolean | null;
  /** The whole harvest, members included, in milliseconds. */
  durationMs: number;
}

/** Channel types that hold no messages of their own: categories, forums and media channels. */
const CONTAINER_TYPES = new Set([4, 15, 16]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Maps the clan's relay settings to the harvester's rules: one rule per relay channel, matching
 * the bots by id or by name (case-insensitively, whole name).
 */
export function toRelayRules(relay: RelayRules): RelayRule[] {
  const [onlyName, ...otherNames] = relay.botNames;
  let authorName: string | RegExp | undefined;
  if (onlyName !== undefined && otherNames.length === 0) authorName = onlyName;
  else if (onlyName !== undefined) {
    authorName = new RegExp(`^(?:${relay.botNames.map(escapeRegExp).join('|')})$`, 'i');
  }
  return relay.channelIds.map((channelId) => ({
    channelId,
    ...(relay.botUserIds.length > 0 ? { authorIds: [...relay.botUserIds] } : {}),
    ...(authorName === undefined ? {} : { authorName }),
  }));
}

/** A harvested channel as the store keeps it. */
export function toChannelRecord(channel: HarvestChannel): ChannelRecord {
  return {
    id: channel.id,
    guildId: channel.guildId,
    parentId: channel.parentId,
    type: channel.type,
    name: channel.name,
    isThread: channel.isThread,
    archived: channel.archived,
    archiveTimestamp: channel.archiveTimestamp,
    lastMessageId: channel.lastMessageId,
    ownerId: channel.ownerId,
  };
}

/** Why a channel was skipped and what to grant, in words, naming it by `#name`. */
export function describeSkip(channel: HarvestChannel, reason: ChannelSkipReason): string {
  const what = `${channel.isThread ? 'thread' : 'channel'} #${channel.name}`;
  switch (reason) {
    case 'missing-access':
      return `The bot cannot see ${what}: give its role View Channel there${channel.type === 2 || channel.type === 13 ? ' and Connect' : ''} (Edit Channel → Permissions).`;
    case 'no-read-history':
      return `The bot cannot read the history of ${what}: give its role Read Message History there (Edit Channel → Permissions).`;
    case 'not-joined':
      return `The bot has not joined the private ${what}: add the bot to the thread, or give its role Manage Threads on the parent channel.`;
    case 'unknown-channel':
      return `The ${what} was deleted during the harvest; nothing to grant.`;
  }
}

/** The distinct authors of the guild's stored messages, webhooks left out (they are no members). */
function knownAuthors(store: Store, guildId: string): string[] {
  return store.db
    .prepare<[string], { id: string }>(
      `SELECT DISTINCT CAST(m.author_id AS TEXT) AS id FROM discord_messages m
       JOIN discord_channels c ON c.id = m.channel_id
       WHERE c.guild_id = CAST(? AS INTEGER) AND m.is_webhook = 0`,
    )
    .all(guildId)
    .map((row) => row.id);
}

/**
 * Harvests the guild into the store: new messages since each channel's checkpoint (or the
 * backfill from `since`), then the members. Each page is written in one transaction with its
 * checkpoint, so an interrupted harvest resumes where it stopped.
 * @throws `DiscordHarvesterError` for a fatal Discord problem (bad token, unknown guild, rate
 * limits that do not end, abort); `StoreError` when a write fails. Neither contains the token.
 */
export async function harvestDiscord(
  options: HarvestDiscordOptions,
): Promise<DiscordHarvestSummary> {
  const { store, guildId, signal, onProgress } = options;
  const started = performance.now();
  let requests = 0;
  let rateLimited = 0;
  let membersSource: DiscordHarvestSummary['membersSource'] = 'members-list';
  const harvester = new DiscordHarvester({
    token: options.token,
    guildId,
    api: options.apiUrl,
    includeContent: options.includeContent ?? false,
    relay: toRelayRules(options.relay),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onEvent: (event) => {
      if (event.type === 'request') requests += 1;
      else if (event.type === 'rate-limited') rateLimited += 1;
      else if (event.type === 'members-fallback') membersSource = 'lookup';
    },
  });

  const run = harvester.harvest({
    checkpoints: store.discord,
    since: options.since,
    signal,
  });
  const listed = new Set<string>();
  const skipped: SkippedChannel[] = [];
  let channelsDone = 0;
  let contentAvailable: boolean | null = null;
  const report = (): void => {
    onProgress?.({
      channelsDone,
      channelsTotal: Math.max(listed.size, channelsDone),
      messages: run.stats.messages,
    });
  };
  for await (const item of run) {
    switch (item.type) {
      case 'guild':
        store.discord.upsertGuild(item.guild);
        break;
      case 'channels':
        store.discord.upsertChannels(item.channels.map(toChannelRecord));
        for (const channel of item.channels) {
          if (!CONTAINER_TYPES.has(channel.type)) listed.add(channel.id);
        }
        break;
      case 'messages':
        store.discord.writePage(item);
        contentAvailable = (contentAvailable ?? true) && item.contentAvailable;
        report();
        break;
      case 'channel-skipped': {
        const { channel, reason } = item;
        skipped.push({ channelId: channel.id, name: channel.name, reason });
        if (options.runId !== undefined) {
          store.runs.addProblem(options.runId, {
            source: 'discord',
            scope: channel.id,
            code: reason,
            message: describeSkip(channel, reason),
          });
        }
        if (!CONTAINER_TYPES.has(channel.type)) channelsDone += 1;
        report();
        break;
      }
      case 'channel-done':
        channelsDone += 1;
        report();
        break;
    }
  }

  let members = 0;
  const membersOptions = {
    knownUserIds: knownAuthors(store, guildId),
    ...(signal === undefined ? {} : { signal }),
  };
  for await (const page of harvester.members(membersOptions)) {
    membersSource = page.source;
    if (page.members.length === 0) continue;
    store.transaction(() => {
      store.discord.upsertUsers(page.members.map((member) => member.user));
      store.discord.upsertMembers(guildId, page.members);
    });
    members += page.members.length;
  }

  return {
    requests,
    rateLimited,
    messages: run.stats.messages,
    pages: run.stats.pages,
    channels: run.stats.channels,
    skipped,
    members,
    membersSource,
    contentAvailable,
    durationMs: Math.round(performance.now() - started),
  };
}
