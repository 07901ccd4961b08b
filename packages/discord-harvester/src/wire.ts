/**
 * The Discord wire shapes the harvester reads, and hand-written validators for exactly the fields
 * it uses. A response of another shape fails with `INVALID_RESPONSE` naming the field.
 */
import { DiscordHarvesterError } from './errors.js';
import { isSnowflake } from './snowflake.js';

export interface WireUser {
  id: string;
  username: string;
  global_name: string | null;
  bot: boolean;
  system: boolean;
}

export interface WireRole {
  id: string;
  permissions: string;
}

export interface WireGuild {
  id: string;
  name: string;
  owner_id: string;
  roles: WireRole[];
}

export interface WireMember {
  user: WireUser | undefined;
  nick: string | null;
  joined_at: string | null;
  roles: string[];
}

export interface WireOverwrite {
  id: string;
  /** 0 role, 1 member. */
  type: number;
  allow: string;
  deny: string;
}

export interface WireChannel {
  id: string;
  type: number;
  name: string;
  guild_id: string | null;
  parent_id: string | null;
  position: number;
  permission_overwrites: WireOverwrite[];
  last_message_id: string | null;
  owner_id: string | null;
  thread_metadata: { archived: boolean; archive_timestamp: string | null; locked: boolean } | null;
  /** Threads: messages in the thread (not counting the starter), when sent. */
  message_count: number | null;
}

export interface WireThreadList {
  threads: WireChannel[];
  /** Thread ids the bot has joined (from the `members` list). */
  joined: Set<string>;
  has_more: boolean;
}

export interface WireReferencedMessage {
  id: string;
  author: WireUser;
  content: string;
  type: number;
  webhook_id: string | null;
}

export interface WireMessage {
  id: string;
  channel_id: string;
  author: WireUser;
  content: string;
  edited_timestamp: string | null;
  type: number;
  mentionCount: number;
  attachmentCount: number;
  embedCount: number;
  componentCount: number;
  stickerCount: number;
  snapshotCount: number;
  hasPoll: boolean;
  message_reference: { message_id: string | null } | null;
  /** `undefined`: not sent (state unknown); `null`: the referenced message was deleted. */
  referenced_message: WireReferencedMessage | null | undefined;
  thread: WireChannel | null;
  webhook_id: string | null;
  /** Whether the message mentions the given user (for content-availability evidence). */
  mentionIds: string[];
}

/** Reads a response, naming the failing field in errors. */
class Reader {
  readonly #url: string;
  readonly #route: string;
  readonly #channelId: string | undefined;

  constructor(url: string, route: string, channelId: string | undefined) {
    this.#url = url;
    this.#route = route;
    this.#channelId = channelId;
  }

