/**
 * One file gives the same runs and the same warnings in every mode: the TUI's load (piece by
 * piece, with progress, runs kept small), `list` streaming and sorted, `show`, `stuck` and
 * `stats`. A file of each shape that once split them: an array or list envelope with one broken
 * item (3 items and 2,000), and so each list shape (`{"data"}` without `"object"`, `{"runs"}`, a
 * Foundry cursor page, PascalCase), trailing commas, a list whose `"object"` comes last, compressed files
 * (gzip, zstd, gzip under a `.json` name, stdin), JSON Lines and a stream transcript as recorded.
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {copyFile, mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {locateOffset} from '../src/format/jsonError.js';
import {loadRunsFromSources, type LoadProgress} from '../src/sources/loadSources.js';
import {formatWarning} from '../src/model/loadWarning.js';
import {OutputCollector} from './helpers/outputCollector.js';

const NOW_ISO = '2026-11-25T12:00:00Z';
const ITEMS = fileURLToPath(new URL('./fixtures/broken-items/', import.meta.url));
const SSE = fileURLToPath(new URL('./fixtures/sse/', import.meta.url));
const item = (name: string) => path.join(ITEMS, name);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'runlens-modes-'));
});
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** What a mode saw: `id:status` of each run (sorted: the modes order them differently), and the warnings. */
interface Seen {
  runs: string[];
  warnings: string[];
}

interface Case {
  file: string;
  runs: string[];
  warnings: string[];
}

async function cli(argv: string[], stdin?: Buffer) {
  const stdout = new OutputCollector(false);
  const stderr = new OutputCollector(false);
  const input = Object.assign(Readable.from(stdin ? [stdin] : []), {isTTY: stdin === undefined});
  const code = await runCli({argv, env: {RUNLENS_NOW: NOW_ISO, RUNLENS_CONFIG_DIR: scratch}, stdin: input, stdout, stderr, now: () => Date.parse(NOW_ISO)});
  const warnings = stderr.text.split('\n').filter(Boolean).map((line) => line.replace(/^runlens: /, ''));
  return {code, stdout: stdout.text, warnings};
}

const sorted = (runs: Array<{id: string; status: string}>) => runs.map((run) => `${run.id}:${run.status}`).sort();

/** The TUI's first load: as `runTui` asks for it. */
async function tuiLoad(file: string): Promise<Seen> {
  const loaded = await loadRunsFromSources([file], {onProgress: () => undefined, detachRuns: true});
  return {runs: sorted(loaded.runs), warnings: loaded.warnings.map(formatWarning)};
}

async function printList(file: string, ...extra: string[]): Promise<Seen> {
  const result = await cli(['list', file, '--json', ...extra]);
  expect(result.code).toBe(0);
  return {runs: sorted(JSON.parse(result.stdout) as Array<{id: string; status: string}>), warnings: result.warnings};
}

async function printStats(file: string): Promise<Seen> {
  const result = await cli(['stats', file, '--json']);
  const stats = JSON.parse(result.stdout) as {runs: number; by_status: Array<{status: string; runs: number}>};
  // Stats name no runs: their count by status stands for them.
  return {runs: stats.by_status.flatMap((entry) => Array.from({length: entry.runs}, () => entry.status)).sort(), warnings: result.warnings};
}

