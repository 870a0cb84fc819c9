// `patchbay run --json` reports every flow variable's final value, as PAD's Variables pane shows after a run.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { patchbay, tempHome } from './cli.js';
import { writeTemp } from './services.js';

describe('patchbay run --json variables', () => {
  it('lists final values, data tables as {columns, rows}, sensitive ones as ***', async () => {
    const canary = `canary-${randomUUID()}`;
    const file = writeTemp('vars.flow.json', {
      schema: 'patchbay/flow@1',
      name: 'Variables pane',
      inputs: { Token: { type: 'text', sensitive: true } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Count', value: '%2 + 3%' } },
        { action: 'Variables.Set', params: { name: 'Table', value: "%{ ^['Name', 'Age'], ['Ada', 36] }%" } },
        { action: 'Variables.Set', params: { name: 'Copy', value: 'token is %Token%' } },
        { action: 'CallSubflow', params: { subflow: 'Shared' } },
      ],
      subflows: { Shared: { steps: [{ action: 'Variables.Set', params: { name: 'FromSub', value: 'yes' } }] } },
    });
    const r = await patchbay(['run', file, '--input', `Token=${canary}`, '--json'], {
      home: tempHome(),
      env: { PATCHBAY_RUN_LOCAL: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; variables: Record<string, unknown> };
    expect(out.status).toBe('succeeded');
    expect(out.variables).toEqual({
      Copy: 'token is ***',
      Count: 5,
      FromSub: 'yes',
      Table: { columns: ['Name', 'Age'], rows: [['Ada', 36]] },
      Token: '***',
    });
    expect(r.stdout + r.stderr).not.toContain(canary);
  });
});
