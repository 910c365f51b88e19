/**
 * Runs kept small (DetachedRun): what the list needs stays in memory, the object as read, the
 * instructions and the tools are read again from the file, and a file changed since shows why.
 */
import {appendFileSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isDetached, searchTextOf} from '../src/model/detachedRun.js';
import {matchesQuery, searchTerms} from '../src/store/listView.js';
import {DEFAULT_QUERY} from '../src/model/listQuery.js';
import {wholeRun} from '../src/sources/itemBodies.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {buildPane} from '../src/panes/paneIds.js';
import {PANES} from '../src/panes/paneIds.js';

const tools = [{type: 'function', function: {name: 'get_weather', description: 'Weather', parameters: {type: 'object', properties: {city: {type: 'string'}}}}}];
const run = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  object: 'thread.run',
  id,
  status,
  created_at: 1_764_000_000,
  thread_id: 'thread_a',
  model: 'gpt-4o',
  instructions: `Instructions of ${id}: naïve 日本 😀`,
  tools,
  metadata: {team: 'support'},
  usage: {prompt_tokens: 10, completion_tokens: 5, total_tokens: 15},
  ...extra,
});

function jsonLinesFile(values: unknown[], prefix = ''): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'runlens-detached-')), 'runs.jsonl');
  writeFileSync(file, prefix + values.map((value) => JSON.stringify(value)).join('\r\n') + '\n');
  return file;
}

describe('loading with detachRuns', () => {
  const values = [
    run('run_done', 'completed'),
    run('run_wait', 'requires_action', {required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'get_weather', arguments: '{"city":"Oslo"}'}}]}}}),
    [run('run_in_array_a', 'failed', {last_error: {code: 'server_error', message: 'boom'}}), run('run_in_array_b', 'cancelled')],
    run('run_queued', 'queued'),
  ];

  it('keeps runs waiting for tool outputs whole and every other run small, and they read the same as a plain load', async () => {
    // A byte order mark and CRLF line ends: offsets must still point at each line.
    const file = jsonLinesFile(values, '\ufeff');
    const detached = await loadRunsFromSources([file], {detachRuns: true});
    const plain = await loadRunsFromSources([file]);
    expect(detached.runs.map((candidate) => [candidate.id, isDetached(candidate)])).toEqual([
      ['run_done', true],
      ['run_wait', false],
      ['run_in_array_a', true],
      ['run_in_array_b', true],
      ['run_queued', true],
    ]);
    detached.runs.forEach((light, index) => {
      // The body is read back through the loader, as the TUI does for the open run.
      const candidate = wholeRun(light);
      const whole = plain.runs[index]!;
      expect(candidate.raw).toEqual(whole.raw);
      expect(candidate.instructions).toBe(whole.instructions);
      expect(candidate.tools).toEqual(whole.tools);
      expect(candidate.searchText).toBe(whole.searchText);
      expect(candidate.lastError).toEqual(whole.lastError);
      expect(candidate.usage).toEqual(whole.usage);
      expect(candidate.source).toEqual(whole.source);
      // Every pane draws the same from either.
      for (const pane of PANES) {
        const context = {width: 100, nowSeconds: 1_764_000_100, time: {utc: true}};
        expect(buildPane(pane.id, candidate, context)).toEqual(buildPane(pane.id, whole, context));
      }
    });
  });

  it('holds where a run was read and where its body is as one object; the run read back has its location alone', async () => {
    const file = jsonLinesFile([run('run_a', 'completed'), [run('run_b', 'failed'), run('run_c', 'cancelled')]]);
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    // A line's bytes, its \r included (trimmed when read back); the second line starts after the CRLF.
    const first = Buffer.byteLength(JSON.stringify(run('run_a', 'completed')));
    expect(loaded.runs.map((light) => light.source)).toEqual([
      {file, line: 1, offset: 0, length: first + 1},
      {file, line: 2, offset: first + 2, length: expect.any(Number)},
      {file, line: 2, offset: first + 2, length: expect.any(Number)},
    ]);
    expect(loaded.runs.every((light) => (light as {body?: unknown}).body === light.source)).toBe(true);
    expect(loaded.runs.map((light) => wholeRun(light).source)).toEqual([{file, line: 1}, {file, line: 2}, {file, line: 2}]);
    expect(Object.keys(wholeRun(loaded.runs[1]!).source)).toEqual(['file', 'line']);
  });

  it('still reads a run again after lines are appended to the file (a log that grows)', async () => {
    const file = jsonLinesFile([run('run_a', 'completed')]);
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    appendFileSync(file, `${JSON.stringify(run('run_b', 'completed'))}\n`);
    expect(wholeRun(loaded.runs[0]!).instructions).toBe('Instructions of run_a: naïve 日本 😀');
  });

  it('says so, and keeps what it knows, when the file changed under a run', async () => {
    const file = jsonLinesFile([run('run_a', 'completed'), run('run_b', 'completed')]);
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    writeFileSync(file, `${JSON.stringify(run('run_other', 'completed'))}\n`);
    const changed = wholeRun(loaded.runs[1]!);
    // The Raw JSON pane says why the run is not there; what the list knew stays.
    expect(changed.raw).toEqual({'(runlens)': `${file} changed since this run was loaded from it; reload (w) to read it again`});
    expect(changed.instructions).toBeNull();
    expect(changed.tools).toEqual([]);
    expect(changed.model).toBe('gpt-4o');
    expect(changed.id).toBe('run_b');
  });

  it('never detaches runs from stdin, which cannot be read again', async () => {
    const {PassThrough} = await import('node:stream');
    const stdin = new PassThrough();
    stdin.end(`${JSON.stringify(run('run_a', 'completed'))}\n`);
    const loaded = await loadRunsFromSources(['-'], {stdin, detachRuns: true});
    expect(isDetached(loaded.runs[0]!)).toBe(false);
  });
});

