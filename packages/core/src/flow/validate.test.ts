import { describe, expect, it } from 'vitest';
import type { ActionDefinition, ConnectorCatalog } from '../contracts.js';
import { standardActions } from '../actions/index.js';
import { createActionRegistry } from '../engine/registry.js';
import { blockActions } from './blocks.js';
import { parseFlowText } from './parse.js';
import { validateFlow, type Diagnostic } from './validate.js';
import { walkSteps } from './walk.js';

const actions = createActionRegistry([...blockActions, ...standardActions]);
const sendMail: ActionDefinition = {
  id: 'office365/SendEmailV2',
  group: 'Office 365',
  displayName: 'Send an email',
  description: 'Sends mail.',
  kind: 'connector',
  params: [{ name: 'To', type: 'text', displayName: 'To', required: true }],
  produces: [],
};
const connectors: ConnectorCatalog = {
  getOperation: (c, o) => (c === 'office365' && o === 'SendEmailV2' ? sendMail : undefined),
};

function check(doc: Record<string, unknown>): { diags: Diagnostic[]; text: string } {
  const text = JSON.stringify({ schema: 'patchbay/flow@1', name: 'T', ...doc }, null, 2);
  return { diags: validateFlow(parseFlowText(text), { actions, connectors, sourceText: text }), text };
}

const codes = (d: Diagnostic[]) => d.map((x) => `${x.severity}:${x.code}@${x.pointer}`);

