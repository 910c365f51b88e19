/**
 * Item kinds as data: steps and messages load from every file shape beside the runs, are kept (no
 * "not a run" warning), reach the feed and the store, and are joined to their runs and threads in
 * order. The fixture test/fixtures/thread/ is one thread saved as the API lists it: runs.json (an
 * array), steps.json (a list envelope, newest first) and messages.jsonl (newest first, a line each).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {itemKindOf, itemsOfRun, itemsOfThread, joinItems, ITEM_KINDS} from '../src/model/itemKinds.js';
import {normalizeThreadMessage} from '../src/model/threadMessage.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {parseRunText} from '../src/sources/parseRunText.js';
import {RunFeed} from '../src/sources/runFeed.js';
import {feedData} from '../src/store/feed.js';
import {createInitialState, updateRunStore} from '../src/store/runStore.js';
import {OutputCollector} from './helpers/outputCollector.js';

const THREAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/thread');
const THREAD_ID = 'thread_storyWeather01';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'runlens-kinds-'));
});
afterAll(async () => {
  await rm(tmp, {recursive: true, force: true});
});

describe('the table of item kinds', () => {
  it('maps each object to its kind; objects without one are runs when they look like a run', () => {
    expect(itemKindOf({object: 'thread.run', id: 'run_1'})?.key).toBe('runs');
    expect(itemKindOf({object: 'thread.run.step', id: 'step_1'})?.key).toBe('steps');
    expect(itemKindOf({object: 'thread.message', id: 'msg_1'})?.key).toBe('messages');
    expect(itemKindOf({id: 'run_noObject', status: 'queued'})?.key).toBe('runs');
    expect(itemKindOf({Object: 'thread.run', Id: 'run_pascal', Status: 'queued'})?.key).toBe('runs');
    expect(itemKindOf({object: 'assistant', id: 'asst_1'})).toBeNull();
    expect(itemKindOf({id: 'msg_noObject', role: 'user'})).toBeNull();
    expect(itemKindOf([1])).toBeNull();
    expect(Object.keys(ITEM_KINDS)).toEqual(['thread.run', 'thread.run.step', 'thread.message', 'response', 'conversation.item']);
  });
});

describe('normalizeThreadMessage', () => {
  it('reads every documented field and content part, and keeps what it does not know in raw', () => {
    const raw = {
      id: 'msg_all',
      object: 'thread.message',
      created_at: 1_796_212_800,
      thread_id: 'thread_a',
      run_id: 'run_a',
      assistant_id: 'asst_a',
      role: 'assistant',
      status: 'incomplete',
      completed_at: null,
      incomplete_at: 1_796_212_810,
      incomplete_details: {reason: 'max_tokens'},
      content: [
        {
          type: 'text',
          text: {
            value: 'See 【0†a.pdf】 and sandbox:/out.csv',
            annotations: [
              {type: 'file_citation', text: '【0†a.pdf】', file_citation: {file_id: 'file-a'}, start_index: 4, end_index: 13},
              {type: 'file_path', text: 'sandbox:/out.csv', file_path: {file_id: 'file-out'}, start_index: 18, end_index: 34},
            ],
          },
        },
        {type: 'image_file', image_file: {file_id: 'file-img', detail: 'high'}},
        {type: 'image_url', image_url: {url: 'https://example.com/a.png', detail: 'auto'}},
        {type: 'refusal', refusal: 'I cannot help with that.'},
        {type: 'audio', audio: {id: 'aud_1'}},
      ],
      attachments: [{file_id: 'file-a', tools: [{type: 'file_search'}, {type: 'code_interpreter'}]}],
      metadata: {topic: 'weather'},
      x_server_trace: 'abc',
    };
    const message = normalizeThreadMessage(raw, '(no id)', {file: 'm.json'});
    expect(message).toMatchObject({
      id: 'msg_all',
      threadId: 'thread_a',
      runId: 'run_a',
      assistantId: 'asst_a',
      role: 'assistant',
      status: 'incomplete',
      createdAt: 1_796_212_800,
      completedAt: null,
      incompleteAt: 1_796_212_810,
      incompleteReason: 'max_tokens',
      attachments: [{fileId: 'file-a', tools: ['file_search', 'code_interpreter']}],
      metadata: {topic: 'weather'},
      problems: [],
      source: {file: 'm.json'},
    });
    expect(message.content).toEqual([
      {
        type: 'text',
        text: 'See 【0†a.pdf】 and sandbox:/out.csv',
        annotations: [
          {type: 'file_citation', text: '【0†a.pdf】', fileId: 'file-a', startIndex: 4, endIndex: 13},
          {type: 'file_path', text: 'sandbox:/out.csv', fileId: 'file-out', startIndex: 18, endIndex: 34},
        ],
      },
      {type: 'image_file', fileId: 'file-img', detail: 'high'},
      {type: 'image_url', url: 'https://example.com/a.png', detail: 'auto'},
      {type: 'refusal', refusal: 'I cannot help with that.'},
      {type: 'other', contentType: 'audio', raw: {type: 'audio', audio: {id: 'aud_1'}}},
    ]);
    expect(message.raw['x_server_trace']).toBe('abc');
  });

  it('turns a field of the wrong type into a problem and keeps the rest', () => {
    const message = normalizeThreadMessage({
      id: 'msg_bad',
      object: 'thread.message',
      role: 7,
      created_at: 'yesterday',
      thread_id: 'thread_a',
      content: [{type: 'text', text: {value: 42, annotations: 'none'}}, 'stray', {type: 'image_file', image_file: {file_id: 9}}],
      attachments: [{file_id: 'file-ok', tools: [{type: 'file_search'}, 5]}],
    });
    expect(message.problems.map((problem) => problem.field)).toEqual([
      'role',
      'created_at',
      'content.0.text.annotations',
      'content.0.text.value',
      'content.1',
      'content.2.image_file.file_id',
      'attachments.0.tools.1',
    ]);
    expect(message).toMatchObject({id: 'msg_bad', threadId: 'thread_a', role: 'unknown', createdAt: null, attachments: [{fileId: 'file-ok', tools: ['file_search']}]});
    expect(message.content).toEqual([
      {type: 'text', text: '', annotations: []},
      {type: 'image_file', fileId: null, detail: null},
    ]);
  });

  it('never throws, whatever the object holds', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('id', 'role', 'content', 'attachments', 'created_at', 'incomplete_details', 'metadata', 'status', 'other'), fc.jsonValue()), (raw) => {
        const message = normalizeThreadMessage({object: 'thread.message', ...raw}, '(no id) here');
        expect(typeof message.id).toBe('string');
      }),
      {numRuns: 300},
    );
  });
});

describe('steps and messages from files', () => {
  it('a folder of runs.json, steps.json (a list envelope) and messages.jsonl: every item kept, joined to its run and thread in order', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.map((run) => run.id)).toEqual(['run_storyFirst01', 'run_storySecond1']);
    const joined = joinItems(loaded);
    // The API lists steps and messages newest first; joined, they are in the order they happened.
    expect(itemsOfRun(joined, 'steps', 'run_storyFirst01').map((step) => step.id)).toEqual(['step_storyCalls001', 'step_storyAnswer01']);
    expect(itemsOfRun(joined, 'steps', 'run_storySecond1').map((step) => step.id)).toEqual(['step_storyAnswer02']);
    expect(itemsOfRun(joined, 'messages', 'run_storyFirst01').map((message) => message.id)).toEqual(['msg_storyAnswer01']);
    expect(itemsOfThread(joined, 'messages', THREAD_ID).map((message) => [message.role, message.id])).toEqual([
      ['user', 'msg_storyAsk00001'],
      ['assistant', 'msg_storyAnswer01'],
      ['user', 'msg_storyAsk00002'],
      ['assistant', 'msg_storyAnswer02'],
    ]);
    const call = itemsOfRun(joined, 'steps', 'run_storyFirst01')[0]!.toolCalls[0];
    expect(call).toEqual({type: 'function', id: 'call_storyWeather1', name: 'get_weather', arguments: '{"city":"Oslo"}', output: '{"temp_c":-3,"sky":"snow"}'});
    const messageLine = itemsOfThread(joined, 'messages', THREAD_ID)[1]!.source;
    expect(messageLine).toEqual({file: path.join(THREAD, 'messages.jsonl'), line: 3});
  });

  it('a mixed array of a run, a step and a message, and the same as JSON Lines and from stdin', async () => {
    const items = [
      {id: 'run_mixed', object: 'thread.run', thread_id: 'thread_mixed', status: 'completed', created_at: 100},
      {id: 'step_mixed', object: 'thread.run.step', run_id: 'run_mixed', thread_id: 'thread_mixed', type: 'message_creation', status: 'completed', created_at: 101, step_details: {type: 'message_creation', message_creation: {message_id: 'msg_mixed'}}},
      {id: 'msg_mixed', object: 'thread.message', run_id: 'run_mixed', thread_id: 'thread_mixed', role: 'assistant', created_at: 102, content: [{type: 'text', text: {value: 'done', annotations: []}}]},
    ];
    const array = path.join(tmp, 'mixed.json');
    const lines = path.join(tmp, 'mixed.jsonl');
    await writeFile(array, JSON.stringify(items, null, 2));
    await writeFile(lines, items.map((item) => JSON.stringify(item)).join('\n'));
    const stdin = Readable.from([Buffer.from(items.map((item) => JSON.stringify(item)).join('\n'))]);
    for (const loaded of [await loadRunsFromSources([array]), await loadRunsFromSources([lines]), await loadRunsFromSources(['-'], {stdin}), parseRunText(JSON.stringify(items), 'mixed.json')]) {
      expect(loaded.warnings).toEqual([]);
      expect(loaded.runs.map((run) => run.id)).toEqual(['run_mixed']);
      expect(loaded.steps?.map((step) => [step.id, step.messageId])).toEqual([['step_mixed', 'msg_mixed']]);
      expect(loaded.messages?.map((message) => [message.id, message.content])).toEqual([['msg_mixed', [{type: 'text', text: 'done', annotations: []}]]]);
    }
  });

  it('a step or message with a bad field is kept, with a warning naming the file, the line and the field', () => {
    const text = [
      JSON.stringify({id: 'run_x', object: 'thread.run', status: 'queued', created_at: 1}),
      JSON.stringify({id: 'step_x', object: 'thread.run.step', run_id: 'run_x', status: 'completed', created_at: 'soon'}),
      JSON.stringify({id: 'msg_x', object: 'thread.message', run_id: 'run_x', role: 'user', content: 'hello'}),
    ].join('\n');
    const parsed = parseRunText(text, 'items.jsonl');
    expect(parsed.warnings).toEqual([
      {location: 'items.jsonl:2', message: 'step step_x: field created_at: Invalid input: expected number, received string'},
      {location: 'items.jsonl:3', message: 'message msg_x: field content: Invalid input: expected array, received string'},
    ]);
    expect(parsed.steps?.map((step) => step.id)).toEqual(['step_x']);
    expect(parsed.messages?.map((message) => message.id)).toEqual(['msg_x']);
  });

  it('a later copy of a step replaces the earlier one in place', async () => {
    const file = path.join(tmp, 'steps.jsonl');
    const step = (status: string) => JSON.stringify({id: 'step_twice', object: 'thread.run.step', run_id: 'run_t', status, created_at: 5});
    await writeFile(file, [step('in_progress'), JSON.stringify({id: 'step_other', object: 'thread.run.step', run_id: 'run_t', status: 'completed', created_at: 6}), step('completed')].join('\n'));
    const loaded = await loadRunsFromSources([file]);
    expect(loaded.steps?.map((entry) => [entry.id, entry.status])).toEqual([
      ['step_twice', 'completed'],
      ['step_other', 'completed'],
    ]);
  });
});

describe('steps and messages in the feed and the store', () => {
  it('reach the feed snapshot and the store, joined once per change of the data', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const feed = new RunFeed(loaded, {load: async () => loaded, now: () => 0, watchSeconds: 5, watching: false, files: [], remote: false});
    const data = feedData(feed.snapshot());
    expect(data.steps).toHaveLength(3);
    expect(data.messages).toHaveLength(4);
    const state = createInitialState({...data, nowSeconds: 0});
    expect(itemsOfRun(state.joined, 'steps', 'run_storyFirst01').map((step) => step.id)).toEqual(['step_storyCalls001', 'step_storyAnswer01']);
    // The same data again keeps the join; new steps make a new one.
    expect(updateRunStore(state, {type: 'feed', data: {...data}}).state.joined).toBe(state.joined);
    const fewer = updateRunStore(state, {type: 'feed', data: {...data, steps: data.steps!.slice(0, 1)}}).state;
    expect(itemsOfRun(fewer.joined, 'steps', 'run_storyFirst01').map((step) => step.id)).toEqual(['step_storyAnswer01']);
    feed.stop();
  });

  it('a reload without steps drops the steps of the load before', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const runsOnly = {...loaded, steps: undefined, messages: undefined};
    delete runsOnly.steps;
    delete runsOnly.messages;
    const feed = new RunFeed(loaded, {load: async () => runsOnly, now: () => 0, watchSeconds: 5, watching: false, files: [], remote: true});
    await feed.refresh();
    expect(feed.snapshot().steps).toBeUndefined();
    expect(feedData(feed.snapshot()).messages).toBeUndefined();
    feed.stop();
  });

  it('a run whose steps were loaded with it asks no one for them; a run without asks the loader', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const orphan = {...loaded.runs[0]!, id: 'run_noSteps'};
    let state = createInitialState({...loaded, runs: [...loaded.runs, orphan], nowSeconds: 0, query: {sort: 'id', descending: false}});
    const effectsFor = (runId: string) => {
      const index = state.visible.findIndex((run) => run.id === runId);
      let next = state;
      for (let at = 0; at < index; at += 1) next = updateRunStore(next, {type: 'move', delta: 1}).state;
      next = updateRunStore(next, {type: 'open'}).state;
      return updateRunStore(next, {type: 'setPane', pane: 'steps'}).effects.filter((effect) => effect.type === 'readSteps');
    };
    expect(effectsFor('run_storyFirst01')).toEqual([]);
    expect(effectsFor('run_noSteps')).toEqual([{type: 'readSteps', run: orphan}]);
    state = createInitialState({runs: [orphan], nowSeconds: 0});
    expect(effectsFor('run_noSteps')).toEqual([{type: 'readSteps', run: orphan}]);
  });
});

describe('runlens show with steps in the files', () => {
  it('prints the run with its steps from the files in the Steps pane', async () => {
    const stdout = new OutputCollector(false, undefined);
    const stderr = new OutputCollector(false, undefined);
    const code = await runCli({
      argv: ['show', 'run_storyFirst01', THREAD],
      env: {RUNLENS_NOW: '2026-12-02T12:00:00Z', RUNLENS_CONFIG_DIR: tmp},
      stdin: Object.assign(Readable.from([]), {isTTY: true}),
      stdout,
      stderr,
      now: () => Date.parse('2026-12-02T12:00:00Z'),
    });
    expect(stderr.text).toBe('');
    expect(code).toBe(0);
    const steps = stdout.text.slice(stdout.text.indexOf('── Steps'));
    expect(steps).toContain('2 steps, oldest first');
    expect(steps).toContain('1. tool_calls  ✓ completed  step_storyCalls001');
    expect(steps).toContain('a. function get_weather  call_storyWeather1');
    expect(steps).toContain('2. message_creation  ✓ completed  step_storyAnswer01');
    expect(steps).not.toContain('only available from the API');
  });
});

describe('joinItems after a join before it', () => {
  /** A message as a thread's pages hold it: some without a run, some without a time, times that tie. */
  const messageArb = fc.record({
    run: fc.option(fc.integer({min: 0, max: 5}), {nil: null}),
    thread: fc.option(fc.integer({min: 0, max: 3}), {nil: null}),
    at: fc.option(fc.integer({min: 0, max: 6}), {nil: null}),
  });
  type MessageSpec = typeof messageArb extends fc.Arbitrary<infer T> ? T : never;
  const message = (id: number, spec: MessageSpec) =>
    normalizeThreadMessage({
      id: `msg_${id}`,
      object: 'thread.message',
      role: 'assistant',
      run_id: spec.run === null ? null : `run_${spec.run}`,
      thread_id: spec.thread === null ? null : `thread_${spec.thread}`,
      ...(spec.at === null ? {} : {created_at: 1_764_000_000 + spec.at}),
      content: [],
    });
  /** What a streaming load does to a side list between two frames. */
  const changeArb = fc.oneof(
    {weight: 4, arbitrary: fc.record({kind: fc.constant('append' as const), items: fc.array(messageArb, {maxLength: 6})})},
    fc.record({kind: fc.constant('replace' as const), at: fc.nat(), item: messageArb}),
    fc.record({kind: fc.constant('truncate' as const), keep: fc.nat()}),
    fc.record({kind: fc.constant('mutateInPlace' as const), item: messageArb}),
    fc.record({kind: fc.constant('same' as const)}),
  );
  /** Every group, in map order, as ids: what a view reads of a join. */
  const picture = (joined: ReturnType<typeof joinItems>) =>
    (['byRun', 'byThread'] as const).map((side) => [...joined[side].messages].map(([key, group]) => [key, group.map((item) => item.id)]));

  it('gives what a join of every item gives, groups in the same order, and leaves the join before as it was (property)', () => {
    fc.assert(
      fc.property(fc.array(changeArb, {minLength: 1, maxLength: 25}), (changes) => {
        let messages: ReturnType<typeof message>[] = [];
        let shared = messages;
        let joined = joinItems({messages});
        let next = 0;
        for (const change of changes) {
          if (change.kind === 'append') messages = [...messages, ...change.items.map((spec) => message(next++, spec))];
          else if (change.kind === 'replace' && messages.length > 0) messages = messages.map((item, index) => (index === change.at % messages.length ? message(next++, change.item) : item));
          else if (change.kind === 'truncate') messages = messages.slice(0, change.keep % (messages.length + 1));
          else if (change.kind === 'mutateInPlace' && shared.length > 0) {
            // A list changed in place and handed over again as a longer copy.
            shared[0] = message(next++, change.item);
            messages = [...shared, message(next++, {run: 1, thread: 1, at: 1})];
          }
          shared = messages;
          const before = picture(joined);
          const extended = joinItems({messages}, joined);
          expect(picture(extended)).toEqual(picture(joinItems({messages})));
          expect(picture(joined)).toEqual(before);
          joined = extended;
        }
      }),
      {numRuns: 300},
    );
  });

  it('keeps the maps of a kind whose items did not change, and the groups no new item joins', () => {
    const first = [message(0, {run: 1, thread: 1, at: 1}), message(1, {run: 2, thread: 1, at: 2})];
    const joined = joinItems({messages: first});
    const grown = joinItems({messages: [...first, message(2, {run: 2, thread: 1, at: 0})]}, joined);
    expect(grown.byRun.steps).toBe(joined.byRun.steps);
    expect(grown.byRun.messages.get('run_1')).toBe(joined.byRun.messages.get('run_1'));
    expect(grown.byRun.messages.get('run_2')!.map((item) => item.id)).toEqual(['msg_2', 'msg_1']);
    expect(joined.byRun.messages.get('run_2')!.map((item) => item.id)).toEqual(['msg_1']);
  });
});
