/**
 * Detecting, from the messages themselves, whether the bot has the Message Content intent.
 *
 * Without it, Discord returns `content: ''`, `embeds: []`, `attachments: []`, `components: []` and
 * omits `poll` on every message, except messages the bot sent, DMs, and messages that mention the
 * bot. `sticker_items` and `message_snapshots` (forwards) are not emptied. A human message can never
 * be completely empty when the intent is on, so a page of nothing but empty human messages means
 * the intent is off.
 *
 * @packageDocumentation
 */
import type { APIMessage } from 'discord.js';

/** Message types a person sends: `DEFAULT` (0) and `REPLY` (19). */
const HUMAN_MESSAGE_TYPES: ReadonlySet<number> = new Set([0, 19]);

function isEvidence(message: APIMessage, botUserId: string | undefined): boolean {
  if (!HUMAN_MESSAGE_TYPES.has(message.type)) return false;
  const { author } = message;
  if (author.bot === true || author.system === true) return false;
  if (message.webhook_id !== undefined) return false;
  if (botUserId !== undefined) {
    if (author.id === botUserId) return false;
    // Messages that mention the bot keep their content even without the intent.
    if (message.mentions.some((user) => user.id === botUserId)) return false;
  }
  return true;
}

/** Fields the intent empties: any of them set proves the intent is on. */
function hasIntentContent(message: APIMessage): boolean {
  return (
    message.content !== '' ||
    message.embeds.length > 0 ||
    message.attachments.length > 0 ||
    (message.components?.length ?? 0) > 0 ||
    message.poll !== undefined
  );
}

/** Nothing at all to show: impossible for a human message while the intent is on. */
function isCompletelyEmpty(message: APIMessage): boolean {
  return (
    !hasIntentContent(message) &&
    (message.sticker_items?.length ?? 0) === 0 &&
    (message.message_snapshots?.length ?? 0) === 0
  );
}

/**
 * Whether a page of messages shows the Message Content intent to be available.
 *
 * Only human messages are evidence: types 0 and 19, not by a bot, system user or webhook, and —
 * when `botUserId` is given — not by the bot and not mentioning it (those keep their content
 * without the intent).
 *
 * @param botUserId - the bot's user id; without it, mentions of the bot cannot be excluded.
 * @returns `true` when some human message has content, embeds, attachments, components or a poll;
 * `false` when there are human messages and every one is completely empty (no stickers or
 * forwards either); `undefined` when the page proves nothing (no human messages, or only
 * sticker/forward-only ones).
 */
export function detectContentAvailability(
  messages: readonly APIMessage[],
  botUserId?: string,
): boolean | undefined {
  let humans = 0;
  let allEmpty = true;
  for (const message of messages) {
    if (!isEvidence(message, botUserId)) continue;
    if (hasIntentContent(message)) return true;
    humans += 1;
    if (!isCompletelyEmpty(message)) allEmpty = false;
  }
  return humans > 0 && allEmpty ? false : undefined;
}
