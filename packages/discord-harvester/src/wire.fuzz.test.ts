/**
 * Property tests of the Discord response checks (`wire.ts`). The shapes below restate, field by
 * field, what the harvester reads from each response (discord-api.md §1–2) and what it makes of an
 * absent field. They drive the generators of realistic responses (with the fields the harvester
 * ignores), a reference checker that lists every path a response gets wrong, and the expected
 * parse, independently of the parser's own order of checks.
 *
 * Runs and seed: see `fuzz-helpers.ts` (`pnpm fuzz` runs longer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHarvestChannel } from './discovery.js';
import { DiscordHarvesterError, isDiscordHarvesterError } from './errors.js';
import { FUZZ_TIMEOUT, fuzzParameters, hostileText } from './fuzz-helpers.js';
import { contentEvidence, mapPage, type ChannelContext } from './map.js';
import { isSnowflake, snowflakeToTimestamp } from './snowflake.js';
import type { HarvestChannel } from './types.js';
import {
  parseChannels,
  parseGuild,
  parseMember,
  parseMembers,
  parseMessages,
  parseThreadList,
  parseUser,
  type ResponseOrigin,
  type WireChannel,
  type WireMessage,
} from './wire.js';

// --- Leaves ----------------------------------------------------------------------------------

const MAX_UINT64 = (1n << 64n) - 1n;
const snowflake = fc.bigInt({ min: 0n, max: MAX_UINT64 }).map(String);
const isoTime = fc
  .date({
    min: new Date('2015-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().replace('Z', '+00:00'));
const anyJson = fc.jsonValue({ maxDepth: 1 });
/** An absent field: `undefined` is left out of the JSON, `null` is sent. */
const absent = fc.constantFrom(undefined, null);

const NOT_SCALARS = [{}, [], true] as const;

/**
 * One kind of field: the values Discord sends, which values the parser must accept, what the
 * harvester gets for them, and values of the wrong type or form (each must be rejected, naming the
 * field).
 */
interface Leaf {
  sample: fc.Arbitrary<unknown>;
  accepts: (value: unknown) => boolean;
  read: (value: unknown) => unknown;
  wrong: readonly unknown[];
}

const same = (value: unknown): unknown => value;
const LEAVES = {
  /** A canonical snowflake string: the rest of the harvester compares and decodes them. */
  snowflake: {
    sample: snowflake,
    accepts: isSnowflake,
    read: same,
    wrong: [
      5,
      '',
      'abc',
      '-1',
      '1.5',
      ' 1',
      '01',
      '18446744073709551616',
      '1'.repeat(21),
      ...NOT_SCALARS,
    ],
  },
  string: {
    sample: fc.oneof(fc.string({ maxLength: 12 }), hostileText(6)),
    accepts: (value) => typeof value === 'string',
    read: same,
    wrong: [0, 1.5, ...NOT_SCALARS],
  },
  integer: {
    sample: fc.integer({ min: -1, max: 2 ** 31 }),
    accepts: Number.isInteger,
    read: same,
    wrong: [1.5, '1', ...NOT_SCALARS],
  },
  /** A permission bitfield: a decimal string. */
  bits: {
    sample: fc.bigInt({ min: 0n, max: MAX_UINT64 }).map(String),
    accepts: (value) => typeof value === 'string' && /^\d+$/.test(value),
    read: same,
    wrong: [8, '', '-1', '1.5', '0x10', ' 8', ...NOT_SCALARS],
  },
  /** A boolean; absent is `false`. */
  flag: {
    sample: fc.oneof(fc.boolean(), absent),
    accepts: (value) => value === undefined || value === null || typeof value === 'boolean',
    read: (value) => value === true,
    wrong: ['true', 'false', 0, 1, {}, []],
  },
  /** An array the harvester only counts; absent is 0. */
  count: {
    sample: fc.oneof(fc.array(anyJson, { maxLength: 3 }), absent),
    accepts: (value) => value === undefined || value === null || Array.isArray(value),
    read: (value) => (Array.isArray(value) ? value.length : 0),
    wrong: [0, 1, 'x', {}, true],
  },
  /** Anything; the harvester only asks whether it is there (a poll). */
  present: {
    sample: fc.oneof(anyJson, absent),
    accepts: () => true,
    read: (value) => value !== undefined && value !== null,
    wrong: [],
  },
} as const satisfies Record<string, Leaf>;