  fail(field: string, expected: string): never {
    throw new DiscordHarvesterError(
      'INVALID_RESPONSE',
      `Unexpected response from ${this.#route}: ${field} is not ${expected}`,
      { url: this.#url, route: this.#route, channelId: this.#channelId, field },
    );
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(field, 'an object');
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'an array');
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'a string');
    return value;
  }

  optionalString(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    return this.string(value, field);
  }

  /**
   * A canonical snowflake ({@link isSnowflake}): the harvester decodes, compares and deduplicates
   * ids, so `'01'` or a value past 2^64 - 1 is rejected here rather than failing later.
   */
  snowflake(value: unknown, field: string): string {
    if (!isSnowflake(value)) this.fail(field, 'a snowflake string');
    return value;
  }

  optionalSnowflake(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    return this.snowflake(value, field);
  }

  integer(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(field, 'an integer');
    return value;
  }

  optionalInteger(value: unknown, field: string, fallback: number): number {
    if (value === undefined || value === null) return fallback;
    return this.integer(value, field);
  }

  boolean(value: unknown, field: string): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') this.fail(field, 'a boolean');
    return value;
  }

  /** A permission bitfield: a decimal string. */
  bits(value: unknown, field: string): string {
    if (typeof value !== 'string' || !/^\d+$/.test(value))
      this.fail(field, 'a permission bitfield string');
    return value;
  }

  optionalLength(value: unknown, field: string): number {
    if (value === undefined || value === null) return 0;
    return this.array(value, field).length;
  }

  user(value: unknown, field: string): WireUser {
    const user = this.object(value, field);
    return {
      id: this.snowflake(user.id, `${field}.id`),
      username: this.string(user.username, `${field}.username`),
      global_name: this.optionalString(user.global_name, `${field}.global_name`),
      bot: this.boolean(user.bot, `${field}.bot`),
      system: this.boolean(user.system, `${field}.system`),
    };
  }

  channel(value: unknown, field: string): WireChannel {
    const channel = this.object(value, field);
    const overwrites =
      channel.permission_overwrites === undefined || channel.permission_overwrites === null
        ? []
        : this.array(channel.permission_overwrites, `${field}.permission_overwrites`).map(
            (entry, index) => {
              const name = `${field}.permission_overwrites[${index}]`;
              const overwrite = this.object(entry, name);
              return {
                id: this.snowflake(overwrite.id, `${name}.id`),
                type: this.integer(overwrite.type, `${name}.type`),
                allow: this.bits(overwrite.allow, `${name}.allow`),
                deny: this.bits(overwrite.deny, `${name}.deny`),
              };
            },
          );
    let threadMetadata: WireChannel['thread_metadata'] = null;
    if (channel.thread_metadata !== undefined && channel.thread_metadata !== null) {
      const metadata = this.object(channel.thread_metadata, `${field}.thread_metadata`);
      threadMetadata = {
        archived: this.boolean(metadata.archived, `${field}.thread_metadata.archived`),
        archive_timestamp: this.optionalString(
          metadata.archive_timestamp,
          `${field}.thread_metadata.archive_timestamp`,
        ),
        locked: this.boolean(metadata.locked, `${field}.thread_metadata.locked`),
      };
    }
    return {
      id: this.snowflake(channel.id, `${field}.id`),
      type: this.integer(channel.type, `${field}.type`),
      name: this.optionalString(channel.name, `${field}.name`) ?? '',
      guild_id: this.optionalSnowflake(channel.guild_id, `${field}.guild_id`),
      parent_id: this.optionalSnowflake(channel.parent_id, `${field}.parent_id`),
      position: this.optionalInteger(channel.position, `${field}.position`, 0),
      permission_overwrites: overwrites,
      last_message_id: this.optionalSnowflake(channel.last_message_id, `${field}.last_message_id`),
      owner_id: this.optionalSnowflake(channel.owner_id, `${field}.owner_id`),
      thread_metadata: threadMetadata,
      message_count:
        channel.message_count === undefined || channel.message_count === null
          ? null
          : this.integer(channel.message_count, `${field}.message_count`),
    };
  }

  referenced(value: unknown, field: string): WireReferencedMessage {
    const message = this.object(value, field);
    return {
      id: this.snowflake(message.id, `${field}.id`),
      author: this.user(message.author, `${field}.author`),
      content: this.optionalString(message.content, `${field}.content`) ?? '',
      type: this.optionalInteger(message.type, `${field}.type`, 0),
      webhook_id: this.optionalSnowflake(message.webhook_id, `${field}.webhook_id`),
    };
  }

  message(value: unknown, field: string): WireMessage {
    const message = this.object(value, field);
    const mentions =
      message.mentions === undefined || message.mentions === null
        ? []
        : this.array(message.mentions, `${field}.mentions`);
    const mentionIds = mentions.map((mention, index) =>
      this.snowflake(
        this.object(mention, `${field}.mentions[${index}]`).id,
        `${field}.mentions[${index}].id`,
      ),
    );
    let reference: WireMessage['message_reference'] = null;
    if (message.message_reference !== undefined && message.message_reference !== null) {
      const raw = this.object(message.message_reference, `${field}.message_reference`);
      reference = {
        message_id: this.optionalSnowflake(raw.message_id, `${field}.message_reference.message_id`),
      };
    }
    return {
      id: this.snowflake(message.id, `${field}.id`),
      channel_id: this.snowflake(message.channel_id, `${field}.channel_id`),
      author: this.user(message.author, `${field}.author`),
      content: this.optionalString(message.content, `${field}.content`) ?? '',
      edited_timestamp: this.optionalString(message.edited_timestamp, `${field}.edited_timestamp`),
      type: this.integer(message.type, `${field}.type`),
      mentionCount:
        mentions.length +
        this.optionalLength(message.mention_roles, `${field}.mention_roles`) +
        (this.boolean(message.mention_everyone, `${field}.mention_everyone`) ? 1 : 0),
      attachmentCount: this.optionalLength(message.attachments, `${field}.attachments`),
      embedCount: this.optionalLength(message.embeds, `${field}.embeds`),
      componentCount: this.optionalLength(message.components, `${field}.components`),
      stickerCount: this.optionalLength(message.sticker_items, `${field}.sticker_items`),
      snapshotCount: this.optionalLength(message.message_snapshots, `${field}.message_snapshots`),
      hasPoll: message.poll !== undefined && message.poll !== null,
      message_reference: reference,
      referenced_message:
        message.referenced_message === undefined
          ? undefined
          : message.referenced_message === null
            ? null
            : this.referenced(message.referenced_message, `${field}.referenced_message`),
      thread:
        message.thread === undefined || message.thread === null
          ? null
          : this.channel(message.thread, `${field}.thread`),
      webhook_id: this.optionalSnowflake(message.webhook_id, `${field}.webhook_id`),
      mentionIds,
    };
  }

  member(value: unknown, field: string): WireMember {
    const member = this.object(value, field);
    return {
      user:
        member.user === undefined || member.user === null
          ? undefined
          : this.user(member.user, `${field}.user`),
      nick: this.optionalString(member.nick, `${field}.nick`),
      joined_at: this.optionalString(member.joined_at, `${field}.joined_at`),
      roles: this.array(member.roles ?? [], `${field}.roles`).map((role, index) =>
        this.snowflake(role, `${field}.roles[${index}]`),
      ),
    };
  }
}

