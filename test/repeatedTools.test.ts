import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseJsonTolerant} from '../src/format/jsonError.js';
import {containerEnd, RepeatedTools} from '../src/sources/repeatedTools.js';
import {readJsonLines} from './helpers/jsonLines.js';

const TOOLS = [
  [{type: 'function', function: {name: 'lookup_order', description: 'Find an order by id: "quoted", [bracketed] {braced}', parameters: {type: 'object', properties: {id: {type: 'string'}}}}}],
  [{type: 'code_interpreter'}, {type: 'file_search'}],
  [],
  [{type: 'function', function: {name: 'café_東京', description: 'back\\slash \\" and \\\\', parameters: {}}}],
];

/** A run line: `tools` somewhere among other keys, maybe a nested `tools`, a later `tools`, text before it that is not ASCII. */
const runLine = fc
  .record({
    tools: fc.constantFrom(...TOOLS),
    status: fc.constantFrom('completed', 'failed', 'requires_action', 'REQUIRES_ACTION'),
    before: fc.constantFrom('', '"instructions":"Résumé — 東京 \\"tools\\":[1]",', '"metadata":{"tools":"x"},', '"metadata":{"tools":[1]},', '"tools" :[2],'),
    after: fc.constantFrom('', ',"tools":0', ',"tools":-0', ',"tools": -0.0', ',"model":"gpt-4-0613"', ',"metadata":{"tools":[]}', ',"x":[1,]', ',"y":NaN'),
    id: fc.integer({min: 0, max: 5}),
  })
  .map(({tools, status, before, after, id}) => `{"id":"run_${id}","object":"thread.run",${before}"status":"${status}","tools":${JSON.stringify(tools)}${after}}`);

/** Cut short, or with a byte flipped: lines that fail, or parse to something else. */
const line = fc.oneof(
  {weight: 4, arbitrary: runLine},
  runLine.chain((text) => fc.integer({min: 1, max: text.length}).map((cut) => text.slice(0, cut))),
  runLine.chain((text) => fc.tuple(fc.integer({min: 0, max: text.length - 1}), fc.constantFrom('"', ']', '}', ',', ' ', 'x')).map(([at, char]) => text.slice(0, at) + char + text.slice(at + 1))),
);

describe('RepeatedTools', () => {
  it('parses every line as parseJsonTolerant does, values and errors, and takes the shortcut for repeats', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(fc.array(line, {minLength: 1, maxLength: 12}), (lines) => {
        // Short lines too: the reader leaves lines under 768 bytes to the plain parse.
        const repeated = new RepeatedTools(0);
        for (const text of lines) {
          const bytes = Buffer.from(text, 'utf8');
          const parsed = repeated.parse(text, text.startsWith('{') && text.endsWith('}') ? bytes : null);
          if (repeated.shared) shortcuts += 1;
          expect(parsed).toEqual(parseJsonTolerant(text));
        }
      }),
      {numRuns: 400},
    );
    // The property would hold with no shortcut at all: make sure it was tested.
    expect(shortcuts).toBeGreaterThan(50);
  });

  it('finds where an array ends, past brackets and quotes inside strings', () => {
    const text = `{"tools":${JSON.stringify(TOOLS[0])},"x":1}`;
    expect(text.slice(9, containerEnd(text, 9))).toBe(JSON.stringify(TOOLS[0]));
    expect(containerEnd('[1,"]', 0)).toBe(-1);
  });
});

const load = (text: string, detach: boolean) => readJsonLines(text, 'runs.jsonl', detach);

describe('JSON Lines kept small, with repeated tools', () => {
  // Long enough for the reader to look for repeated tools (768 bytes).
  const run = (id: string, status: string, extra = '') =>
    `{"id":"${id}","object":"thread.run","status":"${status}","created_at":1,"instructions":"${'Be brief. '.repeat(80)}","tools":${JSON.stringify(TOOLS[0])}${extra}}`;
  const text = [run('run_1', 'completed'), run('run_2', 'requires_action'), run('run_3', 'requires_action'), run('run_4', 'failed', ',"temperature":"hot"'), '{"id":"run_5",', run('run_6', 'completed', ',"x":[1,]')].join('\n');

  it('gives the runs and warnings of a whole load', () => {
    const small = load(text, true);
    const whole = load(text, false);
    expect(small.warnings).toEqual(whole.warnings);
    expect(small.warnings.map((warning) => warning.location.split(':').slice(0, 2).join(':'))).toEqual(['runs.jsonl:4', 'runs.jsonl:5', 'runs.jsonl:6']);
    expect(small.runs.map((each) => [each.id, each.status, each.source.line, each.problems])).toEqual(whole.runs.map((each) => [each.id, each.status, each.source.line, each.problems]));
    expect(small.runs.map((each) => (each as {toolTypes?: readonly string[]}).toolTypes ?? each.tools.map((tool) => tool.type))).toEqual([['function'], ['function'], ['function'], ['function'], ['function']]);
  });

  it('still says a note of a run kept whole, whose line was read twice (once with the shared array, once on its own)', () => {
    // The first status in another case of the file: the warning that says it once per source.
    const lines = [run('run_1', 'completed'), run('run_2', 'REQUIRES_ACTION'), run('run_3', 'Requires_Action')].join('\n');
    const small = load(lines, true);
    expect(small.warnings).toEqual(load(lines, false).warnings);
    expect(small.warnings.map((warning) => [warning.location, warning.message.split(';')[0]])).toEqual([['runs.jsonl:2', 'run_2: status "REQUIRES_ACTION" read as \'requires_action\'']]);
    expect(small.runs[1]!.status).toBe('requires_action');
  });

  it('gives a run kept whole tools of its own, not an array shared with other lines', () => {
    const [, second, third] = load(text, true).runs;
    expect(second!.raw['tools']).toEqual(TOOLS[0]);
    expect(second!.raw['tools']).not.toBe(third!.raw['tools']);
    expect(second!.tools[0]!.parameters).not.toBe(third!.tools[0]!.parameters);
  });
});
