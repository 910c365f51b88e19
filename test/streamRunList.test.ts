/**
 * `runlens list` reading as it streams: the same runs as loading everything and filtering with the
 * TUI's filter (whatever the prefilter skips), output that starts before the input ends, `--limit`
 * that stops reading, and `--json` that stays one valid JSON array.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {parseCli, queryFrom} from '../src/cli/args.js';
import {runCli} from '../src/cli/main.js';
import {leadingId} from '../src/sources/jsonLinesScanner.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {KNOWN_STATUSES} from '../src/model/run.js';
import {filterRuns} from '../src/store/listView.js';
import {OutputCollector} from './helpers/outputCollector.js';
import {streamList} from './helpers/streamList.js';

const NOW_ISO = '2026-11-25T12:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);
const NOW_SECONDS = NOW_MS / 1000;

const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-stream-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** A JSON string literal with every `/` written `\/` and some other characters as `\uXXXX` (`pick` chooses which). */
function escapedLiteral(text: string, pick: readonly boolean[]): string {
  let out = '"';
  [...text].forEach((char, index) => {
    const code = char.codePointAt(0)!;
    if (char === '/') out += '\\/';
    else if (pick[index % pick.length] && code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += JSON.stringify(char).slice(1, -1);
  });
  return `${out}"`;
}

const STATUSES = ['requires_action', 'failed', 'completed', 'queued', 'requires_action_2', 'unknown'] as const;
/** Statuses as servers and people write them: the documented ones in other cases and spellings too. */
const DATA_STATUSES = [...STATUSES, 'REQUIRES_ACTION', 'Completed', 'rEqUiReS_aCtIoN', 'requires-action', 'Failed ', 'FAILED', 'REQUIRES_ACTION_2'] as const;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'o3', 'gpt/4', 'm"q', 'é-model'] as const;
const DATA_MODELS = [...MODELS, 'GPT-4o', 'É-model'] as const;
const hostile = fc.oneof(
  fc.string({unit: 'binary'}),
  fc.constantFrom('requires_action', 'failed', 'gpt-4o', '\u001b[31mred', '\u202eevil', 'requires\\u005faction', 'K\u212a'),
);

interface RunSpec {
  /** Field names in PascalCase, as a PowerShell object writes them. */
  pascal: boolean;
  status: string | null | number;
  model: string | null;
  note: string;
  escapeStatus: readonly boolean[] | null;
  escapeModel: readonly boolean[] | null;
  indent: string;
  crlf: boolean;
}

const runSpec: fc.Arbitrary<RunSpec> = fc.record({
  pascal: fc.boolean(),
  status: fc.oneof(fc.constantFrom(...DATA_STATUSES), fc.constant(null), fc.constant(7)),
  model: fc.oneof(fc.constantFrom(...DATA_MODELS), fc.constant(null)),
  note: hostile,
  escapeStatus: fc.option(fc.array(fc.boolean(), {minLength: 1, maxLength: 4})),
  escapeModel: fc.option(fc.array(fc.boolean(), {minLength: 1, maxLength: 4})),
  indent: fc.constantFrom('', ' ', '\t'),
  crlf: fc.boolean(),
});

/** One line: a run whose status and model may be spelled with escapes, with their text in other fields. */
function lineFor(spec: RunSpec, index: number): string {
  const key = (name: string) => JSON.stringify(spec.pascal ? name.replace(/(^|_)([a-z])/g, (_all, _sep, letter: string) => letter.toUpperCase()) : name);
  const parts = [`${key('id')}:${JSON.stringify(`run_${index}`)}`, `${key('object')}:"thread.run"`];
  if (typeof spec.status === 'string') parts.push(`${key('status')}:${spec.escapeStatus ? escapedLiteral(spec.status, spec.escapeStatus) : JSON.stringify(spec.status)}`);
  else if (spec.status !== null) parts.push(`${key('status')}:${spec.status}`);
  if (spec.model !== null) parts.push(`${key('model')} : ${spec.escapeModel ? escapedLiteral(spec.model, spec.escapeModel) : JSON.stringify(spec.model)}`);
  // Metadata keeps its keys whatever the run's case; its "status" is no status of the run.
  parts.push(`${key('metadata')}:{"note":${JSON.stringify(spec.note)},"status":"requires_action","Status":"REQUIRES_ACTION","model":"gpt-4o"}`);
  parts.push(`${key('last_error')}:{${key('code')}:"failed",${key('message')}:${JSON.stringify(spec.note)}}`);
  return `${spec.indent}{${parts.join(',')}}${spec.crlf ? '\r' : ''}`;
}

