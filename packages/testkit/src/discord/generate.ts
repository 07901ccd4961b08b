/**
 * `createSyntheticDiscord(clan)`: the clan's Discord guild with a year of messages (or, with
 * `scale`, an exact number of messages over a bench layout), stored compactly and deterministic.
 */
import type { SyntheticClan } from '../clan/model.js';
import { TestkitError } from '../errors.js';
import { createRandom, hashString } from '../random.js';
import { Builder, DAY, HOUR, MINUTE } from './builder.js';
import { generateClanLayout } from './clan-layout.js';
import type { SyntheticDiscord } from './model.js';
import { createPeople } from './people.js';
import { localDays } from './rhythm.js';
import { generateScaleLayout } from './scale-layout.js';
import type { DiscordState } from './state.js';
import { createSyntheticDiscordView } from './view.js';

/** Options of {@link createSyntheticDiscord}. */
export interface SyntheticDiscordOptions {
  /**
   * The clan's IANA time zone, for the daily and weekly rhythm.
   * @defaultValue `'Europe/London'`
   */
  timeZone?: string;
  /**
   * A multiplier on every member's chattiness (and on posts and threads).
   * @defaultValue `1`
   */
  messageScale?: number;
  /**
   * Bench layout: exactly `messages` messages spread over `channels` text channels, threads and
   * forum posts (about half text channels, a quarter threads, a quarter posts), instead of the
   * clan layout. Everything is readable by the bot.
   * @example `{ messages: 1_000_000, channels: 40 }`
   */
  scale?: { messages: number; channels: number };
}

/** The defaults of {@link SyntheticDiscordOptions}. */
export const DefaultSyntheticDiscordOptions = {
  timeZone: 'Europe/London',
  messageScale: 1,
} as const satisfies Required<Omit<SyntheticDiscordOptions, 'scale'>>;

function fail(option: string, message: string): never {
  throw new TestkitError('INVALID_OPTIONS', `createSyntheticDiscord: ${message}`, { option });
}

/**
 * Generates the clan's Discord guild: roles, bots, members (clan members' Discord accounts,
 * guests, bots), the channel layout and a year of messages that follow members' chattiness,
 * membership and a daily/weekly rhythm. Deterministic: the same clan and options always give the
 * same guild, ids and messages. Messages are stored compactly and derived on demand.
 *
 * @example
 * ```ts
 * const clan = createSyntheticClan({ seed: 3 });
 * const discord = createSyntheticDiscord(clan, { timeZone: 'America/New_York' });
 * const server = await startFakeDiscordServer({ clan, discord });
 * ```
 */
export function createSyntheticDiscord(
  clan: SyntheticClan,
  options: SyntheticDiscordOptions = {},
): SyntheticDiscord {
  const timeZone = options.timeZone ?? DefaultSyntheticDiscordOptions.timeZone;
  const messageScale = options.messageScale ?? DefaultSyntheticDiscordOptions.messageScale;
  if (!(Number.isFinite(messageScale) && messageScale >= 0 && messageScale <= 100))
    fail('messageScale', 'messageScale must be a number in 0..100');
  const scale = options.scale;
  if (scale !== undefined) {
    if (!Number.isInteger(scale.messages) || scale.messages < 0 || scale.messages > 20_000_000)
      fail('scale', 'scale.messages must be an integer in 0..20000000');
    if (!Number.isInteger(scale.channels) || scale.channels < 1 || scale.channels > 900)
      fail('scale', 'scale.channels must be an integer in 1..900');
  }
  localDays(0, 1, timeZone);
  const now = Date.parse(clan.now);
  const guildCreatedAt = Date.parse(clan.discordGuild.createdAt);
  const start = Math.min(now - HOUR, Math.max(Date.parse(clan.startedAt), guildCreatedAt + DAY));
  const seedText = `discord:${clan.seed}:${clan.now}:${clan.discordGuild.id}`;
  const peopleRandom = createRandom(hashString(seedText));
  const messageRandom = createRandom(
    hashString(
      `${seedText}:${timeZone}:${messageScale}:${scale === undefined ? '' : `${scale.messages}/${scale.channels}`}`,
    ),
  );
  const builder = new Builder(messageRandom, clan.discordGuild.id, start, now);
  const layout = createPeople(builder, clan, guildCreatedAt, peopleRandom);
  const channels =
    scale === undefined
      ? generateClanLayout(builder, clan, layout, { timeZone, messageScale, guildCreatedAt })
      : generateScaleLayout(builder, clan, layout, { timeZone, guildCreatedAt, ...scale });
  const rankEmojiIds = new Map<string, string>();
  for (const member of clan.members) {
    const role = member.membership.role;
    if (!rankEmojiIds.has(role))
      rankEmojiIds.set(
        role,
        builder.layoutId(guildCreatedAt + (rankEmojiIds.size + 30) * MINUTE).toString(),
      );
  }
  const owner =
    clan.discordGuild.ownerUserId !== null &&
    builder.users.some((user) => user.id === clan.discordGuild.ownerUserId)
      ? clan.discordGuild.ownerUserId
      : ((builder.users.find((user) => user.staff) ?? builder.users.find((user) => !user.bot))
          ?.id ??
        builder.users[0]?.id ??
        '0');
  const state: DiscordState = {
    guildId: clan.discordGuild.id,
    guildName: clan.discordGuild.name,
    ownerId: owner,
    createdAt: guildCreatedAt,
    roles: layout.roles,
    everyoneRoleId: layout.everyoneRoleId,
    botRoleId: layout.botRoleId,
    users: builder.users,
    usersById: new Map(builder.users.map((user) => [user.id, user])),
    webhooks: builder.webhooks,
    channels: builder.channels,
    channelsById: new Map(builder.channels.map((channel) => [channel.id, channel])),
    clanMembers: clan.members,
    botUserIndex: layout.botUserIndex,
    relayBotIndex: layout.relayBotIndex,
    relayChannelIndex: channels.relay.index,
    systemChannelIndex: channels.system.index,
    rulesChannelIndex: channels.rules?.index ?? -1,
    timeZone,
    startedAt: start,
    now,
    rankEmojiIds,
    version: 0,
  };
  return createSyntheticDiscordView(state);
}
