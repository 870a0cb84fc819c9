import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patchbay } from './cli.js';

const work = () => mkdtempSync(join(tmpdir(), 'patchbay-robin-'));

const COPIED = `SET Total TO 0
LOOP FOREACH Amount IN [5, 7, 30]
    IF Amount > 10 THEN
        NEXT LOOP
    END
    SET Total TO Total + Amount
END
Excel.LaunchExcel.LaunchUnderExistingProcess Visible: True Instance=> ExcelInstance
@@connectionDisplayName: 'Ledger (ops)'
External.InvokeCloudConnector Connection: '4b1e0c1a-1111-4c7e-9a55-0123456789ab' ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_ledger' OperationId: 'GetInvoice' @id: 7 @GetInvoiceResponse=> Invoice

# [ControlRepository][PowerAutomateDesktop]

{
  "ControlRepositorySymbols": [],
  "ConnectionReferences": [
    {
      "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_ledger",
      "DisplayName": "Ledger for ops",
      "InternalId": "4b1e0c1a-1111-4c7e-9a55-0123456789ab",
      "LogicalName": "contoso_ledger_ops",
      "ConnectionName": "canary-connection-id-5f1e",
      "IsEmbedded": false
    }
  ]
}
`;

describe('patchbay robin', () => {
  it('imports a clipboard copy, lists what it kept and the references, and exports it back', async () => {
    const dir = work();
    writeFileSync(join(dir, 'copied.robin'), COPIED);
    const imp = await patchbay(['robin', 'import', 'copied.robin', '--out', 'totals.flow.json'], { cwd: dir });
    expect(imp.stderr).toContain('copied.robin:8:1 /steps/2 Excel.LaunchExcel.LaunchUnderExistingProcess');
    expect(imp.stderr).toContain(
      'patchbay ref create contoso_ledger_ops --connector ledger --display-name "Ledger for ops"',
    );
    expect(imp.code).toBe(0);
    const flowText = readFileSync(join(dir, 'totals.flow.json'), 'utf8');
    expect(flowText).not.toContain('canary-connection-id-5f1e');
    expect(flowText).not.toContain('4b1e0c1a-1111-4c7e-9a55-0123456789ab');
    const flow = JSON.parse(flowText);
    expect(flow.name).toBe('copied');
    expect(flow.steps[3]).toMatchObject({ connector: 'ledger', connectionReference: 'contoso_ledger_ops' });

    const exp = await patchbay(['robin', 'export', 'totals.flow.json'], { cwd: dir });
    expect(exp.code).toBe(0);
    expect(exp.stdout).toContain('Excel.LaunchExcel.LaunchUnderExistingProcess Visible: True Instance=> ExcelInstance');
    expect(exp.stdout).toContain('LOOP FOREACH Amount IN [5, 7, 30]');
    expect(exp.stdout).not.toContain('canary-connection-id-5f1e');
    writeFileSync(join(dir, 'again.robin'), exp.stdout);
    const again = await patchbay(['robin', 'import', 'again.robin', '--name', 'copied', '--json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).flow).toEqual(flow);
  });

  it('runs what it imported, with the unsupported step left disabled', async () => {
    const dir = work();
    writeFileSync(
      join(dir, 'sum.robin'),
      'SET Total TO 0\nLOOP i FROM 1 TO 4 STEP 1\n    SET Total TO Total + i\nEND\nDISABLE Display.ShowMessageDialog.ShowMessage Message: Total\n',
    );
    expect((await patchbay(['robin', 'import', 'sum.robin', '--out', 'sum.flow.json'], { cwd: dir })).code).toBe(0);
    const flow = JSON.parse(readFileSync(join(dir, 'sum.flow.json'), 'utf8'));
    flow.outputs = { Total: { type: 'number' } };
    writeFileSync(join(dir, 'sum.flow.json'), JSON.stringify(flow));
    const ran = await patchbay(['run', 'sum.flow.json', '--json'], { cwd: dir });
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded', outputs: { Total: 10 } });
  });

  it('refuses text that is not Robin with its line and column, and writes nothing', async () => {
    const dir = work();
    writeFileSync(join(dir, 'bad.robin'), 'SET A TO 1\n// a C comment\n');
    const r = await patchbay(['robin', 'import', 'bad.robin', '--out', 'bad.flow.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^patchbay: bad\.robin:2:1: Robin line 2, column 1: '\/\/' is not Robin/);
    expect(() => readFileSync(join(dir, 'bad.flow.json'))).toThrow();
  });
});
