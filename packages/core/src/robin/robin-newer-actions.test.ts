import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRobin, importRobin, UNSUPPORTED_ACTION } from './index.js';
import { createActionRegistry } from '../engine/registry.js';
import { standardActions } from '../actions/index.js';
import { blockActions } from '../flow/blocks.js';
import { validateFlow } from '../flow/validate.js';
import { run, flowOf } from '../engine/test-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const sample = (name: string) => readFileSync(join(here, 'samples', name), 'utf8');
const actions = createActionRegistry([...standardActions, ...blockActions]);
const robinLines = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('Robin: crop and reverse text, list sets, Base64, special folders, ZIP, scripts, data tables', () => {
  it('maps each action by PAD name, argument names and enumerations', () => {
    const { flow, unsupported } = importRobin(sample('newer-actions.robin'));
    expect(unsupported).toEqual([]);
    const s = flow.steps;
    expect(s[0]).toEqual({
      action: 'Text.CropText',
      params: {
        mode: 'between',
        text: 'Order <id>42</id> shipped',
        startFlag: '<id>',
        endFlag: '</id>',
        ignoreCase: false,
      },
      produces: { text: 'OrderId', found: 'IsFlagFound' },
    });
    // A PAD output left out of the Robin is turned off.
    expect(s[1]).toEqual({
      action: 'Text.CropText',
      params: { mode: 'after', text: 'Name: Ada', startFlag: 'name: ', ignoreCase: true },
      produces: { text: 'Name', found: false },
    });
    expect(s[2]).toMatchObject({
      params: { mode: 'before', endFlag: '.' },
      produces: { text: 'Stem', found: 'HasDot' },
    });
    expect(s[3]).toEqual({ action: 'Text.Reverse', params: { text: '%Name%' }, produces: { text: 'Backwards' } });
    expect(s[5]).toEqual({ action: 'Variables.ShuffleList', params: { list: 'Names' } });
    expect(s[6]).toEqual({
      action: 'Variables.SubtractLists',
      params: { first: "%['a', 'b', 'c']%", second: "%['b']%" },
      produces: { list: 'Rest' },
    });
    expect(s[7]).toMatchObject({ action: 'Variables.FindCommonListItems', produces: { list: 'Both' } });
    expect(s[8]).toEqual({
      action: 'Folder.GetSpecialFolder',
      params: { folder: 'Desktop' },
      produces: { path: 'SpecialFolderPath' },
    });
    expect(s[9].params).toEqual({ folder: 'Documents' });
    expect(s[10]).toEqual({
      action: 'File.ConvertToBase64',
      params: { file: '%DocFolderPath%\\logo.png' },
      produces: { text: 'Base64Text' },
    });
    expect(s[11]).toEqual({
      action: 'File.ConvertFromBase64',
      params: { base64: '%Base64Text%', file: '%SpecialFolderPath%\\logo-copy.png', ifFileExists: 'overwrite' },
    });
    expect(s[12]).toMatchObject({ action: 'Compression.ZipFiles', params: { compressionLevel: 9 } });
    expect(s[13]).toEqual({
      action: 'Compression.UnzipFiles',
      params: { archive: '%SpecialFolderPath%\\logos.zip', destination: '%SpecialFolderPath%\\unzipped' },
      produces: { files: false },
    });
    expect(s[14]).toEqual({
      action: 'Scripting.RunPowerShellScript',
      params: { script: "Get-Date -Format 'yyyy'" },
      // PAD gives no exit code: the variable Patchbay would add is turned off.
      produces: { output: 'PowershellOutput', error: 'ScriptError', exitCode: false },
    });
    expect(s[15]).toEqual({
      action: 'Scripting.RunPythonScript',
      params: { script: 'print(%Year% + 1)' },
      produces: { output: 'PythonOutput', error: false, exitCode: false },
    });
    expect(s[16]).toEqual({
      action: 'Variables.CreateNewDataTable',
      params: { table: "%{ ^['Name', 'Age'], ['Ada', 36], ['Alan', 41] }%" },
      produces: { table: 'People' },
    });
    expect(s[17]).toEqual({
      action: 'Variables.AddRowToDataTable',
      params: { dataTable: 'People', row: "%['Grace', 85]%" },
    });
    expect(s[18].params).toEqual({ dataTable: 'People', rowIndex: 0, row: "%['Edsger', 72]%" });
    expect(s[19]).toEqual({ action: 'Variables.DeleteRowFromDataTable', params: { dataTable: 'People', rowIndex: 1 } });
    expect(s[20]).toEqual({
      action: 'Variables.UpdateDataTableItem',
      params: { dataTable: 'People', column: 'Age', rowIndex: 0, value: 37 },
    });
    expect(s[21]).toEqual({
      action: 'Variables.InsertColumnIntoDataTable',
      params: { dataTable: 'People', columnName: 'City' },
    });
    expect(s[22]).toEqual({
      action: 'Variables.DeleteColumnFromDataTable',
      params: { dataTable: 'People', column: 'City' },
    });
    expect(s[23]).toEqual({
      action: 'Variables.FindOrReplaceInDataTable',
      params: {
        replace: false,
        dataTable: 'People',
        allMatches: true,
        find: 'ada',
        ignoreCase: true,
        matchWholeCell: true,
      },
      produces: { matches: 'DataTableMatches' },
    });
    expect(s[24].params).toMatchObject({ replace: true, replaceWith: 'Alan Turing', ignoreCase: false });
    expect(s[25]).toEqual({
      action: 'Variables.SortDataTable',
      params: { dataTable: 'People', columns: 'Age', descending: true },
    });
    expect(s[26]).toEqual({ action: 'Variables.RemoveDuplicateRowsFromDataTable', params: { dataTable: 'People' } });
    expect(s[28]).toEqual({
      action: 'Variables.MergeDataTables',
      params: { first: 'People', second: '%Teams%', mode: 'addExtraColumns' },
    });
    expect(s[29]).toMatchObject({
      action: 'File.ReadCsv',
      params: { firstLineIsHeader: true, delimiter: 'semicolon', trim: true },
      produces: { table: 'CSVTable' },
    });
    expect(s.slice(30)).toEqual([
      { action: 'GetLastError', produces: { error: 'LastError' } },
      { action: 'Wait', params: { seconds: 1.5 } },
      { action: 'StopFlow', params: { mode: 'error', message: 'Stopped after %CSVTable.RowsCount% rows' } },
    ]);
    const errors = validateFlow(flow, { actions, knownVariables: ['Year'] }).filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('imported, they do what PAD documents', async () => {
    const { flow } = importRobin(
      robinLines(
        "Text.CropText.CropTextBetweenFlags Text: $'''Order <id>42</id> shipped''' FromFlag: $'''<ID>''' ToFlag: $'''</ID>''' IgnoreCase: True CroppedText=> OrderId",
        'Text.Reverse Text: OrderId ReversedText=> Backwards',
        "Variables.SubtractLists FirstList: ['a', 'b', 'c'] SecondList: ['b'] OutputList=> Rest",
        "Variables.FindCommonListItems FirstList: ['a', 'b', 'c'] SecondList: ['c', 'a'] IntersectionList=> Both",
        "Variables.CreateNewDatatable InputTable: { ^['Name', 'Age'], ['Ada', 36], ['Alan', 41] } DataTable=> People",
        "Variables.AddRowToDataTable.InsertRowToDataTable DataTable: People RowIndex: 0 RowToAdd: ['Grace', 85]",
        "Variables.ModifyDataTableItem DataTable: People ColumnNameOrIndex: $'''Age''' RowIndex: 1 Value: 37",
        "Variables.SortDataTable.SortWithColumnName DataTable: People ColumnName: $'''Age''' Order: Variables.SortDirection.Descending",
        'SET First TO People[0][0]',
        'SET Count TO People.RowsCount',
      ),
    );
    const result = await run(flow);
    expect(result.status).toBe('succeeded');
    expect(result.variables).toMatchObject({
      OrderId: '42',
      Backwards: '24',
      Rest: ['a', 'c'],
      Both: ['a', 'c'],
      First: 'Grace',
      Count: 3,
    });
  });

  it.each([
    [
      'Pictures',
      'Folder.GetSpecialFolder SpecialFolder: Folder.SpecialFolder.MyPictures SpecialFolderPath=> SpecialFolderPath',
    ],
    [
      'Desktop',
      'Folder.GetSpecialFolder SpecialFolder: Folder.SpecialFolder.DesktopDirectory SpecialFolderPath=> SpecialFolderPath',
    ],
  ])('writes the special folder %s as PAD names it', (folder, robin) => {
    const flow = flowOf({ steps: [{ action: 'Folder.GetSpecialFolder', params: { folder } }] });
    expect(exportRobin(flow, { actions }).text).toBe(`${robin}\n`);
  });

  it('writes enumerations back as PAD does: compression level, sort order, match case, crop mode', () => {
    const flow = flowOf({
      steps: [
        { action: 'Compression.ZipFiles', params: { archive: 'a.zip', source: 'f', compressionLevel: 0 } },
        { action: 'Variables.SortDataTable', params: { dataTable: 'T', columns: 'Age', descending: false } },
        {
          action: 'Variables.FindOrReplaceInDataTable',
          params: { dataTable: 'T', find: 'x', ignoreCase: false, replace: true, replaceWith: 'y' },
        },
        { action: 'Text.CropText', params: { text: 'abc', mode: 'before', endFlag: 'c' } },
        { action: 'Variables.AddRowToDataTable', params: { dataTable: 'T', row: '%[1, 2]%' } },
      ],
    });
    const { text, notExported } = exportRobin(flow, { actions });
    expect(notExported).toEqual([]);
    expect(text.trimEnd().split('\n')).toEqual([
      "Compression.ZipFiles ArchivePath: $'''a.zip''' FilesToZip: $'''f''' CompressionLevel: Compression.CompressionLevel.None",
      "Variables.SortDataTable.SortWithColumnName DataTable: T ColumnName: $'''Age''' Order: Variables.SortDirection.Ascending",
      "Variables.FindOrReplaceInDataTable.FindAndReplaceEverywhere DataTable: T ValueToFind: $'''x''' ValueToReplace: $'''y''' MatchCase: True DataTableMatches=> DataTableMatches",
      "Text.CropText.CropTextBeforeFlag Text: $'''abc''' ToFlag: $'''c''' CroppedText=> CroppedText IsFlagFound=> IsFlagFound",
      'Variables.AddRowToDataTable.AppendRowToDataTable DataTable: T RowToAdd: [1, 2]',
    ]);
    const back = importRobin(text).flow;
    expect(back.steps.map((st) => st.params)).toEqual(flow.steps.map((st) => st.params));
  });

  it("reads PAD's default CSV separator (SystemDefault) as a comma, and File.IfFileExists as File.IfExists", () => {
    const { flow, unsupported } = importRobin(
      robinLines(
        "File.ReadFromCSVFile.ReadCSV CSVFile: $'''in.csv''' Encoding: File.CSVEncoding.UTF8 TrimFields: True FirstLineContainsColumnNames: False ColumnsSeparator: File.CSVColumnsSeparator.SystemDefault CSVTable=> CSVTable",
        "File.ConvertFromBase64 Base64Text: B File: $'''out.bin''' IfFileExists: File.IfFileExists.DoNothing",
      ),
    );
    expect(unsupported).toEqual([]);
    expect(flow.steps[0].params).toMatchObject({ delimiter: 'comma' });
    expect(flow.steps[1].params).toMatchObject({ ifFileExists: 'doNothing' });
    const text = exportRobin(flow, { actions }).text;
    expect(text).toContain('ColumnsSeparator: File.CSVColumnsSeparator.Comma');
    expect(text).toContain('IfFileExists: File.IfExists.DoNothing');
  });

  it('a value PAD has no name for is kept as a Patchbay step, not written wrongly', () => {
    const flow = flowOf({
      steps: [
        { action: 'Folder.GetSpecialFolder', params: { folder: 'Downloads' } },
        { action: 'Compression.ZipFiles', params: { archive: 'a.zip', source: 'f', compressionLevel: 4 } },
      ],
    });
    const { text, notExported } = exportRobin(flow, { actions });
    expect(notExported.map((n) => n.pointer)).toEqual(['/steps/0', '/steps/1']);
    expect(importRobin(text).flow.steps).toEqual(flow.steps);
  });

  it("reads PAD's empty data table { } and empty custom object {{ }}, and writes them back so", async () => {
    const text = robinLines(
      'Variables.CreateNewDatatable InputTable: { } DataTable=> DataTable',
      'SET Settings TO {{ }}',
      'SET Columns TO DataTable.Columns',
    );
    const { flow } = importRobin(text);
    expect(flow.steps.slice(0, 2).map((st) => st.params)).toEqual([
      { table: '%{ ^[] }%' },
      { name: 'Settings', value: '%{ }%' },
    ]);
    expect(exportRobin(flow, { actions }).text).toBe(text);
    const result = await run(flow);
    expect(result.status).toBe('succeeded');
    expect(result.variables).toMatchObject({ DataTable: { columns: [], rows: [] }, Settings: {}, Columns: [] });
  });

  it('Get last error goes out as ERROR => and comes back as Get last error', () => {
    const flow = flowOf({ steps: [{ action: 'GetLastError', produces: { error: 'Problem' } }] });
    const { text } = exportRobin(flow, { actions });
    expect(text).toBe('ERROR => Problem\n');
    expect(importRobin(text).flow.steps).toEqual(flow.steps);
  });

  it('an action still without a Patchbay counterpart stays a disabled step that keeps its Robin text', () => {
    const line =
      "Variables.FilterDataTable DataTable: People FilterParameters: $'''Age > 40''' FilteredDataTable=> Adults";
    const { flow, unsupported } = importRobin(`${line}\n`);
    expect(unsupported).toEqual([
      expect.objectContaining({ pointer: '/steps/0', action: 'Variables.FilterDataTable' }),
    ]);
    expect(flow.steps[0]).toEqual({ action: UNSUPPORTED_ACTION, params: { text: line }, disabled: true });
    expect(exportRobin(flow, { actions }).text).toBe(`${line}\n`);
  });
});
