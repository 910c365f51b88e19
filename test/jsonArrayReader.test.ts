/**
 * Large JSON arrays and lists of every shape read item by item (JsonArrayReader): the same runs
 * and warnings as a whole-document parse wherever the pieces are cut, and the other items when
 * one is broken.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isDetached} from '../src/model/detachedRun.js';
import {wholeRun} from '../src/sources/itemBodies.js';
import {type JsonArrayReader} from '../src/sources/jsonArrayReader.js';
import {headIsRunArray} from '../src/sources/sniff.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {parseRunText, runArrayReader} from '../src/sources/parseRunText.js';
import type {ParsedItems} from '../src/model/itemKinds.js';

const run = (id: string, extra: Record<string, unknown> = {}) => ({object: 'thread.run', id, status: 'completed', created_at: 1_764_000_000, ...extra});

function readInPieces(bytes: Buffer, cuts: number[], detach = false): {out: ParsedItems; reader: JsonArrayReader} {
  const out: ParsedItems = {runs: [], warnings: []};
  const reader = runArrayReader('runs.json', out, detach);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const point of [...points, bytes.length]) {
    reader.push(bytes.subarray(start, point));
    start = point;
  }
  reader.end();
  return {out, reader};
}

const summary = (out: ParsedItems) => out.runs.map((candidate) => ({id: candidate.id, raw: candidate.raw}));

/** Every shape of document whose items are read one by one, and what its shape gets said about it. */
const SHAPES: Record<string, {document: (items: unknown[]) => unknown; warning: string | null}> = {
  'an array': {document: (items) => items, warning: null},
  'a list envelope': {document: (items) => ({object: 'list', data: items, first_id: 'x', has_more: false}), warning: null},
  'a list envelope whose "object" comes last': {document: (items) => ({data: items, object: 'list'}), warning: null},
  '{"data"} without "object"': {document: (items) => ({data: items}), warning: '{"data": [...]} without "object": "list"; read as a list'},
  '{"runs"}': {document: (items) => ({runs: items}), warning: '{"runs": [...]} read as a list of runs'},
  'a Foundry cursor page': {document: (items) => ({data: items, first_id: 'run_0', last_id: 'run_9', has_more: true}), warning: null},
  'a PascalCase list': {document: (items) => ({Object: 'list', Data: items, FirstId: 'run_0', HasMore: false}), warning: null},
};
const SHAPE_NAMES = Object.keys(SHAPES);