type LeafKind = keyof typeof LEAVES;

// --- Shapes ----------------------------------------------------------------------------------

type Reads = Record<string, unknown>;

type Spec =
  | { kind: 'leaf'; leaf: LeafKind; sample?: fc.Arbitrary<unknown> }
  /** `null` or left out: the harvester gets `fallback(value)`. */
  | { kind: 'optional'; of: Spec; fallback: (value: null | undefined) => unknown }
  | {
      kind: 'object';
      fields: Record<string, Spec>;
      /** Fields Discord sends that the harvester ignores. */
      ignored: readonly string[];
      /** What the harvester makes of the fields read (default: the fields as read). */
      build?: (reads: Reads) => unknown;
      /** Its fields are named without its own name (the thread list: `threads`, not `body.threads`). */
      flat?: boolean;
    }
  | { kind: 'list'; items: Spec; maxLength: number };

const leaf = (kind: LeafKind, sample?: fc.Arbitrary<unknown>): Spec =>
  sample === undefined ? { kind: 'leaf', leaf: kind } : { kind: 'leaf', leaf: kind, sample };
const orElse = (of: Spec, fallback: unknown): Spec => ({
  kind: 'optional',
  of,
  fallback: () => fallback,
});
/** `null` stays `null`, a left-out field stays `undefined`. */
const nullish = (of: Spec): Spec => ({ kind: 'optional', of, fallback: same });
const list = (items: Spec, maxLength = 3): Spec => ({ kind: 'list', items, maxLength });
function object(
  fields: Record<string, Spec>,
  ignored: readonly string[],
  build?: (reads: Reads) => unknown,
): Spec {
  return build === undefined
    ? { kind: 'object', fields, ignored }
    : { kind: 'object', fields, ignored, build };
}

const id = leaf('snowflake');
const text = leaf('string');
const time = leaf('string', fc.oneof(isoTime, fc.string({ maxLength: 8 })));
const MESSAGE_TYPES = [0, 6, 7, 8, 18, 19, 20, 21, 23, 46];
const CHANNEL_TYPES = [0, 2, 4, 5, 10, 11, 12, 13, 15, 16];
const typeOf = (values: number[]): Spec =>
  leaf('integer', fc.oneof(fc.constantFrom(...values), fc.integer({ min: -1, max: 300 })));

const user = object(
  {
    id,
    username: text,
    global_name: orElse(text, null),
    bot: leaf('flag'),
    system: leaf('flag'),
  },
  ['avatar', 'discriminator', 'public_flags', 'flags', 'banner', 'accent_color', 'clan'],
);

const channel = object(
  {
    id,
    type: typeOf(CHANNEL_TYPES),
    name: orElse(text, ''),
    guild_id: orElse(id, null),
    parent_id: orElse(id, null),
    position: orElse(leaf('integer'), 0),
    permission_overwrites: orElse(
      list(
        object({ id, type: typeOf([0, 1]), allow: leaf('bits'), deny: leaf('bits') }, ['flags']),
      ),
      [],
    ),
    last_message_id: orElse(id, null),
    owner_id: orElse(id, null),
    thread_metadata: orElse(
      object(
        { archived: leaf('flag'), archive_timestamp: orElse(time, null), locked: leaf('flag') },
        ['auto_archive_duration', 'create_timestamp', 'invitable'],
      ),
      null,
    ),
    message_count: orElse(leaf('integer'), null),
  },
  ['topic', 'nsfw', 'flags', 'rate_limit_per_user', 'member_count', 'total_message_sent'],
);

