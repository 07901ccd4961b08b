/**
 * Discord API v10 JSON for the fake server. Messages are built as strings from cached fragments
 * (authors are pre-serialized), so a page of 100 costs little more than its length.
 */
import { captionText, dropText, eventText, gainsText, logText } from './content.js';
import { contentOf, messageRandom } from './messages.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES } from './model.js';
import type { SyntheticDiscordRole } from './model.js';
import { discordTimestamp } from './snowflake.js';
import type { ChannelState, DiscordState, UserState, WebhookState } from './state.js';
import {
  FLAG_ATTACHMENT,
  FLAG_EMBED,
  FLAG_EVERYONE,
  FLAG_HAS_THREAD,
  FLAG_PING,
  FLAG_STARTER,
} from './store.js';
import { webhookMessageJson } from './webhooks.js';

/** What the wire depends on besides the data. */
export interface WireOptions {
  /** The Message Content intent: off ⇒ `content`, `embeds`, `attachments`, `components` empty. */
  readonly messageContent: boolean;
}

/** A user object (as `author`, in members, `/users/@me`), serialized. */
export function userJson(user: Pick<UserState, 'id' | 'username' | 'globalName' | 'bot'>): string {
  return (
    `{"id":"${user.id}","username":${JSON.stringify(user.username)},"avatar":null,` +
    `"discriminator":"0","public_flags":0,"flags":0,${user.bot ? '"bot":true,' : ''}` +
    `"banner":null,"accent_color":null,"global_name":${JSON.stringify(user.globalName)},` +
    `"avatar_decoration_data":null,"collectibles":null,"banner_color":null,"clan":null,"primary_guild":null}`
  );
}

/** A webhook message's `author`, serialized. */
export function webhookJson(webhook: Pick<WebhookState, 'id' | 'name'>): string {
  return (
    `{"id":"${webhook.id}","username":${JSON.stringify(webhook.name)},"avatar":null,` +
    `"discriminator":"0000","public_flags":0,"flags":0,"bot":true,"global_name":null,"clan":null,"primary_guild":null}`
  );
}

function authorJsonOf(state: DiscordState, author: number): string {
  return author >= 0
    ? (state.users[author]?.authorJson ?? 'null')
    : (state.webhooks[-author - 1]?.authorJson ?? 'null');
}

function embedJson(state: DiscordState, channel: ChannelState, index: number): string {
  const author = channel.messages.authors[index] ?? -1;
  const random = messageRandom(channel, index, 7);
  let title: string;
  let description: string;
  if (author < 0) {
    const webhook = state.webhooks[-author - 1];
    title = webhook?.name === 'Wise Old Man' ? 'Weekly gains' : 'New drop';
    description = webhook?.name === 'Wise Old Man' ? gainsText(random) : dropText(random);
  } else if (state.users[author]?.username === 'Carl-bot') {
    title = 'Log';
    description = logText(random);
  } else {
    title = 'Clan event';
    description = eventText(random);
  }
  return `{"type":"rich","title":${JSON.stringify(title)},"description":${JSON.stringify(description)},"color":3447003,"content_scan_version":0}`;
}

function attachmentJson(channel: ChannelState, id: string, index: number): string {
  const random = messageRandom(channel, index, 9);
  const name = `${captionText(random).replace(/\W+/g, '_')}.png`;
  return (
    `{"id":"${id}","filename":"${name}","size":${random.int(20_000, 4_000_000)},` +
    `"url":"https://cdn.discordapp.com/attachments/${channel.id}/${id}/${name}",` +
    `"proxy_url":"https://media.discordapp.net/attachments/${channel.id}/${id}/${name}",` +
    `"width":1920,"height":1080,"content_type":"image/png","content_scan_version":0}`
  );
}

/**
 * One message, serialized. `nested` is the `referenced_message` form: no `referenced_message` or
 * `thread` of its own.
 */
