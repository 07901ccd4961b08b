/**
 * Discord's Execute Webhook (`POST /webhooks/:id/:token`) for the fake server: webhooks, their
 * validation and error bodies, and the messages they create (stored in the channel like any other
 * message, so a later harvest sees them as webhook messages).
 */
import type { IncomingMessage } from 'node:http';
import { TestkitError } from '../errors.js';
import { createRandom, hashString } from '../random.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES } from './model.js';
import { discordTimestamp, isSnowflake, snowflakeFromTime } from './snowflake.js';
import type { ChannelState, DiscordState, WebhookState } from './state.js';
import { FLAG_EVERYONE } from './store.js';

/** A webhook to create, for `startFakeDiscordServer({ webhooks })`. */
export interface FakeDiscordWebhookOptions {
  /**
   * The webhook's id (a snowflake).
   * @defaultValue derived from the guild and the webhook's position in the list
   */
  id?: string;
  /**
   * The secret token in the webhook's URL (letters, digits, `-` and `_`).
   * @defaultValue 68 characters derived from the guild and the webhook's position
   */
  token?: string;
  /**
   * The channel it posts into (a text, announcement or voice channel; not a thread).
   * @defaultValue the `#announcements` channel (the first text channel without one)
   */
  channelId?: string;
  /**
   * Its name: the author name of its messages unless a post overrides `username`.
   * @defaultValue `'ClanStats'`
   */
  name?: string;
}

/** A webhook the fake serves. */
export interface FakeDiscordWebhook {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  readonly name: string;
  /** The URL a user pastes: `http://127.0.0.1:PORT/api/webhooks/<id>/<token>`. */
  readonly url: string;
}

/** One accepted execution (every 200 or 204 answer of `POST /webhooks/:id/:token`). */
export interface FakeDiscordWebhookPost {
  readonly webhookId: string;
  /** The channel (or thread, with `thread_id`) the message went to. */
  readonly channelId: string;
  /** The id of the created message. */
  readonly messageId: string;
  /** The JSON body as received (parsed). */
  readonly body: unknown;
  /** The query string (`wait`, `thread_id`). */
  readonly query: URLSearchParams;
  /** The server clock when the request arrived. */
  readonly at: Date;
}

/** The route name of Execute Webhook in `requests[].route` and `stats.byRoute`. */
export const WEBHOOK_ROUTE = 'POST /webhooks/:id/:token';

/** Discord's JSON error codes of Execute Webhook. */
export const WEBHOOK_ERROR_CODES = {
  UNKNOWN_CHANNEL: 10003,
  UNKNOWN_WEBHOOK: 10015,
  CANNOT_SEND_EMPTY_MESSAGE: 50006,
  INVALID_WEBHOOK_TOKEN: 50027,
  INVALID_FORM_BODY: 50035,
  INVALID_JSON: 50109,
  REQUEST_TOO_LARGE: 40005,
} as const;

/** A request path that addresses a webhook, with the token taken out. */
export interface WebhookTarget {
  /** The webhook id as sent (decoded). */
  readonly id: string;
  /** The token as sent (decoded). Never recorded. */
  readonly token: string;
  /** The raw path with the token replaced by `***`. */
  readonly redactedPath: string;
  /** `/webhooks/<id>/<token>`: for fault matching only, never recorded. */
  readonly routePath: string;
  /** The route name for POST, null for another method (405). */
  readonly route: string | null;
}

/** `/api/webhooks/…`, `/api/v10/webhooks/…`, `/api/v9/webhooks/…` (any version). */
const WEBHOOK_PATH = /^(\/api(?:\/v\d{1,2})?\/webhooks\/)([^/]+)\/([^/]+)\/?$/i;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Recognises a webhook path (versioned or not); null for every other path. */
export function matchWebhookPath(method: string, path: string): WebhookTarget | null {
  const found = WEBHOOK_PATH.exec(path);
  if (found === null) return null;
  const [, prefix = '', rawId = '', rawToken = ''] = found;
  const id = decode(rawId);
  const token = decode(rawToken);
  return {
    id,
    token,
    redactedPath: `${prefix}${rawId}/***`,
    routePath: `/webhooks/${id}/${token}`,
    route: method === 'POST' ? WEBHOOK_ROUTE : null,
  };
}