const referencedMessage = object(
  {
    id,
    author: user,
    content: orElse(text, ''),
    type: orElse(typeOf(MESSAGE_TYPES), 0),
    webhook_id: orElse(id, null),
  },
  ['channel_id', 'timestamp', 'embeds', 'attachments', 'mentions', 'pinned', 'flags'],
);

/** Only the mentioned user's id is read. */
const mention = object({ id }, ['username', 'global_name', 'bot', 'avatar'], (reads) => reads.id);

const message = object(
  {
    id,
    channel_id: id,
    author: user,
    content: orElse(text, ''),
    edited_timestamp: orElse(time, null),
    type: typeOf(MESSAGE_TYPES),
    mentions: orElse(list(mention), []),
    mention_roles: leaf('count'),
    mention_everyone: leaf('flag'),
    attachments: leaf('count'),
    embeds: leaf('count'),
    components: leaf('count'),
    sticker_items: leaf('count'),
    message_snapshots: leaf('count'),
    poll: leaf('present'),
    message_reference: orElse(
      object({ message_id: orElse(id, null) }, ['type', 'channel_id', 'guild_id']),
      null,
    ),
    referenced_message: nullish(referencedMessage),
    thread: orElse(channel, null),
    webhook_id: orElse(id, null),
  },
  ['timestamp', 'pinned', 'tts', 'flags', 'nonce', 'reactions', 'application_id', 'position'],
  (reads): WireMessage => {
    const mentionIds = reads.mentions as string[];
    return {
      id: reads.id as string,
      channel_id: reads.channel_id as string,
      author: reads.author as WireMessage['author'],
      content: reads.content as string,
      edited_timestamp: reads.edited_timestamp as string | null,
      type: reads.type as number,
      mentionCount:
        mentionIds.length + (reads.mention_roles as number) + (reads.mention_everyone ? 1 : 0),
      attachmentCount: reads.attachments as number,
      embedCount: reads.embeds as number,
      componentCount: reads.components as number,
      stickerCount: reads.sticker_items as number,
      snapshotCount: reads.message_snapshots as number,
      hasPoll: reads.poll as boolean,
      message_reference: reads.message_reference as WireMessage['message_reference'],
      referenced_message: reads.referenced_message as WireMessage['referenced_message'],
      thread: reads.thread as WireChannel | null,
      webhook_id: reads.webhook_id as string | null,
      mentionIds,
    };
  },
);

const member = object(
  {
    user: orElse(user, undefined),
    nick: orElse(text, null),
    joined_at: orElse(time, null),
    roles: orElse(list(id), []),
  },
  ['avatar', 'premium_since', 'deaf', 'mute', 'flags', 'pending', 'communication_disabled_until'],
);

const guild = object(
  {
    id,
    name: text,
    owner_id: id,
    roles: list(object({ id, permissions: leaf('bits') }, ['name', 'color', 'position', 'hoist'])),
  },
  ['icon', 'features', 'verification_level', 'premium_tier', 'description', 'preferred_locale'],
);

const threadList: Spec = {
  kind: 'object',
  flat: true,
  fields: {
    threads: list(channel),
    members: orElse(
      list(
        object(
          { id: orElse(id, null) },
          ['user_id', 'join_timestamp', 'flags'],
          (reads) => reads.id,
        ),
      ),
      [],
    ),
    has_more: leaf('flag'),
  },
  ignored: [],
  build: (reads) => ({
    threads: reads.threads,
    joined: new Set((reads.members as Array<string | null>).filter((joined) => joined !== null)),
    has_more: reads.has_more,
  }),
};

// --- The parsers, and what the harvester does next with what they return ---------------------

const GUILD = '81384788765712384';
const BOT = '159985870458322944';

/** A forum post with a relay rule: the mapping asks every question it can. */
const postContext: ChannelContext = {
  channel: toHarvestChannel(
    parseChannels([{ id: '1100000000000000000', type: 11, name: 'How to get 99 agility?' }], {
      url: '/fixture',
      route: 'GET /fixture',
    })[0] as WireChannel,
    GUILD,
  ),
  isPost: true,
  relay: { channelId: '1100000000000000000' },
  includeContent: true,
  botUserId: BOT,
};

