import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRobin, importRobin, robinMappingMarkdown, UNSUPPORTED_ACTION } from './index.js';
import { createActionRegistry } from '../engine/registry.js';
import { standardActions } from '../actions/index.js';
import { blockActions } from '../flow/blocks.js';
import { validateFlow } from '../flow/validate.js';
import { PatchbayError } from '../errors.js';
import { run, flowOf } from '../engine/test-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const samples = join(here, 'samples');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');
const actions = createActionRegistry([...standardActions, ...blockActions]);

function robinError(text: string): PatchbayError {
  try {
    importRobin(text);
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('the text was imported');
}

describe('Robin samples', () => {
  const files = readdirSync(samples).filter((f) => f.endsWith('.robin'));

  it.each(files)('%s: import → export → import gives the same flow', (file) => {
    const first = importRobin(sample(file));
    const exported = exportRobin(first.flow, { actions });
    expect(exported.notExported).toEqual([]);
    const second = importRobin(exported.text);
    expect(second.flow).toEqual(first.flow);
    expect(second.unsupported.map((u) => u.pointer)).toEqual(first.unsupported.map((u) => u.pointer));
    // And once more: the exported text is stable.
    expect(exportRobin(second.flow, { actions }).text).toBe(exported.text);
  });

  it('SET reads text with %…% and escapes, numbers, booleans, lists, custom objects, data tables and expressions', () => {
    const { flow } = importRobin(sample('set-and-text.robin'));
    expect(flow.steps.map((s) => s.params?.value)).toEqual([
      "Hello %Name%, it's 100%% done",
      3,
      12.5,
      true,
      "%['apple', 'pear']%",
      "%{ 'Name': 'Contoso', 'Id': 42 }%",
      "%{ ^['Name', 'Age'], ['Ada', 36] }%",
      '%Count + 1%',
      'C:\\Temp\\report.csv',
      'He said "hi"',
    ]);
    expect(flow.steps.every((s) => s.action === 'Variables.Set')).toBe(true);
  });

  it('actions map by PAD name and argument names, enumerations to options, outputs to produced variables', () => {
    const { flow, unsupported } = importRobin(sample('actions.robin'));
    expect(unsupported).toEqual([]);
    expect(flow.steps[0]).toEqual({
      action: 'File.ReadText',
      params: { storeAs: 'text', file: 'C:\\Data\\in.txt', encoding: 'utf-8' },
      produces: { contents: 'Raw' },
    });
    expect(flow.steps[1]).toMatchObject({
      action: 'Text.Replace',
      params: { text: '%Raw%', find: '\\s+', isRegex: true, replaceWith: ' ' },
      produces: { text: 'Clean' },
    });
    expect(flow.steps[4]).toEqual({ action: 'Variables.AddItemToList', params: { item: '%Parts[0]%', list: 'Names' } });
    expect(validateFlow(flow, { actions, knownVariables: [] }).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('IF / ELSE IF / ELSE, and an action condition becomes the answering step then If', () => {
    const { flow } = importRobin(sample('conditions.robin'));
    expect(flow.steps[0]).toMatchObject({
      action: 'If',
      params: { condition: '%Count > 3 AND Paid = True%' },
      elseIf: [{ condition: '%Count = 0%' }],
      else: [{ action: 'Variables.Set', params: { name: 'Size', value: 'small' } }],
    });
    expect(flow.steps[1]).toMatchObject({
      action: 'File.Exists',
      params: { file: 'C:\\Data\\in.txt' },
      produces: { exists: 'FileExists' },
    });
    expect(flow.steps[2]).toMatchObject({
      action: 'If',
      params: { condition: '%NOT FileExists%' },
      then: [{ action: 'StopFlow', params: { mode: 'error', message: 'The input file is missing' } }],
    });
    expect(flow.steps[3].params?.condition).toBe("%Contains(Name, 'ada', True)%");
    expect(exportRobin(flow, { actions }).text).toContain(
      "IF (File.IfFile.DoesNotExist File: $'''C:\\\\Data\\\\in.txt''') THEN",
    );
  });

  it('SWITCH with CASE operators and DEFAULT', () => {
    const { flow } = importRobin(sample('switch.robin'));
    expect(flow.steps[0].cases).toEqual([
      { value: 'new', do: [expect.objectContaining({ action: 'Variables.Set' })] },
      { values: ['open', 'pending'], do: [expect.anything()] },
      { operator: 'startsWith', value: 'clo', do: [expect.anything()] },
      { operator: 'isEmpty', do: [expect.anything()] },
    ]);
    expect(flow.steps[0].default).toHaveLength(1);
  });

  it('loops, EXIT LOOP and NEXT LOOP', () => {
    const { flow } = importRobin(sample('loops.robin'));
    expect(flow.steps.map((s) => s.action)).toEqual(['Loop.ForEach', 'Loop', 'LoopWhile']);
    expect(flow.steps[0]).toMatchObject({ params: { items: '%Rows%' }, produces: { item: 'Row' } });
    expect(flow.steps[0].do?.[0].then).toEqual([{ action: 'Loop.Next' }]);
    expect(flow.steps[1]).toMatchObject({ params: { from: 10, to: 0, step: -2 }, produces: { index: 'LoopIndex' } });
    expect(flow.steps[1].do?.[0].then).toEqual([{ action: 'Loop.Exit' }]);
    expect(flow.steps[2].params?.condition).toBe('%(Total) < (1000)%');
    expect(flow.steps[2].do?.[0]).toEqual({ action: 'Variables.Increase', params: { name: 'Total', by: 10 } });
  });

  it('LABEL, GOTO, WAIT, CALL, EXIT Code, ERROR =>, comments and regions', () => {
    const { flow } = importRobin(sample('flow-control.robin'));
    expect(flow.steps).toEqual([
      { action: 'Label', params: { name: 'Start' } },
      { action: 'Wait', params: { seconds: 2 } },
      { action: 'CallSubflow', params: { subflow: 'Cleanup' } },
      { action: 'GoTo', params: { label: 'Start' } },
      { action: 'StopFlow', params: { mode: 'success' } },
      { action: 'GetLastError', produces: { error: 'Problem' } },
      { action: 'Comment', params: { text: 'A line comment' } },
      { action: 'Comment', params: { text: 'A comment\nover two lines' } },
      { action: 'Region', params: { name: 'Setup' } },
      { action: 'Variables.Set', params: { name: 'A', value: 1 } },
      { action: 'EndRegion' },
    ]);
  });

  it('ON ERROR and BLOCK … ON BLOCK ERROR become error policies', () => {
    const { flow } = importRobin(sample('errors.robin'));
    expect(flow.steps[0].onError).toEqual({
      retry: 2,
      retryIntervalSeconds: 3,
      setVariable: { name: 'Amount', value: 0 },
      then: 'goto',
      label: 'Fallback',
    });
    expect(flow.steps[1].onError).toEqual({ then: 'continue' });
    expect(flow.steps[2]).toMatchObject({
      action: 'Block',
      params: { name: 'Import' },
      onBlockError: { setVariable: { name: 'Failed', value: true }, runSubflow: 'Report', then: 'continue' },
    });
    expect(flow.steps[2].do).toHaveLength(2);
  });

  it('an action Patchbay lacks is a disabled step that keeps its Robin text, listed, and exported unchanged', () => {
    const text = sample('annotations-and-unsupported.robin');
    const { flow, unsupported } = importRobin(text);
    expect(unsupported.map((u) => [u.pointer, u.line, u.action])).toEqual([
      ['/steps/0', 2, 'Scripting.RunPowershellScript.RunScript'],
      ['/steps/1', 3, 'Excel.LaunchExcel.LaunchAndOpenUnderExistingProcess'],
      ['/steps/2', 4, 'Display.ShowMessageDialog.ShowMessage'],
      ['/steps/4', 7, 'WAIT'],
    ]);
    for (const u of unsupported) {
      const step = flow.steps[Number(u.pointer.split('/')[2])];
      expect(step.action).toBe(UNSUPPORTED_ACTION);
      expect(step.disabled).toBe(true);
    }
    expect(flow.steps[0].metadata).toEqual({ copilotGeneratedAction: 'False' });
    expect(flow.steps[3]).toEqual({
      action: 'Variables.Set',
      params: { name: 'Done', value: true },
      metadata: { timestamp: '05/12/2026 07:00:00' },
    });
    // Every line of the original comes back unchanged.
    const exported = exportRobin(flow, { actions }).text;
    for (const line of text.split('\n').filter(Boolean)) expect(exported).toContain(line);
    // The flow still validates: disabled steps are skipped.
    expect(validateFlow(flow, { actions }).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a connector action becomes a connector step on a connection reference, never a connection id', () => {
    const { flow, connectionReferences } = importRobin(sample('connector.robin'));
    expect(flow.steps[1]).toEqual({
      connector: 'office365',
      operation: 'GetEmailsV3',
      connectionReference: 'contoso_sharedoffice365_7d3a1',
      params: { folderPath: 'Inbox', fetchOnlyUnread: false, mailboxAddress: '%Mailbox%', top: 25 },
      produces: { body: 'Mails' },
      metadata: { folderPath: 'Inbox', connectionDisplayName: 'Office 365 Outlook ops' },
    });
    expect(connectionReferences).toEqual([
      { logicalName: 'contoso_sharedoffice365_7d3a1', displayName: 'Contoso Outlook', connectorId: 'office365' },
    ]);
    const json = JSON.stringify(flow);
    expect(json).not.toContain('ad6d3c86-98fa-435c-bc66-3759564f18c1');
    expect(json).not.toContain('b75fcd6471ef4565bbafae482ccc6753');
    const exported = exportRobin(flow, { actions }).text;
    expect(exported).toContain('# [ControlRepository][PowerAutomateDesktop]');
    expect(exported).not.toContain('b75fcd6471ef4565bbafae482ccc6753');
    expect(exported).toContain("ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_office365'");
  });

  it('a connector action without a trailer gets a reference named after its connector', () => {
    const { flow, connectionReferences } = importRobin(
      "External.InvokeCloudConnector Connection: 'x' ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_ledger' OperationId: 'GetInvoice' @id: 7 @GetInvoiceResponse=> Invoice\n",
    );
    expect(flow.steps[0]).toMatchObject({ connector: 'ledger', connectionReference: 'ledger_reference' });
    expect(connectionReferences).toEqual([{ logicalName: 'ledger_reference', connectorId: 'ledger' }]);
  });

  it('stored definitions: @@ header lines, @INPUT / @OUTPUT / @SENSITIVE and FUNCTION … END FUNCTION', () => {
    const { flow } = importRobin(sample('stored-definition.robin'));
    expect(flow.metadata).toEqual({ source: 'Designer', culture: 'en-US' });
    expect(flow.inputs).toEqual({
      Recipient: { type: 'text', description: 'Who gets the report', required: true },
      ApiKey: { type: 'text', required: false, sensitive: true },
    });
    expect(flow.outputs).toEqual({ Sent: { type: 'number', default: 0 } });
    expect(flow.steps).toEqual([
      { action: 'Variables.Set', params: { name: 'Sent', value: 0 } },
      { action: 'CallSubflow', params: { subflow: 'Notify' } },
    ]);
    expect(flow.subflows?.Notify).toEqual({
      inputs: { Who: { type: 'text', required: true } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Message', value: 'Hello %Who%' } },
        { action: 'Subflow.Exit' },
      ],
      metadata: { 'robin:scope': 'LOCAL' },
    });
  });

  it('DISABLE keeps a step disabled both ways', () => {
    const { flow } = importRobin("DISABLE SET A TO 1\nDISABLE Text.ToNumber Text: $'''4''' Number=> N\n");
    expect(flow.steps.map((s) => s.disabled)).toEqual([true, true]);
    expect(exportRobin(flow, { actions }).text).toBe(
      "DISABLE SET A TO 1\nDISABLE Text.ToNumber Text: $'''4''' Number=> N\n",
    );
  });

  it('an imported flow runs: SET, IF, LOOP and the list actions behave as in PAD', async () => {
    const { flow } = importRobin(
      [
        'SET Total TO 0',
        'Variables.CreateNewList List=> Seen',
        'LOOP i FROM 1 TO 5 STEP 1',
        '    IF i mod 2 = 0 THEN',
        '        NEXT LOOP',
        '    END',
        '    SET Total TO Total + i',
        '    Variables.AddItemToList Item: i List: Seen',
        'END',
        "SET Message TO $'''Total %Total% from %Seen.Count% items'''",
      ].join('\n'),
    );
    const result = await run(flowOf({ ...flow, outputs: { Message: { type: 'text' } } }));
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ Message: 'Total 9 from 3 items' });
  });
});

describe('Robin errors name the line and column, and nothing is half-imported', () => {
  it('refuses // lines', () => {
    const e = robinError('SET A TO 1\n  // not Robin\nSET B TO 2\n');
    expect(e.code).toBe('flow.invalid');
    expect(e.place).toMatchObject({ line: 2, column: 3 });
    expect(e.message).toContain('line 2, column 3');
    expect(e.message).toContain("'//' is not Robin");
  });

  it('names a block that is never closed', () => {
    const e = robinError('IF A = 1 THEN\n    SET B TO 2\n');
    expect(e.message).toMatch(/line 3, column 1: Expected END, found the end of the text/);
  });

  it('names a statement that is not Robin', () => {
    const e = robinError('SET A TO 1\nconsole.log(A);\n');
    expect(e.place).toMatchObject({ line: 2 });
  });

  it('names a bad expression inside a value', () => {
    const e = robinError('SET A TO (1 + \n');
    expect(e.place).toMatchObject({ line: 1, column: 15 });
    expect(e.message).toContain('Expected a value, found the end of the line');
  });

  it("names a bad expression inside $'''…''' text", () => {
    const e = robinError("SET A TO 1\nSET B TO $'''%(A%'''\n");
    expect(e.place).toMatchObject({ line: 2 });
    expect(e.message).toContain('%(A%');
  });

  it('names text that is never closed', () => {
    expect(robinError("SET A TO $'''open\n").place).toMatchObject({ line: 1, column: 10 });
    expect(robinError("SET A TO 'open\n").place).toMatchObject({ line: 1, column: 10 });
  });

  it('adds the file to the place when given', () => {
    try {
      importRobin('GOTO\n', { file: 'flow.robin' });
      expect.unreachable();
    } catch (e) {
      expect((e as PatchbayError).place).toMatchObject({ file: 'flow.robin', line: 1, column: 5 });
      expect((e as PatchbayError).message).toMatch(/^Robin line 1, column 5: /);
    }
  });
});

describe('export of Patchbay-only steps', () => {
  it('writes a step PAD has no counterpart for as a # [Patchbay] comment that import reads back', () => {
    const flow = flowOf({
      steps: [
        { action: 'Log.Message', params: { message: 'hello %Name%' } },
        { action: 'Variables.Set', params: { name: 'A', value: '%1%' } },
      ],
    });
    const { text, notExported } = exportRobin(flow, { actions });
    expect(notExported).toEqual([{ pointer: '/steps/0', action: 'Log.Message', reason: expect.any(String) }]);
    expect(text.split('\n')[0]).toMatch(/^# \[Patchbay\] \{"action":"Log.Message"/);
    const back = importRobin(text).flow;
    expect(back.steps[0]).toEqual({ action: 'Log.Message', params: { message: 'hello %Name%' } });
    expect(back.steps[1]).toEqual({ action: 'Variables.Set', params: { name: 'A', value: 1 } });
  });
});

describe('docs/robin.md', () => {
  it('renders the one mapping table (rewritten when stale; rerun to pass)', () => {
    const file = join(here, '../../../../docs/robin.md');
    const doc = readFileSync(file, 'utf8');
    const markers = /(<!-- robin-actions:start -->\n)([\s\S]*?)(<!-- robin-actions:end -->)/;
    const expected = `${robinMappingMarkdown()}\n`;
    const current = markers.exec(doc)?.[2];
    if (current !== expected)
      writeFileSync(
        file,
        doc.replace(markers, (_m, a: string, _b, c: string) => a + expected + c),
      );
    expect(current, 'docs/robin.md was stale and has been regenerated; commit it').toBe(expected);
  });
});

describe('the example flows', () => {
  const dir = join(here, '../../../../examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.flow.json'));
  it.each(files)('%s exports to Robin, and its Robin round-trips', (file) => {
    const flow = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const first = exportRobin(flow, { actions });
    const imported = importRobin(first.text, { name: flow.name });
    const second = exportRobin(imported.flow, { actions });
    expect(importRobin(second.text, { name: flow.name }).flow).toEqual(imported.flow);
    // Steps PAD has no counterpart for come back exactly, from their # [Patchbay] comments.
    if (first.notExported.length) expect(first.text).toContain('# [Patchbay] ');
  });
});

describe('Robin as PAD writes it on Windows', () => {
  it('reads CRLF line ends, a byte order mark, tabs and blank lines', () => {
    const text = "\uFEFFSET A TO 1\r\n\r\nIF A = 1 THEN\r\n\tSET B TO $'''two\r\nlines'''\r\nEND\r\n";
    const { flow } = importRobin(text);
    expect(flow.steps).toEqual([
      { action: 'Variables.Set', params: { name: 'A', value: 1 } },
      {
        action: 'If',
        params: { condition: '%A = 1%' },
        then: [{ action: 'Variables.Set', params: { name: 'B', value: 'two\nlines' } }],
      },
    ]);
  });
});

describe('any text', () => {
  it('is imported whole or refused with a flow.invalid error naming its place, never anything else', () => {
    const pieces = [
      'SET ',
      'A',
      ' TO ',
      '1',
      '\n',
      'IF ',
      ' THEN',
      'END',
      "$'''",
      "'",
      '%',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      '=>',
      'LOOP ',
      'FOREACH ',
      ' IN ',
      'Text.Replace ',
      'Text: ',
      '@@a: ',
      '# c',
      '/#',
      '#/',
      '**REGION x',
      'ELSE',
      'CASE ',
      'SWITCH ',
      'ON ERROR',
      'BLOCK ',
      'FUNCTION Main GLOBAL',
      'END FUNCTION',
      '@INPUT X',
      '//',
      '\t',
      ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        try {
          importRobin(text);
        } catch (e) {
          expect(e).toBeInstanceOf(PatchbayError);
          expect((e as PatchbayError).code).toBe('flow.invalid');
          expect((e as PatchbayError).place.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('corner cases', () => {
  it('a property in parentheses is an expression, not an action condition', () => {
    const { flow } = importRobin('IF (Row.Done) THEN\n    SET A TO 1\nEND\n');
    expect(flow.steps).toEqual([
      {
        action: 'If',
        params: { condition: '%(Row.Done)%' },
        then: [{ action: 'Variables.Set', params: { name: 'A', value: 1 } }],
      },
    ]);
  });

  it('a disabled action condition stays one disabled IF both ways', () => {
    const text = "DISABLE IF (File.IfFile.Exists File: $'''a.txt''') THEN\n    SET A TO 1\nEND\n";
    const { flow } = importRobin(text);
    expect(flow.steps.map((s) => [s.action, s.disabled])).toEqual([
      ['File.Exists', true],
      ['If', true],
    ]);
    expect(exportRobin(flow, { actions }).text).toBe(text);
  });

  it('a statement kept whole as text lists only itself', () => {
    const { unsupported } = importRobin(
      "IF (UIAutomation.IfWindow.IsOpen Title: $'''Contoso''') THEN\n    Excel.CloseExcel.Close Instance: X\nEND\n",
    );
    expect(unsupported.map((u) => [u.pointer, u.action])).toEqual([['/steps/0', 'IF']]);
  });

  it('ELSE IF with an action condition nests under Else', () => {
    const { flow } = importRobin(
      'IF A = 1 THEN\n    SET B TO 1\nELSE IF (File.IfFile.Exists File: P) THEN\n    SET B TO 2\nELSE\n    SET B TO 3\nEND\n',
    );
    expect(flow.steps[0].else?.map((s) => s.action)).toEqual(['File.Exists', 'If']);
    expect(flow.steps[0].else?.[1].else).toEqual([{ action: 'Variables.Set', params: { name: 'B', value: 3 } }]);
  });
});

describe('validating an imported flow', () => {
  it("flags a step that reads a kept PAD action's variable as reading a disabled step's variable", () => {
    const { flow } = importRobin(
      'Excel.ReadFromExcel.ReadCell Instance: X StartColumn: 1 StartRow: 1 ReadAsText: False CellValue=> Cell\nSET Copy TO Cell\n',
    );
    const errors = validateFlow(flow, { actions }).filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.stepPath])).toEqual([['flow.disabled_variable', '/steps/1']]);
  });
});

describe('declarations', () => {
  it("reads PAD's variable types, a data table as Patchbay's data table, and refuses an unknown type", () => {
    const { flow } = importRobin(
      "@@type: 'Datatable'\n@INPUT Rows\n@@type: 'Boolean'\n@@isOptional: True\n@INPUT Strict\nFUNCTION Main GLOBAL\nEND FUNCTION\n",
    );
    expect(flow.inputs).toEqual({
      Rows: { type: 'datatable', required: true },
      Strict: { type: 'boolean', required: false },
    });
    expect(robinError("@@type: 'Colour'\n@INPUT C\n").message).toMatch(
      /line 2, column 1: Unknown variable type 'colour'/,
    );
  });
});

describe('export of any flow', () => {
  const text = fc.stringMatching(/^[a-zA-Z0-9 '"\\%\n$.,:()[\]{}#@=<>-]{0,12}$/);
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
  const value = fc.oneof(
    text,
    fc.integer({ min: -5, max: 99 }),
    fc.boolean(),
    name.map((n) => `%${n}%`),
  );
  const leaf = fc.oneof(
    fc.record({ action: fc.constant('Variables.Set'), params: fc.record({ name, value }) }),
    fc.record({ action: fc.constant('Comment'), params: fc.record({ text }) }),
    fc.record({ action: fc.constant('Log.Message'), params: fc.record({ message: text }) }),
    fc.record({
      action: fc.constant('Text.Replace'),
      params: fc.record({ text: value, find: text, replaceWith: text }),
    }),
    fc.record({ action: fc.constant('Label'), params: fc.record({ name }) }),
  );
  const policy = fc.record(
    {
      retry: fc.integer({ min: 0, max: 3 }),
      then: fc.constantFrom('stop' as const, 'continue' as const, 'goto' as const),
      label: name,
      setVariable: fc.record({ name, value }),
      runSubflow: name,
    },
    { requiredKeys: [] },
  );
  const more = fc.oneof(
    fc.record({ action: fc.constant('Wait'), params: fc.record({ seconds: fc.integer({ min: 0, max: 9 }) }) }),
    fc.record({ action: fc.constant('StopFlow'), params: fc.record({ mode: fc.constant('error'), message: text }) }),
    fc.record({ action: fc.constant('CallSubflow'), params: fc.record({ subflow: name }) }),
    fc.record({ action: fc.constant('Region'), params: fc.record({ name: name }) }),
    fc.record({ action: fc.constant('Text.ConvertTextToNumber'), params: fc.record({ text: value }), onError: policy }),
    fc.record({
      connector: fc.constant('ledger'),
      operation: name,
      connectionReference: name,
      params: fc.dictionary(name, value, { maxKeys: 2 }),
    }),
    fc.record({
      action: fc.constant('Variables.Set'),
      params: fc.record({ name, value }),
      metadata: fc.dictionary(name, fc.oneof(text, fc.integer(), fc.boolean()), { minKeys: 1, maxKeys: 2 }),
    }),
  );
  const step = fc.oneof(
    leaf,
    more,
    fc.record({
      action: fc.constant('Switch'),
      params: fc.record({ value: name.map((n) => `%${n}%`) }),
      cases: fc.array(fc.record({ value, do: fc.array(leaf, { maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
      default: fc.array(leaf, { maxLength: 2 }),
    }),
    fc.record({
      action: fc.constant('Block'),
      params: fc.record({ name: text }),
      do: fc.array(leaf, { maxLength: 2 }),
      onBlockError: policy,
    }),
    fc.record({
      action: fc.constant('If'),
      params: fc.record({ condition: name.map((n) => `%${n} = 1%`) }),
      then: fc.array(leaf, { maxLength: 3 }),
    }),
    fc.record({
      action: fc.constant('Loop.ForEach'),
      params: fc.record({ items: name.map((n) => `%${n}%`) }),
      produces: fc.record({ item: name }),
      do: fc.array(leaf, { maxLength: 3 }),
    }),
  );

  it('writes Robin that reads back, and reads back the same the second time', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 6 }), fc.boolean(), (steps, disabled) => {
        const flow = {
          schema: 'patchbay/flow@1' as const,
          name: 'Any',
          steps: steps.map((s) => (disabled ? { ...s, disabled } : s)),
        };
        const once = importRobin(exportRobin(flow, { actions }).text, { name: 'Any' }).flow;
        const twice = importRobin(exportRobin(once, { actions }).text, { name: 'Any' }).flow;
        expect(twice).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('an enabled kept PAD action', () => {
  it('is refused by validation, naming why', () => {
    const { flow } = importRobin('Excel.CloseExcel.Close Instance: X\n');
    const step = { ...flow.steps[0], disabled: false };
    const errors = validateFlow({ ...flow, steps: [step] }, { actions }).filter((d) => d.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'action.unknown',
        pointer: '/steps/0/action',
        message: expect.stringContaining('Power Automate for desktop action cannot run as a step'),
      }),
    ]);
  });
});

describe('a whole flow', () => {
  it('imports a stored invoice flow with subflows, regions, blocks, errors, a connector and a PAD-only action', () => {
    const { flow, unsupported, connectionReferences } = importRobin(sample('whole-invoice-flow.robin'));
    expect(flow.metadata).toEqual({ source: 'Designer' });
    expect(Object.keys(flow.inputs ?? {})).toEqual(['InvoiceFolder', 'Limit']);
    expect(flow.steps.map((s) => s.action ?? `${s.connector}/${s.operation}`)).toEqual([
      'Comment',
      'Variables.Set',
      'Variables.CreateNewList',
      'Folder.GetFiles',
      'Region',
      'Loop.ForEach',
      'EndRegion',
      'If',
      'Text.Join',
      'ledger/CreateEntry',
      'Robin.Unsupported',
    ]);
    const block = flow.steps[5].do?.[0];
    expect(block).toMatchObject({
      action: 'Block',
      params: { name: 'Read one file' },
      onBlockError: { runSubflow: 'LogProblem', then: 'continue' },
    });
    expect(block?.do?.[1].do?.[0]).toMatchObject({
      action: 'Text.ConvertTextToNumber',
      onError: { setVariable: { name: 'Amount', value: 0 }, then: 'continue' },
    });
    expect(flow.subflows?.LogProblem.steps[0]).toEqual({ action: 'GetLastError', produces: { error: 'Problem' } });
    expect(unsupported.map((u) => u.action)).toEqual(['Display.ShowMessageDialog.ShowMessage']);
    expect(connectionReferences).toEqual([
      { logicalName: 'contoso_ledger_finance', displayName: 'Ledger (finance)', connectorId: 'ledger' },
    ]);
    expect(JSON.stringify(flow)).not.toContain('5f0c8b1e9d2a4c7b8e6f1a2b3c4d5e6f');
    const problems = validateFlow(flow, { actions }).filter((d) => d.severity === 'error');
    expect(problems).toEqual([]);
  });
});

describe("PAD's condition operators", () => {
  const flow = flowOf({
    inputs: { Name: { type: 'text' }, Count: { type: 'number' } },
    outputs: { Said: { type: 'text' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Said', value: 'none' } },
      {
        action: 'If',
        params: { first: '%Name%', operator: 'contains', second: 'ADA', ignoreCase: true },
        then: [{ action: 'Variables.Set', params: { name: 'Said', value: 'ada' } }],
        elseIf: [
          {
            first: '%Count%',
            operator: '>',
            second: 3,
            then: [{ action: 'Variables.Set', params: { name: 'Said', value: 'many' } }],
          },
          {
            first: '%Name%',
            operator: 'isEmpty',
            then: [{ action: 'Variables.Set', params: { name: 'Said', value: 'nobody' } }],
          },
        ],
      },
    ],
  });

  it('are written as Robin conditions PAD pastes, and read back to a flow that decides the same', async () => {
    const { text, notExported } = exportRobin(flow, { actions });
    expect(notExported).toEqual([]);
    expect(text).toContain("IF Contains(Name, 'ADA', True) THEN");
    expect(text).toContain('ELSE IF Count > 3 THEN');
    expect(text).toContain('ELSE IF IsEmpty(Name) THEN');
    const back = importRobin(text).flow;
    for (const [inputs, said] of [
      [{ Name: 'Ada Lovelace', Count: 1 }, 'ada'],
      [{ Name: 'Grace', Count: 5 }, 'many'],
      [{ Name: '', Count: 0 }, 'nobody'],
      [{ Name: 'Grace', Count: 1 }, 'none'],
    ] as const) {
      const original = await run(flow, { inputs });
      const imported = await run({ ...back, outputs: { Said: { type: 'text' } } }, { inputs });
      expect(original.outputs.Said).toBe(said);
      expect(imported.outputs.Said).toBe(said);
    }
  });

  it('refuses a comparison with Ignore case, which Robin cannot write, by keeping the step as a comment', () => {
    const odd = flowOf({
      steps: [{ action: 'If', params: { first: 'a', operator: '=', second: 'A', ignoreCase: true }, then: [] }],
    });
    const { notExported } = exportRobin(odd, { actions });
    expect(notExported.length).toBe(1);
  });
});
