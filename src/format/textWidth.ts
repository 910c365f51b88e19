import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';

/*
 * string-width walks grapheme clusters with Intl.Segmenter: about 2 µs a character, and on V8
 * (Node 20) a cost that grows with the square of the string's length (0.5 s for 20 KB, minutes for
 * 1 MB). A run can hold megabytes in one string (instructions, an error message, tool arguments),
 * so characters that are always a cluster of their own, whose width is fixed, are counted
 * directly: printable ASCII, Latin-1 and Latin Extended letters, Cyrillic letters (one column),
 * kana, CJK ideographs and Hangul syllables (two). Only the stretches between them go to
 * string-width, each with the character before it, which a combining mark would join.
 */
const NARROW = '\\u0020-\\u007e\\u00a1-\\u00ac\\u00ae-\\u02af\\u0400-\\u0482';

/**
 * Characters one column wide that never join a neighbour into one cluster, checked against
 * string-width code point by code point (test/textWidth.test.ts): Latin, Greek, Cyrillic, general
 * punctuation (… · –), arrows, maths and technical signs (⏎ too: the footer's Enter key, which
 * else sent every first frame through string-width's emoji regex, ~50 ms to build), box drawing,
 * blocks and geometric shapes (● ○ ■ ▸), ⚑, ✓ and ✗. Text made only of them is as wide as it is
 * long. Characters that can be emoji (▶ ↔ ⚠ ✔ © ®) are left out: the older string-width inside
 * Ink's wrap-ansi counts them two.
 */
export const SAME_WIDTH_CHARACTERS =
  '\\u0020-\\u007e\\u00a0-\\u00a8\\u00aa-\\u00ac\\u00af-\\u02ff\\u0370-\\u0482\\u048a-\\u052f' +
  '\\u2010-\\u2027\\u2030-\\u203b\\u203d-\\u2048\\u204a-\\u205f\\u2190-\\u2193\\u219a-\\u21a8\\u21ab-\\u2319\\u23ce' +
  '\\u2500-\\u25a9\\u25ac-\\u25b5\\u25b7-\\u25bf\\u25c1-\\u25fa\\u2690-\\u2691\\u2713\\u2717-\\u271c';
const SAME_WIDTH = new RegExp(`^[${SAME_WIDTH_CHARACTERS}]*$`);

/** string-width's signature, as Ink and its helpers call it. */
type StringWidth = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;

/**
 * string-width with a fast path in front: text of SAME_WIDTH characters (escape sequences aside)
 * is as wide as it is long, with no grapheme segmenting. build.mjs puts it in front of every
 * string-width that Ink and its helpers import: a list frame is mostly such text (box drawing,
 * ● ✓ glyphs), which string-width's own ASCII fast path misses, and measuring it was ~40 of the
 * ~70 ms of the first render and a third of each PgDn.
 */
