/**
 * The line index print mode's second read uses: a file scanned once, its line starts noted, then
 * any ascending choice of its lines read back by offset gives the bytes the scanner handed over for
 * them, whatever their lengths (some longer than a read), a BOM, CRLF, and a last line without its
 * newline; a visit that says stop stops the reading.
 */
import {closeSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {JsonLinesScanner} from '../src/sources/jsonLinesScanner.js';
import {LineSet, LineStarts, readLines} from '../src/sources/lineIndex.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-line-index-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** Scans `bytes` as the first read does, noting every line's start; the lines as the scanner gave them. */
function scan(bytes: Buffer, chunkBytes: number): {starts: LineStarts; lines: Map<number, string>} {
  const starts = new LineStarts();
  const lines = new Map<number, string>();
  let base = 0;
  const scanner = new JsonLinesScanner(
    (rawLine, lineNumber) => (lines.set(lineNumber, rawLine), true),
    {
      reset: (_view, offset) => void (base = offset),
      admits: (start, _end, lineNumber) => (starts.add(lineNumber, base + start), true),
    },
    chunkBytes,
  );
  for (let at = 0; at < bytes.length; at += 7919) scanner.push(bytes.subarray(at, at + 7919));
  scanner.finish();
  return {starts, lines};
}

describe('LineStarts and readLines', () => {
  it('read back any ascending choice of lines as the scanner handed them over', async () => {
    const line = fc.oneof(
      {weight: 8, arbitrary: fc.string({maxLength: 80}).map((text) => JSON.stringify({id: text}))},
      {weight: 1, arbitrary: fc.constantFrom('', '  ', '\r', '{"a":1}\r')},
      {weight: 1, arbitrary: fc.integer({min: 20_000, max: 700_000}).map((size) => JSON.stringify({big: 'x'.repeat(size)}))},
    );
    let file = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, {minLength: 1, maxLength: 12}), fc.boolean(), fc.boolean(), fc.array(fc.boolean(), {minLength: 1}), fc.integer({min: 16, max: 4096}), async (texts, bom, newlineAtEnd, pick, chunkBytes) => {
        const bytes = Buffer.from(`${bom ? '\ufeff' : ''}${texts.join('\n')}${newlineAtEnd ? '\n' : ''}`);
        const target = path.join(scratch, `lines-${(file += 1)}.jsonl`);
        writeFileSync(target, bytes);
        const {starts, lines} = scan(bytes, chunkBytes);
        const chosen = [...lines.keys()].filter((_line, index) => pick[index % pick.length]);
        const read = new Map<number, string>();
        const fd = openSync(target, 'r');
        try {
          await readLines(fd, starts, bytes.length, chosen, (lineNumber, lineBytes, offset) => {
            expect(bytes.subarray(offset, offset + lineBytes.length).equals(lineBytes)).toBe(true);
            read.set(lineNumber, lineBytes.toString('utf8'));
            return true;
          }, () => {});
        } finally {
          closeSync(fd);
        }
        expect(read).toEqual(new Map(chosen.map((lineNumber) => [lineNumber, lines.get(lineNumber)!])));
      }),
      {numRuns: 60},
    );
  });

  it('stops when a visit says so', async () => {
    const target = path.join(scratch, 'stop.jsonl');
    const bytes = Buffer.from(Array.from({length: 50}, (_, index) => `{"n":${index}}`).join('\n'));
    writeFileSync(target, bytes);
    const {starts} = scan(bytes, 64);
    const seen: number[] = [];
    const fd = openSync(target, 'r');
    await readLines(fd, starts, bytes.length, [2, 5, 9, 30, 41], (lineNumber) => (seen.push(lineNumber), seen.length < 3), () => {});
    closeSync(fd);
    expect(seen).toEqual([2, 5, 9]);
  });

  it('LineSet holds line numbers and gives them back in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({min: 1, max: 100_000}), {maxLength: 200}), (lines) => {
        const set = new LineSet();
        for (const line of lines) set.add(line);
        expect([...set.ascending()]).toEqual([...lines].sort((a, b) => a - b));
        for (const line of lines) expect(set.has(line)).toBe(true);
        expect(set.has(100_001)).toBe(false);
      }),
    );
  });
});
