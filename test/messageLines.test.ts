/**
 * Message lines read on the load's worker thread (src/sources/messageLines.ts): whatever the lines,
 * the reader gives the same runs, messages and warnings, in the same order, as when it reads every
 * line itself; a bad line still gets its warning with file, line and column, and the good lines
 * beside it still load.
 */
import fc from 'fast-check';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {isDetached} from '../src/model/detachedRun.js';
import {clearItems, type ParsedItems} from '../src/model/itemKinds.js';
import type {LoadWarning} from '../src/model/loadWarning.js';
import {wholeMessages} from '../src/sources/itemBodies.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {checkHere, messageChecker, workerScriptNear} from '../src/sources/messageChecker.js';
import {looksLikeMessageLine, MessageLineBatch, type MessageChecker, type MessageWire} from '../src/sources/messageLines.js';
import {JsonLinesReader, MESSAGE_LINES_BEFORE_CHECKER} from '../src/sources/parseRunText.js';
import {RunCollection} from '../src/sources/runCollection.js';

/**
 * `texts` (files named story-0.jsonl, story-1.jsonl, …) through the TUI's reader (items kept
 * small), in pieces of `piece` bytes, into one collection as a load does; message lines to
 * `checker` when given.
 */
async function read(texts: readonly string[], piece: number, checker: MessageChecker | null, routeAfter = 0) {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  // What a load does between pieces: the collection takes what the reader has so far.
  const take = (out: ParsedItems) => {
    warnings.push(...out.warnings);
    collection.addItems(out);
    clearItems(out);
  };
  for (const [number, text] of texts.entries()) {
    const out: ParsedItems = {runs: [], warnings: []};
    const reader = new JsonLinesReader(`story-${number}.jsonl`, out, true, checker ? {checker, routeAfter} : null);
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; at += piece) {
      reader.push(bytes.subarray(at, at + piece));
      take(out);
      // The worker's answers come in between pieces, as they do in a load.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    reader.end();
    await reader.settled();
    take(out);
  }
  return {runs: collection.runs, messages: collection.side.messages ?? [], steps: collection.side.steps ?? [], warnings: [...warnings, ...collection.warnings]};
}

const message = (fields: Record<string, unknown>) => ({
  id: 'msg_a',
  object: 'thread.message',
  created_at: 1_796_300_000,
  thread_id: 'thread_a',
  role: 'user',
  content: [{type: 'text', text: {value: 'hi', annotations: []}}],
  assistant_id: null,
  run_id: null,
  attachments: [],
  metadata: {},
  status: 'completed',
  completed_at: 1_796_300_001,
  incomplete_at: null,
  incomplete_details: null,
  ...fields,
});

const run = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  object: 'thread.run',
  created_at: 1_796_300_000,
  thread_id: 'thread_a',
  assistant_id: 'asst_a',
  status: 'completed',
  model: 'gpt-4o',
  instructions: 'Be brief.',
  tools: [],
  ...fields,
});

/** Text that tries to look like structure: quotes, escapes, keys inside strings, non-ASCII. */
const hostileText = fc.oneof(
  fc.string({maxLength: 12}),
  fc.constantFrom('"run_id":"run_evil"', '\\"object\\":\\"thread.run\\"', '{"object":"thread.message"}', 'é ☃ 𝄞 \u2028', '\\', '"', '\u0000', 'msg_a'),
);

const idOf = fc.constantFrom('msg_a', 'msg_b', 'msg_c', 'msg_"q"', 'msg_é', 'msg_\\x');
const time = fc.oneof(fc.constantFrom(null, 0, 1_796_300_000, 1e11), fc.integer({min: -5, max: 2_000_000_000}), fc.constant('2026-11-25T12:00:00Z'));

const messageObject = fc.record({
  id: idOf,
  run_id: fc.oneof(fc.constant(null), fc.constantFrom('run_a', 'run_b'), hostileText),
  role: fc.oneof(fc.constantFrom('user', 'assistant'), fc.constant(7)),
  status: fc.constantFrom('completed', 'in_progress', 'incomplete', null),
  created_at: time,
  text: hostileText,
  incomplete_details: fc.constantFrom(null, {reason: 'max_tokens'}, {reason: 3}),
}).map(({text, ...fields}) => message({...fields, content: [{type: 'text', text: {value: text, annotations: []}}]}));

