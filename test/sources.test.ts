import fc from 'fast-check';
import {mkdtemp, mkdir, rm, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {loadRunsFromSources, STDIN_LABEL} from '../src/sources/loadSources.js';
import {decodeRunFile} from '../src/sources/sniff.js';
import {RunCollection, sameJson} from '../src/sources/runCollection.js';
import {parseRunText} from '../src/sources/parseRunText.js';
import {isJsonLinesName} from '../src/sources/sniff.js';
import {formatWarning, type LoadWarning} from '../src/model/loadWarning.js';

const SHAPES = fileURLToPath(new URL('./fixtures/shapes/', import.meta.url));
const shape = (name: string) => path.join(SHAPES, name);

function run(id: string, status = 'completed', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {id, object: 'thread.run', created_at: 1793610000, thread_id: 'thread_t', assistant_id: 'asst_a', status, ...extra};
}
const line = (value: unknown) => JSON.stringify(value);
const texts = (warnings: LoadWarning[]) => warnings.map(formatWarning);
const stdinOf = (...chunks: Array<string | Buffer>) => Readable.from(chunks);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'runlens-sources-'));
});
afterAll(async () => {
  await rm(tmp, {recursive: true, force: true});
});

describe('parseRunText: accepted shapes', () => {
  it('reads one run object', () => {
    const parsed = parseRunText(line(run('run_one')), 'one.json');
    expect(parsed.runs.map((r) => [r.id, r.source])).toEqual([['run_one', {file: 'one.json'}]]);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads an array of runs', () => {
    const parsed = parseRunText(JSON.stringify([run('run_a'), run('run_b', 'failed')], null, 2), 'array.json');
    expect(parsed.runs.map((r) => `${r.id}:${r.status}`)).toEqual(['run_a:completed', 'run_b:failed']);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads a list envelope whatever has_more says', () => {
    for (const hasMore of [true, false]) {
      const envelope = {object: 'list', data: [run('run_a'), run('run_b')], first_id: 'run_a', last_id: 'run_b', has_more: hasMore};
      const parsed = parseRunText(JSON.stringify(envelope), 'page.json');
      expect(parsed.runs.map((r) => r.id)).toEqual(['run_a', 'run_b']);
      expect(parsed.warnings).toEqual([]);
    }
  });

  it('reads JSON Lines of runs, envelopes and arrays, with the line of each run', () => {
    const text = [line(run('run_a')), line({object: 'list', data: [run('run_b')], has_more: false}), line([run('run_c'), run('run_d')])].join('\n');
    const parsed = parseRunText(`${text}\n`, 'export.jsonl');
    expect(parsed.runs.map((r) => [r.id, r.source.line])).toEqual([
      ['run_a', 1],
      ['run_b', 2],
      ['run_c', 3],
      ['run_d', 3],
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads a one-line JSON Lines file as JSON Lines, and a .ndjson file too', () => {
    expect(parseRunText(line(run('run_a')), 'one.jsonl').runs[0]?.source).toEqual({file: 'one.jsonl', line: 1});
    expect(parseRunText(`${line(run('run_a'))}\n${line(run('run_b'))}`, 'x.NDJSON').runs.map((r) => r.id)).toEqual(['run_a', 'run_b']);
  });

  it('recognises JSON Lines in a .json file or stdin by their content', () => {
    const parsed = parseRunText(`${line(run('run_a'))}\n${line(run('run_b'))}\n`, STDIN_LABEL);
    expect(parsed.runs.map((r) => [r.id, r.source])).toEqual([
      ['run_a', {file: STDIN_LABEL, line: 1}],
      ['run_b', {file: STDIN_LABEL, line: 2}],
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it('still reads JSON Lines without a .jsonl name when the first line is cut (tail -c)', () => {
    const full = [line(run('run_a')), line(run('run_b')), line(run('run_c'))].join('\n');
    const cut = full.slice(full.indexOf('"status"'));
    expect(cut.startsWith('"status":"completed"}\n{"id":"run_b"')).toBe(true);
    const parsed = parseRunText(cut, STDIN_LABEL);
    expect(parsed.runs.map((r) => r.id)).toEqual(['run_b', 'run_c']);
    expect(texts(parsed.warnings)).toEqual(['<stdin>:1:9: Unexpected non-whitespace character after JSON; line skipped']);
  });

  it('does not mistake a broken pretty-printed file for JSON Lines: its items load, and the cut is named', () => {
    const text = `${JSON.stringify([run('run_a'), run('run_b')], null, 2).slice(0, -2)}\n`;
    const parsed = parseRunText(text, 'pretty.json');
    expect(parsed.runs.map((r) => r.id)).toEqual(['run_a', 'run_b']);
    expect(texts(parsed.warnings)).toEqual([`pretty.json:${text.split('\n').length}:1: the file ends inside the array (cut short?); 2 items read`]);
  });

  it('takes nothing from an empty array or an empty page, and says nothing', () => {
    expect(parseRunText('[]', 'a.json')).toEqual({runs: [], warnings: []});
    expect(parseRunText('{"object":"list","data":[],"has_more":false}', 'a.json')).toEqual({runs: [], warnings: []});
  });

  it('tells id-less runs apart by where they are, so none replaces another', async () => {
    const parsed = parseRunText(line([{object: 'thread.run', status: 'queued'}, {object: 'thread.run', status: 'failed'}]), 'noid.json');
    expect(parsed.runs.map((r) => r.id)).toEqual(['(no id) noid.json item 0', '(no id) noid.json item 1']);
    expect(texts(parsed.warnings)).toEqual([
      'noid.json: (no id) noid.json item 0: field id: missing',
      'noid.json: (no id) noid.json item 1: field id: missing',
    ]);
    const file = path.join(tmp, 'noid.json');
    await writeFile(file, line([{object: 'thread.run', status: 'queued'}, {object: 'thread.run', status: 'failed'}]));
    const loaded = await loadRunsFromSources([file]);
    expect(loaded.runs.map((r) => r.status)).toEqual(['queued', 'failed']);
  });
});

describe('isJsonLinesName / formatWarning', () => {
  it('knows JSON Lines names', () => {
    expect(['a.jsonl', 'a.ndjson', 'A.JSONL', 'dir.x/a.NdJson'].map(isJsonLinesName)).toEqual([true, true, true, true]);
    expect(['a.json', 'a.jsonl.bak', 'jsonl', '<stdin>'].map(isJsonLinesName)).toEqual([false, false, false, false]);
  });

  it('writes a warning as location: message', () => {
    expect(formatWarning({location: 'runs.jsonl:3:14', message: "Unexpected token 'x'; line skipped"})).toBe(
      "runs.jsonl:3:14: Unexpected token 'x'; line skipped",
    );
  });
});

describe('loadRunsFromSources: folders', () => {
  const SHAPE_IDS = [
    'run_shapeV1Retrieval',
    'run_shapeV1Failed',
    'run_shapeEnvelopeAction',
    'run_shapeEnvelopeCancelling',
    'run_shapeLineQueued',
    'run_shapeLineInProgress',
    'run_shapeLineCancelled',
    'run_shapeLineExpired',
    'run_shapeUpperCaseExt',
    'run_shapeNestedDeeper',
    'run_shapeNdjson',
    'run_shapeSingleV2',
  ];
  const SHAPE_FILES = ['array-v1.json', 'envelope.json', 'lines.jsonl', 'nested/UPPER.JSON', 'nested/deeper/more.json', 'one.ndjson', 'single.json'];

  it('reads .json, .jsonl and .ndjson files recursively, sorted by name, and nothing else', async () => {
    const loaded = await loadRunsFromSources([SHAPES]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.map((r) => r.id)).toEqual(SHAPE_IDS);
    expect(loaded.files).toEqual(SHAPE_FILES.map(shape));
    expect(loaded.sources).toEqual([SHAPES]);
    expect(new Set(loaded.runs.map((r) => r.status))).toEqual(
      new Set(['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired']),
    );
    expect(loaded.runs.find((r) => r.id === 'run_shapeLineCancelled')?.source).toEqual({file: shape('lines.jsonl'), line: 2});
  });

  it('reads a file named directly whatever its extension', async () => {
    const loaded = await loadRunsFromSources([shape('nested/readme.txt')]);
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_notLoadedTxt']);
    expect(loaded.warnings).toEqual([]);
  });

  it('mixes files, folders and stdin, in the order given', async () => {
    const stdin = stdinOf(`${line(run('run_fromStdin', 'queued'))}\n`);
    const loaded = await loadRunsFromSources([shape('single.json'), '-', path.join(SHAPES, 'nested')], {stdin});
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_shapeSingleV2', 'run_fromStdin', 'run_shapeUpperCaseExt', 'run_shapeNestedDeeper']);
    expect(loaded.files).toEqual([shape('single.json'), STDIN_LABEL, shape('nested/UPPER.JSON'), shape('nested/deeper/more.json')]);
    expect(loaded.warnings).toEqual([]);
  });

  it('reads a folder named twice, or a folder and its subfolder, once and without a warning', async () => {
    const loaded = await loadRunsFromSources([SHAPES, path.join(SHAPES, 'nested'), SHAPES, shape('single.json')]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.map((r) => r.id)).toEqual(SHAPE_IDS);
    expect(loaded.files).toEqual(SHAPE_FILES.map(shape));
  });

  it('follows a link to a sibling folder without calling it a loop', async () => {
    const root = path.join(tmp, 'sibling');
    await mkdir(path.join(root, '2026-11'), {recursive: true});
    await writeFile(path.join(root, '2026-11', 'runs.json'), line(run('run_sibling')));
    await symlink('2026-11', path.join(root, 'latest'));
    const loaded = await loadRunsFromSources([root]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_sibling']);
  });

  it('warns about a missing source and an empty folder, and loads the rest', async () => {
    const empty = path.join(tmp, 'empty-folder');
    await mkdir(empty);
    const missing = path.join(tmp, 'no-such-file.json');
    const loaded = await loadRunsFromSources([missing, empty, shape('single.json')]);
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_shapeSingleV2']);
    expect(texts(loaded.warnings)).toEqual([`${missing}: no such file or folder`, `${empty}: no .json, .jsonl, .ndjson or .sse files in this folder`]);
  });
});

describe('loadRunsFromSources: stdin', () => {
  it('reads `-` from the injected stream, in chunks that split lines and characters', async () => {
    const bytes = Buffer.from(`${line(run('run_a', 'queued', {metadata: {city: '東京'}}))}\n${line(run('run_b'))}\n`);
    const split = bytes.indexOf(Buffer.from('東')) + 1; // in the middle of a UTF-8 sequence
    const loaded = await loadRunsFromSources(['-'], {stdin: stdinOf(bytes.subarray(0, split), bytes.subarray(split))});
    expect(loaded.runs.map((r) => [r.id, r.source])).toEqual([
      ['run_a', {kind: 'stdin', file: '<stdin>', line: 1}],
      ['run_b', {kind: 'stdin', file: '<stdin>', line: 2}],
    ]);
    expect(loaded.runs[0]?.metadata).toEqual({city: '東京'});
    expect(loaded.files).toEqual(['<stdin>']);
  });

  it('accepts string chunks and UTF-16 with a BOM', async () => {
    const fromStrings = await loadRunsFromSources(['-'], {stdin: stdinOf('[', line(run('run_s')), ']')});
    expect(fromStrings.runs.map((r) => r.id)).toEqual(['run_s']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line(run('run_u16', 'queued', {metadata: {note: 'café ☕'}})), 'utf16le')]);
    const fromUtf16 = await loadRunsFromSources(['-'], {stdin: stdinOf(utf16)});
    expect(fromUtf16.runs.map((r) => [r.id, r.metadata])).toEqual([['run_u16', {note: 'café ☕'}]]);
    expect(fromUtf16.warnings).toEqual([]);
  });

  it('warns about an empty stdin', async () => {
    const loaded = await loadRunsFromSources(['-'], {stdin: stdinOf()});
    expect(loaded.runs).toEqual([]);
    expect(texts(loaded.warnings)).toEqual(['<stdin>: empty file']);
  });

  it('turns a failing stdin into a warning and still loads the other sources', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('EIO: i/o error, read'), {code: 'EIO'}));
      },
    });
    const loaded = await loadRunsFromSources(['-', shape('single.json')], {stdin: failing});
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_shapeSingleV2']);
    expect(texts(loaded.warnings)).toEqual(['<stdin>: EIO: i/o error, read']);
    expect(loaded.files).toEqual([shape('single.json')]);
  });
});

