/** The bench layout: an exact number of messages over text channels, threads and forum posts. */
import type { SyntheticClan } from '../clan/model.js';
import type { Random } from '../random.js';
import { threadName } from './content.js';
import { AuthorPool, DAY, HOUR, MINUTE } from './builder.js';
import type { Builder } from './builder.js';
import { DISCORD_CHANNEL_TYPES } from './model.js';
import type { Layout } from './people.js';
import { dayFactor, localDays, sampleTimeInDay } from './rhythm.js';
import type { LocalDay } from './rhythm.js';
import type { ChannelState } from './state.js';
import { FLAG_BROADCAST, FLAG_HAS_THREAD } from './store.js';

/** Exact counts summing to `total`, proportional to `weights` (largest remainder). */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((accumulator, weight) => accumulator + weight, 0);
  const shares = weights.map((weight) => (sum === 0 ? 0 : (total * weight) / sum));
  const counts = shares.map(Math.floor);
  let left = total - counts.reduce((accumulator, count) => accumulator + count, 0);
  const order = shares
    .map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((first, second) => second.remainder - first.remainder || first.index - second.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return counts;
}

/** Sorted message times in [from, until) following the rhythm, exactly `count` of them. */
function rhythmTimes(
  random: Random,
  days: readonly LocalDay[],
  from: number,
  until: number,
  count: number,
): Float64Array {
  const times = new Float64Array(count);
  if (count === 0) return times;
  const span = days.filter((day) => day.end > from && day.start < until);
  const weights = span.map(
    (day) =>
      dayFactor(day) *
      ((Math.min(day.end, until) - Math.max(day.start, from)) / (day.end - day.start)),
  );
  const perDay = allocate(count, weights);
  let offset = 0;
  span.forEach((day, dayIndex) => {
    const dayCount = perDay[dayIndex] ?? 0;
    const low = Math.max(day.start, from);
    const high = Math.min(day.end, until);
    for (let index = 0; index < dayCount; index++) {
      let time = sampleTimeInDay(random, day);
      if (time < low || time >= high) time = low + Math.floor(random.next() * (high - low));
      times[offset + index] = time;
    }
    times.subarray(offset, offset + dayCount).sort();
    offset += dayCount;
  });
  return times;
}

