import fc from 'fast-check';
import stringWidth from 'string-width';
import {beforeAll, describe, expect, it} from 'vitest';
import {paneLines} from '../src/cli/paneText.js';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {lineText, type Line, type Segment} from '../src/panes/content.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import {buildPane, paneBadge} from '../src/panes/paneIds.js';
import {wrapLine} from '../src/panes/wrap.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const CONTEXT: PaneContext = {nowSeconds: NOW, time: {utc: true}};
const HOSTILE_ID = 'run_RAD97k4iu8FzIHd7sqV5paIH';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let runs: Run[];
beforeAll(async () => {
  runs = (await loadRunsFromSources(['examples'])).runs;
});

function example(id: string): Run {
  const found = runs.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no example run ${id}`);
  return found;
}

function run(raw: Record<string, unknown>): Run {
  return normalizeRun({object: 'thread.run', ...raw}, {file: 'test.json'});
}

/** The pane as the lines a 100-column terminal shows (tables drawn by ink-table). */
function paneText(pane: PaneId, target: Run, width = 100, context: PaneContext = CONTEXT): string[] {
  return paneLines(buildPane(pane, target, context), width).map(lineText);
}

function segments(pane: PaneId, target: Run): Segment[] {
  return buildPane(pane, target, CONTEXT).flatMap((block) =>
    block.kind === 'lines' ? block.lines.flat() : [...block.columns.map((text) => ({text})), ...block.rows.flatMap((row) => Object.values(row).map((text) => ({text})))],
  );
}

describe('Overview', () => {
  it('shows identity, Times, Durations and Settings', () => {
    const text = paneText('overview', example('run_SFbYvJJpCVVWi9oI4rPwsQIR')).join('\n');
    for (const expected of [
      'Run           run_SFbYvJJpCVVWi9oI4rPwsQIR',
      'Status        ✓ completed',
      'Model         o3-mini',
      'Times',
      '  created     2026-11-23 19:04:10 UTC (1d 16h ago)',
      '  completed   2026-11-23 19:04:34 UTC (1d 16h ago)',
      'Durations',
      '  queued      1s  created → started',
      '  running     23s  started → ended',
      '  total       24s  created → ended',
      'Settings',
      '  reasoning_effort      high',
      'Other fields (not in the documented schema)',
      '  reasoning_summary     {"type":"summary_text"',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('a waiting run: what it waits for, the thread it locks, its expiry, durations so far', () => {
    const text = paneText('overview', example('run_fbjG5CJOvUfeNO1F3Ehy9c7t')).join('\n');
    expect(text).toContain('Status        ! requires_action  locks thread_cP746LGLwn589k9y1yx9syei');
    expect(text).toContain('Waiting for   4 tool outputs (see Required action, key 2)');
    expect(text).toContain('  expires     2026-11-25 12:04:40 UTC (in 4m 40s)');
    expect(text).toContain('  running     5m 16s  started → now (not finished)');
    expect(text).toContain('  waiting     5m 16s  at most: the API does not record when the wait began');
  });

  it('an expired wait is called out', () => {
    expect(paneText('overview', example('run_b2ElVPBEZMptEZL12yKDDfxY')).join('\n')).toContain('expired while waiting');
  });

  it('an undocumented status, v1 file_ids and invalid fields', () => {
    expect(paneText('overview', example('run_tdzZYGDwMQLqLxSGM9B5wCYA')).join('\n')).toContain('? paused_for_review  (status not documented by the API; shown as-is)');
    expect(paneText('overview', example('run_vhqQ0ec6KaVvj14xtKKq8O6N')).join('\n')).toContain('file_ids (v1)         file-3VHzRBYuk9zSGyLhTBtCOkla, file-FDdmTpyvtKxHp3LNYJtiPArx');
    const bad = paneText('overview', run({id: 'run_bad', status: 'completed', created_at: 'yesterday', usage: {total_tokens: 'many'}})).join('\n');
    expect(bad).toContain('Invalid fields (shown as-is in Raw JSON)');
    expect(bad).toContain('✗ created_at: ');
    expect(bad).toContain('✗ usage.total_tokens: ');
  });
});

describe('Required action', () => {
  it('checks each call: ✓ or ✗ per check, with the reason', () => {
    const text = paneText('action', example('run_fbjG5CJOvUfeNO1F3Ehy9c7t'));
    expect(text).toContain('tool calls    4  4 with problems');
    expect(text).toContain('1. ✗ lookup_order  call_EruwaWHfnyI45dfNoqV3cjp6');
    expect(text).toContain('   ✓ known function');
    expect(text).toContain('   ✓ valid JSON');
    expect(text).toContain('   ✗ matches schema');
    expect(text).toContain("       missing required property 'order_id'");
    expect(text).toContain('       /delay_minutes must be integer');
    expect(text).toContain('       /priority must be one of low, normal, high, urgent');
    expect(text).toContain('       /channel is not allowed (additionalProperties)');
  });

  it('invalid JSON arguments: where they break, the schema check skipped, the text as written', () => {
    const text = paneText('action', example('run_TpMlggIvapmkiXatm85gyg0a'));
    expect(text).toContain('tool calls    2  1 with problems');
    expect(text).toContain('   ✗ valid JSON');
    expect(text).toContain('       invalid JSON at line 1, column 15: Unterminated string');
    expect(text).toContain('   – matches schema');
    expect(text).toContain('     {"city": "Berl');
  });

  it('a call to an undeclared function, and a run without tools', () => {
    expect(paneText('action', example('run_43mISLDtQbjVnuzCKoHEcurM')).join('\n')).toContain("unknown function 'get_air_quality'");
    expect(paneText('action', example('run_dLCuRck7KQGC9YOIMsE8jekV')).join('\n')).toContain("run has no tools; 'lookup_order' is not declared");
  });

  it('all checks pass for valid calls; an expired wait says so', () => {
    expect(paneText('action', example('run_wHusDjuFqvKQ3sDZ0rwv2Vhk'))).toContain('tool calls    3  all checks pass');
    const expired = paneText('action', example('run_b2ElVPBEZMptEZL12yKDDfxY'));
    expect(expired).toContain('expired       6d 21h ago (expired while waiting)');
    expect(paneText('action', example('run_dLCuRck7KQGC9YOIMsE8jekV'))).toContain('expires in    44s');
  });

  it('ends with the submit_tool_outputs request, one entry per call id', () => {
    const target = example('run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    const text = paneText('action', target);
    expect(text).toContain('POST /threads/thread_cP746LGLwn589k9y1yx9syei/runs/run_fbjG5CJOvUfeNO1F3Ehy9c7t/submit_tool_outputs');
    const start = text.findIndex((line) => line === '{');
    const body = JSON.parse(text.slice(start).join('\n')) as {tool_outputs: Array<{tool_call_id: string; output: string}>};
    expect(body.tool_outputs.map((entry) => entry.tool_call_id)).toEqual(target.requiredAction!.toolCalls.map((call) => call.id));
    expect(body.tool_outputs.every((entry) => entry.output === '')).toBe(true);
  });

  it('says when there is nothing to do', () => {
    expect(paneText('action', example('run_SFbYvJJpCVVWi9oI4rPwsQIR'))).toEqual(['No action required.']);
    expect(paneText('action', run({id: 'run_odd', status: 'requires_action'}))).toEqual(['The run is in requires_action but carries no required_action.']);
  });
});

describe('Tools, Usage, Last error, Instructions, Metadata, Raw JSON', () => {
  it('Tools: an ink-table of every tool, then each function with its parameters', () => {
    const text = paneText('tools', example('run_fbjG5CJOvUfeNO1F3Ehy9c7t'));
    expect(text[0]).toMatch(/^┌───┬/);
    expect(text[1]).toMatch(/^│ # │ type +│ name +│ strict │ description/);
    expect(text.some((line) => /^│ 4 │ function │ create_ticket +│ yes +│/.test(line))).toBe(true);
    expect(text).toContain('1. lookup_order');
    expect(text).toContain('parameters:');
    expect(paneText('tools', example('run_dLCuRck7KQGC9YOIMsE8jekV'))).toEqual(['This run has no tools.']);
    expect(paneText('tools', run({id: 'run_nt', status: 'completed'}))).toEqual(['The run object has no tools list.']);
  });

  it('Tools: options of built-in tools', () => {
    const text = paneText('tools', example(HOSTILE_ID)).join('\n');
    expect(text).toContain('1. file_search');
    expect(text).toContain('options:');
    expect(text).toContain('"max_num_results": 8');
  });

  it('Usage: a table with the share of each limit', () => {
    const text = paneText('usage', example('run_NJurMaysqo1GEvrPbHZ8WbVL'));
    expect(text[1]).toMatch(/│ tokens +│ used +│ limit +│ share of limit │/);
    expect(text.some((line) => /│ completion │ 300 +│ 300 +│ 100\.0% +│/.test(line))).toBe(true);
    expect(text.some((line) => /│ prompt +│ 6,488 │ — +│/.test(line))).toBe(true);
    expect(text).toContain('incomplete    max_completion_tokens');
  });

  it('Usage: missing while running, and a total that does not add up', () => {
    expect(paneText('usage', example('run_fbjG5CJOvUfeNO1F3Ehy9c7t'))).toEqual(['not finished: the API reports usage when the run ends']);
    expect(paneText('usage', run({id: 'run_x', status: 'completed'}))).toEqual(['no usage recorded for this run']);
    const odd = paneText('usage', run({id: 'run_y', status: 'completed', usage: {prompt_tokens: 10, completion_tokens: 5, total_tokens: 20}}));
    expect(odd).toContain('total differs from prompt + completion (15)');
  });

  it('Last error: code, when and the message; incomplete reasons explained', () => {
    const text = paneText('error', example('run_QcO9H0pyUlfnsXPCQt94epuj')).join('\n');
    expect(text).toContain('code          server_error');
    expect(text).toMatch(/when +2026-11-24 /);
    expect(paneText('error', example('run_NJurMaysqo1GEvrPbHZ8WbVL'))).toEqual([
      'incomplete    max_completion_tokens',
      '              the answer reached max_completion_tokens',
    ]);
    expect(paneText('error', example('run_SFbYvJJpCVVWi9oI4rPwsQIR'))).toEqual(['No error.']);
  });

  it('Instructions: the length, then the text', () => {
    const target = example(HOSTILE_ID);
    const text = paneText('instructions', target);
    expect(text[0]).toBe(`${target.instructions!.length.toLocaleString('en-US')} characters`);
    expect(text).toContain('You are the support assistant for Northwind Outfitters, an online outdoor-clothing store.');
    expect(paneText('instructions', run({id: 'run_ni', status: 'completed'}))).toEqual(['No instructions.']);
  });

  it('Metadata: a key/value table; a newline in a value stays on one row', () => {
    const text = paneText('metadata', example('run_IxhrFsN1D6u5BFZ5tADRi6to'), 200);
    expect(text[1]).toMatch(/│ key +│ value +│/);
    expect(text.some((line) => line.includes('│ agent_note  │ Customer called twice about the duplicate charge.\\nEscalate to billing'))).toBe(true);
    expect(text).toHaveLength(3 + 2 * 5);
    expect(paneText('metadata', example('run_pSmIwWrRVrzonCkED8ykskD1'))).toEqual(['No metadata.']);
  });

  it('Raw JSON: the object as read, pretty-printed', () => {
    const target = example('run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    expect(JSON.parse(paneText('raw', target, 10_000).join('\n'))).toEqual(target.raw);
  });

  it('tab badges count what each pane holds', () => {
    const target = example('run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    expect(PANES.map((pane) => paneBadge(pane.id, target))).toEqual(['', '4', '4', '', '', '', '4', '', '', '']);
    expect(paneBadge('error', example('run_QcO9H0pyUlfnsXPCQt94epuj'))).toBe('!');
    expect(paneBadge('error', example('run_NJurMaysqo1GEvrPbHZ8WbVL'))).toBe('!');
  });
});

describe('untrusted text never reaches the terminal raw', () => {
  it('every pane of the hostile example run is free of control characters', () => {
    const target = example(HOSTILE_ID);
    expect(target.instructions).toMatch(RAW_CONTROL);
    for (const pane of PANES) {
      for (const segment of segments(pane.id, target)) expect(segment.text, `${pane.id}: ${JSON.stringify(segment.text)}`).not.toMatch(RAW_CONTROL);
      for (const line of paneText(pane.id, target, 60)) expect(line).not.toMatch(RAW_CONTROL);
    }
  });

  it('shows the escapes as visible text', () => {
    const text = paneText('instructions', example(HOSTILE_ID), 200).join('\n');
    expect(text).toContain('Mara\\x1b[2J\\x1b]0;pwned\\x07 Quint');
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\x9b6n');
    expect(text).toContain('\\x1b[31mURGENT\\x1b[0m');
    const raw = paneText('raw', example(HOSTILE_ID), 10_000).join('\n');
    expect(raw).toContain('\\u001b[2J');
  });

  it('escapes control characters in every field of a synthetic hostile run', () => {
    const evil = '\u001b]52;c;aGk=\u0007\u009b2J\u202eX\u2066\u200b';
    const target = run({
      id: `run_${evil}`,
      status: `st${evil}`,
      model: evil,
      thread_id: evil,
      assistant_id: evil,
      created_at: NOW - 10,
      instructions: `a\n${evil}\tb`,
      last_error: {code: evil, message: evil},
      incomplete_details: {reason: evil},
      tools: [{type: 'function', function: {name: evil, description: evil, parameters: {type: 'object', description: evil}}}],
      required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: evil, type: 'function', function: {name: evil, arguments: evil}}]}},
      metadata: {[evil]: evil},
      [evil]: evil,
    });
    for (const pane of PANES) {
      for (const segment of segments(pane.id, target)) expect(segment.text, `${pane.id}: ${JSON.stringify(segment.text)}`).not.toMatch(RAW_CONTROL);
    }
  });
});

describe('wrapLine', () => {
  const lineArb = fc.array(
    fc.record({text: fc.string({unit: fc.constantFrom('a', 'b', ' ', '東', '✓', '-', 'xyzxyzxyz')}), tone: fc.constantFrom(undefined, 'dim' as const, 'bad' as const)}),
    {maxLength: 6},
  );

  it('never produces a row wider than the width, for widths that fit a wide character (property)', () => {
    fc.assert(
      fc.property(lineArb, fc.integer({min: 2, max: 40}), (line, width) => {
        const rows = wrapLine(line as Line, width);
        return rows.every((row) => stringWidth(lineText(row)) <= width);
      }),
    );
  });

  it('keeps every visible character, in order (property)', () => {
    fc.assert(
      fc.property(lineArb, fc.integer({min: 2, max: 40}), (line, width) => {
        const before = lineText(line as Line).replace(/\s+/g, '');
        const after = wrapLine(line as Line, width).map(lineText).join('').replace(/\s+/g, '');
        return before === after;
      }),
    );
  });

  it('breaks at spaces when it can', () => {
    expect(wrapLine([{text: 'alpha beta gamma'}], 11).map(lineText)).toEqual(['alpha beta', 'gamma']);
    expect(wrapLine([{text: 'abcdefghij'}], 4).map(lineText)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
