/** The data-table actions against PAD's documented behaviour, one action at a time and inside a flow. */
import { describe, expect, it } from 'vitest';
import { DataTable, type Value } from '../values.js';
import { toJsonData } from '../expressions/index.js';
import { flowOf, run } from '../engine/test-support.js';
import { actionError, runAction, testContext } from './variables.test-support.js';

const people = (): DataTable =>
  new DataTable(
    ['Name', 'Age'],
    [
      ['Ada', 36],
      ['Bob', 41],
      ['Cy', 29],
    ],
  );

async function change(id: string, params: Record<string, Value>, table = people()): Promise<unknown> {
  const ctx = testContext({ vars: { T: table } });
  await runAction(id, { dataTable: 'T', ...params }, ctx);
  return toJsonData(ctx.vars.get('T')!);
}

describe('data table actions', () => {
  it('creates a table from a literal or from column names', async () => {
    expect((await runAction('Variables.CreateNewDataTable', { table: people() })).table).toEqual(people());
    expect((await runAction('Variables.CreateNewDataTable', { columns: ['A', 'B'] })).table).toEqual(
      new DataTable(['A', 'B'], []),
    );
  });

  it('adds, inserts, deletes and updates rows', async () => {
    expect(await change('Variables.AddRowToDataTable', { row: ['Dee', 52] })).toMatchObject({
      rows: [
        ['Ada', 36],
        ['Bob', 41],
        ['Cy', 29],
        ['Dee', 52],
      ],
    });
    expect(await change('Variables.AddRowToDataTable', { row: { Age: 52, Name: 'Dee' }, rowIndex: 0 })).toMatchObject({
      rows: [
        ['Dee', 52],
        ['Ada', 36],
        ['Bob', 41],
        ['Cy', 29],
      ],
    });
    expect(await change('Variables.DeleteRowFromDataTable', { rowIndex: 1 })).toMatchObject({
      rows: [
        ['Ada', 36],
        ['Cy', 29],
      ],
    });
    expect(await change('Variables.UpdateDataTableItem', { rowIndex: 2, column: 'age', value: 30 })).toMatchObject({
      rows: [
        ['Ada', 36],
        ['Bob', 41],
        ['Cy', 30],
      ],
    });
    expect(await change('Variables.UpdateDataTableItem', { rowIndex: 0, column: 0, value: 'Ann' })).toMatchObject({
      rows: [
        ['Ann', 36],
        ['Bob', 41],
        ['Cy', 29],
      ],
    });
  });

  it('names the problem with a bad row or index', async () => {
    const ctx = testContext({ vars: { T: people() } });
    expect((await actionError('Variables.AddRowToDataTable', { dataTable: 'T', row: ['x'] }, ctx)).message).toBe(
      "Parameter 'row': The row has 1 value but the data table has 2 columns.",
    );
    expect((await actionError('Variables.DeleteRowFromDataTable', { dataTable: 'T', rowIndex: 3 }, ctx)).message).toBe(
      "Parameter 'rowIndex': row 3 is outside the data table (rows 0 to 2).",
    );
    expect(
      (await actionError('Variables.UpdateDataTableItem', { dataTable: 'T', rowIndex: 0, column: 'X', value: 1 }, ctx))
        .message,
    ).toBe("Parameter 'column': the data table has no column 'X'.");
    expect((await actionError('Variables.AddRowToDataTable', { dataTable: 'Nope', row: [] }, ctx)).message).toBe(
      "Parameter 'dataTable': variable 'Nope' does not exist.",
    );
  });

  it('inserts and deletes columns', async () => {
    expect(await change('Variables.InsertColumnIntoDataTable', { columnName: 'City', columnIndex: 1 })).toEqual({
      columns: ['Name', 'City', 'Age'],
      rows: [
        ['Ada', null, 36],
        ['Bob', null, 41],
        ['Cy', null, 29],
      ],
    });
    expect(await change('Variables.DeleteColumnFromDataTable', { column: 'Name' })).toEqual({
      columns: ['Age'],
      rows: [[36], [41], [29]],
    });
  });

  it('finds and replaces cells', async () => {
    const ctx = testContext({ vars: { T: people() } });
    const { matches } = await runAction(
      'Variables.FindOrReplaceInDataTable',
      { dataTable: 'T', find: 'b', ignoreCase: true, replace: true, replaceWith: 'P', allMatches: true },
      ctx,
    );
    expect(toJsonData(matches)).toEqual({ columns: ['Row', 'Column'], rows: [[1, 0]] });
    expect(toJsonData(ctx.vars.get('T')!)).toMatchObject({
      rows: [
        ['Ada', 36],
        ['PoP', 41],
        ['Cy', 29],
      ],
    });
  });

  it('filters with condition operators, sorts and removes duplicates', async () => {
    const { table } = await runAction('Variables.FilterDataTable', {
      dataTable: people(),
      rules: [
        { column: 'Age', operator: '>', value: 30 },
        { column: 'Name', operator: 'startsWith', value: 'a', ignoreCase: true },
      ],
      match: 'all',
    });
    expect(toJsonData(table)).toMatchObject({ rows: [['Ada', 36]] });
    const any = await runAction('Variables.FilterDataTable', {
      dataTable: people(),
      rules: [
        { column: 'Age', operator: '<', value: 30 },
        { column: 'Name', operator: '=', value: 'bob' },
      ],
      match: 'any',
    });
    expect(toJsonData(any.table)).toMatchObject({ rows: [['Cy', 29]] });
    expect(await change('Variables.SortDataTable', { columns: 'Age', descending: true })).toMatchObject({
      rows: [
        ['Bob', 41],
        ['Ada', 36],
        ['Cy', 29],
      ],
    });
    const dup = new DataTable(['A'], [['x'], ['X'], ['x']]);
    expect(await change('Variables.RemoveDuplicateRowsFromDataTable', {}, dup)).toMatchObject({ rows: [['x'], ['X']] });
    expect(await change('Variables.RemoveDuplicateRowsFromDataTable', { ignoreCase: true }, dup)).toMatchObject({
      rows: [['x']],
    });
  });

  it('merges by column name in the three modes', async () => {
    const second = new DataTable(['Age', 'City'], [[52, 'Oslo']]);
    const merge = async (mode: string): Promise<unknown> => {
      const ctx = testContext({ vars: { A: people() } });
      await runAction('Variables.MergeDataTables', { first: 'A', second, mode }, ctx);
      return toJsonData(ctx.vars.get('A')!);
    };
    expect(await merge('addExtraColumns')).toEqual({
      columns: ['Name', 'Age', 'City'],
      rows: [
        ['Ada', 36, null],
        ['Bob', 41, null],
        ['Cy', 29, null],
        [null, 52, 'Oslo'],
      ],
    });
    expect(await merge('ignoreExtraColumns')).toEqual({
      columns: ['Name', 'Age'],
      rows: [
        ['Ada', 36],
        ['Bob', 41],
        ['Cy', 29],
        [null, 52],
      ],
    });
    const ctx = testContext({ vars: { A: people() } });
    expect((await actionError('Variables.MergeDataTables', { first: 'A', second, mode: 'error' }, ctx)).message).toBe(
      'The second data table has columns the first does not: City.',
    );
  });

  it('joins inner, left and full', async () => {
    const cities = new DataTable(
      ['Name', 'City'],
      [
        ['ada', 'London'],
        ['Dee', 'Oslo'],
      ],
    );
    const join = async (joinType: string): Promise<unknown> =>
      toJsonData(
        (
          await runAction('Variables.JoinDataTables', {
            first: people(),
            second: cities,
            joinType,
            rules: [{ firstColumn: 'Name', operator: '=', secondColumn: 'Name', ignoreCase: true }],
          })
        ).table,
      );
    expect(await join('inner')).toEqual({
      columns: ['Name', 'Age', 'Name_2', 'City'],
      rows: [['Ada', 36, 'ada', 'London']],
    });
    expect(((await join('left')) as { rows: unknown[] }).rows).toHaveLength(3);
    expect(((await join('full')) as { rows: unknown[] }).rows).toEqual([
      ['Ada', 36, 'ada', 'London'],
      ['Bob', 41, null, null],
      ['Cy', 29, null, null],
      [null, null, 'Dee', 'Oslo'],
    ]);
  });

  it('converts to and from lists and JSON', async () => {
    expect((await runAction('Variables.ConvertDataTableToList', { dataTable: people() })).list).toEqual([
      { Name: 'Ada', Age: 36 },
      { Name: 'Bob', Age: 41 },
      { Name: 'Cy', Age: 29 },
    ]);
    expect((await runAction('Variables.ConvertDataTableToList', { dataTable: people(), as: 'lists' })).list).toEqual([
      ['Ada', 36],
      ['Bob', 41],
      ['Cy', 29],
    ]);
    const fromObjects = await runAction('Variables.ConvertListToDataTable', {
      list: [{ Name: 'Ada', Age: 36 }, { Name: 'Bob' }],
    });
    expect(toJsonData(fromObjects.table)).toEqual({
      columns: ['Name', 'Age'],
      rows: [
        ['Ada', 36],
        ['Bob', null],
      ],
    });
    const fromLists = await runAction('Variables.ConvertListToDataTable', {
      list: [
        ['Name', 'Age'],
        ['Ada', 36],
      ],
      firstItemIsHeader: true,
    });
    expect(toJsonData(fromLists.table)).toEqual({ columns: ['Name', 'Age'], rows: [['Ada', 36]] });
    expect(toJsonData((await runAction('Variables.ConvertListToDataTable', { list: ['a', 'b'] })).table)).toEqual({
      columns: ['Value'],
      rows: [['a'], ['b']],
    });
    const { json } = await runAction('Variables.ConvertDataTableToJson', { dataTable: people() });
    expect(JSON.parse(json as string)).toEqual([
      { Name: 'Ada', Age: 36 },
      { Name: 'Bob', Age: 41 },
      { Name: 'Cy', Age: 29 },
    ]);
    expect((await runAction('Variables.ConvertJsonToDataTable', { json: json as string })).table).toEqual(people());
    expect(
      (await runAction('Variables.ConvertJsonToDataTable', { json: '{"columns":["A"],"rows":[[1],[2]]}' })).table,
    ).toEqual(new DataTable(['A'], [[1], [2]]));
  });
});

