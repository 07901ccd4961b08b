/**
 * Question detection for Discord messages, relay lines and thread/forum-post titles.
 *
 * The rule is deliberately simple and predictable (no language model, no scoring):
 *
 * 1. Remove what is not prose: fenced code blocks (` ```…``` `), inline code (`` `…` ``), block
 *    quotes (lines starting with `> `, and everything after `>>> `, which quote someone else),
 *    URLs (`https://…`, `http://…`, `www.…`, also inside `<…>`; a trailing `?`, `!`, `.`, `,`, `:`,
 *    `;`, `)` or quote is prose, not URL), the target of markdown links `[label](url)` (the label is
 *    kept), and Discord tokens: custom emoji `<:name:id>`/`<a:name:id>`, user/role/channel mentions,
 *    slash-command mentions `</name:id>`, timestamps `<t:…>`, guide links `<id:…>`, and
 *    `@everyone`/`@here`. Spoilers (`||…||`), bold and other formatting are kept.
 * 2. The text is a question when what remains contains a question mark ({@link QUESTION_MARKS}),
 * 3. or when its first word is one of {@link QUESTION_WORDS} (case-insensitive, whole word: `Is it`
 *    counts, `Island` does not; `what's` counts through `what`). Leading punctuation, formatting
 *    and emoji before the first word are skipped. Only the start of the whole text counts, not the
 *    start of each line or sentence.
 *
 * A text starting with a question word is a question even without a `?`, including rhetorical
 * ones ("Who cares.") and some statements ("Will do", "Have fun"). That is the documented trade-off
 * for catching the many chat questions typed without a `?` ("how do I get to zulrah").
 * Negative contractions (`don't`, `can't`, …) are not question words: in chat they start
 * statements far more often ("cant wait", "dont forget").
 *
 * Empty or whitespace-only text is never a question.
 *
 * @packageDocumentation
 */

/**
 * The words that make a text a question when it starts with one (lowercase; matched
 * case-insensitively as a whole word).
 */
export const QUESTION_WORDS: readonly string[] = Object.freeze([
  // interrogatives (and their apostrophe-less chat forms)
  'who',
  'whom',
  'whose',
  'what',
  'when',
  'where',
  'why',
  'how',
  'which',
  'whos',
  'whats',
  'wheres',
  'hows',
  // auxiliaries that open yes/no questions
  'am',
  'is',
  'are',
  'was',
  'were',
  'do',
  'does',
  'did',
  'has',
  'have',
  'had',
  'can',
  'could',
  'will',
  'would',
  'shall',
  'should',
  // "anyone up for cox", "any1 selling"
  'anyone',
  'anybody',
  'any1',
  'ne1',
  // chat abbreviations that ask
  'wdym',
  'wyd',
  'wya',
  'hbu',
  'wbu',
]);

/** The characters that count as a question mark: ASCII, fullwidth, inverted (Spanish), Arabic. */
export const QUESTION_MARKS: readonly string[] = Object.freeze(['?', '？', '¿', '؟']);

const QUESTION_WORD_SET: ReadonlySet<string> = new Set(QUESTION_WORDS);
const QUESTION_MARK_PATTERN = new RegExp(`[${QUESTION_MARKS.join('')}]`, 'u');

/**
 * Non-prose, replaced by a space, in order. Every pattern is linear or lazy to a fixed delimiter
 * (no nested quantifiers), so arbitrary input cannot cause catastrophic backtracking.
 */
const NON_PROSE: ReadonlyArray<readonly [RegExp, string]> = [
  // fenced code blocks, then inline code (single or double backticks)
  [/```[\s\S]*?```/gu, ' '],
  [/``[^`]+``|`[^`]+`/gu, ' '],
  // block quotes: `>>> ` quotes the rest of the message, `> ` quotes one line
  [/(?:^|\n)[ \t]*>>>[ \t][\s\S]*$/u, ' '],
  [/^[ \t]*>[ \t][^\n]*$/gmu, ' '],
  // markdown links keep their label; the URL part goes. The label stops at the next `[` and the
  // URL at the next `(`, so a long run of unclosed `[` or `[a](b:` is not rescanned from each one.
  [/\[([^[\]\n]*)\]\(\s*<?[a-z][\w+.-]*:[^()\s]*>?\s*\)/giu, ' $1 '],
  // Discord tokens: <https://…>, custom emoji, mentions, slash commands, timestamps, guide links
  [/<https?:\/\/[^\s>]*>/giu, ' '],
  [/<a?:\w+:\d+>|<@[!&]?\d+>|<#\d+>|<\/[^<>\n]+:\d+>|<t:-?\d+(?::[a-z])?>|<id:\w+>/giu, ' '],
  [/@(?:everyone|here)\b/gu, ' '],
  // bare URLs: trailing punctuation belongs to the sentence
  [/\b(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,:;!?¿？"')\]]/giu, ' '],
];

/** The text with code, quotes, URLs and Discord tokens replaced by spaces (see the module rule). */
function stripNonProse(text: string): string {
  let prose = text;
  for (const [pattern, replacement] of NON_PROSE) {
    prose = prose.replace(pattern, replacement);
  }
  return prose;
}

/** The first run of letters and digits, after any leading punctuation, formatting or emoji. */
const FIRST_WORD_PATTERN = /^[^\p{L}\p{N}]*([\p{L}\p{N}]+)/u;

/**
 * Whether a message text asks something: it contains a question mark outside code, quotes, URLs
 * and Discord tokens, or it starts with a question word. See the module documentation for the
 * exact rule, and {@link QUESTION_WORDS}.
 *
 * @example
 * ```ts
 * isQuestionText('how do I get to zulrah'); // true
 * isQuestionText('Anyone up for ToB? <:Owner:123>'); // true
 * isQuestionText('check https://oldschool.runescape.wiki/?search=zulrah'); // false
 * isQuestionText('run `!kc zulrah?` in #bots'); // false
 * ```
 */
export function isQuestionText(text: string): boolean {
  if (text.trim() === '') return false;
  const prose = stripNonProse(text);
  if (QUESTION_MARK_PATTERN.test(prose)) return true;
  const firstWord = FIRST_WORD_PATTERN.exec(prose)?.[1];
  return firstWord !== undefined && QUESTION_WORD_SET.has(firstWord.toLowerCase());
}

/**
 * Whether a forum post title or thread name asks something. Same rule as {@link isQuestionText}
 * (titles are plain text, so the markdown rules rarely apply).
 *
 * @example
 * ```ts
 * isQuestionTitle('Best gear for Vorkath?'); // true
 * isQuestionTitle('How to unlock Fairy rings'); // true
 * isQuestionTitle('Drop log'); // false
 * ```
 */
export function isQuestionTitle(title: string): boolean {
  return isQuestionText(title);
}
