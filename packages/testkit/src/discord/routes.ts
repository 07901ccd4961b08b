/** The fake Discord API's routes (all under `/api/v10`). */
import { DISCORD_CHANNEL_TYPES, DISCORD_PERMISSIONS } from './model.js';
import { discordTimestamp, isSnowflake } from './snowflake.js';
import { channelAccess } from './state.js';
import type { ChannelState, DiscordState, UserState } from './state.js';
import {
  channelObject,
  memberJson,
  messageJson,
  roleObject,
  threadObject,
  userJson,
} from './wire.js';
import type { WireOptions } from './wire.js';

/** A Discord error response. Internal to the fake server. */
export class DiscordHttpError extends Error {
  override readonly name = 'DiscordHttpError';
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, code: number, message: string, errors?: unknown) {
    super(message);
    this.status = status;
    this.body = errors === undefined ? { message, code } : { message, code, errors };
  }
}

/** Discord's JSON error codes the fake uses. */
export const DISCORD_ERROR_CODES = {
  GENERAL: 0,
  UNKNOWN_CHANNEL: 10003,
  UNKNOWN_GUILD: 10004,
  UNKNOWN_MEMBER: 10007,
  UNKNOWN_MESSAGE: 10008,
  MISSING_ACCESS: 50001,
  MISSING_PERMISSIONS: 50013,
  INVALID_CHANNEL_TYPE: 50024,
  INVALID_FORM_BODY: 50035,
} as const;

/** What a route handler gets. */
export interface DiscordRouteContext {
  readonly state: DiscordState;
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly intents: { readonly messageContent: boolean; readonly guildMembers: boolean };
  readonly manageThreads: boolean;
}

/** A route: pattern under `/api/v10` (`:id` is the major parameter), handler returning JSON text. */
export interface DiscordRoute {
  readonly method: 'GET';
  readonly pattern: string;
  readonly handler: (context: DiscordRouteContext) => string;
}

const missingAccess = (): DiscordHttpError =>
  new DiscordHttpError(403, DISCORD_ERROR_CODES.MISSING_ACCESS, 'Missing Access');
const missingPermissions = (): DiscordHttpError =>
  new DiscordHttpError(403, DISCORD_ERROR_CODES.MISSING_PERMISSIONS, 'Missing Permissions');

function invalidForm(field: string, code: string, message: string): DiscordHttpError {
  return new DiscordHttpError(400, DISCORD_ERROR_CODES.INVALID_FORM_BODY, 'Invalid Form Body', {
    [field]: { _errors: [{ code, message }] },
  });
}