const extraLine = fc.constantFrom('', '   ', '{"status":"requires_action", broken', '[1,2]', '{"object":"thread.message","status":"failed"}');

describe('streamRunList', () => {
  it('lists the same runs, in the same order, as loading everything and filtering', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(runSpec, fc.option(extraLine, {freq: 4})), {maxLength: 25}),
        fc.subarray([...STATUSES]),
        fc.option(fc.constantFrom(...MODELS)),
        fc.option(fc.constantFrom('gpt', 'requires', 'é', 'k')),
        fc.integer({min: 1, max: 64}),
        async (entries, statuses, model, search, chunkBytes) => {
          const lines: string[] = [];
          entries.forEach(([spec, extra], index) => {
            lines.push(lineFor(spec, index));
            if (extra !== null) lines.push(extra);
          });
          const file = path.join(scratch, 'property.jsonl');
          writeFileSync(file, lines.join('\n'));
          const argv = ['list', file, '--json'];
          if (statuses.length > 0) argv.push('--status', statuses.join(','));
          if (model !== null) argv.push('--model', model);
          if (search !== null) argv.push('--search', search);
          const options = parseCli(argv);
          const query = queryFrom(options);

          const loaded = await loadRunsFromSources([file]);
          const expected = filterRuns(loaded.runs, query, NOW_SECONDS).map((run) => run.raw);

          const {code, stdout} = await streamList([file], options, NOW_SECONDS, chunkBytes);
          if (loaded.runs.length === 0) return;
          expect(code).toBe(0);
          expect(JSON.parse(stdout)).toEqual(expected);
        },
      ),
      {numRuns: 300},
    );
  });
});

/** A documented status as a server or a person may write it: any mix of case, `_` or `-` or a space or nothing between words. */
const spelledStatus = fc
  .tuple(fc.mixedCase(fc.constantFrom(...KNOWN_STATUSES)), fc.constantFrom('_', '-', ' ', ''))
  .map(([status, separator]) => status.replace(/_/g, separator));

describe('streamRunList: statuses in any case', () => {
  // No hostile text here: a line with a `\u` escape anywhere is never ruled out, which would hide a prefilter that drops these lines.
  it('lists the same runs as loading everything and filtering, the prefilter letting every spelling through', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({status: fc.oneof(spelledStatus, fc.constantFrom('paused_for_review', 'PAUSED_FOR_REVIEW')), pascal: fc.boolean(), spaced: fc.boolean()}), {minLength: 1, maxLength: 20}),
        fc.subarray([...KNOWN_STATUSES, 'paused_for_review'], {minLength: 1}),
        fc.integer({min: 8, max: 256}),
        async (entries, statuses, chunkBytes) => {
          const lines = entries.map(({status, pascal, spaced}, index) => {
            const colon = spaced ? ':  ' : ':';
            const [id, object, statusKey] = pascal ? ['Id', 'Object', 'Status'] : ['id', 'object', 'status'];
            return `{"${id}"${colon}"run_${index}","${object}"${colon}"thread.run","${statusKey}"${colon}${JSON.stringify(status)},"metadata":{"status":"queued"}}`;
          });
          const file = path.join(scratch, 'cases.jsonl');
          writeFileSync(file, lines.join('\n'));
          const options = parseCli(['list', file, '--json', '--status', statuses.join(',')]);
          const query = queryFrom(options);
          const expected = filterRuns((await loadRunsFromSources([file])).runs, query, NOW_SECONDS).map((run) => run.id);
          const {stdout} = await streamList([file], options, NOW_SECONDS, chunkBytes);
          expect((JSON.parse(stdout) as Array<{id?: string; Id?: string}>).map((run) => run.id)).toEqual(expected);
        },
      ),
      {numRuns: 200},
    );
  });
});

