/**
 * Property tests of the clan-chat relay parser and of question detection on hostile text: bidi
 * overrides, zero-width characters, 4-byte emoji, markdown, mentions, line breaks, very long lines.
 * (relay.test.ts and questions.test.ts hold the examples and the quick properties.)
 *
 * Runs and seed: see `fuzz-helpers.ts` (`pnpm fuzz` runs longer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FUZZ_RUNS,
  FUZZ_TIMEOUT,
  fuzzParameters,
  hostileText,
  longHostileText,
} from './fuzz-helpers.js';
import { isQuestionText, isQuestionTitle } from './questions.js';
import { normalizeRsn, parseRelayLines, type ParsedRelayLine } from './relay.js';

const VALID_RSN = /^[a-zA-Z0-9 _-]{1,12}$/;

/** An RSN as OSRS allows it: 1–12 letters, digits, spaces, `-` and `_`, not only separators. */
const rsnArbitrary = fc
  .string({
    unit: fc.constantFrom(...Array.from('abcxyzABCXYZ0189 _-')),
    minLength: 1,
    maxLength: 12,
  })
  .filter((name) => normalizeRsn(name) !== '');

/** One line of chat text (any hostile text, line breaks aside). */
const chatText = hostileText(12).map((text) => text.replace(/[\r\n]/g, ' '));

const rankName = fc.oneof(
  fc.constantFrom('Owner', 'Deputy_owner', 'General', 'Captain', 'Recruit', 'Gnome_child'),
  fc.string({ unit: fc.constantFrom(...Array.from('abZ09_')), minLength: 1, maxLength: 32 }),
);

/** Times and unicode emoji a relay puts around the rank: up to two on each side. */
const decorations = fc
  .array(
    fc.tuple(
      fc.constantFrom('[12:34]', '[9:05]', '[09:05:59]', '🛡️', '👍🏽', '🔥', '👨‍👩‍👧'),
      fc.constantFrom('', ' '),
    ),
    { maxLength: 2 },
  )
  .map((parts) => parts.map(([decoration, space]) => decoration + space).join(''));

interface ChatLine {
  /** The line as a relay writes it. */
  written: string;
  expected: Omit<ParsedRelayLine, 'line'>;
}

/**
 * A chat line in any variant the default pattern supports: leading space, times and emoji around
 * an optional (animated) rank emoji, `**RSN**:` or `**RSN:**`, spaces inside the bold, `\_`/`\-`
 * escapes and no-break spaces in the name, any spacing after the colon.
 */
const chatLine: fc.Arbitrary<ChatLine> = fc
  .record({
    rsn: rsnArbitrary,
    text: chatText,
    rank: fc.option(rankName, { nil: null }),
    animated: fc.boolean(),
    emojiId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    before: decorations,
    after: decorations,
    lead: fc.constantFrom('', ' ', '\t', '   '),
    padding: fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom('', ' ', '  ')),
    colonInside: fc.boolean(),
    gap: fc.constantFrom('', ' ', '  ', '\t'),
    escapes: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  })
  .map((line) => {
    const name = Array.from(line.rsn, (character, index) => {
      const touched = line.escapes[index] === true;
      if (touched && (character === '_' || character === '-')) return `\\${character}`;
      if (touched && character === ' ') return '\u00a0';
      return character;
    }).join('');
    const bold = `${line.padding[0]}${name}${line.padding[1]}`;
    const rank =
      line.rank === null ? '' : `<${line.animated ? 'a' : ''}:${line.rank}:${line.emojiId}> `;
    const written =
      `${line.lead}${line.before}${rank}${line.after}` +
      `${line.colonInside ? `**${bold}:**` : `**${bold}**:`}${line.gap}${line.text}`;
    const rsn = line.rsn.trim();
    const text = line.text.trim();
    return {
      written,
      expected: {
        rsn,
        normalizedRsn: normalizeRsn(rsn),
        rank: line.rank,
        text,
        isQuestion: isQuestionText(text),
      },
    };
  });

/** Lines that are not chat: broadcasts, blank lines, any text without `**`. */
const otherLine = fc.oneof(
  fc
    .tuple(rsnArbitrary, fc.constantFrom('received a drop: Dragon bones', 'has reached level 99.'))
    .map(([rsn, event]) => `**${rsn}** ${event}`),
  fc.constantFrom('', ' ', '\t'),
  chatText.map((text) => text.replace(/\*/g, '')),
);

/** The canonical form of a parsed line. */
const rewrite = (line: ParsedRelayLine): string =>
  `${line.rank === null ? '' : `<:${line.rank}:1> `}**${line.rsn}**: ${line.text}`;

/** Relay-like lines whose parts are hostile: many parse, many do not. */
const hostileRelayLine = fc
  .tuple(
    fc.constantFrom('', ' ', '[12:34] ', '<:Owner:1> ', '🛡️ ', '<a:x:2>'),
    fc.oneof(rsnArbitrary, hostileText(4)),
    fc.constantFrom('**:', ':**', '**', ':', '** :'),
    hostileText(8),
  )
  .map(([prefix, name, colon, text]) => `${prefix}**${name}${colon} ${text}`);

