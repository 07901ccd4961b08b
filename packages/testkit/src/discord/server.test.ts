import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyntheticClan, createSyntheticDiscord, startFakeDiscordServer } from '../index.js';
import type { FakeDiscordServer, SyntheticDiscord } from '../index.js';

const TOKEN = 'fake-discord-token';
const clan = createSyntheticClan();
let discord: SyntheticDiscord;
let server: FakeDiscordServer;

interface WireMessage {
  id: string;
  type: number;
  content: string;
  channel_id: string;
  flags: number;
  embeds: unknown[];
  attachments: unknown[];
  components: unknown[];
  author: { id: string; username: string; discriminator: string; bot?: boolean };
  message_reference?: { message_id?: string; channel_id: string };
  referenced_message?: WireMessage | null;
  thread?: { id: string };
  webhook_id?: string;
}
interface WireThread {
  id: string;
  type: number;
  parent_id: string;
  owner_id: string;
  message_count: number;
  thread_metadata: { archived: boolean; archive_timestamp: string; locked: boolean };
}
interface ThreadList {
  threads: WireThread[];
  members: Array<{ id: string; user_id: string }>;
  has_more?: boolean;
}

beforeAll(async () => {
  discord = createSyntheticDiscord(clan);
  server = await startFakeDiscordServer({ clan, discord, rateLimit: false });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearFaults();
  server.setIntents({ messageContent: true, guildMembers: true });
  server.setBotPermissions({ manageThreads: false });
});

const call = (path: string, token: string | null = TOKEN): Promise<Response> =>
  fetch(`${server.url}/v10${path}`, {
    headers: token === null ? {} : { Authorization: `Bot ${token}` },
  });
async function json<Type>(path: string, status = 200): Promise<Type> {
  const response = await call(path);
  expect([path, response.status]).toEqual([path, status]);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Type;
}
const channelId = (name: string): string => {
  const channel = discord.channels.find((candidate) => candidate.name === name);
  if (channel === undefined) throw new Error(name);
  return channel.id;
};
const ids = (messages: ReadonlyArray<{ id: string }>): string[] => messages.map(({ id }) => id);

describe('authentication', () => {
  it('401 without a valid Bot token; the log never holds the token', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await call('/users/@me', token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    }
    const bearer = await fetch(`${server.url}/v10/users/@me`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(401);
    const me = await json<{ id: string; username: string; bot: boolean }>('/users/%40me');
    expect(me).toMatchObject({ id: discord.botUser.id, username: 'ClanStats', bot: true });
    const log = server.requests.slice(-4);
    expect(log.map((request) => request.authorized)).toEqual([false, false, false, true]);
    expect(JSON.stringify(server.requests)).not.toContain(TOKEN);
    expect(log[3]?.route).toBe('GET /users/@me');
  });

  it('unknown routes 404, other methods 405, outside /api/v10 404', async () => {
    expect((await call('/nope')).status).toBe(404);
    const post = await fetch(`${server.url}/v10/users/@me`, {
      method: 'POST',
      headers: { Authorization: `Bot ${TOKEN}` },
    });
    expect(post.status).toBe(405);
    expect((await fetch(`${server.origin}/v9/users/@me`)).status).toBe(401);
  });
});

