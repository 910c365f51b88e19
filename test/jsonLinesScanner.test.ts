/**
 * The chunked JSON Lines scanner: the same lines, numbers, runs and warnings as the text parser
 * wherever the chunks cut the input, and lines the prefilter rules out are never decoded.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {open} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {JsonLinesScanner, scanFile} from '../src/sources/jsonLinesScanner.js';
import {LinePrefilter} from '../src/sources/linePrefilter.js';
import {parseJsonLine, parseJsonLines} from '../src/sources/parseRunText.js';
import type {ParsedItems} from '../src/model/itemKinds.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-scanner-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** What the scanner hands over, run through the same line parser the loader uses. */
function scanPieces(pieces: readonly Buffer[], chunkBytes: number, prefilter: LinePrefilter | null = null) {
  const out: ParsedItems = {runs: [], warnings: []};
  const seen: Array<[number, string]> = [];
  const scanner = new JsonLinesScanner(
    (rawLine, lineNumber) => {
      seen.push([lineNumber, rawLine]);
      parseJsonLine(rawLine, lineNumber, 'f.jsonl', out);
      return true;
    },
    prefilter,
    chunkBytes,
  );
  for (const piece of pieces) scanner.push(piece);
  scanner.finish();
  return {out, seen, scanner};
}

/** The runs (as id, status, line) and warnings of the text parser, which splits the decoded text on its own. */
function reference(bytes: Buffer) {
  const out: ParsedItems = {runs: [], warnings: []};
  parseJsonLines(bytes.toString('utf8').replace(/^\ufeff/, ''), 'f.jsonl', out);
  return summarize(out);
}

function summarize(out: ParsedItems) {
  return {runs: out.runs.map((run) => [run.id, run.status, run.model, run.source.line]), warnings: out.warnings.filter((warning) => warning.message !== 'empty file')};
}

const run = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({id, object: 'thread.run', status: 'completed', ...extra});

// Multi-byte characters of 2, 3 and 4 bytes, a BOM, CRLF, blank and indented lines, a broken line
// and a last line without its newline.
const TRICKY = Buffer.from(
  '\ufeff' +
    `${run('run_a', {model: 'é'})}\r\n` +
    '\n' +
    `   ${run('run_b', {model: '東京'})}\n` +
    '{"id": "run_c", "object": "thread.run", broken\n' +
    ' \t \r\n' +
    `${run('run_d', {model: '😀'})}\n` +
    `${run('run_e', {status: 'requires_action'})}`,
  'utf8',
);