export function withSameWidthFastPath(stringWidth: StringWidth): StringWidth {
  return (text, options) => {
    if (typeof text !== 'string') return stringWidth(text, options);
    // Ambiguous characters counted wide, or escapes counted: string-width's own rules.
    if (options && (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes)) return stringWidth(text, options);
    // Only whole SGR codes are taken out: strip-ansi (inside string-width) and node:util strip broken
    // escapes differently (`ESC[0` is two columns to string-width, none to node:util), so text with any
    // other escape left in it (ESC, C1 CSI and BEL are not SAME_WIDTH) is string-width's to measure.
    const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
    return SAME_WIDTH.test(plain) ? plain.length : stringWidth(text, options);
  };
}
/** An SGR code as every strip-ansi strips it whole (its regex takes at most four digits before a `;`). */
const SGR = /\u001b\[(?:\d{1,4}(?:;\d{0,4})*)?m/g;
const WIDE = '\\u3041-\\u3096\\u30a1-\\u30fa\\u4e00-\\u9fff\\uac00-\\ud7a3';
const ONLY_NARROW = new RegExp(`^[${NARROW}${SAME_WIDTH_CHARACTERS}]*$`);
const ONLY_FIXED = new RegExp(`^[${NARROW}${WIDE}]*$`);
const WIDE_CHAR = new RegExp(`[${WIDE}]`, 'g');
const OTHER = new RegExp(`.?[^${NARROW}${WIDE}]+`, 'gsu');
/** Longer stretches are measured in pieces of this many code units (see `measureStretch`). */
const PIECE = 1024;

/*
 * Terminals disagree on the width of an emoji cluster joined by ZWJ or carrying a skin tone, and
 * some draw it wider than string-width counts. tmux 3.3 draws 👍🏽 as 4 columns (the thumb, then
 * the swatch), 🧑🏿‍🚀 as 4; terminals that do not join ZWJ sequences draw 👩‍💻 as 4 and
 * 👨‍👩‍👧‍👦 as 8; string-width says 2 for each. A row measured by string-width then wraps.
 * Such a cluster is counted as its pieces would be drawn apart (split at each ZWJ and before each
 * skin tone), the widest any of them draws it, so a row never wraps; where the terminal joins
 * them the row ends a few columns short. (Keycaps and VS16 emoji, ❤️ 1️⃣ 🏳️: tmux draws them
 * narrower than string-width, never wider, so string-width's count is kept.)
 */
const JOINED = /[\u200d\u{1f3fb}-\u{1f3ff}]/u;
const JOINED_PIECES = /\u200d|(?=[\u{1f3fb}-\u{1f3ff}])/u;
/** Made on first use: an Intl object made at import starts ICU (~12 ms) before a first frame that may need none. */
let graphemes: Intl.Segmenter | undefined;
/** Text with such clusters is measured in pieces of this many code units (see `clusterWidth`). */
const JOINED_PIECE = 128;

/** Emoji repeat, and segmenting is slow: widths of short stretches and extras of clusters, kept. */
const stretchWidths = new Map<string, number>();
const clusterExtras = new Map<string, number>();
const CACHED_LENGTH = 32;

function remember(cache: Map<string, number>, key: string, value: number): number {
  if (cache.size > 4096) cache.clear();
  cache.set(key, value);
  return value;
}

/** Columns a ZWJ or skin-tone cluster takes, drawn apart, beyond string-width's count for it. */
function apartExtra(cluster: string): number {
  const known = clusterExtras.get(cluster);
  if (known !== undefined) return known;
  let apart = 0;
  for (const piece of cluster.split(JOINED_PIECES)) apart += stringWidth(piece);
  return remember(clusterExtras, cluster, Math.max(0, apart - stringWidth(cluster)));
}

/** string-width's count, plus what each ZWJ or skin-tone cluster takes when its pieces are drawn apart. */
function clusterWidth(text: string): number {
  if (!JOINED.test(text)) return stringWidth(text);
  // V8's segmenter copies the whole input for every cluster it yields: keep the input short.
  // (The pieces are at most a unit longer than JOINED_PIECE, so they do not come back here.)
  if (text.length > 2 * JOINED_PIECE) return measureStretch(text, JOINED_PIECE);
  const known = stretchWidths.get(text);
  if (known !== undefined) return known;
  let width = stringWidth(text);
  for (const {segment} of (graphemes ??= new Intl.Segmenter('en', {granularity: 'grapheme'})).segment(text)) if (JOINED.test(segment)) width += apartExtra(segment);
  return text.length <= CACHED_LENGTH ? remember(stretchWidths, text, width) : width;
}

/**
 * Terminal columns `text` takes (wide characters count two; a ZWJ or skin-tone emoji as wide as its
 * pieces, see `clusterWidth`), in time linear in its length.
 */
export function textWidth(text: string): number {
  // Like string-width, escape sequences (the app's own colours) take no columns.
  if (text.includes('\u001b') || text.includes('\u009b')) text = stripVTControlCharacters(text);
  if (ONLY_NARROW.test(text)) return text.length;
  if (ONLY_FIXED.test(text)) return text.length + (text.match(WIDE_CHAR)?.length ?? 0);
  if (text.length <= PIECE) return clusterWidth(text);
  let width = 0;
  let plain = text.length;
  for (const match of text.matchAll(OTHER)) {
    plain -= match[0].length;
    width += measureStretch(match[0]);
  }
  // Every character outside the stretches is one UTF-16 unit: one column, or two when wide.
  const wide = (text.match(WIDE_CHAR)?.length ?? 0) - countWide(text.matchAll(OTHER));
  return width + plain + wide;
}

function countWide(stretches: Iterable<RegExpMatchArray>): number {
  let count = 0;
  for (const match of stretches) {
    WIDE_CHAR.lastIndex = 0;
    count += match[0].match(WIDE_CHAR)?.length ?? 0;
  }
  return count;
}

/**
 * A stretch with no such character (a megabyte of emoji or Arabic) is cut about every `piece` units,
 * at a place where no cluster spans the cut (see `cutsNoCluster`), looked for a little before the
 * mark; only text with no such place nearby (a kilobyte of one cluster) is cut anyway, where a
 * cluster may then count a column more or less.
 */
function measureStretch(stretch: string, piece = PIECE): number {
  if (stretch.length <= piece) return clusterWidth(stretch);
  let width = 0;
  for (let start = 0; start < stretch.length; ) {
    let end = Math.min(stretch.length, start + piece);
    if (end < stretch.length) {
      let cut = end;
      while (cut > end - CUT_SEARCH && !cutsNoCluster(stretch, cut)) cut -= 1;
      end = cut > end - CUT_SEARCH ? cut : end + (/[\ud800-\udbff]/.test(stretch[end - 1]!) ? 1 : 0);
    }
    width += clusterWidth(stretch.slice(start, end));
    start = end;
  }
  return width;
}

/** How far before the mark a place to cut is looked for (code units). */
const CUT_SEARCH = 64;
/** Characters that join the one before them: marks, ZWJ, variation selectors, skin tones, tags, Hangul vowels and finals. */
const JOINS_BEFORE = /^[\p{M}\u200d\ufe00-\ufe0f\u1160-\u11ff\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;
/** Characters that join the one after them: ZWJ, Hangul leading consonants. */
const JOINS_AFTER = /[\u200d\u1100-\u115f]$/;
const REGIONAL_INDICATOR_AFTER = /^\ud83c[\udde6-\uddff]/;
const REGIONAL_INDICATOR_BEFORE = /\ud83c[\udde6-\uddff]$/;

/**
 * The text in pieces that never split a grapheme cluster (mostly one cluster each; a run of flags
 * or Hangul jamo may stay together), so their widths add up to textWidth of the whole. For cutting
 * and wrapping character by character without splitting 👍🏽 or ❤️ (❤ and VS16 apart count 1).
 */
export function* textPieces(text: string): Generator<string> {
  let start = 0;
  for (let at = 1; at < text.length; at += 1) {
    if (!cutsNoCluster(text, at)) continue;
    yield text.slice(start, at);
    start = at;
  }
  if (start < text.length) yield text.slice(start);
}

/** Whether cutting `text` before index `at` splits no grapheme cluster (a cheap, safe test: false when unsure). */
function cutsNoCluster(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  // Never inside a surrogate pair.
  if (code >= 0xdc00 && code <= 0xdfff) return false;
  const after = text.slice(at, at + 2);
  const before = text.slice(Math.max(0, at - 2), at);
  if (JOINS_BEFORE.test(after) || JOINS_AFTER.test(before)) return false;
  if (before.endsWith('\r') && after.startsWith('\n')) return false;
  // Between two flag letters the pairing is unknown without counting back: not here.
  return !(REGIONAL_INDICATOR_BEFORE.test(before) && REGIONAL_INDICATOR_AFTER.test(after));
}