describe('guild', () => {
  it('serves the guild with roles (permission strings), the bot member and the channels', async () => {
    const guild = await json<{
      id: string;
      owner_id: string;
      roles: Array<{ id: string; permissions: string; tags?: { bot_id: string } }>;
      approximate_member_count?: number;
    }>(`/guilds/${discord.guild.id}?with_counts=true`);
    expect(guild.id).toBe(discord.guild.id);
    expect(guild.owner_id).toBe(discord.guild.ownerId);
    expect(guild.roles.map((role) => role.id)).toEqual(discord.guild.roles.map((role) => role.id));
    expect(guild.roles.every((role) => /^\d+$/.test(role.permissions))).toBe(true);
    expect(guild.roles.find((role) => role.tags?.bot_id === discord.botUser.id)).toBeDefined();
    expect(guild.approximate_member_count).toBe(discord.members.length);
    const me = await json<{ roles: string[]; user: { id: string } }>(
      `/guilds/${discord.guild.id}/members/${discord.botUser.id}`,
    );
    expect(me.user.id).toBe(discord.botUser.id);
    expect(me.roles.length).toBeGreaterThan(0);
    const channels = await json<
      Array<{
        id: string;
        type: number;
        parent_id: string | null;
        permission_overwrites: unknown[];
        last_message_id?: string | null;
      }>
    >(`/guilds/${discord.guild.id}/channels`);
    const expected = discord.channels.filter((channel) => channel.ownerId === null);
    expect(channels.map((channel) => channel.id)).toEqual(expected.map((channel) => channel.id));
    expect(channels.some((channel) => [10, 11, 12].includes(channel.type))).toBe(false);
    const general = channels.find((channel) => channel.id === channelId('general'));
    expect(general?.last_message_id).toBe(discord.channel(channelId('general'))?.lastMessageId);
    const staff = channels.find((channel) => channel.id === channelId('staff'));
    expect(staff?.permission_overwrites.length).toBeGreaterThan(0);
  });

  it('unknown guild 404 10004; malformed ids 400 50035; unknown member 404 10007', async () => {
    expect(await json(`/guilds/123456789012345678`, 404)).toEqual({
      message: 'Unknown Guild',
      code: 10004,
    });
    expect(await json(`/guilds/abc`, 400)).toMatchObject({ code: 50035 });
    const left = discord.users.find((user) => user.leftAt !== null && !user.bot);
    expect(await json(`/guilds/${discord.guild.id}/members/${left?.id ?? ''}`, 404)).toEqual({
      message: 'Unknown Member',
      code: 10007,
    });
    expect(await json(`/channels/123456789012345678/messages`, 404)).toEqual({
      message: 'Unknown Channel',
      code: 10003,
    });
  });
});

