import { describe, expect, it } from 'vitest';
import { robinForSteps, stepsFromClipboard } from './clipboard.js';

describe('designer clipboard', () => {
  it('reads Robin copied from Power Automate for desktop, keeping what Patchbay lacks', () => {
    const got = stepsFromClipboard(
      '',
      'SET Total TO 0\nExcel.CloseExcel.Close Instance: ExcelInstance\n\n# [ControlRepository][PowerAutomateDesktop]\n\n{}\n',
    );
    expect(got?.steps).toEqual([
      { action: 'Variables.Set', params: { name: 'Total', value: 0 } },
      {
        action: 'Robin.Unsupported',
        params: { text: 'Excel.CloseExcel.Close Instance: ExcelInstance' },
        disabled: true,
      },
    ]);
    expect(got?.unsupported.map((u) => u.line)).toEqual([2]);
  });

  it("prefers Patchbay's own format, and refuses text that is not Robin with its place", () => {
    const steps = [{ action: 'Log.Message', params: { message: 'hi' } }];
    expect(stepsFromClipboard(JSON.stringify(steps), 'ignored')?.steps).toEqual(steps);
    expect(stepsFromClipboard('', '  ')).toBeUndefined();
    expect(() => stepsFromClipboard('', 'SET A TO 1\n// not Robin')).toThrow(/Robin line 2, column 1/);
  });

  it('writes Robin for copied steps', () => {
    expect(robinForSteps([{ action: 'Variables.Set', params: { name: 'A', value: '%B + 1%' } }], 'x')).toBe(
      'SET A TO B + 1\n',
    );
  });
});

describe('a pasted stored definition', () => {
  it('brings its subflows by name', () => {
    const got = stepsFromClipboard(
      '',
      'FUNCTION Main GLOBAL\n    CALL Tidy\nEND FUNCTION\nFUNCTION Tidy GLOBAL\n    SET Done TO True\nEND FUNCTION\n',
    );
    expect(got?.steps).toEqual([{ action: 'CallSubflow', params: { subflow: 'Tidy' } }]);
    expect(got?.subflows).toEqual({ Tidy: [{ action: 'Variables.Set', params: { name: 'Done', value: true } }] });
  });
});
