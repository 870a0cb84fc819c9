import { describe, expect, it } from 'vitest';
import type { FlowDoc } from '../api/types.js';
import { readRunInputs } from './runInputs.js';
import { runNeeds, usedReferences } from './runNeeds.js';

describe('readRunInputs', () => {
  const decls = {
    Name: { type: 'text', required: true },
    Count: { type: 'number' },
    Rows: { type: 'list' },
    Flag: { type: 'boolean' },
    When: { type: 'datetime' },
  } as const;

  it('reads each value as its input type and leaves out empty optional ones', () => {
    expect(
      readRunInputs(decls, {
        Name: 'Ada',
        Count: '2.5',
        Rows: '[1, {"a": 2}]',
        Flag: 'true',
        When: '2025-03-01T10:00:00Z',
      }),
    ).toEqual({
      ok: true,
      inputs: { Name: 'Ada', Count: 2.5, Rows: [1, { a: 2 }], Flag: true, When: '2025-03-01T10:00:00Z' },
    });
    expect(readRunInputs(decls, { Name: 'Ada' })).toEqual({ ok: true, inputs: { Name: 'Ada' } });
  });

  it('names the input that is missing or not of its type', () => {
    expect(readRunInputs(decls, {})).toMatchObject({ ok: false, name: 'Name' });
    expect(readRunInputs(decls, { Name: 'x', Count: 'three' })).toMatchObject({ ok: false, name: 'Count' });
    const bad = readRunInputs(decls, { Name: 'x', Rows: '[1,' });
    expect(bad).toMatchObject({ ok: false, name: 'Rows' });
    expect(bad.ok ? '' : bad.message).toContain('Rows');
  });
});

describe('runNeeds', () => {
  const flow: FlowDoc = {
    schema: 'patchbay/flow@1',
    name: 'Needs',
    steps: [
      { connector: 'ledger', operation: 'Create', connectionReference: 'pb_ledger', params: {} },
      {
        action: 'If',
        params: { condition: 'true' },
        then: [{ connector: 'mail', operation: 'Send', connectionReference: 'pb_mail', params: {}, disabled: true }],
      },
      { connector: 'crm', operation: 'Get', connectionReference: 'pb_crm', params: {} },
      { connector: 'files', operation: 'Get', connectionReference: 'pb_files', params: {} },
    ],
  };
  const conn = (id: string, connectorId: string) => ({
    id,
    environment: 'default',
    connectorId,
    displayName: id,
    owner: { id: 'u1', email: 'me@x.test' },
    status: 'connected' as const,
  });
  const ref = (logicalName: string, connectorId: string, connection: string | null) => ({
    logicalName,
    displayName: `${logicalName} ref`,
    connectorId,
    usedBy: [],
    connection: connection
      ? { id: connection, displayName: connection, status: 'connected' as const, owner: { email: 'boss@x.test' } }
      : null,
  });

  it('lists every reference the flow uses, nested and disabled ones too', () => {
    expect(usedReferences(flow).map((u) => u.logicalName)).toEqual(['pb_ledger', 'pb_mail', 'pb_crm', 'pb_files']);
  });

  it('asks only for references that are unbound, missing or bound to a connection the runner cannot use, and not embedded', () => {
    const needs = runNeeds({
      flow,
      references: [
        ref('pb_ledger', 'ledger', 'c_ledger'),
        ref('pb_mail', 'mail', null),
        ref('pb_crm', 'crm', 'c_theirs'),
      ],
      connections: [
        conn('c_ledger', 'ledger'),
        conn('c_mail', 'mail'),
        conn('c_mail2', 'mail'),
        conn('c_crm_mine', 'crm'),
      ],
      embedded: [
        {
          logicalName: 'pb_files',
          embeddedBy: { id: 'u2', email: 'co@x.test' },
          connection: { id: 'c_files', displayName: 'Files', connectorId: 'files', status: 'connected' },
        },
      ],
    });
    expect(needs.map((n) => [n.logicalName, n.choices.map((c) => c.id)])).toEqual([
      ['pb_mail', ['c_mail', 'c_mail2']],
      ['pb_crm', ['c_crm_mine']],
    ]);
    expect(needs[0].reason).toContain('not bound');
    expect(needs[1].reason).toContain('not shared with you');
  });
});
