import fc from 'fast-check';
import stringWidth from 'string-width';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {SAME_WIDTH_CHARACTERS, textPieces, textWidth, withSameWidthFastPath} from '../src/format/textWidth.js';
// Ink's wrap-ansi carries an older string-width of its own; build.mjs puts the fast path in front of it too.
import stringWidth7 from '../node_modules/wrap-ansi/node_modules/string-width/index.js';

// Pieces that exercise every path: fixed-width characters counted directly, and clusters
// (combining marks, ZWJ emoji, flags, Hangul jamo, controls) that go to string-width.
const PIECES = ['a', ' ', '~', 'é', 'Ё', '東', 'カ', '한', 'e\u0301', '👨‍👩‍👧', '👍🏽', '🧑🏿‍🚀', '🇫🇷', '\u1100\u1161', 'ｶﾞ', '\u0000', '\u001b[31m', '\u200b', '𝒳', '✓', '\t'];

/**
 * What textWidth counts, written plainly: string-width cluster by cluster, except that a cluster
 * joined by ZWJ or carrying a skin tone counts as its pieces drawn apart when that is wider (tmux
 * 3.3 draws 👍🏽 as 4 columns; terminals that do not join ZWJ sequences draw 👩‍💻 as 4).
 */
function terminalWidth(text: string): number {
  let width = 0;
  for (const {segment} of new Intl.Segmenter('en', {granularity: 'grapheme'}).segment(stripVTControlCharacters(text))) {
    const pieces = segment.split(/\u200d|(?=[\u{1f3fb}-\u{1f3ff}])/u);
    width += Math.max(stringWidth(segment), pieces.reduce((sum, piece) => sum + stringWidth(piece), 0));
  }
  return width;
}

describe('textWidth', () => {
  it('agrees with the plain count, short and long (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), {maxLength: 40}), fc.integer({min: 1, max: 120}), (pieces, repeat) => {
        const text = pieces.join('').repeat(repeat);
        expect(textWidth(text)).toBe(terminalWidth(text));
      }),
      {numRuns: 200},
    );
  });

  it('agrees with the plain count on any short string, and never counts less than string-width (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 60}), (text) => {
        expect(textWidth(text)).toBe(terminalWidth(text));
        expect(textWidth(text)).toBeGreaterThanOrEqual(stringWidth(text));
      }),
    );
  });

  it('agrees with string-width on text without ZWJ or skin tones (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 60}), (text) => {
        fc.pre(!/[\u200d\u{1f3fb}-\u{1f3ff}]/u.test(text));
        expect(textWidth(text)).toBe(stringWidth(text));
      }),
    );
  });

  it.each([
    // [cluster, what tmux 3.3 draws, what textWidth counts]
    ['👍🏽', 4, 4],
    ['a🏽', 3, 3],
    ['🧑🏿‍🚀', 4, 6],
    ['👩‍💻', 2, 4],
    ['👨‍👩‍👧‍👦', 2, 8],
    ['🏳️‍🌈', 1, 4],
    ['❤️', 1, 2],
    ['1️⃣', 1, 2],
    ['🇺🇸', 2, 2],
  ])('counts %s at least as wide as tmux draws it (%i columns): %i', (cluster, tmux, counted) => {
    expect(textWidth(cluster)).toBe(counted);
    expect(textWidth(cluster)).toBeGreaterThanOrEqual(tmux);
    expect(textWidth(cluster.repeat(600))).toBe(counted * 600);
  });

  it('textPieces never splits a cluster: the pieces join back and their widths add up (property)', () => {
    // Escape sequences aside: run text reaches the screen escaped (sanitize), never as ESC.
    const printable = PIECES.filter((piece) => !piece.includes('\u001b'));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...printable, '❤️', '1️⃣', '🏳️‍🌈', 'a🏽'), {maxLength: 30}), (pieces) => {
        const text = pieces.join('');
        const split = [...textPieces(text)];
        expect(split.join('')).toBe(text);
        expect(split.reduce((sum, piece) => sum + textWidth(piece), 0)).toBe(textWidth(text));
      }),
    );
    expect([...textPieces('a❤️👍🏽b')]).toEqual(['a', '❤️', '👍🏽', 'b']);
  });

  it('measures 5 MB of mixed-width text in linear time', () => {
    const text = 'Answer briefly. 東京. e\u0301 '.repeat(200_000);
    // Well under a second on an idle machine; string-width alone takes hours on this, far past
    // the test's time limit (no timing assertion: speed is the bench's business).
    expect(textWidth(text)).toBe(24 * 200_000);
  }, 30_000);
});

/** Every code point of a character class written as `\uXXXX` ranges. */
function codePointsOf(characterClass: string): number[] {
  const points: number[] = [];
  for (const [, from, to] of characterClass.matchAll(/\\u([0-9a-f]{4})(?:-\\u([0-9a-f]{4}))?/g)) {
    for (let point = parseInt(from!, 16); point <= parseInt(to ?? from!, 16); point += 1) points.push(point);
  }
  return points;
}

describe('the same-width fast path (what build.mjs puts in front of Ink\'s string-width)', () => {
  const points = codePointsOf(SAME_WIDTH_CHARACTERS);
  const graphemes = new Intl.Segmenter('en', {granularity: 'grapheme'});

  it('holds only characters one column wide that join no neighbour, for both string-width versions', () => {
    expect(points.length).toBeGreaterThan(1500);
    const wrong: string[] = [];
    for (const point of points) {
      const character = String.fromCodePoint(point);
      const pair = `a${character}${character}b`;
      const ok =
        [stringWidth, stringWidth7].every((measure) => measure(character) === 1 && measure(pair) === 4) &&
        [...graphemes.segment(pair)].length === pair.length;
      if (!ok) wrong.push(point.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with string-width on mixed text, escapes whole and broken, and options included (property)', () => {
    const sample = fc.constantFrom(...points.filter((_, at) => at % 7 === 0).map((point) => String.fromCodePoint(point)));
    // Escapes as chalk writes them, and broken or unusual ones whose stripping differs between
    // strip-ansi and node:util (an unfinished CSI, a fifth digit, an OSC to BEL, a lone C1 CSI).
    const escapes = ['\u001b[31m', '\u001b[0m', '\u001b[m', '\u001b[1;31m', '\u001b[38;5;202m', '\u001b[', '\u001b[0', '\u001b[12345m', '\u001b[;1m', '\u001b', '\u009b', '\u009b31m', '\u0007', '\u001b\\', '\u009c', '\u001b]8;;http://a\u0007', '[', 'm', '0', ';'];
    for (const width of [stringWidth, stringWidth7]) {
      const fast = withSameWidthFastPath(width);
      fc.assert(
        fc.property(
          fc.array(fc.oneof(sample, sample, fc.constantFrom(...escapes), fc.constantFrom('東', '👍🏽', 'e\u0301', '\u2714\ufe0f', '\t', '')), {maxLength: 40}),
          fc.constantFrom(undefined, {}, {ambiguousIsNarrow: false}, {countAnsiEscapeCodes: true}),
          (pieces, options) => {
            const text = pieces.join('');
            expect(fast(text, options)).toBe(width(text, options));
          },
        ),
        {numRuns: 2000},
      );
    }
  });
});