interface Io {
  stdin: PassThrough & {isTTY?: boolean};
  stdout: OutputCollector;
  stderr: OutputCollector;
  done: Promise<number>;
}

function startCli(argv: string[]): Io {
  const stdin: PassThrough & {isTTY?: boolean} = Object.assign(new PassThrough(), {isTTY: false});
  const stdout = new OutputCollector(false);
  const stderr = new OutputCollector(false);
  const done = runCli({argv, env: {RUNLENS_NOW: NOW_ISO}, stdin, stdout, stderr, now: () => NOW_MS});
  return {stdin, stdout, stderr, done};
}

const runLine = (id: string, status: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({id, object: 'thread.run', status, created_at: 1_764_000_000, model: 'gpt-4o', ...extra})}\n`;

/** Resolves once `check` holds, polling the event loop (the CLI reads stdin asynchronously). */
async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 2500 && !check(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
}

describe('runlens list on a stream', () => {
  it('from stdin, prints once the input ends (a later copy may still come), and the JSON is one valid array', async () => {
    const io = startCli(['list', '-', '--status', 'requires_action', '--json']);
    io.stdin.write(runLine('run_1', 'completed'));
    io.stdin.write(runLine('run_2', 'requires_action', {started_at: 1_764_000_010}));
    // Read, and held: (before the latest state won, run_2 printed here).
    await until(() => io.stdin.readableLength === 0);
    expect(io.stdout.text).toBe('');
    io.stdin.write(runLine('run_3', 'requires_action'));
    io.stdin.write(runLine('run_2', 'completed', {started_at: 1_764_000_010, completed_at: 1_764_000_020}));
    io.stdin.end(runLine('run_4', 'failed'));
    expect(await io.done).toBe(0);
    expect((JSON.parse(io.stdout.text) as Array<{id: string}>).map((run) => run.id)).toEqual(['run_3']);
    expect(io.stderr.text).toBe('');
  });

  it('--limit N prints the first N matches in their latest state, a run read twice where its last copy is', async () => {
    const io = startCli(['list', '-', '--status', 'failed', '--limit', '2']);
    io.stdin.write(runLine('run_1', 'in_progress', {started_at: 1_764_000_010}) + runLine('run_2', 'completed'));
    io.stdin.write(runLine('run_3', 'failed') + runLine('run_1', 'failed', {started_at: 1_764_000_010, failed_at: 1_764_000_030}));
    // Stdin is read to its end before anything prints (before the latest state won, --limit
    // stopped reading with input still to come).
    io.stdin.end(runLine('run_4', 'failed'));
    expect(await io.done).toBe(0);
    expect(io.stdout.text.split('\n').filter(Boolean).map((line) => line.split('\t').slice(0, 2).join(' '))).toEqual(['run_3 failed', 'run_1 failed']);
  });

  it('a bad line is a warning with file:line:col, and the lines after it still print', async () => {
    const io = startCli(['list', '-', '--json']);
    io.stdin.end(runLine('run_1', 'failed') + '{"id": "run_2", oops\n' + runLine('run_3', 'queued'));
    expect(await io.done).toBe(0);
    expect(io.stderr.text).toMatch(/^runlens: <stdin>:2:17: .*; line skipped\n$/);
    expect((JSON.parse(io.stdout.text) as Array<{id: string}>).map((run) => run.id)).toEqual(['run_1', 'run_3']);
  });

  it('a run read twice prints once; a copy written differently in the same state is a warning naming both lines, and the later one prints', async () => {
    const file = path.join(scratch, 'twice.jsonl');
    writeFileSync(file, runLine('run_1', 'failed') + runLine('run_1', 'failed') + runLine('run_1', 'failed', {model: 'o3'}));
    const io = startCli(['list', file]);
    expect(await io.done).toBe(0);
    const rows = io.stdout.text.split('\n').filter(Boolean);
    expect(rows).toHaveLength(1);
    // Before the latest state won, the first copy printed and the warning said so.
    expect(rows[0]!.split('\t')[2]).toBe('o3');
    expect(io.stderr.text).toBe(`runlens: ${file}:3: run_1 also appears in ${file}:2 with different content; showing this one\n`);
  });

  it('no match: an empty JSON array, exit 0; nothing loadable: exit 1 and no output', async () => {
    const none = startCli(['list', '-', '--status', 'expired', '--json']);
    none.stdin.end(runLine('run_1', 'failed'));
    expect(await none.done).toBe(0);
    expect(none.stdout.text).toBe('[]\n');
    const empty = startCli(['list', '-', '--json']);
    empty.stdin.end('\n\n');
    expect(await empty.done).toBe(1);
    expect(empty.stdout.text).toBe('');
    expect(empty.stderr.text).toContain('no runs could be loaded');
  });

  it('--sort keeps the matches only, then prints them sorted; a pretty-printed document takes the loader', async () => {
    const sorted = startCli(['list', '-', '--sort', 'id', '--status', 'failed']);
    sorted.stdin.end(runLine('run_b', 'failed') + runLine('run_c', 'completed') + runLine('run_a', 'failed'));
    expect(await sorted.done).toBe(0);
    expect(sorted.stdout.text.split('\n').filter(Boolean).map((line) => line.split('\t')[0])).toEqual(['run_a', 'run_b']);
    const pretty = startCli(['list', '-', '--json']);
    pretty.stdin.end(JSON.stringify([JSON.parse(runLine('run_x', 'failed')), JSON.parse(runLine('run_y', 'queued'))], null, 2));
    expect(await pretty.done).toBe(0);
    expect((JSON.parse(pretty.stdout.text) as Array<{id: string}>).map((run) => run.id)).toEqual(['run_x', 'run_y']);
  });
});

describe('runlens list --json writes nothing a terminal acts on', () => {
  it('bidi overrides and C1 controls, raw or as \\u escapes, come out escaped; plain lines as JSON.stringify writes them', async () => {
    const file = path.join(scratch, 'unsafe.jsonl');
    const lines = [
      JSON.stringify({id: 'run_plain', object: 'thread.run', status: 'failed', metadata: {note: 'tab\there "quoted" \\ back'}}),
      JSON.stringify({id: 'run_raw', object: 'thread.run', status: 'failed', metadata: {note: 'evil\u202eexe \u009b2J'}}),
      '{"id":"run_escaped","object":"thread.run","status":"failed","metadata":{"note":"evil\\u202eexe \\u009b2J"}}',
      '{"id":"run_del","object":"thread.run","status":"failed","metadata":{"note":"del\u007f"}}',
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    for (const argv of [['--status', 'failed'], []]) {
      const {code, stdout} = await streamList([file], parseCli(['list', file, '--json', ...argv]), NOW_SECONDS, 64);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/[\u007f-\u009f\u202e]/);
      const runs = JSON.parse(stdout) as Array<{id: string; metadata: {note: string}}>;
      expect(runs.map((run) => run.metadata.note)).toEqual(['tab\there "quoted" \\ back', 'evil\u202eexe \u009b2J', 'evil\u202eexe \u009b2J', 'del\u007f']);
      // Byte for byte what JSON.stringify of the array writes, escapes added where a character needs one.
      expect(stdout).toBe(`${JSON.stringify(runs, null, 2).replace(/[\u007f-\u009f\u202e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
    }
  });
});

