/** `FakeDiscordServer.advance()`: the guild keeps talking after the clan's `now`. */
import type { SyntheticClan } from '../clan/model.js';
import { playsOnSlot, slotOf } from '../clan/progress.js';
import { createRandom, hashString } from '../random.js';
import { Builder, HOUR, poisson } from './builder.js';
import { activeDayChance } from './clan-layout.js';
import { dayFactor, localDays, sampleTimeInDay } from './rhythm.js';
import type { ChannelState, DiscordState, UserState } from './state.js';
import { FLAG_BROADCAST } from './store.js';

/** What `FakeDiscordServer.advance()` did. */
export interface DiscordAdvanceResult {
  /** The start of the simulated interval (exclusive): `clan.now`, or the previous advance's `to`. */
  readonly from: Date;
  /** The end of the simulated interval (inclusive): `from` plus the duration. */
  readonly to: Date;
  /** Messages added, every channel. */
  readonly messages: number;
  /** Messages added per channel id (only channels that got some). */
  readonly byChannel: Readonly<Record<string, number>>;
  /** Relay (clan chat) lines in the new relay messages. */
  readonly relayLines: number;
}

type AdvanceEvent =
  | {
      readonly time: number;
      readonly kind: 'human';
      readonly channel: ChannelState;
      readonly user: UserState;
    }
  | {
      readonly time: number;
      readonly kind: 'relay';
      readonly speakers: readonly number[];
      readonly broadcasts: number;
    };

/**
 * Adds the messages of `(from, to]` (epoch milliseconds): members and guests still in the guild
 * chat in `#general` and `#pvm` as their chattiness and in-game play say, and the relay bot posts
 * the clan chat of members who played that day, in the generator's daily rhythm and relay format.
 */
export function advanceDiscordState(
  state: DiscordState,
  clan: SyntheticClan,
  from: number,
  to: number,
): DiscordAdvanceResult {
  const general = state.channels.find((channel) => channel.role === 'general');
  const pvm = state.channels.find((channel) => channel.role === 'pvm');
  const relay = state.channels[state.relayChannelIndex];
  const talkChannels = [general, pvm].filter((channel) => channel !== undefined);
  const talkWeights = [general === undefined ? 0 : 0.55, pvm === undefined ? 0 : 0.2].filter(
    (weight) => weight > 0,
  );
  const humans = state.users.filter((user) => !user.bot && user.leftAt === null);
  const seedText = `discord-advance:${clan.seed}:${clan.now}:${state.guildId}`;
  const events: AdvanceEvent[] = [];
  const inside = (time: number): boolean => time > from && time <= to;
  for (const day of localDays(from + 1, to + 1, state.timeZone)) {
    // Which events a day has depends only on the day, not on how advances split it.
    const random = createRandom(hashString(`${seedText}:${day.start}`));
    const slot = Math.max(0, slotOf(clan, day.start + 12 * HOUR));
    const factor = dayFactor(day);
    const played = state.clanMembers.map(
      (member) => member.membership.leftAt === null && playsOnSlot(clan, member, slot),
    );
    if (talkChannels.length > 0) {
      for (const user of humans) {
        const member = user.clanIndex >= 0 ? state.clanMembers[user.clanIndex] : undefined;
        const playedToday = member !== undefined && played[user.clanIndex] === true;
        const activeChance = activeDayChance(member?.profile, playedToday);
        if (!random.chance(activeChance)) continue;
        const count = poisson(random, user.chattiness * factor);
        for (let message = 0; message < count; message++) {
          const time = sampleTimeInDay(random, day);
          const channel = random.weighted(talkChannels, talkWeights);
          if (inside(time) && time >= user.joinedAt)
            events.push({ time, kind: 'human', channel, user });
        }
      }
    }
    if (relay !== undefined && relay.messages.relay !== null) {
      const speakersToday = played.flatMap((yes, index) => (yes ? [index] : []));
      for (const speaker of speakersToday) {
        const member = state.clanMembers[speaker];
        if (member === undefined) continue;
        const count = poisson(random, (0.4 + 0.25 * member.chattiness) * factor);
        const broadcast = random.chance(0.12);
        for (let message = 0; message < count + (broadcast ? 1 : 0); message++) {
          const time = sampleTimeInDay(random, day);
          const speakers = [speaker];
          let broadcasts = message === count ? FLAG_BROADCAST : 0;
          const lines = random.weighted([1, 2, 3], [0.72, 0.2, 0.08]);
          for (let line = 1; line < lines; line++) {
            speakers.push(random.pick(speakersToday));
            if (random.chance(0.1)) broadcasts |= FLAG_BROADCAST << line;
          }
          if (inside(time)) events.push({ time, kind: 'relay', speakers, broadcasts });
        }
      }
    }
  }
  events.sort((left, right) => left.time - right.time);

  // Message details (replies, questions, edits) as the generator makes them.
  const builder = new Builder(
    createRandom(hashString(`${seedText}:${from}:${to}`)),
    state.guildId,
    from,
    to,
  );
  builder.users.push(...state.users);
  const byChannel: Record<string, number> = {};
  let relayLines = 0;
  for (const event of events) {
    let channel: ChannelState;
    if (event.kind === 'human') {
      channel = event.channel;
      builder.postHuman(channel, event.time, event.user.index);
    } else {
      if (relay === undefined) continue;
      channel = relay;
      builder.postRelay(channel, event.time, state.relayBotIndex, event.speakers, event.broadcasts);
      relayLines += event.speakers.length;
    }
    byChannel[channel.id] = (byChannel[channel.id] ?? 0) + 1;
  }
  if (events.length > 0) state.version++;
  return {
    from: new Date(from),
    to: new Date(to),
    messages: events.length,
    byChannel,
    relayLines,
  };
}