/** The next steps of the harvester: ids decoded, channels converted, pages mapped. */
function useChannel(channel: WireChannel): HarvestChannel {
  snowflakeToTimestamp(channel.id);
  return toHarvestChannel(channel, GUILD);
}

function useChannels(channels: WireChannel[]): void {
  for (const each of channels) useChannel(each);
}

function useMessages(page: WireMessage[]): void {
  for (const { id: messageId, channel_id: channelId, thread } of page) {
    snowflakeToTimestamp(messageId);
    snowflakeToTimestamp(channelId);
    if (thread !== null) useChannel(thread);
  }
  contentEvidence(page, BOT);
  mapPage(page, postContext, true, true);
  mapPage(page, { ...postContext, isPost: false, relay: undefined }, false, false);
}

interface Parser {
  name: string;
  /** The name the parser gives the whole response in `field`. */
  root: string;
  spec: Spec;
  parse: (value: unknown, origin: ResponseOrigin) => unknown;
  /** What the harvester does next with an accepted response; must not throw. */
  use: (parsed: never) => void;
}

const PARSERS: Parser[] = [
  {
    name: 'GET /channels/:id/messages',
    root: 'messages',
    spec: list(message),
    parse: parseMessages,
    use: useMessages,
  },
  {
    name: 'GET /guilds/:id/channels',
    root: 'channels',
    spec: list(channel),
    parse: parseChannels,
    use: useChannels,
  },
  {
    name: 'GET /guilds/:id/threads/active and the archived thread lists',
    root: 'body',
    spec: threadList,
    parse: parseThreadList,
    use: (list: { threads: WireChannel[] }) => {
      useChannels(list.threads);
    },
  },
  {
    name: 'GET /guilds/:id/members',
    root: 'members',
    spec: list(member),
    parse: parseMembers,
    use: () => undefined,
  },
  {
    name: 'GET /guilds/:id/members/:id',
    root: 'member',
    spec: member,
    parse: parseMember,
    use: () => undefined,
  },
  { name: 'GET /guilds/:id', root: 'guild', spec: guild, parse: parseGuild, use: () => undefined },
  { name: 'GET /users/@me', root: 'user', spec: user, parse: parseUser, use: () => undefined },
];

// --- Generators, reference checker, expected parse -------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fieldPath = (spec: Spec & { kind: 'object' }, path: string, key: string): string =>
  spec.flat === true ? key : `${path}.${key}`;

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/** Responses as Discord sends them: every field the harvester reads, and some it ignores. */
function arbitrary(spec: Spec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'leaf':
      return spec.sample ?? LEAVES[spec.leaf].sample;
    case 'optional':
      return fc.oneof(absent, arbitrary(spec.of));
    case 'list':
      return fc.array(arbitrary(spec.items), { maxLength: spec.maxLength });
    case 'object': {
      const known = fc.record(
        Object.fromEntries(
          Object.entries(spec.fields).map(([key, field]) => [key, arbitrary(field)]),
        ),
      );
      const ignored =
        spec.ignored.length === 0
          ? fc.constant({})
          : fc.dictionary(fc.constantFrom(...spec.ignored), anyJson, { maxKeys: 3 });
      return fc
        .tuple(ignored, known)
        .map(([extra, fields]) => withoutUndefined({ ...extra, ...fields }));
    }
  }
}

/** Every path at which `value` breaks `spec`, as the parser names it (empty when valid). */
function violations(spec: Spec, value: unknown, path: string): string[] {
  switch (spec.kind) {
    case 'leaf':
      return LEAVES[spec.leaf].accepts(value) ? [] : [path];
    case 'optional':
      return value === undefined || value === null ? [] : violations(spec.of, value, path);
    case 'list':
      return Array.isArray(value)
        ? value.flatMap((item, index) => violations(spec.items, item, `${path}[${index}]`))
        : [path];
    case 'object':
      return isObject(value)
        ? Object.entries(spec.fields).flatMap(([key, field]) =>
            violations(field, value[key], fieldPath(spec, path, key)),
          )
        : [path];
  }
}

