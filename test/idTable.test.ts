/**
 * IdTable against a Map of the same ids: past its first sizes (its slots and entries grow, its
 * bytes move), ids that share a prefix, a length or each other's bytes, and ids read back from
 * the middle of a larger buffer.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {IdTable} from '../src/cli/idTable.js';

describe('IdTable', () => {
  it('answers as a Map of the ids would: the first place of an id read before, null for a new one', () => {
    const id = fc.oneof(fc.integer({min: 0, max: 3000}).map((n) => `run_${n}`), fc.string({unit: 'binary-ascii', maxLength: 6}), fc.constantFrom('', 'run_', 'run_1', 'run_10'));
    fc.assert(
      fc.property(fc.array(id, {minLength: 2500, maxLength: 5000}), fc.nat(9), (ids, pad) => {
        const table = new IdTable();
        const seen = new Map<string, number>();
        ids.forEach((text, at) => {
          // The id's bytes inside a line, as the first read finds them.
          const bytes = Buffer.from(`${'x'.repeat(pad)}${text}"`);
          const expected = seen.get(text) ?? null;
          if (expected === null) seen.set(text, at);
          expect(table.firstOrAdd(bytes, pad, bytes.length - 1, at)).toBe(expected);
        });
        expect(table.size).toBe(seen.size);
      }),
      {numRuns: 30},
    );
  });
});