describe('validateFlow', () => {
  it('accepts a correct flow with no diagnostics', () => {
    const { diags } = check({
      inputs: { Rows: { type: 'list', required: true } },
      outputs: { Total: { type: 'number' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
        {
          action: 'Loop.ForEach',
          params: { items: '%Rows%' },
          produces: { item: 'Row' },
          do: [
            {
              action: 'If',
              params: { condition: '%Row > 1%' },
              then: [{ action: 'Variables.Increase', params: { name: 'Total', by: '%Row%' } }, { action: 'Loop.Next' }],
            },
          ],
        },
        {
          connector: 'office365',
          operation: 'SendEmailV2',
          connectionReference: 'contoso_outlook',
          params: { To: 'a@b.c' },
        },
      ],
    });
    expect(diags).toEqual([]);
  });

  it('unknown action with the nearest id, unknown/missing/mistyped params, expression syntax with line:column', () => {
    const { diags, text } = check({
      steps: [
        { action: 'Variables.St', params: { name: 'A' } },
        { action: 'Wait', params: { secs: 1 } },
        { action: 'Wait', params: { seconds: 'soon' } },
        { action: 'Variables.Set', params: { name: 'B', value: 'x %1 +% y' } },
      ],
    });
    expect(codes(diags)).toEqual([
      'error:action.unknown@/steps/0/action',
      'error:action.param@/steps/1/params/secs',
      'error:action.param@/steps/1/params',
      'error:action.param@/steps/2/params/seconds',
      'error:expression.syntax@/steps/3/params/value',
    ]);
    expect(diags[0].hint).toBe('Did you mean "Variables.Set"?');
    const syntax = diags[4];
    const lines = text.split('\n');
    expect(lines[syntax.line! - 1].indexOf('"x %1 +% y"') + 1).toBeLessThan(syntax.column!);
    expect(syntax.stepPath).toBe('/steps/3');
    expect(syntax.action).toBe('Variables.Set');
  });

  it('variables: never set, set only by a disabled step, used before set', () => {
    const { diags } = check({
      steps: [
        { action: 'Variables.Set', params: { name: 'Out', value: '%Nope%' } },
        { action: 'Variables.Set', params: { name: 'Off', value: '1' }, disabled: true },
        { action: 'Variables.Set', params: { name: 'X', value: '%Off%' } },
        { action: 'Variables.Set', params: { name: 'Y', value: '%Later%' } },
        { action: 'Variables.Set', params: { name: 'Later', value: '%LastError%' } },
      ],
    });
    expect(codes(diags)).toEqual([
      'error:flow.undefined_variable@/steps/0/params/value',
      'error:flow.disabled_variable@/steps/2/params/value',
      'warning:flow.variable_before_set@/steps/3/params/value',
    ]);
  });

  it('loops, labels and subflows', () => {
    const { diags } = check({
      steps: [
        { action: 'Loop.Exit' },
        { action: 'GoTo', params: { label: 'ned' } },
        { action: 'Label', params: { name: 'end' } },
        { action: 'CallSubflow', params: { subflow: 'Clean', inputs: { Bad: 1 } } },
        { action: 'CallSubflow', params: { subflow: 'Cleanup', inputs: { Bad: 1 } }, produces: { Nope: 'X' } },
        { action: 'Variables.Set', params: { name: 'A' }, then: [] },
      ],
      subflows: { Cleanup: { inputs: { Path: { type: 'text', required: true } }, steps: [] } },
    });
    expect(codes(diags)).toEqual([
      'error:flow.invalid@/steps/0',
      'error:flow.unknown_label@/steps/1/params/label',
      'error:flow.unknown_subflow@/steps/3/params/subflow',
      'error:action.param@/steps/4/params/inputs/Bad',
      'error:action.param@/steps/4/params/inputs',
      'error:flow.invalid@/steps/4/produces/Nope',
      'error:flow.invalid@/steps/5/then',
    ]);
    expect(diags[1].hint).toBe('Did you mean "end"?');
    expect(diags[2].hint).toBe('Did you mean "Cleanup"?');
  });

  it('connector steps: unknown operation, missing connection reference', () => {
    const { diags } = check({
      steps: [
        { connector: 'office365', operation: 'SendMail', connectionReference: 'r', params: {} },
        { connector: 'office365', operation: 'SendEmailV2', params: { To: 'x' } },
      ],
    });
    expect(codes(diags)).toEqual([
      'error:connector.unknown@/steps/0/operation',
      'error:connection.unresolved@/steps/1',
    ]);
  });

  it('reports schema problems as diagnostics instead of throwing', () => {
    const diags = validateFlow({ schema: 'patchbay/flow@1', name: 'x', steps: [{ action: 'If', bogus: 1 }] } as never, {
      actions,
    });
    expect(diags[0]).toMatchObject({ code: 'flow.invalid', pointer: '/steps/0/bogus', stepPath: '/steps/0' });
  });

  it('walkSteps visits every step with its pointer, subflows included', () => {
    const flow = parseFlowText(
      JSON.stringify({
        schema: 'patchbay/flow@1',
        name: 'w',
        steps: [
          {
            action: 'If',
            params: { condition: true },
            then: [{ action: 'Wait', params: { seconds: 0 } }],
            elseIf: [{ condition: true, then: [{ action: 'Label', params: { name: 'a' } }] }],
          },
        ],
        subflows: { S: { steps: [{ connector: 'c', operation: 'o', connectionReference: 'ref_a', params: {} }] } },
      }),
    );
    const seen: string[] = [];
    walkSteps(flow, (s, p) => seen.push(`${p}:${s.action ?? s.connectionReference}`));
    expect(seen).toEqual([
      '/steps/0:If',
      '/steps/0/then/0:Wait',
      '/steps/0/elseIf/0/then/0:Label',
      '/subflows/S/steps/0:ref_a',
    ]);
  });
  it('refuses retries that would multiply, and "retry" on a step that is not a connector step', () => {
    const send = {
      connector: 'office365',
      operation: 'SendEmailV2',
      connectionReference: 'contoso_outlook',
      params: { To: 'a@b.c' },
    };
    const { diags } = check({
      steps: [
        { ...send, retry: { count: 3 } },
        { ...send, onError: { retry: 2, then: 'continue' } },
        { ...send, retry: { count: 3 }, onError: { retry: 2 } },
        { action: 'Variables.Set', params: { name: 'A', value: '1' }, retry: { count: 1 } },
      ],
    });
    expect(codes(diags)).toEqual(['error:flow.invalid@/steps/2/retry', 'error:flow.invalid@/steps/3/retry']);
    expect(diags[0].message).toContain('multiply');
    expect(diags[1].hint).toContain('onError');
  });
  it('checks onError rules (kinds with the nearest one, labels, subflows) and Subflow.Exit outside a subflow', () => {
    const { diags } = check({
      steps: [
        {
          action: 'Variables.Set',
          params: { name: 'A', value: '1' },
          onError: {
            rules: [
              { when: ['connector.htp', 'connector'], then: 'goto', label: 'Nowhere' },
              { when: 'expression', runSubflow: 'Clenup', setVariable: { name: 'Why', value: '%LastError.Code%' } },
            ],
          },
        },
        { action: 'Subflow.Exit' },
        { action: 'Variables.Set', params: { name: 'B', value: '%Why%' } },
      ],
      subflows: { Cleanup: { steps: [{ action: 'Subflow.Exit' }] } },
    });
    expect(codes(diags)).toEqual([
      'error:flow.invalid@/steps/0/onError/rules/0/when/0',
      'error:flow.unknown_label@/steps/0/onError/rules/0/label',
      'error:flow.unknown_subflow@/steps/0/onError/rules/1/runSubflow',
      'error:flow.invalid@/steps/1',
    ]);
    expect(diags[0].hint).toBe('Did you mean "connector.http"?');
    expect(diags[2].hint).toBe('Did you mean "Cleanup"?');
  });
});
