/**
 * Stream transcripts (saved server-sent events of a streamed run) as a file source: detection,
 * the SSE line rules, each run in its latest state, and warnings that name file and line. The
 * fixtures in test/fixtures/sse/ are realistic transcripts and, as-is, the streaming examples of
 * the published OpenAI spec (which hold broken data lines and literal `...` lines).
 */
import fc from 'fast-check';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {parseRunText} from '../src/sources/parseRunText.js';
import type {ParsedItems} from '../src/model/itemKinds.js';
import {formatWarning} from '../src/model/loadWarning.js';
import {parseSseTranscript} from '../src/sources/sseTranscript.js';
import {isSseTranscript} from '../src/sources/sniff.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/sse/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = path.resolve(REPO_ROOT, '../shared/openai-openapi.yaml');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const texts = (parsed: {warnings: ParsedItems['warnings']}) => parsed.warnings.map(formatWarning);
const states = (parsed: ParsedItems) => parsed.runs.map((run) => `${run.id}:${run.status}`);

/** The 1-based line of the first line of `text` that starts with `prefix`. */
function lineOf(text: string, prefix: string, after = 0): number {
  const lines = text.split(/\r\n|\r|\n/);
  const index = lines.findIndex((line, at) => at >= after && line.startsWith(prefix));
  if (index === -1) throw new Error(`no line starting with ${prefix}`);
  return index + 1;
}

function runObject(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {id, object: 'thread.run', created_at: 1795607400, thread_id: 'thread_s', assistant_id: 'asst_s', status, model: 'gpt-4o', ...extra};
}
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

function parse(text: string, file = 'stream.sse') {
  const out: ParsedItems = {runs: [], warnings: []};
  const summary = parseSseTranscript(text, file, out);
  return {...out, summary};
}

describe('isSseTranscript: which texts are transcripts', () => {
  const streamStart = 'event: thread.run.created\ndata: {}\n\n';
  it.each([
    ['a .sse file, whatever it holds', 'x.SSE', '{"id": "run_1"}', true],
    ['a .txt file starting with event:', 'capture.txt', 'event: ping\ndata: 1\n', true],
    ['a .log file starting with data:', 'capture.log', '\n\ndata: {"id":"run_1"}\n', true],
    ['a .txt file holding JSON', 'readme.txt', '{"id": "run_1", "object": "thread.run"}', false],
    ['a .txt file starting with other text', 'notes.txt', 'eventually: yes\n', false],
    ['a .json file starting with event: thread.', 'run.json', streamStart, true],
    ['stdin starting with event: thread.', '<stdin>', `\r\n${streamStart}`, true],
    ['no space after the colon', 'run.json', 'event:thread.run.created\n', true],
    ['a comment line before the first event', 'run.json', `: keep-alive\n${streamStart}`, true],
    ['a BOM before the first event', 'run.json', `\ufeff${streamStart}`, true],
    ['a .json file starting with data:', 'run.json', 'data: {"id":"run_1"}\n', false],
    ['a .json file starting with event: of another stream', 'run.json', 'event: response.created\n', false],
    ['JSON Lines', 'runs.jsonl', '{"id":"run_1"}\n{"id":"run_2"}\n', false],
  ])('%s', (_what, file, text, expected) => {
    expect(isSseTranscript(text, file)).toBe(expected);
  });
});

