/**
 * A byte-level test that rules out JSON Lines lines which cannot match a list query, so print mode
 * never decodes or parses them. It only ever answers "cannot match" when that is certain: a line
 * that passes is still parsed, normalized and checked with `matchesQuery`, so the runs printed are
 * the ones the TUI's filter would show.
 */
import {MISSING_STATUS} from '../model/run.js';
import type {ListQuery} from '../store/listView.js';

/** `\u`: an escape in a JSON string can spell any character, so a line holding one is never ruled out. */
const UNICODE_ESCAPE = Buffer.from('\\u');

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

export class LinePrefilter {
  /** Index 0 is UNICODE_ESCAPE; the others are the values the groups refer to. */
  private readonly needles: Buffer[];
  /** Every group must have one of its needles in the line (unless the line has a `\u`). */
  private readonly groups: number[][];
  /** Per needle: where it next occurs in `view` at or after the line being tested; -1 none; -2 not searched yet. */
  private readonly nextAt: number[];
  private view: Buffer = Buffer.alloc(0);

  /** `groups` of string values: a line is admitted when it holds, for every group, one of them as a JSON string. */
  constructor(groups: ReadonlyArray<readonly string[]>) {
    const values = [...new Set(groups.flat())];
    // Quoted: the value as a whole JSON string, not inside another (and a longer needle searches faster).
    this.needles = [UNICODE_ESCAPE, ...values.map((value) => Buffer.from(`"${value}"`, 'utf8'))];
    this.groups = groups.map((group) => group.map((value) => values.indexOf(value) + 1));
    this.nextAt = this.needles.map(() => -2);
  }

  /** Starts on a new block of bytes; lines are then tested in ascending order. */
  reset(view: Buffer): void {
    this.view = view;
    this.nextAt.fill(-2);
  }

  /** Whether the line at bytes [start, end) of the view may match. */
  admits(start: number, end: number): boolean {
    if (this.occursIn(0, start, end)) return true;
    for (const group of this.groups) {
      let found = false;
      for (const needle of group) {
        if (this.occursIn(needle, start, end)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
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
 * The prefilter for a query, or null when nothing can be ruled out by bytes. `--status` and
 * `--model` compare exact strings, so a line can only match if it holds the value as a JSON
 * string, `"requires_action"` — or a `\u` escape, which could spell it. `--search` is left to
 * `matchesQuery`: its text is lowercased (`K`, the Kelvin sign, lowercases to ASCII `k`) and built
 * from values that are not in the line as written (re-serialized metadata numbers, the `unknown`
 * status, the fallback id that names the file), so a byte test would need as many exceptions.
 */
export function linePrefilterFor(query: ListQuery): LinePrefilter | null {
  const groups: string[][] = [];
  // A run without a (string) status gets MISSING_STATUS, which need not be in its line.
  if (query.statuses && !query.statuses.includes(MISSING_STATUS) && query.statuses.every(literalInEveryLine)) groups.push([...query.statuses]);
  if (query.model && literalInEveryLine(query.model)) groups.push([query.model]);
  return groups.length > 0 ? new LinePrefilter(groups) : null;
}
