/**
 * A run keeps the final values of its flow's variables, as PAD's Variables
 * pane shows them after a run: sensitive ones redacted, data tables as
 * columns and rows, and a value too large to keep replaced by a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshPlatform } from './test-support.js';

const CANARY = 'canary-run-variable-7d1e';

describe.each(dialects)('final variable values on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await env?.close();
  });

  it.skipIf(!dialect.available)('are stored with the run and redacted where sensitive', async () => {
    const p = env.platform;
    const { user: me } = await p.users.ensureOwner({ email: 'vars@example.com', password: 'correct horse battery' });
    const flow = await p.flows.save(me, 'default', {
      schema: 'patchbay/flow@1',
      name: 'Final values',
      inputs: { Password: { type: 'text', sensitive: true }, Big: { type: 'text' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Greeting', value: 'Hello Ada' } },
        { action: 'Variables.Set', params: { name: 'Count', value: '%1 + 2%' } },
        { action: 'Variables.Set', params: { name: 'People', value: "%{ ^['Name', 'Age'], ['Ada', 36] }%" } },
      ],
    });
    const { run } = await p.runs.runNow(me, {
      flowId: flow.id,
      inputs: { Password: CANARY, Big: 'x'.repeat(70_000) },
    });
    expect(run.status).toBe('succeeded');
    const { run: stored } = await p.runs.get(me, run.id);
    const vars = stored.variables as Record<string, unknown>;
    expect(vars.Greeting).toBe('Hello Ada');
    expect(vars.Count).toBe(3);
    expect(vars.People).toEqual({ columns: ['Name', 'Age'], rows: [['Ada', 36]] });
    expect(vars.Password).toBe('***');
    expect(String(vars.Big)).toMatch(/^\(not kept: 69 KB, over the 64 KB limit\)$/);
    expect(JSON.stringify(stored)).not.toContain(CANARY);
  });
});