describe('JsonLinesScanner', () => {
  it('gives the text parser’s runs, line numbers and warnings wherever the input is cut', () => {
    const expected = reference(TRICKY);
    expect(expected.runs.map((entry) => entry[0])).toEqual(['run_a', 'run_b', 'run_d', 'run_e']);
    expect(expected.warnings).toEqual([{location: 'f.jsonl:4:41', message: expect.stringContaining('line skipped')}]);
    // One cut at every position (inside each multi-byte character and the BOM too), fed with
    // buffers of 1 to 5 bytes per chunk, so lines also outgrow the buffer and make it grow.
    for (let cut = 0; cut <= TRICKY.length; cut += 1) {
      for (const chunkBytes of [1, 2, 3, 5]) {
        const {out} = scanPieces([TRICKY.subarray(0, cut), TRICKY.subarray(cut)], chunkBytes);
        expect(summarize(out), `cut at ${cut}, chunks of ${chunkBytes}`).toEqual(expected);
      }
    }
  });

  it('reads a file through large reads the same way, from a byte-by-byte feed too', async () => {
    const file = path.join(scratch, 'tricky.jsonl');
    writeFileSync(file, TRICKY);
    const handle = await open(file, 'r');
    const out: ParsedItems = {runs: [], warnings: []};
    let flushes = 0;
    try {
      const scanner = new JsonLinesScanner((rawLine, lineNumber) => parseJsonLine(rawLine, lineNumber, 'f.jsonl', out) || true, null, 7);
      await scanFile(handle, scanner, () => void (flushes += 1));
    } finally {
      await handle.close();
    }
    expect(summarize(out)).toEqual(reference(TRICKY));
    // Reads of at most the free buffer (2 x 7 bytes, more once a line outgrows it): many of them.
    expect(flushes).toBeGreaterThan(3);
    const bytewise = scanPieces([...TRICKY].map((byte) => Buffer.from([byte])), 4);
    expect(summarize(bytewise.out)).toEqual(reference(TRICKY));
  });

  it('keeps the line ending and indentation in the line it hands over (columns count from the line as written)', () => {
    const {seen} = scanPieces([Buffer.from('  {"a":1}\r\n\n[1]')], 64);
    expect(seen).toEqual([
      [1, '  {"a":1}\r'],
      [2, ''],
      [3, '[1]'],
    ]);
  });

  it('never decodes a line the prefilter rules out, and says whether one had content', () => {
    const input = Buffer.from(`${run('run_a')}\n\n${run('run_b', {status: 'requires_action'})}\n  \n`);
    const {seen, scanner} = scanPieces([input], 16, new LinePrefilter([['requires_action']]));
    expect(seen.map(([line]) => line)).toEqual([3]);
    expect(scanner.skippedContent).toBe(true);
    expect(scanner.sawContent).toBe(true);
    const blank = scanPieces([Buffer.from('\n \r\n\t\n')], 16, new LinePrefilter([['requires_action']]));
    expect(blank.seen).toEqual([]);
    expect(blank.scanner.skippedContent).toBe(false);
    expect(blank.scanner.sawContent).toBe(false);
  });

  it('stops handing over lines once the handler says stop', () => {
    const lines = Array.from({length: 50}, (_, index) => run(`run_${index}`)).join('\n');
    const seen: number[] = [];
    const scanner = new JsonLinesScanner((_line, lineNumber) => (seen.push(lineNumber), lineNumber < 3), null, 8);
    scanner.push(Buffer.from(lines));
    scanner.finish();
    expect(seen).toEqual([1, 2, 3]);
    expect(scanner.stopped).toBe(true);
  });
});

describe('LinePrefilter', () => {
  const admits = (filter: LinePrefilter, line: string) => {
    const bytes = Buffer.from(line);
    filter.reset(bytes);
    return filter.admits(0, bytes.length);
  };

  it('needs one value of every group as a JSON string, or a \\u escape, in the line', () => {
    const filter = new LinePrefilter([['failed', 'expired'], ['gpt-4o']]);
    expect(admits(filter, '{"status":"completed","note":"failed twice","model":"gpt-4o"}')).toBe(false);
    expect(admits(filter, '{"status":"failed","model":"gpt-4o"}')).toBe(true);
    expect(admits(filter, '{"model":"gpt-4o","status":"expired"}')).toBe(true);
    // "gpt-4o" inside "gpt-4o-mini" is not the JSON string "gpt-4o".
    expect(admits(filter, '{"status":"expired","model":"gpt-4o-mini"}')).toBe(false);
    expect(admits(filter, '{"status":"failed","model":"o3"}')).toBe(false);
    expect(admits(filter, '{"status":"completed","model":"gpt-4o"}')).toBe(false);
    expect(admits(filter, '{"status":"f\\u0061iled","model":"o3"}')).toBe(true);
  });

  it('tests lines of one block in order, each against its own bytes only', () => {
    const filter = new LinePrefilter([['failed']]);
    const block = Buffer.from('{"a":"x"}\n{"status":"failed"}\n{"b":"y"}\n{"c":"failed"}');
    filter.reset(block);
    const verdicts: boolean[] = [];
    for (let start = 0; start < block.length; ) {
      let end = block.indexOf(0x0a, start);
      if (end === -1) end = block.length;
      verdicts.push(filter.admits(start, end));
      start = end + 1;
    }
    expect(verdicts).toEqual([false, true, false, true]);
  });
});