/** What the harvester gets for a valid `value`. */
function expected(spec: Spec, value: unknown): unknown {
  switch (spec.kind) {
    case 'leaf':
      return LEAVES[spec.leaf].read(value);
    case 'optional':
      return value === undefined || value === null
        ? spec.fallback(value)
        : expected(spec.of, value);
    case 'list':
      return (value as unknown[]).map((item) => expected(spec.items, item));
    case 'object': {
      const fields = value as Record<string, unknown>;
      const reads = Object.fromEntries(
        Object.entries(spec.fields).map(([key, field]) => [key, expected(field, fields[key])]),
      );
      return spec.build === undefined ? reads : spec.build(reads);
    }
  }
}

/** Values of the wrong type or form for `spec`: each must be rejected, naming its path. */
function wrongValues(spec: Spec): readonly unknown[] {
  switch (spec.kind) {
    case 'leaf':
      return LEAVES[spec.leaf].wrong;
    case 'optional':
      return wrongValues(spec.of);
    case 'list':
      return [{}, 'x', 0, true];
    case 'object':
      return [[], 'x', 0, true];
  }
}

/** Whether some field of `spec` may be `null` or left out (the guild has none). */
function hasFallback(spec: Spec): boolean {
  switch (spec.kind) {
    case 'leaf':
      return LEAVES[spec.leaf].accepts(null);
    case 'optional':
      return true;
    case 'list':
      return hasFallback(spec.items);
    case 'object':
      return Object.values(spec.fields).some(hasFallback);
  }
}

// --- Mutations -------------------------------------------------------------------------------

/** A place in a response: a field (present or not) or a list item, or the whole response. */
interface Place {
  path: string;
  spec: Spec;
  holder: Record<string, unknown> | unknown[] | undefined;
  key: string | number;
}

function places(
  spec: Spec,
  value: unknown,
  path: string,
  holder?: Place['holder'],
  key: string | number = '',
): Place[] {
  const found: Place[] = [{ path, spec, holder, key }];
  const inner = spec.kind === 'optional' ? spec.of : spec;
  if (inner.kind === 'list' && Array.isArray(value)) {
    value.forEach((item, index) =>
      found.push(...places(inner.items, item, `${path}[${index}]`, value, index)),
    );
  } else if (inner.kind === 'object' && isObject(value)) {
    for (const [field, fieldSpec] of Object.entries(inner.fields))
      found.push(...places(fieldSpec, value[field], fieldPath(inner, path, field), value, field));
  }
  return found;
}

type Mutation =
  | { kind: 'wrong'; pick: number }
  | { kind: 'null' }
  | { kind: 'drop' }
  | { kind: 'replace'; with: unknown };

/**
 * `document` (a fresh copy) with the place `target` picks mutated. Returns the new response, the
 * path of the place, and whether a value of the wrong type went there (a field that takes anything
 * gets `null` instead).
 */
function mutate(
  parser: Parser,
  document: unknown,
  target: number,
  mutation: Mutation,
): { response: unknown; path: string; wrongType: boolean } {
  const all = places(parser.spec, document, parser.root);
  const { holder, key, path, spec } = all[target % all.length] as Place;
  const wrong = wrongValues(spec);
  const wrongType = mutation.kind === 'wrong' && wrong.length > 0;
  let replacement: unknown = mutation.kind === 'drop' ? undefined : null;
  if (mutation.kind === 'replace') replacement = mutation.with;
  if (mutation.kind === 'wrong' && wrongType) replacement = wrong[mutation.pick % wrong.length];
  if (holder === undefined) return { response: replacement, path, wrongType };
  if (Array.isArray(holder)) {
    if (mutation.kind === 'drop') holder.splice(key as number, 1);
    else holder[key as number] = replacement;
  } else if (replacement === undefined) Reflect.deleteProperty(holder, key);
  else holder[key as string] = replacement;
  return { response: document, path, wrongType };
}

// --- Properties ------------------------------------------------------------------------------