/** The rate-limit key of a webhook (id and a hash of the token: the token itself is not kept). */
export function webhookBucketKey(target: WebhookTarget): string {
  return `${target.id}:${hashString(target.token).toString(16)}`;
}

/** An error answer of the webhook route. */
interface WebhookReply {
  readonly status: number;
  /** JSON text, or '' for 204. */
  readonly body: string;
}

const json = (status: number, body: unknown): WebhookReply => ({
  status,
  body: JSON.stringify(body),
});

/** Collects Discord's nested `errors` object of a 400 50035. */
class FormErrors {
  readonly tree: Record<string, unknown> = {};
  count = 0;

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const name = String(key);
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as Array<{ code: string; message: string }>;
    list.push({ code, message });
    this.count++;
  }
}

/** Length in code points, as Discord counts. */
function lengthOf(text: string): number {
  let length = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- counting code points
  for (const _ of text) length++;
  return length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkString(
  errors: FormErrors,
  path: ReadonlyArray<string | number>,
  value: unknown,
  max: number,
  required = false,
): number {
  if (value === undefined || value === null) {
    if (required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (typeof value !== 'string') {
    errors.add(path, 'BASE_TYPE_STRING', 'Could not interpret value as string.');
    return 0;
  }
  const length = lengthOf(value);
  if (required && length === 0) {
    errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${max} in length.`);
  } else if (length > max) {
    errors.add(
      path,
      required ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      required ? `Must be between 1 and ${max} in length.` : `Must be ${max} or fewer in length.`,
    );
  }
  return length;
}

/** Validates one embed; returns its text size (Discord's 6000-character budget). */
function checkEmbed(errors: FormErrors, index: number, embed: unknown): number {
  const at = (...path: Array<string | number>): Array<string | number> => [
    'embeds',
    index,
    ...path,
  ];
  if (!isRecord(embed)) {
    errors.add(at(), 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return 0;
  }
  let size = checkString(errors, at('title'), embed.title, 256);
  size += checkString(errors, at('description'), embed.description, 4096);
  if (embed.color !== undefined && embed.color !== null) {
    if (typeof embed.color !== 'number' || !Number.isInteger(embed.color)) {
      errors.add(
        at('color'),
        'NUMBER_TYPE_COERCE',
        `Value "${JSON.stringify(embed.color)}" is not int.`,
      );
    } else if (embed.color < 0 || embed.color > 0xffffff) {
      errors.add(
        at('color'),
        embed.color < 0 ? 'NUMBER_TYPE_MIN' : 'NUMBER_TYPE_MAX',
        embed.color < 0
          ? 'int value should be greater than or equal to 0.'
          : 'int value should be less than or equal to 16777215.',
      );
    }
  }
  if (
    embed.timestamp !== undefined &&
    embed.timestamp !== null &&
    (typeof embed.timestamp !== 'string' || !Number.isFinite(Date.parse(embed.timestamp)))
  ) {
    errors.add(
      at('timestamp'),
      'DATE_TYPE_PARSE',
      `Could not parse ${JSON.stringify(embed.timestamp)}. Should be ISO8601.`,
    );
  }
  if (embed.fields !== undefined && embed.fields !== null) {
    if (!Array.isArray(embed.fields)) {
      errors.add(at('fields'), 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    } else {
      if (embed.fields.length > 25)
        errors.add(at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      embed.fields.forEach((field: unknown, fieldIndex) => {
        if (!isRecord(field)) {
          errors.add(
            at('fields', fieldIndex),
            'DICT_TYPE_CONVERT',
            'Only dictionaries may be used in a DictType',
          );
          return;
        }
        size += checkString(errors, at('fields', fieldIndex, 'name'), field.name, 256, true);
        size += checkString(errors, at('fields', fieldIndex, 'value'), field.value, 1024, true);
      });
    }
  }
  if (isRecord(embed.footer))
    size += checkString(errors, at('footer', 'text'), embed.footer.text, 2048, true);
  if (isRecord(embed.author))
    size += checkString(errors, at('author', 'name'), embed.author.name, 256, true);
  return size;
}

function checkUsername(errors: FormErrors, value: unknown): void {
  if (value === undefined || value === null) return;
  checkString(errors, ['username'], value, 80, true);
  if (typeof value !== 'string') return;
  const lower = value.toLowerCase();
  for (const word of ['discord', 'clyde']) {
    if (lower.includes(word))
      errors.add(['username'], 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${word}"`);
  }
  if (lower === 'everyone' || lower === 'here')
    errors.add(['username'], 'USERNAME_INVALID', `Username cannot be "${lower}"`);
}

/** Discord's checks of an Execute Webhook body, in its order: form errors, then emptiness. */
function validateBody(body: unknown): WebhookReply | null {
  const errors = new FormErrors();
  if (!isRecord(body)) {
    errors.add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return json(400, {
      message: 'Invalid Form Body',
      code: WEBHOOK_ERROR_CODES.INVALID_FORM_BODY,
      errors: errors.tree,
    });
  }
  checkString(errors, ['content'], body.content, 2000);
  checkUsername(errors, body.username);
  checkString(errors, ['avatar_url'], body.avatar_url, 2048);
  let embedCount = 0;
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      errors.add(['embeds'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    } else {
      embedCount = body.embeds.length;
      if (embedCount > 10)
        errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
      let total = 0;
      body.embeds.forEach((embed: unknown, index) => {
        total += checkEmbed(errors, index, embed);
      });
      if (total > 6000)
        errors.add(
          ['embeds'],
          'MAX_EMBED_SIZE_EXCEEDED',
          'Embed size exceeds maximum size of 6000',
        );
    }
  }
  if (errors.count > 0) {
    return json(400, {
      message: 'Invalid Form Body',
      code: WEBHOOK_ERROR_CODES.INVALID_FORM_BODY,
      errors: errors.tree,
    });
  }
  const content = typeof body.content === 'string' ? body.content : '';
  if (content.length === 0 && embedCount === 0) {
    return json(400, {
      message: 'Cannot send an empty message',
      code: WEBHOOK_ERROR_CODES.CANNOT_SEND_EMPTY_MESSAGE,
    });
  }
  return null;
}

/** What a posted message holds besides its columns (its wire form depends on the intent). */
interface PostedMessage {
  readonly webhookId: string;
  readonly authorJson: string;
  readonly contentJson: string;
  readonly embedsJson: string;
  readonly mentionsJson: string;
  readonly mentionRolesJson: string;
  readonly mentionEveryone: boolean;
  readonly flags: number;
  readonly tts: boolean;
}

/** Messages created by webhook executions, per channel and message index. */
const postedMessages = new WeakMap<ChannelState, Map<number, PostedMessage>>();

/**
 * The wire JSON of a message created through a webhook, or undefined for any other message. Hooked
 * into `messageJson`, so listings, single-message reads and the `wait=true` answer agree.
 */
export function webhookMessageJson(
  channel: ChannelState,
  index: number,
  messageContent: boolean,
): string | undefined {
  const posted = postedMessages.get(channel)?.get(index);
  if (posted === undefined) return undefined;
  const columns = channel.messages;
  const id = (columns.ids[index] ?? 0n).toString();
  const time = columns.times[index] ?? 0;
  let text =
    `{"type":0,"content":${messageContent ? posted.contentJson : '""'},` +
    `"mentions":${posted.mentionsJson},"mention_roles":${posted.mentionRolesJson},"attachments":[],` +
    `"embeds":${messageContent ? posted.embedsJson : '[]'},"timestamp":"${discordTimestamp(time)}",` +
    `"edited_timestamp":null,"flags":${posted.flags},"components":[],"id":"${id}",` +
    `"channel_id":"${channel.id}","author":${posted.authorJson},"pinned":false,` +
    `"mention_everyone":${posted.mentionEveryone ? 'true' : 'false'},"tts":${posted.tts ? 'true' : 'false'},` +
    `"webhook_id":"${posted.webhookId}"`;
  if (channel.isThread) text += `,"position":${index}`;
  return `${text}}`;
}

/** A webhook message's `author` (the webhook, or the `username` override). */
function authorJson(id: string, username: string, avatarUrl: string | null): string {
  const avatar =
    avatarUrl === null
      ? 'null'
      : `"${[0, 1, 2, 3].map((part) => hashString(`${part}:${avatarUrl}`).toString(16).padStart(8, '0')).join('')}"`;
  return (
    `{"id":"${id}","username":${JSON.stringify(username)},"avatar":${avatar},` +
    `"discriminator":"0000","public_flags":0,"flags":0,"bot":true,"global_name":null,"clan":null,"primary_guild":null}`
  );
}

/** An embed as Discord returns it: `type: 'rich'`, `inline` set, timestamps in Discord's form. */
function normalizeEmbed(embed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: typeof embed.type === 'string' ? embed.type : 'rich',
  };
  if (typeof embed.url === 'string') out.url = embed.url;
  if (typeof embed.title === 'string') out.title = embed.title;
  if (typeof embed.description === 'string') out.description = embed.description;
  if (typeof embed.color === 'number') out.color = embed.color;
  if (typeof embed.timestamp === 'string')
    out.timestamp = discordTimestamp(Date.parse(embed.timestamp));
  if (Array.isArray(embed.fields)) {
    out.fields = embed.fields.filter(isRecord).map((field) => ({
      name: field.name,
      value: field.value,
      inline: field.inline === true,
    }));
  }
  if (isRecord(embed.author)) out.author = { ...embed.author };
  if (isRecord(embed.footer)) out.footer = { ...embed.footer };
  if (isRecord(embed.image)) out.image = { ...embed.image };
  if (isRecord(embed.thumbnail)) out.thumbnail = { ...embed.thumbnail };
  out.content_scan_version = 0;
  return out;
}

/** Which mentions of `content` ping, under `allowed_mentions` (absent: all of them). */
function resolveMentions(
  state: DiscordState,
  content: string,
  allowed: unknown,
): { users: string[]; roles: string[]; everyone: boolean } {
  let parse: unknown[] = ['users', 'roles', 'everyone'];
  let users: unknown[] = [];
  let roles: unknown[] = [];
  if (isRecord(allowed)) {
    parse = Array.isArray(allowed.parse) ? allowed.parse : [];
    users = Array.isArray(allowed.users) ? allowed.users : [];
    roles = Array.isArray(allowed.roles) ? allowed.roles : [];
  }
  const mentionedUsers = new Set<string>();
  for (const found of content.matchAll(/<@!?(\d{1,20})>/g)) {
    const id = found[1] ?? '';
    if (state.usersById.has(id) && (parse.includes('users') || users.includes(id)))
      mentionedUsers.add(id);
  }
  const mentionedRoles = new Set<string>();
  for (const found of content.matchAll(/<@&(\d{1,20})>/g)) {
    const id = found[1] ?? '';
    if (
      state.roles.some((role) => role.id === id) &&
      (parse.includes('roles') || roles.includes(id))
    )
      mentionedRoles.add(id);
  }
  return {
    users: [...mentionedUsers],
    roles: [...mentionedRoles],
    everyone: parse.includes('everyone') && /@(?:everyone|here)\b/.test(content),
  };
}

/** The webhooks of one fake server and their executions. */
export class WebhookHub {
  readonly #state: DiscordState;
  readonly #webhooks: Array<{ state: WebhookState; token: string; channelId: string }> = [];
  /** Every accepted execution, oldest first (a live array). */
  readonly posts: FakeDiscordWebhookPost[] = [];

  constructor(state: DiscordState, options: readonly FakeDiscordWebhookOptions[] | undefined) {
    this.#state = state;
    const given: unknown = options ?? [{}];
    if (!Array.isArray(given))
      throw invalid('webhooks must be an array of { id?, token?, channelId?, name? }');
    const list = given as readonly FakeDiscordWebhookOptions[];
    const fallbackChannel =
      state.channels.find((channel) => channel.role === 'announcements') ??
      state.channels.find((channel) => channel.type === DISCORD_CHANNEL_TYPES.GUILD_TEXT);
    const seen = new Set<string>();
    list.forEach((webhook, position) => {
      const random = createRandom(hashString(`webhook:${state.guildId}:${position}`));
      const id =
        webhook.id ??
        snowflakeFromTime(state.createdAt + 86_400_000 * (position + 1), random.int(0, 0x3fffff));
      if (!isSnowflake(id) || id.length < 17)
        throw invalid(`webhooks[${position}].id must be a snowflake (17–20 digits)`);
      if (seen.has(id)) throw invalid(`webhooks[${position}].id ${id} is used twice`);
      seen.add(id);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      let token = webhook.token;
      if (token === undefined) {
        token = '';
        for (let char = 0; char < 68; char++) token += alphabet[random.int(0, 63)] ?? 'A';
      }
      if (!/^[\w-]{1,200}$/.test(token))
        throw invalid(`webhooks[${position}].token must be 1–200 letters, digits, - or _`);
      const channel =
        webhook.channelId === undefined
          ? fallbackChannel
          : state.channelsById.get(webhook.channelId);
      if (
        channel === undefined ||
        channel.isThread ||
        channel.type === DISCORD_CHANNEL_TYPES.GUILD_CATEGORY ||
        channel.type === DISCORD_CHANNEL_TYPES.GUILD_FORUM ||
        channel.type === DISCORD_CHANNEL_TYPES.GUILD_MEDIA
      ) {
        throw invalid(
          `webhooks[${position}].channelId must be a text, announcement or voice channel of the guild`,
        );
      }
      const name = webhook.name ?? 'ClanStats';
      if (name.length < 1 || name.length > 80)
        throw invalid(`webhooks[${position}].name must be 1–80 characters`);
      this.#webhooks.push({
        state: registerWebhook(state, id, name, channel.index),
        token,
        channelId: channel.id,
      });
    });
  }

  /** The webhooks, with the URL a user would paste. */
  list(origin: string): FakeDiscordWebhook[] {
    return this.#webhooks.map(({ state, token, channelId }) => ({
      id: state.id,
      token,
      channelId,
      name: state.name,
      url: `${origin}/api/webhooks/${state.id}/${token}`,
    }));
  }

  /**
   * Executes a webhook: checks it exists and its token (404 10015, 401 50027), reads and checks
   * the body (400 50109, 50035, 50006), stores the message and answers 204 (or 200 and the
   * message with `wait=true`).
   */
  async execute(
    target: WebhookTarget,
    request: IncomingMessage,
    query: URLSearchParams,
    at: Date,
  ): Promise<WebhookReply> {
    if (!isSnowflake(target.id)) {
      return json(400, {
        message: 'Invalid Form Body',
        code: WEBHOOK_ERROR_CODES.INVALID_FORM_BODY,
        errors: {
          webhook_id: {
            _errors: [
              { code: 'NUMBER_TYPE_COERCE', message: `Value "${target.id}" is not snowflake.` },
            ],
          },
        },
      });
    }
    const webhook = this.#webhooks.find((candidate) => candidate.state.id === target.id);
    if (webhook === undefined)
      return json(404, { message: 'Unknown Webhook', code: WEBHOOK_ERROR_CODES.UNKNOWN_WEBHOOK });
    if (webhook.token !== target.token) {
      return json(401, {
        message: 'Invalid Webhook Token',
        code: WEBHOOK_ERROR_CODES.INVALID_WEBHOOK_TOKEN,
      });
    }
    const raw = await readBody(request);
    if (raw === null)
      return json(413, {
        message: 'Request entity too large',
        code: WEBHOOK_ERROR_CODES.REQUEST_TOO_LARGE,
      });
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return json(400, {
          message: 'The request body contains invalid JSON.',
          code: WEBHOOK_ERROR_CODES.INVALID_JSON,
        });
      }
    }
    const invalidBody = validateBody(body);
    if (invalidBody !== null) return invalidBody;
    const fields = body as Record<string, unknown>;
    let channel = this.#state.channels[webhook.state.channelIndex];
    const threadId = query.get('thread_id');
    if (threadId !== null) {
      const thread = isSnowflake(threadId) ? this.#state.channelsById.get(threadId) : undefined;
      if (thread?.isThread !== true || thread.parentIndex !== webhook.state.channelIndex)
        return json(404, { message: 'Unknown Channel', code: WEBHOOK_ERROR_CODES.UNKNOWN_CHANNEL });
      channel = thread;
    }
    if (channel === undefined)
      return json(404, { message: 'Unknown Channel', code: WEBHOOK_ERROR_CODES.UNKNOWN_CHANNEL });
    const content = typeof fields.content === 'string' ? fields.content : '';
    const mentions = resolveMentions(this.#state, content, fields.allowed_mentions);
    const embeds = Array.isArray(fields.embeds) ? fields.embeds.filter(isRecord) : [];
    const username =
      typeof fields.username === 'string' && fields.username !== ''
        ? fields.username
        : webhook.state.name;
    const avatarUrl = typeof fields.avatar_url === 'string' ? fields.avatar_url : null;
    const flags = typeof fields.flags === 'number' ? fields.flags & (4 | 4096) : 0;

    // Stored like every other message: after everything in the guild, at the server clock or later.
    let time = at.getTime();
    for (const other of this.#state.channels) time = Math.max(time, other.messages.lastTime + 1);
    const index = channel.messages.push(
      time,
      -(webhook.state.index + 1),
      DISCORD_MESSAGE_TYPES.DEFAULT,
      mentions.everyone ? FLAG_EVERYONE : 0,
    );
    channel.overrides ??= new Map();
    channel.overrides.set(index, content);
    let posted = postedMessages.get(channel);
    if (posted === undefined) {
      posted = new Map();
      postedMessages.set(channel, posted);
    }
    posted.set(index, {
      webhookId: webhook.state.id,
      authorJson: authorJson(webhook.state.id, username, avatarUrl),
      contentJson: JSON.stringify(content),
      embedsJson: JSON.stringify(embeds.map(normalizeEmbed)),
      mentionsJson: `[${mentions.users
        .map((id) => this.#state.usersById.get(id)?.authorJson ?? 'null')
        .join(',')}]`,
      mentionRolesJson: JSON.stringify(mentions.roles),
      mentionEveryone: mentions.everyone,
      flags,
      tts: fields.tts === true,
    });
    if (channel.isThread && channel.archived) {
      channel.archived = false;
      channel.archiveTimestamp = time;
    }
    this.#state.version++;
    const messageId = (channel.messages.ids[index] ?? 0n).toString();
    this.posts.push({
      webhookId: webhook.state.id,
      channelId: channel.id,
      messageId,
      body,
      query,
      at,
    });
    const wait = query.get('wait');
    if (wait !== null && ['true', '1'].includes(wait.toLowerCase())) {
      return { status: 200, body: webhookMessageJson(channel, index, true) ?? 'null' };
    }
    return { status: 204, body: '' };
  }
}

function invalid(message: string): TestkitError {
  return new TestkitError('INVALID_OPTIONS', `startFakeDiscordServer: ${message}`, {
    option: 'webhooks',
  });
}

/**
 * Adds a webhook to the guild's state (so its messages resolve like the generated webhooks'), or
 * returns the existing one when a server on the same guild already added it.
 */
function registerWebhook(
  state: DiscordState,
  id: string,
  name: string,
  channelIndex: number,
): WebhookState {
  const existing = state.webhooks.find((webhook) => webhook.id === id);
  if (existing !== undefined) {
    if (existing.name !== name || existing.channelIndex !== channelIndex)
      throw invalid(`webhook ${id} already exists in this guild with another name or channel`);
    return existing;
  }
  const webhook: WebhookState = {
    index: state.webhooks.length,
    id,
    name,
    channelIndex,
    authorJson: authorJson(id, name, null),
  };
  // The generator's list is a plain array, typed readonly for the routes.
  (state.webhooks as WebhookState[]).push(webhook);
  return webhook;
}

/** Reads a request body as UTF-8, up to 8 MiB; null when larger. */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 8 * 1024 * 1024) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