/** One line of a JSON Lines file, among them every kind of trouble. */
const line = fc.oneof(
  // A message as the API orders its keys, and with `object` first.
  {arbitrary: messageObject.map((value) => JSON.stringify(value)), weight: 6},
  messageObject.map(({object, ...rest}) => JSON.stringify({object, ...rest})),
  // With spaces after separators (Python's json.dumps), and a \r line ending.
  messageObject.map((value) => JSON.stringify(value).replaceAll('":', '": ').replaceAll(',"', ', "')),
  messageObject.map((value) => `${JSON.stringify(value)}\r`),
  // Broken: cut short, a trailing comma, text after the value.
  messageObject.chain((value) => fc.integer({min: 1, max: 40}).map((cut) => JSON.stringify(value).slice(0, -cut))),
  messageObject.map((value) => `${JSON.stringify(value).slice(0, -1)},}`),
  messageObject.map((value) => `${JSON.stringify(value)} x`),
  // A duplicate `object` key: the last one wins, and the line is a run.
  fc.constantFrom('run_dup1', 'run_dup2').map((id) => `{"id":"${id}","object":"thread.message",${JSON.stringify(run(id)).slice(1)}`),
  // Runs, one with a message inside its metadata, a list envelope of messages, a step.
  fc.constantFrom('run_a', 'run_b').map((id) => JSON.stringify(run(id, {metadata: {note: '{"object":"thread.message"}'}}))),
  // A run with a read note (a status in another case): its warning is said once per file.
  fc.constantFrom('run_c', 'run_d').map((id) => JSON.stringify(run(id, {status: 'Completed'}))),
  messageObject.map((value) => JSON.stringify({object: 'list', data: [value, {...value, id: 'msg_in_list'}]})),
  fc.constant(JSON.stringify({id: 'step_a', object: 'thread.run.step', run_id: 'run_a', thread_id: 'thread_a', type: 'message_creation', status: 'completed', created_at: 1_796_300_000})),
  fc.constantFrom('', '   ', '[]', '42', 'not json', '{"object":"thread.message"}'),
);