const hostileMessage = fc.oneof(
  hostileText(40),
  fc
    .array(fc.oneof(hostileRelayLine, hostileText(8)), { maxLength: 8 })
    .chain((lines) => fc.constantFrom('\n', '\r\n').map((separator) => lines.join(separator))),
);

describe('parseRelayLines', () => {
  it(
    'on hostile text never throws, and returns only chat lines with a valid RSN that each parse alone and rewritten to the same',
    () => {
      let parsedLines = 0;
      fc.assert(
        fc.property(hostileMessage, (content) => {
          const lines = content.split(/\r?\n/);
          let previous = -1;
          for (const parsed of parseRelayLines(content)) {
            parsedLines += 1;
            const { line, ...fields } = parsed;
            expect(fields.rsn).toMatch(VALID_RSN);
            expect(fields.rsn).toBe(fields.rsn.trim());
            expect(fields.normalizedRsn).toBe(normalizeRsn(fields.rsn));
            expect(fields.normalizedRsn).not.toBe('');
            expect(fields.rank === null || /^\w{1,32}$/.test(fields.rank)).toBe(true);
            expect(fields.text).toBe(fields.text.trim());
            expect(fields.text).not.toMatch(/\n/);
            expect(fields.isQuestion).toBe(isQuestionText(fields.text));
            expect(line).toBeGreaterThan(previous);
            previous = line;
            // Each line is parsed on its own, and parsing is stable: its canonical form parses back.
            expect(parseRelayLines(lines[line] ?? '')).toEqual([{ line: 0, ...fields }]);
            expect(parseRelayLines(rewrite(parsed))).toEqual([{ line: 0, ...fields }]);
          }
        }),
        fuzzParameters(),
      );
      // Not vacuous: many hostile relay lines still parse.
      expect(parsedLines).toBeGreaterThan(FUZZ_RUNS / 20);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'parses a relay message of chat lines in every supported variant back to their RSNs and texts, skipping other lines',
    () => {
      const message = fc
        .array(fc.oneof(chatLine, otherLine), { minLength: 1, maxLength: 6 })
        .chain((lines) => fc.tuple(fc.constant(lines), fc.constantFrom('\n', '\r\n')));
      fc.assert(
        fc.property(message, ([lines, separator]) => {
          const content = lines
            .map((line) => (typeof line === 'string' ? line : line.written))
            .join(separator);
          const expected = lines.flatMap((line, index) =>
            typeof line === 'string' ? [] : [{ line: index, ...line.expected }],
          );
          expect(parseRelayLines(content)).toEqual(expected);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'never returns a name with a character no RSN may have, or a name over 12 characters',
    () => {
      // None of these is whitespace (trimmed) or a markdown escape target (unescaped).
      const forbidden = fc.constantFrom(
        '\u202e',
        '\u2066',
        '\u200b',
        '\u200d',
        '\u2060',
        '\u200e',
        '🛡️',
        '𝕏',
        '\u0301',
        'é',
        'а', // Cyrillic
        'Ａ', // fullwidth
        '.',
        '<',
        '>',
        '&',
        '"',
        "'",
        '=',
        '@',
        '\ud800',
      );
      const badName = fc.oneof(
        fc.tuple(rsnArbitrary, fc.nat(), forbidden).map(([rsn, at, character]) => {
          const index = at % (rsn.length + 1);
          return rsn.slice(0, index) + character + rsn.slice(index);
        }),
        fc
          .tuple(rsnArbitrary, rsnArbitrary)
          .map(([left, right]) => `x${left}${right}x`)
          .filter((name) => name.length > 12),
      );
      fc.assert(
        fc.property(badName, chatText, (name, text) => {
          expect(parseRelayLines(`**${name}**: ${text}`)).toEqual([]);
          expect(parseRelayLines(`<:Owner:1> **${name}:** ${text}`)).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe('isQuestionText', () => {
  it(
    'never throws on hostile text, and titles follow the same rule',
    () => {
      fc.assert(
        fc.property(hostileText(60), (text) => {
          const question = isQuestionText(text);
          expect(typeof question).toBe('boolean');
          expect(isQuestionTitle(text)).toBe(question);
          // A leading question mark is never code, a quote, a URL or a Discord token.
          expect(isQuestionText(`? ${text}`)).toBe(true);
          expect(isQuestionText(`¿${text}`)).toBe(true);
          if (text.trim() === '') expect(question).toBe(false);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'takes well under a second on texts of up to 50,000 characters (no quadratic backtracking), relay lines too',
    () => {
      fc.assert(
        fc.property(longHostileText(50_000), (text) => {
          for (const content of [text, `**Gowi**: ${text}`, `**${text}`]) {
            const started = performance.now();
            isQuestionText(content);
            parseRelayLines(content);
            // Linear work is a few milliseconds here; quadratic work takes seconds.
            expect(performance.now() - started).toBeLessThan(1_000);
          }
        }),
        fuzzParameters(0.05),
      );
    },
    FUZZ_TIMEOUT,
  );
});
