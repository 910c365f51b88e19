/**
 * The printout reader (parseRepr): real pydantic output (test/fixtures/python/, written by
 * make_fixtures.py with pydantic 2), Python's own string reprs, console.log's output made by
 * Node's util.inspect here, the grammar's corners, where errors point, and properties: any JSON
 * value written as a Python repr, or by util.inspect, reads back as that value.
 */
import {readFileSync} from 'node:fs';
import {inspect} from 'node:util';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {MAX_REPR_DEPTH, parseRepr, startsLikeRepr} from '../src/sources/pythonRepr.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/python/${name}`, import.meta.url), 'utf8');
const EXPECTED = JSON.parse(fixture('expected.json')) as Record<string, unknown[]>;

/** The one value of a text that must parse cleanly. */
function only(text: string): unknown {
  const document = parseRepr(text);
  expect(document.errors).toEqual([]);
  expect(document.values).toHaveLength(1);
  return document.values[0]!.value;
}

/** The first error, as `line:column reason`. */
function firstError(text: string): string {
  const error = parseRepr(text).errors[0];
  return error ? `${error.line}:${error.column} ${error.reason}` : 'no error';
}

describe('pydantic and pprint output (openai-python models, printed by pydantic 2)', () => {
  for (const name of ['print-run.txt', 'print-runs.txt', 'page.txt', 'to-dict.txt', 'pprint.txt']) {
    it(`${name} reads as Python's own JSON of the same objects`, () => {
      const text = fixture(name);
      expect(startsLikeRepr(text)).toBe(true);
      const document = parseRepr(text);
      expect(document).toMatchObject({dialect: 'python', errors: [], notes: []});
      expect(document.values.map(({value}) => value)).toEqual(EXPECTED[name]);
    });
  }

  it('print(run) drops the class names and keeps the fields in order; schema_ is the API\'s schema', () => {
    const run = only(fixture('print-run.txt')) as Record<string, unknown>;
    expect(Object.keys(run).slice(0, 4)).toEqual(['id', 'assistant_id', 'cancelled_at', 'completed_at']);
    expect(run['required_action']).toMatchObject({type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: expect.any(Array)}});
    const schema = only("JSONSchema(name='trip', description=None, schema_={'type': 'object'}, strict=True)");
    expect(schema).toEqual({name: 'trip', description: null, schema: {type: 'object'}, strict: true});
  });

  it('a log of print(run) lines with one cut short: that line is an error where it ends, the others load', () => {
    const text = fixture('log.txt');
    const document = parseRepr(text);
    expect(document.values.map(({value}) => value)).toEqual(EXPECTED['log.txt']);
    expect(document.values.map(({at}) => at.line)).toEqual([1, 2, 4, 5]);
    // The line ends inside the instructions: the error points at where that string begins.
    expect(document.errors).toEqual([{offset: expect.any(Number), line: 3, column: 224, reason: 'a string begun here is not closed on its line'}]);
  });

  it("strings as Python's repr() writes them (quotes, escapes, what it counts printable) read back as the string", () => {
    const pairs = JSON.parse(fixture('string-reprs.json')) as Array<[string, string]>;
    expect(pairs.length).toBeGreaterThan(20);
    for (const [value, repr] of pairs) expect(only(repr)).toBe(value);
  });
});

