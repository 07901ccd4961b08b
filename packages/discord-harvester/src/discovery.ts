/**
 * Discovery: the bot's identity and permissions, the guild's channels, and every thread and forum
 * post (active, archived public, archived private), each once.
 */
import { isDiscordHarvesterError } from './errors.js';
import {
  canManageThreads,
  channelAccess,
  computeBasePermissions,
  computeChannelPermissions,
  type PermissionOverwrite,
} from './permissions.js';
import type { RequestTracker, RestClient } from './rest.js';
import type { ChannelSkipReason, HarvestChannel } from './types.js';
import {
  parseChannels,
  parseGuild,
  parseMember,
  parseThreadList,
  parseUser,
  type WireChannel,
  type WireGuild,
  type WireUser,
} from './wire.js';

/** Channel types whose messages are paged directly. */
export const MESSAGE_CHANNEL_TYPES: ReadonlySet<number> = new Set([0, 2, 5, 13]);
/** Thread types: announcement thread, public thread, private thread. */
export const THREAD_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);
/** Channels that can have threads (text, announcement) or posts (forum, media). */
const THREAD_PARENT_TYPES: ReadonlySet<number> = new Set([0, 5, 15, 16]);
/** Forum and media channels: only posts (threads), never messages of their own. */
export const POST_PARENT_TYPES: ReadonlySet<number> = new Set([15, 16]);
const CATEGORY_TYPE = 4;
const PRIVATE_THREAD_TYPE = 12;
const ARCHIVED_PAGE_LIMIT = 100;

/** A channel or thread to harvest. */
export interface HarvestTarget {
  channel: HarvestChannel;
  /** A forum or media post. */
  isPost: boolean;
}

/** A channel or thread that will not be harvested, decided without a request. */
export interface SkippedChannel {
  channel: HarvestChannel;
  reason: ChannelSkipReason;
}

/** Everything discovery learned. */
export interface Discovery {
  guild: WireGuild;
  bot: WireUser;
  botRoles: string[];
  /** Every channel and thread listed (restricted to the selection, when there is one). */
  channels: HarvestChannel[];
  targets: HarvestTarget[];
  skipped: SkippedChannel[];
  /** Every thread id seen, harvestable or not (for deduplication of later finds). */
  knownIds: Set<string>;
  /** The ids that may be harvested when a selection was given; `undefined` for everything. */
  selection: ReadonlySet<string> | undefined;
  /** Access and types of parent channels, for threads found later. */
  parents: Map<string, ParentInfo>;
  /** Requests discovery took. */
  requests: number;
}

/** What a thread inherits from its parent channel. */
export interface ParentInfo {
  type: number;
  access: ChannelSkipReason | 'ok';
  manageThreads: boolean;
}

/** Converts a wire channel or thread. */
export function toHarvestChannel(channel: WireChannel, guildId: string): HarvestChannel {
  const isThread = THREAD_TYPES.has(channel.type);
  const archiveTimestamp =
    channel.thread_metadata?.archive_timestamp === null || channel.thread_metadata === null
      ? null
      : Date.parse(channel.thread_metadata.archive_timestamp);
  return {
    id: channel.id,
    guildId,
    parentId: channel.parent_id,
    type: channel.type,
    name: channel.name,
    isThread,
    archived: channel.thread_metadata?.archived ?? false,
    archiveTimestamp:
      archiveTimestamp === null || Number.isNaN(archiveTimestamp) ? null : archiveTimestamp,
    lastMessageId: channel.last_message_id,
    ownerId: isThread ? channel.owner_id : null,
  };
}

function overwritesOf(channel: WireChannel): PermissionOverwrite[] {
  return channel.permission_overwrites.map((overwrite) => ({
    id: overwrite.id,
    type: overwrite.type === 1 ? 1 : 0,
    allow: overwrite.allow,
    deny: overwrite.deny,
  }));
}

/** Runs `work` over `items` with at most `concurrency` at a time; rejects with the first error. */
async function forEachLimited<Item>(
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const runner = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next] as Item;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runner));
  if (failure !== undefined) throw failure.error;
}

/** Decides whether a thread can be read, from its parent's access. */
export function threadAccess(
  thread: WireChannel,
  parent: ParentInfo | undefined,
  joined: boolean,
): ChannelSkipReason | 'ok' {
  if (parent === undefined) return 'missing-access';
  if (parent.access !== 'ok') return parent.access;
  if (thread.type === PRIVATE_THREAD_TYPE && !joined && !parent.manageThreads) return 'not-joined';
  return 'ok';
}

