// `patchbay policy …` with the example policy of docs/security.md: a bad file names its place, applying
// suspends a saved flow, `policy check` names the step lines, a run is refused, deleting lifts the flow.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { writeTemp } from './services.js';

const DOCS = fileURLToPath(new URL('../../../docs/security.md', import.meta.url));

/** The first JSON block of the data-loss-prevention section of docs/security.md. */
function docsPolicy(): string {
  const text = readFileSync(DOCS, 'utf8');
  const section = text.slice(text.indexOf('## Data-loss-prevention policies'));
  const m = /```json\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no example policy in docs/security.md');
  return m[1];
}

const shell = `{
  "schema": "patchbay/flow@1",
  "name": "Shell",
  "steps": [
    { "action": "Variables.Set", "params": { "name": "X", "value": 1 } },
    { "action": "System.RunCommand", "params": { "command": "echo hi" } }
  ]
}
`;

describe('patchbay policy', () => {
  const home = tempHome();

  it('refuses a bad policy file with its place and the fix', async () => {
    const file = writeTemp(
      'bad.policy.json',
      '{\n  "name": "P",\n  "environments": ["*"],\n  "connectors": { "default": "trusted" }\n}\n',
    );
    const r = await patchbay(['policy', 'apply', file], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toContain('/connectors/default must be one of business, nonBusiness, blocked');
    expect(r.stderr).toContain('Use business, nonBusiness or blocked.');
    expect(JSON.parse((await patchbay(['policy', 'list', '--json'], { home })).stdout)).toEqual([]);
  });

  it('applies the example of docs/security.md, suspending a saved flow and refusing its run', async () => {
    const flowFile = writeTemp('shell.flow.json', shell);
    const saved = await patchbay(['flow', 'save', flowFile, '--json'], { home });
    expect(saved.code, saved.stderr).toBe(0);
    const flowId = (JSON.parse(saved.stdout) as { id: string }).id;

    const policyFile = writeTemp('production.policy.json', docsPolicy());
    const applied = await patchbay(['policy', 'apply', policyFile], { home });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('Created policy Production: 1 flow suspended, 0 lifted.');
    expect(applied.stdout).toContain(`suspended  ${flowId}  default  Shell`);
    expect(applied.stdout).toContain('/steps/1 System.RunCommand');

    const shown = JSON.parse((await patchbay(['policy', 'show', 'Production', '--json'], { home })).stdout);
    expect(shown.policy).toEqual(JSON.parse(docsPolicy()));
    expect((await patchbay(['policy', 'list'], { home })).stdout).toMatch(/Production\s+\*\s+ledger, office365/);

    const check = await patchbay(['policy', 'check', flowFile, '--env', 'default'], { home });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${flowFile}:6:5 /steps/1 System.RunCommand`);
    const asJson = JSON.parse((await patchbay(['policy', 'check', flowFile, '--json'], { home })).stdout);
    expect(asJson.violations).toEqual([expect.objectContaining({ policy: 'Production', kind: 'blockedModule' })]);

    const run = await patchbay(['run', flowFile], { home });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('policy "Production" at step /steps/1 (System.RunCommand)');
    expect(run.stdout).not.toContain('hi');

    const again = await patchbay(['flow', 'save', flowFile], { home });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('warning: the flow is suspended');
    expect(again.stderr).toContain(`${flowFile}:6:5 /steps/1 System.RunCommand`);

    const deleted = await patchbay(['policy', 'delete', 'Production'], { home });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`lifted     ${flowId}  default  Shell`);
    expect((await patchbay(['policy', 'check', flowFile], { home })).code).toBe(0);
  });
});
