import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUESTION_MARKS, QUESTION_WORDS, isQuestionText, isQuestionTitle } from './questions.js';

const SEED = 20240817;

/**
 * Any UTF-16 text: every code point, lone surrogates, and the characters the parser cares about.
 * (Cheaper to set up than fast-check's `unit: 'binary'`, which takes seconds on first use.)
 */
const anyCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('?', '`', '<', '>', '[', ']', '(', ')', '|', '\n', ' ', 'h', 'w', 'o'),
);

describe('isQuestionText: question marks', () => {
  it.each([
    'anyone up for cox?',
    'is this worth it ?',
    'gz! what did you get?!',
    'ok?',
    '?',
    'wait, you got the pet?? <:Owner:1234567890123>',
    '||did anyone see that?||', // spoilers are prose
    '**bold question?**',
    'see [is this right?](https://example.com)', // a link label is prose
    'did you read https://oldschool.runescape.wiki/w/Zulrah?', // trailing ? belongs to the sentence
    'thoughts (https://example.com)?',
    '<@123456789012345678> ready?',
    'hmm ？', // fullwidth
    '¿listo para el raid', // inverted
    'code is `x` but why?',
    '> quoted line\nbut what about this?',
    'line one\nline two?',
  ])('%j is a question', (text) => {
    expect(isQuestionText(text)).toBe(true);
  });
});

describe('isQuestionText: question marks that do not count', () => {
  it.each([
    'check https://oldschool.runescape.wiki/?search=zulrah',
    'check http://example.com/page?x=1&y=2 thanks',
    'link <https://example.com/?a=b> here',
    'go to www.example.com/?q=zulrah now',
    'see [the wiki](https://oldschool.runescape.wiki/?search=zulrah)',
    'see [the wiki](<https://oldschool.runescape.wiki/?search=zulrah>)',
    'run `!kc zulrah?` in #bots',
    'use ``a?b`` there',
    '```js\nconst x = a ? b : c;\n```',
    'multi\n```\nwhy?\n```\nend',
    'reacting <:what:123456789012345678>', // emoji names are not text
    '<a:spin:123456789012345678> nice',
    '> did you get it?\nyes I did', // quoting someone else's question
    '>>> why though?\nwhy not?', // `>>> ` quotes the rest
    'at <t:1700000000:R> gl',
    'use </kc:123456789012345678> for that',
  ])('%j is not a question', (text) => {
    expect(isQuestionText(text)).toBe(false);
  });
});

describe('isQuestionText: question words', () => {
  it.each([
    'how do I get to zulrah',
    'How do I get to Zulrah',
    'HOW DO I GET TO ZULRAH',
    'what’s the best slayer task', // curly apostrophe ends the word
    "what's the best slayer task",
    'whats the best slayer task',
    'where is the bank',
    'who has a spare dwh',
    'whose pet is this',
    'whom should I ask',
    'when is the next clan event',
    'why is my kc wrong',
    'which boss for a beginner',
    'can someone help with barrows',
    'could someone check my gear',
    'would anyone sell a bgs',
    'should I get a fire cape first',
    'will there be a cox mass',
    'is anyone doing tob tonight',
    'are we doing the event',
    'am I too low for vorkath',
    'was that a purple',
    'were you at the event',
    'do you need a teleport',
    'does anyone know the drop rate',
    'did you get the pet',
    'has anyone got a spare',
    'have you done the quest',
    'had you seen that',
    'anyone up for cox',
    'Anybody around',
    'any1 selling tbow',
    'wdym by that',
    '  how about now', // leading whitespace
    '**How** do I enter', // formatting before the word
    '_how_ do I enter',
    '<@123456789012345678> how do I enter', // leading mention
    '@everyone who is coming tonight',
    '🙂 how does this work', // leading emoji
    '<:Owner:1234567890123> how does this work',
    '"what" is this',
    'who cares.', // rhetorical: still counts, by the documented rule
  ])('%j is a question', (text) => {
    expect(isQuestionText(text)).toBe(true);
  });

  it.each([
    'Island trip later', // 'is' is not a whole word here
    'Whoa nice drop',
    'cant wait for the update', // negative contractions are not question words
    'dont forget the event',
    'gz on the drop',
    'hi all',
    'I wonder how that works', // a question word not at the start
    'gz!\nhow much did it sell for', // only the start of the whole text counts
    'Candle light event tonight',
    'Wheel of fortune',
    '`how` to use it', // code is removed before looking at the first word
  ])('%j is not a question', (text) => {
    expect(isQuestionText(text)).toBe(false);
  });

  it('looks at the first word after removing code', () => {
    // 'is a keyword' starts with 'is'.
    expect(isQuestionText('`how` is a keyword')).toBe(true);
  });
});

