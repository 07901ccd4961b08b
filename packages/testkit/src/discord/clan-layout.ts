/** The clan layout: categories, #general, the relay, #pvm with threads, forum, media, voice, staff. */
import type { ActivityProfile, SyntheticClan, SyntheticMember } from '../clan/model.js';
import { threadName } from './content.js';
import { AuthorPool, DAY, HOUR, MINUTE, fillThread, poisson } from './builder.js';
import type { Builder, ChannelSpec } from './builder.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_MESSAGE_TYPES, DISCORD_PERMISSIONS } from './model.js';
import type { SyntheticDiscordChannelRole } from './model.js';
import { overwrite } from './people.js';
import type { Layout } from './people.js';
import { dayFactor, localDays, sampleTimeInDay } from './rhythm.js';
import type { ChannelState, UserState, WebhookState } from './state.js';
import { FLAG_BROADCAST, FLAG_EMBED, FLAG_EVERYONE } from './store.js';
import { webhookJson } from './wire.js';

const { VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY } = DISCORD_PERMISSIONS;
/** How likely a member is to chat on a given day, by how they play. */
export const ACTIVE_DAY: Record<ActivityProfile, number> = {
  'very-active': 0.8,
  active: 0.6,
  casual: 0.3,
  idle: 0.45,
  quit: 0.4,
  stale: 0.4,
  untracked: 0.5,
};

/**
 * The chance that a person chats on a given day: by clan profile (guests, with no profile, 0.35),
 * higher on days they played, lower on days a member did not.
 */
export function activeDayChance(
  profile: ActivityProfile | undefined,
  playedToday: boolean,
): number {
  return Math.min(
    0.95,
    (profile === undefined ? 0.35 : ACTIVE_DAY[profile]) *
      (playedToday ? 1.3 : profile === undefined ? 1 : 0.6),
  );
}

/** Days each clan member played (any stat changed), as a bitmap over the history's days. */
function playedDays(member: SyntheticMember, start: number, days: number): Uint8Array {
  const played = new Uint8Array(days);
  const { times, changeRows } = member.history;
  for (const row of changeRows) {
    const day = Math.floor(((times[row] ?? 0) - start) / DAY);
    if (day >= 0 && day < days) played[day] = 1;
  }
  return played;
}

