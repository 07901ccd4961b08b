/**
 * Settings and inputs shared by the property tests (`*.fuzz.test.ts`; not part of the package's
 * exports).
 *
 * A fixed seed and few runs by default (fast in CI); `pnpm fuzz` sets `CLANSTATS_FUZZ_RUNS=20000`,
 * and `CLANSTATS_FUZZ_SEED` picks another seed. On failure fast-check reports the seed and the
 * path of the shrunk counterexample, which `CLANSTATS_FUZZ_SEED` replays.
 */
import fc from 'fast-check';

/** How many cases a property runs (`CLANSTATS_FUZZ_RUNS`, default 60). */
export const FUZZ_RUNS = Number(process.env.CLANSTATS_FUZZ_RUNS ?? '') || 60;
/** The seed (`CLANSTATS_FUZZ_SEED`, default fixed). */
export const FUZZ_SEED = Number(process.env.CLANSTATS_FUZZ_SEED ?? '') || 20_261_126;
/** The per-test timeout: none for a long `pnpm fuzz` run. */
export const FUZZ_TIMEOUT = FUZZ_RUNS > 1000 ? 0 : 30_000;

/**
 * fast-check parameters for a property that runs `share` of {@link FUZZ_RUNS} cases (a property
 * whose cases are expensive, such as very long texts, runs fewer).
 */
export function fuzzParameters(share = 1): fc.Parameters<unknown> {
  return {
    seed: FUZZ_SEED,
    numRuns: Math.max(10, Math.round(FUZZ_RUNS * share)),
  };
}

/**
 * Characters hostile player and Discord text is made of: bidi overrides and isolates, zero-width
 * characters, 4-byte emoji (with ZWJ and skin tones), combining marks, odd spaces, line breaks,
 * markdown, mentions and other Discord tokens, HTML, formula prefixes, then any code point and
 * lone surrogates.
 */
const hostilePiece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u202e', // RIGHT-TO-LEFT OVERRIDE
    '\u202d',
    '\u2066',
    '\u2069',
    '\u200e',
    '\u200f',
    '\u200b', // zero-width space, non-joiner, joiner, word joiner, BOM
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u00a0',
    '\u3000',
    '\u2028',
    '\t',
    '\r',
    '\n',
    '\r\n',
    '🛡️',
    '👍🏽',
    '👨‍👩‍👧',
    '𝕏',
    'e\u0301',
    '**',
    '*',
    '__',
    '~~',
    '||',
    '`',
    '```',
    '> ',
    '>>> ',
    '\\',
    '\\_',
    '[',
    '](https://x.com)',
    '<@123456789012345678>',
    '<@&123456789012345678>',
    '<#123456789012345678>',
    '<:Owner:123456789012345678>',
    '<a:Rank:1>',
    '</cmd:1>',
    '<t:1700000000:R>',
    '@everyone',
    '[12:34]',
    'https://oldschool.runescape.wiki/?a=1',
    '<script>',
    '</script>',
    '"',
    "'",
    '=HYPERLINK(',
    ':',
    '?',
    '¿',
    ' ',
    'Gowi',
    'how',
  ),
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.string({ maxLength: 6 }),
);

/** Hostile text of up to `maxPieces` pieces of {@link hostilePiece}. */
export function hostileText(maxPieces = 30): fc.Arbitrary<string> {
  return fc.array(hostilePiece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));
}

/**
 * Very long hostile text: a few pieces repeated to 1,000–`maxLength` characters (an empty unit
 * becomes `[`, the start of a markdown link).
 */
export function longHostileText(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(hostileText(4), fc.integer({ min: 1_000, max: maxLength }))
    .map(([piece, length]) => {
      const unit = piece === '' ? '[' : piece;
      return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    });
}