describe('GET /channels/:id/messages', () => {
  it('newest → oldest, default 50, before/after/around, limits', async () => {
    const truth = discord.messagesOf(channelId('general'));
    const newest = await json<WireMessage[]>(`/channels/${channelId('general')}/messages`);
    expect(ids(newest)).toEqual(ids(truth.slice(-50)).reverse());
    const pivot = truth[1000]?.id ?? '';
    const before = await json<WireMessage[]>(
      `/channels/${channelId('general')}/messages?before=${pivot}&limit=100`,
    );
    expect(ids(before)).toEqual(ids(truth.slice(900, 1000)).reverse());
    const after = await json<WireMessage[]>(
      `/channels/${channelId('general')}/messages?after=${pivot}&limit=7`,
    );
    expect(ids(after)).toEqual(ids(truth.slice(1001, 1008)).reverse());
    const around = await json<WireMessage[]>(
      `/channels/${channelId('general')}/messages?around=${pivot}&limit=5`,
    );
    expect(ids(around)).toEqual(ids(truth.slice(998, 1003)).reverse());
    const first = await json<WireMessage[]>(
      `/channels/${channelId('general')}/messages?after=0&limit=3`,
    );
    expect(ids(first)).toEqual(ids(truth.slice(0, 3)).reverse());
    for (const limit of ['0', '101', 'ten']) {
      const error = await json<{ code: number; errors: { limit: unknown } }>(
        `/channels/${channelId('general')}/messages?limit=${limit}`,
        400,
      );
      expect(error.code).toBe(50035);
      expect(error.errors.limit).toBeDefined();
    }
    const both = await json<{ code: number }>(
      `/channels/${channelId('general')}/messages?before=${pivot}&after=${pivot}`,
      400,
    );
    expect(both.code).toBe(50035);
    expect(await json(`/channels/${channelId('general')}/messages?before=xyz`, 400)).toMatchObject({
      code: 50035,
    });
  });

  it('a backfill walk with before, and a forward walk with after, give exactly the ground truth', async () => {
    const channel = channelId('announcements');
    const truth = ids(discord.messagesOf(channel));
    const backfill: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: WireMessage[] = await json<WireMessage[]>(
        `/channels/${channel}/messages?limit=100${cursor === null ? '' : `&before=${cursor}`}`,
      );
      backfill.unshift(...ids(page).reverse());
      if (page.length < 100) break;
      cursor = page[page.length - 1]?.id ?? null;
    }
    expect(backfill).toEqual(truth);
    const forward: string[] = [];
    cursor = '0';
    for (;;) {
      const page: WireMessage[] = await json<WireMessage[]>(
        `/channels/${channel}/messages?limit=100&after=${cursor}`,
      );
      forward.push(...ids(page).reverse());
      if (page.length < 100) break;
      cursor = page[0]?.id ?? null;
    }
    expect(forward).toEqual(truth);
  });

  it('permissions: no view 403 50001, no history [], forum 400, voice readable', async () => {
    expect(await json(`/channels/${channelId('staff')}/messages`, 403)).toEqual({
      message: 'Missing Access',
      code: 50001,
    });
    expect(await json(`/channels/${channelId('bot-log')}/messages`)).toEqual([]);
    expect(await json(`/channels/${channelId('help')}/messages`, 400)).toMatchObject({
      code: 50024,
    });
    expect(
      (await json<WireMessage[]>(`/channels/${channelId('Clan Voice')}/messages`)).length,
    ).toBe(50);
    const hidden = discord.channels.find((channel) => channel.private && !channel.botJoined);
    expect(await json(`/channels/${hidden?.id ?? ''}/messages`, 403)).toMatchObject({
      code: 50001,
    });
    server.setBotPermissions({ manageThreads: true });
    expect((await json<WireMessage[]>(`/channels/${hidden?.id ?? ''}/messages`)).length).toBe(
      discord.messageCountOf(hidden?.id ?? ''),
    );
  });

  it('message shape: author, replies with referenced_message, webhooks, content as ground truth', async () => {
    const channel = channelId('pvm');
    const truth = new Map(discord.messagesOf(channel).map((message) => [message.id, message]));
    const page = await json<WireMessage[]>(`/channels/${channel}/messages?limit=100`);
    for (const message of page) {
      const expected = truth.get(message.id);
      expect(message.content).toBe(expected?.content);
      expect(message.author.id).toBe(expected?.authorId);
      expect(message.author.discriminator).toMatch(/^0{1,4}$/);
      expect(message.channel_id).toBe(channel);
    }
    const reply = page.find((message) => message.type === 19);
    expect(reply?.message_reference?.message_id).toBe(truth.get(reply?.id ?? '')?.replyToId);
    expect(reply?.referenced_message?.id).toBe(reply?.message_reference?.message_id);
    const all = await json<WireMessage[]>(
      `/channels/${channel}/messages?limit=100&before=${page[page.length - 1]?.id ?? ''}`,
    );
    const webhook = [...page, ...all].find((message) => message.webhook_id !== undefined);
    expect(webhook?.author.bot).toBe(true);
    expect(webhook?.embeds.length).toBe(1);
  });

  it('without the Message Content intent: content, embeds, attachments, components empty (nested too)', async () => {
    server.setIntents({ messageContent: false });
    const page = await json<WireMessage[]>(`/channels/${channelId('pvm')}/messages?limit=100`);
    for (const message of [
      ...page,
      ...page.flatMap((message) => message.referenced_message ?? []),
    ]) {
      expect(message.content).toBe('');
      expect(message.embeds).toEqual([]);
      expect(message.attachments).toEqual([]);
      expect(message.components).toEqual([]);
    }
    expect(page.some((message) => message.type === 19 && message.referenced_message)).toBe(true);
  });

  it('threads from messages: HAS_THREAD with a thread object; the thread starts with type 21', async () => {
    const starter = discord
      .messagesOf(channelId('pvm'))
      .find((message) => message.threadId !== null);
    const [wire] = await json<WireMessage[]>(
      `/channels/${channelId('pvm')}/messages?around=${starter?.id ?? ''}&limit=1`,
    );
    expect(wire?.id).toBe(starter?.id);
    expect((wire?.flags ?? 0) & 32).toBe(32);
    expect(wire?.thread?.id).toBe(starter?.id);
    const inThread = await json<WireMessage[]>(`/channels/${starter?.id ?? ''}/messages?after=0`);
    const first = inThread[inThread.length - 1];
    expect(first?.type).toBe(21);
    expect(first?.message_reference).toMatchObject({
      channel_id: channelId('pvm'),
      message_id: starter?.id,
    });
    expect(first?.referenced_message?.id).toBe(starter?.id);
  });
});

