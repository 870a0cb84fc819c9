/**
 * Bad input never crashes a pure action: whatever the parameters and
 * variables hold, an action either returns values or throws a PatchbayError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ParamSpec } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import { isValueObject, typeOfValue, VALUE_TYPES, type Value } from '../values.js';
import { variablesActions } from './variables.js';
import { textActions } from './text.js';
import { datetimeActions } from './datetime.js';
import { dataActions } from './data.js';
import { testContext } from './variables.test-support.js';

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '(',
    '[a-',
    '\\',
    '%X%',
    'X',
    'L',
    'O',
    '1,000',
    '2024-03-10',
    'UTC',
    'Mars/X',
    '{"a":1}',
    '"a,b"',
    'a,"b',
    '0',
    '-1',
  ),
  fc.double(),
  fc.integer({ min: -3, max: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15) }),
);
const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.dictionary(fc.constantFrom('A', 'B', '__proto__'), scalar, { maxKeys: 2 }), {
      maxLength: 3,
    }),
  },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 3 }) },
);

function paramValue(spec: ParamSpec): fc.Arbitrary<Value> {
  const options = (spec.options ?? []).map((o) => (typeof o === 'string' ? o : o.value));
  return options.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...options) }, { weight: 1, arbitrary: value })
    : value;
}

describe('pure actions under random input', () => {
  for (const def of [...variablesActions, ...textActions, ...datetimeActions, ...dataActions]) {
    it(`${def.id} returns values or throws a PatchbayError`, async () => {
      const params = fc.record(Object.fromEntries(def.params.map((s) => [s.name, paramValue(s)])), {
        requiredKeys: [],
      });
      const vars = fc.record({ X: value, L: value, O: value }, { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(params, vars, async (p, v) => {
          try {
            const result = await def.run!(
              testContext({ vars: v as Record<string, Value> }),
              p as Record<string, Value>,
            );
            for (const out of Object.values(result ?? {})) expect(VALUE_TYPES).toContain(typeOfValue(out));
            if (result && isValueObject(result))
              for (const out of Object.values(result))
                if (typeof out === 'number') expect(Number.isNaN(out)).toBe(false);
          } catch (e) {
            if (!(e instanceof PatchbayError)) throw e;
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
