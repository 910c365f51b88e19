import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {fastCheckedSchemas} from '../src/model/normalize.js';

// Values shaped like run fields, right and wrong, so both branches of each check are exercised.
const fieldLike = fc.letrec((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e11 - 1, 1e11, 8.64e12, 8.64e15, 8.64e15 + 1, '', 'auto', 'function', 'x'),
    fc.jsonValue({maxDepth: 2}),
    fc.array(tie('value'), {maxLength: 3}),
    fc.dictionary(
      fc.constantFrom('type', 'name', 'function', 'arguments', 'id', 'reason', 'last_messages', 'json_schema', 'description', 'strict', 'parameters', 'submit_tool_outputs', 'tool_calls', 'other'),
      tie('value'),
      {maxKeys: 4},
    ),
  ),
})).value;

describe('normalize fast checks', () => {
  it('accept exactly what their zod schema accepts, for any JSON-shaped value', () => {
    for (const {schema, check} of fastCheckedSchemas()) {
      fc.assert(
        fc.property(fieldLike, (value) => {
          expect(check(value)).toBe(schema.safeParse(value).success);
        }),
        {numRuns: 400},
      );
    }
  });
});