const ORIGIN: ResponseOrigin = {
  url: '/channels/1/messages?limit=100',
  route: 'GET /channels/:id/messages',
  channelId: '1',
};

/** The response as the harvester receives it: parsed JSON. */
const overTheWire = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

/**
 * Checks the parser against the model on one response: accepted with the expected fields (which
 * the harvester then uses without error), or `INVALID_RESPONSE` naming a path the model names.
 * Returns the paths the model found wrong.
 */
function checkAgainstModel(parser: Parser, response: unknown): string[] {
  const found = violations(parser.spec, response, parser.root);
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: parser.parse(response, ORIGIN) };
  } catch (error) {
    outcome = { error };
  }
  if (found.length === 0) {
    expect(outcome).toEqual({ value: expected(parser.spec, response) });
    parser.use((outcome as { value: unknown }).value as never);
    return found;
  }
  expect(outcome).toHaveProperty('error');
  const { error } = outcome as { error: unknown };
  expect(error).toBeInstanceOf(DiscordHarvesterError);
  expect(isDiscordHarvesterError(error)).toBe(true);
  expect(error).toMatchObject({
    code: 'INVALID_RESPONSE',
    url: ORIGIN.url,
    route: ORIGIN.route,
    channelId: ORIGIN.channelId,
  });
  expect(found).toContain((error as DiscordHarvesterError).field);
  return found;
}

const isUnder = (field: string, path: string): boolean =>
  field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

describe.each(PARSERS)('$name', (parser) => {
  it(
    'accepts every response Discord sends and gives the harvester the fields it reads',
    () => {
      fc.assert(
        fc.property(arbitrary(parser.spec), (document) => {
          const response = overTheWire(document);
          expect(violations(parser.spec, response, parser.root)).toEqual([]);
          checkAgainstModel(parser, response);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'rejects a field of the wrong type, or null or left out where required, naming exactly that field',
    () => {
      const seen = { accepted: 0, rejected: 0 };
      const mutation = fc.oneof(
        fc.nat().map((pick): Mutation => ({ kind: 'wrong', pick })),
        fc.constant<Mutation>({ kind: 'null' }),
        fc.constant<Mutation>({ kind: 'drop' }),
      );
      fc.assert(
        fc.property(arbitrary(parser.spec), fc.nat(), mutation, (document, target, change) => {
          const { response, path, wrongType } = mutate(
            parser,
            overTheWire(document),
            target,
            change,
          );
          const found = checkAgainstModel(parser, overTheWire(response));
          if (found.length === 0) {
            seen.accepted += 1;
            // Only null or a left-out field where the harvester has a fallback, or a list item less.
            expect(wrongType).toBe(false);
          } else {
            seen.rejected += 1;
            expect(found).toEqual([path]);
          }
        }),
        fuzzParameters(),
      );
      // Not vacuous: some mutations break the response, and those in a field with a fallback do not.
      expect(seen.rejected).toBeGreaterThan(0);
      if (hasFallback(parser.spec)) expect(seen.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'with any value in place of any part, accepts what the model accepts and otherwise throws only INVALID_RESPONSE naming a field under it',
    () => {
      const value = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json: true, value: json })),
        fc.anything({ maxDepth: 3 }).map((thing) => ({ json: false, value: thing })),
      );
      fc.assert(
        fc.property(arbitrary(parser.spec), fc.nat(), value, (document, target, replacement) => {
          const { response, path } = mutate(parser, overTheWire(document), target, {
            kind: 'replace',
            with: replacement.value,
          });
          const received = replacement.json ? overTheWire(response) : response;
          const found = checkAgainstModel(parser, received);
          // When the whole response is replaced, any field may be at fault (the thread list's are
          // named without its own name: `threads`, not `body.threads`).
          if (path !== parser.root)
            for (const field of found) expect(isUnder(field, path)).toBe(true);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'throws only INVALID_RESPONSE on any JSON or JavaScript value at all',
    () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (response) => {
          checkAgainstModel(parser, response);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );
});
