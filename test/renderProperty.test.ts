/**
 * Properties of rendering: any run normalize can produce — hostile strings, wide CJK and emoji,
 * huge and negative numbers, nulls, wrong types — renders in every pane, in `show` and in a list
 * row at any width from 20 to 200 without throwing, and no line is wider than the width.
 */
import fc from 'fast-check';
import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {paneLines} from '../src/cli/paneText.js';
import {runAsText} from '../src/cli/printRun.js';
import {printRunList} from '../src/cli/printRuns.js';
import {normalizeRun} from '../src/model/normalize.js';
import {lineText} from '../src/panes/content.js';
import {PANES} from '../src/panes/paneIds.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import {buildPane} from '../src/panes/paneIds.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const CONTEXT: PaneContext = {nowSeconds: NOW, time: {utc: true}};

const PIECES = ['a', ' ', 'run_', '\n', '\t', '東京', '😀', '👨‍👩‍👧', 'e\u0301', '\u001b[2J', '\u001b]52;c;eA==\u0007', '\u001b]8;;x\u001b\\', '\r', '\b', '\u009b', '\u202e', '\u200b', '\u0000', '\\x1b', 'x'.repeat(90)];
const text = fc.string({unit: fc.constantFrom(...PIECES), maxLength: 12});
const number = fc.oneof(fc.constantFrom(0, -1, 1e11, 1e300, -1e300, 1793610000, 8.64e15), fc.integer(), fc.double());
const scalar = fc.oneof(text, number, fc.constant(null), fc.boolean());
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, scalar);

const toolCall = fc.record({id: maybe(text), type: maybe(fc.constant('function')), function: maybe(fc.record({name: maybe(text), arguments: maybe(fc.oneof(text, fc.constant('{"q": 1}')))}))});
const rawRun = fc.record(
  {
    id: maybe(text.map((id) => `run_${id}`)),
    status: maybe(fc.oneof(fc.constantFrom('queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired'), text)),
    model: maybe(text),
    thread_id: maybe(text),
    assistant_id: maybe(text),
    created_at: maybe(number),
    started_at: maybe(number),
    expires_at: maybe(number),
    completed_at: maybe(number),
    failed_at: maybe(number),
    cancelled_at: maybe(number),
    instructions: maybe(text),
    temperature: maybe(number),
    max_prompt_tokens: maybe(number),
    last_error: maybe(fc.record({code: maybe(text), message: maybe(text)})),
    incomplete_details: maybe(fc.record({reason: maybe(text)})),
    usage: maybe(fc.record({prompt_tokens: maybe(number), completion_tokens: maybe(number), total_tokens: maybe(number)})),
    metadata: maybe(fc.dictionary(text, text, {maxKeys: 3})),
    tools: maybe(fc.array(fc.record({type: maybe(fc.constant('function')), function: maybe(fc.record({name: maybe(text), description: maybe(text), parameters: maybe(fc.constant({type: 'object', required: ['q']}))}))}), {maxLength: 3})),
    required_action: maybe(fc.record({type: maybe(fc.constant('submit_tool_outputs')), submit_tool_outputs: maybe(fc.record({tool_calls: maybe(fc.array(toolCall, {maxLength: 3}))}))})),
    tool_choice: maybe(fc.oneof(text, fc.record({type: text}))),
  },
  {requiredKeys: []},
);
const width = fc.integer({min: 20, max: 200});

const visibleWidth = (line: string) => stringWidth(stripVTControlCharacters(line));

describe('rendering any normalized run (properties)', () => {
  it('every pane, at any width from 20 to 200: no throw, no line wider than the width', () => {
    fc.assert(
      fc.property(rawRun, width, fc.boolean(), (raw, columns, ascii) => {
        const run = normalizeRun({object: 'thread.run', ...raw}, {file: 'property.json'});
        for (const pane of PANES) {
          for (const line of paneLines(buildPane(pane.id, run, {...CONTEXT, ascii, width: columns}), columns).map(lineText)) {
            expect(visibleWidth(line), `${pane.id} at ${columns}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(columns);
          }
        }
      }),
      {numRuns: 25},
    );
  }, 120_000);

  it('show on a terminal (every pane, in colour) and a list row on a terminal: no line wider than the width', () => {
    fc.assert(
      fc.property(fc.array(rawRun, {minLength: 1, maxLength: 4}), fc.integer({min: 40, max: 200}), fc.boolean(), (raws, columns, color) => {
        const runs = raws.map((raw) => normalizeRun({object: 'thread.run', ...raw}, {file: 'property.json'}));
        const shown = runAsText(runs[0]!, {...CONTEXT}, {width: columns, color});
        let listed = '';
        printRunList(runs, {write: (chunk) => void (listed += chunk), isTerminal: true, color, columns}, {json: false, nowSeconds: NOW, time: {utc: true}, ascii: false});
        for (const line of `${shown}${listed}`.split('\n')) expect(visibleWidth(line), `at ${columns}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(columns);
      }),
      {numRuns: 20},
    );
  }, 120_000);
});
