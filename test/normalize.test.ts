import fc from 'fast-check';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {describeNonRun, looksLikeRun, normalizeRun} from '../src/model/normalize.js';
import {DOCUMENTED_RUN_FIELDS, isActiveStatus, isKnownStatus, KNOWN_STATUSES, type Run} from '../src/model/run.js';

const SHAPES = new URL('./fixtures/shapes/', import.meta.url);
const BAD = new URL('./fixtures/bad/', import.meta.url);

function fixture(folder: URL, name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, folder), 'utf8').replace(/^\ufeff/, ''));
}

function fixtureRuns(folder: URL, name: string): Array<Record<string, unknown>> {
  const value = fixture(folder, name);
  return (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
}

const here = {file: 'runs.json'};

/** A complete v2 run as the API returns it, with `overrides` applied. */
function v2Run(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'run_abc123',
    object: 'thread.run',
    created_at: 1793610760,
    assistant_id: 'asst_abc123',
    thread_id: 'thread_abc123',
    status: 'completed',
    started_at: 1793610761,
    expires_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: 1793610813,
    required_action: null,
    last_error: null,
    model: 'gpt-4o',
    instructions: null,
    tools: [],
    metadata: {},
    incomplete_details: null,
    usage: {prompt_tokens: 123, completion_tokens: 456, total_tokens: 579},
    temperature: 1,
    top_p: 1,
    max_prompt_tokens: 1000,
    max_completion_tokens: 1000,
    truncation_strategy: {type: 'auto', last_messages: null},
    response_format: 'auto',
    tool_choice: 'auto',
    parallel_tool_calls: true,
    ...overrides,
  };
}

function problemsOf(run: Run): string[] {
  return run.problems.map((problem) => `${problem.field}: ${problem.message}`);
}