/** Every case, checked in every mode. */
function checkEveryMode(cases: () => Case[], label: string) {
  describe(label, () => {
    it('the TUI load', async () => {
      for (const {file, runs, warnings} of cases()) expect(await tuiLoad(file), file).toEqual({runs, warnings});
    });

    it('list, streaming (--json in the order read)', async () => {
      for (const {file, runs, warnings} of cases()) expect(await printList(file), file).toEqual({runs, warnings});
    });

    it('list, sorted (--sort id)', async () => {
      for (const {file, runs, warnings} of cases()) expect(await printList(file, '--sort', 'id'), file).toEqual({runs, warnings});
    });

    it('stats', async () => {
      for (const {file, runs, warnings} of cases()) {
        expect(await printStats(file), file).toEqual({runs: runs.map((run) => run.slice(run.indexOf(':') + 1)).sort(), warnings});
      }
    });

    it('stuck: the waiting runs, and no other', async () => {
      for (const {file, runs, warnings} of cases()) {
        const result = await cli(['stuck', file, '--json']);
        const waiting = runs.filter((run) => run.endsWith(':requires_action')).map((run) => run.slice(0, run.indexOf(':')));
        expect((JSON.parse(result.stdout) as Array<{id: string}>).map((run) => run.id).sort(), file).toEqual(waiting);
        expect(result.warnings, file).toEqual(warnings);
      }
    });

    it('show: every run that loads, and not the broken ones', async () => {
      for (const {file, runs, warnings} of cases()) {
        // A few of each file: the first, the last, and one waiting.
        const ids = runs.map((run) => run.slice(0, run.indexOf(':')));
        for (const id of new Set([ids[0]!, ids.at(-1)!, ...ids.filter((_, index) => runs[index]!.endsWith(':requires_action')).slice(0, 1)])) {
          const result = await cli(['show', id, file, '--json']);
          expect(result.code, `${file} ${id}`).toBe(0);
          expect((JSON.parse(result.stdout) as {id: string}).id).toBe(id);
          expect(result.warnings).toEqual(warnings);
        }
      }
    });
  });
}

/** test/fixtures/broken-items, each file as it loads. */
const FIXTURES: Record<string, {runs: string[]; warnings: string[]}> = {
  'three-nan.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [":57:19: invalid JSON in item 1: Unexpected token 'N'; skipped"],
  },
  'three-nan.json.zst': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [":57:19: invalid JSON in item 1: Unexpected token 'N'; skipped"],
  },
  'trailing-comma.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [':91:4: a trailing comma after the last item; ignored'],
  },
  'run-trailing-comma.json': {runs: ['run_itemsDone:completed'], warnings: [':37:16: a trailing comma; ignored']},
  'envelope-stray-token.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [':57:29: invalid JSON in data[1]: Expected double-quoted property name; skipped'],
  },
  // The same file gzip-compressed, under a name that does not say so.
  'gzip-named.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [':57:29: invalid JSON in data[1]: Expected double-quoted property name; skipped'],
  },
  'envelope-data-first.json': {
    runs: ['run_itemsWaiting:requires_action'],
    warnings: [":1:601: invalid JSON in data[0]: Expected ',' or ']' after array element; skipped"],
  },
  // Every list shape, with one broken item: the warning its shape gets as a whole, and the item's.
  'data-only-nan.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [': {"data": [...]} without "object": "list"; read as a list', ":58:21: invalid JSON in data[1]: Unexpected token 'N'; skipped"],
  },
  'runs-key-stray.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [': {"runs": [...]} read as a list of runs', ":56:28: invalid JSON in runs[1]: Expected ',' or '}' after property value; skipped"],
  },
  // A missing comma between two fields of data[1]; the page's first_id comes after its data.
  'foundry-page-missing-comma.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [":59:7: invalid JSON in data[1]: Expected ',' or '}' after property value; skipped"],
  },
  'pascal-list-nan.json': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [
      ": run_itemsWaiting: field names in PascalCase (a PowerShell object) read as the API's snake_case names; free-form objects (metadata, parameters) keep their keys (said once per source)",
      ":59:20: invalid JSON in data[1]: Unexpected token 'N'; skipped",
    ],
  },
  'lines.jsonl.gz': {
    runs: ['run_itemsDone:completed', 'run_itemsWaiting:requires_action'],
    warnings: [":2:143: Unexpected token 'c'; line skipped"],
  },
  'recorded.sse.txt.gz': {runs: ['run_Qm3xT8vLk2PzR7nB4cW9yHdE:requires_action'], warnings: []},
};