/** Where a response came from, for error reports. */
export interface ResponseOrigin {
  url: string;
  route: string;
  channelId?: string | undefined;
}

function reader(origin: ResponseOrigin): Reader {
  return new Reader(origin.url, origin.route, origin.channelId);
}

export function parseUser(value: unknown, origin: ResponseOrigin): WireUser {
  return reader(origin).user(value, 'user');
}

export function parseGuild(value: unknown, origin: ResponseOrigin): WireGuild {
  const read = reader(origin);
  const guild = read.object(value, 'guild');
  return {
    id: read.snowflake(guild.id, 'guild.id'),
    name: read.string(guild.name, 'guild.name'),
    owner_id: read.snowflake(guild.owner_id, 'guild.owner_id'),
    roles: read.array(guild.roles, 'guild.roles').map((entry, index) => {
      const role = read.object(entry, `guild.roles[${index}]`);
      return {
        id: read.snowflake(role.id, `guild.roles[${index}].id`),
        permissions: read.bits(role.permissions, `guild.roles[${index}].permissions`),
      };
    }),
  };
}

export function parseMember(value: unknown, origin: ResponseOrigin): WireMember {
  return reader(origin).member(value, 'member');
}

export function parseMembers(value: unknown, origin: ResponseOrigin): WireMember[] {
  const read = reader(origin);
  return read
    .array(value, 'members')
    .map((member, index) => read.member(member, `members[${index}]`));
}

export function parseChannels(value: unknown, origin: ResponseOrigin): WireChannel[] {
  const read = reader(origin);
  return read
    .array(value, 'channels')
    .map((channel, index) => read.channel(channel, `channels[${index}]`));
}

export function parseThreadList(value: unknown, origin: ResponseOrigin): WireThreadList {
  const read = reader(origin);
  const list = read.object(value, 'body');
  const threads = read
    .array(list.threads, 'threads')
    .map((thread, index) => read.channel(thread, `threads[${index}]`));
  const joined = new Set<string>();
  if (list.members !== undefined && list.members !== null) {
    read.array(list.members, 'members').forEach((entry, index) => {
      const member = read.object(entry, `members[${index}]`);
      const id = read.optionalSnowflake(member.id, `members[${index}].id`);
      if (id !== null) joined.add(id);
    });
  }
  return { threads, joined, has_more: read.boolean(list.has_more, 'has_more') };
}

export function parseMessages(value: unknown, origin: ResponseOrigin): WireMessage[] {
  const read = reader(origin);
  return read
    .array(value, 'messages')
    .map((message, index) => read.message(message, `messages[${index}]`));
}