describe('JsonArrayReader', () => {
  // Strings with quotes, backslashes (also at the end, before a closing quote), brackets and
  // braces, newlines escaped, and non-ASCII text: everything the boundary scan must step over.
  const tricky = fc.array(fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', '\n', 'é', '😀', 'a', ' ', '\\"', '"]}'), {maxLength: 10}).map((parts) => parts.join(''));
  const item = fc.oneof(
    {weight: 5, arbitrary: fc.record({id: fc.string({minLength: 1, maxLength: 6}), note: tricky, nested: fc.array(tricky, {maxLength: 3})}).map(({id, note, nested}) => run(`run_${id}`, {instructions: note, metadata: {note}, tools: nested.map((text) => ({type: 'function', function: {name: 'f', description: text}}))}))},
    {weight: 1, arbitrary: fc.oneof(fc.integer(), tricky, fc.constant(null), fc.constant([1, [2]]))},
  );

  it('finds the same runs and warnings as parsing the document whole, wherever the pieces are cut', () => {
    fc.assert(
      fc.property(fc.array(item, {maxLength: 6}), fc.constantFrom(...SHAPE_NAMES), fc.constantFrom(0, 2), fc.boolean(), fc.array(fc.nat(), {maxLength: 8}), (items, shape, indent, bom, cuts) => {
        const text = JSON.stringify(SHAPES[shape]!.document(items), null, indent);
        const bytes = Buffer.from((bom ? '\ufeff' : '') + text);
        const whole = parseRunText(bytes.toString('utf8'), 'runs.json');
        const {out, reader} = readInPieces(bytes, cuts);
        // A list with no item is left to the whole parse (which finds no run in it either).
        expect(reader.unsupported).toBe(items.length === 0);
        if (reader.unsupported) {
          expect(whole.runs).toEqual([]);
          return;
        }
        expect(summary(out)).toEqual(summary(whole));
        expect(out.warnings).toEqual(whole.warnings);
      }),
      {numRuns: 400},
    );
  });

  it('skips a broken item with its line and column, and keeps the items around it', () => {
    const text = `[\n  ${JSON.stringify(run('run_a'))},\n  {"object": "thread.run", "id": "run_bad", "status": oops},\n  ${JSON.stringify(run('run_c'))}\n]\n`;
    const {out} = readInPieces(Buffer.from(text), [40, 90]);
    expect(out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_c']);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]!.location).toBe('runs.json:3:55');
    expect(out.warnings[0]!.message).toMatch(/^invalid JSON in item 1: .*; skipped$/);
  });

  it('keeps what it read from a file cut short, and says so', () => {
    const text = `[${JSON.stringify(run('run_a'))},${JSON.stringify(run('run_b')).slice(0, 30)}`;
    const {out} = readInPieces(Buffer.from(text), [17]);
    expect(out.runs.map((candidate) => candidate.id)).toEqual(['run_a']);
    expect(out.warnings.map((warning) => warning.message)).toEqual(['the file ends inside the array (cut short?); 1 item read']);
  });

  it('warns about text after the document', () => {
    const {out} = readInPieces(Buffer.from(`[${JSON.stringify(run('run_a'))}]\n]`), []);
    expect(out.runs).toHaveLength(1);
    expect(out.warnings).toEqual([{location: 'runs.json:2:1', message: 'text after the end of the document; ignored'}]);
  });

  it('leaves documents of other shapes to the whole-document parse', () => {
    expect(readInPieces(Buffer.from(JSON.stringify(run('run_a'))), []).reader.unsupported).toBe(true);
    expect(readInPieces(Buffer.from(JSON.stringify({data: [run('run_a')], object: 'thread.run'})), []).reader.unsupported).toBe(true);
    // Not a list: another key; a run (no "object", but its id and status say so) that has runs.
    expect(readInPieces(Buffer.from(JSON.stringify({items: [run('run_a')]})), []).reader.unsupported).toBe(true);
    expect(readInPieces(Buffer.from(JSON.stringify({id: 'run_p', status: 'queued', runs: [run('run_a')]})), []).reader.unsupported).toBe(true);
    // A list whose items are under another key than the array read first: the whole parse reads it.
    const elsewhere = JSON.stringify({runs: [run('run_a')], object: 'list', data: [run('run_b')]});
    expect(readInPieces(Buffer.from(elsewhere), []).reader.unsupported).toBe(true);
    expect(summary(parseRunText(elsewhere, 'runs.json')).map((found) => found.id)).toEqual(['run_b']);
    expect(readInPieces(Buffer.from('[NaN, {"id": x}]'), []).reader.unsupported).toBe(true);
    expect(headIsRunArray(Buffer.from('\ufeff  [{"id":1}]'))).toBe(true);
    expect(headIsRunArray(Buffer.from('{ "object" : "list", "data": []}'))).toBe(true);
    // Any object may be a list (a cursor page says so only after its data); a run is found out as it is read.
    expect(headIsRunArray(Buffer.from('{"data": [], "has_more": false}'))).toBe(true);
    expect(headIsRunArray(Buffer.from("{'data': [{'id': 'run_a'}]}"))).toBe(false);
  });

  /** Ways to break one item, as people and tools do; `loads` when the item itself still loads. */
  const BREAKS: Record<string, {breakItem: (text: string) => string; loads: boolean}> = {
    'NaN': {breakItem: (text) => text.replace('"created_at":1764000000', '"created_at":NaN'), loads: false},
    'a stray token': {breakItem: (text) => text.replace('"status":"completed"', '"status":"completed" oops'), loads: false},
    'an unquoted word': {breakItem: (text) => text.replace('"completed"', 'completed'), loads: false},
    'a bracket that does not match': {breakItem: (text) => text.replace('"metadata":{}', '"metadata":{"tags":[1, 2}'), loads: false},
    'Python None': {breakItem: (text) => text.replace('"metadata":{}', '"metadata":None'), loads: false},
    'a trailing comma in the item': {breakItem: (text) => text.replace('"metadata":{}', '"metadata":{"a":1,}'), loads: true},
  };

  it('one broken item costs only itself, whatever breaks it, wherever the pieces are cut', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 12}), fc.nat(), fc.constantFrom(...Object.keys(BREAKS)), fc.constantFrom(...SHAPE_NAMES), fc.array(fc.nat(), {maxLength: 6}), (count, pick, how, shape, cuts) => {
        const broken = pick % count;
        const {breakItem, loads} = BREAKS[how]!;
        const lines = Array.from({length: count}, (_, index) => JSON.stringify(run(`run_${index}`, {metadata: {}})));
        lines[broken] = breakItem(lines[broken]!);
        // The shape's document on one line, its items one to a line in place of the placeholder.
        const text = `${JSON.stringify(SHAPES[shape]!.document(['ITEMS'])).replace('"ITEMS"', `\n${lines.join(',\n')}\n`)}\n`;
        const {out, reader} = readInPieces(Buffer.from(text), cuts);
        const others = lines.map((_, index) => `run_${index}`).filter((_, index) => loads || index !== broken);
        if (others.length === 0) {
          // Nothing readable: left to the whole parse, which says where the text breaks.
          expect(reader.unsupported).toBe(true);
          return;
        }
        expect(out.runs.map((candidate) => candidate.id)).toEqual(others);
        // What the shape gets (said first, without a place, as the whole parse says it), then the broken item.
        const warning = SHAPES[shape]!.warning;
        expect(out.warnings.slice(0, -1)).toEqual(warning ? [{location: 'runs.json', message: warning}] : []);
        // The broken item is on line broken + 2.
        expect(out.warnings.at(-1)!.location).toMatch(new RegExp(`^runs\\.json:${broken + 2}:\\d+$`));
        // The same as the whole text through parseRunText, which reads a broken array item by item too.
        const whole = parseRunText(text, 'runs.json');
        expect(summary(whole)).toEqual(summary(out));
        expect(whole.warnings).toEqual(out.warnings);
      }),
      {numRuns: 400},
    );
  });

  it('a trailing comma after the last item, an extra comma and a missing one are warnings at their place; the items load', () => {
    const [a, b, c] = ['run_a', 'run_b', 'run_c'].map((id) => JSON.stringify(run(id)));
    const trailing = readInPieces(Buffer.from(`[\n  ${a},\n  ${b},\n]`), [9]);
    expect(trailing.out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_b']);
    expect(trailing.out.warnings).toEqual([{location: `runs.json:3:${3 + b!.length}`, message: 'a trailing comma after the last item; ignored'}]);
    const envelope = readInPieces(Buffer.from(`{"object":"list","data":[${a},${b},],"has_more":false}`), []);
    expect(envelope.out.runs).toHaveLength(2);
    expect(envelope.out.warnings).toEqual([{location: `runs.json:1:${26 + a!.length + 1 + b!.length}`, message: 'a trailing comma after the last item; ignored'}]);
    const after = readInPieces(Buffer.from(`[${a}, ${b}],\n`), []);
    expect(after.out.runs).toHaveLength(2);
    expect(after.out.warnings).toEqual([{location: `runs.json:1:${a!.length + b!.length + 5}`, message: 'text after the end of the document; ignored'}]);
    const commas = readInPieces(Buffer.from(`[,${a},,${b} ${c}]`), []);
    expect(commas.out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_b', 'run_c']);
    expect(commas.out.warnings.map((warning) => `${warning.location} ${warning.message}`)).toEqual([
      'runs.json:1:2 a comma with no item before it; ignored',
      `runs.json:1:${4 + a!.length} a comma with no item before it; ignored`,
      `runs.json:1:${6 + a!.length + b!.length} a missing comma before this item; read as if it were there`,
    ]);
  });

  it('a closing bracket too many in an item ends the document early: the comma after the end says so, and the items after it load', () => {
    const [a, c] = ['run_a', 'run_c'].map((id) => JSON.stringify(run(id)));
    const broken = '{"object":"thread.run","id":"run_b","tools":[{"type":"function"}}, {"type":"function"}],"status":"completed"}';
    const text = `[${a},\n${broken},\n${c}]`;
    const {out} = readInPieces(Buffer.from(text), [text.indexOf('}}') + 1]);
    expect(out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_c']);
    expect(out.warnings.map((warning) => `${warning.location} ${warning.message}`)).toEqual([
      `runs.json:2:${broken.indexOf('}}') + 2} invalid JSON in item 1: Expected ',' or ']' after array element; skipped`,
      // The rest of the item: its tool, read as an item of its own; its `]` ends the array.
      'runs.json item 2 is an object without "object": "thread.run", not a run; skipped',
      `runs.json:2:${broken.indexOf(',"status"') + 1} the brackets before this do not match (the document seemed to end here); the items after it are read too`,
      `runs.json:2:${broken.indexOf(':"completed"') + 1} invalid JSON in item 3: Unexpected non-whitespace character after JSON; skipped`,
    ]);
  });

  it('reads a list envelope whose "object": "list" comes after its data, handing nothing out before it', () => {
    const out: ParsedItems = {runs: [], warnings: []};
    const reader = runArrayReader('runs.json', out);
    reader.push(Buffer.from(`{"data": [${JSON.stringify(run('run_a'))}, {"id": x}, ${JSON.stringify(run('run_c'))}], `));
    expect([out.runs.length, out.warnings.length, reader.accepted]).toEqual([0, 0, false]);
    reader.push(Buffer.from('"object": "list", "has_more": false}'));
    reader.end();
    expect(reader.accepted).toBe(true);
    expect(out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_c']);
    expect(out.warnings.map((warning) => warning.message)).toEqual(["invalid JSON in data[1]: Unexpected token 'x'; skipped"]);
  });

  it('reads a cursor page or a bare {"data"} whole before it says which it is: its first_id comes after its data', () => {
    for (const [tail, warnings] of [
      ['"first_id": "run_a", "has_more": false}', []],
      ['"model": "gpt-4o"}', ['{"data": [...]} without "object": "list"; read as a list', "invalid JSON in data[1]: Unexpected token 'x'; skipped"]],
    ] as const) {
      const out: ParsedItems = {runs: [], warnings: []};
      const reader = runArrayReader('runs.json', out);
      reader.push(Buffer.from(`{"data": [${JSON.stringify(run('run_a'))}, {"id": x}, ${JSON.stringify(run('run_c'))}], `));
      reader.push(Buffer.from(tail));
      expect([out.runs.length, out.warnings.length, reader.accepted]).toEqual([0, 0, false]);
      reader.end();
      expect(out.runs.map((candidate) => candidate.id)).toEqual(['run_a', 'run_c']);
      expect(out.warnings.map((warning) => warning.message)).toEqual(warnings.length ? warnings : ["invalid JSON in data[1]: Unexpected token 'x'; skipped"]);
    }
    // Cut short after its data: what the keys read say decides.
    const cut = readInPieces(Buffer.from(`{"data": [${JSON.stringify(run('run_a'))}], "has_more": fal`), [12]);
    expect(cut.out.runs.map((candidate) => candidate.id)).toEqual(['run_a']);
    expect(cut.out.warnings.map((warning) => warning.message)).toEqual(['the file ends before the list envelope closes (cut short?)']);
  });

  it('hands out nothing when no item can be read (the whole parse says why), and names a cut after the data', () => {
    const none = readInPieces(Buffer.from("[{'id': 'run_a'}, {'id': 'run_b'}]"), [5]);
    expect([none.reader.unsupported, none.out.runs.length, none.out.warnings.length]).toEqual([true, 0, 0]);
    const cut = readInPieces(Buffer.from(`{"object":"list","data":[${JSON.stringify(run('run_a'))}]`), []);
    expect(cut.out.runs).toHaveLength(1);
    expect(cut.out.warnings.map((warning) => warning.message)).toEqual(['the file ends before the list envelope closes (cut short?)']);
  });

  it('a run kept small is read again from an item with a trailing comma, as it was loaded', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'runlens-array-')), 'commas.json');
    const items = Array.from({length: 400}, (_, index) => JSON.stringify(run(`run_${index}`, {instructions: 'y'.repeat(200), metadata: {n: String(index)}})));
    items[5] = items[5]!.replace('"metadata":{"n":"5"}', '"metadata":{"n":"5",}');
    writeFileSync(file, `[\n${items.join(',\n')},\n]\n`);
    const loaded = await loadRunsFromSources([file], {onProgress: () => undefined, detachRuns: true});
    expect(loaded.runs).toHaveLength(400);
    expect(isDetached(loaded.runs[5]!)).toBe(true);
    expect(wholeRun(loaded.runs[5]!).raw['metadata']).toEqual({n: '5'});
    expect(wholeRun(loaded.runs[5]!).instructions).toBe('y'.repeat(200));
    expect(loaded.warnings.map((warning) => `${path.basename(warning.location)} ${warning.message}`)).toEqual([
      `commas.json:7:${items[5]!.indexOf(',}') + 1} a trailing comma in item 5; ignored`,
      `commas.json:401:${items[399]!.length + 1} a trailing comma after the last item; ignored`,
    ]);
  });

  it('loads a large array file item by item with progress, runs kept small and read again whole', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'runlens-array-')), 'runs.json');
    const runs = Array.from({length: 3000}, (_, index) => run(`run_${String(index).padStart(5, '0')}`, {instructions: `"quoted" \\ ${'x'.repeat(200)}`, status: index % 10 === 0 ? 'requires_action' : 'completed'}));
    writeFileSync(file, JSON.stringify({object: 'list', data: runs, has_more: false}, null, 2));
    const progress: number[] = [];
    const streamed = await loadRunsFromSources([file], {onProgress: (_report, partial) => void progress.push(partial.runs.length), detachRuns: true});
    const plain = await loadRunsFromSources([file]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[0]).toBeGreaterThan(0);
    expect(progress[0]).toBeLessThan(3000);
    expect(streamed.warnings).toEqual([]);
    expect(streamed.runs.map((candidate) => candidate.id)).toEqual(plain.runs.map((candidate) => candidate.id));
    expect(isDetached(streamed.runs[1]!)).toBe(true);
    expect(isDetached(streamed.runs[0]!)).toBe(false);
    for (const index of [1, 1234, 2999]) {
      expect(wholeRun(streamed.runs[index]!).raw).toEqual(plain.runs[index]!.raw);
      expect(wholeRun(streamed.runs[index]!).instructions).toBe(plain.runs[index]!.instructions);
    }
  });
});
