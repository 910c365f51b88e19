import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseJsonLines, parseJsonLinesBuffer} from '../src/sources/parseRunText.js';
import type {ParsedItems} from '../src/model/itemKinds.js';

const line = fc.oneof(
  fc.record({id: fc.stringMatching(/^run_[a-z0-9]{1,6}$/), status: fc.constantFrom('queued', 'completed', 'requires_action'), model: fc.string()}).map((run) => JSON.stringify({object: 'thread.run', ...run})),
  fc.constantFrom('', '   ', '{oops', '{"object":"thread.message","id":"msg_1"}', '  {"object":"thread.run","id":"run_東京","status":"completed"}', '[1,', 'São Paulo'),
  fc.string(),
);

function viaText(text: string): ParsedItems {
  const out: ParsedItems = {runs: [], warnings: []};
  parseJsonLines(text, 'x.jsonl', out);
  return out;
}

function viaBytes(text: string): ParsedItems {
  const out: ParsedItems = {runs: [], warnings: []};
  parseJsonLinesBuffer(Buffer.from(text, 'utf8'), 'x.jsonl', out);
  return out;
}

describe('JSON Lines from bytes', () => {
  it('gives the same runs and warnings as from text, for any lines and line endings', () => {
    fc.assert(
      fc.property(fc.array(line, {maxLength: 8}), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, newline, trailing) => {
        const text = lines.join(newline) + (trailing ? newline : '');
        const bytes = viaBytes(text);
        const plain = viaText(text);
        expect(bytes.runs.map((run) => [run.id, run.source.line])).toEqual(plain.runs.map((run) => [run.id, run.source.line]));
        // The text path leaves the empty-file warning to parseRunText; the bytes path gives it itself.
        const blank = text.trim() === '';
        expect(bytes.warnings).toEqual(blank ? [{location: 'x.jsonl', message: 'empty file'}] : plain.warnings);
      }),
      {numRuns: 300},
    );
  });

  it('skips a UTF-8 byte order mark', () => {
    const out: ParsedItems = {runs: [], warnings: []};
    parseJsonLinesBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"object":"thread.run","id":"run_a","status":"queued"}\n')]), 'x.jsonl', out);
    expect(out.runs.map((run) => run.id)).toEqual(['run_a']);
    expect(out.warnings).toEqual([]);
  });
});
