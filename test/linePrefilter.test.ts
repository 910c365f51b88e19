/**
 * The line prefilter against what the line holds once parsed: for a line without a `\u` escape it
 * admits exactly the lines (with no other escape either) where a wanted status (or `response`) is a JSON string, or a `status` /
 * `Status` key anywhere holds a string that folds to a wanted documented status; a line with a
 * `\u` escape is always admitted. Lines are written with the letters the prefilter searches for
 * (`q`, `Q`, `x`, `v`) in ids, notes and keys, statuses in any case and with any separators,
 * spaces around colons, values too long to be a status, and escapes other than `\u`.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DEFAULT_QUERY} from '../src/model/listQuery.js';
import {foldStatus, isKnownStatus, isStatusCharCode, KNOWN_STATUSES} from '../src/model/run.js';
import {linePrefilterFor} from '../src/sources/linePrefilter.js';

/** What the prefilter must answer, from the parsed value: every string and every status-keyed member, at any depth. */
function shouldAdmit(value: unknown, statuses: readonly string[]): boolean {
  const exact = new Set([...statuses, ...(statuses.includes('requires_action') ? ['response'] : [])]);
  const folded = new Set(statuses.filter(isKnownStatus).map((status) => foldStatus(status)!));
  const visit = (node: unknown): boolean => {
    if (typeof node === 'string') return exact.has(node);
    if (Array.isArray(node)) return node.some(visit);
    if (node === null || typeof node !== 'object') return false;
    return Object.entries(node).some(([key, member]) => {
      if (exact.has(key)) return true;
      if ((key === 'status' || key === 'Status') && typeof member === 'string') {
        const fold = foldStatus(member);
        if (fold !== null && folded.has(fold)) return true;
      }
      return visit(member);
    });
  };
  return visit(value);
}

/** A documented status in any case, with `_`, `-`, a space or nothing between its words. */
const spelledStatus = fc
  .tuple(fc.mixedCase(fc.constantFrom(...KNOWN_STATUSES)), fc.constantFrom('_', '-', ' ', ''))
  .map(([status, separator]) => status.replace(/_/g, separator));

/** Strings that come close: the rare letters in ids and words, too long, with digits or other escapes. */
const nearText = fc.oneof(
  spelledStatus,
  fc.constantFrom('requires_action_2', 'paused_for_review', 'PAUSED_FOR_REVIEW', 'response', 'Response', 'required', 'Queue', 'qQ', 'xXvV', 'run_Qq9xv', 'requires action please', 'requires/action', 'requires\\action', 'REQUIRES_ACTION'.repeat(3)),
  fc.stringMatching(/^[a-zA-Z_ -]{0,45}$/),
  fc.string({unit: fc.constantFrom('q', 'Q', 'u', 'e', 'x', 'v', '_', ' ', '"', '\\', '/', 'a')}),
);

const key = fc.oneof(fc.constantFrom('status', 'Status', 'STATUS', 'id', 'object', 'note', 'metadata', 'required', 'requires_action', 'queued'), nearText);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({depthSize: 'small'}, nearText, fc.integer(), fc.constant(null), tie('object'), fc.array(tie('node'), {maxLength: 3})),
  object: fc.dictionary(key, tie('node'), {maxKeys: 5}),
})).node;

/** JSON with spaces where JSON allows them, `/` sometimes written `\/`. */
function serialize(node: unknown, space: () => string, slash: () => boolean): string {
  const text = (string: string) => JSON.stringify(string).replace(/\//g, () => (slash() ? '\\/' : '/'));
  if (typeof node === 'string') return text(node);
  if (Array.isArray(node)) return `[${node.map((item) => serialize(item, space, slash)).join(`,${space()}`)}]`;
  if (node !== null && typeof node === 'object') {
    return `{${space()}${Object.entries(node).map(([name, member]) => `${text(name)}${space()}:${space()}${serialize(member, space, slash)}`).join(`${space()},${space()}`)}${space()}}`;
  }
  return JSON.stringify(node);
}

/** One of `statuses` as a server or a person may write it: any case, any separator between its words. */
const spelled = (statuses: readonly string[]) =>
  fc.tuple(fc.mixedCase(fc.constantFrom(...statuses)), fc.constantFrom('_', '-', ' ', '')).map(([status, separator]) => status.replace(/_/g, separator));

/** A line's object: random members, and often a status member of its own among them, spelled in any way (often as a wanted one). */
const lineObject = (statuses: readonly string[]) =>
  fc
    .tuple(fc.dictionary(key, value, {maxKeys: 6}), fc.option(fc.tuple(fc.constantFrom('status', 'Status', 'STATUS'), fc.oneof(spelled(statuses), spelledStatus, nearText)), {freq: 2}), fc.nat())
    .map(([object, member, at]) => {
      if (member === null) return object;
      const entries = Object.entries(object).filter(([name]) => name !== member[0]);
      entries.splice(at % (entries.length + 1), 0, member);
      return Object.fromEntries(entries);
    });

const STATUS_CHOICES = [...KNOWN_STATUSES, 'paused_for_review', 'requires_action_2'];

describe('linePrefilterFor --status', () => {
  it('admits exactly the lines that hold a wanted status, by JSON string or status key, and every line with a \\u escape', () => {
    fc.assert(
      fc.property(
        fc.subarray(STATUS_CHOICES, {minLength: 1, maxLength: 3}).chain((statuses) => fc.tuple(fc.constant(statuses), fc.array(lineObject(statuses), {minLength: 1, maxLength: 6}))),
        fc.infiniteStream(fc.constantFrom('', '', ' ', '  ', '\t')),
        fc.infiniteStream(fc.boolean()),
        ([statuses, objects], spaces, slashes) => {
          const filter = linePrefilterFor({...DEFAULT_QUERY, statuses});
          expect(filter).not.toBeNull();
          const spaceAt = spaces[Symbol.iterator]();
          const slashAt = slashes[Symbol.iterator]();
          const lines = objects.map((object) => serialize(object, () => spaceAt.next().value!, () => slashAt.next().value!));
          // One block of lines, tested in order as the scanner does.
          const block = Buffer.from(lines.join('\n'));
          filter!.reset(block);
          let start = 0;
          lines.forEach((line, index) => {
            const end = start + Buffer.byteLength(line);
            const expected = line.includes('\\u') || shouldAdmit(JSON.parse(line), statuses);
            const admitted = filter!.admits(start, end);
            // A status key's value with another escape (`\/`) is let through by the key search, as it always was.
            if (expected || !line.includes('\\')) expect(admitted, `line ${index + 1}: ${statuses.join(',')} | ${line}`).toBe(expected);
            start = end + 1;
          });
        },
      ),
      {numRuns: 400},
    );
  });
});

describe('foldStatus', () => {
  it('folds exactly the texts of ASCII letters, `_`, `-` and spaces (the characters the prefilter reads as a status)', () => {
    const statusText = fc.string({unit: fc.constantFrom(...'aZqQ_- xR\t\n.é0'.split('')), maxLength: 45});
    fc.assert(
      fc.property(fc.oneof(statusText, fc.string({unit: 'binary', maxLength: 20})), (text) => {
        const folds = text.length <= 40 && /^[A-Za-z_\- ]+$/.test(text);
        expect(foldStatus(text)).toBe(folds ? text.replace(/[_\- ]/g, '').toLowerCase() : null);
      }),
      {numRuns: 2000},
    );
    for (let code = 0; code <= 0xffff; code += 1) expect(isStatusCharCode(code)).toBe(/^[A-Za-z_\- ]$/.test(String.fromCharCode(code)));
  });
});
