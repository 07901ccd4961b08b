/** Derives a message's text, relay lines and ground-truth object from the compact columns. */
import { createRandom } from '../random.js';
import type { Random } from '../random.js';
import {
  announcementText,
  answerText,
  broadcastText,
  captionText,
  dropText,
  eventText,
  gainsText,
  postBody,
  questionText,
  replyText,
  statementText,
} from './content.js';
import { DISCORD_MESSAGE_TYPES } from './model.js';
import type { SyntheticDiscordMessage, SyntheticRelayLine } from './model.js';
import type { ChannelState, DiscordState, UserState } from './state.js';
import {
  FLAG_ATTACHMENT,
  FLAG_BROADCAST,
  FLAG_EVERYONE,
  FLAG_HAS_THREAD,
  FLAG_PING,
  FLAG_QUESTION,
  FLAG_STARTER,
} from './store.js';

/** The seed of a message's derived content: stable for a given channel index, position and time. */
export function messageRandom(channel: ChannelState, index: number, salt = 0): Random {
  const time = channel.messages.times[index] ?? 0;
  return createRandom(
    (time % 4_294_967_296) ^
      Math.imul(channel.index + 1, 0x9e3779b1) ^
      Math.imul(index + 1, 0x85ebca6b) ^
      Math.imul(salt, 0xc2b2ae35),
  );
}

/** True for join, thread-created and thread-starter messages. */
export function isSystemType(type: number): boolean {
  return (
    type === DISCORD_MESSAGE_TYPES.USER_JOIN ||
    type === DISCORD_MESSAGE_TYPES.THREAD_CREATED ||
    type === DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE
  );
}

/** True when the author (a column value) is a human user. */
export function isHumanAuthor(users: readonly UserState[], author: number): boolean {
  return author >= 0 && users[author]?.bot === false;
}

/** The id string of an author column value (user or webhook). */
export function authorIdOf(state: DiscordState, author: number): string {
  return author >= 0 ? (state.users[author]?.id ?? '0') : (state.webhooks[-author - 1]?.id ?? '0');
}

/** True when the message at `index` is a reply to another human's question. */
export function answersReplyTarget(channel: ChannelState, index: number): boolean {
  const columns = channel.messages;
  const target = columns.replyTo[index] ?? -1;
  if (target < 0 || columns.types[index] !== DISCORD_MESSAGE_TYPES.REPLY) return false;
  return (
    ((columns.flags[target] ?? 0) & FLAG_QUESTION) !== 0 &&
    columns.authors[target] !== columns.authors[index]
  );
}

/** Whether a thread's title or starter message is a question. */
export function threadAsksQuestion(state: DiscordState, channel: ChannelState): boolean {
  if (!channel.isThread) return false;
  if (channel.titleIsQuestion) return true;
  const columns = channel.messages;
  if (columns.length > 0 && ((columns.flags[0] ?? 0) & FLAG_STARTER) !== 0)
    return ((columns.flags[0] ?? 0) & FLAG_QUESTION) !== 0;
  const parent = state.channels[channel.parentIndex];
  if (parent === undefined || channel.starterIndex < 0) return false;
  return ((parent.messages.flags[channel.starterIndex] ?? 0) & FLAG_QUESTION) !== 0;
}

/** The ground-truth `answerToId` of a message (see `SyntheticDiscordMessage.answerToId`). */
export function answerToIdOf(
  state: DiscordState,
  channel: ChannelState,
  index: number,
): string | null {
  const columns = channel.messages;
  const author = columns.authors[index] ?? -1;
  if (!isHumanAuthor(state.users, author) || isSystemType(columns.types[index] ?? 0)) return null;
  if (answersReplyTarget(channel, index)) {
    return (columns.ids[columns.replyTo[index] ?? 0] ?? 0n).toString();
  }
  if (
    channel.isThread &&
    author !== channel.ownerIndex &&
    columns.ids[index] !== channel.idBig &&
    threadAsksQuestion(state, channel)
  )
    return channel.id;
  return null;
}

function rankEmoji(state: DiscordState, role: string): string {
  const name = role
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `<:${name}:${state.rankEmojiIds.get(role) ?? '0'}>`;
}

/** The relay lines of a relay message, with each speaker's clan rank (undefined for other messages). */
function relayLinesWithRanks(
  state: DiscordState,
  channel: ChannelState,
  index: number,
): Array<{ line: SyntheticRelayLine; rank: string }> | undefined {
  const relay = channel.messages.relay;
  if (relay === null || (relay[index * 3] ?? -1) < 0) return undefined;
  const flags = channel.messages.flags[index] ?? 0;
  const lines: Array<{ line: SyntheticRelayLine; rank: string }> = [];
  for (let line = 0; line < 3; line++) {
    const member = state.clanMembers[relay[index * 3 + line] ?? -1];
    if (member === undefined) break;
    const random = messageRandom(channel, index, line + 1);
    const broadcast = (flags & (FLAG_BROADCAST << line)) !== 0;
    const question = !broadcast && random.chance(0.12);
    const text = broadcast
      ? broadcastText(random)
      : question
        ? questionText(random, 'general')
        : statementText(random, 'general');
    lines.push({
      line: {
        line,
        rsn: member.player.displayName,
        kind: broadcast ? 'broadcast' : 'chat',
        text,
        isQuestion: question,
        playerId: member.player.id,
      },
      rank: member.membership.role,
    });
  }
  return lines;
}