describe('duplicate ids', () => {
  it('keeps one run per id; an identical copy is silent', async () => {
    const first = path.join(tmp, 'dup-same-1.json');
    const second = path.join(tmp, 'dup-same-2.jsonl');
    await writeFile(first, JSON.stringify(run('run_same', 'completed', {metadata: {a: '1', b: '2'}}), null, 2));
    // Same content, keys in another order.
    await writeFile(second, `${line({metadata: {b: '2', a: '1'}, ...run('run_same', 'completed')})}\n`);
    const loaded = await loadRunsFromSources([first, second]);
    expect(loaded.runs.map((r) => r.id)).toEqual(['run_same']);
    expect(loaded.warnings).toEqual([]);
  });

  it('a later state replaces an earlier copy in the first place, silently', async () => {
    const file = path.join(tmp, 'dup-lines.jsonl');
    await writeFile(file, [line(run('run_x', 'in_progress')), line(run('run_y')), line(run('run_x', 'completed'))].join('\n'));
    const loaded = await loadRunsFromSources([file]);
    expect(loaded.runs.map((r) => `${r.id}:${r.status}`)).toEqual(['run_x:completed', 'run_y:completed']);
    // A run's states over time are not bad input (before the latest state won, this was a warning).
    expect(texts(loaded.warnings)).toEqual([]);
  });

  it('RunCollection replaces in place and reports each differing copy on a true tie', () => {
    const collection = new RunCollection();
    collection.add(normalizeRun(run('run_1', 'queued'), {file: 'a.json'}));
    collection.add(normalizeRun(run('run_2'), {file: 'a.json'}));
    collection.add(normalizeRun(run('run_1', 'in_progress'), {file: 'b.jsonl', line: 4}));
    collection.add(normalizeRun(run('run_1', 'in_progress'), {file: 'c.json'}));
    collection.add(normalizeRun(run('run_1', 'completed'), {file: 'd.json'}));
    expect(collection.runs.map((r) => `${r.id}:${r.status}:${r.source.file}`)).toEqual(['run_1:completed:d.json', 'run_2:completed:a.json']);
    // queued and in_progress with no lifecycle time set tie (b.jsonl read later wins); completed
    // beats in_progress, silently (before the latest state won, d.json was a warning too).
    expect(texts(collection.warnings)).toEqual(['b.jsonl:4: run_1 also appears in a.json with different content; showing this one']);
  });

  it('RunCollection keeps the latest state whatever the order read: final first, then the latest time, then more times', () => {
    const at = (status: string, times: Record<string, number>, file: string) => normalizeRun(run('run_1', status, times), {file});
    const cases: Array<[ReturnType<typeof at>, ReturnType<typeof at>]> = [
      [at('queued', {}, 'queued.json'), at('completed', {completed_at: 1793610009}, 'completed.json')],
      [at('in_progress', {started_at: 1793610100}, 'late-start.json'), at('requires_action', {started_at: 1793610200}, 'later-start.json')],
      [at('in_progress', {started_at: 1793610100}, 'started.json'), at('failed', {started_at: 1793610100, failed_at: 1793610100}, 'failed.json')],
      // A status runlens does not know is unfinished: a final one beats it.
      [at('paused_for_review', {started_at: 1793610300}, 'paused.json'), at('expired', {started_at: 1793610100}, 'expired.json')],
    ];
    for (const [earlier, later] of cases) {
      for (const order of [[earlier, later], [later, earlier]]) {
        const collection = new RunCollection();
        for (const copy of order) collection.add(copy);
        expect(collection.runs.map((r) => r.source.file)).toEqual([later.source.file]);
        expect(collection.warnings).toEqual([]);
      }
    }
  });

  it('RunCollection.revision moves when a copy is replaced in place, not when an earlier state is dropped', () => {
    const collection = new RunCollection();
    collection.add(normalizeRun(run('run_1', 'queued'), {file: 'a.json'}));
    const added = collection.revision;
    collection.add(normalizeRun(run('run_1', 'completed', {completed_at: 1793610009}), {file: 'b.json'}));
    expect(collection.revision).toBeGreaterThan(added);
    const replaced = collection.revision;
    collection.add(normalizeRun(run('run_1', 'queued'), {file: 'c.json'}));
    expect(collection.revision).toBe(replaced);
    expect(collection.runs.map((r) => `${r.status}:${r.source.file}`)).toEqual(['completed:b.json']);
  });
});