describe('test/fixtures/broken-items', () => {
  it('has an expectation for every file in the folder', () => {
    expect(readdirSync(ITEMS).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it('its broken items are where the warnings say', () => {
    const text = readFileSync(item('three-nan.json'), 'utf8');
    expect(text.split('\n')[56]!.slice(18, 21)).toBe('NaN');
    expect(readFileSync(item('trailing-comma.json'), 'utf8').split('\n')[90]).toBe('  },');
    expect(readFileSync(item('data-only-nan.json'), 'utf8').split('\n')[57]!.slice(20, 23)).toBe('NaN');
    expect(readFileSync(item('runs-key-stray.json'), 'utf8').split('\n')[55]!.slice(27, 31)).toBe('oops');
    expect(readFileSync(item('foundry-page-missing-comma.json'), 'utf8').split('\n').slice(57, 59)).toEqual(['      "created_at": 1795600060', '      "assistant_id": "asst_items",']);
    expect(readFileSync(item('pascal-list-nan.json'), 'utf8').split('\n')[58]!.slice(19, 22)).toBe('NaN');
  });
});

checkEveryMode(
  () => [
    ...Object.entries(FIXTURES).map(([name, {runs, warnings}]) => ({file: item(name), runs, warnings: warnings.map((warning) => `${item(name)}${warning}`)})),
    {file: path.join(SSE, 'recorded-no-blank-lines.sse.txt'), runs: ['run_Qm3xT8vLk2PzR7nB4cW9yHdE:requires_action'], warnings: []},
  ],
  'small files of each shape, in every mode',
);

/** A run of the 2,000: every seventh waits for tool outputs. */
function bigRun(index: number): Record<string, unknown> {
  const waiting = index % 7 === 0;
  return {
    id: `run_big${String(index).padStart(4, '0')}`,
    object: 'thread.run',
    created_at: 1_795_600_000 + index,
    thread_id: `thread_big${index % 40}`,
    assistant_id: 'asst_big',
    status: waiting ? 'requires_action' : 'completed',
    model: 'gpt-4o',
    instructions: `Run ${index}: answer with "quotes", \\ backslashes, ] and } in text.`,
    required_action: waiting ? {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: `call_${index}`, type: 'function', function: {name: 'lookup_order', arguments: '{"order_id":"A-1"}'}}]}} : null,
    tools: [{type: 'function', function: {name: 'lookup_order', parameters: {type: 'object', properties: {order_id: {type: 'string'}}}}}],
  };
}

const BIG = 2000;
const allBig = () => Array.from({length: BIG}, (_, index) => bigRun(index));
const expectedRuns = (skip: readonly number[]) =>
  sorted(allBig().filter((_, index) => !skip.includes(index)) as Array<{id: string; status: string}>);
/** `file:line:column` of the first `needle` in `text`. */
const at = (file: string, text: string, needle: string, from = 0) => {
  const {line, column} = locateOffset(text, text.indexOf(needle, from));
  return `${file}:${line}:${column}`;
};