describe('a streamed run that ends in requires_action', () => {
  const text = fixture('requires-action.sse');

  it('yields one run in its latest state, from the last run event', () => {
    const parsed = parseRunText(text, 'requires-action.sse');
    expect(parsed.warnings).toEqual([]);
    expect(states(parsed)).toEqual(['run_Qm3xT8vLk2PzR7nB4cW9yHdE:requires_action']);
    const [run] = parsed.runs;
    // The data line of `event: thread.run.requires_action`.
    expect(run!.source).toEqual({file: 'requires-action.sse', line: lineOf(text, 'event: thread.run.requires_action') + 1});
    expect(run!.startedAt).toBe(1795607701);
    expect(run!.requiredAction?.toolCalls.map((call) => `${call.functionName} ${call.arguments}`)).toEqual([
      'lookup_order {"order_id":"A-1042","include_items":true}',
      'get_shipping_quote {"postcode":"94110","weight_kg":2.5}',
    ]);
    expect(run!.usage?.totalTokens).toBe(934);
  });

  // The step and message events were once skipped (and counted in `skipped`); they are read now.
  it('reads and counts the step and message events, skips none, and sees the end of the stream', () => {
    const {summary} = parse(text);
    expect(summary.runEvents).toBe(4);
    expect(summary.itemEvents).toBe(2 + 2 + 16 + 1 + 1 + 1 + 6 + 1);
    expect(summary.done).toBe(true);
    expect(summary.skipped).toEqual({});
  });

  it('reads the same with CRLF or CR line endings, lines counted alike', () => {
    const lf = parseRunText(text, 'requires-action.sse');
    for (const ending of ['\r\n', '\r']) {
      const other = parseRunText(text.replace(/\n/g, ending), 'requires-action.sse');
      expect(other.runs.map((run) => [run.id, run.status, run.source])).toEqual(lf.runs.map((run) => [run.id, run.status, run.source]));
      expect(other.runs[0]!.raw).toEqual(lf.runs[0]!.raw);
      expect(other.warnings).toEqual([]);
    }
  });
});

describe('a transcript as recorded: no blank lines between events', () => {
  // requires-action.sse with its blank lines left out, as a recorder that logs lines writes it.
  const text = fixture('recorded-no-blank-lines.sse.txt');

  it('reads each `event:` line as the start of a new event: the same run, state and summary as with blank lines', () => {
    const recorded = parse(text, 'recorded.sse.txt');
    const original = parse(fixture('requires-action.sse'), 'requires-action.sse');
    expect(text).not.toMatch(/\n\n/);
    expect(recorded.warnings).toEqual([]);
    expect(states(recorded)).toEqual(['run_Qm3xT8vLk2PzR7nB4cW9yHdE:requires_action']);
    expect(recorded.runs[0]!.raw).toEqual(original.runs[0]!.raw);
    expect(recorded.runs[0]!.source.line).toBe(lineOf(text, 'event: thread.run.requires_action') + 1);
    expect(recorded.summary).toEqual(original.summary);
  });

  it('is a transcript by its name (.sse.txt), whatever its first line', () => {
    expect(isSseTranscript('{"id": "run_1"}', 'capture.sse.txt')).toBe(true);
    expect(isSseTranscript('{"id": "run_1"}', 'capture.SSE.TXT.gz')).toBe(true);
  });

  it('reads data lines that are each a whole value, with neither blank nor event lines, as events of their own', () => {
    const queued = runObject('run_l', 'queued');
    const lines = [`data: ${JSON.stringify(queued)}`, `data: ${JSON.stringify({...queued, status: 'in_progress'})}`, `data: ${JSON.stringify({...queued, status: 'completed'})}`, 'data: [DONE]'];
    const parsed = parse(lines.join('\n'), 'lines.sse');
    expect(parsed.warnings).toEqual([]);
    expect(states(parsed)).toEqual(['run_l:completed']);
    expect(parsed.runs[0]!.source.line).toBe(3);
    expect(parsed.summary).toMatchObject({events: 4, runEvents: 3, done: true});
  });

  it('a data line with a trailing comma or stray text after the value still gives the run, with a warning at its column', () => {
    const queued = JSON.stringify(runObject('run_t', 'queued'));
    const running = JSON.stringify(runObject('run_t', 'in_progress'));
    const text = `event: thread.run.created\ndata: ${queued.slice(0, -1)},}\nevent: thread.run.in_progress\ndata: ${running} and more\n`;
    const parsed = parse(text, 't.sse');
    expect(states(parsed)).toEqual(['run_t:in_progress']);
    // Columns of the comma, and of the `a` of `and`.
    expect(texts(parsed)).toEqual([
      `t.sse:2: a trailing comma in data at column ${'data: '.length + queued.length}; ignored`,
      `t.sse:4: text after the JSON value in data at column ${'data: '.length + running.length + 2} ignored: and more`,
    ]);
  });
});