describe('message lines on the worker', () => {
  it('picks only lines whose first members say thread.message', () => {
    expect(looksLikeMessageLine(Buffer.from(JSON.stringify(message({}))))).toBe(true);
    expect(looksLikeMessageLine(Buffer.from('{"object":"thread.message","id":"x"}'))).toBe(true);
    expect(looksLikeMessageLine(Buffer.from('{ "id": "msg_1", "object": "thread.message", "x": 1}'))).toBe(true);
    // Nested, another kind, an escaped id, a longer type name.
    expect(looksLikeMessageLine(Buffer.from('{"object":"list","data":[{"object":"thread.message"}]}'))).toBe(false);
    expect(looksLikeMessageLine(Buffer.from(JSON.stringify(run('run_a'))))).toBe(false);
    expect(looksLikeMessageLine(Buffer.from('{"id":"a\\"b","object":"thread.message"}'))).toBe(false);
    expect(looksLikeMessageLine(Buffer.from('{"object":"thread.messages"}'))).toBe(false);
    expect(looksLikeMessageLine(Buffer.from('{"metadata":{"object":"thread.message"}}'))).toBe(false);
  });

  it('gives what reading every line here gives, in order, whatever the lines (checked on this thread)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, {maxLength: 30}), {minLength: 1, maxLength: 3}), fc.integer({min: 7, max: 400}), fc.integer({min: 0, max: 3}), async (files, piece, routeAfter) => {
        const texts = files.map((lines) => `${lines.join('\n')}\n`);
        const plain = await read(texts, piece, null);
        const routed = await read(texts, piece, checkHere, routeAfter);
        expect(routed).toEqual(plain);
      }),
      {numRuns: 200},
    );
  });

  it('keeps one copy of each id over files of well-formed messages (checked on this thread)', async () => {
    const wellFormed = fc.record({id: idOf, text: fc.string({maxLength: 8}), run_id: fc.constantFrom(null, 'run_a')}).map(({text, ...fields}) => JSON.stringify(message({...fields, content: [{type: 'text', text: {value: text, annotations: []}}]})));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(wellFormed, {maxLength: 12}), {minLength: 1, maxLength: 3}), fc.integer({min: 60, max: 2000}), async (files, piece) => {
        const texts = files.map((lines) => `${lines.join('\n')}\n`);
        expect(await read(texts, piece, checkHere)).toEqual(await read(texts, piece, null));
      }),
      {numRuns: 200},
    );
  });

  it('gives the same through the worker thread, a bad line warned about with its line and column', async () => {
    const lines: string[] = [];
    for (let index = 0; index < 3000; index += 1) {
      lines.push(JSON.stringify(run(`run_${index}`)));
      lines.push(JSON.stringify(message({id: `msg_${index}`, run_id: `run_${index}`, content: [{type: 'text', text: {value: `"run_id":"run_x" ${index} é`, annotations: []}}]})));
      if (index % 1000 === 7) lines.push(`${JSON.stringify(message({id: `msg_bad${index}`})).slice(0, 30)}`);
      if (index % 1000 === 8) lines.push(JSON.stringify(message({id: 'msg_1', role: 'assistant'})));
    }
    const text = `${lines.join('\n')}\n`;
    const plain = await read([text, text], 64 * 1024, null);
    const answered = messageChecker.answered;
    const routed = await read([text, text], 64 * 1024, messageChecker, 100);
    expect(messageChecker.answered).toBeGreaterThan(answered);
    expect(routed).toEqual(plain);
    // Each id once: msg_1's later copies, and the second file's copies of the first's, replace them.
    expect(routed.messages).toHaveLength(3000);
    expect(routed.messages[1]).toMatchObject({id: 'msg_1', role: 'assistant', source: {file: 'story-1.jsonl', line: 4024}});
    // (The runs of the second file are copies of the first's, whose bodies are not on disk to compare: warned about alike.)
    expect(routed.warnings.filter((warning) => warning.message.endsWith('line skipped')).map((warning) => warning.location)).toEqual(['story-0.jsonl:17:31', 'story-0.jsonl:2019:31', 'story-0.jsonl:4021:31', 'story-1.jsonl:17:31', 'story-1.jsonl:2019:31', 'story-1.jsonl:4021:31']);
  });

  it('has its worker script in the build, beside the chunk that starts it, and the script answers a batch', async () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    const chunks = readdirSync(path.join(dist, 'chunks')).filter((name) => name.endsWith('.js'));
    const starter = chunks.find((name) => readFileSync(path.join(dist, 'chunks', name), 'utf8').includes('messageWorker.js'));
    expect(starter).toBeDefined();
    const script = workerScriptNear(pathToFileURL(path.join(dist, 'chunks', starter!)).href);
    expect(script && fileURLToPath(script)).toBe(path.join(dist, 'messageWorker.js'));
    const worker = new Worker(script!);
    try {
      const batch = new MessageLineBatch();
      batch.add(Buffer.from(JSON.stringify(message({id: 'msg_built'}))), 1, 0);
      batch.add(Buffer.from('{"object":"thread.message",'), 2, 100);
      const answer = new Promise<{id: number; wire: MessageWire}>((resolve) => worker.once('message', resolve));
      worker.postMessage({id: 7, stream: 1, bytes: batch.bytes.subarray(0, batch.filled), ends: batch.ends.subarray(0, batch.count), count: batch.count});
      const {id, wire} = await answer;
      expect(id).toBe(7);
      expect([...wire.accepted]).toEqual([1, 0]);
      expect(wire.text.startsWith('msg_built')).toBe(true);
    } finally {
      await worker.terminate();
    }
  });

  it('stops with the load: a load aborted while lines are on the worker ends, and the next one loads them all', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runlens-message-lines-'));
    try {
      const file = path.join(dir, 'thread.jsonl');
      const count = MESSAGE_LINES_BEFORE_CHECKER + 20_000;
      const lines: string[] = [];
      for (let index = 0; index < count; index += 1) lines.push(JSON.stringify(message({id: `msg_${index}`, content: [{type: 'text', text: {value: 'x'.repeat(200), annotations: []}}]})));
      writeFileSync(file, `${lines.join('\n')}\n`);
      const controller = new AbortController();
      let pieces = 0;
      const aborted = await loadRunsFromSources([file], {detachRuns: true, signal: controller.signal, onProgress: () => {
        if (++pieces === 3) controller.abort();
      }});
      expect(aborted.messages!.length).toBeLessThan(count);
      const whole = await loadRunsFromSources([file], {detachRuns: true, onProgress: () => {}});
      expect(whole.messages).toHaveLength(count);
      expect(whole.warnings).toEqual([]);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('loads a large file with the worker, its messages kept small and read back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runlens-message-lines-'));
    try {
      const file = path.join(dir, 'thread.jsonl');
      const count = MESSAGE_LINES_BEFORE_CHECKER + 500;
      const lines = [JSON.stringify(run('run_a'))];
      for (let index = 0; index < count; index += 1) lines.push(JSON.stringify(message({id: `msg_${index}`, run_id: 'run_a', content: [{type: 'text', text: {value: `answer ${index}`, annotations: []}}]})));
      writeFileSync(file, `${lines.join('\n')}\n`);
      const loaded = await loadRunsFromSources([file], {detachRuns: true, onProgress: () => {}});
      expect(loaded.warnings).toEqual([]);
      expect(loaded.messages).toHaveLength(count);
      expect(loaded.messages!.every(isDetached)).toBe(true);
      const last = loaded.messages![count - 1]!;
      expect(last.source).toMatchObject({file, line: count + 1});
      const {messages, warnings} = wholeMessages([last]);
      expect(warnings).toEqual([]);
      expect(messages[0]!.content).toEqual([{type: 'text', text: `answer ${count - 1}`, annotations: []}]);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
