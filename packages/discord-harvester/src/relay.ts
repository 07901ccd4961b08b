/**
 * Clan-chat relays: a bot or webhook that copies the in-game clan chat into a Discord channel, one
 * line per chat message, for example `<:Owner:1234567890123> **partymarty94**: anyone for cox?`.
 *
 * @packageDocumentation
 */
import { isQuestionText } from './questions.js';

/**
 * Where to find a clan-chat relay, and how to recognise its lines.
 *
 * A message is a relay message when it is posted in `channelId` and its author matches
 * (see {@link matchesRelayAuthor}); its content is then parsed with {@link parseRelayLines}.
 */
export interface RelayRule {
  /** The channel the relay posts into. */
  channelId: string;
  /**
   * Author ids of the relay: a bot user id, or a webhook id (webhook messages carry the webhook id
   * as `author.id`). When non-empty, an author whose id is listed matches.
   */
  authorIds?: readonly string[];
  /**
   * The relay's name: a string is compared case-insensitively with the author's `username` (for a
   * webhook, the webhook name) and `global_name`; a RegExp is tested against each of them.
   */
  authorName?: string | RegExp;
  /**
   * The line format, with named groups `rsn` (required) and `text`, and optionally `rank`.
   * `g`/`y` flags are ignored.
   *
   * @defaultValue {@link DEFAULT_RELAY_LINE_PATTERN}
   */
  linePattern?: RegExp;
}

/** One clan-chat line parsed from a relay message. */
export interface ParsedRelayLine {
  /** 0-based index of the line among the message's lines (`\n`-separated, empty lines included). */
  line: number;
  /**
   * The RuneScape name as written: trimmed, markdown escapes (`\_`, `\-`, …) removed, and
   * no-break spaces (which RuneLite uses inside names) turned into plain spaces.
   */
  rsn: string;
  /** {@link normalizeRsn} of `rsn`: the key to match against WOM usernames. */
  normalizedRsn: string;
  /** The rank emoji's name (`Owner` for `<:Owner:123>`), or null when the line has none. */
  rank: string | null;
  /** The chat text after the colon, trimmed (as written: markdown is kept). */
  text: string;
  /** {@link isQuestionText} of `text`. */
  isQuestion: boolean;
}

/**
 * The author of a Discord message, as far as relay matching needs it (an `APIUser` fits).
 */
export interface RelayAuthor {
  /** The user id; for webhook messages, the webhook id. */
  id: string;
  /** The username; for webhook messages, the webhook name. */
  username: string;
  /** The display name, if any. */
  global_name?: string | null;
  /** Whether the author is a bot user. */
  bot?: boolean;
}

const TIME = String.raw`\[\d{1,2}:\d{2}(?::\d{2})?\]`;
/** One emoji: a pictograph with an optional variation selector or skin tone, ZWJ-joined to more. */
const UNICODE_EMOJI = String.raw`\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?(?:\u200d\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?)*`;
/** Up to two times and/or unicode emoji. */
const DECORATION = String.raw`(?:(?:${TIME}|${UNICODE_EMOJI})\s*){0,2}`;
/** One optional custom emoji, whose name is the rank. */
const RANK = String.raw`(?:<a?:(?<rank>\w{1,32}):\d{1,20}>\s*)?`;

/**
 * The default relay line format (case-sensitive, one line at a time):
 *
 * ```text
 * [12:34] <:Rank:123> 🛡️ **RSN**: text
 * ```
 *
 * - optional prefixes: one custom emoji `<:Rank:id>` or `<a:Rank:id>` (its name is captured as
 *   `rank`), with up to two times (`[12:34]`, `[12:34:56]`) or unicode emoji before and after it;
 * - the name in bold, `**RSN**`, captured as `rsn` (validated afterwards, see
 *   {@link parseRelayLines});
 * - a colon right after the bold name (`**RSN**:`, or `**RSN:**`): lines without it are broadcasts
 *   (`**RSN** received a drop: …`, `**RSN** has reached level 99`) and do not match;
 * - the chat text, captured as `text` (may be empty).
 */
export const DEFAULT_RELAY_LINE_PATTERN = new RegExp(
  String.raw`^\s*${DECORATION}${RANK}${DECORATION}\*\*(?<rsn>[^*\n]{1,40}?)(?::\*\*|\*\*:)[ \t]*(?<text>[^\n]*)$`,
  'u',
);

/** A valid RSN after unescaping: 1–12 characters of letters, digits, space, `_` and `-`. */
const VALID_RSN = /^[a-zA-Z0-9 _-]{1,12}$/;
const MARKDOWN_ESCAPE = /\\([^\p{L}\p{N}\s])/gu;
const NO_BREAK_SPACE = /\u00a0/g;
const LINE_BREAK = /\r?\n/;

