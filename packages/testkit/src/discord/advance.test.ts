import { afterEach, describe, expect, it } from 'vitest';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  isTestkitError,
  startFakeDiscordServer,
  startFakeWomServer,
  timeFromSnowflake,
} from '../index.js';
import type {
  FakeDiscordServer,
  FakeDiscordServerOptions,
  SyntheticDiscordMessage,
} from '../index.js';

const TOKEN = 'fake-discord-token';
const DAY = 86_400_000;
const clan = createSyntheticClan({ seed: 4, members: 40 });
const now = Date.parse(clan.now);

const servers: FakeDiscordServer[] = [];
async function start(options: FakeDiscordServerOptions = {}): Promise<FakeDiscordServer> {
  const server = await startFakeDiscordServer({
    clan,
    discord: createSyntheticDiscord(clan),
    rateLimit: false,
    ...options,
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface WireMessage {
  id: string;
  content: string;
  timestamp: string;
  author: { id: string; bot?: boolean };
}

async function messagesAfter(
  server: FakeDiscordServer,
  channelId: string,
  after: string,
): Promise<WireMessage[]> {
  const found: WireMessage[] = [];
  let cursor = after;
  for (;;) {
    const response = await fetch(
      `${server.url}/v10/channels/${channelId}/messages?after=${cursor}&limit=100`,
      { headers: { Authorization: `Bot ${TOKEN}` } },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as WireMessage[];
    if (page.length === 0) return found;
    // Newest first: the page's first message is the next cursor.
    found.push(...[...page].reverse());
    cursor = page[0]?.id ?? cursor;
  }
}

const channelByRole = (server: FakeDiscordServer, role: string): string => {
  const channel = server.discord.channels.find((candidate) => candidate.role === role);
  if (channel === undefined) throw new Error(role);
  return channel.id;
};

function lastIds(server: FakeDiscordServer): Map<string, string> {
  return new Map(
    server.discord.channels.map((channel) => [channel.id, channel.lastMessageId ?? '0']),
  );
}

describe('FakeDiscordServer.advance', () => {
  it('moves the default clock, not an injected one', async () => {
    const server = await start();
    const before = server.now().getTime();
    const result = server.advance({ days: 1 });
    expect(result.from.toISOString()).toBe(clan.now);
    expect(result.to.getTime()).toBe(now + DAY);
    expect(server.now().getTime() - before).toBeGreaterThanOrEqual(DAY);
    const time = now + 1_000;
    const injected = await start({ now: () => new Date(time) });
    injected.advance({ days: 1 });
    expect(injected.now().getTime()).toBe(time);
  });

  it('adds exactly the returned messages, in the interval, ascending ids, to the ground truth', async () => {
    const server = await start();
    const totalBefore = server.discord.totalMessages;
    const lastBefore = lastIds(server);
    const result = server.advance({ days: 1 });
    const second = server.advance({ days: 1 });
    expect(result.messages).toBeGreaterThan(20);
    expect(server.discord.totalMessages).toBe(totalBefore + result.messages + second.messages);
    const general = channelByRole(server, 'general');
    const pvm = channelByRole(server, 'pvm');
    const relay = server.discord.relayChannelId;
    expect(Object.keys(result.byChannel).sort()).toEqual([general, pvm, relay].sort());
    expect(Object.values(result.byChannel).reduce((sum, count) => sum + count, 0)).toBe(
      result.messages,
    );
    for (const channel of server.discord.channels) {
      const after = lastBefore.get(channel.id) ?? '0';
      const truth = server.discord.messagesOf(channel.id);
      const fresh = truth.filter((message) => BigInt(message.id) > BigInt(after));
      expect(fresh).toHaveLength(
        (result.byChannel[channel.id] ?? 0) + (second.byChannel[channel.id] ?? 0),
      );
      if (channel.access !== 'ok' || fresh.length === 0) continue;
      const served = await messagesAfter(server, channel.id, after);
      expect(served.map((message) => message.id)).toEqual(fresh.map((message) => message.id));
      expect(served.map((message) => message.content)).toEqual(
        fresh.map((message) => message.content),
      );
      let previous = 0n;
      for (const message of fresh) {
        const id = BigInt(message.id);
        expect(id > previous).toBe(true);
        previous = id;
        const time = Date.parse(message.timestamp);
        expect(time).toBe(timeFromSnowflake(message.id));
        expect(time).toBeGreaterThan(now);
        expect(time).toBeLessThanOrEqual(now + 2 * DAY);
      }
      expect(server.discord.channel(channel.id)?.lastMessageId).toBe(fresh.at(-1)?.id);
    }
  });

  it('relay messages use the relay format and carry relayLines of members who played', async () => {
    const server = await start();
    const after = lastIds(server).get(server.discord.relayChannelId) ?? '0';
    const result = server.advance({ days: 3 });
    const fresh = server.discord
      .messagesOf(server.discord.relayChannelId)
      .filter((message) => BigInt(message.id) > BigInt(after));
    expect(fresh.length).toBeGreaterThan(5);
    const current = new Map(
      clan.members
        .filter((member) => member.membership.leftAt === null)
        .map((member) => [member.player.id, member]),
    );
    let lines = 0;
    for (const message of fresh) {
      expect(message.authorId).toBe(server.discord.relayBotUserId);
      const relayLines = message.relayLines ?? [];
      expect(relayLines.length).toBeGreaterThanOrEqual(1);
      expect(relayLines.length).toBeLessThanOrEqual(3);
      lines += relayLines.length;
      const contentLines = message.content.split('\n');
      expect(contentLines).toHaveLength(relayLines.length);
      for (const line of relayLines) {
        const member = current.get(line.playerId);
        expect(member?.player.displayName).toBe(line.rsn);
        expect(['very-active', 'active', 'casual', 'idle']).toContain(member?.profile);
        const text = contentLines[line.line] ?? '';
        if (line.kind === 'chat')
          expect(text).toBe(`${text.split(' ')[0]} **${line.rsn}**: ${line.text}`);
        else expect(text).toBe(`**${line.rsn}** ${line.text}`);
        if (line.kind === 'chat') expect(text).toMatch(/^<:\w+:\d+> \*\*/);
      }
    }
    expect(lines).toBe(result.relayLines);
  });

  it('only people still in the guild post, humans in #general and #pvm', async () => {
    const server = await start();
    const lastBefore = lastIds(server);
    server.advance({ days: 2 });
    const users = new Map(server.discord.users.map((user) => [user.id, user]));
    for (const role of ['general', 'pvm']) {
      const channelId = channelByRole(server, role);
      const fresh = server.discord
        .messagesOf(channelId)
        .filter(
          (message: SyntheticDiscordMessage) =>
            BigInt(message.id) > BigInt(lastBefore.get(channelId) ?? '0'),
        );
      expect(fresh.length).toBeGreaterThan(0);
      for (const message of fresh) {
        const user = users.get(message.authorId);
        expect(user?.bot).toBe(false);
        expect(user?.leftAt).toBeNull();
        expect(message.content.length).toBeGreaterThan(0);
      }
    }
  });

  it('serves empty content without the Message Content intent', async () => {
    const server = await start({ intents: { messageContent: false } });
    const general = channelByRole(server, 'general');
    const after = lastIds(server).get(general) ?? '0';
    server.advance({ days: 1 });
    const served = await messagesAfter(server, general, after);
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((message) => message.content === '')).toBe(true);
  });

  it('is deterministic, and splitting a period gives the same messages', async () => {
    const one = await start({ now: () => new Date(now) });
    const two = await start({ now: () => new Date(now) });
    const three = await start({ now: () => new Date(now) });
    expect(one.advance({ days: 2 })).toEqual(two.advance({ days: 2 }));
    three.advance({ hours: 20 });
    three.advance({ hours: 28 });
    for (const channel of one.discord.channels) {
      const ids = (server: FakeDiscordServer): string[] =>
        server.discord.messagesOf(channel.id).map((message) => message.timestamp);
      expect(JSON.stringify(two.discord.messagesOf(channel.id))).toBe(
        JSON.stringify(one.discord.messagesOf(channel.id)),
      );
      // The same messages at the same times (details such as replies may differ when split).
      expect(ids(three)).toEqual(ids(one));
    }
  });

  it('relay speakers played that day on the WOM fake too', async () => {
    const wom = await startFakeWomServer({ clan, rateLimit: false, now: () => new Date(now) });
    try {
      const server = await start({ now: () => new Date(now) });
      const after = lastIds(server).get(server.discord.relayChannelId) ?? '0';
      server.advance({ days: 1 });
      wom.advance({ days: 1 });
      const fresh = server.discord
        .messagesOf(server.discord.relayChannelId)
        .filter((message) => BigInt(message.id) > BigInt(after));
      const speakers = new Set(
        fresh.flatMap((message) => (message.relayLines ?? []).map((line) => line.playerId)),
      );
      expect(speakers.size).toBeGreaterThan(0);
      for (const playerId of speakers) {
        const player = wom.state.players.get(playerId);
        // Their last snapshot (the advanced day) changed values.
        expect(player?.extraRows.at(-1)?.index).toBe((player?.times.length ?? 0) - 1);
      }
    } finally {
      await wom.close();
    }
  });

  it('rejects invalid durations', async () => {
    const server = await start();
    let caught: unknown;
    try {
      server.advance({ days: -2 });
    } catch (error) {
      caught = error;
    }
    expect(isTestkitError(caught) && caught.code === 'INVALID_OPTIONS').toBe(true);
  });
});
