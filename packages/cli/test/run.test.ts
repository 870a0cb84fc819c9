import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patchbay } from './cli.js';

function flowFile(flow: unknown, raw?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-flow-'));
  const file = join(dir, 'test.flow.json');
  writeFileSync(file, raw ?? JSON.stringify(flow, null, 2));
  return file;
}

const greet = {
  schema: 'patchbay/flow@1',
  name: 'Greet',
  inputs: { Name: { type: 'text', required: true }, Times: { type: 'number', default: 2 } },
  outputs: { Greeting: { type: 'text' }, Count: { type: 'number' } },
  steps: [
    { action: 'Variables.Set', params: { name: 'Greeting', value: 'Hello %Name.ToUpper%' } },
    { action: 'Variables.Set', params: { name: 'Count', value: '%0%' } },
    {
      action: 'Loop',
      params: { from: 1, to: '%Times%', step: 1 },
      do: [{ action: 'Variables.Increase', params: { name: 'Count', by: '%LoopIndex%' } }],
    },
  ],
};

describe('patchbay run', () => {
  it('runs a flow file with typed inputs and prints status, outputs and steps as JSON', async () => {
    const r = await patchbay(['run', flowFile(greet), '--input', 'Name=ada', '--input', 'Times=4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('succeeded');
    expect(out.outputs).toEqual({ Greeting: 'Hello ADA', Count: 10 });
    expect(out.steps.filter((s: { action: string }) => s.action === 'Variables.Increase')).toHaveLength(4);
  });

  it('shows step progress as plain lines when not on a terminal', async () => {
    const r = await patchbay(['run', flowFile(greet), '--input', 'Name=x']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[1\] Variables\.Set \/steps\/0/);
    expect(r.stderr).toMatch(/Run succeeded/);
    expect(JSON.parse(r.stdout)).toEqual({ Greeting: 'Hello X', Count: 3 });
  });

  it('fails with one line naming a missing required input', async () => {
    const r = await patchbay(['run', flowFile(greet)]);
    expect(r.code).not.toBe(0);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('patchbay:')),
    ).toHaveLength(1);
    expect(r.stderr).toMatch(/Name/);
  });

  it('refuses an input the flow does not declare and lists the declared ones', async () => {
    const r = await patchbay(['run', flowFile(greet), '--input', 'Nmae=x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no input 'Nmae'.*Name, Times/);
  });

  it('exits non-zero with the step and reason when a step fails', async () => {
    const flow = {
      schema: 'patchbay/flow@1',
      name: 'Divide',
      steps: [{ action: 'Variables.Set', params: { name: 'X', value: '%10 / 0%' } }],
    };
    const r = await patchbay(['run', flowFile(flow), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('failed');
    expect(out.error.stepPath).toBe('/steps/0');
    expect(out.error.message).toMatch(/[Dd]ivision by zero/);
  });

  it('prints the failure as JSON too when the run cannot start', async () => {
    const r = await patchbay(['run', flowFile(greet), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('failed');
    expect(out.steps).toEqual([]);
    expect(out.error.message).toMatch(/Name/);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('patchbay:')),
    ).toHaveLength(1);
  });

  it('reports invalid JSON with its line and column', async () => {
    const r = await patchbay([
      'run',
      flowFile(null, '{\n  "schema": "patchbay/flow@1",\n  "name": "x"\n  "steps": []\n}'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/test\.flow\.json:4:\d+/);
  });

  it('stops a runaway loop with the configured limit', async () => {
    const flow = {
      schema: 'patchbay/flow@1',
      name: 'Forever',
      steps: [{ action: 'LoopWhile', params: { condition: '%true%' }, do: [] }],
    };
    const r = await patchbay(['run', flowFile(flow), '--max-loop-iterations', '1000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/steps\/0/);
    expect(r.stderr).toMatch(/1,?000/);
  });
});

describe('patchbay run of a long loop', () => {
  const loop = {
    schema: 'patchbay/flow@1',
    name: 'Long loop',
    outputs: { Total: { type: 'number' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
      {
        action: 'Loop',
        params: { from: 1, to: 20000 },
        produces: { index: 'i' },
        do: [
          { action: 'Variables.Set', params: { name: 'X', value: '%i * 2%' } },
          { action: 'Variables.Increase', params: { name: 'Total', by: '%1%' } },
        ],
      },
    ],
  };

  it('keeps stderr small when it is not a terminal, and --json prints the recorded steps and aggregates', async () => {
    const file = flowFile(loop);
    const quiet = await patchbay(['run', file]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toMatch(/Run succeeded in 40002 steps/);
    expect(quiet.stderr.split('\n').length).toBeLessThan(100);

    const r = await patchbay(['run', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.outputs).toEqual({ Total: 20000 });
    expect(out.steps).toHaveLength(1100);
    const counts = Object.fromEntries(
      out.aggregates.map((a: { stepPath: string; count: number }) => [a.stepPath, a.count]),
    );
    expect(counts['/steps/1/do/0'] + counts['/steps/1/do/1']).toBe(40002 - 1100);

    const all = await patchbay(['run', file, '--json', '--record', 'none']);
    expect(JSON.parse(all.stdout)).toMatchObject({ status: 'succeeded', steps: [], aggregates: [] });
  });
});

describe('patchbay validate', () => {
  it('accepts a valid flow', async () => {
    const r = await patchbay(['validate', flowFile(greet)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid/);
  });

  it('names the step, its line and the nearest action for an unknown action', async () => {
    const flow = {
      schema: 'patchbay/flow@1',
      name: 'Typo',
      steps: [{ action: 'Variables.St', params: { name: 'A', value: '1' } }],
    };
    const r = await patchbay(['validate', flowFile(flow), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    const d = out.diagnostics[0];
    expect(d.stepPath).toBe('/steps/0');
    expect(d.line).toBeGreaterThan(1);
    expect(JSON.stringify(d)).toMatch(/Variables\.Set/);
  });
});

describe('patchbay actions list and schema', () => {
  it('lists every standard module and the blocks', async () => {
    const r = await patchbay(['actions', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const groups = new Set(JSON.parse(r.stdout).map((a: { group: string }) => a.group));
    for (const g of ['Variables', 'Text']) expect(groups).toContain(g);
    expect(JSON.parse(r.stdout).some((a: { id: string }) => a.id === 'If')).toBe(true);
  });

  it('prints the flow JSON Schema', async () => {
    const r = await patchbay(['schema', 'flow']);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(JSON.stringify(schema)).toMatch(/patchbay\/flow@1/);
  });

  it('answers --help for every command', async () => {
    for (const args of [
      ['--help'],
      ['run', '--help'],
      ['validate', '--help'],
      ['actions', 'list', '--help'],
      ['schema', '--help'],
    ]) {
      const r = await patchbay(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: patchbay/);
    }
  });
});