export function messageJson(
  state: DiscordState,
  channel: ChannelState,
  index: number,
  options: WireOptions,
  nested = false,
): string {
  const posted = webhookMessageJson(channel, index, options.messageContent);
  if (posted !== undefined) return posted;
  const columns = channel.messages;
  const { type, flags, author, time, edit, replyTo, extra } = columns.row(index);
  const id = (columns.ids[index] ?? 0n).toString();
  const content = options.messageContent ? contentOf(state, channel, index) : '';
  const mentions =
    (flags & FLAG_PING) !== 0 && replyTo >= 0
      ? `[${authorJsonOf(state, columns.authors[replyTo] ?? -1)}]`
      : '[]';
  const attachments =
    options.messageContent && (flags & FLAG_ATTACHMENT) !== 0
      ? `[${attachmentJson(channel, id, index)}]`
      : '[]';
  const embeds =
    options.messageContent && (flags & FLAG_EMBED) !== 0
      ? `[${embedJson(state, channel, index)}]`
      : '[]';
  let json =
    `{"type":${type},"content":${JSON.stringify(content)},"mentions":${mentions},"mention_roles":[],` +
    `"attachments":${attachments},"embeds":${embeds},"timestamp":"${discordTimestamp(time)}",` +
    `"edited_timestamp":${edit === 0 ? 'null' : `"${discordTimestamp(time + edit * 1000)}"`},` +
    `"flags":${(flags & FLAG_HAS_THREAD) !== 0 ? 32 : 0},"components":[],"id":"${id}",` +
    `"channel_id":"${channel.id}","author":${authorJsonOf(state, author)},"pinned":false,` +
    `"mention_everyone":${(flags & FLAG_EVERYONE) !== 0 ? 'true' : 'false'},"tts":false`;
  if (author < 0) json += `,"webhook_id":"${state.webhooks[-author - 1]?.id ?? '0'}"`;
  if (type === DISCORD_MESSAGE_TYPES.REPLY && replyTo >= 0) {
    json += `,"message_reference":{"type":0,"channel_id":"${channel.id}","message_id":"${(columns.ids[replyTo] ?? 0n).toString()}","guild_id":"${state.guildId}"}`;
    if (!nested)
      json += `,"referenced_message":${messageJson(state, channel, replyTo, options, true)}`;
  } else if (type === DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE) {
    const parent = state.channels[channel.parentIndex];
    if (parent !== undefined && extra >= 0) {
      json += `,"message_reference":{"type":0,"channel_id":"${parent.id}","message_id":"${(parent.messages.ids[extra] ?? 0n).toString()}","guild_id":"${state.guildId}"}`;
      if (!nested)
        json += `,"referenced_message":${messageJson(state, parent, extra, options, true)}`;
    }
  } else if (type === DISCORD_MESSAGE_TYPES.THREAD_CREATED) {
    json += `,"message_reference":{"type":0,"channel_id":"${state.channels[extra]?.id ?? '0'}","guild_id":"${state.guildId}"}`;
  }
  if ((flags & FLAG_HAS_THREAD) !== 0 && !nested) {
    const thread = state.channels[extra];
    if (thread !== undefined) json += `,"thread":${JSON.stringify(threadObject(state, thread))}`;
  }
  if (channel.isThread) json += `,"position":${index}`;
  return `${json}}`;
}

/** The newest message id of a channel; for forums and media channels the newest post id. */
export function lastMessageIdOf(state: DiscordState, channel: ChannelState): string | null {
  if (
    channel.type === DISCORD_CHANNEL_TYPES.GUILD_FORUM ||
    channel.type === DISCORD_CHANNEL_TYPES.GUILD_MEDIA
  ) {
    let newest = -1n;
    for (const threadIndex of channel.threads) {
      const id = state.channels[threadIndex]?.idBig ?? -1n;
      if (id > newest) newest = id;
    }
    return newest < 0n ? null : newest.toString();
  }
  const columns = channel.messages;
  return columns.length === 0 ? null : (columns.ids[columns.length - 1] ?? 0n).toString();
}

/** A thread's `message_count`: its messages, not counting the first (starter) message. */
export function threadMessageCount(channel: ChannelState): number {
  const columns = channel.messages;
  const first = columns.length > 0 ? (columns.types[0] ?? 0) : -1;
  const hasStarter =
    first === DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE ||
    (columns.length > 0 && ((columns.flags[0] ?? 0) & FLAG_STARTER) !== 0);
  return Math.max(0, columns.length - (hasStarter ? 1 : 0));
}

const memberCounts = new WeakMap<ChannelState, { length: number; count: number }>();

