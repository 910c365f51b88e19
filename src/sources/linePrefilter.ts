/**
 * A byte-level test that rules out JSON Lines lines which cannot match a list query, so print mode
 * never decodes or parses them. It only ever answers "cannot match" when that is certain: a line
 * that passes is still parsed, normalized and checked with `matchesQuery`, so the runs printed are
 * the ones the TUI's filter would show.
 */
import {ANSWERING_FIELDS} from '../model/response.js';
import {bytesAt} from './jsonLinesScanner.js';
import {foldModel, foldStatus, isKnownStatus, isStatusCharCode, MAX_STATUS_LENGTH, MISSING_STATUS} from '../model/run.js';
import type {ListQuery} from '../model/listQuery.js';

/**
 * Whether a JSON string that decodes to the value is either the value's UTF-8 bytes in quotes or
 * holds a `\u` escape. Not so when the value holds a character JSON writes escaped (`"`, `\`,
 * controls) or may write escaped (`/` as `\/`), or U+FFFD (what broken UTF-8 decodes to), or a
 * lone surrogate.
 */
function literalInEveryLine(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value !== '' && !/["\\/\u0000-\u001f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/**
 * A second way for a group to admit a line: one of `keys` (`status`, and `Status` for a
 * PowerShell object) holds a string whose folded form is one of `folded`. This is how a status
 * written in another case (`"REQUIRES_ACTION"`, read as requires_action) gets through, while a
 * line whose status is plainly another one is still never decoded.
 */
export interface KeyedValues {
  keys: readonly string[];
  /** The same fold the reader applies (foldStatus, foldModel); null: the value folds to nothing. */
  fold: (value: string) => string | null;
  folded: ReadonlySet<string>;
  /** Longer values are never looked at (they cannot fold to any of `folded`). */
  maxLength: number;
  /**
   * The fold is foldStatus's: only a value of ASCII letters, `_`, `-` and spaces folds. Then a
   * wanted value with a rare letter is found by that letter instead of by its key.
   */
  lettersOnly?: boolean;
}

/**
 * One needle for several spellings of a key: their common ending and a quote (`tatus"` for
 * `status` and `Status`), each key's start (`"s`, `"S`) checked at a hit. One search of the
 * block instead of one per spelling: the searches were most of what the keys cost.
 */
function keyTail(keys: readonly string[]): {needle: string; heads: Buffer[]} {
  let common = keys[0] ?? '';
  for (const key of keys) while (!key.endsWith(common)) common = common.slice(1);
  return {needle: `${common}"`, heads: keys.map((key) => Buffer.from(`"${key.slice(0, key.length - common.length)}`, 'utf8'))};
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** A byte of `view` foldStatus keeps or drops (past the view's end: none). */
function isStatusByte(byte: number | undefined): boolean {
  return byte !== undefined && isStatusCharCode(byte);
}

/**
 * Letters that are rare in runs (ids, instructions, JSON Schemas), rarest first: one of them in a
 * wanted value is searched for instead of the value or its key. Counted on the bench's runs: `z`,
 * `q`, `j`, `x`, `v` each under 0.4% of the bytes, either case; `"` and `e`, `t`, `s`, which every
 * status key and most values are made of, 5-10% each. A search stops at every hit, so searching
 * `tatus"` or `"requires_action"` cost 3-5 times what `q` and `Q` do.
 */
const ANCHOR_LETTERS = 'zqjxvkwb';

/** The rarest anchor letter in `text` (lower case), or null when it holds none. */
function anchorLetterOf(text: string): string | null {
  const lower = text.toLowerCase();
  for (const letter of ANCHOR_LETTERS) if (lower.includes(letter)) return letter;
  return null;
}

/**
 * A wanted value found by one of its bytes: `quoted` (the value as a JSON string) is at `at - offset`
 * for one of `offsets` when a hit of the anchor byte at `at` is part of it.
 */
interface AnchoredValue {
  quoted: Buffer;
  offsets: number[];
}

/** One anchor byte of a group: where it was found last, and the values it finds in exact case. */
interface Anchor {
  byte: number;
  exact: AnchoredValue[];
  /** Whether a hit is also read as a letter of a keyed value (`"Status":"REQUIRES_ACTION"`). */
  keyed: boolean;
  /** Where the byte next occurs at or after the line being tested; -1 none; -2 not searched yet. */
  nextAt: number;
}

/** What one group of values looks for. */
interface GroupPlan {
  /** Needles searched for as they are (indexes into `needles`). */
  needles: number[];
  /** The key search for the keyed values, when some of them have no anchor letter. */
  keyedByKey: {needle: number; heads: Buffer[]; values: KeyedValues} | null;
  /** The keyed values, when every one of them has an anchor letter. */
  keyedByAnchor: KeyedValues | null;
  /** The keyed values' keys, as bytes (compared in place, not decoded). */
  keyBytes: Buffer[];
  anchors: Anchor[];
}

export class LinePrefilter {
  /**
   * Index 0 is `\u`: an escape in a JSON string can spell any character, so a line holding one is
   * never ruled out. Then the values searched as they are, then the keys of `keyed`.
   */
  private readonly needles: Buffer[];
  private readonly plans: GroupPlan[];
  /** Per needle: where it next occurs in `view` at or after the line being tested; -1 none; -2 not searched yet. */
  private readonly nextAt: number[];
  private view: Buffer = Buffer.alloc(0);

  /**
   * `groups` of string values: a line is admitted when it holds, for every group, one of them as a
   * JSON string, or (with `keyed[i]` for group i) a key of it whose value folds to one of them.
   */
  constructor(groups: ReadonlyArray<readonly string[]>, keyed: ReadonlyArray<KeyedValues | null> = []) {
    const needles: string[] = ['\\u'];
    const needleOf = (text: string) => {
      if (!needles.includes(text)) needles.push(text);
      return needles.indexOf(text);
    };
    this.plans = groups.map((group, index) => {
      const entry = keyed[index] ?? null;
      // A keyed value is found by its anchor letter in either case; without one, by its key (and every value of the group is then searched as it is, as before).
      const byAnchor = entry !== null && entry.lettersOnly === true && [...entry.folded].every((value) => anchorLetterOf(value) !== null);
      const anchors = new Map<number, Anchor>();
      const anchorFor = (byte: number) => {
        if (!anchors.has(byte)) anchors.set(byte, {byte, exact: [], keyed: false, nextAt: -2});
        return anchors.get(byte)!;
      };
      const plan: GroupPlan = {needles: [], keyedByKey: null, keyedByAnchor: byAnchor ? entry : null, keyBytes: (entry?.keys ?? []).map((key) => Buffer.from(key, 'utf8')), anchors: []};
      for (const value of new Set(group)) {
        const letter = entry === null || byAnchor ? anchorLetterOf(value) : null;
        const quoted = Buffer.from(`"${value}"`, 'utf8');
        if (letter === null) {
          plan.needles.push(needleOf(`"${value}"`));
          continue;
        }
        // The value's own case: each place the letter stands in it.
        for (const byte of [letter.charCodeAt(0), letter.toUpperCase().charCodeAt(0)]) {
          const offsets = [...quoted].flatMap((candidate, offset) => (candidate === byte ? [offset] : []));
          if (offsets.length > 0) anchorFor(byte).exact.push({quoted, offsets});
        }
      }
      if (entry && byAnchor) {
        for (const value of entry.folded) {
          const letter = anchorLetterOf(value)!;
          for (const byte of [letter.charCodeAt(0), letter.toUpperCase().charCodeAt(0)]) anchorFor(byte).keyed = true;
        }
      } else if (entry) {
        const tail = keyTail(entry.keys);
        plan.keyedByKey = {needle: needleOf(tail.needle), heads: tail.heads, values: entry};
      }
      plan.anchors = [...anchors.values()];
      return plan;
    });
    this.needles = needles.map((needle) => Buffer.from(needle, 'utf8'));
    this.nextAt = this.needles.map(() => -2);
  }

  /** Starts on a new block of bytes; lines are then tested in ascending order. */
  reset(view: Buffer): void {
    this.view = view;
    this.nextAt.fill(-2);
    for (const plan of this.plans) for (const anchor of plan.anchors) anchor.nextAt = -2;
  }

  /** Whether the line at bytes [start, end) of the view may match. */
  admits(start: number, end: number): boolean {
    if (this.occursIn(0, start, end)) return true;
    for (const plan of this.plans) {
      let found = false;
      for (const needle of plan.needles) {
        if (this.occursIn(needle, start, end)) {
          found = true;
          break;
        }
      }
      if (!found) found = this.anchoredIn(plan, start, end);
      // The exact value is the common case; only a line without it has its keys looked at.
      const keyed = plan.keyedByKey;
      if (!found && keyed) found = this.keyedValueIn(keyed.needle, keyed.heads, keyed.values, start, end);
      if (!found) return false;
    }
    return true;
  }

  /** Whether a hit of one of the plan's anchor bytes in [start, end) is part of a wanted value. */
  private anchoredIn(plan: GroupPlan, start: number, end: number): boolean {
    const view = this.view;
    for (const anchor of plan.anchors) {
      let at = anchor.nextAt;
      if (at === -1) continue;
      if (at < start) at = view.indexOf(anchor.byte, start);
      while (at !== -1 && at < end) {
        if (this.exactAt(anchor.exact, at, start, end) || (anchor.keyed && this.keyedValueAround(at, start, end, plan.keyedByAnchor!, plan.keyBytes))) {
          anchor.nextAt = at;
          return true;
        }
        at = view.indexOf(anchor.byte, at + 1);
      }
      anchor.nextAt = at;
    }
    return false;
  }

  /** Whether one of the values, as a JSON string, holds the byte at `at` (within the line). */
  private exactAt(values: readonly AnchoredValue[], at: number, start: number, end: number): boolean {
    const view = this.view;
    for (const {quoted, offsets} of values) {
      for (const offset of offsets) {
        const from = at - offset;
        const to = from + quoted.length;
        if (from >= start && view[from] === QUOTE && bytesAt(view, from, end, quoted)) return true;
      }
    }
    return false;
  }

  /**
   * Whether the byte at `at` is inside a string value of one of the keys whose fold is wanted: the
   * string around it holds only bytes foldStatus keeps (any other, an escape included, and it
   * folds to nothing: a `\u` escape admitted the line already), and `"status":` (or a key like
   * it, spaces allowed) stands before it.
   */
  private keyedValueAround(at: number, start: number, end: number, values: KeyedValues, keys: readonly Buffer[]): boolean {
    const view = this.view;
    let open = at - 1;
    while (open >= start && at - open <= values.maxLength && isStatusByte(view[open])) open -= 1;
    if (open < start || view[open] !== QUOTE) return false;
    let close = at + 1;
    while (close < end && close - open - 1 <= values.maxLength && isStatusByte(view[close])) close += 1;
    if (close >= end || view[close] !== QUOTE || close - open - 1 > values.maxLength) return false;
    // Before the value: the key, a colon and spaces.
    let key = open - 1;
    while (key >= start && isJsonSpace(view[key])) key -= 1;
    if (key < start || view[key] !== COLON) return false;
    key -= 1;
    while (key >= start && isJsonSpace(view[key])) key -= 1;
    if (key < start || view[key] !== QUOTE || !this.keyEndsAt(key, start, keys)) return false;
    const folded = values.fold(view.toString('latin1', open + 1, close));
    return folded !== null && values.folded.has(folded);
  }

  /** Whether one of `keys`, quoted, ends with the quote at `quote`. */
  private keyEndsAt(quote: number, start: number, keys: readonly Buffer[]): boolean {
    for (const key of keys) {
      const from = quote - key.length - 1;
      if (from >= start && this.view[from] === QUOTE && bytesAt(this.view, from + 1, quote, key)) return true;
    }
    return false;
  }

  /** Whether one of the keys in [start, end) holds a string value that folds to a wanted one. */
  private keyedValueIn(needle: number, heads: readonly Buffer[], values: KeyedValues, start: number, end: number): boolean {
    if (!this.occursIn(needle, start, end)) return false;
    const bytes = this.needles[needle]!;
    // Every occurrence in the line: `"status"` may be a key of metadata before the run's own.
    let at = this.nextAt[needle]!;
    while (at !== -1 && at < end) {
      if (this.headBefore(at, start, heads) && this.valueAfterKey(at + bytes.length, end, values)) return true;
      at = this.view.indexOf(bytes, at + 1);
    }
    // The first occurrence past this line (or none): where the next line's search starts.
    this.nextAt[needle] = at;
    return false;
  }

  /** Whether one of the heads (`"s`, `"S`) ends just before `at`, within the line. */
  private headBefore(at: number, start: number, heads: readonly Buffer[]): boolean {
    for (const head of heads) {
      if (at - head.length >= start && bytesAt(this.view, at - head.length, at, head)) return true;
    }
    return false;
  }

  /** After a key: `: "value"`, with the value folding to a wanted one, or holding an escape (which could). */
  private valueAfterKey(from: number, end: number, values: KeyedValues): boolean {
    const view = this.view;
    let at = from;
    while (at < end && isJsonSpace(view[at])) at += 1;
    if (view[at] !== COLON) return false;
    at += 1;
    while (at < end && isJsonSpace(view[at])) at += 1;
    if (view[at] !== QUOTE) return false;
    const valueStart = at + 1;
    const limit = Math.min(end, valueStart + values.maxLength + 1);
    for (at = valueStart; at < limit; at += 1) {
      const byte = view[at];
      if (byte === BACKSLASH) return true;
      if (byte !== QUOTE) continue;
      const folded = values.fold(view.toString('utf8', valueStart, at));
      return folded !== null && values.folded.has(folded);
    }
    return false;
  }

  /**
   * One search per needle and block, moving forward only: lines without the needle cost a
   * comparison, not a search. No needle holds a newline, so a hit before `end` lies within the line.
   */
  private occursIn(needle: number, start: number, end: number): boolean {
    let at = this.nextAt[needle]!;
    if (at === -1) return false;
    if (at < start) {
      at = this.view.indexOf(this.needles[needle]!, start);
      this.nextAt[needle] = at;
      if (at === -1) return false;
    }
    return at < end;
  }
}

/**
 * Admits the lines that may hold an item answering a response's call: those holding a field of
 * ANSWERING_FIELDS (`"call_id"`, `"approval_request_id"`; a needle does not care whether it is
 * a key or a value, so this may admit more, never less), or a `\u` escape, which could spell one.
 * A reader that takes a line for a run by its leading `{"id":…` asks this before skipping it:
 * an item written with its `id` first (`{"id":"fco_…","type":"function_call_output",…}`) must be
 * parsed, or the response it answers would show as waiting.
 */
export function answeringItemPrefilter(): LinePrefilter {
  return new LinePrefilter([[...ANSWERING_FIELDS]]);
}

/**
 * The prefilter for a query, or null when nothing can be ruled out by bytes. `--status` and
 * `--model` compare exact strings, so a line can only match if it holds the value as a JSON
 * string, `"requires_action"` — or a `\u` escape, which could spell it. `--search` is left to
 * `matchesQuery`: its text is lowercased (`K`, the Kelvin sign, lowercases to ASCII `k`) and built
 * from values that are not in the line as written (re-serialized metadata numbers, the `unknown`
 * status, the fallback id that names the file), so a byte test would need as many exceptions.
 */
export function linePrefilterFor(query: ListQuery): LinePrefilter | null {
  const groups: string[][] = [];
  const keyed: Array<KeyedValues | null> = [];
  // A run without a (string) status gets MISSING_STATUS, which need not be in its line.
  if (query.statuses && !query.statuses.includes(MISSING_STATUS) && query.statuses.every(literalInEveryLine)) {
    // A response waiting for tool outputs is `requires_action` only once read (its line says `completed`).
    groups.push(query.statuses.includes('requires_action') ? [...query.statuses, 'response'] : [...query.statuses]);
    // A documented status is also read from any other case (`REQUIRES_ACTION`): let such lines through.
    const known = query.statuses.filter(isKnownStatus);
    keyed.push(known.length > 0 ? {keys: ['status', 'Status'], fold: foldStatus, folded: new Set(known.map((status) => foldStatus(status)!)), maxLength: MAX_STATUS_LENGTH, lettersOnly: true} : null);
  }
  if (query.model && literalInEveryLine(query.model)) {
    groups.push([query.model]);
    // Never matched, but parsed, so `--model` can say which model was meant ("did you mean").
    keyed.push({keys: ['model', 'Model'], fold: foldModel, folded: new Set([foldModel(query.model)]), maxLength: Buffer.byteLength(query.model)});
  }
  return groups.length > 0 ? new LinePrefilter(groups, keyed) : null;
}
