import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {findJsonErrorOffset, locateJsonError, locateJsonPath, locateOffset, parseJson, parseJsonTolerant} from '../src/format/jsonError.js';

/** The error JSON.parse throws for `text` (the test fails if it does not throw). */
function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid JSON`);
}

function failure(text: string) {
  const result = parseJson(text);
  if (result.ok) throw new Error(`expected parseJson to fail on ${JSON.stringify(text)}`);
  return result.error;
}

describe('locateOffset', () => {
  it('counts lines by \\n and columns from 1 in UTF-16 code units', () => {
    const text = 'ab\ncd\r\n😀x';
    expect(locateOffset(text, 0)).toEqual({line: 1, column: 1});
    expect(locateOffset(text, 2)).toEqual({line: 1, column: 3}); // the \n itself ends line 1
    expect(locateOffset(text, 3)).toEqual({line: 2, column: 1});
    expect(locateOffset(text, 5)).toEqual({line: 2, column: 3}); // the \r
    expect(locateOffset(text, 7)).toEqual({line: 3, column: 1});
    expect(locateOffset(text, 9)).toEqual({line: 3, column: 3}); // after the surrogate pair
  });

  it('clamps an offset past the end to the end', () => {
    expect(locateOffset('ab\nc', 99)).toEqual({line: 2, column: 2});
    expect(locateOffset('', 5)).toEqual({line: 1, column: 1});
  });
});

/*
 * Each text breaks at a known place; `at` is the 0-based offset of the first character that makes
 * it invalid (the text length when it ends too early). Line and column are worked out by hand.
 */
const BROKEN: Array<{name: string; text: string; at: number; line: number; column: number; reason: string}> = [
  {name: 'a bare word', text: '{"a": x}', at: 6, line: 1, column: 7, reason: "Unexpected token 'x'"},
  {
    name: 'the break on line 3, column 14',
    text: '{\n  "id": "run_1",\n  "status":  oops\n}',
    at: 32,
    line: 3,
    column: 14,
    reason: "Unexpected token 'o'",
  },
  {
    name: 'a missing comma between lines',
    text: '{\n  "id": "run_1"\n  "status": "queued"\n}',
    at: 20,
    line: 3,
    column: 3,
    reason: "Expected ',' or '}' after property value",
  },
  {
    name: 'CRLF line endings',
    text: '{\r\n"a": 1\r\n"b": 2}',
    at: 11,
    line: 3,
    column: 1,
    reason: "Expected ',' or '}' after property value",
  },
  {name: 'a tab counts as one column', text: '[\n\t\t1,\n\t\t?]', at: 9, line: 3, column: 3, reason: "Unexpected token '?'"},
  {name: 'an emoji counts as two columns', text: '["😀", x]', at: 7, line: 1, column: 8, reason: "Unexpected token 'x'"},
  {name: 'a trailing comma in an array', text: '[1, 2,]', at: 6, line: 1, column: 7, reason: "Unexpected token ']'"},
  {
    name: 'a trailing comma in an object',
    text: '{"a": 1,}',
    at: 8,
    line: 1,
    column: 9,
    reason: 'Expected double-quoted property name',
  },
  {
    name: 'single quotes',
    text: "{'a': 1}",
    at: 1,
    line: 1,
    column: 2,
    reason: "Expected property name or '}'",
  },
  {name: 'Python None', text: '{"a": None}', at: 6, line: 1, column: 7, reason: "Unexpected token 'N'"},
  {name: 'NaN', text: '[NaN]', at: 1, line: 1, column: 2, reason: "Unexpected token 'N'"},
  {name: 'a misspelt literal', text: '[tru]', at: 4, line: 1, column: 5, reason: "Unexpected token ']'"},
  {name: 'a literal run on', text: 'nullx', at: 4, line: 1, column: 5, reason: 'Unexpected non-whitespace character after JSON'},
  {name: 'text after the value', text: '{"a": 1}\n{"b": 2}', at: 9, line: 2, column: 1, reason: 'Unexpected non-whitespace character after JSON'},
  {name: 'a leading zero', text: '[01]', at: 2, line: 1, column: 3, reason: 'Unexpected number'},
  {name: 'a lone minus', text: '[-]', at: 2, line: 1, column: 3, reason: 'No number after minus sign'},
  {name: 'a dangling decimal point', text: '[1.]', at: 3, line: 1, column: 4, reason: 'Unterminated fractional number'},
  {name: 'an empty exponent', text: '[1e+]', at: 4, line: 1, column: 5, reason: 'Exponent part is missing a number'},
  {name: 'a bad escape', text: '"a\\q"', at: 3, line: 1, column: 4, reason: 'Bad escaped character'},
  {name: 'a short \\u escape', text: '"\\u12G4"', at: 5, line: 1, column: 6, reason: 'Bad Unicode escape'},
  {name: 'a raw newline in a string', text: '{"a": "line\nnext"}', at: 11, line: 1, column: 12, reason: 'Bad control character in string literal'},
  {name: 'a NUL byte', text: '[\u0000]', at: 1, line: 1, column: 2, reason: 'Unexpected control character U+0000'},
  {name: 'a BOM (callers strip it first)', text: '\ufeff{}', at: 0, line: 1, column: 1, reason: "Unexpected token '\ufeff'"},
  {name: 'an unterminated string', text: '{"a": "abc', at: 10, line: 1, column: 11, reason: 'Unterminated string'},
  {name: 'a text that stops after an element', text: '{"a": [1, 2', at: 11, line: 1, column: 12, reason: "Expected ',' or ']' after array element"},
  {name: 'a text that stops after a comma', text: '{"a": [1, 2,', at: 12, line: 1, column: 13, reason: 'Unexpected end of JSON input'},
  {name: 'a text that stops in a literal', text: '{\n  "ok": tr', at: 12, line: 2, column: 11, reason: 'Unexpected end of JSON input'},
  {name: 'an empty text', text: '', at: 0, line: 1, column: 1, reason: 'Unexpected end of JSON input'},
  {name: 'only whitespace', text: ' \n ', at: 3, line: 2, column: 2, reason: 'Unexpected end of JSON input'},
];

describe('parseJson / locateJsonError on broken texts', () => {
  it.each(BROKEN)('$name', ({text, at, line, column, reason}) => {
    expect(failure(text)).toEqual({line, column, offset: at, reason});
    expect(locateJsonError(text, parseError(text))).toEqual({line, column, offset: at, reason});
    // The scanner agrees, including on texts where V8 reports the position itself.
    expect(findJsonErrorOffset(text)).toBe(at);
  });

  it('reads the position out of the message formats of other Node versions', () => {
    const text = '{"a": 1 "b": 2}';
    // Node 22+ appends "(line L column C)".
    expect(
      locateJsonError(text, new SyntaxError("Expected ',' or '}' after property value in JSON at position 8 (line 1 column 9)")),
    ).toEqual({line: 1, column: 9, offset: 8, reason: "Expected ',' or '}' after property value"});
    // Node 18 and older: "Unexpected token b in JSON at position 8".
    expect(locateJsonError(text, new SyntaxError('Unexpected token b in JSON at position 8'))).toEqual({
      line: 1,
      column: 9,
      offset: 8,
      reason: 'Unexpected token b',
    });
    // A message that is only the position still gets a reason.
    expect(locateJsonError(text, new SyntaxError('at position 8'))).toEqual({line: 1, column: 9, offset: 8, reason: 'Invalid JSON'});
  });

  it('finds the place itself when the error has no position, or is not an Error at all', () => {
    const text = '[1,\n 2,\n x]';
    expect(locateJsonError(text, 'something odd')).toEqual({line: 3, column: 2, offset: 9, reason: "Unexpected token 'x'"});
    expect(locateJsonError('[1, 2', new SyntaxError('Unexpected end of JSON input'))).toEqual({
      line: 1,
      column: 6,
      offset: 5,
      reason: 'Unexpected end of JSON input',
    });
  });

  it('returns the value of valid JSON, and the text length from findJsonErrorOffset', () => {
    const text = ' {"id": "run_1", "n": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} \n';
    expect(parseJson(text)).toEqual({ok: true, value: {id: 'run_1', n: [1, -2500, true, false, null, 'é\n']}});
    expect(findJsonErrorOffset(text)).toBe(text.length);
  });
});

describe('10,000 levels of nesting and more', () => {
  for (const depth of [10_000, 100_000]) {
    it(`parses ${depth.toLocaleString('en')} valid levels and locates a break after them without overflowing the stack`, () => {
      const valid = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      expect(parseJson(valid).ok).toBe(true);
      expect(findJsonErrorOffset(valid)).toBe(valid.length);

      const arrays = `${'['.repeat(depth)}x`;
      expect(failure(arrays)).toEqual({line: 1, column: depth + 1, offset: depth, reason: "Unexpected token 'x'"});

      const objects = `${'{"a":'.repeat(depth)}x`;
      expect(failure(objects)).toEqual({line: 1, column: 5 * depth + 1, offset: 5 * depth, reason: "Unexpected token 'x'"});

      const mixed = `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}]`;
      expect(findJsonErrorOffset(mixed)).toBe(mixed.length - 1);
      expect(failure(mixed)).toMatchObject({offset: mixed.length - 1, reason: 'Unexpected non-whitespace character after JSON'});

      const unclosed = '{"a":['.repeat(depth);
      expect(failure(unclosed)).toEqual({line: 1, column: unclosed.length + 1, offset: unclosed.length, reason: 'Unexpected end of JSON input'});
      expect(findJsonErrorOffset(unclosed)).toBe(unclosed.length);
    });
  }
});

/** Inserts, replaces or deletes one character of `text` at `index % length`. */
function corrupt(text: string, index: number, char: string, op: 'insert' | 'replace' | 'delete'): string {
  const at = text.length === 0 ? 0 : index % text.length;
  if (op === 'insert') return text.slice(0, at) + char + text.slice(at);
  if (op === 'replace') return text.slice(0, at) + char + text.slice(at + 1);
  return text.slice(0, at) + text.slice(at + 1);
}

const corruptChar = fc.oneof(
  fc.constantFrom(...'{}[]",:\\ \t\n\r0123456789-+.eEtrufalsnx\'/'.split(''), '\u0000', '\u001f', '\u007f', '\ufeff', '\ud800'),
  fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
);

describe('parseJson agrees with JSON.parse (property)', () => {
  it('accepts every JSON text fc.json() makes, compact or pretty-printed', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const result = parseJson(text);
        expect(result).toEqual({ok: true, value: JSON.parse(text)});
        expect(findJsonErrorOffset(text)).toBe(text.length);
        const pretty = JSON.stringify(JSON.parse(text), null, 2);
        expect(parseJson(pretty).ok).toBe(true);
        expect(findJsonErrorOffset(pretty)).toBe(pretty.length);
      }),
      {numRuns: 500},
    );
  });

  it('after one corrupted character: fails exactly when JSON.parse throws, at the place V8 names', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), corruptChar, fc.constantFrom('insert', 'replace', 'delete'), (json, index, char, op) => {
        const text = corrupt(json, index, char, op as 'insert' | 'replace' | 'delete');
        let message: string | null = null;
        try {
          JSON.parse(text);
        } catch (error) {
          message = (error as Error).message;
        }
        const result = parseJson(text);
        const offset = findJsonErrorOffset(text);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(text.length);
        if (message === null) {
          expect(result.ok).toBe(true);
          expect(offset).toBe(text.length);
          return;
        }
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.offset).toBeGreaterThanOrEqual(0);
        expect(result.error.offset).toBeLessThanOrEqual(text.length);
        expect({line: result.error.line, column: result.error.column}).toEqual(locateOffset(text, result.error.offset));
        // Where V8 says where, the scanner must say the same place.
        const position = /at position (\d+)/.exec(message);
        const token = /^Unexpected token '(.+?)', /su.exec(message);
        if (position) expect(offset).toBe(Number(position[1]));
        else if (/Unexpected end of JSON input/.test(message)) expect(offset).toBe(text.length);
        // V8 names one UTF-16 unit of an emoji, the scanner's reason the whole character.
        else if (token) expect([text[offset], String.fromCodePoint(text.codePointAt(offset) ?? 0)]).toContain(token[1]);
        else throw new Error(`unexpected JSON.parse message: ${message}`);
      }),
      {numRuns: 3000},
    );
  });
});

describe('locateJsonPath', () => {
  const text = [
    '{',
    '  "note": "a } and a ] and a \\" in a string",',
    '  "tool_outputs": [',
    '    {"tool_call_id": "call_a", "output": "x"},',
    '    {"tool_call_id": "call_b", "nested": [1, {"deep": [true, null]}], "output": 3}',
    '  ]',
    '}',
  ].join('\n');

  it('finds the value at a path of keys and indexes, past strings that hold brackets and quotes', () => {
    expect(JSON.parse(text)).toBeTruthy();
    expect(locateJsonPath(text, [])).toEqual({line: 1, column: 1});
    expect(locateJsonPath(text, ['tool_outputs'])).toEqual({line: 3, column: 19});
    expect(locateJsonPath(text, ['tool_outputs', 0, 'output'])).toEqual({line: 4, column: 42});
    expect(locateJsonPath(text, ['tool_outputs', 1, 'output'])).toEqual({line: 5, column: 81});
    expect(locateJsonPath(text, ['tool_outputs', 1, 'nested', 1, 'deep', 1])).toEqual({line: 5, column: 62});
  });

  it('a path that goes further than the text stops at the deepest value it reaches', () => {
    expect(locateJsonPath(text, ['tool_outputs', 0, 'missing'])).toEqual({line: 4, column: 5});
    expect(locateJsonPath(text, ['tool_outputs', 5, 'output'])).toEqual({line: 3, column: 19});
    expect(locateJsonPath('[]', ['tool_outputs'])).toEqual({line: 1, column: 1});
  });
});

/** JSON text of `value` with a comma after the last element of every non-empty array and object, and `space` around it. */
function withTrailingCommas(value: unknown, space: string): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map((item) => withTrailingCommas(item, space)).join(',')},${space}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${withTrailingCommas(item, space)}`).join(',')}${space},}`;
  }
  return JSON.stringify(value);
}

function nonEmptyContainers(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return (items.length > 0 ? 1 : 0) + items.reduce<number>((sum, item) => sum + nonEmptyContainers(item), 0);
}

describe('parseJsonTolerant', () => {
  it('reads valid JSON as JSON.parse does, letting nothing pass', () => {
    expect(parseJsonTolerant('{"a": [1, 2]}')).toEqual({ok: true, value: {a: [1, 2]}, tolerated: {trailingCommas: [], textAfter: null}});
  });

  it('reads a trailing comma in an array and an object as if it were not there, and says where each was', () => {
    const result = parseJsonTolerant('{\n  "a": [1, 2,],\n  "b": {"c": 3,\n  },\n}');
    expect(result).toMatchObject({ok: true, value: {a: [1, 2], b: {c: 3}}});
    if (!result.ok) return;
    expect(result.tolerated.trailingCommas.map(({line, column}) => `${line}:${column}`)).toEqual(['2:13', '3:15', '4:4']);
  });

  it('fails where the text breaks when the comma is not a trailing one, or something else is wrong', () => {
    expect(parseJsonTolerant('[1,,2]')).toMatchObject({ok: false, error: {line: 1, column: 4}});
    expect(parseJsonTolerant('{"a": ,}')).toMatchObject({ok: false, error: {line: 1, column: 7}});
    // The comma is let pass; the break after it is the error, at its own place.
    expect(parseJsonTolerant('[1, 2,] x')).toMatchObject({ok: false, error: {line: 1, column: 9, reason: 'Unexpected non-whitespace character after JSON'}});
  });

  it('with textAfter, a whole value followed by stray text is that value, the text said', () => {
    expect(parseJsonTolerant('{"a": 1}}')).toMatchObject({ok: false});
    expect(parseJsonTolerant('{"a": 1}}', {textAfter: true})).toEqual({
      ok: true,
      value: {a: 1},
      tolerated: {trailingCommas: [], textAfter: {offset: 8, line: 1, column: 9, text: '}'}},
    });
    expect(parseJsonTolerant('{"a": 1,}\n  and more', {textAfter: true})).toMatchObject({ok: true, value: {a: 1}, tolerated: {textAfter: {line: 2, column: 3, text: 'and more'}}});
    // A text that breaks before its value is whole is no value.
    expect(parseJsonTolerant('{"a": x}', {textAfter: true})).toMatchObject({ok: false, error: {column: 7}});
  });

  it('reads any value written with trailing commas as the value, each comma reported where it is', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 3}).filter((value) => nonEmptyContainers(value) <= 100), fc.constantFrom('', ' ', '\n  '), (value, space) => {
        const text = withTrailingCommas(value, space);
        const result = parseJsonTolerant(text);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value).toEqual(JSON.parse(JSON.stringify(value)));
        for (const comma of result.tolerated.trailingCommas) {
          expect(text[comma.offset]).toBe(',');
          expect(locateOffset(text, comma.offset)).toEqual({line: comma.line, column: comma.column});
        }
        expect(result.tolerated.trailingCommas).toHaveLength(nonEmptyContainers(value));
      }),
      {numRuns: 300},
    );
  });
});