/** Options of {@link discover}. */
export interface DiscoverOptions {
  guildId: string;
  channelIds: readonly string[] | undefined;
  concurrency: number;
}

/** Discovers the bot, the guild, its channels and every thread, with the bot's access to each. */
export async function discover(
  client: RestClient,
  tracker: RequestTracker,
  options: DiscoverOptions,
): Promise<Discovery> {
  const { guildId } = options;
  const requestsBefore = tracker.requests;
  const get = (
    route: string,
    path: `/${string}`,
    query?: Record<string, string>,
    channelId?: string,
  ) => client.get(tracker, { route, path, query, channelId });
  const origin = (route: string, path: string, channelId?: string) => ({
    url: path,
    route,
    channelId,
  });

  const bot = parseUser(
    await get('GET /users/@me', '/users/@me'),
    origin('GET /users/@me', '/users/@me'),
  );
  const guildPath = `/guilds/${guildId}` as const;
  const guild = parseGuild(
    await get('GET /guilds/:id', guildPath),
    origin('GET /guilds/:id', guildPath),
  );
  const memberPath = `/guilds/${guildId}/members/${bot.id}` as const;
  const member = parseMember(
    await get('GET /guilds/:id/members/:id', memberPath),
    origin('GET /guilds/:id/members/:id', memberPath),
  );
  const channelsPath = `/guilds/${guildId}/channels` as const;
  const wireChannels = parseChannels(
    await get('GET /guilds/:id/channels', channelsPath),
    origin('GET /guilds/:id/channels', channelsPath),
  ).filter((channel) => !THREAD_TYPES.has(channel.type));
  const activePath = `/guilds/${guildId}/threads/active` as const;
  const active = parseThreadList(
    await get('GET /guilds/:id/threads/active', activePath),
    origin('GET /guilds/:id/threads/active', activePath),
  );

  const base = computeBasePermissions({
    guildId,
    ownerId: guild.owner_id,
    userId: bot.id,
    roles: guild.roles,
    memberRoleIds: member.roles,
  });

  // Access of every channel, from its permission overwrites.
  const parents = new Map<string, ParentInfo>();
  const channelById = new Map<string, WireChannel>();
  wireChannels.sort(
    (left, right) => left.position - right.position || compareIds(left.id, right.id),
  );
  for (const channel of wireChannels) {
    channelById.set(channel.id, channel);
    const permissions = computeChannelPermissions(base, {
      guildId,
      userId: bot.id,
      memberRoleIds: member.roles,
      overwrites: overwritesOf(channel),
    });
    parents.set(channel.id, {
      type: channel.type,
      access: channelAccess(permissions, channel.type),
      manageThreads: canManageThreads(permissions),
    });
  }

  // The selection: channels named, threads named, and threads of named channels.
  const requested = options.channelIds === undefined ? undefined : new Set(options.channelIds);
  const isSelectedParent = (id: string): boolean => requested === undefined || requested.has(id);

  // Threads: active ones, then archived ones per readable parent.
  const threads = new Map<string, { thread: WireChannel; joined: boolean }>();
  const addThread = (thread: WireChannel, joined: boolean): void => {
    if (thread.parent_id === null || !channelById.has(thread.parent_id)) return;
    const known = threads.get(thread.id);
    if (known === undefined) threads.set(thread.id, { thread, joined });
    else if (joined) known.joined = true;
  };
  for (const thread of active.threads) addThread(thread, active.joined.has(thread.id));

  const unknownRequested =
    requested !== undefined &&
    [...requested].some((id) => !channelById.has(id) && !threads.has(id));
  const parentsToScan = wireChannels.filter((channel) => {
    const info = parents.get(channel.id);
    return (
      THREAD_PARENT_TYPES.has(channel.type) &&
      info?.access === 'ok' &&
      (unknownRequested || isSelectedParent(channel.id))
    );
  });

  await forEachLimited(parentsToScan, options.concurrency, async (parent) => {
    const info = parents.get(parent.id);
    await listArchived(client, tracker, parent.id, 'public', (thread) => {
      addThread(thread, false);
    });
    if (parent.type === 0) {
      if (info?.manageThreads === true) {
        await listArchived(client, tracker, parent.id, 'private', (thread) => {
          addThread(thread, false);
        });
      } else {
        await listArchived(client, tracker, parent.id, 'joined', (thread) => {
          addThread(thread, true);
        });
      }
    }
  });

  // Build the result in a stable order: channels by position, then threads by id.
  const channels: HarvestChannel[] = [];
  const targets: HarvestTarget[] = [];
  const skipped: SkippedChannel[] = [];
  const selectedThread = (thread: WireChannel): boolean =>
    requested === undefined ||
    requested.has(thread.id) ||
    (thread.parent_id !== null && requested.has(thread.parent_id));
  const selectedThreads = [...threads.values()]
    .filter(({ thread }) => selectedThread(thread))
    .sort((left, right) => compareIds(left.thread.id, right.thread.id));
  const listedParents = new Set(selectedThreads.map(({ thread }) => thread.parent_id));

  for (const channel of wireChannels) {
    if (requested !== undefined && !requested.has(channel.id) && !listedParents.has(channel.id))
      continue;
    const harvestChannel = toHarvestChannel(channel, guildId);
    channels.push(harvestChannel);
    if (requested !== undefined && !requested.has(channel.id)) continue;
    if (channel.type === CATEGORY_TYPE) continue;
    const access = parents.get(channel.id)?.access ?? 'missing-access';
    if (access !== 'ok') {
      if (MESSAGE_CHANNEL_TYPES.has(channel.type) || POST_PARENT_TYPES.has(channel.type))
        skipped.push({ channel: harvestChannel, reason: access });
      continue;
    }
    if (MESSAGE_CHANNEL_TYPES.has(channel.type))
      targets.push({ channel: harvestChannel, isPost: false });
  }
  for (const { thread, joined } of selectedThreads) {
    const harvestChannel = toHarvestChannel(thread, guildId);
    channels.push(harvestChannel);
    const parent = thread.parent_id === null ? undefined : parents.get(thread.parent_id);
    const access = threadAccess(thread, parent, joined);
    if (access !== 'ok') skipped.push({ channel: harvestChannel, reason: access });
    else
      targets.push({
        channel: harvestChannel,
        isPost: parent !== undefined && POST_PARENT_TYPES.has(parent.type),
      });
  }

  return {
    guild,
    bot,
    botRoles: member.roles,
    channels,
    targets,
    skipped,
    knownIds: new Set([...threads.keys(), ...channelById.keys()]),
    selection: requested,
    parents,
    requests: tracker.requests - requestsBefore,
  };
}