/** The relay lines of a relay message (undefined for other messages). */
export function relayLinesOf(
  state: DiscordState,
  channel: ChannelState,
  index: number,
): SyntheticRelayLine[] | undefined {
  return relayLinesWithRanks(state, channel, index)?.map(({ line }) => line);
}

/** The full text of a message (as sent with the Message Content intent). */
export function contentOf(state: DiscordState, channel: ChannelState, index: number): string {
  const override = channel.overrides?.get(index);
  if (override !== undefined) return override;
  const columns = channel.messages;
  const type = columns.types[index] ?? 0;
  if (
    type === DISCORD_MESSAGE_TYPES.USER_JOIN ||
    type === DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE
  )
    return '';
  if (type === DISCORD_MESSAGE_TYPES.THREAD_CREATED)
    return state.channels[columns.extra[index] ?? -1]?.name ?? '';
  const relay = relayLinesWithRanks(state, channel, index);
  if (relay !== undefined) {
    return relay
      .map(({ line, rank }) =>
        line.kind === 'broadcast'
          ? `**${line.rsn}** ${line.text}`
          : `${rankEmoji(state, rank)} **${line.rsn}**: ${line.text}`,
      )
      .join('\n');
  }
  const author = columns.authors[index] ?? -1;
  const flags = columns.flags[index] ?? 0;
  const random = messageRandom(channel, index);
  if (author < 0) {
    const webhook = state.webhooks[-author - 1];
    return webhook?.name === 'Wise Old Man' ? gainsText(random) : dropText(random);
  }
  const user = state.users[author];
  if (user?.bot === true) {
    if (user.username === 'Carl-bot') return '';
    return `${flags & FLAG_EVERYONE ? '@everyone ' : ''}${eventText(random)}`;
  }
  if ((flags & FLAG_STARTER) !== 0) {
    return channel.role === 'post' && state.channels[channel.parentIndex]?.role === 'media'
      ? captionText(random)
      : postBody(random, (flags & FLAG_QUESTION) !== 0);
  }
  if (answersReplyTarget(channel, index)) return answerText(random);
  if ((flags & FLAG_QUESTION) !== 0) return questionText(random, topicOf(state, channel));
  if (type === DISCORD_MESSAGE_TYPES.REPLY) return replyText(random);
  if (channel.role === 'announcements') {
    return `${flags & FLAG_EVERYONE ? '@everyone ' : ''}${announcementText(random)}`;
  }
  return statementText(random, topicOf(state, channel));
}

/** The vocabulary of a channel (threads talk like their parent). */
function topicOf(state: DiscordState, channel: ChannelState): string {
  if (channel.isThread) {
    const parent = state.channels[channel.parentIndex];
    return parent?.role === 'help' ? 'help' : parent?.role === 'media' ? 'media' : 'pvm';
  }
  return channel.role;
}

/** The ground-truth message object for a message. */
export function toSyntheticMessage(
  state: DiscordState,
  channel: ChannelState,
  index: number,
): SyntheticDiscordMessage {
  const columns = channel.messages;
  const { type, flags, author, time, edit, replyTo, extra } = columns.row(index);
  const human = isHumanAuthor(state.users, author) && !isSystemType(type);
  let replyToId: string | null = null;
  if (replyTo >= 0) replyToId = (columns.ids[replyTo] ?? 0n).toString();
  else if (type === DISCORD_MESSAGE_TYPES.THREAD_STARTER_MESSAGE) {
    const parent = state.channels[channel.parentIndex];
    replyToId = parent === undefined ? null : (parent.messages.ids[extra] ?? 0n).toString();
  }
  const mentionIds: string[] = [];
  if ((flags & FLAG_PING) !== 0 && replyTo >= 0)
    mentionIds.push(authorIdOf(state, columns.authors[replyTo] ?? -1));
  const relayLines = relayLinesOf(state, channel, index);
  const message: SyntheticDiscordMessage = {
    id: (columns.ids[index] ?? 0n).toString(),
    channelId: channel.id,
    authorId: authorIdOf(state, author),
    type,
    timestamp: new Date(time).toISOString(),
    editedTimestamp: edit === 0 ? null : new Date(time + edit * 1000).toISOString(),
    replyToId,
    isQuestion: human && (flags & FLAG_QUESTION) !== 0,
    answerToId: answerToIdOf(state, channel, index),
    content: contentOf(state, channel, index),
    isBot: author < 0 || state.users[author]?.bot === true,
    webhookId: author < 0 ? authorIdOf(state, author) : null,
    isSystem: isSystemType(type),
    mentionIds,
    attachmentCount: (flags & FLAG_ATTACHMENT) !== 0 ? 1 : 0,
    threadId: (flags & FLAG_HAS_THREAD) !== 0 ? (state.channels[extra]?.id ?? null) : null,
  };
  return relayLines === undefined ? message : { ...message, relayLines };
}