describe('a broken data line and a `...` line', () => {
  const text = fixture('broken-line.sse');

  it('warns with file and line, skips that event, and the run still ends in its latest state', () => {
    const parsed = parse(text, 'broken-line.sse');
    expect(states(parsed)).toEqual(['run_Pz4nW7kT1xQv9LbR3cYm6HsJ:completed']);
    const line = lineOf(text, 'event: thread.run.in_progress') + 1;
    expect(texts(parsed)).toEqual([`broken-line.sse:${line}: invalid JSON in data: Unterminated string at column 187; thread.run.in_progress skipped`]);
    expect(parsed.summary.elidedLines).toBe(1);
    expect(parsed.runs[0]!.usage?.totalTokens).toBe(5298);
  });

  it('a broken last run event leaves the run in the state before it', () => {
    const queued = runObject('run_cut', 'queued');
    const text = event('thread.run.created', queued) + event('thread.run.in_progress', {...queued, status: 'in_progress'}) + event('thread.run.completed', '{"id":"run_cut","object":"thread.run","status":"comp');
    const parsed = parse(text, 'cut.sse');
    expect(states(parsed)).toEqual(['run_cut:in_progress']);
    expect(texts(parsed)).toEqual(['cut.sse:8: invalid JSON in data: Unterminated string at column 59; thread.run.completed skipped']);
  });
});

describe('a stream that ends with event: error', () => {
  const text = fixture('stream-error.log');

  it('is read from a .log file; the run stays in its last state and the error is a warning at its line', () => {
    const parsed = parse(text, 'stream-error.log');
    expect(isSseTranscript(text, 'stream-error.log')).toBe(true);
    expect(states(parsed)).toEqual(['run_Mk7pQ2xW9zLv4NbT1cRy6JdS:in_progress']);
    expect(texts(parsed)).toEqual([
      `stream-error.log:${lineOf(text, 'event: error') + 1}: the stream reported an error: server_error: The server had an error while processing your request. Sorry about that!`,
    ]);
    expect(parsed.summary.done).toBe(false);
  });

  it('reads an error wrapped as {"error": {...}} and one that is not JSON', () => {
    const run = event('thread.run.created', runObject('run_e', 'queued'));
    expect(texts(parse(`${run}${event('error', {error: {type: 'invalid_request_error', message: 'Run expired'}})}`, 'e.sse'))).toEqual([
      'e.sse:5: the stream reported an error: invalid_request_error: Run expired',
    ]);
    expect(texts(parse(`${run}event: error\ndata: upstream timed out\n`, 'e.sse'))).toEqual(['e.sse:5: the stream reported an error: upstream timed out']);
  });
});

