import type { REST } from 'discord.js';
import { DiscordHarvesterError, isDiscordHarvesterError } from './errors.js';
import type { HarvestEvent } from './events.js';
import {
  discover,
  discoverArchived,
  estimatedPagesOf,
  POST_PARENT_TYPES,
  threadAccess,
  toHarvestChannel,
  type Discovery,
  type HarvestTarget,
} from './discovery.js';
import {
  contentEvidence,
  hasThreadAnswerCandidates,
  mapPage,
  starterQuestionIn,
  type ChannelContext,
} from './map.js';
import { canManageThreads, computeBasePermissions } from './permissions.js';
import {
  isDiscordId,
  resolveOptions,
  type DiscordHarvesterOptions,
  type ResolvedOptions,
} from './options.js';
import { isQuestionTitle } from './questions.js';
import { HandOffQueue, QueueClosedError } from './queue.js';
import { createRest, RequestTracker, RestClient, type RequestCounter } from './rest.js';
import {
  isSnowflake,
  maxSnowflake,
  minSnowflake,
  snowflakeFromTimestamp,
  snowflakeToTimestamp,
} from './snowflake.js';
import { RequestSlots } from './scheduler.js';
import type {
  ChannelSkipReason,
  CheckpointReader,
  GuildCheck,
  HarvestChannel,
  HarvestCheckpoint,
  HarvestItem,
  HarvestOptions,
  HarvestRun,
  HarvestStats,
  HarvestedMember,
  MembersOptions,
  MembersPage,
} from './types.js';
import {
  parseGuild,
  parseMember,
  parseMembers,
  parseMessages,
  parseUser,
  type WireChannel,
  type WireMember,
  type WireMessage,
} from './wire.js';

/** Messages per page (Discord's maximum). */
const PAGE_LIMIT = 100;
/** Members per page of the member list (Discord's maximum). */
const MEMBERS_PAGE_LIMIT = 1000;
/** Looked-up members per yielded page in the fallback. */
const LOOKUP_PAGE_SIZE = 100;

const ADMINISTRATOR = 1n << 3n;
const VIEW_CHANNEL = 1n << 10n;
const READ_MESSAGE_HISTORY = 1n << 16n;
const CONNECT = 1n << 20n;

function byId(left: WireMessage, right: WireMessage): number {
  const difference = BigInt(left.id) - BigInt(right.id);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

function abortError(signal: AbortSignal): DiscordHarvesterError {
  return new DiscordHarvesterError('ABORTED', 'Aborted', { cause: signal.reason });
}

/** Links a caller's signal to an internal controller; returns the unlink function. */
function link(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return () => undefined;
  signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
  };
}

/** The requests of one `members()` or `check()` call: counted, and stopped by `end()`. */
interface RequestSession {
  tracker: RequestTracker;
  /** Unlinks the caller's signal and stops whatever is still in flight. */
  end(): void;
}

/**
 * Opens a request session for `members()` and `check()`: throws `ABORTED` if the caller's signal
 * already fired, otherwise links it to the session so that aborting it stops the requests.
 */
function openSession(core: HarvesterCore, signal: AbortSignal | undefined): RequestSession {
  if (signal?.aborted === true) throw abortError(signal);
  core.prepare();
  const controller = new AbortController();
  const unlink = link(signal, () => {
    controller.abort(signal?.reason);
  });
  const tracker = new RequestTracker(core.options.maxRateLimitHits, core.emit, controller.signal);
  return {
    tracker,
    end: () => {
      unlink();
      controller.abort();
    },
  };
}

/** Whether a channel holds a request slot. */
interface SlotLease {
  held: boolean;
}

/** Harvest options after validation. */
interface ResolvedHarvestOptions {
  checkpoints: CheckpointReader | undefined;
  since: number | null;
  channelIds: readonly string[] | undefined;
  signal: AbortSignal | undefined;
}