/**
 * WOM's username standardisation: `-`, `_` and whitespace become a space, then trim and lowercase.
 * `Ze_Zima`, `ze-zima` and ` ze zima ` all become `ze zima`. Idempotent.
 *
 * @see https://github.com/wise-old-man/wise-old-man `server/src/api/modules/players/player.utils.ts`
 */
export function normalizeRsn(name: string): string {
  return name
    .replace(/[-_\s]/g, ' ')
    .trim()
    .toLowerCase();
}

/** The same pattern without `g`/`y`, so `exec` never depends on (or changes) `lastIndex`. */
const statelessPatterns = new WeakMap<RegExp, RegExp>();
function stateless(pattern: RegExp): RegExp {
  if (!pattern.global && !pattern.sticky) return pattern;
  let copy = statelessPatterns.get(pattern);
  if (copy === undefined) {
    copy = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    statelessPatterns.set(pattern, copy);
  }
  return copy;
}

function cleanRsn(raw: string): string | null {
  const rsn = raw.replace(MARKDOWN_ESCAPE, '$1').replace(NO_BREAK_SPACE, ' ').trim();
  return VALID_RSN.test(rsn) && normalizeRsn(rsn) !== '' ? rsn : null;
}

/**
 * Parses the clan-chat lines of a relay message. Each line of `content` is matched separately
 * against `pattern`; lines that do not match (broadcasts, blank lines, anything else) are skipped,
 * and so are lines whose RSN is invalid: not 1–12 characters of `[a-zA-Z0-9 _-]` after removing
 * markdown escapes, or nothing but separators. Never throws for the default pattern.
 *
 * @param pattern - the line format, with named groups `rsn` and `text` (and optionally `rank`);
 * lines where `rsn` did not participate are skipped, a missing `text` group gives `''`.
 * @example
 * ```ts
 * parseRelayLines('<:Owner:1> **Sir\\_Gowi**: anyone cox?\n**Sir Gowi** received a drop: Dragon bones');
 * // [{ line: 0, rsn: 'Sir_Gowi', normalizedRsn: 'sir gowi', rank: 'Owner', text: 'anyone cox?', isQuestion: true }]
 * ```
 */
export function parseRelayLines(
  content: string,
  pattern: RegExp = DEFAULT_RELAY_LINE_PATTERN,
): ParsedRelayLine[] {
  const matcher = stateless(pattern);
  const parsed: ParsedRelayLine[] = [];
  const lines = content.split(LINE_BREAK);
  for (const [index, line] of lines.entries()) {
    const groups = matcher.exec(line)?.groups;
    const rawRsn = groups?.rsn;
    if (groups === undefined || rawRsn === undefined) continue;
    const rsn = cleanRsn(rawRsn);
    if (rsn === null) continue;
    const text = (groups.text ?? '').trim();
    parsed.push({
      line: index,
      rsn,
      normalizedRsn: normalizeRsn(rsn),
      rank: groups.rank ?? null,
      text,
      isQuestion: isQuestionText(text),
    });
  }
  return parsed;
}

function nameMatches(expected: string | RegExp, name: string | null | undefined): boolean {
  if (name === null || name === undefined) return false;
  if (typeof expected === 'string') return expected.toLowerCase() === name.toLowerCase();
  return stateless(expected).test(name);
}

/**
 * Whether a message author is the relay described by `rule` (the channel is not checked here).
 *
 * - `authorIds` (when non-empty) matches by id; webhook messages carry the webhook id as `author.id`.
 * - `authorName`: a string equals `username` or `global_name`, ignoring case; a RegExp matches either.
 * - When both are set, either one matching is enough.
 * - When neither is set, any bot author or webhook message matches (never a regular user).
 *
 * @param webhookId - the message's `webhook_id`, when it has one.
 * @example
 * ```ts
 * matchesRelayAuthor({ channelId: '1', authorName: /clan ?chat/i }, message.author, message.webhook_id);
 * ```
 */
export function matchesRelayAuthor(
  rule: RelayRule,
  author: RelayAuthor,
  webhookId?: string | null,
): boolean {
  const byId = rule.authorIds !== undefined && rule.authorIds.length > 0;
  const byName = rule.authorName !== undefined;
  if (!byId && !byName) {
    return (
      author.bot === true || (webhookId !== undefined && webhookId !== null && webhookId !== '')
    );
  }
  if (byId && rule.authorIds?.includes(author.id) === true) return true;
  if (rule.authorName !== undefined) {
    return (
      nameMatches(rule.authorName, author.username) ||
      nameMatches(rule.authorName, author.global_name)
    );
  }
  return false;
}