describe('runlens list --status on a file written between its two reads', () => {
  const line = (id: string, status: string) => JSON.stringify({id, object: 'thread.run', status, created_at: 1_764_000_000});

  it('reads no further than the first read did, and tests lines rewritten in place again', async () => {
    const file = path.join(scratch, 'rewritten.jsonl');
    writeFileSync(file, `${line('run_a', 'failed')}\n${line('run_b', 'queued')}\n${line('run_c', 'failed')}\n`);
    const options = parseCli(['list', file, '--status', 'queued']);
    // The same length, other statuses: the first read's verdicts no longer hold.
    const rewritten = await streamList([file], options, NOW_SECONDS, 64, () => {
      writeFileSync(file, `${line('run_a', 'queued')}\n${line('run_b', 'failed')}\n${line('run_c', 'failed')}\n`);
    });
    expect(rewritten.stdout.split('\n').filter(Boolean).map((row) => row.split('\t')[0])).toEqual(['run_a']);
    // A log that grows: what was written after the first read is left for the next list.
    writeFileSync(file, `${line('run_a', 'queued')}\n`);
    const grown = await streamList([file], options, NOW_SECONDS, 64, () => {
      writeFileSync(file, `${line('run_a', 'queued')}\n${line('run_d', 'queued')}\n`);
    });
    expect(grown.stdout.split('\n').filter(Boolean).map((row) => row.split('\t')[0])).toEqual(['run_a']);
  });
});

