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
import type { RequestCounter, RequestTracker, RestClient } from './rest.js';
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
  /** Pages it probably holds, from a thread's `message_count`; unknown for channels. */
  estimatedPages?: number | undefined;
}

/** A thread's page count from its `message_count` (`undefined` for channels, or when absent). */
export function estimatedPagesOf(channel: WireChannel): number | undefined {
  return channel.message_count === null ? undefined : Math.ceil((channel.message_count + 1) / 100);
}

/** A channel or thread that will not be harvested, decided without a request. */
export interface SkippedChannel {
  channel: HarvestChannel;
  reason: ChannelSkipReason;
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

/** What discovery found in one step: channels to list, harvest and skip. */
export interface DiscoveryBatch {
  /** Channels and threads to list (each once over the whole discovery). */
  channels: HarvestChannel[];
  targets: HarvestTarget[];
  skipped: SkippedChannel[];
}

/** Everything the first discovery step learned, and what the second step needs. */
export interface Discovery extends DiscoveryBatch {
  guild: WireGuild;
  bot: WireUser;
  botRoles: string[];
  /** Every channel and thread id listed or dismissed so far (for deduplication of later finds). */
  knownIds: Set<string>;
  /** The ids that may be harvested when a selection was given; `undefined` for everything. */
  selection: ReadonlySet<string> | undefined;
  /** Access and types of parent channels, for threads found later. */
  parents: Map<string, ParentInfo>;
  /** Readable parents whose archived threads the second step lists. */
  archivedParents: WireChannel[];
  /** Guild channels by id. */
  channelById: Map<string, WireChannel>;
  /** Channel ids already listed. */
  listedIds: Set<string>;
}

/** Options of {@link discover}. */
export interface DiscoverOptions {
  guildId: string;
  channelIds: readonly string[] | undefined;
}

/**
 * The first discovery step (5 requests): the bot, the guild and its roles, the bot's roles, the
 * guild's channels and the active threads, with the bot's access to each. Harvesting can start
 * from here while {@link discoverArchived} lists the archived threads.
 */
export async function discover(
  client: RestClient,
  tracker: RequestTracker,
  options: DiscoverOptions,
): Promise<Discovery> {
  const { guildId } = options;
  const get = (route: string, path: `/${string}`) => client.get(tracker, { route, path });
  const origin = (route: string, path: string) => ({ url: path, route });

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
  const activeIds = new Set(active.threads.map((thread) => thread.id));
  const unknownRequested =
    requested !== undefined &&
    [...requested].some((id) => !channelById.has(id) && !activeIds.has(id));
  const archivedParents = wireChannels.filter(
    (channel) =>
      THREAD_PARENT_TYPES.has(channel.type) &&
      parents.get(channel.id)?.access === 'ok' &&
      (requested === undefined || unknownRequested || requested.has(channel.id)),
  );

  const discovery: Discovery = {
    guild,
    bot,
    botRoles: member.roles,
    channels: [],
    targets: [],
    skipped: [],
    knownIds: new Set(),
    selection: requested,
    parents,
    archivedParents,
    channelById,
    listedIds: new Set(),
  };

  // Channels (in position order), then the active threads (by id).
  const selectedActive = active.threads
    .filter((thread) => isSelectedThread(discovery, thread))
    .sort((left, right) => compareIds(left.id, right.id));
  const parentsOfSelected = new Set(selectedActive.map((thread) => thread.parent_id));
  for (const channel of wireChannels) {
    discovery.knownIds.add(channel.id);
    const selected = requested === undefined || requested.has(channel.id);
    if (!selected && !parentsOfSelected.has(channel.id)) continue;
    const harvestChannel = toHarvestChannel(channel, guildId);
    discovery.channels.push(harvestChannel);
    discovery.listedIds.add(channel.id);
    if (!selected || channel.type === CATEGORY_TYPE) continue;
    const access = parents.get(channel.id)?.access ?? 'missing-access';
    if (access !== 'ok') {
      if (MESSAGE_CHANNEL_TYPES.has(channel.type) || POST_PARENT_TYPES.has(channel.type))
        discovery.skipped.push({ channel: harvestChannel, reason: access });
      continue;
    }
    if (MESSAGE_CHANNEL_TYPES.has(channel.type))
      discovery.targets.push({ channel: harvestChannel, isPost: false });
  }
  addThreads(discovery, selectedActive, (thread) => active.joined.has(thread.id), discovery);
  return discovery;
}

function isSelectedThread(discovery: Discovery, thread: WireChannel): boolean {
  const requested = discovery.selection;
  if (thread.parent_id === null || !discovery.channelById.has(thread.parent_id)) return false;
  return requested === undefined || requested.has(thread.id) || requested.has(thread.parent_id);
}

/** Adds threads not seen yet to a batch: listed (with their parent if needed), then harvested or skipped. */
function addThreads(
  discovery: Discovery,
  threads: readonly WireChannel[],
  joined: (thread: WireChannel) => boolean,
  batch: DiscoveryBatch,
): void {
  const guildId = discovery.guild.id;
  for (const thread of threads) {
    if (discovery.knownIds.has(thread.id) || !isSelectedThread(discovery, thread)) continue;
    discovery.knownIds.add(thread.id);
    const parentId = thread.parent_id as string;
    if (!discovery.listedIds.has(parentId)) {
      const parentChannel = discovery.channelById.get(parentId);
      if (parentChannel !== undefined) {
        batch.channels.push(toHarvestChannel(parentChannel, guildId));
        discovery.listedIds.add(parentId);
      }
    }
    const harvestChannel = toHarvestChannel(thread, guildId);
    batch.channels.push(harvestChannel);
    discovery.listedIds.add(thread.id);
    const parent = discovery.parents.get(parentId);
    const access = threadAccess(thread, parent, joined(thread));
    if (access !== 'ok') batch.skipped.push({ channel: harvestChannel, reason: access });
    else
      batch.targets.push({
        channel: harvestChannel,
        isPost: parent !== undefined && POST_PARENT_TYPES.has(parent.type),
        estimatedPages: estimatedPagesOf(thread),
      });
  }
}

/**
 * The second discovery step: per readable text, announcement, forum and media parent, the
 * archived public threads and (text channels) the archived private ones: all of them with Manage
 * Threads, else those the bot joined. Each parent's new threads are handed to `onBatch` as soon as
 * its lists are read.
 */
export async function discoverArchived(
  client: RestClient,
  tracker: RequestTracker,
  discovery: Discovery,
  concurrency: number,
  counter: RequestCounter,
  onBatch: (batch: DiscoveryBatch) => Promise<void>,
): Promise<void> {
  await forEachLimited(discovery.archivedParents, concurrency, async (parent) => {
    const info = discovery.parents.get(parent.id);
    const found: Array<{ thread: WireChannel; joined: boolean }> = [];
    await listArchived(client, tracker, counter, parent.id, 'public', (thread) => {
      found.push({ thread, joined: false });
    });
    if (parent.type === 0) {
      const kind = info?.manageThreads === true ? 'private' : 'joined';
      await listArchived(client, tracker, counter, parent.id, kind, (thread) => {
        found.push({ thread, joined: kind === 'joined' });
      });
    }
    const joinedIds = new Set(
      found.filter((entry) => entry.joined).map((entry) => entry.thread.id),
    );
    const batch: DiscoveryBatch = { channels: [], targets: [], skipped: [] };
    const threads = found
      .map((entry) => entry.thread)
      .filter((thread) => thread.parent_id === parent.id || thread.parent_id === null)
      .map((thread) => (thread.parent_id === null ? { ...thread, parent_id: parent.id } : thread))
      .sort((left, right) => compareIds(left.id, right.id));
    addThreads(discovery, threads, (thread) => joinedIds.has(thread.id), batch);
    if (batch.channels.length > 0 || batch.skipped.length > 0) await onBatch(batch);
  });
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
  counter: RequestCounter,
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
      body = await client.get(tracker, {
        route,
        path,
        query,
        channelId: parentId,
        counter,
      });
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