describe('normalizeRun: v2 fields', () => {
  it('reads every field of a full v2 run (test/fixtures/shapes/single.json)', () => {
    const raw = fixture(SHAPES, 'single.json') as Record<string, unknown>;
    const run = normalizeRun(raw, {file: 'single.json'});
    const {raw: keptRaw, searchText, tools, ...typed} = run;
    expect(keptRaw).toBe(raw);
    expect(typed).toEqual({
      id: 'run_shapeSingleV2',
      status: 'incomplete',
      source: {file: 'single.json'},
      threadId: 'thread_shapeThread',
      assistantId: 'asst_shapeAssistant',
      model: 'o3-mini',
      instructions: 'Answer from the knowledge base only.',
      createdAt: 1793610760,
      startedAt: 1793610761,
      completedAt: 1793610813,
      failedAt: null,
      cancelledAt: null,
      expiresAt: null,
      endedAt: 1793610813,
      usage: {promptTokens: 812, completionTokens: 256, totalTokens: 1068},
      requiredAction: null,
      lastError: null,
      incompleteReason: 'max_completion_tokens',
      metadata: {team: 'support', ticket: 'T-1042'},
      temperature: 0.2,
      topP: 0.9,
      maxPromptTokens: 20000,
      maxCompletionTokens: 256,
      truncationStrategy: {type: 'last_messages', lastMessages: 10},
      toolChoice: 'function lookup_order',
      responseFormat: 'json_schema (order_answer)',
      parallelToolCalls: false,
      reasoningEffort: 'high',
      fileIds: null,
      problems: [],
    });
    expect(tools).toEqual([
      {type: 'file_search', name: null, description: null, parameters: undefined, strict: false, raw: (raw['tools'] as unknown[])[0]},
      {
        type: 'function',
        name: 'lookup_order',
        description: 'Look up an order by number.',
        parameters: {type: 'object', properties: {order: {type: 'string'}}, required: ['order']},
        strict: true,
        raw: (raw['tools'] as unknown[])[1],
      },
    ]);
    // tool_resources has no typed field: it stays, untouched, in raw.
    expect(run.raw['tool_resources']).toEqual({file_search: {vector_store_ids: ['vs_shapeStore']}});
    expect(searchText).toBe(
      ['run_shapesinglev2', 'incomplete', 'o3-mini', 'thread_shapethread', 'asst_shapeassistant', 'file_search', 'lookup_order', 'team', 'support', 'ticket', 't-1042'].join('\n'),
    );
  });

  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
    [{type: 'function', function: {name: 'get_weather'}}, 'function get_weather'],
    [{type: 'file_search'}, 'file_search'],
    [{type: 'code_interpreter'}, 'code_interpreter'],
    [{type: 'function'}, 'function'],
    [null, null],
  ])('describes tool_choice %j as %j', (toolChoice, expected) => {
    const run = normalizeRun(v2Run({tool_choice: toolChoice}), here);
    expect(run.toolChoice).toBe(expected);
    expect(run.problems).toEqual([]);
  });

  it.each([
    ['auto', 'auto'],
    [{type: 'text'}, 'text'],
    [{type: 'json_object'}, 'json_object'],
    [{type: 'json_schema', json_schema: {name: 'weather_report', schema: {type: 'object'}, strict: true}}, 'json_schema (weather_report)'],
    [{type: 'json_schema', json_schema: {schema: {}}}, 'json_schema'],
    [null, null],
  ])('describes response_format %j as %j', (format, expected) => {
    const run = normalizeRun(v2Run({response_format: format}), here);
    expect(run.responseFormat).toBe(expected);
    expect(run.problems).toEqual([]);
  });

  it('reads required_action tool calls, keeping arguments as written', () => {
    const [raw] = (fixture(SHAPES, 'envelope.json') as {data: Array<Record<string, unknown>>}).data;
    const run = normalizeRun(raw!, here);
    expect(run.requiredAction).toEqual({
      type: 'submit_tool_outputs',
      toolCalls: [
        {id: 'call_shapeOne', type: 'function', functionName: 'get_weather', arguments: '{"city":"Oslo"}'},
        {id: 'call_shapeTwo', type: 'function', functionName: 'get_weather', arguments: '{"city":'},
      ],
    });
    expect(run.expiresAt).toBe(1793889423);
    expect(run.endedAt).toBeNull();
    expect(run.problems).toEqual([]);
  });

  it('takes endedAt from whichever of completed_at, failed_at, cancelled_at is set', () => {
    expect(normalizeRun(v2Run({status: 'failed', completed_at: null, failed_at: 1793610900}), here).endedAt).toBe(1793610900);
    expect(normalizeRun(v2Run({status: 'cancelled', completed_at: null, cancelled_at: 1793610950}), here).endedAt).toBe(1793610950);
    expect(normalizeRun(v2Run({status: 'in_progress', completed_at: null}), here).endedAt).toBeNull();
  });

  it('accepts zero and fractional timestamps', () => {
    const run = normalizeRun(v2Run({created_at: 0, started_at: 1793610761.25}), here);
    expect([run.createdAt, run.startedAt]).toEqual([0, 1793610761.25]);
    expect(run.problems).toEqual([]);
  });
});

