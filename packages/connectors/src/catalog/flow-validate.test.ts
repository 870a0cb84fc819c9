/**
 * `validateFlow` with a connector catalog built from real definitions: it
 * refuses triggers, unknown connectors and operations (with the nearest id),
 * missing required and unknown parameters of connector steps, each naming the
 * step, its action and where in the file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  standardActions,
  validateFlow,
  type ConnectorCatalog,
} from '@patchbay/core';
import { importConnector, importConnectorFromText } from '../import/index.js';
import { createConnectorCatalog } from './catalog.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const actions = createActionRegistry([...blockActions, ...standardActions]);
let catalog: ConnectorCatalog;

beforeAll(async () => {
  const ledger = importConnectorFromText(
    readFileSync(fileURLToPath(new URL('../import/testdata/ledger.openapi30.yaml', import.meta.url)), 'utf8'),
    { fileName: 'ledger.openapi30.yaml' },
  );
  const zenler = await importConnector(`${FIXTURES}/independent-publisher-connectors/Zenler`);
  const annature = await importConnector(`${FIXTURES}/independent-publisher-connectors/Annature`);
  catalog = createConnectorCatalog([ledger, zenler, annature]);
});

function check(step: Record<string, unknown>) {
  const text = JSON.stringify(
    {
      schema: 'patchbay/flow@1',
      name: 'Check',
      steps: [{ action: 'Variables.Set', params: { name: 'A', value: '1' } }, step],
    },
    null,
    2,
  );
  return validateFlow(parseFlowText(text), {
    actions,
    connectors: catalog,
    sourceText: text,
    file: 'check.flow.json',
  }).filter((d) => d.severity === 'error');
}

const ok = {
  connector: 'ledger',
  operation: 'ListEntries',
  connectionReference: 'contoso_ledger',
  params: { book: 'main' },
};

describe('validateFlow with connector steps', () => {
  it('accepts a well-formed connector step', () => {
    expect(check(ok)).toEqual([]);
  });

  it('rejects a trigger as a step', () => {
    const [d, ...rest] = check({
      connector: 'annature',
      operation: 'OnDocumentEvent',
      connectionReference: 'contoso_annature',
      params: {},
    });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'connector.unsupported',
      stepPath: '/steps/1',
      action: 'annature/OnDocumentEvent',
      pointer: '/steps/1/operation',
      message: expect.stringContaining('trigger'),
    });
    expect(d.line).toBeGreaterThan(1);
  });

  it('names the nearest operation for an unknown one, and the nearest connector for an unknown connector', () => {
    expect(check({ ...ok, operation: 'ListEntrys' })).toEqual([
      expect.objectContaining({
        code: 'connector.unknown',
        stepPath: '/steps/1',
        pointer: '/steps/1/operation',
        message: 'Connector "ledger" has no operation "ListEntrys".',
        hint: 'Did you mean "ListEntries"?',
      }),
    ]);
    expect(check({ ...ok, connector: 'ledgr' })).toEqual([
      expect.objectContaining({
        code: 'connector.unknown',
        pointer: '/steps/1/connector',
        hint: 'Did you mean "ledger"?',
      }),
    ]);
  });

  it('reports a missing required parameter and an unknown parameter, naming the step', () => {
    const ds = check({
      connector: 'zenler',
      operation: 'UserPost',
      connectionReference: 'contoso_zenler',
      params: {
        first_name: 'Ada',
        last_name: 'L',
        email: 'a@example.com',
        password: 'pw',
        comission: 5,
        roles: 'student',
      },
    });
    expect(ds).toHaveLength(2);
    expect(ds).toContainEqual(
      expect.objectContaining({
        code: 'action.param',
        stepPath: '/steps/1',
        action: 'zenler/UserPost',
        pointer: '/steps/1/params/comission',
        hint: 'Did you mean "commission"?',
      }),
    );
    expect(ds).toContainEqual(
      expect.objectContaining({
        code: 'action.param',
        stepPath: '/steps/1',
        action: 'zenler/UserPost',
        message: expect.stringContaining('"commission"'),
      }),
    );
    for (const d of ds) expect(d.line).toBeGreaterThan(1);
  });
});