const bigCases: Case[] = [];
beforeAll(async () => {
  // A pretty-printed array (over 64 KB: the TUI reads it in pieces) with a stray token in item 1234.
  const pretty = path.join(scratch, 'two-thousand.json');
  const prettyText = JSON.stringify(allBig(), null, 2).replace('"id": "run_big1234",', '"id": "run_big1234" x,');
  writeFileSync(pretty, prettyText);
  const stray = at(pretty, prettyText, 'x,', prettyText.indexOf('"run_big1234"'));
  bigCases.push({file: pretty, runs: expectedRuns([1234]), warnings: [`${stray}: invalid JSON in item 1234: Expected ',' or '}' after property value; skipped`]});

  // A compact list envelope, gzip-compressed: NaN in data[7], a bracket that does not match in
  // data[800], a trailing comma after the last item.
  const envelope = path.join(scratch, 'two-thousand-envelope.json.gz');
  const runs = allBig().map((run) => JSON.stringify(run));
  runs[7] = runs[7]!.replace('"created_at":1795600007', '"created_at":NaN');
  runs[800] = runs[800]!.replace('"tools":[{', '"tools":[{"type":"function"}}, {');
  const envelopeText = `{"object":"list","data":[${runs.join(',')},],"has_more":false}`;
  writeFileSync(envelope, gzipSync(envelopeText));
  bigCases.push({
    file: envelope,
    runs: expectedRuns([7, 800]),
    warnings: [
      `${at(envelope, envelopeText, 'NaN')}: invalid JSON in data[7]: Unexpected token 'N'; skipped`,
      // At the `}` too many, which closes the item early: the rest of it is read as an item of
      // its own, and the `]` of its tools as the end of the data. The comma after the envelope's
      // end says so, and the items after it are read too.
      `${at(envelope, envelopeText, '}, {', envelopeText.indexOf('"tools":[{"type":"function"}}'))}: invalid JSON in data[800]: Expected ',' or ']' after array element; skipped`,
      `${envelope}: data[801] is an object without "object": "thread.run", not a run; skipped`,
      `${at(envelope, envelopeText, ',{"id":"run_big0801"')}: the brackets before this do not match (the document seemed to end here); the items after it are read too`,
      `${at(envelope, envelopeText, ',],"has_more"')}: a trailing comma after the last item; ignored`,
    ],
  });

  // Each other list shape, compact, with items broken as people break them.
  const compact = (transform: (run: Record<string, unknown>) => unknown = (run) => run) => allBig().map((run) => JSON.stringify(transform(run)));
  const shapes: Array<{name: string; text: (runs: string[]) => string; items: string[]; warnings: (file: string, text: string) => string[]; skip: number[]}> = [];
  {
    const items = compact();
    items[42] = items[42]!.replace('"created_at":1795600042', '"created_at":NaN');
    shapes.push({
      name: 'two-thousand-data-only.json',
      text: (runs) => `{"data":[${runs.join(',')}]}`,
      items,
      skip: [42],
      warnings: (file, text) => [`${file}: {"data": [...]} without "object": "list"; read as a list`, `${at(file, text, 'NaN')}: invalid JSON in data[42]: Unexpected token 'N'; skipped`],
    });
  }
  {
    const items = compact();
    items[999] = items[999]!.replace('"status":"completed"', '"status":"completed" oops');
    shapes.push({
      name: 'two-thousand-runs-key.json',
      text: (runs) => `{"runs":[\n${runs.join(',\n')}\n]}\n`,
      items,
      skip: [999],
      warnings: (file, text) => [`${file}: {"runs": [...]} read as a list of runs`, `${at(file, text, 'oops')}: invalid JSON in runs[999]: Expected ',' or '}' after property value; skipped`],
    });
  }
  {
    // A missing comma between two fields (data[1500] is lost) and one between two items (both load).
    const items = compact();
    items[1500] = items[1500]!.replace(',"thread_id"', ' "thread_id"');
    shapes.push({
      name: 'two-thousand-foundry-page.json',
      text: (runs) => `{"data":[${runs.map((run, index) => (index === 0 ? '' : index === 1701 ? ' ' : ',') + run).join('')}],"first_id":"run_big0000","last_id":"run_big1999","has_more":true}`,
      items,
      skip: [1500],
      warnings: (file, text) => [
        `${at(file, text, '"thread_id"', text.indexOf(' "thread_id"'))}: invalid JSON in data[1500]: Expected ',' or '}' after property value; skipped`,
        `${at(file, text, '{"id":"run_big1701"')}: a missing comma before this item; read as if it were there`,
      ],
    });
  }
  {
    // As PowerShell names the fields; its lists say "Object" and "Data".
    const pascalKey = (key: string) => key.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
    const pascal = (value: unknown, free = false): unknown => {
      if (Array.isArray(value)) return value.map((entry) => pascal(entry, free));
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [free ? key : pascalKey(key), pascal(entry, free || key === 'parameters')]));
    };
    const items = compact((run) => pascal(run));
    items[3] = items[3]!.replace('"CreatedAt":1795600003', '"CreatedAt":NaN');
    shapes.push({
      name: 'two-thousand-pascal.json',
      text: (runs) => `{"Object":"list","Data":[${runs.join(',')}],"FirstId":"run_big0000","HasMore":false}`,
      items,
      skip: [3],
      warnings: (file, text) => [
        `${file}: run_big0000: field names in PascalCase (a PowerShell object) read as the API's snake_case names; free-form objects (metadata, parameters) keep their keys (said once per source)`,
        `${at(file, text, 'NaN')}: invalid JSON in data[3]: Unexpected token 'N'; skipped`,
      ],
    });
  }
  for (const shape of shapes) {
    const file = path.join(scratch, shape.name);
    const text = shape.text(shape.items);
    writeFileSync(file, text);
    bigCases.push({file, runs: expectedRuns(shape.skip), warnings: shape.warnings(file, text)});
  }
});