describe('a transcript from a server that writes statuses in upper case and times as text', () => {
  const name = 'upper-case-iso-times.sse';
  const text = fixture(name);
  const kept = lineOf(text, 'event: thread.run.requires_action') + 1;

  it('reads them as the API would have written them, with one warning of each kind, at the state kept, as other sources say them', () => {
    const parsed = parse(text, name);
    expect(states(parsed)).toEqual(['run_SelfHost5Vq8Rk2Lm:requires_action']);
    expect(parsed.runs[0]!.createdAt).toBe(Date.parse('2026-11-25T11:50:00Z') / 1000);
    expect(parsed.runs[0]!.source.line).toBe(kept);
    expect(texts(parsed)).toEqual([
      `${name}:${kept}: run_SelfHost5Vq8Rk2Lm: status "REQUIRES_ACTION" read as 'requires_action'; a status in another case is read as the documented one (said once per source)`,
      `${name}:${kept}: run_SelfHost5Vq8Rk2Lm: created_at is the text "2026-11-25T11:50:00Z", read as 2026-11-25T11:50:00Z; a time written as text is read as the time it names (said once per source)`,
    ]);
    // The same words as the same run gets in a JSON document.
    const document = parseRunText(JSON.stringify(JSON.parse(text.split('\n')[kept - 1]!.slice('data: '.length))), 'run.json');
    expect(document.warnings.map((warning) => warning.message)).toEqual(parsed.warnings.map((warning) => warning.message));
  });

  it('says each kind once per transcript, and nothing of a state a later event replaced', () => {
    const a = runObject('run_a', 'QUEUED');
    const b = runObject('run_b', 'QUEUED');
    const twice = parse(event('thread.run.created', a) + event('thread.run.created', b) + event('thread.run.in_progress', {...b, status: 'IN_PROGRESS'}));
    expect(states(twice)).toEqual(['run_a:queued', 'run_b:in_progress']);
    expect(texts(twice)).toEqual([`stream.sse:2: run_a: status "QUEUED" read as 'queued'; a status in another case is read as the documented one (said once per source)`]);
    const replaced = parse(event('thread.run.created', a) + event('thread.run.in_progress', {...a, status: 'in_progress'}));
    expect(states(replaced)).toEqual(['run_a:in_progress']);
    expect(replaced.warnings).toEqual([]);
  });

  it('gives the same warnings in the TUI load and every print mode; stuck --exit-status exits 8 for its waiting run, and --status matches it', async () => {
    const file = path.join(FIXTURES, name);
    const warnings = texts(parse(text, file));
    expect(warnings).toHaveLength(2);
    const tui = await loadRunsFromSources([file], {onProgress: () => undefined, detachRuns: true});
    expect(texts(tui)).toEqual(warnings);
    const said = (stderr: string) => stderr.split('\n').filter(Boolean).map((line) => line.replace(/^runlens: /, ''));
    for (const argv of [['list', file], ['list', file, '--sort', 'id'], ['stats', file], ['show', 'run_SelfHost5Vq8Rk2Lm', file]]) {
      expect(said((await cli(argv)).stderr), argv.join(' ')).toEqual(warnings);
    }
    const stuck = await cli(['stuck', file, '--exit-status']);
    expect(stuck.code).toBe(8);
    expect(stuck.stdout).toContain('run_SelfHost5Vq8Rk2Lm');
    expect(said(stuck.stderr)).toEqual(warnings);
    for (const extra of [[], ['--sort', 'id']]) {
      const listed = await cli(['list', file, '--status', 'requires_action', ...extra]);
      expect(listed.stdout.split('\t')[0]).toBe('run_SelfHost5Vq8Rk2Lm');
    }
  });
});