/** A snowflake query/path value as bigint; 400 50035 when malformed. */
function snowflakeParam(field: string, value: string): bigint {
  if (!isSnowflake(value))
    throw invalidForm(field, 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`);
  return BigInt(value);
}

/** An integer query value within [min, max]; 400 50035 otherwise. */
function intParam(
  query: URLSearchParams,
  field: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(field);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw.trim()))
    throw invalidForm(field, 'NUMBER_TYPE_COERCE', `Value "${raw}" is not int.`);
  const value = Number(raw);
  if (value < min)
    throw invalidForm(
      field,
      'NUMBER_TYPE_MIN',
      `int value should be greater than or equal to ${min}.`,
    );
  if (value > max)
    throw invalidForm(
      field,
      'NUMBER_TYPE_MAX',
      `int value should be less than or equal to ${max}.`,
    );
  return value;
}

function guildOf(context: DiscordRouteContext): DiscordState {
  const { state, params } = context;
  const id = params.id ?? '';
  if (!isSnowflake(id))
    throw invalidForm('guild_id', 'NUMBER_TYPE_COERCE', `Value "${id}" is not snowflake.`);
  if (id !== state.guildId)
    throw new DiscordHttpError(404, DISCORD_ERROR_CODES.UNKNOWN_GUILD, 'Unknown Guild');
  return state;
}

function channelOf(context: DiscordRouteContext): ChannelState {
  const id = context.params.id ?? '';
  snowflakeParam('channel_id', id);
  const channel = context.state.channelsById.get(id);
  if (channel === undefined)
    throw new DiscordHttpError(404, DISCORD_ERROR_CODES.UNKNOWN_CHANNEL, 'Unknown Channel');
  return channel;
}

/** The channel, after checking that the bot can view it (403 50001 otherwise). */
function visibleChannel(context: DiscordRouteContext): {
  channel: ChannelState;
  permissions: bigint;
  history: boolean;
} {
  const channel = channelOf(context);
  const { access, permissions } = channelAccess(context.state, channel, context.manageThreads);
  if (access === 'no-view') throw missingAccess();
  return { channel, permissions, history: access === 'ok' };
}

function wireOptions(context: DiscordRouteContext): WireOptions {
  return { messageContent: context.intents.messageContent };
}

const NO_MESSAGES = new Set<number>([
  DISCORD_CHANNEL_TYPES.GUILD_CATEGORY,
  DISCORD_CHANNEL_TYPES.GUILD_FORUM,
  DISCORD_CHANNEL_TYPES.GUILD_MEDIA,
]);

function getMessages(context: DiscordRouteContext): string {
  const { channel, history } = visibleChannel(context);
  const { query, state } = context;
  const cursors = (['around', 'before', 'after'] as const).filter((name) => query.has(name));
  if (cursors.length > 1) {
    throw new DiscordHttpError(400, DISCORD_ERROR_CODES.INVALID_FORM_BODY, 'Invalid Form Body', {
      _errors: [
        {
          code: 'BASE_TYPE_MUTUALLY_EXCLUSIVE',
          message: `Only one of around, before, after may be set (got ${cursors.join(', ')}).`,
        },
      ],
    });
  }
  const limit = intParam(query, 'limit', 50, 1, 100);
  const cursorName = cursors[0];
  const cursor =
    cursorName === undefined ? null : snowflakeParam(cursorName, query.get(cursorName) ?? '');
  if (NO_MESSAGES.has(channel.type)) {
    throw new DiscordHttpError(
      400,
      DISCORD_ERROR_CODES.INVALID_CHANNEL_TYPE,
      'Cannot execute action on this channel type',
    );
  }
  if (!history) return '[]';
  const columns = channel.messages;
  let low: number;
  let high: number;
  if (cursor === null) {
    high = columns.length;
    low = Math.max(0, high - limit);
  } else if (cursorName === 'before') {
    high = columns.lowerBound(cursor);
    low = Math.max(0, high - limit);
  } else if (cursorName === 'after') {
    low = columns.lowerBound(cursor + 1n);
    high = Math.min(columns.length, low + limit);
  } else {
    const at = columns.lowerBound(cursor);
    const before = Math.floor(limit / 2);
    low = Math.max(0, at - before);
    high = Math.min(columns.length, at + (limit - before));
  }
  const options = wireOptions(context);
  const parts: string[] = [];
  for (let index = high - 1; index >= low; index--)
    parts.push(messageJson(state, channel, index, options));
  return `[${parts.join(',')}]`;
}

function getMessage(context: DiscordRouteContext): string {
  const { channel, history } = visibleChannel(context);
  const id = snowflakeParam('message_id', context.params.message ?? '');
  if (!history) throw missingAccess();
  const index = channel.messages.indexOf(id);
  if (index < 0)
    throw new DiscordHttpError(404, DISCORD_ERROR_CODES.UNKNOWN_MESSAGE, 'Unknown Message');
  return messageJson(context.state, channel, index, wireOptions(context));
}

function threadMembers(state: DiscordState, threads: readonly ChannelState[]): unknown[] {
  const bot = state.users[state.botUserIndex];
  return threads
    .filter((thread) => thread.botJoined)
    .map((thread) => ({
      id: thread.id,
      user_id: bot?.id ?? '0',
      join_timestamp: discordTimestamp(thread.createdAt + 60_000),
      flags: 1,
    }));
}

/** `{threads, members, has_more}` for the first `limit` of `matching`. */
function threadPage(state: DiscordState, matching: readonly ChannelState[], limit: number): string {
  const page = matching.slice(0, limit);
  return JSON.stringify({
    threads: page.map((thread) => threadObject(state, thread)),
    members: threadMembers(state, page),
    has_more: matching.length > limit,
  });
}

/** Threads of a parent the bot may list archived threads of (view + history), else 403. */
function archivedParent(context: DiscordRouteContext, privateList: boolean): ChannelState {
  const { channel, permissions } = visibleChannel(context);
  const T = DISCORD_CHANNEL_TYPES;
  const allowed: number[] = privateList
    ? [T.GUILD_TEXT]
    : [T.GUILD_TEXT, T.GUILD_ANNOUNCEMENT, T.GUILD_FORUM, T.GUILD_MEDIA];
  if (!allowed.includes(channel.type)) {
    throw new DiscordHttpError(
      400,
      DISCORD_ERROR_CODES.INVALID_CHANNEL_TYPE,
      'Cannot execute action on this channel type',
    );
  }
  if ((permissions & DISCORD_PERMISSIONS.READ_MESSAGE_HISTORY) === 0n) throw missingAccess();
  return channel;
}

function listArchived(context: DiscordRouteContext, privateList: boolean): string {
  const { state, query } = context;
  const parent = archivedParent(context, privateList);
  if (privateList && !context.manageThreads) throw missingPermissions();
  const limit = intParam(query, 'limit', 50, 1, 100);
  const beforeRaw = query.get('before');
  let before = Infinity;
  if (beforeRaw !== null) {
    before = Date.parse(beforeRaw);
    if (!Number.isFinite(before))
      throw invalidForm(
        'before',
        'DATE_TYPE_PARSE',
        `Could not parse ${beforeRaw}. Should be ISO8601.`,
      );
  }
  const matching = parent.threads
    .map((index) => state.channels[index])
    .filter(
      (thread): thread is ChannelState =>
        thread !== undefined &&
        thread.archived &&
        thread.isPrivate === privateList &&
        (thread.archiveTimestamp ?? 0) < before,
    )
    .sort(
      (left, right) =>
        (right.archiveTimestamp ?? 0) - (left.archiveTimestamp ?? 0) ||
        (right.idBig > left.idBig ? 1 : -1),
    );
  return threadPage(state, matching, limit);
}

function listJoinedPrivate(context: DiscordRouteContext): string {
  const { state, query } = context;
  const parent = archivedParent(context, true);
  const limit = intParam(query, 'limit', 50, 1, 100);
  const beforeRaw = query.get('before');
  const before = beforeRaw === null ? null : snowflakeParam('before', beforeRaw);
  const matching = parent.threads
    .map((index) => state.channels[index])
    .filter(
      (thread): thread is ChannelState =>
        thread !== undefined &&
        thread.archived &&
        thread.isPrivate &&
        thread.botJoined &&
        (before === null || thread.idBig < before),
    )
    .sort((left, right) => (right.idBig > left.idBig ? 1 : -1));
  return threadPage(state, matching, limit);
}

function activeThreads(context: DiscordRouteContext): string {
  const state = guildOf(context);
  const threads = state.channels
    .filter(
      (channel) =>
        channel.isThread &&
        !channel.archived &&
        channelAccess(state, channel, context.manageThreads).access !== 'no-view',
    )
    .sort((left, right) => (right.idBig > left.idBig ? 1 : -1));
  return JSON.stringify({
    threads: threads.map((thread) => threadObject(state, thread)),
    members: threadMembers(state, threads),
  });
}

/** Members currently in the guild, ascending user id. */
function currentMembers(state: DiscordState): UserState[] {
  return state.users
    .filter((user) => user.leftAt === null)
    .sort((left, right) => (BigInt(left.id) < BigInt(right.id) ? -1 : 1));
}

const memberLists = new WeakMap<DiscordState, UserState[]>();

function listMembers(context: DiscordRouteContext): string {
  const state = guildOf(context);
  if (!context.intents.guildMembers) throw missingAccess();
  const limit = intParam(context.query, 'limit', 1, 1, 1000);
  const afterRaw = context.query.get('after');
  const after = afterRaw === null ? 0n : snowflakeParam('after', afterRaw);
  let members = memberLists.get(state);
  if (members === undefined) {
    members = currentMembers(state);
    memberLists.set(state, members);
  }
  const page = members.filter((user) => BigInt(user.id) > after).slice(0, limit);
  return `[${page.map(memberJson).join(',')}]`;
}

function searchMembers(context: DiscordRouteContext): string {
  const state = guildOf(context);
  const query = context.query.get('query');
  if (query === null) throw invalidForm('query', 'BASE_TYPE_REQUIRED', 'This field is required');
  const limit = intParam(context.query, 'limit', 1, 1, 1000);
  const prefix = query.toLowerCase();
  const page = currentMembers(state)
    .filter(
      (user) =>
        user.username.toLowerCase().startsWith(prefix) ||
        (user.nickname?.toLowerCase().startsWith(prefix) ?? false) ||
        (user.globalName?.toLowerCase().startsWith(prefix) ?? false),
    )
    .slice(0, limit);
  return `[${page.map(memberJson).join(',')}]`;
}

function getMember(context: DiscordRouteContext): string {
  const state = guildOf(context);
  const userId = context.params.user ?? '';
  snowflakeParam('user_id', userId);
  const user = state.usersById.get(userId);
  if (user?.leftAt !== null)
    throw new DiscordHttpError(404, DISCORD_ERROR_CODES.UNKNOWN_MEMBER, 'Unknown Member');
  return memberJson(user);
}

/** The guild's roles as served (the bot's role gains MANAGE_THREADS when the option is on). */
function servedRoles(context: DiscordRouteContext): Array<Record<string, unknown>> {
  const { state } = context;
  return state.roles.map((role) =>
    roleObject(
      context.manageThreads && role.id === state.botRoleId
        ? {
            ...role,
            permissions: (BigInt(role.permissions) | DISCORD_PERMISSIONS.MANAGE_THREADS).toString(),
          }
        : role,
    ),
  );
}

function getGuild(context: DiscordRouteContext): string {
  const state = guildOf(context);
  const members = currentMembers(state).length;
  const guild: Record<string, unknown> = {
    id: state.guildId,
    name: state.guildName,
    icon: null,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: [],
    banner: null,
    owner_id: state.ownerId,
    application_id: null,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: state.channels[state.systemChannelIndex]?.id ?? null,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    roles: servedRoles(context),
    default_message_notifications: 1,
    mfa_level: 0,
    explicit_content_filter: 2,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    rules_channel_id: state.channels[state.rulesChannelIndex]?.id ?? null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    hub_type: null,
    premium_progress_bar_enabled: false,
    latest_onboarding_question_id: null,
    nsfw: false,
    nsfw_level: 0,
    emojis: [...state.rankEmojiIds].map(([rank, id]) => ({
      id,
      name: rank
        .split('_')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join(''),
      roles: [],
      require_colons: true,
      managed: false,
      animated: false,
      available: true,
    })),
    stickers: [],
    incidents_data: null,
  };
  if (context.query.get('with_counts') === 'true') {
    guild.approximate_member_count = members;
    guild.approximate_presence_count = Math.round(members * 0.3);
  }
  return JSON.stringify(guild);
}

/** Every route of the fake. Patterns use `:id` for the major parameter, like discord.js buckets. */
export const DISCORD_ROUTES: readonly DiscordRoute[] = [
  {
    method: 'GET',
    pattern: '/users/@me',
    handler: ({ state }) => {
      const bot = state.users[state.botUserIndex];
      return bot === undefined ? 'null' : userJson(bot);
    },
  },
  {
    method: 'GET',
    pattern: '/users/@me/guilds',
    handler: (context) => {
      const { state } = context;
      const guildRoles = servedRoles(context);
      const bot = state.users[state.botUserIndex];
      let permissions = 0n;
      for (const role of guildRoles) {
        if (role.id === state.everyoneRoleId || (bot?.roles.includes(String(role.id)) ?? false))
          permissions |= BigInt(String(role.permissions));
      }
      return JSON.stringify([
        {
          id: state.guildId,
          name: state.guildName,
          icon: null,
          banner: null,
          owner: false,
          permissions: permissions.toString(),
          features: [],
        },
      ]);
    },
  },
  { method: 'GET', pattern: '/guilds/:id', handler: getGuild },
  {
    method: 'GET',
    pattern: '/guilds/:id/roles',
    handler: (context) => {
      guildOf(context);
      return JSON.stringify(servedRoles(context));
    },
  },
  {
    method: 'GET',
    pattern: '/guilds/:id/channels',
    handler: (context) => {
      const state = guildOf(context);
      return JSON.stringify(
        state.channels
          .filter((channel) => !channel.isThread)
          .map((channel) => channelObject(state, channel)),
      );
    },
  },
  { method: 'GET', pattern: '/guilds/:id/threads/active', handler: activeThreads },
  { method: 'GET', pattern: '/guilds/:id/members', handler: listMembers },
  { method: 'GET', pattern: '/guilds/:id/members/search', handler: searchMembers },
  { method: 'GET', pattern: '/guilds/:id/members/:user', handler: getMember },
  {
    method: 'GET',
    pattern: '/channels/:id',
    handler: (context) =>
      JSON.stringify(channelObject(context.state, visibleChannel(context).channel)),
  },
  { method: 'GET', pattern: '/channels/:id/messages', handler: getMessages },
  { method: 'GET', pattern: '/channels/:id/messages/:message', handler: getMessage },
  {
    method: 'GET',
    pattern: '/channels/:id/threads/archived/public',
    handler: (context) => listArchived(context, false),
  },
  {
    method: 'GET',
    pattern: '/channels/:id/threads/archived/private',
    handler: (context) => listArchived(context, true),
  },
  {
    method: 'GET',
    pattern: '/channels/:id/users/@me/threads/archived/private',
    handler: listJoinedPrivate,
  },
];
