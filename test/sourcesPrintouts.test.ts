/**
 * Files that are not JSON: Python and console.log printouts of runs load, through the loader as
 * the TUI reads them and through every print-mode command, giving the same runs as the JSON they
 * were printed from; a file of another known kind gets one line saying what it looks like and what
 * runlens reads; broken JSON keeps its JSON error.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {inspect} from 'node:util';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {describeShape, RUNLENS_READS} from '../src/sources/otherShapes.js';
import {loadRunsFromSources, type LoadedRuns} from '../src/sources/loadSources.js';
import {decodeRunFile} from '../src/sources/sniff.js';
import {formatWarning} from '../src/model/loadWarning.js';
import {OutputCollector} from './helpers/outputCollector.js';

const NOW_ISO = '2026-11-25T12:00:00Z';
const PYTHON = path.resolve('test/fixtures/python');
const EXAMPLES = path.resolve('examples');
const py = (name: string) => path.join(PYTHON, name);

let scratch: string;
let configDir: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'runlens-printouts-'));
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-printouts-config-'));
});
afterAll(() => {
  rmSync(scratch, {recursive: true, force: true});
  rmSync(configDir, {recursive: true, force: true});
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

async function cli(argv: string[], stdin?: string): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout = new OutputCollector(false, undefined);
  const stderr = new OutputCollector(false, undefined);
  const input = Object.assign(Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]), {isTTY: stdin === undefined});
  const code = await runCli({argv, env: {RUNLENS_NOW: NOW_ISO, RUNLENS_CONFIG_DIR: configDir}, stdin: input, stdout, stderr, now: () => Date.parse(NOW_ISO)});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

const ids = (loaded: LoadedRuns) => loaded.runs.map((run) => run.id);
const texts = (loaded: LoadedRuns) => loaded.warnings.map(formatWarning);
/** As the TUI loads files: piece by piece with progress, runs of large files kept small. */
const loadAsTui = (sources: string[]) => loadRunsFromSources(sources, {onProgress: () => undefined, detachRuns: true});
/** A JSON value without its null members (key order never counts in toEqual). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null).map(([key, item]) => [key, withoutNulls(item)]));
}
const jsonIds = (stdout: string) => (JSON.parse(stdout) as Array<{id: string}>).map((run) => run.id);

describe('Python printouts load as the runs they print', () => {
  const cases = [
    ['print-run.txt', 'stuck/requires-action.json', ['run_fbjG5CJOvUfeNO1F3Ehy9c7t']],
    ['print-runs.txt', 'stuck/requires-action.json', null],
    ['page.txt', 'support-desk/list-page-1.json', null],
  ] as const;

  for (const [name, original, only] of cases) {
    it(`${name}: the same runs as ${original}, in the TUI's load and in list, show, stuck and stats`, async () => {
      const file = py(name);
      const json = path.join(EXAMPLES, original);
      const loaded = await loadAsTui([file]);
      expect(texts(loaded)).toEqual([]);
      const fromJson = await loadRunsFromSources([json]);
      const expected = only ? [...only] : ids(fromJson);
      expect(ids(loaded)).toEqual(expected);

      // Print mode, streaming (read order) and sorted.
      expect(jsonIds((await cli(['list', '--json', file])).stdout)).toEqual(expected);
      const sortedFromJson = jsonIds((await cli(['list', '--json', '--sort', 'created', json])).stdout).filter((id) => expected.includes(id));
      expect(jsonIds((await cli(['list', '--json', '--sort', 'created', file])).stdout)).toEqual(sortedFromJson);
      // What the commands work out from the runs is what they work out from the JSON.
      if (!only) {
        for (const command of [['stuck', '--json'], ['stats', '--json'], ['list']]) {
          const fromPrintout = await cli([...command, file]);
          expect(fromPrintout.stderr).toBe('');
          expect(fromPrintout.stdout).toBe((await cli([...command, json])).stdout);
        }
      }
      // show --json: the object as the JSON has it, but for the fields Python prints as None
      // where the JSON left them out.
      for (const id of expected) {
        const shown = await cli(['show', id, '--json', file]);
        expect(shown.code).toBe(0);
        expect(withoutNulls(JSON.parse(shown.stdout))).toEqual(withoutNulls(JSON.parse((await cli(['show', id, '--json', json])).stdout)));
      }
    });
  }

  it('print(run.to_dict()) and pprint.pprint([...]) load, and read from stdin too', async () => {
    const expected = JSON.parse(readFileSync(py('expected.json'), 'utf8')) as Record<string, unknown[]>;
    for (const name of ['to-dict.txt', 'pprint.txt']) {
      const loaded = await loadAsTui([py(name)]);
      expect(texts(loaded)).toEqual([]);
      const printed = [expected[name]![0]].flat() as Array<{id: string}>;
      expect(ids(loaded)).toEqual(printed.map((run) => run.id));
      expect(loaded.runs.map((run) => run.raw)).toEqual(printed);
      const piped = await cli(['list', '--json', '-'], readFileSync(py(name), 'utf8'));
      expect(piped.stderr).toBe('');
      expect(jsonIds(piped.stdout)).toEqual(ids(loaded));
    }
  });

  it('a log of print(run) lines with one cut short: the others load, the cut one is named by line and column', async () => {
    const loaded = await loadAsTui([py('log.txt')]);
    expect(loaded.runs).toHaveLength(4);
    expect(loaded.runs.map((run) => run.source.line)).toEqual([1, 2, 4, 5]);
    expect(texts(loaded)).toEqual([`${py('log.txt')}:3:224: Python printout breaks here: a string begun here is not closed on its line; this value is skipped`]);
    const listed = await cli(['list', '--json', py('log.txt')]);
    expect(jsonIds(listed.stdout)).toEqual(ids(loaded));
    expect(listed.stderr).toBe(`runlens: ${py('log.txt')}:3:224: Python printout breaks here: a string begun here is not closed on its line; this value is skipped\n`);
  });

  it('a large Python list (past the size the TUI reads item by item) loads whole, as in print mode', async () => {
    const one = readFileSync(py('print-run.txt'), 'utf8').trim();
    const copies = Array.from({length: 40}, (_, index) => one.replace("Run(id='run_fbjG5CJOvUfeNO1F3Ehy9c7t'", `Run(id='run_copy${index}'`));
    const file = write('many-runs.txt', `[${copies.join(', ')}]\n`);
    expect(readFileSync(file).length).toBeGreaterThan(128 * 1024);
    const loaded = await loadAsTui([file]);
    expect(texts(loaded)).toEqual([]);
    expect(ids(loaded)).toEqual(copies.map((_, index) => `run_copy${index}`));
    expect(jsonIds((await cli(['list', '--json', file])).stdout)).toEqual(ids(loaded));
  });

  it('a Python printout that breaks says where, and loads nothing it cannot read', async () => {
    const file = write('broken.txt', "Run(id='run_1', status='queued',\n    created_at=1793610000 thread_id='thread_1')\n");
    const loaded = await loadRunsFromSources([file]);
    expect(loaded.runs).toEqual([]);
    expect(texts(loaded)).toEqual([`${file}:2:27: Python printout breaks here: expected ',' or ')' in Run( opened at 1:1, not 't'; nothing loaded`]);
  });
});

describe("console.log's output", () => {
  const run = {
    id: 'run_fromNode',
    object: 'thread.run',
    created_at: 1795607680,
    status: 'requires_action',
    thread_id: 'thread_n',
    assistant_id: 'asst_n',
    model: 'gpt-4o',
    required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'get_weather', arguments: '{"city":"Paris"}'}}]}},
    tools: [{type: 'function', function: {name: 'get_weather', parameters: {type: 'object', properties: {city: {type: 'string'}}}}}],
    metadata: {note: "it's here"},
  };

  it('util.inspect at full depth loads as the run, in every mode', async () => {
    const file = write('node-full.txt', `${inspect(run, {depth: null})}\n`);
    const loaded = await loadAsTui([file]);
    expect(texts(loaded)).toEqual([]);
    expect(loaded.runs[0]!.raw).toEqual(run);
    expect(jsonIds((await cli(['list', '--json', file])).stdout)).toEqual(['run_fromNode']);
    const stuck = await cli(['stuck', '--json', file]);
    expect(JSON.parse(stuck.stdout)).toMatchObject([{id: 'run_fromNode', pending_functions: ['get_weather']}]);
  });

  it('console.log at its default depth loads what it shows, with one line on what it left out and how to print all', async () => {
    const file = write('node-cut.txt', `${inspect(run)}\n`);
    const loaded = await loadRunsFromSources([file]);
    expect(ids(loaded)).toEqual(['run_fromNode']);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes('[Array]')) + 1;
    expect(texts(loaded)[0]).toMatch(
      new RegExp(`^${file}:${line}:\\d+: the console\\.log printout leaves parts out \\(\\[Array\\] here and in 1 more place\\); they read as text\\. JSON\\.stringify\\(run\\) prints all of it$`),
    );
  });
});

describe('a file of another kind: one line saying what it looks like and what runlens reads', () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);
  const cases: Array<[string, string | Buffer, string]> = [
    ['runs.yaml', 'id: run_1\nobject: thread.run\nstatus: queued\n', `looks like YAML; ${RUNLENS_READS} (convert it to JSON first)`],
    ['runs.csv', 'id,status,model,created_at\nrun_1,queued,gpt-4o,1793610000\nrun_2,failed,gpt-4o,1793610001\n', `looks like CSV (4 columns: id, status, model, …), not runs; ${RUNLENS_READS}`],
    ['error.html', '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>\n', `looks like an HTML page ("502 Bad Gateway"): a saved web page or a server's error page, not runs; ${RUNLENS_READS}`],
    ['feed.xml', '<?xml version="1.0"?>\n<runs><run id="run_1"/></runs>\n', `looks like an XML document, not runs; ${RUNLENS_READS}`],
    ['curl.txt', 'HTTP/2 200\ncontent-type: application/json\n\n{"id": "run_1"}\n', 'looks like an HTTP response with its headers (curl -i); runlens reads the body alone (curl without -i)'],
    ['trace.txt', 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: \'id\'\n', `looks like a Python traceback (an error), not runs; ${RUNLENS_READS}`],
    ['chat.md', '```json\n{\n  "id": "run_1"\n}\n```\n', `looks like Markdown with a code block; ${RUNLENS_READS}: save what is inside the block on its own`],
    ['runs.zip', zip, 'looks like a zip archive; runlens reads the files in it once unzipped'],
    ['utf16.json', Buffer.from('{"id": "run_1"}', 'utf16le'), 'looks like UTF-16 text without a byte order mark; runlens reads UTF-8, or UTF-16 that starts with one'],
    ['blob.json', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x03]), `looks like binary data, not text; ${RUNLENS_READS}`],
  ];

  for (const [name, content, message] of cases) {
    it(name, async () => {
      const file = write(name, content);
      const loaded = await loadRunsFromSources([file]);
      expect(loaded.runs).toEqual([]);
      expect(texts(loaded)).toEqual([`${file}: ${message}`]);
      const listed = await cli(['list', file]);
      expect(listed.stderr).toBe(`runlens: ${file}: ${message}\nrunlens: no runs could be loaded from ${file}\n`);
    });
  }

  it("runlens's own piped list output says how to write runs it can read back", async () => {
    const tsv = write('list.tsv', (await cli(['list', path.join(EXAMPLES, 'stuck')])).stdout);
    expect(texts(await loadRunsFromSources([tsv]))).toEqual([
      `${tsv}: looks like runlens's own TSV output (runlens list, piped): a table of runs, not the runs; runlens list --json writes runs that runlens reads back`,
    ]);
  });

  it('compressed data is named by its magic number (an empty gzip too)', () => {
    expect(describeShape(decodeRunFile(gzipSync(Buffer.alloc(0))))).toBe('looks like gzip-compressed data; runlens reads it uncompressed (zcat FILE | runlens -)');
    expect(describeShape(decodeRunFile(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00])))).toBe('looks like zstd-compressed data; runlens reads it uncompressed (zstdcat FILE | runlens -)');
    expect(describeShape(decodeRunFile(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))).toBe('looks like xz-compressed data; runlens reads it uncompressed (xzcat FILE | runlens -)');
  });

  it('a title from an HTML page is shown escaped, like every string from a file', async () => {
    const file = write('hostile.html', '<html><head><title>\u001b]0;pwned\u0007 \u202eevil</title></head></html>');
    const listed = await cli(['list', file]);
    expect(listed.stderr).toContain('looks like an HTML page ("\\x1b]0;pwned\\x07 \\u202eevil")');
  });

  it('broken JSON keeps its JSON error, with line and column', async () => {
    const cases: Array<[string, string]> = [
      // (A single trailing comma loads, with a warning: see sourcesEveryMode.test.ts.)
      ['{"id": "run_1",\n "status": "queued",,}\n', ':2:21: invalid JSON: Expected double-quoted property name'],
      ['{"id": "run_1" "status": "queued"}', ":1:16: invalid JSON: Expected ',' or '}' after property value"],
      ['{"id": "run_1", "temperature": NaN}', ":1:32: invalid JSON: Unexpected token 'N'"],
      ['hello', ":1:1: invalid JSON: Unexpected token 'h'"],
    ];
    for (const [index, [text, warning]] of cases.entries()) {
      const file = write(`broken-${index}.json`, text);
      expect(texts(await loadRunsFromSources([file]))).toEqual([`${file}${warning}`]);
    }
  });
});

describe('describeShape', () => {
  it('names nothing in a text that looks like nothing in particular', () => {
    for (const text of ['Error: connect ECONNREFUSED 127.0.0.1:443', 'hello world', '{"id": "run_1",', 'run_1', 'Internal Server Error\n']) {
      expect([text, describeShape(text)]).toEqual([text, null]);
    }
  });
});