checkEveryMode(() => bigCases, '2,000 items (a pretty-printed array; a compact list envelope, gzip-compressed; each other list shape), in every mode');

describe('compressed input', () => {
  it('stdin that is gzip or zstd is decompressed, as a stream, in the TUI load and in print mode', async () => {
    for (const name of ['gzip-named.json', 'three-nan.json.zst', 'lines.jsonl.gz']) {
      const bytes = readFileSync(item(name));
      const expected = FIXTURES[name]!;
      const warnings = expected.warnings.map((warning) => `<stdin>${warning}`);
      const loaded = await loadRunsFromSources(['-'], {stdin: Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]), onProgress: () => undefined});
      expect({runs: sorted(loaded.runs), warnings: loaded.warnings.map(formatWarning)}, name).toEqual({runs: expected.runs, warnings});
      const listed = await cli(['list', '-', '--json'], bytes);
      expect({runs: sorted(JSON.parse(listed.stdout) as Array<{id: string; status: string}>), warnings: listed.warnings}, name).toEqual({runs: expected.runs, warnings});
    }
  });

  it('a folder picks up .gz and .zst files of every kind it reads, and .sse.txt transcripts', async () => {
    const folder = path.join(scratch, 'folder');
    await mkdir(folder);
    for (const name of readdirSync(ITEMS)) await copyFile(item(name), path.join(folder, name));
    await copyFile(path.join(SSE, 'recorded-no-blank-lines.sse.txt'), path.join(folder, 'recorded.sse.txt'));
    writeFileSync(path.join(folder, 'notes.txt.gz'), gzipSync('not a run file'));
    writeFileSync(path.join(folder, 'backup.gz'), gzipSync('{}'));
    const loaded = await loadRunsFromSources([folder]);
    expect(loaded.files.map((file) => path.basename(file))).toEqual([...readdirSync(ITEMS), 'recorded.sse.txt'].sort());
  });

  it('the TUI counts compressed bytes read against the compressed size', async () => {
    const file = path.join(scratch, 'progress.jsonl.gz');
    // Lines that do not compress well (pseudo-random noise), so the file is several 2 MB pieces
    // long (about 8 MB): the decompressor reads at most a piece or two ahead of what has been
    // parsed, so reports before the end exist however the reads and the parsing interleave (with
    // 120 characters a line the file was two pieces, and under load every report came after both).
    let seed = 7919;
    const noise = () => Array.from({length: 6000}, () => ((seed = (seed * 48271) % 2147483647) % 36).toString(36)).join('');
    const lines = allBig().map((run) => JSON.stringify({...run, metadata: {noise: noise()}}));
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`, {level: 1}));
    const size = readFileSync(file).length;
    const progress: LoadProgress[] = [];
    const loaded = await loadRunsFromSources([file], {onProgress: (report) => void progress.push({...report})});
    expect(loaded.runs).toHaveLength(BIG);
    expect(progress.every((report) => report.totalBytes === size && report.bytesRead <= size)).toBe(true);
    expect(progress.at(-1)!.bytesRead).toBe(size);
    expect(progress.filter((report) => report.bytesRead < size).length).toBeGreaterThan(0);
  });

  it('a compressed file cut short loads what comes before the cut, and says so', async () => {
    const whole = readFileSync(item('lines.jsonl.gz'));
    const file = path.join(scratch, 'cut.jsonl.gz');
    // The gzip trailer and the end of the deflate data are gone: the last line is incomplete.
    writeFileSync(file, whole.subarray(0, whole.length - 30));
    for (const seen of [await tuiLoad(file), await printList(file)]) {
      expect(seen.runs).toEqual(['run_itemsWaiting:requires_action']);
      expect(seen.warnings.at(-1)).toBe(`${file}: the gzip data stops early (unexpected end of file; cut short?); what came before is loaded`);
    }
  });
});
