/** Shared helpers of the integration tests (not part of the package's exports). */
import {
  createSyntheticClan,
  startFakeDiscordServer,
  type FakeDiscordServer,
  type FakeDiscordServerOptions,
  type SyntheticClan,
} from '@clanstats/testkit';
import {
  DiscordHarvester,
  type ChannelDoneItem,
  type ChannelSkippedItem,
  type CheckpointReader,
  type DiscordHarvesterOptions,
  type HarvestChannel,
  type HarvestCheckpoint,
  type HarvestEvent,
  type HarvestItem,
  type HarvestedMessage,
  type MessagesPage,
} from './index.js';

/** A token distinctive enough to grep for. */
export const TOKEN = 'MTEzNTc5.SECRET-clanstats-test-token.x9Yq';

let clan: SyntheticClan | undefined;

/** The small test clan: 30 members, 60 days (about 5,000 Discord messages). */
export function testClan(): SyntheticClan {
  clan ??= createSyntheticClan({ members: 30, days: 60, seed: 4 });
  return clan;
}

/** A fake Discord server for the test clan (no rate limits unless asked). */
export function startServer(options: FakeDiscordServerOptions = {}): Promise<FakeDiscordServer> {
  return startFakeDiscordServer({
    clan: testClan(),
    tokens: [TOKEN],
    rateLimit: false,
    ...options,
  });
}

/** A harvester pointed at the fake server, recording its events. */
export function harvesterFor(
  server: FakeDiscordServer,
  options: Partial<DiscordHarvesterOptions> = {},
): { harvester: DiscordHarvester; events: HarvestEvent[] } {
  const events: HarvestEvent[] = [];
  const harvester = new DiscordHarvester({
    token: TOKEN,
    guildId: server.discord.guild.id,
    api: server.url,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { harvester, events };
}

/** Pages and checkpoints saved as a store would, in memory. */
export class MemoryStore implements CheckpointReader {
  readonly checkpoints = new Map<string, HarvestCheckpoint>();
  readonly messages = new Map<string, HarvestedMessage>();
  /** Messages written that were already stored. */
  duplicates = 0;

  getCheckpoint(channelId: string): HarvestCheckpoint | undefined {
    return this.checkpoints.get(channelId);
  }

  write(page: MessagesPage): void {
    for (const message of page.messages) {
      if (this.messages.has(message.id)) this.duplicates += 1;
      this.messages.set(message.id, message);
    }
    this.checkpoints.set(page.channel.id, page.checkpoint);
  }
}

/** Everything a run yielded, by kind. */
export interface Collected {
  items: HarvestItem[];
  channels: HarvestChannel[];
  pages: MessagesPage[];
  skipped: ChannelSkippedItem[];
  done: ChannelDoneItem[];
}

/** Iterates a run to the end, writing pages to `store` when given. */
export async function collect(
  run: AsyncIterable<HarvestItem>,
  store?: MemoryStore,
): Promise<Collected> {
  const collected: Collected = { items: [], channels: [], pages: [], skipped: [], done: [] };
  for await (const item of run) {
    collected.items.push(item);
    if (item.type === 'channels') collected.channels.push(...item.channels);
    else if (item.type === 'messages') {
      collected.pages.push(item);
      store?.write(item);
    } else if (item.type === 'channel-skipped') collected.skipped.push(item);
    else if (item.type === 'channel-done') collected.done.push(item);
  }
  return collected;
}

/** Requests the fake server received for a route, optionally for one channel. */
export function requestsTo(server: FakeDiscordServer, route: string, channelId?: string): number {
  return server.requests.filter(
    (request) =>
      request.route === route &&
      (channelId === undefined || request.path.includes(`/channels/${channelId}/`)),
  ).length;
}

/** Channel types the harvester pages for messages. */
const MESSAGE_TYPES = new Set([0, 2, 5, 10, 11, 12, 13]);

/** Ground-truth channels and threads the bot can read and that hold messages. */
export function readableChannels(server: FakeDiscordServer): string[] {
  return server.discord.channels
    .filter((channel) => channel.access === 'ok' && MESSAGE_TYPES.has(channel.type))
    .map((channel) => channel.id);
}

/** Ground-truth message ids of the readable channels, ascending per channel. */
export function readableMessageIds(server: FakeDiscordServer): string[] {
  return readableChannels(server).flatMap((id) =>
    server.discord.messagesOf(id).map((message) => message.id),
  );
}
