import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PatchbayError } from '../errors.js';
import { standardActions } from '../actions/index.js';
import { createActionRegistry } from '../engine/registry.js';
import { blockActions } from './blocks.js';
import { parseFlowText } from './parse.js';
import { validateFlow } from './validate.js';

const actions = createActionRegistry([...blockActions, ...standardActions]);

function errorOf(f: () => unknown): PatchbayError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseFlowText', () => {
  it('reads a valid flow', () => {
    const flow = parseFlowText(
      '{"schema":"patchbay/flow@1","name":"A","steps":[{"action":"Variables.Set","params":{"name":"X","value":"%1%"}}]}',
    );
    expect(flow.steps[0].action).toBe('Variables.Set');
  });

  it('invalid JSON gives line:column and what was expected', () => {
    const e = errorOf(() => parseFlowText('{\n  "schema": "patchbay/flow@1",\n  "name" "x"\n}', 'a.flow.json'));
    expect(e.code).toBe('flow.invalid_json');
    expect(e.place).toMatchObject({ file: 'a.flow.json', line: 3, column: 10 });
    expect(e.message).toMatch(/expected a colon/);
    const comma = errorOf(() => parseFlowText('{"a": [1 2]}'));
    expect(comma.message).toMatch(/line 1, column 10: expected a comma/);
  });

  it('schema violations give a JSON pointer and line:column', () => {
    const text =
      '{\n  "schema": "patchbay/flow@1",\n  "name": "x",\n  "steps": [\n    {"action": "If", "then": [\n      {"action": "Wait", "parms": {}}\n    ]}\n  ]\n}';
    const e = errorOf(() => parseFlowText(text));
    expect(e.code).toBe('flow.invalid');
    expect(e.place).toMatchObject({ pointer: '/steps/0/then/0/parms', line: 6, column: 26 });
    expect(e.message).toMatch(/Unknown property "parms"/);
    const wrongType = errorOf(() =>
      parseFlowText('{"schema":"patchbay/flow@1","name":"x","steps":[],\n"inputs":{"A":{"type":"txt"}}}'),
    );
    expect(wrongType.place).toMatchObject({ pointer: '/inputs/A/type', line: 2 });
    const badName = errorOf(() =>
      parseFlowText('{"schema":"patchbay/flow@1","name":"x","steps":[],"outputs":{"2x":{"type":"text"}}}'),
    );
    expect(badName.message).toMatch(/"2x" at \/outputs is not a valid name/);
  });

  it('random JSON documents never throw anything but PatchbayError from parse and validate', () => {
    const step = fc.letrec((tie) => ({
      step: fc.record(
        {
          action: fc.oneof(
            fc.constantFrom(
              'If',
              'Loop',
              'Loop.ForEach',
              'Loop.Exit',
              'GoTo',
              'Label',
              'CallSubflow',
              'Variables.Set',
              'Text.Trim',
              'Nope',
            ),
            fc.string(),
          ),
          params: fc.dictionary(
            fc.constantFrom('name', 'value', 'condition', 'items', 'label', 'subflow', 'inputs', 'x'),
            fc.oneof(
              fc.string(),
              fc.constantFrom('%X%', '%1 +%', '%Y.Z%', '%%'),
              fc.integer(),
              fc.boolean(),
              fc.constant(null),
              fc.dictionary(fc.string(), fc.string()),
            ),
          ),
          then: fc.array(tie('step'), { maxLength: 2 }),
          do: fc.array(tie('step'), { maxLength: 2 }),
          disabled: fc.boolean(),
          connector: fc.string(),
          produces: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(false))),
          onError: fc.record(
            {
              then: fc.constantFrom('stop', 'continue', 'goto', 'repeat', 'x'),
              label: fc.string(),
              runSubflow: fc.string(),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    })).step;
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          schema: fc.constantFrom('patchbay/flow@1', 'x'),
          name: fc.string(),
          steps: fc.array(step, { maxLength: 4 }),
          inputs: fc.dictionary(fc.string(), fc.record({ type: fc.constantFrom('text', 'number', 'bogus') })),
          subflows: fc.dictionary(fc.string(), fc.record({ steps: fc.array(step, { maxLength: 2 }) })),
        },
        { requiredKeys: ['schema', 'name', 'steps'] },
      ),
    );
    fc.assert(
      fc.property(doc, fc.boolean(), (d, mangle) => {
        let text = JSON.stringify(d) ?? 'null';
        if (mangle) text = text.slice(0, Math.floor(text.length / 2));
        try {
          const flow = parseFlowText(text);
          const diags = validateFlow(flow, { actions, sourceText: text });
          for (const x of diags) expect(typeof x.pointer).toBe('string');
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
