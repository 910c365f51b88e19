import fc from 'fast-check';
import stringWidth from 'string-width';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {textPieces, textWidth} from '../src/format/textWidth.js';

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
