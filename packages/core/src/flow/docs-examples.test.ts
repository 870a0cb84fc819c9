// Every flow and step shown in docs/flow-format.md is one Patchbay accepts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseJsonc } from 'jsonc-parser';
import { blockActions, createActionRegistry, standardActions } from '../index.js';
import { parseFlowText } from './parse.js';
import { validateFlow } from './validate.js';

const doc = readFileSync(new URL('../../../../docs/flow-format.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
const actions = createActionRegistry([...standardActions, ...blockActions]);
const wrap = (steps: unknown[]) =>
  JSON.stringify({ schema: 'patchbay/flow@1', name: 'Doc example', subflows: { Report: { steps: [] } }, steps });

describe('docs/flow-format.md', () => {
  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('example %i is accepted by the flow schema', (_i, text) => {
    const value = parseJsonc(text.trim().startsWith('"') ? `{${text}}` : text) as Record<string, unknown>;
    if ('schema' in value) {
      const flow = parseFlowText(text);
      // Connector steps are checked against connectors elsewhere; here only the engine's own rules apply.
      const errors = validateFlow(flow, { actions, sourceText: text }).filter(
        (d) => d.severity === 'error' && !d.code.startsWith('connector'),
      );
      expect(errors).toEqual([]);
    } else if ('onError' in value) {
      const flow = parseFlowText(
        wrap([
          { action: 'Label', params: { name: 'Handler' } },
          { action: 'Variables.Set', params: { name: 'Failed', value: '' }, onError: value.onError },
        ]),
      );
      expect(flow.steps).toHaveLength(2);
    } else {
      expect(parseFlowText(wrap([value])).steps).toHaveLength(1);
    }
  });
});