function compareIds(left: string, right: string): number {
  const difference = BigInt(left) - BigInt(right);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/**
 * Pages one archived-thread list of a parent until `has_more` is false: public and private by
 * `before = last.thread_metadata.archive_timestamp`, the joined-private list by `before = last.id`.
 */
async function listArchived(
  client: RestClient,
  tracker: RequestTracker,
  parentId: string,
  kind: 'public' | 'private' | 'joined',
  onThread: (thread: WireChannel) => void,
): Promise<void> {
  const path =
    kind === 'joined'
      ? (`/channels/${parentId}/users/@me/threads/archived/private` as const)
      : (`/channels/${parentId}/threads/archived/${kind}` as const);
  const route =
    kind === 'joined'
      ? 'GET /channels/:id/users/@me/threads/archived/private'
      : `GET /channels/:id/threads/archived/${kind}`;
  let before: string | undefined;
  for (;;) {
    const query: Record<string, string> = { limit: String(ARCHIVED_PAGE_LIMIT) };
    if (before !== undefined) query.before = before;
    let body: unknown;
    try {
      body = await client.get(tracker, { route, path, query, channelId: parentId });
    } catch (error) {
      // A list the bot may not read after all: the threads in it cannot be read either.
      if (isDiscordHarvesterError(error) && error.code === 'FORBIDDEN') return;
      throw error;
    }
    const list = parseThreadList(body, { url: path, route, channelId: parentId });
    for (const thread of list.threads) onThread(thread);
    const last = list.threads.at(-1);
    if (!list.has_more || last === undefined) return;
    const next =
      kind === 'joined' ? last.id : (last.thread_metadata?.archive_timestamp ?? undefined);
    // A cursor that does not move would loop forever: stop instead.
    if (next === undefined || next === before) return;
    before = next;
  }
}