describe('the SSE line rules', () => {
  it('joins multi-line data with \\n, ignores comments, id and retry, and takes "data:" without a space', () => {
    const lines = JSON.stringify(runObject('run_multi', 'failed', {last_error: {code: 'server_error', message: 'line one\nline two'}}), null, 2).split('\n');
    const text = [
      ': a proxy keep-alive',
      'retry: 3000',
      'id: 7',
      'event: thread.run.failed',
      ...lines.map((line, index) => (index === 1 ? `data:${line}` : `data: ${line}`)),
      ': comments between data lines do not end the event',
      '',
    ].join('\n');
    const parsed = parse(text, 'multi.txt');
    expect(parsed.warnings).toEqual([]);
    expect(states(parsed)).toEqual(['run_multi:failed']);
    expect(parsed.runs[0]!.lastError?.message).toBe('line one\nline two');
    expect(parsed.runs[0]!.source.line).toBe(5);
  });

  it('names the file line (and column) where multi-line data breaks', () => {
    const text = ['event: thread.run.queued', 'data: {"id": "run_x",', 'data:  "object": "thread.run",', 'data:  "status": queued}', ''].join('\r\n');
    expect(texts(parse(text, 'x.sse'))).toEqual(["x.sse:4: invalid JSON in data: Unexpected token 'q' at column 18; thread.run.queued skipped"]);
  });

  it('keeps each run in its latest state, in the order first seen, with no duplicate warnings', () => {
    const a = runObject('run_a', 'queued');
    const b = runObject('run_b', 'queued');
    const text =
      event('thread.run.created', a) +
      event('thread.run.created', b) +
      event('thread.run.completed', {...a, status: 'completed', completed_at: 1795607460}) +
      event('thread.run.failed', {...b, status: 'failed', last_error: {code: 'rate_limit_exceeded', message: 'slow down'}}) +
      'event: done\ndata: [DONE]\n\n';
    const parsed = parse(text);
    expect(states(parsed)).toEqual(['run_a:completed', 'run_b:failed']);
    expect(parsed.runs.map((run) => run.source.line)).toEqual([8, 11]);
    expect(parsed.warnings).toEqual([]);
  });

  it("drops field warnings of states a later event replaced, and keeps the last state's", () => {
    const good = runObject('run_f', 'queued');
    const fixed = parse(event('thread.run.created', {...good, created_at: 'soon'}) + event('thread.run.in_progress', {...good, status: 'in_progress'}));
    expect(fixed.warnings).toEqual([]);
    const broken = parse(event('thread.run.created', good) + event('thread.run.in_progress', {...good, status: 'in_progress', created_at: 'soon'}));
    expect(texts(broken)).toEqual(['stream.sse:5: run_f: field created_at: Invalid input: expected number, received string']);
  });

  it('reads unnamed events whose data is a run, and data: [DONE]', () => {
    const text = `data: ${JSON.stringify(runObject('run_u', 'queued'))}\n\ndata: ${JSON.stringify({id: 'msg_1', object: 'thread.message'})}\n\ndata: ${JSON.stringify(runObject('run_u', 'cancelled'))}\n\ndata: [DONE]\n`;
    const parsed = parse(text, 'unnamed.txt');
    expect(states(parsed)).toEqual(['run_u:cancelled']);
    // A message object in an unnamed event is a message now (it was once skipped as '(unnamed)').
    expect(parsed.summary).toMatchObject({done: true, skipped: {}});
    expect(parsed.messages?.map((message) => message.id)).toEqual(['msg_1']);
  });

  // Step and message data were once not read at all, so a broken delta was no warning; now it is one, and the rest loads.
  it('reads step and message data, so a broken delta is a warning naming its line and column', () => {
    const text = event('thread.run.created', runObject('run_d', 'queued')) + event('thread.message.delta', '{"id":"msg_1","delta":{"content":[{"ind') + event('thread.run.step.delta', '{');
    const parsed = parse(text);
    expect(states(parsed)).toEqual(['run_d:queued']);
    expect(texts(parsed)).toEqual([
      'stream.sse:5: invalid JSON in data: Unterminated string at column 46; thread.message.delta skipped',
      "stream.sse:8: invalid JSON in data: Expected property name or '}' at column 8; thread.run.step.delta skipped",
    ]);
  });

  it('warns about run events whose data is no run, or that have no data', () => {
    const text = [
      event('thread.run.created', {id: 'step_1', object: 'thread.run.step'}),
      event('thread.run.queued', [1, 2]),
      'event: thread.run.completed\n\n',
      'event: thread.run.expired\n{"id":"run_lost","object":"thread.run","status":"expired"}\n\n',
      'just some text\n\n',
    ].join('');
    expect(texts(parse(text))).toEqual([
      "stream.sse:2: thread.run.created data is an object of type 'thread.run.step', not a run; skipped",
      'stream.sse:5: thread.run.queued data is an array, not a run; skipped',
      'stream.sse:7: event thread.run.completed has no data line; skipped',
      'stream.sse:10: JSON without "data: " before it (in event thread.run.expired); ignored: {"id":"run_lost","object":"thread.run","status":"expired"}',
      'stream.sse:12: not an SSE field line; ignored: just some text',
    ]);
  });

  it('says so when a transcript holds no run events', () => {
    const text = event('thread.message.delta', {id: 'msg_1', object: 'thread.message.delta', delta: {}}) + 'event: done\ndata: [DONE]\n';
    expect(texts(parse(text, 'messages.sse'))).toEqual(['messages.sse: no run events in this stream transcript']);
  });

  it('ends the last event at the end of the text even without a blank line', () => {
    expect(states(parse(`event: thread.run.queued\ndata: ${JSON.stringify(runObject('run_end', 'queued'))}`))).toEqual(['run_end:queued']);
  });

  it('never throws, and reads the same whatever the line endings', () => {
    const pieces = fc.constantFrom(
      'event: thread.run.created',
      'event: thread.run.completed',
      'event: thread.message.delta',
      'event: error',
      `data: ${JSON.stringify(runObject('run_p', 'queued'))}`,
      `data: ${JSON.stringify(runObject('run_q', 'completed'))}`,
      'data: {"id":',
      'data: [DONE]',
      ': comment',
      '...',
      '{"id":"run_z"}',
      '',
      'data',
      'event',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), {maxLength: 30}), (lines) => {
        const text = lines.join('\n');
        const lf = parse(text);
        const crlf = parse(lines.join('\r\n'));
        expect(crlf.runs.map((run) => [run.id, run.status, run.source.line])).toEqual(lf.runs.map((run) => [run.id, run.status, run.source.line]));
        expect(new Set(lf.runs.map((run) => run.id)).size).toBe(lf.runs.length);
      }),
      {numRuns: 300},
    );
  });
});