/** The clan layout: categories, #general, relay, #pvm with threads, forum, media, voice, staff. */
export function generateClanLayout(
  builder: Builder,
  clan: SyntheticClan,
  layout: Layout,
  options: { timeZone: string; messageScale: number; guildCreatedAt: number },
): { relay: ChannelState; system: ChannelState; rules: ChannelState | null } {
  const { guildCreatedAt, messageScale } = options;
  const random = builder.random;
  const at = (minutes: number): number => guildCreatedAt + minutes * MINUTE;
  const { everyoneRoleId, staffRoleId, botsRoleId } = layout;
  const T = DISCORD_CHANNEL_TYPES;
  let created = 0;
  let categoryPosition = 0;
  let channelPosition = 0;
  /** Adds a category (`parent` undefined) or a channel in `parent`, in creation order. */
  const add = (
    type: number,
    name: string,
    role: SyntheticDiscordChannelRole,
    parent?: ChannelState,
    extra: Partial<ChannelSpec> = {},
  ): ChannelState =>
    builder.addChannel({
      type,
      name,
      role,
      createdAt: at(++created),
      position: parent === undefined ? categoryPosition++ : channelPosition++,
      ...(parent === undefined ? {} : { parentIndex: parent.index }),
      ...extra,
    });
  const noSend = overwrite(everyoneRoleId, 0, 0n, SEND_MESSAGES);
  const information = add(T.GUILD_CATEGORY, 'Information', 'category');
  const clanCategory = add(T.GUILD_CATEGORY, 'Clan', 'category');
  const voiceCategory = add(T.GUILD_CATEGORY, 'Voice', 'category');
  const staffCategory = add(T.GUILD_CATEGORY, 'Staff', 'category', undefined, {
    overwrites: [
      overwrite(everyoneRoleId, 0, 0n, VIEW_CHANNEL),
      overwrite(staffRoleId, 0, VIEW_CHANNEL, 0n),
    ],
  });
  const rules = add(T.GUILD_TEXT, 'rules', 'rules', information, {
    topic: 'Read before posting',
    overwrites: [noSend],
  });
  const announcements = add(T.GUILD_ANNOUNCEMENT, 'announcements', 'announcements', information, {
    overwrites: [noSend, overwrite(staffRoleId, 0, SEND_MESSAGES, 0n)],
  });
  const general = add(T.GUILD_TEXT, 'general', 'general', clanCategory, { capacity: 32_768 });
  const relay = add(T.GUILD_TEXT, 'osrs-clan-chat', 'relay', clanCategory, {
    topic: 'In-game clan chat, relayed',
    overwrites: [noSend, overwrite(botsRoleId, 0, SEND_MESSAGES, 0n)],
    capacity: 16_384,
    relay: true,
  });
  const pvm = add(T.GUILD_TEXT, 'pvm', 'pvm', clanCategory, { capacity: 8192 });
  const help = add(T.GUILD_FORUM, 'help', 'help', clanCategory, { topic: 'Ask the clan' });
  const media = add(T.GUILD_MEDIA, 'screenshots', 'media', clanCategory);
  const voice = add(T.GUILD_VOICE, 'Clan Voice', 'voice', voiceCategory);
  const staff = add(T.GUILD_TEXT, 'staff', 'staff', staffCategory, {
    overwrites: staffCategory.overwrites,
  });
  const botLog = add(T.GUILD_TEXT, 'bot-log', 'bot-log', staffCategory, {
    overwrites: [
      overwrite(everyoneRoleId, 0, 0n, READ_MESSAGE_HISTORY | SEND_MESSAGES),
      overwrite(staffRoleId, 0, READ_MESSAGE_HISTORY, 0n),
      overwrite(botsRoleId, 0, SEND_MESSAGES, 0n),
    ],
  });
  builder.webhooks.push(
    makeWebhook(builder, 0, 'Wise Old Man', announcements.index, at(20)),
    makeWebhook(builder, 1, 'Drop Tracker', pvm.index, at(21)),
  );

  const now = builder.now;
  const start = builder.start;
  const users = builder.users;
  const humans = users.filter((user) => !user.bot);
  const pool = new AuthorPool(humans);
  const staffPool = new AuthorPool(humans.filter((user) => user.staff));
  const days = localDays(start, now, options.timeZone);
  const dayCount = Math.ceil((now - start) / DAY) + 1;
  const played = clan.members.map((member) => playedDays(member, start, dayCount));
  const memberWindows = clan.members.map((member) => ({
    from: Date.parse(member.membership.createdAt),
    until: member.membership.leftAt === null ? now : Date.parse(member.membership.leftAt),
  }));

  type Event =
    | { time: number; kind: 'human'; channel: ChannelState; user: UserState }
    | { time: number; kind: 'relay'; member: number }
    | { time: number; kind: 'join' | 'leave'; user: UserState }
    | { time: number; kind: 'event' | 'log' | 'announce' | 'drop' | 'gains' }
    | { time: number; kind: 'post'; forum: ChannelState; active?: boolean }
    | { time: number; kind: 'pvm-thread' | 'announce-thread' | 'loose-thread' }
    | { time: number; kind: 'private-thread'; joined: boolean };
  const special: Event[] = [
    { time: now - 20 * HOUR, kind: 'pvm-thread' },
    { time: now - 30 * HOUR, kind: 'post', forum: help, active: true },
    { time: now - 45 * DAY, kind: 'announce-thread' },
    { time: now - 120 * DAY, kind: 'private-thread', joined: true },
    { time: now - 50 * DAY, kind: 'private-thread', joined: false },
    { time: now - 200 * DAY, kind: 'loose-thread' },
  ].map(
    (event) =>
      ({ ...event, time: Math.max(start + HOUR, Math.min(now - HOUR, event.time)) }) as Event,
  );

  const humanChannels = [general, pvm, voice, staff];
  const humanWeights = [0.55, 0.2, 0.07, 0.18];
  const regularWeights = [0.55, 0.2, 0.07, 0];
  const threadChance = 0.006 * messageScale;

  const startPvmThread = (parentIndex: number, time: number, forceActive: boolean): void => {
    const author = pvm.messages.authors[parentIndex] ?? -1;
    const ownerUser = random.chance(0.8) ? users[author] : pool.pick(random, builder, time);
    if (ownerUser === undefined || ownerUser === null) return;
    const createdAt = (pvm.messages.times[parentIndex] ?? time) + random.int(5_000, 10 * MINUTE);
    if (createdAt >= now) return;
    const thread = builder.startThread(pvm, parentIndex, {
      type: T.PUBLIC_THREAD,
      name: threadName(random),
      owner: ownerUser.index,
      createdAt,
      autoArchiveDuration: forceActive ? 10080 : random.pick([60, 1440, 4320, 10080]),
    });
    fillThread(
      builder,
      pool,
      thread,
      createdAt,
      random.int(3, forceActive ? 12 : 45),
      ownerUser.index,
      forceActive ? 40 * MINUTE : 25 * MINUTE,
    );
  };

  for (const day of days) {
    const events: Event[] = [];
    const dayIndex = Math.floor((day.start - start) / DAY);
    const factor = dayFactor(day) * messageScale;
    const inDay = (time: number): boolean =>
      time >= Math.max(day.start, start) && time < Math.min(day.end, now);
    for (const user of humans) {
      if (user.joinedAt >= day.end || (user.leftAt !== null && user.leftAt <= day.start)) continue;
      const member = user.clanIndex >= 0 ? clan.members[user.clanIndex] : undefined;
      const playedToday = member !== undefined && (played[user.clanIndex]?.[dayIndex] ?? 0) === 1;
      const activeChance = activeDayChance(member?.profile, playedToday);
      if (!random.chance(activeChance)) continue;
      const count = poisson(random, user.chattiness * factor);
      const weights = user.staff ? humanWeights : regularWeights;
      for (let message = 0; message < count; message++) {
        const time = sampleTimeInDay(random, day);
        if (!inDay(time) || !builder.isPresent(user, time)) continue;
        events.push({
          time,
          kind: 'human',
          channel: random.weighted(humanChannels, weights),
          user,
        });
      }
    }
    clan.members.forEach((member, memberIndex) => {
      const window = memberWindows[memberIndex];
      if (window === undefined || window.from >= day.end || window.until <= day.start) return;
      if ((played[memberIndex]?.[dayIndex] ?? 0) !== 1) return;
      const count = poisson(random, (0.4 + 0.25 * member.chattiness) * factor);
      for (let line = 0; line < count; line++) {
        const time = sampleTimeInDay(random, day);
        if (time >= window.from && time < window.until && inDay(time))
          events.push({ time, kind: 'relay', member: memberIndex });
      }
      if (random.chance(0.12)) {
        const time = sampleTimeInDay(random, day);
        if (time >= window.from && time < window.until && inDay(time))
          events.push({ time, kind: 'relay', member: -1 - memberIndex });
      }
    });
    for (const user of users) {
      if (inDay(user.joinedAt) && !user.bot)
        events.push({ time: user.joinedAt, kind: 'join', user });
      if (user.leftAt !== null && inDay(user.leftAt))
        events.push({ time: user.leftAt, kind: 'leave', user });
    }
    const push = (kind: 'event' | 'log' | 'announce' | 'drop' | 'gains', time: number): void => {
      if (inDay(time)) events.push({ time, kind });
    };
    if (day.weekday === 1) push('event', day.start + 18 * HOUR + random.int(0, 10) * MINUTE);
    if (day.weekday === 0) push('gains', day.start + 21 * HOUR + random.int(0, 5) * MINUTE);
    if (random.chance(0.5 * messageScale)) push('drop', sampleTimeInDay(random, day));
    if (random.chance(0.6)) push('log', sampleTimeInDay(random, day));
    if (random.chance(0.04)) push('announce', sampleTimeInDay(random, day));
    if (random.chance(0.2 * messageScale)) {
      const time = sampleTimeInDay(random, day);
      if (inDay(time)) events.push({ time, kind: 'post', forum: help });
    }
    if (random.chance(0.08 * messageScale)) {
      const time = sampleTimeInDay(random, day);
      if (inDay(time)) events.push({ time, kind: 'post', forum: media });
    }
    for (const event of special) if (inDay(event.time)) events.push(event);
    events.sort((left, right) => left.time - right.time);

    for (const event of events) {
      switch (event.kind) {
        case 'human': {
          const index = builder.postHuman(event.channel, event.time, event.user.index);
          if (event.channel === pvm && random.chance(threadChance))
            startPvmThread(index, event.time, false);
          break;
        }
        case 'relay': {
          const speaker = event.member >= 0 ? event.member : -1 - event.member;
          const speakers = [speaker];
          let broadcasts = event.member >= 0 ? 0 : FLAG_BROADCAST;
          const lines = random.weighted([1, 2, 3], [0.72, 0.2, 0.08]);
          for (let line = 1; line < lines; line++) {
            const other = random.int(0, clan.members.length - 1);
            const window = memberWindows[other];
            if (window === undefined || event.time < window.from || event.time >= window.until)
              break;
            speakers.push(other);
            if (random.chance(0.1)) broadcasts |= FLAG_BROADCAST << line;
          }
          builder.postRelay(relay, event.time, layout.relayBotIndex, speakers, broadcasts);
          break;
        }
        case 'join':
          builder.postOther(
            general,
            event.time,
            event.user.index,
            DISCORD_MESSAGE_TYPES.USER_JOIN,
            0,
          );
          builder.postOther(botLog, event.time + 1500, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'leave':
          builder.postOther(botLog, event.time, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'log':
          builder.postOther(botLog, event.time, layout.carlBotIndex, 0, FLAG_EMBED);
          break;
        case 'event':
          builder.postOther(
            announcements,
            event.time,
            layout.eventsBotIndex,
            0,
            FLAG_EMBED | FLAG_EVERYONE,
          );
          break;
        case 'gains':
          builder.postOther(announcements, event.time, -1, 0, FLAG_EMBED);
          break;
        case 'drop':
          builder.postOther(pvm, event.time, -2, 0, FLAG_EMBED);
          break;
        case 'announce':
        case 'announce-thread': {
          const author =
            staffPool.pick(random, builder, event.time) ?? pool.pick(random, builder, event.time);
          if (author === null) break;
          const index = builder.postHuman(
            announcements,
            event.time,
            author.index,
            random.chance(0.5) ? FLAG_EVERYONE : 0,
          );
          if (event.kind === 'announce-thread') {
            const createdAt = event.time + 2 * MINUTE;
            const thread = builder.startThread(announcements, index, {
              type: T.ANNOUNCEMENT_THREAD,
              name: 'Event discussion',
              owner: author.index,
              createdAt,
              autoArchiveDuration: 4320,
            });
            fillThread(
              builder,
              pool,
              thread,
              createdAt,
              random.int(6, 20),
              author.index,
              30 * MINUTE,
            );
          }
          break;
        }
        case 'post': {
          const owner = pool.pick(random, builder, event.time);
          if (owner === null) break;
          const isHelp = event.forum === help;
          const post = builder.startPost(event.forum, event.time, owner.index, {
            titleIsQuestion: isHelp && random.chance(0.7),
            autoArchiveDuration: event.active === true ? 10080 : random.pick([1440, 4320, 10080]),
          });
          fillThread(
            builder,
            pool,
            post,
            post.createdAt,
            isHelp ? random.int(1, 20) : random.int(0, 5),
            owner.index,
            isHelp ? 45 * MINUTE : 3 * HOUR,
          );
          break;
        }
        case 'pvm-thread': {
          const author = pool.pick(random, builder, event.time);
          if (author === null) break;
          startPvmThread(builder.postHuman(pvm, event.time, author.index), event.time, true);
          break;
        }
        case 'loose-thread': {
          const owner = pool.pick(random, builder, event.time);
          if (owner === null) break;
          const thread = builder.startThread(pvm, -1, {
            type: T.PUBLIC_THREAD,
            name: threadName(random),
            owner: owner.index,
            createdAt: event.time,
            autoArchiveDuration: 1440,
          });
          fillThread(
            builder,
            pool,
            thread,
            event.time,
            random.int(4, 15),
            owner.index,
            20 * MINUTE,
          );
          break;
        }
        case 'private-thread': {
          const owner =
            staffPool.pick(random, builder, event.time) ?? pool.pick(random, builder, event.time);
          if (owner === null) break;
          const thread = builder.startThread(pvm, -1, {
            type: T.PRIVATE_THREAD,
            name: event.joined ? 'Trial raid: applicants' : 'Staff: rank review',
            owner: owner.index,
            createdAt: event.time,
            autoArchiveDuration: 1440,
            isPrivate: true,
            botJoined: event.joined,
          });
          fillThread(
            builder,
            event.joined ? pool : staffPool.size > 1 ? staffPool : pool,
            thread,
            event.time,
            random.int(5, 15),
            owner.index,
            15 * MINUTE,
          );
          break;
        }
      }
    }
  }
  for (const channel of builder.channels) if (channel.isThread) builder.settleThread(channel);
  return { relay, system: general, rules };
}

function makeWebhook(
  builder: Builder,
  index: number,
  name: string,
  channelIndex: number,
  createdAt: number,
): WebhookState {
  const id = builder.layoutId(createdAt).toString();
  const webhook: WebhookState = { index, id, name, channelIndex, authorJson: '' };
  return { ...webhook, authorJson: webhookJson(webhook) };
}