describe('threads', () => {
  it('active threads: id desc, no has_more, only threads the bot can view', async () => {
    const list = await json<ThreadList>(`/guilds/${discord.guild.id}/threads/active`);
    expect(list.has_more).toBeUndefined();
    const expected = discord.channels
      .filter((channel) => channel.ownerId !== null && !channel.archived && channel.access === 'ok')
      .map((channel) => channel.id)
      .sort((left, right) => (BigInt(right) > BigInt(left) ? 1 : -1));
    expect(list.threads.map((thread) => thread.id)).toEqual(expected);
    expect(list.threads.length).toBeGreaterThanOrEqual(2);
  });

  it('archived public threads page by ISO archive timestamp, newest archive first', async () => {
    const parent = channelId('pvm');
    const seen: WireThread[] = [];
    let before: string | null = null;
    for (;;) {
      const page: ThreadList = await json<ThreadList>(
        `/channels/${parent}/threads/archived/public?limit=7${before === null ? '' : `&before=${encodeURIComponent(before)}`}`,
      );
      seen.push(...page.threads);
      if (page.has_more !== true) break;
      before = page.threads[page.threads.length - 1]?.thread_metadata.archive_timestamp ?? null;
    }
    const expected = discord.channels.filter(
      (channel) => channel.parentId === parent && channel.archived && !channel.private,
    );
    expect(new Set(seen.map((thread) => thread.id))).toEqual(
      new Set(expected.map((channel) => channel.id)),
    );
    const stamps = seen.map((thread) => Date.parse(thread.thread_metadata.archive_timestamp));
    expect(stamps).toEqual([...stamps].sort((left, right) => right - left));
    const posts = await json<ThreadList>(
      `/channels/${channelId('help')}/threads/archived/public?limit=100`,
    );
    expect(posts.threads.length).toBeGreaterThan(10);
    expect(
      await json(`/channels/${channelId('staff')}/threads/archived/public`, 403),
    ).toMatchObject({ code: 50001 });
    expect(
      await json(`/channels/${parent}/threads/archived/public?before=yesterday`, 400),
    ).toMatchObject({ code: 50035 });
  });

  it('archived private threads need MANAGE_THREADS; the joined list needs none', async () => {
    const parent = channelId('pvm');
    expect(await json(`/channels/${parent}/threads/archived/private`, 403)).toEqual({
      message: 'Missing Permissions',
      code: 50013,
    });
    const joined = await json<ThreadList>(`/channels/${parent}/users/@me/threads/archived/private`);
    const privates = discord.channels.filter((channel) => channel.private);
    expect(joined.threads.map((thread) => thread.id)).toEqual(
      privates.filter((thread) => thread.botJoined).map((thread) => thread.id),
    );
    expect(joined.members.map((member) => member.user_id)).toEqual([discord.botUser.id]);
    expect(
      (
        await json<ThreadList>(
          `/channels/${parent}/users/@me/threads/archived/private?before=${joined.threads[0]?.id ?? ''}`,
        )
      ).threads,
    ).toEqual([]);
    server.setBotPermissions({ manageThreads: true });
    const all = await json<ThreadList>(`/channels/${parent}/threads/archived/private`);
    expect(new Set(all.threads.map((thread) => thread.id))).toEqual(
      new Set(privates.map((thread) => thread.id)),
    );
    const guild = await json<{ roles: Array<{ permissions: string; tags?: unknown }> }>(
      `/guilds/${discord.guild.id}`,
    );
    const botRole = guild.roles.find((role) => role.tags !== undefined);
    expect(BigInt(botRole?.permissions ?? 0) & (1n << 34n)).toBe(1n << 34n);
  });
});

describe('members', () => {
  it('pages ascending by user id with limit (default 1) and after', async () => {
    const base = `/guilds/${discord.guild.id}/members`;
    expect(await json<unknown[]>(base)).toHaveLength(1);
    const seen: string[] = [];
    let after = '0';
    for (;;) {
      const page = await json<
        Array<{ user: { id: string }; nick: string | null; roles: string[] }>
      >(`${base}?limit=7&after=${after}`);
      seen.push(...page.map((member) => member.user.id));
      if (page.length < 7) break;
      after = page[page.length - 1]?.user.id ?? '0';
    }
    expect(seen).toEqual(discord.members.map((member) => member.userId));
    expect(await json(`${base}?limit=1001`, 400)).toMatchObject({ code: 50035 });
    const search = await json<Array<{ user: { username: string } }>>(
      `${base}/search?query=${discord.users.find((user) => user.kind === 'member')?.username.slice(0, 3) ?? ''}&limit=10`,
    );
    expect(search.length).toBeGreaterThan(0);
  });

  it('without the Server Members intent: the list is 403 50001, single members still work', async () => {
    server.setIntents({ guildMembers: false });
    expect(await json(`/guilds/${discord.guild.id}/members?limit=10`, 403)).toEqual({
      message: 'Missing Access',
      code: 50001,
    });
    const member = discord.members.find((candidate) => candidate.nickname !== null);
    const wire = await json<{ nick: string; joined_at: string }>(
      `/guilds/${discord.guild.id}/members/${member?.userId ?? ''}`,
    );
    expect(wire.nick).toBe(member?.nickname);
    expect(Date.parse(wire.joined_at)).toBe(Date.parse(member?.joinedAt ?? ''));
  });
});