describe('runlens list on compressed JSON Lines', () => {
  it('a .jsonl.gz is decompressed as it streams: prefiltered lines, --limit and a broken line as for a plain file', async () => {
    const lines = [runLine('run_1', 'failed'), '{"id": "run_2", "status": "failed", oops\n', runLine('run_3', 'completed'), runLine('run_4', 'failed'), runLine('run_5', 'failed')];
    const plain = path.join(scratch, 'plain.jsonl');
    const packed = path.join(scratch, 'packed.jsonl.gz');
    writeFileSync(plain, lines.join(''));
    writeFileSync(packed, gzipSync(lines.join('')));
    for (const argv of [['--status', 'failed', '--json'], ['--status', 'failed', '--limit', '2'], ['--json']]) {
      const fromPlain = startCli(['list', plain, ...argv]);
      const fromPacked = startCli(['list', packed, ...argv]);
      expect(await fromPacked.done).toBe(await fromPlain.done);
      expect(fromPacked.stdout.text).toBe(fromPlain.stdout.text);
      expect(fromPacked.stderr.text).toBe(fromPlain.stderr.text.replaceAll(plain, packed));
    }
    const limited = startCli(['list', packed, '--status', 'failed', '--limit', '2']);
    expect(await limited.done).toBe(0);
    expect(limited.stdout.text.split('\n').filter(Boolean).map((line) => line.split('\t')[0])).toEqual(['run_1', 'run_4']);
  });

  it('gzip on stdin is decompressed before its first line decides how to read it', async () => {
    const io = startCli(['list', '-', '--json']);
    io.stdin.end(gzipSync(runLine('run_1', 'failed') + runLine('run_2', 'queued')));
    expect(await io.done).toBe(0);
    expect((JSON.parse(io.stdout.text) as Array<{id: string}>).map((run) => run.id)).toEqual(['run_1', 'run_2']);
    expect(io.stderr.text).toBe('');
  });
});

describe('leadingId', () => {
  const idOf = (line: string) => {
    const bytes = Buffer.from(`xx${line}yy`);
    return leadingId(bytes, 2, bytes.length - 2);
  };

  it('reads the id of a line that starts with it, as JSON.parse would', () => {
    expect(idOf('{"id":"run_1","status":"queued"}')).toBe('run_1');
    expect(idOf(' \t{ "id" : "run_é日本" , "status": "queued"}\r')).toBe('run_é日本');
    expect(idOf('{"id":"","status":"queued"}')).toBe('');
  });

  it('leaves every other line to the parser: id not first, escapes, controls, cut lines, other values', () => {
    for (const line of ['{"object":"thread.run","id":"run_1"}', '{"id":"run_\\u0031"}', '{"id":"run\\"x"}', '{"id":"run\u00011"}', '{"id":"run_1', '{"id":7}', '[{"id":"run_1"}]', '{"idx":"run_1"}', '{"i"', '']) {
      expect(idOf(line), line).toBeNull();
    }
  });
});