/**
 * The `response: |` blocks of the spec's streaming examples, in the order they appear, as YAML
 * reads a literal block (indentation removed, one final newline kept).
 */
function streamingExamples(specText: string): string[] {
  const lines = specText.split('\n');
  const examples: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^\s*response: \|\s*$/.test(lines[index]!)) continue;
    const block: string[] = [];
    let indent = -1;
    for (let at = index + 1; at < lines.length; at += 1) {
      const line = lines[at]!;
      if (line.trim() === '') {
        block.push('');
        continue;
      }
      const width = line.length - line.trimStart().length;
      if (indent === -1) indent = width;
      if (width < indent) break;
      block.push(line.slice(indent));
    }
    while (block.length > 0 && block[block.length - 1] === '') block.pop();
    const text = `${block.join('\n')}\n`;
    if (text.includes('event: thread.run.created')) examples.push(text);
  }
  return examples;
}

/** The spec's four streaming examples, in the order the spec has them. */
const SPEC_FIXTURES = [
  'spec-create-thread-and-run-stream.sse',
  'spec-create-thread-and-run-stream-functions.sse',
  'spec-create-run-stream.sse',
  'spec-create-run-stream-functions.sse',
];

describe("the published spec's streaming examples", () => {
  it.skipIf(!existsSync(SPEC))('are the fixtures, as-is (extracted from ../shared/openai-openapi.yaml)', () => {
    expect(streamingExamples(readFileSync(SPEC, 'utf8'))).toEqual(SPEC_FIXTURES.map(fixture));
  });

  it('createThreadAndRun, Streaming: loads, with the run in its last readable state and the line without "data: " warned', () => {
    const text = fixture('spec-create-thread-and-run-stream.sse');
    const parsed = parse(text, 'spec.sse');
    expect(states(parsed)).toEqual(['run_123:in_progress']);
    expect(texts(parsed)).toEqual([
      expect.stringMatching(/^spec\.sse:43: JSON without "data: " before it \(in event thread\.run\.completed\); ignored: \{"id":"run_123"/),
    ]);
    expect(parsed.summary).toMatchObject({done: true, elidedLines: 1, runEvents: 3});
    expect(parsed.summary.skipped['thread.created']).toBe(1);
  });

  it.each(SPEC_FIXTURES.slice(1))('%s: loads the run in its last state; each data line with one `}` too many is read, with a warning naming its line and column', (name) => {
    const text = fixture(name);
    const lines = text.split('\n');
    const parsed = parse(text, name);
    // Each run event's data has one `}` too many: the value before it is the run.
    const runEventLines = lines.flatMap((line, index) => (/^event: thread\.run\.(?!step\.)/.test(line) ? [index + 2] : []));
    expect(runEventLines.length).toBeGreaterThanOrEqual(4);
    const lastData = lines[runEventLines.at(-1)! - 1]!;
    const lastStatus = (JSON.parse(lastData.slice('data: '.length, -1)) as {status: string}).status;
    expect(states(parsed)).toEqual([`run_123:${lastStatus}`]);
    expect(parsed.runs[0]!.source.line).toBe(runEventLines.at(-1));
    expect(parsed.warnings.map((warning) => warning.location)).toEqual(runEventLines.map((line) => `${name}:${line}`));
    parsed.warnings.forEach((warning, index) => {
      const line = lines[runEventLines[index]! - 1]!;
      // The column is that of the stray `}`, the line's last character.
      expect(warning.message).toBe(`text after the JSON value in data at column ${line.length} ignored: }`);
      expect(line.endsWith('}}')).toBe(true);
    });
    expect(parsed.summary).toMatchObject({done: true, elidedLines: 1, runEvents: runEventLines.length});
  });
});


async function cli(argv: string[], stdinText?: string) {
  const stdout = new Collect();
  const stderr = new Collect();
  const stdin = stdinText === undefined ? Object.assign(new PassThrough(), {isTTY: true}) : Readable.from([stdinText]);
  const code = await runCli({argv, env: {RUNLENS_CONFIG_DIR: tmp}, stdin, stdout, stderr, now: () => Date.parse('2026-11-25T12:00:00Z')});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'runlens-sse-'));
});
afterAll(async () => {
  await rm(tmp, {recursive: true, force: true});
});

