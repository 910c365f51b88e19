/**
 * Every string that comes from a run is untrusted: a run file can carry ESC sequences that clear
 * the screen, rename the window, write the clipboard (OSC 52) or fake links (OSC 8), and bidi
 * overrides that make text read differently from what it is. Such characters are shown as visible
 * escapes (`\x1b`, `\u202e`) and never reach the terminal.
 */

// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, zero-width and other
// invisible format characters, line/paragraph separators, and the BOM. The zero-width joiner is
// kept only between two emoji, where it draws one emoji (👨‍👩‍👧) rather than hiding anything.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f])\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
// eslint-disable-next-line no-control-regex
const UNSAFE_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f])\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  // Tag characters (U+E0000–U+E007F) hide text from readers; they are outside the BMP.
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** For one-line places (list cells, headers, table cells): every control, newline included, made visible. */
export function safeInline(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** For multi-line places (instructions, messages): newlines kept as line breaks, tabs as spaces. */
export function safeMultiline(text: string): string {
  const expanded = text.includes('\t') ? text.replace(/\t/g, '  ') : text;
  UNSAFE_EXCEPT_NEWLINE.lastIndex = 0;
  return UNSAFE_EXCEPT_NEWLINE.test(expanded) ? expanded.replace(UNSAFE_EXCEPT_NEWLINE, escapeChar) : expanded;
}

/** Whether a string carries anything `safeInline` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * JSON for stdout that is safe to show in a terminal: `JSON.stringify` leaves C1 controls, bidi
 * overrides and zero-width characters raw inside strings; written as \\u escapes they stay the same
 * JSON value but cannot act on the terminal.
 */
export function safeJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    // The last alternative is the tag characters U+E0000–U+E007F, as UTF-16 surrogate pairs.
    /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g,
    (text) => {
      // JSON writes characters outside the BMP as two \\u escapes, one per UTF-16 unit.
      let escaped = '';
      for (let index = 0; index < text.length; index += 1) escaped += `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
      return escaped;
    },
  );
}