describe('postMessages', () => {
  it('appends after everything, updates last_message_id and unarchives threads', async () => {
    const fresh = await startFakeDiscordServer({
      clan,
      discord: createSyntheticDiscord(createSyntheticClan({ seed: 11, members: 15, days: 60 })),
      rateLimit: false,
    });
    try {
      const target = fresh.discord.channels.find((channel) => channel.name === 'general');
      const before = target?.lastMessageId ?? '0';
      const posted = fresh.postMessages(target?.id ?? '', 3, { content: 'hello there' });
      expect(posted).toHaveLength(3);
      expect(posted.every((message) => BigInt(message.id) > BigInt(before))).toBe(true);
      expect(posted.map((message) => message.content)).toEqual(Array(3).fill('hello there'));
      expect(target?.lastMessageId).toBe(posted[2]?.id);
      const response = await fetch(
        `${fresh.url}/v10/channels/${target?.id ?? ''}/messages?after=${before}`,
        { headers: { Authorization: `Bot ${TOKEN}` } },
      );
      expect(ids((await response.json()) as WireMessage[])).toEqual(ids(posted).reverse());
      const archived = fresh.discord.channels.find(
        (channel) => channel.archived && channel.access === 'ok',
      );
      const [reply] = fresh.postMessages(archived?.id ?? '', 1);
      expect(archived?.archived).toBe(false);
      expect(BigInt(reply?.id ?? 0)).toBeGreaterThan(BigInt(posted[2]?.id ?? 0));
      const active = await fetch(
        `${fresh.url}/v10/guilds/${fresh.discord.guild.id}/threads/active`,
        { headers: { Authorization: `Bot ${TOKEN}` } },
      );
      expect(((await active.json()) as ThreadList).threads.map((thread) => thread.id)).toContain(
        archived?.id,
      );
      expect(() => fresh.postMessages(channelId('help'), 1)).toThrow(/postMessages/);
    } finally {
      await fresh.close();
    }
  });
});

describe('faults', () => {
  it('status, html, truncated-json and reset behave like the WOM fake; Discord bodies', async () => {
    const path = `/users/@me`;
    server.injectFault({ kind: 'status', status: 500 });
    const failed = await call(path);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: '500: Internal Server Error', code: 0 });
    server.injectFault({ kind: 'html', status: 502 });
    const html = await call(path);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('discord.com');
    server.injectFault({ kind: 'truncated-json' });
    const truncated = await call(path);
    await expect(truncated.json()).rejects.toThrow();
    server.injectFault({ kind: 'reset' });
    await expect(call(path)).rejects.toThrow();
    expect((await call(path)).status).toBe(200);
  });

  it('rate-limit-storm: 429s with Retry-After and X-RateLimit-* every time', async () => {
    const storm = server.injectFault({
      kind: 'rate-limit-storm',
      times: 2,
      retryAfterSeconds: 0.25,
      path: /\/messages$/,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await call(`/channels/${channelId('general')}/messages`);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('0.250');
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(response.headers.get('x-ratelimit-reset-after')).toBe('0.250');
      expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
      expect(response.headers.get('x-ratelimit-scope')).toBe('user');
      expect(await response.json()).toEqual({
        message: 'You are being rate limited.',
        retry_after: 0.25,
        global: false,
      });
    }
    expect(storm.remaining).toBe(0);
    server.injectFault({ kind: 'rate-limit-storm', times: 1, scope: 'global' });
    const global = await call('/users/@me');
    expect(global.headers.get('x-ratelimit-global')).toBe('true');
    expect(await global.json()).toMatchObject({ global: true });
  });
});