describe('transcripts through the loader and the CLI', () => {
  it('loads a transcript saved as .json, and one piped to stdin', async () => {
    const file = path.join(tmp, 'saved-stream.json');
    await writeFile(file, fixture('requires-action.sse'));
    const loaded = await loadRunsFromSources([file, '-'], {stdin: Readable.from([fixture('broken-line.sse')])});
    expect(loaded.runs.map((run) => `${run.id}:${run.status}`)).toEqual(['run_Qm3xT8vLk2PzR7nB4cW9yHdE:requires_action', 'run_Pz4nW7kT1xQv9LbR3cYm6HsJ:completed']);
    expect(loaded.warnings.map(formatWarning)).toEqual([expect.stringMatching(/^<stdin>:8: invalid JSON in data: /)]);
  });

  it('runlens list prints each run once, in its latest state; warnings go to stderr with file and line', async () => {
    const files = ['requires-action.sse', 'broken-line.sse', 'stream-error.log'].map((name) => path.join(FIXTURES, name));
    const result = await cli(['list', ...files]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => line.split('\t').slice(0, 2).join(' '));
    expect(rows.sort()).toEqual(['run_Mk7pQ2xW9zLv4NbT1cRy6JdS in_progress', 'run_Pz4nW7kT1xQv9LbR3cYm6HsJ completed', 'run_Qm3xT8vLk2PzR7nB4cW9yHdE requires_action']);
    expect(result.stderr).toContain(`runlens: ${files[1]}:8: invalid JSON in data: `);
    expect(result.stderr).toContain(`runlens: ${files[2]}:20: the stream reported an error: server_error: `);
  });

  it('runlens stuck finds the waiting run of a transcript, and show prints its unstick request', async () => {
    const file = path.join(FIXTURES, 'requires-action.sse');
    const stuck = await cli(['stuck', file, '--exit-status']);
    expect(stuck.code).toBe(8);
    expect(stuck.stdout).toContain('run_Qm3xT8vLk2PzR7nB4cW9yHdE');
    const shown = await cli(['show', 'run_Qm3xT8vLk2PzR7nB4cW9yHdE', file]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('POST /threads/thread_7fKp2LmQ9xVb3NcR8tYw1sZa/runs/run_Qm3xT8vLk2PzR7nB4cW9yHdE/submit_tool_outputs');
    expect(shown.stdout).toContain(`${file}:${lineOf(fixture('requires-action.sse'), 'event: thread.run.requires_action') + 1}`);
  });

  it.each([
    [SPEC_FIXTURES[0]!, 'in_progress', 1],
    [SPEC_FIXTURES[1]!, 'requires_action', 4],
    [SPEC_FIXTURES[2]!, 'completed', 4],
    [SPEC_FIXTURES[3]!, 'completed', 4],
  ])("runlens list loads the spec's example %s (exit 0, the run in its last state, a warning a broken line)", async (name, status, warnings) => {
    const result = await cli(['list', path.join(FIXTURES, name)]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => line.split('\t').slice(0, 2).join(' '))).toEqual([`run_123 ${status}`]);
    expect(result.stderr.trim().split('\n')).toHaveLength(warnings);
  });
});