function resolveHarvestOptions(options: HarvestOptions): ResolvedHarvestOptions {
  const invalid = (field: string, message: string): DiscordHarvesterError =>
    new DiscordHarvesterError('INVALID_OPTIONS', `harvest: option ${field} ${message}`, { field });
  let since: number | null = null;
  if (options.since !== undefined) {
    since = options.since instanceof Date ? options.since.getTime() : options.since;
    if (typeof since !== 'number' || !Number.isFinite(since))
      throw invalid('since', 'must be a valid Date or epoch milliseconds');
  }
  if (options.channelIds !== undefined) {
    if (!Array.isArray(options.channelIds) || !options.channelIds.every(isDiscordId))
      throw invalid('channelIds', 'must be an array of snowflake strings');
  }
  if (
    options.checkpoints !== undefined &&
    typeof (options.checkpoints as Partial<CheckpointReader>).getCheckpoint !== 'function'
  )
    throw invalid('checkpoints', 'must have a getCheckpoint(channelId) method');
  return {
    checkpoints: options.checkpoints,
    since,
    channelIds: options.channelIds,
    signal: options.signal,
  };
}

/** Live counters; `requests`, `rateLimited` and `durationMs` are read when asked. */
class LiveStats implements HarvestStats {
  messages = 0;
  pages = 0;
  channels = 0;
  skipped = 0;
  readonly #tracker: RequestTracker;
  #started: number | undefined;
  #ended: number | undefined;

  constructor(tracker: RequestTracker) {
    this.#tracker = tracker;
  }

  get requests(): number {
    return this.#tracker.requests;
  }

  get rateLimited(): number {
    return this.#tracker.rateLimited;
  }