describe('sameJson', () => {
  it('compares parsed JSON, key order aside', () => {
    expect(sameJson({a: 1, b: [1, {c: null}]}, {b: [1, {c: null}], a: 1})).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({a: 1}, {a: 1, b: 2})).toBe(false);
    expect(sameJson({a: undefined}, {b: undefined})).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({0: 'a'}, ['a'])).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });

  it('handles 20,000 levels of nesting', () => {
    const deep = (leaf: number) => JSON.parse(`${'{"a":['.repeat(20_000)}${leaf}${']}'.repeat(20_000)}`);
    expect(sameJson(deep(1), deep(1))).toBe(true);
    expect(sameJson(deep(1), deep(2))).toBe(false);
  });

  it('agrees with comparing canonical JSON (property)', () => {
    const canonical = (value: unknown): string =>
      JSON.stringify(value, (_key, inner: unknown) =>
        inner && typeof inner === 'object' && !Array.isArray(inner)
          ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
          : inner,
      );
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, JSON.parse(JSON.stringify(a)))).toBe(true);
      }),
      {numRuns: 500},
    );
  });
});

describe('decodeRunFile', () => {
  it('decodes UTF-8 (keeping a BOM for the parser to strip) and UTF-16 LE/BE with a BOM', () => {
    const text = '{"note":"café ☕ 😀"}';
    expect(decodeRunFile(Buffer.from(text))).toBe(text);
    expect(decodeRunFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(`\ufeff${text}`);
    expect(decodeRunFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeRunFile(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(decodeRunFile(Buffer.alloc(0))).toBe('');
  });
});

describe('parseRunText property', () => {
  it('never throws, whatever the text and name, and every run is accounted for', () => {
    const anyText = fc.oneof(
      fc.string({unit: 'binary'}),
      fc.json(),
      fc.array(fc.oneof(fc.json(), fc.constant(line(run('run_p'))), fc.string()), {maxLength: 6}).map((lines) => lines.join('\n')),
    );
    fc.assert(
      fc.property(anyText, fc.constantFrom('a.json', 'a.jsonl', STDIN_LABEL), (text, name) => {
        const parsed = parseRunText(text, name);
        for (const warning of parsed.warnings) expect(warning.location.startsWith(name)).toBe(true);
        for (const parsedRun of parsed.runs) expect(parsedRun.source.file).toBe(name);
        if (text.replace(/^\ufeff/, '').trim() === '') expect(texts(parsed.warnings)).toEqual([`${name}: empty file`]);
      }),
      {numRuns: 300},
    );
  });
});
