import {describe, it, expect, vi} from 'vitest';
import {checkToolCalls, summarizeProblems, type ToolCallReport} from '../src/triage/toolCallChecks.js';
import {compileSchema, toStrictSchema} from '../src/triage/schemaValidation.js';
import {bookingTool, call, makeRun, timeTool, weatherTool} from './fixtures/triage/runs.js';

function check(report: ToolCallReport | undefined, name: string) {
  const found = report?.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

function fnTool(name: string, parameters: unknown, strict = false) {
  return {type: 'function', function: {name, parameters, strict}};
}

describe('checkToolCalls', () => {
  it('passes several valid calls, in call order, with their parsed arguments', () => {
    const run = makeRun({
      calls: [
        call('call_1', 'get_weather', {city: 'Paris', unit: 'celsius', days: 3}),
        call('call_2', 'get_time', {timezone: 'Europe/Paris'}),
        call('call_3', 'book_table', {restaurant: 'Chez Nous', guests: 2, location: {lat: 48.85, lon: 2.35}, note: null}),
      ],
    });
    const reports = checkToolCalls(run);
    expect(reports.map((r) => r.call.id)).toEqual(['call_1', 'call_2', 'call_3']);
    for (const report of reports) {
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['known function', true],
        ['valid JSON', true],
        ['matches schema', true],
      ]);
      expect(report.ok).toBe(true);
      expect(report.verified).toBe(true);
    }
    expect(reports[0]?.parsedArguments).toEqual({city: 'Paris', unit: 'celsius', days: 3});
    expect(reports[2]?.tool?.name).toBe('book_table');
    expect(summarizeProblems(reports)).toEqual([]);
  });

  it('returns no reports for a run that waits on nothing', () => {
    expect(checkToolCalls(makeRun({status: 'in_progress'}))).toEqual([]);
  });

  it('memoizes per run object', () => {
    const run = makeRun({calls: [call('call_1', 'get_time', {timezone: 'UTC'})]});
    expect(checkToolCalls(run)).toBe(checkToolCalls(run));
  });

  it('reports an unknown function, lists the declared ones, and skips the schema check', () => {
    const run = makeRun({tools: [weatherTool, timeTool], calls: [call('call_x', 'get_wether', {city: 'Paris'})]});
    const [report] = checkToolCalls(run);
    expect(report?.ok).toBe(false);
    expect(check(report, 'known function')).toMatchObject({ok: false, details: ["unknown function 'get_wether'"], notes: ['declared functions: get_weather, get_time']});
    expect(check(report, 'valid JSON').ok).toBe(true);
    expect(check(report, 'matches schema')).toMatchObject({ok: null, couldNotRun: 'earlier check failed'});
    expect(summarizeProblems(checkToolCalls(run))).toEqual(["get_wether (call_x): unknown function 'get_wether'"]);
  });

  it('says so when the run has no tools at all', () => {
    const run = makeRun({tools: [], calls: [call('call_1', 'get_weather', {city: 'Paris'})]});
    const [report] = checkToolCalls(run);
    expect(check(report, 'known function')).toMatchObject({ok: false, details: ["run has no tools; 'get_weather' is not declared"]});
    expect(report?.ok).toBe(false);
  });

  it('does not count non-function tools as declaring a function', () => {
    const run = makeRun({tools: [{type: 'code_interpreter'}, {type: 'file_search'}], calls: [call('call_1', 'get_weather', {city: 'Paris'})]});
    const [report] = checkToolCalls(run);
    expect(check(report, 'known function')).toMatchObject({
      ok: false,
      details: ["unknown function 'get_weather'"],
      notes: ['the run declares no function tools, only: code_interpreter, file_search'],
    });
  });

  it('cannot check the function when the run object has no tools field', () => {
    const run = makeRun({omitTools: true, calls: [call('call_1', 'get_weather', {city: 'Paris'})]});
    const [report] = checkToolCalls(run);
    expect(check(report, 'known function')).toMatchObject({ok: null, couldNotRun: 'tools not listed'});
    expect(check(report, 'matches schema')).toMatchObject({ok: null, couldNotRun: 'tools not listed'});
    expect(report?.ok).toBe(true);
    expect(report?.verified).toBe(false);
  });

  it('says where broken JSON arguments break', () => {
    const run = makeRun({
      calls: [
        call('call_1', 'get_weather', '{"city": "Paris'),
        call('call_2', 'get_weather', '{\n  "city": "Paris",\n  "days": 3,\n}'),
        call('call_3', 'get_time', ''),
      ],
    });
    const reports = checkToolCalls(run);
    expect(check(reports[0], 'valid JSON')).toMatchObject({ok: false, details: ['invalid JSON at line 1, column 16: Unterminated string']});
    expect(check(reports[1], 'valid JSON')).toMatchObject({ok: false, details: ['invalid JSON at line 4, column 1: Expected double-quoted property name']});
    expect(check(reports[2], 'valid JSON')).toMatchObject({ok: false, details: ['invalid JSON at line 1, column 1: Unexpected end of JSON input']});
    expect(reports[0]?.parsedArguments).toBeUndefined();
    expect(check(reports[0], 'matches schema')).toMatchObject({ok: null, couldNotRun: 'earlier check failed'});
    expect(check(reports[0], 'known function').ok).toBe(true);
  });

  it('reports every schema violation with its JSON pointer', () => {
    const run = makeRun({calls: [call('call_1', 'get_weather', {unit: 'kelvin', days: 2.5, extra: true})]});
    const [report] = checkToolCalls(run);
    const schema = check(report, 'matches schema');
    expect(schema.ok).toBe(false);
    // Not strict: the extra property is allowed.
    expect([...schema.details].sort()).toEqual(["/days must be integer", '/unit must be one of celsius, fahrenheit', "missing required property 'city'"]);
    expect(report?.ok).toBe(false);
    expect(report?.parsedArguments).toEqual({unit: 'kelvin', days: 2.5, extra: true});
    expect(summarizeProblems([report!])).toContain("get_weather (call_1): missing required property 'city'");
  });

  it('checks range keywords and the root type', () => {
    const run = makeRun({calls: [call('call_1', 'get_weather', {city: 'Paris', days: 30}), call('call_2', 'get_weather', '["Paris"]')]});
    const [first, second] = checkToolCalls(run);
    expect(check(first, 'matches schema').details).toEqual(['/days must be <= 14']);
    expect(check(second, 'matches schema').details).toEqual(['arguments must be object']);
  });

  it('applies OpenAI strict mode: every property required, no additional properties, at every level', () => {
    const run = makeRun({
      calls: [call('call_1', 'book_table', {restaurant: 'Chez Nous', guests: '2', location: {lat: 1, alt: 3}, extra: 1})],
    });
    const [report] = checkToolCalls(run);
    const schema = check(report, 'matches schema');
    expect(schema.ok).toBe(false);
    expect([...schema.details].sort()).toEqual([
      '/extra is not allowed (additionalProperties)',
      '/guests must be integer',
      "/location missing required property 'lon'",
      '/location/alt is not allowed (additionalProperties)',
      "missing required property 'note'",
    ]);
    expect(schema.notes).toContain('strict: every property is required and no other property is allowed');
    // The run's own schema is left as it was.
    expect(run.tools[2]?.parameters).toEqual(bookingTool.function.parameters);
  });

  it('keeps an explicit additionalProperties in strict mode', () => {
    const tool = fnTool('f', {type: 'object', properties: {a: {type: 'string'}}, additionalProperties: {type: 'number'}}, true);
    const run = makeRun({tools: [tool], calls: [call('c1', 'f', {a: 'x', b: 1}), call('c2', 'f', {a: 'x', b: 'no'})]});
    const [ok, bad] = checkToolCalls(run);
    expect(check(ok, 'matches schema').ok).toBe(true);
    expect(check(bad, 'matches schema').details).toEqual(['/b must be number']);
  });

  it('reports an uncompilable schema as a check that could not run, without throwing', () => {
    const run = makeRun({
      tools: [
        fnTool('typo', {type: 'object', properties: {city: {type: 'strng'}}}),
        fnTool('dangling', {type: 'object', properties: {city: {$ref: '#/$defs/City'}}}),
        fnTool('text', 'a city name'),
      ],
      calls: [call('c1', 'typo', {city: 'Paris'}), call('c2', 'dangling', {city: 'Paris'}), call('c3', 'text', {city: 'Paris'})],
    });
    const reports = checkToolCalls(run);
    for (const report of reports) {
      const schema = check(report, 'matches schema');
      expect(schema.ok).toBe(null);
      expect(schema.couldNotRun).toBe('schema error');
      expect(report.ok).toBe(true);
      expect(report.verified).toBe(false);
    }
    expect(check(reports[0], 'matches schema').details[0]).toMatch(/^schema could not be compiled: schema is invalid: data\/properties\/city\/type /);
    expect(check(reports[1], 'matches schema').details[0]).toMatch(/^schema could not be compiled: can't resolve reference #\/\$defs\/City/);
    expect(check(reports[2], 'matches schema').details).toEqual(['schema could not be compiled: parameters is a string, not a JSON Schema object']);
    expect(summarizeProblems(reports)).toHaveLength(3);
  });

  it('does not check a function without parameters', () => {
    const run = makeRun({tools: [{type: 'function', function: {name: 'ping'}}], calls: [call('c1', 'ping', {})]});
    const [report] = checkToolCalls(run);
    expect(check(report, 'matches schema')).toMatchObject({ok: null, couldNotRun: 'no schema', details: ["function 'ping' declares no parameters schema"]});
    expect(summarizeProblems(checkToolCalls(run))).toEqual([]);
  });

  it('compiles odd schemas from the wild without logging anything', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const run = makeRun({
        tools: [
          fnTool('when', {
            type: 'object',
            properties: {at: {type: 'string', format: 'date-time', 'x-unit': 'iso'}, n: {type: 'number', example: 3}},
            required: ['at', 'ghost'],
          }),
        ],
        calls: [call('c1', 'when', {at: 'tomorrow', n: 1})],
      });
      const [report] = checkToolCalls(run);
      // Formats are not validated (ajv-formats is not a dependency); the required ghost is.
      expect(check(report, 'matches schema').details).toEqual(["missing required property 'ghost'"]);
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('honours $schema 2020-12 and checks draft-04 schemas as draft-07', () => {
    const run = makeRun({
      tools: [
        fnTool('new', {$schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {xs: {type: 'array', prefixItems: [{type: 'string'}]}}}),
        fnTool('old', {$schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: {n: {type: 'integer'}}}),
      ],
      calls: [call('c1', 'new', {xs: [1]}), call('c2', 'old', {n: 'x'})],
    });
    const [first, second] = checkToolCalls(run);
    expect(check(first, 'matches schema').details).toEqual(['/xs/0 must be string']);
    expect(check(second, 'matches schema').details).toEqual(['/n must be integer']);
    expect(check(second, 'matches schema').notes).toEqual(["$schema 'http://json-schema.org/draft-04/schema#' is not supported; checked as draft-07"]);
  });

  it('does not confuse two different schemas that share an $id', () => {
    const a = fnTool('f', {$id: 'https://example.com/args', type: 'object', properties: {n: {type: 'integer'}}});
    const b = fnTool('f', {$id: 'https://example.com/args', type: 'object', properties: {n: {type: 'string'}}});
    const runA = makeRun({tools: [a], calls: [call('c1', 'f', {n: 'x'})]});
    const runB = makeRun({tools: [b], calls: [call('c1', 'f', {n: 'x'})]});
    expect(check(checkToolCalls(runA)[0], 'matches schema').details).toEqual(['/n must be integer']);
    expect(check(checkToolCalls(runB)[0], 'matches schema')).toMatchObject({ok: true, details: []});
  });
});

describe('compileSchema', () => {
  it('shares one validator between equal schemas of separately parsed runs', () => {
    const one = makeRun();
    const two = makeRun();
    expect(one.tools[0]?.parameters).not.toBe(two.tools[0]?.parameters);
    const compiled = compileSchema(one.tools[0]?.parameters, false);
    expect(compiled.ok).toBe(true);
    expect(compileSchema(two.tools[0]?.parameters, false)).toBe(compiled);
    expect(compileSchema(two.tools[0]?.parameters, true)).not.toBe(compiled);
  });
});

describe('toStrictSchema', () => {
  it('adds additionalProperties false and requires every property, inside anyOf, items and $defs', () => {
    const schema = {
      type: 'object',
      properties: {a: {type: 'string'}, list: {type: 'array', items: {$ref: '#/$defs/item'}}, either: {anyOf: [{type: 'object', properties: {x: {type: 'number'}}}, {type: 'null'}]}},
      required: ['a'],
      $defs: {item: {type: 'object', properties: {id: {type: 'string'}}, additionalProperties: true}},
    };
    expect(toStrictSchema(schema)).toEqual({
      type: 'object',
      properties: {
        a: {type: 'string'},
        list: {type: 'array', items: {$ref: '#/$defs/item'}},
        either: {anyOf: [{type: 'object', properties: {x: {type: 'number'}}, additionalProperties: false, required: ['x']}, {type: 'null'}]},
      },
      required: ['a', 'list', 'either'],
      additionalProperties: false,
      $defs: {item: {type: 'object', properties: {id: {type: 'string'}}, additionalProperties: true, required: ['id']}},
    });
    expect(schema.required).toEqual(['a']);
    expect('additionalProperties' in schema).toBe(false);
  });
});