  get durationMs(): number {
    if (this.#started === undefined) return 0;
    return Math.round((this.#ended ?? performance.now()) - this.#started);
  }

  start(): void {
    this.#started = performance.now();
  }

  end(): void {
    this.#ended ??= performance.now();
  }

  toJSON(): HarvestStats {
    return {
      requests: this.requests,
      rateLimited: this.rateLimited,
      messages: this.messages,
      pages: this.pages,
      channels: this.channels,
      skipped: this.skipped,
      durationMs: this.durationMs,
    };
  }
}

/** What a harvester shares with its runs. */
interface HarvesterCore {
  options: ResolvedOptions;
  client: RestClient;
  emit: (event: HarvestEvent) => void;
  prepare: () => void;
}

/**
 * Harvests a guild's message history over Discord's REST API (discord.js `REST`; never the
 * gateway): discovers every channel, thread and forum post the bot can read, then pages each one
 * backwards (backfill) or forwards (new messages) from its stored checkpoint.
 *
 * @example
 * ```ts
 * const harvester = new DiscordHarvester({ token, guildId });
 * for await (const item of harvester.harvest({ checkpoints: store.discord })) {
 *   if (item.type === 'messages') store.discord.writePage(item);
 * }
 * ```
 */
export class DiscordHarvester {
  readonly #core: HarvesterCore;

  /** Checks the options (throws `INVALID_OPTIONS`); sends nothing. */
  constructor(options: DiscordHarvesterOptions) {
    const resolved = resolveOptions(options);
    const ownRest: REST | undefined =
      resolved.rest === undefined
        ? createRest({
            token: resolved.token,
            api: resolved.api,
            timeoutMs: resolved.timeoutMs,
            retries: resolved.retries,
          })
        : undefined;
    const rest = resolved.rest ?? ownRest;
    if (rest === undefined) throw new Error('unreachable: no REST instance');
    const onEvent = resolved.onEvent;
    this.#core = {
      options: resolved,
      client: new RestClient(rest),
      emit: (event) => {
        if (onEvent === undefined) return;
        try {
          onEvent(event);
        } catch {
          // A failing listener must not break the harvest.
        }
      },
      // discord.js forgets the token after a 401; a new run starts with it again.
      prepare: () => {
        ownRest?.setToken(resolved.token);
      },
    };
  }

  /**
   * Discovers and harvests every readable channel, thread and forum post; yields typed items as
   * they arrive (see {@link HarvestItem}). Nothing is sent until iteration starts; iterate once.
   */
  harvest(options: HarvestOptions = {}): HarvestRun {
    return new Harvest(this.#core, resolveHarvestOptions(options));
  }

  /**
   * Guild members, paged from `GET /guilds/:id/members` (needs the Server Members intent).
   * Without the intent (HTTP 403), emits `members-fallback` and looks up `knownUserIds` one by one
   * (`GET /guilds/:id/members/:user`, which works without it); ids no longer in the guild are
   * listed in `missing`.
   */
  async *members(options: MembersOptions = {}): AsyncGenerator<MembersPage, void, undefined> {
    const core = this.#core;
    const { guildId } = core.options;
    const session = openSession(core, options.signal);
    const { tracker } = session;
    try {
      let after = '0';
      for (let first = true; ; first = false) {
        const path = `/guilds/${guildId}/members` as const;
        const route = 'GET /guilds/:id/members';
        const query = { limit: String(MEMBERS_PAGE_LIMIT), after };
        let body: unknown;
        try {
          body = await core.client.get(tracker, { route, path, query });
        } catch (error) {
          if (first && isDiscordHarvesterError(error) && error.code === 'FORBIDDEN') {
            yield* this.#lookupMembers(tracker, options.knownUserIds, error);
            return;
          }
          throw error;
        }
        const members = parseMembers(body, { url: path, route });
        const page: HarvestedMember[] = [];
        for (const member of members) {
          const converted = toMember(member);
          if (converted === undefined) continue;
          page.push(converted);
          after = maxSnowflake(after, converted.userId) ?? after;
        }
        yield { source: 'members-list', members: page, missing: [] };
        if (members.length < MEMBERS_PAGE_LIMIT) return;
      }
    } finally {
      session.end();
    }
  }

  async *#lookupMembers(
    tracker: RequestTracker,
    knownUserIds: Iterable<string> | undefined,
    refusal: DiscordHarvesterError,
  ): AsyncGenerator<MembersPage, void, undefined> {
    const core = this.#core;
    const { guildId } = core.options;
    const ids = [...new Set(knownUserIds ?? [])].filter(isSnowflake);
    core.emit({
      type: 'members-fallback',
      status: refusal.status ?? 403,
      ...(refusal.discordCode === undefined ? {} : { discordCode: refusal.discordCode }),
      lookups: ids.length,
    });
    let members: HarvestedMember[] = [];
    let missing: string[] = [];
    for (const [index, userId] of ids.entries()) {
      const path = `/guilds/${guildId}/members/${userId}` as const;
      const route = 'GET /guilds/:id/members/:id';
      try {
        const member = toMember(
          parseMember(await core.client.get(tracker, { route, path }), { url: path, route }),
        );
        if (member === undefined) missing.push(userId);
        else members.push(member);
      } catch (error) {
        // 10007 Unknown Member, 10013 Unknown User: no longer in the guild.
        if (
          isDiscordHarvesterError(error) &&
          error.status === 404 &&
          (error.discordCode === 10007 || error.discordCode === 10013)
        )
          missing.push(userId);
        else throw error;
      }
      if (members.length + missing.length >= LOOKUP_PAGE_SIZE || index === ids.length - 1) {
        yield { source: 'lookup', members, missing };
        members = [];
        missing = [];
      }
    }
    if (ids.length === 0) yield { source: 'lookup', members: [], missing: [] };
  }

  /**
   * Checks the token and the guild, for `clanstats doctor`: the bot user, the guild, and the bot's
   * guild-level permissions (3 requests).
   */
  async check(options: { signal?: AbortSignal | undefined } = {}): Promise<GuildCheck> {
    const core = this.#core;
    const { guildId } = core.options;
    const session = openSession(core, options.signal);
    const { tracker } = session;
    try {
      const get = async (route: string, path: `/${string}`): Promise<unknown> =>
        core.client.get(tracker, { route, path });
      const bot = parseUser(await get('GET /users/@me', '/users/@me'), {
        url: '/users/@me',
        route: 'GET /users/@me',
      });
      const guildPath = `/guilds/${guildId}` as const;
      const guild = parseGuild(await get('GET /guilds/:id', guildPath), {
        url: guildPath,
        route: 'GET /guilds/:id',
      });
      const memberPath = `/guilds/${guildId}/members/${bot.id}` as const;
      const member = parseMember(await get('GET /guilds/:id/members/:id', memberPath), {
        url: memberPath,
        route: 'GET /guilds/:id/members/:id',
      });
      const permissions = computeBasePermissions({
        guildId,
        ownerId: guild.owner_id,
        userId: bot.id,
        roles: guild.roles,
        memberRoleIds: member.roles,
      });
      const has = (flag: bigint): boolean => (permissions & flag) === flag;
      return {
        guild: { id: guild.id, name: guild.name, ownerId: guild.owner_id },
        bot: { id: bot.id, username: bot.username, globalName: bot.global_name, bot: bot.bot },
        botRoles: member.roles,
        permissions: {
          bits: permissions.toString(),
          administrator: has(ADMINISTRATOR),
          viewChannel: has(VIEW_CHANNEL),
          readMessageHistory: has(READ_MESSAGE_HISTORY),
          connect: has(CONNECT),
          manageThreads: canManageThreads(permissions),
        },
        requests: tracker.requests,
      };
    } finally {
      session.end();
    }
  }
}

function toMember(member: WireMember): HarvestedMember | undefined {
  const user = member.user;
  if (user === undefined) return undefined;
  const joinedAt = member.joined_at === null ? null : Date.parse(member.joined_at);
  return {
    user: {
      id: user.id,
      username: user.username,
      globalName: user.global_name,
      bot: user.bot || user.system,
    },
    userId: user.id,
    nickname: member.nick,
    joinedAt: joinedAt === null || Number.isNaN(joinedAt) ? null : joinedAt,
    roles: member.roles,
  };
}

/** One harvest run. */
class Harvest implements HarvestRun {
  readonly stats: LiveStats;
  readonly #core: HarvesterCore;
  readonly #options: ResolvedHarvestOptions;
  readonly #controller = new AbortController();
  readonly #tracker: RequestTracker;
  readonly #queue = new HandOffQueue<HarvestItem>();
  #iterated = false;
  /** What the pages said about the Message Content intent so far. */
  #content: boolean | undefined;
  #contentEventSent = false;
  #discovery: Discovery | undefined;
  /** One task per channel being harvested (threads found while harvesting add theirs). */
  readonly #tasks = new Set<Promise<void>>();
  readonly #slots: RequestSlots;
  #failure: { error: unknown } | undefined;

  constructor(core: HarvesterCore, options: ResolvedHarvestOptions) {
    this.#core = core;
    this.#options = options;
    this.#tracker = new RequestTracker(
      core.options.maxRateLimitHits,
      core.emit,
      this.#controller.signal,
    );
    this.stats = new LiveStats(this.#tracker);
    this.#slots = new RequestSlots(core.options.concurrency);
  }

  [Symbol.asyncIterator](): AsyncIterator<HarvestItem> {
    if (this.#iterated)
      throw new DiscordHarvesterError(
        'INVALID_OPTIONS',
        'A harvest run can be iterated only once; call harvest() again for a new run',
      );
    this.#iterated = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<HarvestItem, void, undefined> {
    const userSignal = this.#options.signal;
    const unlink = link(userSignal, () => {
      const reason: unknown = userSignal?.reason;
      this.#queue.fail(abortError(userSignal as AbortSignal), true);
      this.#controller.abort(reason);
    });
    let pool: Promise<void> | undefined;
    this.stats.start();
    try {
      if (userSignal?.aborted === true) throw abortError(userSignal);
      this.#core.prepare();
      const discovery = await discover(this.#core.client, this.#tracker, {
        guildId: this.#core.options.guildId,
        channelIds: this.#options.channelIds,
      });
      this.#discovery = discovery;
      const totals = { requests: this.#tracker.requests, listed: [...discovery.channels] };
      yield { type: 'guild', guild: { id: discovery.guild.id, name: discovery.guild.name } };
      yield { type: 'channels', channels: discovery.channels };
      for (const { channel, reason } of discovery.skipped) {
        this.#emitSkip(channel, reason, undefined, undefined);
        this.stats.skipped += 1;
        yield { type: 'channel-skipped', channel, reason };
      }
      // Channels and active threads start now; archived threads join as their lists are read.
      let harvestable = discovery.targets.length;
      let skipped = discovery.skipped.length;
      for (const target of discovery.targets) this.#start(target);
      const listing: RequestCounter = { requests: 0 };
      this.#startTask(async () => {
        await discoverArchived(
          this.#core.client,
          this.#tracker,
          discovery,
          this.#core.options.concurrency,
          listing,
          async (batch) => {
            totals.listed.push(...batch.channels);
            harvestable += batch.targets.length;
            skipped += batch.skipped.length;
            await this.#queue.push({ type: 'channels', channels: batch.channels });
            for (const { channel, reason } of batch.skipped) {
              this.#emitSkip(channel, reason, undefined, undefined);
              await this.#queue.push({ type: 'channel-skipped', channel, reason });
            }
            for (const target of batch.targets) this.#start(target);
          },
        );
        this.#core.emit({
          type: 'discovery',
          channels: totals.listed.length,
          threads: totals.listed.filter((channel) => channel.isThread).length,
          harvestable,
          skipped,
          requests: totals.requests + listing.requests,
        });
      });
      pool = this.#whenAllDone().then(() => {
        if (this.#failure === undefined) this.#queue.close();
      });
      for (;;) {
        const taken = await this.#queue.take();
        if (taken === undefined) break;
        this.#count(taken.item);
        yield taken.item;
        taken.done();
      }
    } catch (error) {
      if (
        userSignal?.aborted === true &&
        !(isDiscordHarvesterError(error) && error.code === 'ABORTED')
      )
        throw abortError(userSignal);
      throw error;
    } finally {
      unlink();
      this.#stop();
      this.#queue.cancel();
      if (pool !== undefined) await pool;
      this.stats.end();
    }
  }

  #count(item: HarvestItem): void {
    if (item.type === 'messages') {
      this.stats.pages += 1;
      this.stats.messages += item.messages.length;
    } else if (item.type === 'channel-done') {
      this.stats.channels += 1;
    } else if (item.type === 'channel-skipped') {
      this.stats.skipped += 1;
    }
  }

  #emitSkip(
    channel: HarvestChannel,
    reason: ChannelSkipReason,
    status: number | undefined,
    discordCode: number | undefined,
  ): void {
    this.#core.emit({
      type: 'channel-skipped',
      channelId: channel.id,
      name: channel.name,
      reason,
      ...(status === undefined ? {} : { status }),
      ...(discordCode === undefined ? {} : { discordCode }),
    });
  }

  /** Stops every task: requests abort, waiting channels are let through to find the stop. */
  #stop(): void {
    this.#controller.abort();
    this.#slots.close();
  }

  #stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Starts harvesting a channel. */
  #start(target: HarvestTarget): void {
    this.#startTask(() => this.#harvestTarget(target));
  }

  /** Runs a task of the harvest; the first fatal error stops the whole run. */
  #startTask(work: () => Promise<void>): void {
    const task = work().catch((error: unknown) => {
      // After a stop, the other tasks' aborted requests are not the cause.
      if (error instanceof QueueClosedError || this.#stopped()) return;
      this.#failure ??= { error };
      this.#queue.fail(error, false);
      this.#stop();
    });
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  /** Resolves when every task has ended, including tasks started meanwhile. */
  async #whenAllDone(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }

  async #harvestTarget(target: HarvestTarget): Promise<void> {
    const { channel } = target;
    const counter: RequestCounter = { requests: 0 };
    try {
      const stored = await this.#options.checkpoints?.getCheckpoint(channel.id);
      const lease: SlotLease = { held: false };
      let result: { messages: number; upToDate: boolean };
      try {
        result = await this.#harvestMessages(target, stored, counter, lease);
      } finally {
        if (lease.held) this.#slots.release();
      }
      await this.#queue.push({
        type: 'channel-done',
        channel,
        messages: result.messages,
        requests: counter.requests,
        upToDate: result.upToDate,
      });
    } catch (error) {
      if (isDiscordHarvesterError(error) && error.channelId === channel.id) {
        let reason: ChannelSkipReason | undefined;
        if (error.code === 'FORBIDDEN') reason = 'missing-access';
        else if (error.code === 'HTTP_ERROR' && error.status === 404 && error.discordCode === 10003)
          reason = 'unknown-channel';
        if (reason !== undefined) {
          this.#emitSkip(channel, reason, error.status, error.discordCode);
          await this.#queue.push({
            type: 'channel-skipped',
            channel,
            reason,
            ...(error.status === undefined ? {} : { status: error.status }),
            ...(error.discordCode === undefined ? {} : { discordCode: error.discordCode }),
          });
          return;
        }
      }
      throw error;
    }
  }

  async #fetchMessages(
    channel: HarvestChannel,
    query: Record<string, string>,
    counter: RequestCounter,
    priority = Number.POSITIVE_INFINITY,
  ): Promise<WireMessage[]> {
    const path = `/channels/${channel.id}/messages` as const;
    const route = 'GET /channels/:id/messages';
    const body = await this.#core.client.get(this.#tracker, {
      route,
      path,
      query,
      channelId: channel.id,
      counter,
      priority,
    });
    const queryString = new URLSearchParams(query).toString();
    return parseMessages(body, { url: `${path}?${queryString}`, route, channelId: channel.id });
  }

  /** Pages one channel: backfill (when needed), then forward from the newest id stored. */
  async #harvestMessages(
    target: HarvestTarget,
    stored: HarvestCheckpoint | undefined,
    counter: RequestCounter,
    lease: SlotLease,
  ): Promise<{ messages: number; upToDate: boolean }> {
    const { channel } = target;
    const since = this.#options.since;
    const floor = since === null ? null : BigInt(snowflakeFromTimestamp(since));
    const discovery = this.#discovery as Discovery;
    const context: ChannelContext = {
      channel,
      isPost: target.isPost,
      relay: this.#core.options.relay.find((rule) => rule.channelId === channel.id),
      includeContent: this.#core.options.includeContent,
      botUserId: discovery.bot.id,
    };
    const titleQuestion = channel.isThread && isQuestionTitle(channel.name);
    let starterQuestion: boolean | undefined = channel.isThread ? undefined : false;
    let checkpoint: HarvestCheckpoint = stored ?? {
      channelId: channel.id,
      newestId: null,
      oldestId: null,
      backfillDone: false,
      backfillSince: since,
    };
    let messageCount = 0;
    let sentMessageRequest = false;
    /** Pages this channel probably has left, for the request slots (unknown before a page). */
    let estimate = target.estimatedPages ?? Number.POSITIVE_INFINITY;
    const createdAt = snowflakeToTimestamp(channel.id);

    /** Maps and yields one page (waits until the consumer is done with it). */
    const emitPage = async (
      page: WireMessage[],
      direction: 'backfill' | 'forward',
      next: HarvestCheckpoint,
      holdsFirstMessage = false,
    ): Promise<void> => {
      const evidence = contentEvidence(page, discovery.bot.id);
      if (evidence !== undefined) this.#content = evidence;
      if (evidence === false && !this.#contentEventSent) {
        this.#contentEventSent = true;
        this.#core.emit({ type: 'content-unavailable', channelId: channel.id });
      }
      const contentAvailable = evidence ?? this.#content ?? true;
      if (channel.isThread && !titleQuestion && starterQuestion === undefined) {
        // A page that reaches the thread's first message shows whether it has a starter at all.
        starterQuestion =
          starterQuestionIn(page, context) ?? (holdsFirstMessage ? false : undefined);
        if (starterQuestion === undefined && hasThreadAnswerCandidates(page, channel)) {
          starterQuestion = contentAvailable
            ? await this.#fetchStarterQuestion(context, counter)
            : false;
        }
      }
      const mapped = mapPage(
        page,
        context,
        contentAvailable,
        titleQuestion || starterQuestion === true,
      );
      checkpoint = next;
      messageCount += mapped.messages.length;
      await this.#queue.push({
        type: 'messages',
        channel,
        messages: mapped.messages,
        users: mapped.users,
        relayLines: mapped.relayLines,
        checkpoint: next,
        direction,
        contentAvailable,
      });
      if (!channel.isThread) this.#discoverThreads(page, channel);
    };

    const needBackfill =
      stored === undefined ||
      !stored.backfillDone ||
      (stored.backfillSince !== null && (since === null || since < stored.backfillSince));

    if (needBackfill) {
      let cursor = stored?.oldestId ?? null;
      if (cursor !== null && floor !== null && BigInt(cursor) <= floor) {
        // Already at the floor: only the checkpoint changes.
        await emitPage([], 'backfill', { ...checkpoint, backfillDone: true, backfillSince: since });
      } else {
        for (;;) {
          const query: Record<string, string> = { limit: String(PAGE_LIMIT) };
          if (cursor !== null) query.before = cursor;
          sentMessageRequest = true;
          const step = await this.#withSlot(lease, estimate, async () => {
            const messages = await this.#fetchMessages(channel, query, counter, estimate);
            const before = cursor === null ? null : BigInt(cursor);
            const page = dedupe(messages).filter((message) => {
              const id = BigInt(message.id);
              return (before === null || id < before) && (floor === null || id >= floor);
            });
            const reachedFloor =
              floor !== null && messages.some((message) => BigInt(message.id) < floor);
            const done = messages.length < PAGE_LIMIT || reachedFloor;
            const oldest = page[0]?.id ?? null;
            const newest = page.at(-1)?.id ?? null;
            await emitPage(
              page,
              'backfill',
              {
                channelId: channel.id,
                newestId: maxSnowflake(checkpoint.newestId, newest),
                oldestId: minSnowflake(checkpoint.oldestId, oldest),
                backfillDone: done,
                backfillSince: since,
              },
              messages.length < PAGE_LIMIT && !reachedFloor,
            );
            estimate = done ? 0 : remainingPages(page, Math.max(since ?? 0, createdAt));
            return { done, messages };
          });
          if (step.done) break;
          const { messages } = step;
          const before = cursor === null ? null : BigInt(cursor);
          const nextCursor = messages.reduce<string | null>(
            (low, message) => minSnowflake(low, message.id),
            null,
          );
          if (nextCursor === null || (before !== null && BigInt(nextCursor) >= before))
            throw new DiscordHarvesterError(
              'INVALID_RESPONSE',
              `Unexpected response from GET /channels/:id/messages: a full page with no message before the cursor`,
              { channelId: channel.id, route: 'GET /channels/:id/messages', field: 'messages' },
            );
          cursor = nextCursor;
        }
      }
    }

    // Forward: only when an earlier run stored progress (a fresh backfill starts at the newest).
    let upToDate = !sentMessageRequest;
    if (stored !== undefined) {
      const newest = checkpoint.newestId;
      const hint = channel.lastMessageId;
      const nothingNew = hint === null || (newest !== null && BigInt(hint) <= BigInt(newest));
      if (!nothingNew) {
        upToDate = false;
        let cursor = newest ?? (floor === null ? '0' : floor.toString());
        for (;;) {
          const after = BigInt(cursor);
          const { messages, high } = await this.#withSlot(lease, estimate, async () => {
            const messages = await this.#fetchMessages(
              channel,
              { limit: String(PAGE_LIMIT), after: cursor },
              counter,
              estimate,
            );
            const page = dedupe(messages).filter((message) => {
              const id = BigInt(message.id);
              return id > after && (floor === null || id >= floor);
            });
            const high = messages.reduce<string | null>(
              (top, message) => maxSnowflake(top, message.id),
              null,
            );
            if (page.length > 0) {
              await emitPage(page, 'forward', {
                ...checkpoint,
                newestId: maxSnowflake(checkpoint.newestId, page.at(-1)?.id ?? null),
                oldestId: minSnowflake(checkpoint.oldestId, page[0]?.id ?? null),
              });
            }
            return { messages, high };
          });
          if (messages.length < PAGE_LIMIT || high === null || BigInt(high) <= after) break;
          cursor = high;
        }
      }
    }
    return { messages: messageCount, upToDate };
  }

  /**
   * Runs one page's work (request, mapping, hand-off) in the channel's request slot: taken before
   * its first page, kept between pages unless a channel with more work left waits.
   */
  async #withSlot<Result>(
    lease: SlotLease,
    priority: number,
    work: () => Promise<Result>,
  ): Promise<Result> {
    if (lease.held) await this.#slots.yieldTo(priority);
    else {
      await this.#slots.acquire(priority);
      lease.held = true;
    }
    if (this.#stopped()) throw new QueueClosedError('The harvest has stopped');
    return work();
  }

  /** Whether a thread's first message asks a question (one request, `after` the thread id). */
  async #fetchStarterQuestion(context: ChannelContext, counter: RequestCounter): Promise<boolean> {
    const after = (BigInt(context.channel.id) - 1n).toString();
    const messages = await this.#fetchMessages(context.channel, { limit: '1', after }, counter);
    return starterQuestionIn(messages, context) ?? false;
  }

  /** Threads that only a parent message's `thread` field revealed: list, then harvest them. */
  #discoverThreads(page: readonly WireMessage[], parent: HarvestChannel): void {
    const discovery = this.#discovery as Discovery;
    for (const message of page) {
      const thread = message.thread;
      if (thread === null || discovery.knownIds.has(thread.id)) continue;
      const selection = discovery.selection;
      if (selection !== undefined && !selection.has(thread.id) && !selection.has(parent.id))
        continue;
      discovery.knownIds.add(thread.id);
      const wire: WireChannel = { ...thread, parent_id: thread.parent_id ?? parent.id };
      const channel = toHarvestChannel(wire, parent.guildId);
      const parentInfo = discovery.parents.get(parent.id);
      this.#core.emit({ type: 'thread-discovered', threadId: channel.id, parentId: parent.id });
      void this.#queue.push({ type: 'channels', channels: [channel] }).catch(() => undefined);
      const access = threadAccess(wire, parentInfo, false);
      if (access === 'ok') {
        this.#start({
          channel,
          isPost: parentInfo !== undefined && POST_PARENT_TYPES.has(parentInfo.type),
          estimatedPages: estimatedPagesOf(wire),
        });
      } else {
        this.#emitSkip(channel, access, undefined, undefined);
        void this.#queue
          .push({ type: 'channel-skipped', channel, reason: access })
          .catch(() => undefined);
      }
    }
  }
}

/**
 * How many pages a backfill probably has left: the time between the page's oldest message and
 * `untilMs` (the channel's creation or the `since` date), at the pace of the page's messages.
 */
function remainingPages(page: readonly WireMessage[], untilMs: number): number {
  const oldest = page[0];
  const newest = page.at(-1);
  if (oldest === undefined || newest === undefined) return 0;
  const oldestAt = snowflakeToTimestamp(oldest.id);
  const span = Math.max(1, snowflakeToTimestamp(newest.id) - oldestAt);
  return Math.max(1, Math.ceil((oldestAt - untilMs) / span));
}

/** Deduplicates by id and sorts ascending by `BigInt(id)`. */
function dedupe(messages: readonly WireMessage[]): WireMessage[] {
  const seen = new Map<string, WireMessage>();
  for (const message of messages) seen.set(message.id, message);
  return [...seen.values()].sort(byId);
}