describe('the literal subset', () => {
  it('reads Python values: None, True, False, numbers of every spelling, tuples, sets, enums', () => {
    expect(only('[None, True, False, 0, -5, 1_000, 0x1F, 0o17, 0b101, 1.0, 1e-05, 2.5E+20, .5, -0.0]')).toEqual([
      null, true, false, 0, -5, 1000, 31, 15, 5, 1, 0.00001, 2.5e20, 0.5, -0,
    ]);
    expect(only('[inf, -inf, nan]')).toEqual([Infinity, -Infinity, Number.NaN]);
    expect(only("((), (1,), (1, 2), ('a'), {1, 2}, {})")).toEqual([[], [1], [1, 2], 'a', [1, 2], {}]);
    expect(only("{'status': <RunStatus.QUEUED: 'queued'>}")).toEqual({status: 'queued'});
    expect(only("{1: 'a', -2.5: 'b', None: 'c', True: 'd'}")).toEqual({'1': 'a', '-2.5': 'b', null: 'c', true: 'd'});
  });

  it('joins adjacent strings (pprint splits long ones), reads prefixes, triple quotes and every escape', () => {
    expect(only("('You are '\n 'a helpful' \"\" ' bot')")).toBe('You are a helpful bot');
    expect(only(String.raw`r'C:\new\'x'`)).toBe(String.raw`C:\new\'x`);
    expect(only(String.raw`b'\xff\x00 \u00e9'`)).toBe('\u00ff\u0000 \\u00e9');
    expect(only("'''it's\n\"multi\"\nline'''")).toBe('it\'s\n"multi"\nline');
    expect(only(String.raw`'\a\b\f\v\0\101\x41\u0041\U0001F600\q\
x'`)).toBe('\u0007\b\f\v\u0000AAA😀\\qx');
    expect(only(String.raw`'\ud83d\ude00 and \udc00'`)).toBe('😀 and \udc00');
  });

  it('reads trailing commas, comments, several lines and values one after another', () => {
    expect(only('Run(\n    id=\'run_1\',  # the id\n    tools=[],\n)')).toEqual({id: 'run_1', tools: []});
    const document = parseRepr("Run(id='a')\nRun(id='b'),\n{'id': 'c'}\n");
    expect(document.values.map(({value, at}) => [value, at.line])).toEqual([[{id: 'a'}, 1], [{id: 'b'}, 2], [{id: 'c'}, 3]]);
  });

  it("reads a generic page's name and pydantic's str() (key=value, one object a line)", () => {
    expect(only("SyncCursorPage[Run](data=[Run(id='a')], has_more=False, object='list')")).toEqual({data: [{id: 'a'}], has_more: false, object: 'list'});
    expect(only("Page[Dict[str, int]](data=[])")).toEqual({data: []});
    const document = parseRepr("id='run_1' status='queued' usage=None\nid='run_2' status='failed'\n");
    expect(document.values.map(({value}) => value)).toEqual([{id: 'run_1', status: 'queued', usage: null}, {id: 'run_2', status: 'failed'}]);
  });

  it('reads what is printed but not data as its text, and notes where', () => {
    const document = parseRepr("Run(id='x', at=datetime.datetime(2024, 1, 1, 0, 0), it=<generator object f at 0x7f3a>, v=value, r=[...], z=1j)");
    expect(document.errors).toEqual([]);
    expect(document.values[0]!.value).toEqual({id: 'x', at: 'datetime.datetime(2024, 1, 1, 0, 0)', it: '<generator object f at 0x7f3a>', v: 'value', r: [], z: '1j'});
    expect(document.notes.map(({kind, text, at}) => `${kind} ${text} ${at.column}`)).toEqual([
      'opaque datetime.datetime(2024, 1, 1, 0, 0) 16',
      'opaque <generator object f at 0x7f3a> 56',
      'opaque value 90',
      'cut ... 100',
      'opaque 1j 108',
    ]);
  });

  it("keeps a key named __proto__ as the object's own, as JSON.parse does", () => {
    const value = only("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});

describe('where a printout breaks', () => {
  it('names the line and column, and the bracket left open', () => {
    expect(firstError("Run(id='run_1',\n    status='queued'")).toBe('2:20 the text ends before Run( opened at 1:1 is closed');
    expect(firstError("Run(id='run_1' status='queued')")).toBe("1:16 expected ',' or ')' in Run( opened at 1:1, not 's'");
    expect(firstError("{'id': 'run_1',\n 'status': 'queued'")).toBe('2:20 the text ends before the dict opened at 1:1 is closed');
    expect(firstError("{'id' 'run_1': 1, 'x' 2}")).toBe("1:23 expected ':' after the dict key, not '2'");
    expect(firstError("[1, 2 3]")).toBe("1:7 expected ',' or ']' in the list opened at 1:1, not '3'");
    expect(firstError("{'instructions': 'You are\n a bot'}")).toBe('1:18 a string begun here is not closed on its line');
    expect(firstError(String.raw`{'a': '\x4'}`)).toBe(String.raw`1:8 \x needs 2 hex digits`);
    expect(firstError(String.raw`{'a': '\N{BULLET}'}`)).toBe(String.raw`1:8 a named escape (\N{…}) is not read; Python prints the character itself`);
    expect(firstError("Run(id=)")).toBe("1:8 expected a value, not ')'");
    expect(firstError("Run(id='x', when=<object at 0x1")).toBe("1:18 '<' is not closed on its line");
    expect(firstError("{'a': 12abc}")).toBe("1:9 unexpected 'a' in a number");
  });

  it(`reads ${MAX_REPR_DEPTH} levels and refuses one more, saying where`, () => {
    const nested = (depth: number) => `${'Run(a='.repeat(depth - 1)}[]${')'.repeat(depth - 1)}`;
    let value = only(nested(MAX_REPR_DEPTH));
    for (let level = 1; level < MAX_REPR_DEPTH; level += 1) value = (value as {a: unknown}).a;
    expect(value).toEqual([]);
    const tooDeep = parseRepr(`{'a': ${'['.repeat(MAX_REPR_DEPTH)}${']'.repeat(MAX_REPR_DEPTH)}}`);
    expect(tooDeep.errors).toEqual([{offset: 6 + MAX_REPR_DEPTH - 1, line: 1, column: 7 + MAX_REPR_DEPTH - 1, reason: `nested deeper than ${MAX_REPR_DEPTH} levels`}]);
    // 100,000 levels: an error, not a stack overflow.
    expect(parseRepr(`Run(a=${'['.repeat(100_000)}`).errors[0]?.reason).toBe(`nested deeper than ${MAX_REPR_DEPTH} levels`);
  });

  it('goes on at the next line that starts a value, so one broken print costs only itself', () => {
    const document = parseRepr("Run(id='a')\nRun(id='b', at=<object at 0x1>, status=\n  'x' 'y' : )\nRun(id='c')\n");
    expect(document.values.map(({value}) => value)).toEqual([{id: 'a'}, {id: 'c'}]);
    expect(document.errors.map(({line, column}) => `${line}:${column}`)).toEqual(['3:11']);
    // Nothing is said about the skipped value but that it broke.
    expect(document.notes).toEqual([]);
  });
});

describe("console.log's output (Node's util.inspect)", () => {
  const run = {
    id: 'run_js',
    object: 'thread.run',
    status: 'requires_action',
    required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{"a":1}'}}]}},
    metadata: {'content-type': "it's \"quoted\"", note: 'line one\nline two\nline three, long enough to be split by inspect'},
    tools: [],
    usage: null,
  };

  it('reads console.log at full depth back as the object', () => {
    const text = inspect(run, {depth: Infinity, breakLength: 60});
    expect(startsLikeRepr(text)).toBe(true);
    const document = parseRepr(text);
    expect(document).toMatchObject({dialect: 'javascript', errors: [], notes: []});
    expect(document.values[0]!.value).toEqual(run);
  });

  it("notes console.log's default depth cut ([Object], [Array]) where it is, the rest loads", () => {
    const text = inspect({...run, deep: {a: {b: {c: 1}}}});
    expect(text).toContain('[Array]');
    const document = parseRepr(text);
    expect(document.errors).toEqual([]);
    expect(document.values[0]!.value).toMatchObject({id: 'run_js', required_action: {submit_tool_outputs: {tool_calls: '[Array]'}}, deep: {a: {b: '[Object]'}}});
    expect(document.notes.map(({kind, text: printed}) => `${kind} ${printed}`)).toEqual(['cut [Array]', 'cut [Object]']);
  });

  it('reads class instances, null prototypes, circular references, undefined and a long array cut short', () => {
    class Run {
      id = 'run_x';
      extra = undefined;
    }
    const circular: Record<string, unknown> = {id: 'run_c', list: Array.from({length: 102}, (_, index) => index)};
    circular['self'] = circular;
    expect(only(inspect(new Run()))).toEqual({id: 'run_x', extra: null});
    expect(only(inspect(Object.assign(Object.create(null), {id: 'run_n'})))).toEqual({id: 'run_n'});
    const document = parseRepr(inspect(circular));
    expect(document.values[0]!.value).toMatchObject({id: 'run_c', self: '[Circular *1]'});
    expect((document.values[0]!.value as {list: unknown[]}).list).toHaveLength(100);
    expect(document.notes.map(({kind, text}) => `${kind} ${text}`)).toEqual(['cut ... 2 more items', 'opaque [Circular *1]']);
  });
});

describe('startsLikeRepr', () => {
  it('says yes to printouts and no to broken JSON, which keeps its JSON error', () => {
    for (const text of ["Run(id='x')", "SyncCursorPage[Run](data=[])", "id='x' status='y'", "{'id': 'x'}", '[Run(id="x")]', '{"id": "x", "ok": True}', "{ id: 'x' }", '{ a: [Array] }', '[\n  {"a": None}]']) {
      expect([text, startsLikeRepr(text)]).toEqual([text, true]);
    }
    for (const text of ['{"id": "x",}', '[1, NaN]', '{"a": 1 "b": 2}', '{"a": tru}', '<html><body>', 'id: run_1\nstatus: queued', 'Traceback (most recent call last):', 'hello world', '', '{"a": "it\'s']) {
      expect([text, startsLikeRepr(text)]).toEqual([text, false]);
    }
  });
});

/** A small seeded generator, so a failing case is reproduced by its seed. */
function chooser(seed: number): (choices: number) => number {
  let state = seed >>> 0;
  return (choices) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) % choices;
  };
}

/** Python's repr() of a string, non-ASCII escaped or not (both are what some printer writes). */
function pythonString(text: string, escapeNonAscii: boolean): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const hex = (digits: number) => code.toString(16).padStart(digits, '0');
    if (char === '\\' || char === quote) out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(2)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += `\\u${hex(4)}`;
    else if (escapeNonAscii && code > 0x7f) out += code <= 0xff ? `\\x${hex(2)}` : code <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`;
    else out += char;
  }
  return out + quote;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(['None', 'True', 'False', 'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'while', 'def', 'class', 'return', 'lambda', 'import', 'from', 'as', 'with', 'try', 'except', 'finally', 'raise', 'pass', 'break', 'continue', 'global', 'nonlocal', 'del', 'assert', 'yield', 'async', 'await', 'schema_']);

/** A JSON value written as Python prints it: pydantic models or dicts, pprint's or Rich's line breaks, split strings; choices from `choose`. */
function toPython(value: unknown, choose: (choices: number) => number, indent = ''): string {
  const separator = () => [', ', ',\n' + indent + ' ', ',\n' + indent + '    '][choose(3)]!;
  const trailing = () => (choose(4) === 0 ? ',' : '');
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0.0';
    if (Number.isInteger(value) && choose(2) === 0) return `${value}.0`.replace(/e\+?(\d+)\.0$/, 'e+$1');
    return String(value);
  }
  if (typeof value === 'string') {
    const escape = choose(2) === 0;
    if (value.length < 2 || choose(3) !== 0) return pythonString(value, escape);
    // pprint's split: adjacent literals, perhaps in parentheses.
    const cut = 1 + choose(value.length - 1);
    const parts = `${pythonString(value.slice(0, cut), escape)}\n${indent} ${pythonString(value.slice(cut), escape)}`;
    return choose(2) === 0 ? `(${parts})` : parts;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return choose(2) === 0 ? '[]' : '()';
    const items = value.map((item) => toPython(item, choose, inner)).join(separator());
    return choose(3) === 0 ? `(${items}${value.length === 1 ? ',' : trailing()})` : `[${items}${trailing()}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([key]) => IDENTIFIER.test(key) && !PYTHON_KEYWORDS.has(key)) && choose(2) === 0) {
    return `Model(${entries.map(([key, item]) => `${key}=${toPython(item, choose, inner)}`).join(separator())}${trailing()})`;
  }
  return `{${entries.map(([key, item]) => `${pythonString(key, false)}: ${toPython(item, choose, inner)}`).join(separator())}${entries.length ? trailing() : ''}}`;
}

const hasProtoKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey));