/** A thread's `member_count`: distinct authors, capped at 50 like Discord's. */
function threadMemberCount(channel: ChannelState): number {
  const cached = memberCounts.get(channel);
  const columns = channel.messages;
  if (cached?.length === columns.length) return cached.count;
  const authors = new Set<number>();
  for (let index = 0; index < columns.length && authors.size < 50; index++)
    authors.add(columns.authors[index] ?? -1);
  const count = Math.min(50, authors.size);
  memberCounts.set(channel, { length: columns.length, count });
  return count;
}

/** A thread's channel object. */
export function threadObject(state: DiscordState, thread: ChannelState): Record<string, unknown> {
  const parent = state.channels[thread.parentIndex];
  const count = threadMessageCount(thread);
  const metadata: Record<string, unknown> = {
    archived: thread.archived,
    archive_timestamp: discordTimestamp(thread.archiveTimestamp ?? thread.createdAt),
    auto_archive_duration: thread.autoArchiveDuration ?? 1440,
    locked: thread.locked,
    create_timestamp: discordTimestamp(thread.createdAt),
  };
  if (thread.isPrivate) metadata.invitable = false;
  const object: Record<string, unknown> = {
    id: thread.id,
    type: thread.type,
    last_message_id: lastMessageIdOf(state, thread),
    flags: 0,
    guild_id: state.guildId,
    name: thread.name,
    parent_id: parent?.id ?? null,
    rate_limit_per_user: 0,
    bitrate: 64000,
    user_limit: 0,
    rtc_region: null,
    owner_id: state.users[thread.ownerIndex]?.id ?? null,
    thread_metadata: metadata,
    message_count: count,
    member_count: threadMemberCount(thread),
    total_message_sent: count,
  };
  if (
    parent?.type === DISCORD_CHANNEL_TYPES.GUILD_FORUM ||
    parent?.type === DISCORD_CHANNEL_TYPES.GUILD_MEDIA
  )
    object.applied_tags = [];
  return object;
}

/** A guild channel's object (`GET /guilds/:id/channels`, `GET /channels/:id`). */
export function channelObject(state: DiscordState, channel: ChannelState): Record<string, unknown> {
  if (channel.isThread) return threadObject(state, channel);
  const T = DISCORD_CHANNEL_TYPES;
  const object: Record<string, unknown> = {
    id: channel.id,
    type: channel.type,
    flags: 0,
    guild_id: state.guildId,
    name: channel.name,
    parent_id: state.channels[channel.parentIndex]?.id ?? null,
    position: channel.position,
    permission_overwrites: channel.overwrites.map((overwrite) => ({ ...overwrite })),
  };
  if (channel.type === T.GUILD_CATEGORY) return object;
  object.last_message_id = lastMessageIdOf(state, channel);
  object.rate_limit_per_user = 0;
  object.nsfw = false;
  if (channel.type === T.GUILD_VOICE) {
    object.bitrate = 64000;
    object.user_limit = 0;
    object.rtc_region = null;
  } else {
    object.topic = channel.topic;
  }
  if (channel.type === T.GUILD_FORUM || channel.type === T.GUILD_MEDIA) {
    object.available_tags = [];
    object.default_reaction_emoji = null;
    object.default_sort_order = null;
    object.default_forum_layout = channel.type === T.GUILD_FORUM ? 1 : 0;
    object.default_thread_rate_limit_per_user = 0;
  }
  if (channel.type !== T.GUILD_VOICE) object.default_auto_archive_duration = 4320;
  return object;
}

/** A role object. */
export function roleObject(role: SyntheticDiscordRole): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: role.id,
    name: role.name,
    description: null,
    permissions: role.permissions,
    position: role.position,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    managed: role.managed,
    mentionable: role.mentionable,
    flags: 0,
  };
  if (role.botId !== null) object.tags = { bot_id: role.botId };
  return object;
}

/** A guild member object, serialized. */
export function memberJson(user: UserState): string {
  return (
    `{"avatar":null,"banner":null,"communication_disabled_until":null,"flags":0,` +
    `"joined_at":"${discordTimestamp(user.joinedAt)}","nick":${JSON.stringify(user.nickname)},` +
    `"pending":false,"premium_since":null,"roles":${JSON.stringify(user.roles)},` +
    `"unusual_dm_activity_until":null,"collectibles":null,"user":${user.authorJson},"mute":false,"deaf":false}`
  );
}
