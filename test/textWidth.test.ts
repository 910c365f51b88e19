import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {textWidth} from '../src/format/textWidth.js';

// Pieces that exercise every path: fixed-width characters counted directly, and clusters
// (combining marks, ZWJ emoji, flags, Hangul jamo, controls) that go to string-width.
const PIECES = ['a', ' ', '~', 'é', 'Ё', '東', 'カ', '한', 'e\u0301', '👨‍👩‍👧', '🇫🇷', '\u1100\u1161', 'ｶﾞ', '\u0000', '\u001b[31m', '\u200b', '𝒳', '✓', '\t'];

describe('textWidth', () => {
  it('agrees with string-width, short and long (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), {maxLength: 40}), fc.integer({min: 1, max: 120}), (pieces, repeat) => {
        const text = pieces.join('').repeat(repeat);
        expect(textWidth(text)).toBe(stringWidth(text));
      }),
      {numRuns: 200},
    );
  });

  it('agrees with string-width on any short string (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 60}), (text) => {
        expect(textWidth(text)).toBe(stringWidth(text));
      }),
    );
  });

  it('measures 5 MB of mixed-width text in linear time', () => {
    const text = 'Answer briefly. 東京. e\u0301 '.repeat(200_000);
    // Well under a second on an idle machine; string-width alone takes hours on this, far past
    // the test's time limit (no timing assertion: speed is the bench's business).
    expect(textWidth(text)).toBe(24 * 200_000);
  }, 30_000);
});