describe('normalizeRun: v1 fields', () => {
  it('reads file_ids and the retrieval tool, with v2 fields absent', () => {
    const [completed, failed] = fixtureRuns(SHAPES, 'array-v1.json');
    const run = normalizeRun(completed!, here);
    expect(run.fileIds).toEqual(['file-shapeHandbook', 'file-shapeBenefits']);
    expect(run.tools.map((tool) => tool.type)).toEqual(['retrieval', 'code_interpreter']);
    expect(run.usage).toBeNull();
    expect([run.topP, run.temperature, run.toolChoice, run.responseFormat, run.parallelToolCalls, run.truncationStrategy]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(run.problems).toEqual([]);

    const failedRun = normalizeRun(failed!, here);
    expect(failedRun.lastError).toEqual({code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-4 in organization org-shape.'});
    expect(failedRun.fileIds).toEqual([]);
    expect(failedRun.searchText).toContain('rate limit reached for gpt-4');
    expect(failedRun.problems).toEqual([]);
  });

  it('reads every run in examples/legacy-v1 without a problem', () => {
    const runs = JSON.parse(readFileSync(new URL('../examples/legacy-v1/assistants-v1-runs.json', import.meta.url), 'utf8')) as Array<
      Record<string, unknown>
    >;
    const normalized = runs.map((raw) => normalizeRun(raw, here));
    expect(normalized.flatMap(problemsOf)).toEqual([]);
    expect(normalized.some((run) => run.tools.some((tool) => tool.type === 'retrieval'))).toBe(true);
    expect(normalized.every((run) => Array.isArray(run.fileIds))).toBe(true);
  });
});

describe('statuses', () => {
  it.each(KNOWN_STATUSES.map((status) => [status]))('keeps the known status %s', (status) => {
    const run = normalizeRun(v2Run({status}), here);
    expect(run.status).toBe(status);
    expect(isKnownStatus(status)).toBe(true);
    expect(run.problems).toEqual([]);
  });

  it('has exactly the nine documented statuses, four of them active', () => {
    expect([...KNOWN_STATUSES]).toEqual(['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired']);
    expect(KNOWN_STATUSES.filter(isActiveStatus)).toEqual(['queued', 'in_progress', 'requires_action', 'cancelling']);
  });

  it('keeps an unknown status as written, without a problem', () => {
    for (const status of ['paused_for_review', 'PENDING', '', 'in progress 🚧']) {
      const run = normalizeRun(v2Run({status}), here);
      expect(run.status).toBe(status);
      expect(isKnownStatus(status)).toBe(false);
      expect(isActiveStatus(status)).toBe(false);
      expect(run.problems).toEqual([]);
    }
  });

  it('calls a missing or mistyped status "unknown" and says why', () => {
    const {status: _status, ...withoutStatus} = v2Run();
    expect(problemsOf(normalizeRun(withoutStatus, here))).toEqual(['status: missing']);
    expect(normalizeRun(withoutStatus, here).status).toBe('unknown');
    const numbered = normalizeRun(v2Run({status: 3}), here);
    expect(numbered.status).toBe('unknown');
    expect(problemsOf(numbered)).toEqual(['status: Invalid input: expected string, received number']);
  });
});

describe('wrongly typed fields', () => {
  it('records every wrongly typed field by its path and still returns the run (fixtures/bad/wrong-types.json)', () => {
    const [raw] = fixtureRuns(BAD, 'wrong-types.json');
    const run = normalizeRun(raw!, here);
    expect(run.id).toBe('run_badWrongTypes');
    expect(problemsOf(run).sort()).toEqual(
      [
        'assistant_id: Invalid input: expected string, received boolean',
        'cancelled_at: Invalid input: expected number, received array',
        'completed_at: Invalid input: expected number, received string',
        'created_at: Invalid input: expected number, received string',
        'expires_at: Invalid input: expected number, received object',
        'failed_at: Invalid input: expected number, received boolean',
        'file_ids: Invalid input: expected array, received string',
        'incomplete_details: Invalid input: expected object, received string',
        'instructions: Invalid input: expected string, received object',
        'last_error: Invalid input: expected object, received number',
        'max_completion_tokens: Invalid input: expected number, received boolean',
        'max_prompt_tokens: Invalid input: expected number, received string',
        'metadata: Invalid input: expected object, received array',
        'model: Invalid input: expected string, received number',
        'parallel_tool_calls: Invalid input: expected boolean, received string',
        'reasoning_effort: Invalid input: expected string, received number',
        'required_action: Invalid input: expected object, received string',
        'response_format: Invalid input: expected a string or an object of the documented shape',
        'started_at: Invalid input: expected number, received string',
        'status: Invalid input: expected string, received array',
        'temperature: Invalid input: expected number, received string',
        'thread_id: Invalid input: expected string, received number',
        'tool_choice: Invalid input: expected a string or an object of the documented shape',
        'tool_resources: Invalid input: expected object, received string',
        'tools: Invalid input: expected array, received string',
        'top_p: Invalid input: expected number, received string',
        'truncation_strategy: Invalid input: expected object, received string',
        'usage: Invalid input: expected object, received string',
      ].sort(),
    );
    // Every documented field but id and object is wrong, and each is reported once.
    expect(new Set(run.problems.map((problem) => problem.field))).toEqual(
      new Set([...DOCUMENTED_RUN_FIELDS].filter((field) => field !== 'id' && field !== 'object')),
    );
    expect(run).toMatchObject({
      status: 'unknown',
      threadId: null,
      createdAt: null,
      usage: null,
      tools: [],
      requiredAction: null,
      lastError: null,
      metadata: {},
      toolChoice: null,
      responseFormat: null,
      fileIds: null,
    });
    expect(run.raw).toBe(raw);
  });

  it('names a run whose id is not a string by the fallback, or by where it is', () => {
    const [, raw] = fixtureRuns(BAD, 'wrong-types.json');
    expect(normalizeRun(raw!, here, '(no id) runs.json item 1').id).toBe('(no id) runs.json item 1');
    const run = normalizeRun(raw!, {file: 'runs.jsonl', line: 7});
    expect(run.id).toBe('(no id) runs.jsonl:7');
    expect(problemsOf(run)).toEqual(['id: Invalid input: expected string, received number', 'status: Invalid input: expected string, received number']);
    const {id: _id, ...noId} = v2Run();
    expect(normalizeRun(noId, {file: 'runs.json'}).id).toBe('(no id) runs.json');
    expect(problemsOf(normalizeRun(noId, here))).toEqual(['id: missing']);
  });

  it('keeps the good parts next to one bad field (fixtures/bad/partial.json)', () => {
    const [raw] = fixtureRuns(BAD, 'partial.json');
    const run = normalizeRun(raw!, here);
    expect(problemsOf(run)).toEqual([
      'created_at: Invalid input: expected number, received string',
      'usage.total_tokens: Invalid input: expected number, received string',
      'tools.1.type: Invalid input: expected string, received number',
      'tools.3: Invalid input: expected object, received string',
      'required_action.submit_tool_outputs.tool_calls.1.function.arguments: Invalid input: expected string, received object',
      'last_error.code: Invalid input: expected string, received number',
    ]);
    expect(run.createdAt).toBeNull();
    expect(run.completedAt).toBe(1793610005);
    // One wrong count does not hide the other two, nor a wrong code the error message.
    expect(run.usage).toEqual({promptTokens: 9, completionTokens: 3, totalTokens: null});
    expect(run.lastError).toEqual({code: null, message: 'Upstream timed out'});
    expect(run.tools.map((tool) => tool.name ?? tool.type)).toEqual(['code_interpreter', 'lookup']);
    expect(run.requiredAction?.toolCalls.map((call) => call.id)).toEqual(['call_good']);
    expect(run.metadata).toEqual({env: 'prod', attempt: '3'});
  });

  it('reads a null usage count or error code as null without a problem', () => {
    const run = normalizeRun(v2Run({usage: {prompt_tokens: 5, completion_tokens: null}, last_error: {code: null, message: 'x'}}), here);
    expect(run.usage).toEqual({promptTokens: 5, completionTokens: null, totalTokens: null});
    expect(run.lastError).toEqual({code: null, message: 'x'});
    expect(run.problems).toEqual([]);
  });

  it('reports negative timestamps and ones no Date can hold, and keeps the rest (fixtures/bad/negative-timestamps.json)', () => {
    const [raw] = fixtureRuns(BAD, 'negative-timestamps.json');
    const run = normalizeRun(raw!, here);
    expect(problemsOf(run)).toEqual(['created_at: negative timestamp', 'started_at: negative timestamp']);
    expect([run.createdAt, run.startedAt, run.completedAt]).toEqual([null, null, 1793610010]);
    expect(run.raw['created_at']).toBe(-1);

    const far = normalizeRun(v2Run({expires_at: 1e300, completed_at: 8.64e15 + 1}), here);
    expect(problemsOf(far)).toEqual(['completed_at: timestamp out of range', 'expires_at: timestamp out of range']);
    // The last second a reading in seconds allows, just under 1e11 (the year 5138).
    expect(normalizeRun(v2Run({completed_at: 1e11 - 1}), here).completedAt).toBe(1e11 - 1);
  });

  it('flags timestamps written in milliseconds with the time they mean, and keeps them out of durations (fixtures/bad/millisecond-timestamps.json)', () => {
    const [raw, seconds] = fixtureRuns(BAD, 'millisecond-timestamps.json');
    const run = normalizeRun(raw!, here);
    expect(problemsOf(run)).toEqual([
      'created_at: timestamp in milliseconds, not seconds (as milliseconds: 2026-11-02T09:00:00.000Z)',
      'started_at: timestamp in milliseconds, not seconds (as milliseconds: 2026-11-02T09:00:01.500Z)',
    ]);
    expect([run.createdAt, run.startedAt, run.completedAt]).toEqual([null, null, 1793610010]);
    expect(run.raw['created_at']).toBe(1793610000000);
    // The same times in seconds next to it are fine.
    expect(problemsOf(normalizeRun(seconds!, here))).toEqual([]);
    // 1e11 is the first value read as milliseconds (1973-03-03 as milliseconds, the year 5138 as seconds).
    expect(problemsOf(normalizeRun(v2Run({completed_at: 1e11}), here))).toEqual([
      'completed_at: timestamp in milliseconds, not seconds (as milliseconds: 1973-03-03T09:46:40.000Z)',
    ]);
  });

  it('reads a run with every field null (fixtures/bad/all-null.json): only status is wrong', () => {
    const [raw] = fixtureRuns(BAD, 'all-null.json');
    const run = normalizeRun(raw!, here);
    expect(problemsOf(run)).toEqual(['status: Invalid input: expected string, received null']);
    expect(run).toMatchObject({
      id: 'run_badAllNull',
      status: 'unknown',
      threadId: null,
      model: null,
      createdAt: null,
      endedAt: null,
      usage: null,
      tools: [],
      requiredAction: null,
      lastError: null,
      incompleteReason: null,
      metadata: {},
      truncationStrategy: null,
      toolChoice: null,
      responseFormat: null,
      parallelToolCalls: null,
      fileIds: null,
    });
  });
});

describe('metadata', () => {
  it('shows non-string values as JSON and keeps newlines and CJK as they are', () => {
    const run = normalizeRun(v2Run({metadata: {n: 3, flag: true, list: ['a'], nothing: null, note: 'line 1\nline 2', 地域: '東京'}}), here);
    expect(run.metadata).toEqual({n: '3', flag: 'true', list: '["a"]', nothing: 'null', note: 'line 1\nline 2', 地域: '東京'});
    expect(run.searchText).toContain('地域\n東京');
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const run = normalizeRun(JSON.parse('{"id":"run_p","object":"thread.run","status":"queued","metadata":{"__proto__":"x","a":"b"}}'), here);
    expect(Object.keys(run.metadata)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(run.metadata, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(run.metadata)).toBe(Object.prototype);
  });

  it('does not overflow the stack on a metadata value nested 10,000 and 100,000 levels deep', () => {
    for (const depth of [10_000, 100_000]) {
      const text = `{"id":"run_deep","object":"thread.run","status":"completed","metadata":{"deep":${'['.repeat(depth)}${']'.repeat(depth)},"ok":"yes"}}`;
      const run = normalizeRun(JSON.parse(text), here);
      expect(run.metadata['ok']).toBe('yes');
      const shown = run.metadata['deep'];
      if (shown === '(too deeply nested to show)') {
        expect(problemsOf(run)).toEqual(['metadata.deep: too deeply nested to show']);
      } else {
        // A big enough stack stringifies it after all.
        expect(shown).toBe(`${'['.repeat(depth)}${']'.repeat(depth)}`);
        expect(run.problems).toEqual([]);
      }
    }
    // 100,000 levels is past what JSON.stringify can do on any default Node stack.
    const deepest = `{"id":"run_deep","object":"thread.run","status":"completed","metadata":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expect(normalizeRun(JSON.parse(deepest), here).metadata['deep']).toBe('(too deeply nested to show)');
  });
});

describe('looksLikeRun / describeNonRun', () => {
  it.each([
    [{object: 'thread.run'}, true],
    [{object: 'thread.run', id: 'anything'}, true],
    [{id: 'run_abc', status: 'queued'}, true],
    [{id: 'run_abc', status: null, object: ''}, true],
    [{id: 'run_abc', status: 'queued', object: null}, true],
    [{id: 'run_abc'}, false],
    [{id: 'step_abc', status: 'completed'}, false],
    [{id: 7, status: 'queued'}, false],
    [{id: 'run_abc', status: 'queued', object: 'thread.run.step'}, false],
    [{id: 'run_abc', status: 'queued', object: 7}, false],
    [{object: 'list', data: []}, false],
    [[{object: 'thread.run'}], false],
    [null, false],
    ['run_abc', false],
    [42, false],
  ])('%j → %s', (value, expected) => {
    expect(looksLikeRun(value)).toBe(expected);
  });

  it.each([
    [null, 'null'],
    [[], 'an array'],
    [42, 'a number'],
    ['x', 'a string'],
    [true, 'a boolean'],
    [{object: 'thread.message'}, "an object of type 'thread.message'"],
    [{object: ''}, 'an object without "object": "thread.run"'],
    [{id: 'thread_abc'}, 'an object without "object": "thread.run"'],
  ])('describes %j as %s', (value, expected) => {
    expect(describeNonRun(value)).toBe(expected);
  });
});

describe('normalizeRun properties', () => {
  function checkRun(input: Record<string, unknown>, run: Run): void {
    expect(run.raw).toBe(input);
    for (const key of Object.keys(input)) expect(Object.keys(run.raw)).toContain(key);
    expect(typeof run.id).toBe('string');
    expect(typeof run.status).toBe('string');
    expect(typeof run.searchText).toBe('string');
    for (const problem of run.problems) {
      expect(typeof problem.message).toBe('string');
      // A problem names a field of the input, or one of the two the API always sends.
      if (problem.message === 'missing') expect(['id', 'status']).toContain(problem.field);
      else expect(Object.keys(input)).toContain(problem.field.split('.')[0]);
    }
    for (const value of Object.values(run.metadata)) expect(typeof value).toBe('string');
    for (const time of [run.createdAt, run.startedAt, run.completedAt, run.failedAt, run.cancelledAt, run.expiresAt]) {
      if (time !== null) expect(Number.isFinite(time) && time >= 0).toBe(true);
    }
  }

  it('never throws and keeps every key of any JSON object in raw', () => {
    fc.assert(
      fc.property(fc.object(), (value) => {
        const input: Record<string, unknown> = {...value, object: 'thread.run'};
        const before = JSON.stringify(input);
        checkRun(input, normalizeRun(input, here));
        expect(JSON.stringify(input)).toBe(before);
      }),
      {numRuns: 300},
    );
  });

  it('never throws when any documented field holds any value', () => {
    const fields = Object.fromEntries(
      [...DOCUMENTED_RUN_FIELDS].map((field) => [field, fc.anything({maxDepth: 3, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true})]),
    );
    fc.assert(
      fc.property(fc.record(fields, {requiredKeys: []}), fc.object({maxDepth: 2}), (documented, extra) => {
        const input: Record<string, unknown> = {...extra, ...documented, object: 'thread.run'};
        checkRun(input, normalizeRun(input, here));
      }),
      {numRuns: 400},
    );
  });

  it('gives the same result for the same input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const input: Record<string, unknown> = {
          ...(typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {value}),
          object: 'thread.run',
        };
        expect(normalizeRun(input, here)).toEqual(normalizeRun(input, here));
      }),
    );
  });
});