describe('data tables in a flow', () => {
  it('reads CSV into a table, loops over its rows, appends with + and indexes cells', async () => {
    const flow = flowOf({
      outputs: {
        Names: { type: 'text' },
        Count: { type: 'number' },
        Last: { type: 'text' },
        Second: { type: 'number' },
      },
      steps: [
        { action: 'Data.ReadCsvText', params: { text: 'Name,Age\nAda,36\nBob,41', firstLineIsHeader: true } },
        { action: 'Variables.Set', params: { name: 'Names', value: '' } },
        {
          action: 'Loop.ForEach',
          params: { items: '%CSVTable%' },
          produces: { item: 'Row' },
          do: [{ action: 'Variables.Set', params: { name: 'Names', value: "%Names + Row['Name'] + ';'%" } }],
        },
        { action: 'Variables.Set', params: { name: 'T', value: "%CSVTable + ['Cy', '29']%" } },
        { action: 'Variables.Set', params: { name: 'Count', value: '%T.RowsCount%' } },
        { action: 'Variables.Set', params: { name: 'Last', value: '%T[T.RowsCount - 1][0]%' } },
        { action: 'Text.ConvertTextToNumber', params: { text: "%T[1]['Age']%" }, produces: { number: 'Second' } },
      ],
    });
    const r = await run(flow);
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({ Names: 'Ada;Bob;', Count: 3, Last: 'Cy', Second: 41 });
  });
});