describe('isQuestionText: empty and odd input', () => {
  it.each(['', ' ', '\n\t ', '```\n```', '`code`', 'https://example.com/?a', '<:Owner:123>'])(
    '%j is not a question',
    (text) => {
      expect(isQuestionText(text)).toBe(false);
    },
  );

  it('handles long pathological input quickly', () => {
    const inputs = [
      '`'.repeat(4000),
      '```'.repeat(1500),
      'https://'.repeat(500),
      '['.repeat(2000) + '](' + 'a'.repeat(2000),
      '<'.repeat(2000) + '@' + '1'.repeat(2000),
      '> '.repeat(2000),
    ];
    const started = performance.now();
    for (const input of inputs) isQuestionText(input);
    // A ReDoS guard, not a speed test: backtracking blow-ups take minutes; this takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('does not rescan long runs of unclosed markdown links (fuzz counterexamples)', () => {
    // Each took seconds when a link's label or URL could run on past the next `[` or `(`.
    for (const input of ['['.repeat(50_000), '[a](b:'.repeat(8_000)]) {
      const started = performance.now();
      expect(isQuestionText(input)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe('isQuestionTitle', () => {
  it.each([
    ['Best gear for Vorkath?', true],
    ['How to unlock Fairy rings', true],
    ['Which slayer master?', true],
    ['Drop log', false],
    ['Clan rules', false],
    ['', false],
  ])('%j ⇒ %s', (title, expected) => {
    expect(isQuestionTitle(title)).toBe(expected);
  });
});

describe('exported lists', () => {
  it('question words are lowercase single words without duplicates', () => {
    expect(new Set(QUESTION_WORDS).size).toBe(QUESTION_WORDS.length);
    for (const word of QUESTION_WORDS) expect(word).toMatch(/^[a-z0-9]+$/);
    expect(Object.isFrozen(QUESTION_WORDS)).toBe(true);
  });

  it('every question word makes a question, in any case', () => {
    for (const word of QUESTION_WORDS) {
      expect(isQuestionText(`${word} something`)).toBe(true);
      expect(isQuestionText(`${word.toUpperCase()} something`)).toBe(true);
      expect(isQuestionText(`${word}x something`)).toBe(false);
    }
  });

  it('every question mark makes a question', () => {
    for (const mark of QUESTION_MARKS) expect(isQuestionText(`gz ${mark}`)).toBe(true);
  });
});

describe('properties', () => {
  it('never throws on arbitrary unicode (including lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCharacter, maxLength: 120 }), (text) => {
        expect(typeof isQuestionText(text)).toBe('boolean');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('never throws on markdown-heavy input', () => {
    const piece = fc.constantFrom(
      '`',
      '```',
      '?',
      ' ',
      '\n',
      '> ',
      '>>> ',
      '[',
      '](',
      ')',
      '<',
      '>',
      '<:a:1>',
      'https://',
      'www.',
      'how',
      '||',
      '@here',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        expect(typeof isQuestionText(pieces.join(''))).toBe('boolean');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('a text without any question mark or leading question word is not a question', () => {
    const word = fc.constantFrom('gz', 'nice', 'drop', 'lol', 'ty', 'raid', 'pet', 'bank');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 10 }), (words) => {
        expect(isQuestionText(words.join(' '))).toBe(false);
        expect(isQuestionText(`${words.join(' ')}?`)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
