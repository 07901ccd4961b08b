/**
 * Turning a page of Discord messages into harvested records: flags, Q&A, relay lines, authors.
 */
import type { APIMessage } from 'discord.js';
import { detectContentAvailability } from './content.js';
import { isQuestionText, isQuestionTitle } from './questions.js';
import { matchesRelayAuthor, parseRelayLines, type RelayRule } from './relay.js';
import type { HarvestChannel, HarvestedMessage, HarvestedUser, RelayLine } from './types.js';
import type { WireMessage, WireUser } from './wire.js';

/** Message types a person sends: default (0) and reply (19). Everything else is a system message. */
const HUMAN_TYPES: ReadonlySet<number> = new Set([0, 19]);
/** Thread starter message (type 21): the first item of a thread started from a message. */
const THREAD_STARTER_TYPE = 21;

/** What the mapping of one channel's pages needs to know. */
export interface ChannelContext {
  channel: HarvestChannel;
  /** The thread is a forum or media post (its starter message has the thread's id). */
  isPost: boolean;
  /** The relay rule of this channel, if any. */
  relay: RelayRule | undefined;
  includeContent: boolean;
  botUserId: string;
}

function isAutomated(author: WireUser, webhookId: string | null): boolean {
  return author.bot || author.system || webhookId !== null;
}

/** Whether a message is a person's own chat message (not a bot, webhook or system message). */
export function isHumanMessage(message: WireMessage): boolean {
  return HUMAN_TYPES.has(message.type) && !isAutomated(message.author, message.webhook_id);
}

/**
 * Whether the thread's starter appears among these messages and asks a question: a forum post's
 * first message (id = thread id), or the referenced message of a thread-starter message (type 21).
 * `undefined` when the starter is not among them.
 */
export function starterQuestionIn(
  messages: readonly WireMessage[],
  context: ChannelContext,
): boolean | undefined {
  for (const message of messages) {
    if (message.id === context.channel.id) {
      return isHumanMessage(message) && isQuestionText(message.content);
    }
    if (message.type === THREAD_STARTER_TYPE) {
      const referenced = message.referenced_message;
      if (referenced === undefined || referenced === null) return false;
      return (
        HUMAN_TYPES.has(referenced.type) &&
        !isAutomated(referenced.author, referenced.webhook_id) &&
        isQuestionText(referenced.content)
      );
    }
  }
  return undefined;
}

/** Whether any message could be an answer in a question thread (a person other than its owner). */
export function hasThreadAnswerCandidates(
  messages: readonly WireMessage[],
  channel: HarvestChannel,
): boolean {
  return messages.some(
    (message) =>
      message.id !== channel.id && isHumanMessage(message) && message.author.id !== channel.ownerId,
  );
}

/** The Message Content evidence of a page: see `detectContentAvailability`. */
export function contentEvidence(
  messages: readonly WireMessage[],
  botUserId: string,
): boolean | undefined {
  // detectContentAvailability reads API message objects; give it exactly the fields it reads.
  const shims = messages.map(
    (message) =>
      ({
        type: message.type,
        author: { id: message.author.id, bot: message.author.bot, system: message.author.system },
        webhook_id: message.webhook_id ?? undefined,
        mentions: message.mentionIds.map((id) => ({ id })),
        content: message.content,
        embeds: new Array<never>(message.embedCount),
        attachments: new Array<never>(message.attachmentCount),
        components: new Array<never>(message.componentCount),
        poll: message.hasPoll ? {} : undefined,
        sticker_items: new Array<never>(message.stickerCount),
        message_snapshots: new Array<never>(message.snapshotCount),
      }) as unknown as APIMessage,
  );
  return detectContentAvailability(shims, botUserId);
}

function toTime(value: string | null): number | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** The records of one page. */
export interface MappedPage {
  messages: HarvestedMessage[];
  users: HarvestedUser[];
  relayLines: RelayLine[];
}

/**
 * Maps a page. `messages` must be deduplicated and in ascending id order.
 *
 * @param contentAvailable - whether the Message Content intent is on (decides how replies count as
 * answers).
 * @param questionThread - the channel is a thread whose title or starter asks a question.
 */
export function mapPage(
  messages: readonly WireMessage[],
  context: ChannelContext,
  contentAvailable: boolean,
  questionThread: boolean,
): MappedPage {
  const { channel } = context;
  const users = new Map<string, HarvestedUser>();
  const mapped: HarvestedMessage[] = [];
  const relayLines: RelayLine[] = [];

  for (const message of messages) {
    const author = message.author;
    const isWebhook = message.webhook_id !== null;
    if (!users.has(author.id)) {
      users.set(author.id, {
        id: author.id,
        username: author.username,
        globalName: author.global_name,
        bot: author.bot || author.system || isWebhook,
      });
    }
    const human = isHumanMessage(message);

    let isQuestion = false;
    let answerToId: string | null = null;
    if (human) {
      isQuestion =
        isQuestionText(message.content) ||
        (context.isPost && message.id === channel.id && isQuestionTitle(channel.name));

      const referenced = message.referenced_message;
      if (
        message.type === 19 &&
        referenced !== undefined &&
        referenced !== null &&
        referenced.author.id !== author.id &&
        HUMAN_TYPES.has(referenced.type) &&
        !isAutomated(referenced.author, referenced.webhook_id) &&
        (!contentAvailable || isQuestionText(referenced.content))
      ) {
        answerToId = referenced.id;
      } else if (
        channel.isThread &&
        questionThread &&
        message.id !== channel.id &&
        author.id !== channel.ownerId
      ) {
        answerToId = channel.id;
      }
    }

    let relayRsn: string | null = null;
    if (
      context.relay !== undefined &&
      matchesRelayAuthor(context.relay, author, message.webhook_id)
    ) {
      const lines = parseRelayLines(message.content, context.relay.linePattern);
      for (const line of lines) {
        relayLines.push({
          messageId: message.id,
          line: line.line,
          rsn: line.rsn,
          normalizedRsn: line.normalizedRsn,
          isQuestion: line.isQuestion,
          content: context.includeContent ? line.text : null,
        });
      }
      if (lines.length === 1) relayRsn = lines[0]?.rsn ?? null;
    }

    mapped.push({
      id: message.id,
      channelId: channel.id,
      authorId: author.id,
      editedAt: toTime(message.edited_timestamp),
      type: message.type,
      replyToId: message.type === 19 ? (message.message_reference?.message_id ?? null) : null,
      inThread: channel.isThread,
      isBot: author.bot || author.system,
      isWebhook,
      mentionCount: message.mentionCount,
      attachmentCount: message.attachmentCount,
      isQuestion,
      answerToId,
      relayRsn,
      content: context.includeContent ? message.content : null,
    });
  }
  return { messages: mapped, users: [...users.values()], relayLines };
}