/** The bench layout: exactly `messages` messages over `channels` containers, all readable. */
export function generateScaleLayout(
  builder: Builder,
  clan: SyntheticClan,
  layout: Layout,
  options: { timeZone: string; guildCreatedAt: number; messages: number; channels: number },
): { relay: ChannelState; system: ChannelState; rules: ChannelState | null } {
  const random = builder.random;
  const { now, start } = builder;
  const T = DISCORD_CHANNEL_TYPES;
  const containers = options.channels;
  const textCount = Math.max(1, Math.ceil(containers * 0.5));
  const threadCount = Math.floor((containers - textCount) / 2);
  const postCount = containers - textCount - threadCount;
  const at = (minutes: number): number => options.guildCreatedAt + minutes * MINUTE;
  const category = builder.addChannel({
    type: T.GUILD_CATEGORY,
    name: 'Text channels',
    role: 'category',
    position: 0,
    createdAt: at(1),
  });
  const weights = Array.from({ length: containers }, (_, index) => 1 / Math.pow(index + 1, 0.7));
  for (let index = weights.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [weights[index], weights[other]] = [weights[other] ?? 1, weights[index] ?? 1];
  }
  const counts = allocate(options.messages, weights);
  const days = localDays(start, now, options.timeZone);
  const humans = builder.users.filter((user) => !user.bot);
  const pool = new AuthorPool(humans);
  const speakers = new AuthorPool(humans.filter((user) => user.clanIndex >= 0));
  const fallback =
    humans.find((user) => user.joinedAt <= start && user.leftAt === null) ?? humans[0];
  const author = (time: number): number =>
    (pool.pick(random, builder, time) ?? fallback)?.index ?? 0;

  const texts: ChannelState[] = [];
  for (let text = 0; text < textCount; text++) {
    const isRelay = text === Math.min(1, textCount - 1);
    const count = counts[text] ?? 0;
    const channel = builder.addChannel({
      type: T.GUILD_TEXT,
      name: text === 0 ? 'general' : isRelay ? 'osrs-clan-chat' : `chat-${text + 1}`,
      role: text === 0 ? 'general' : isRelay ? 'relay' : 'chat',
      parentIndex: category.index,
      position: text,
      createdAt: at(2 + text),
      capacity: count,
      relay: isRelay,
    });
    texts.push(channel);
    const times = rhythmTimes(random, days, start, now, count);
    for (const time of times) {
      if (isRelay) {
        const first = speakers.size > 0 ? speakers.pick(random, builder, time) : null;
        const clanIndex = first?.clanIndex ?? random.int(0, Math.max(0, clan.members.length - 1));
        const lines = random.weighted([1, 2, 3], [0.72, 0.2, 0.08]);
        const members = [clanIndex];
        for (let line = 1; line < lines; line++)
          members.push(random.int(0, clan.members.length - 1));
        builder.postRelay(
          channel,
          time,
          layout.relayBotIndex,
          members,
          random.chance(0.1) ? FLAG_BROADCAST : 0,
        );
      } else {
        builder.postHuman(channel, time, author(time));
      }
    }
  }

  const forum =
    postCount > 0
      ? builder.addChannel({
          type: T.GUILD_FORUM,
          name: 'forum',
          role: 'help',
          parentIndex: category.index,
          position: textCount,
          createdAt: at(2 + textCount),
        })
      : null;
  const containerTimes = (count: number, archived: boolean): { from: number; until: number } => {
    const from = random.int(start + HOUR, Math.max(start + HOUR, now - 3 * DAY));
    const until = archived ? Math.min(now - 8 * DAY, from + random.int(1, 30) * DAY) : now;
    return { from, until: Math.max(from + Math.max(count, 1) * 10, until) };
  };
  const textParents = texts.filter((text) => text.role !== 'relay' && text.messages.length > 0);
  for (let thread = 0; thread < threadCount; thread++) {
    const count = counts[textCount + thread] ?? 0;
    const parent = textParents[thread % Math.max(1, textParents.length)];
    if (count === 0 || parent === undefined) continue;
    const archived = thread % 2 === 0;
    const range = containerTimes(count, archived);
    let parentIndex = Math.min(
      parent.messages.length - 1,
      parent.messages.lowerBoundTime(range.from),
    );
    while (parentIndex > 0 && ((parent.messages.flags[parentIndex] ?? 0) & FLAG_HAS_THREAD) !== 0)
      parentIndex--;
    const createdAt = (parent.messages.times[parentIndex] ?? range.from) + 30_000;
    const isPrivate = thread === 1;
    const channel = builder.startThread(parent, parentIndex, {
      type: isPrivate ? T.PRIVATE_THREAD : T.PUBLIC_THREAD,
      name: threadName(random),
      owner: parent.messages.authors[parentIndex] ?? author(createdAt),
      createdAt,
      autoArchiveDuration: 10080,
      isPrivate,
      botJoined: isPrivate,
      capacity: count,
    });
    const times = rhythmTimes(
      random,
      days,
      createdAt + 1,
      Math.max(range.until, createdAt + count * 10),
      count - 1,
    );
    for (const time of times) builder.postHuman(channel, time, author(time));
  }
  for (let post = 0; post < postCount && forum !== null; post++) {
    const count = counts[textCount + threadCount + post] ?? 0;
    if (count === 0) continue;
    const range = containerTimes(count, post % 3 !== 0);
    const owner = author(range.from);
    const channel = builder.startPost(forum, range.from, owner, {
      titleIsQuestion: random.chance(0.6),
      autoArchiveDuration: 10080,
      capacity: count,
    });
    const times = rhythmTimes(random, days, channel.createdAt + 1, range.until, count - 1);
    for (const time of times) builder.postHuman(channel, time, author(time));
  }
  for (const channel of builder.channels) if (channel.isThread) builder.settleThread(channel);
  const general = texts[0] ?? category;
  return { relay: texts[Math.min(1, texts.length - 1)] ?? general, system: general, rules: null };
}