describe('properties', () => {
  const strings = fc.string({unit: fc.oneof(fc.constantFrom("'", '"', '\\', '\n', '\t', '\u0000', '\u001b', '\u007f', 'é', '\u2028', '😀', '\ud800', ' ', 'a'), fc.string({unit: 'binary', maxLength: 1}))});
  const json = fc.letrec((tie) => ({
    value: fc.oneof({depthSize: 'small'}, fc.constant(null), fc.boolean(), fc.double({noNaN: true, noDefaultInfinity: true}), fc.integer(), strings, tie('array'), tie('object')),
    array: fc.array(tie('value'), {maxLength: 4}),
    object: fc.dictionary(fc.oneof(strings, fc.constantFrom('id', 'status', 'tool_calls', 'schema_', 'class', '__proto__')), tie('value'), {maxKeys: 4}),
  })).value;

  it('a JSON value written as a Python repr or dict reads back as that value', () => {
    fc.assert(
      fc.property(fc.oneof(json, fc.jsonValue()), fc.integer(), (value, seed) => {
        const text = toPython(value, chooser(seed));
        const document = parseRepr(text);
        expect(document.errors).toEqual([]);
        expect(document.values.map((item) => item.value)).toEqual([value]);
      }),
      {numRuns: 1000},
    );
  });

  it('a JSON value printed by util.inspect at full depth reads back as that value', () => {
    fc.assert(
      fc.property(fc.oneof(json, fc.jsonValue()).filter((value) => !hasProtoKey(value)), fc.integer({min: 16, max: 120}), fc.constantFrom(false, 1, 3), (value, breakLength, compact) => {
        const text = inspect(value, {depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength, compact});
        const document = parseRepr(text);
        expect(document.errors).toEqual([]);
        expect(document.values.map((item) => item.value)).toEqual([value]);
      }),
      {numRuns: 1000},
    );
  });
});