describe('a line holding two copies of one run', () => {
  it('is read again as the copy the load kept: the latest state, wherever it is in the line', async () => {
    const file = jsonLinesFile([[run('run_twice', 'in_progress', {started_at: 1_764_000_005}), run('run_twice', 'completed', {started_at: 1_764_000_005, completed_at: 1_764_000_040, model: 'o3'})]]);
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    expect(loaded.runs).toHaveLength(1);
    const [kept] = loaded.runs;
    expect(isDetached(kept!)).toBe(true);
    expect(kept!.status).toBe('completed');
    // Read again from the line: the completed copy (the second), not the first one with that id.
    expect(wholeRun(kept!).raw).toMatchObject({status: 'completed', model: 'o3'});
  });
});

describe('the search text of a run kept small', () => {
  // Text that lower-cases into other lengths (İ, ẞ), non-Latin letters, emoji and separators.
  const text = fc.string({unit: fc.constantFrom('a', 'B', 'z', ' ', '\n', '_', 'İ', 'ẞ', 'Σ', '日', '😀', '-', '9'), maxLength: 8});
  const tool = fc.oneof(
    fc.record({type: fc.constant('function'), function: fc.record({name: text, parameters: fc.constant({type: 'object'})})}),
    fc.record({type: fc.constantFrom('code_interpreter', 'file_search', 'Retrieval')}),
  );
  const runValue = fc.record(
    {
      id: text.map((id) => `run_${id}`),
      status: fc.constantFrom('completed', 'failed', 'Cancelled', 'in_progress', 'paused_for_review'),
      model: fc.option(text),
      thread_id: fc.option(text),
      assistant_id: fc.option(text),
      last_error: fc.option(fc.record({code: fc.option(text), message: fc.option(text)})),
      tools: fc.array(tool, {maxLength: 3}),
      metadata: fc.dictionary(text, text, {maxKeys: 3}),
    },
    {requiredKeys: ['id', 'status']},
  );

  it('is built when asked exactly as normalize built it, and a search matches the same runs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(runValue, {minLength: 1, maxLength: 6}), text, async (values, search) => {
        const file = jsonLinesFile(values.map((value) => ({object: 'thread.run', created_at: 1_764_000_000, ...value})));
        const small = await loadRunsFromSources([file], {detachRuns: true});
        const plain = await loadRunsFromSources([file]);
        expect(small.runs.every((each) => isDetached(each) && each.searchText === '')).toBe(true);
        expect(small.runs.map(searchTextOf)).toEqual(plain.runs.map((each) => each.searchText));
        const query = {...DEFAULT_QUERY, search};
        const terms = searchTerms(search);
        expect(small.runs.map((each) => matchesQuery(each, query, 1_764_000_100, terms))).toEqual(plain.runs.map((each) => matchesQuery(each, query, 1_764_000_100, terms)));
      }),
      {numRuns: 60},
    );
  });
});
