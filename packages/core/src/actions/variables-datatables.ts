/**
 * Data-table actions, after Power Automate for desktop's Variables › Data
 * table group. Tables are values: an action that changes a table variable
 * stores a new table, so a table another variable still holds never changes
 * under it.
 */
import type { ActionContext, ActionDefinition, ParamSpec } from '../contracts.js';
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { CONDITION_OPERATORS, testCondition, type ConditionOperator } from '../expressions/conditions.js';
import {
  cellsForTable,
  tableFromJsonData,
  tableFromList,
  tableFromLists,
  tableToObjects,
} from '../expressions/tables.js';
import {
  bool,
  existingVariable,
  failed,
  int,
  list,
  option,
  paramError,
  text,
  describeType,
} from './variables-params.js';
import { compareValues, valueKey, valueText } from './variables-values.js';
import { compileRegex, escapeRegex, replacementForRegex } from './text-regex.js';
import { fromJsonText, toJsonText } from './data-json.js';
import type { Params } from './variables-params.js';

const tableVar: ParamSpec = {
  name: 'dataTable',
  type: 'text',
  displayName: 'Data table',
  description: 'The name of the data table variable, e.g. Table.',
  required: true,
  raw: true,
};

const tableValue = (name: string, displayName: string): ParamSpec => ({
  name,
  type: 'datatable',
  displayName,
  required: true,
  description: 'A data table, e.g. %Table%.',
});

/** The data table held by a named variable. */
function tableVariable(ctx: ActionContext, p: Params, name: string): { name: string; value: DataTable } {
  const v = existingVariable(ctx, p, name, 'Variables.CreateNewDataTable');
  if (!(v.value instanceof DataTable))
    throw paramError(
      name,
      `variable '${v.name}' holds ${describeType(v.value)}, not a data table.`,
      'Create one with Variables.CreateNewDataTable, or read a CSV file into one.',
    );
  return { name: v.name, value: v.value };
}

function tableParam(p: Params, name: string): DataTable {
  const v = p[name];
  if (v instanceof DataTable) return v;
  throw paramError(name, `expected a data table, got ${describeType(v ?? null)}.`, `Give '${name}' a data table.`);
}

/** A row position within `0..max` (insertions may use `max`, the end). */
function rowIndex(p: Params, name: string, max: number): number {
  const i = int(p, name);
  if (i < 0 || i > max)
    throw paramError(
      name,
      `row ${i} is outside the data table (${max === 0 ? 'no rows' : `rows 0 to ${max}`}).`,
      'Rows count from 0.',
    );
  return i;
}

/** A column by name (any case) or by position from 0. */
function columnIndex(t: DataTable, p: Params, name: string): number {
  const v = p[name];
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v >= t.columns.length)
      throw paramError(
        name,
        `column ${v} is outside the data table (${t.columns.length} columns).`,
        'Columns count from 0.',
      );
    return v;
  }
  const n = text(p, name);
  const digits = /^\d+$/.test(n.trim()) ? Number(n.trim()) : undefined;
  const i = t.columnIndex(n);
  if (i >= 0) return i;
  if (digits !== undefined && digits < t.columns.length) return digits;
  throw paramError(name, `the data table has no column '${n}'.`, `Its columns are ${t.columns.join(', ') || 'none'}.`);
}

function withRows(t: DataTable, rows: Value[][]): DataTable {
  return new DataTable(t.columns, rows);
}

function rowCells(t: DataTable, p: Params, name: string): Value[] {
  try {
    return cellsForTable(t, p[name] ?? null);
  } catch (e) {
    throw paramError(
      name,
      (e as Error).message + '.',
      `Give a list with one value for each column: ${t.columns.join(', ')}.`,
    );
  }
}

const OPERATOR_OPTIONS = CONDITION_OPERATORS as readonly string[];

interface Rule {
  column: number;
  op: ConditionOperator;
  value: Value;
  ignoreCase: boolean;
}

function filterRules(t: DataTable, p: Params): Rule[] {
  const raw = list(p, 'rules');
  if (raw.length === 0)
    throw paramError('rules', 'give at least one rule.', "e.g. [{'column': 'Age', 'operator': '>', 'value': 30}]");
  return raw.map((r, i) => {
    if (!isValueObject(r))
      throw paramError(
        'rules',
        `rule ${i} is ${describeType(r)}, not a custom object.`,
        "Write {'column': 'Age', 'operator': '>', 'value': 30}.",
      );
    const op = (r.operator ?? '=') as ConditionOperator;
    if (!OPERATOR_OPTIONS.includes(op as string))
      throw paramError(
        'rules',
        `rule ${i}: '${valueText(op)}' is not an operator.`,
        `Use one of ${CONDITION_OPERATORS.join(', ')}.`,
      );
    return {
      column: columnIndex(t, { c: r.column ?? null }, 'c'),
      op,
      value: r.value ?? null,
      ignoreCase: r.ignoreCase === true,
    };
  });
}

function dedupeColumns(first: readonly string[], second: readonly string[]): string[] {
  const used = new Set(first);
  return second.map((c) => {
    let name = c;
    for (let n = 2; used.has(name); n++) name = `${c}_${n}`;
    used.add(name);
    return name;
  });
}

export const dataTableActions: ActionDefinition[] = [
  {
    id: 'Variables.CreateNewDataTable',
    group: 'Variables',
    displayName: 'Create new data table',
    description:
      "Creates a data table from a literal such as { ^['Name', 'Age'], ['Ada', 36] }, or empty with the given columns.",
    params: [
      {
        name: 'table',
        type: 'datatable',
        displayName: 'Data table',
        description: "A data table literal, e.g. %{ ^['Name', 'Age'], ['Ada', 36] }%.",
      },
      {
        name: 'columns',
        type: 'list',
        displayName: 'Columns',
        description: "Column names for an empty table, e.g. %['Name', 'Age']%.",
      },
    ],
    produces: [{ key: 'table', defaultName: 'DataTable', type: 'datatable' }],
    run(_ctx, p) {
      if (p.table instanceof DataTable) return { table: p.table };
      const cols = p.columns === undefined || p.columns === null ? [] : list(p, 'columns').map((c) => valueText(c));
      return { table: new DataTable(cols, []) };
    },
  },
  {
    id: 'Variables.AddRowToDataTable',
    group: 'Variables',
    displayName: 'Insert row into data table',
    description:
      'Adds a row at the end of a data table, or before a row index. The row is a list (one value per column) or a custom object (values by column name).',
    params: [
      tableVar,
      { name: 'row', type: 'any', displayName: 'New values', required: true },
      {
        name: 'rowIndex',
        type: 'number',
        displayName: 'Row index',
        description: 'Insert before this row (from 0); left out: at the end.',
      },
    ],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const cells = rowCells(t.value, p, 'row');
      const rows = [...t.value.rows];
      const at = p.rowIndex === undefined || p.rowIndex === null ? rows.length : rowIndex(p, 'rowIndex', rows.length);
      rows.splice(at, 0, cells);
      ctx.setVariable(t.name, withRows(t.value, rows));
    },
  },
  {
    id: 'Variables.DeleteRowFromDataTable',
    group: 'Variables',
    displayName: 'Delete row from data table',
    description: 'Removes the row at an index (from 0).',
    params: [tableVar, { name: 'rowIndex', type: 'number', displayName: 'Row index', required: true }],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      if (t.value.rows.length === 0) throw failed(`Data table '${t.name}' has no rows to delete.`);
      const i = rowIndex(p, 'rowIndex', t.value.rows.length - 1);
      ctx.setVariable(
        t.name,
        withRows(
          t.value,
          t.value.rows.filter((_r, j) => j !== i),
        ),
      );
    },
  },
  {
    id: 'Variables.UpdateDataTableItem',
    group: 'Variables',
    displayName: 'Update data table item',
    description: 'Sets one cell, by row index and column name or index.',
    params: [
      tableVar,
      { name: 'rowIndex', type: 'number', displayName: 'Row', required: true },
      {
        name: 'column',
        type: 'any',
        displayName: 'Column',
        required: true,
        description: 'A column name, or its index from 0.',
      },
      { name: 'value', type: 'any', displayName: 'Value', required: true },
    ],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      if (t.value.rows.length === 0) throw failed(`Data table '${t.name}' has no rows.`);
      const i = rowIndex(p, 'rowIndex', t.value.rows.length - 1);
      const c = columnIndex(t.value, p, 'column');
      const rows = [...t.value.rows];
      rows[i] = rows[i].map((x, j) => (j === c ? (p.value ?? null) : x));
      ctx.setVariable(t.name, withRows(t.value, rows));
    },
  },
  {
    id: 'Variables.InsertColumnIntoDataTable',
    group: 'Variables',
    displayName: 'Insert column into data table',
    description: 'Adds a column with empty cells, at the end or before a column index.',
    params: [
      tableVar,
      { name: 'columnName', type: 'text', displayName: 'Column name', required: true },
      {
        name: 'columnIndex',
        type: 'number',
        displayName: 'Column index',
        description: 'Before this column (from 0); left out: at the end.',
      },
    ],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const name = text(p, 'columnName');
      if (name.trim() === '') throw paramError('columnName', 'the column name is empty.');
      if (t.value.columnIndex(name) >= 0)
        throw paramError('columnName', `the data table already has a column '${name}'.`, 'Column names are unique.');
      const at = p.columnIndex === undefined || p.columnIndex === null ? t.value.columns.length : int(p, 'columnIndex');
      if (at < 0 || at > t.value.columns.length)
        throw paramError('columnIndex', `column ${at} is outside the data table (0 to ${t.value.columns.length}).`);
      const columns = [...t.value.columns];
      columns.splice(at, 0, name);
      ctx.setVariable(
        t.name,
        new DataTable(
          columns,
          t.value.rows.map((r) => {
            const copy = [...r];
            copy.splice(at, 0, null);
            return copy;
          }),
        ),
      );
    },
  },
  {
    id: 'Variables.DeleteColumnFromDataTable',
    group: 'Variables',
    displayName: 'Delete column from data table',
    description: 'Removes a column by name or index.',
    params: [tableVar, { name: 'column', type: 'any', displayName: 'Column', required: true }],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const c = columnIndex(t.value, p, 'column');
      ctx.setVariable(
        t.name,
        new DataTable(
          t.value.columns.filter((_x, j) => j !== c),
          t.value.rows.map((r) => r.filter((_x, j) => j !== c)),
        ),
      );
    },
  },
  {
    id: 'Variables.FindOrReplaceInDataTable',
    group: 'Variables',
    displayName: 'Find or replace in data table',
    description:
      'Finds cells that match a text (part of the cell, the whole cell, or a regular expression), optionally only in one column, and optionally replaces the match.',
    params: [
      tableVar,
      { name: 'find', type: 'text', displayName: 'Value to find', required: true },
      { name: 'allMatches', type: 'boolean', displayName: 'All matches', default: true },
      { name: 'matchWholeCell', type: 'boolean', displayName: 'Match entire cell contents', default: false },
      { name: 'useRegex', type: 'boolean', displayName: 'Search by regular expression', default: false },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', default: false },
      { name: 'column', type: 'any', displayName: 'Search in column', description: 'Left out: every column.' },
      { name: 'replace', type: 'boolean', displayName: 'Replace', default: false },
      { name: 'replaceWith', type: 'text', displayName: 'New value' },
    ],
    produces: [
      {
        key: 'matches',
        defaultName: 'DataTableMatches',
        type: 'datatable',
        description: 'One row per match: Row and Column (from 0).',
      },
    ],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const find = text(p, 'find');
      if (find === '') throw paramError('find', 'the value to find is empty.');
      const ignoreCase = bool(p, 'ignoreCase');
      const source = bool(p, 'useRegex') ? find : escapeRegex(find);
      const pattern = bool(p, 'matchWholeCell') ? `^(?:${source})$` : source;
      const re = compileRegex(pattern, { param: 'find', ignoreCase, global: false });
      const global = compileRegex(pattern, { param: 'find', ignoreCase });
      const only =
        p.column === undefined || p.column === null || p.column === '' ? -1 : columnIndex(t.value, p, 'column');
      const all = bool(p, 'allMatches', true);
      const replace = bool(p, 'replace');
      const replacement = bool(p, 'useRegex')
        ? replacementForRegex(text(p, 'replaceWith'))
        : text(p, 'replaceWith').replace(/\$/g, '$$$$');
      const matches: Value[][] = [];
      const rows = t.value.rows.map((r) => [...r]);
      outer: for (let i = 0; i < rows.length; i++)
        for (let j = 0; j < rows[i].length; j++) {
          if (only >= 0 && j !== only) continue;
          const cell = valueText(rows[i][j]);
          if (!re.test(cell)) continue;
          matches.push([i, j]);
          if (replace) rows[i][j] = cell.replace(global, replacement);
          if (!all) break outer;
        }
      if (replace) ctx.setVariable(t.name, withRows(t.value, rows));
      return { matches: new DataTable(['Row', 'Column'], matches) };
    },
  },
  {
    id: 'Variables.FilterDataTable',
    group: 'Variables',
    displayName: 'Filter data table',
    description:
      'Keeps the rows that meet the rules (column, operator, value, each with Ignore case), all of them or any of them.',
    params: [
      tableValue('dataTable', 'Data table to filter'),
      {
        name: 'rules',
        type: 'list',
        displayName: 'Filter rules',
        required: true,
        description:
          "Custom objects {'column', 'operator', 'value', 'ignoreCase'}; operators as in conditions (=, <>, >, contains, isEmpty, …).",
      },
      {
        name: 'match',
        type: 'text',
        displayName: 'Rows must meet',
        default: 'all',
        options: [
          { value: 'all', title: 'All rules (And)' },
          { value: 'any', title: 'Any rule (Or)' },
        ],
      },
    ],
    produces: [{ key: 'table', defaultName: 'FilteredDataTable', type: 'datatable' }],
    run(_ctx, p) {
      const t = tableParam(p, 'dataTable');
      const rules = filterRules(t, p);
      const any = option(p, 'match', ['all', 'any'], 'all') === 'any';
      const keep = (r: Value[]): boolean => {
        const hit = (rule: Rule): boolean =>
          testCondition(rule.op, r[rule.column], rule.value, { ignoreCase: rule.ignoreCase });
        return any ? rules.some(hit) : rules.every(hit);
      };
      return { table: withRows(t, t.rows.filter(keep)) };
    },
  },
  {
    id: 'Variables.SortDataTable',
    group: 'Variables',
    displayName: 'Sort data table',
    description: 'Sorts the rows of a data table by one or more columns.',
    params: [
      tableVar,
      {
        name: 'columns',
        type: 'text',
        displayName: 'Sort by columns',
        required: true,
        description: 'Comma-separated column names, compared in order.',
      },
      { name: 'descending', type: 'boolean', displayName: 'Descending', default: false },
    ],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const names = text(p, 'columns')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (names.length === 0) throw paramError('columns', 'name at least one column to sort by.');
      const cols = names.map((n) => columnIndex(t.value, { c: n }, 'c'));
      const dir = bool(p, 'descending') ? -1 : 1;
      const rows = [...t.value.rows].sort((a, b) => {
        for (const c of cols) {
          const d = compareValues(a[c], b[c]);
          if (d !== 0) return dir * d;
        }
        return 0;
      });
      ctx.setVariable(t.name, withRows(t.value, rows));
    },
  },
  {
    id: 'Variables.RemoveDuplicateRowsFromDataTable',
    group: 'Variables',
    displayName: 'Remove duplicate rows from data table',
    description: 'Keeps the first of rows whose cells are all equal.',
    params: [tableVar, { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore text case', default: false }],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'dataTable');
      const ic = bool(p, 'ignoreCase');
      const seen = new Set<string>();
      ctx.setVariable(
        t.name,
        withRows(
          t.value,
          t.value.rows.filter((r) => {
            const k = valueKey(r, ic);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          }),
        ),
      );
    },
  },
  {
    id: 'Variables.MergeDataTables',
    group: 'Variables',
    displayName: 'Merge data tables',
    description: "Adds the second table's rows to the first table variable, matching columns by name.",
    params: [
      { ...tableVar, name: 'first', displayName: 'Into data table' },
      tableValue('second', 'Data table to merge'),
      {
        name: 'mode',
        type: 'text',
        displayName: 'Merge mode',
        default: 'addExtraColumns',
        options: [
          { value: 'addExtraColumns', title: 'Add extra columns' },
          { value: 'ignoreExtraColumns', title: 'Ignore extra columns' },
          { value: 'error', title: 'Raise error on extra columns' },
        ],
      },
    ],
    produces: [],
    run(ctx, p) {
      const t = tableVariable(ctx, p, 'first');
      const second = tableParam(p, 'second');
      const mode = option(p, 'mode', ['addExtraColumns', 'ignoreExtraColumns', 'error'], 'addExtraColumns');
      const extra = second.columns.filter((c) => t.value.columnIndex(c) < 0);
      if (extra.length && mode === 'error')
        throw failed(
          `The second data table has columns the first does not: ${extra.join(', ')}.`,
          "Choose the merge mode 'Add extra columns' or 'Ignore extra columns'.",
        );
      const columns = mode === 'addExtraColumns' ? [...t.value.columns, ...extra] : [...t.value.columns];
      const widen = (r: Value[]): Value[] => [...r, ...columns.slice(r.length).map(() => null)];
      const merged = new DataTable(columns, t.value.rows.map(widen));
      const rows = second.rows.map((r) =>
        columns.map((c) => {
          const i = second.columnIndex(c);
          return i >= 0 ? r[i] : null;
        }),
      );
      ctx.setVariable(t.name, withRows(merged, [...merged.rows, ...rows]));
    },
  },
  {
    id: 'Variables.JoinDataTables',
    group: 'Variables',
    displayName: 'Join data tables',
    description: 'Joins two data tables on rules comparing a column of each (inner, left or full join).',
    params: [
      tableValue('first', 'First data table'),
      tableValue('second', 'Second data table'),
      {
        name: 'joinType',
        type: 'text',
        displayName: 'Join operation',
        default: 'inner',
        options: [
          { value: 'inner', title: 'Inner' },
          { value: 'left', title: 'Left' },
          { value: 'full', title: 'Full' },
        ],
      },
      {
        name: 'rules',
        type: 'list',
        displayName: 'Join rules',
        required: true,
        description: "Custom objects {'firstColumn', 'operator', 'secondColumn', 'ignoreCase'}; all rules must hold.",
      },
    ],
    produces: [{ key: 'table', defaultName: 'JoinedDataTable', type: 'datatable' }],
    run(_ctx, p) {
      const a = tableParam(p, 'first');
      const b = tableParam(p, 'second');
      const type = option(p, 'joinType', ['inner', 'left', 'full'], 'inner');
      const rules = list(p, 'rules').map((r, i) => {
        if (!isValueObject(r)) throw paramError('rules', `rule ${i} is ${describeType(r)}, not a custom object.`);
        const op = (r.operator ?? '=') as ConditionOperator;
        if (!OPERATOR_OPTIONS.includes(op))
          throw paramError('rules', `rule ${i}: '${valueText(op)}' is not an operator.`);
        return {
          a: columnIndex(a, { c: r.firstColumn ?? null }, 'c'),
          b: columnIndex(b, { c: r.secondColumn ?? null }, 'c'),
          op,
          ignoreCase: r.ignoreCase === true,
        };
      });
      if (rules.length === 0) throw paramError('rules', 'give at least one rule.');
      const columns = [...a.columns, ...dedupeColumns(a.columns, b.columns)];
      const blankA = a.columns.map(() => null);
      const blankB = b.columns.map(() => null);
      const usedB = new Set<number>();
      const rows: Value[][] = [];
      for (const ra of a.rows) {
        let hit = false;
        b.rows.forEach((rb, j) => {
          if (rules.every((r) => testCondition(r.op, ra[r.a], rb[r.b], { ignoreCase: r.ignoreCase }))) {
            rows.push([...ra, ...rb]);
            usedB.add(j);
            hit = true;
          }
        });
        if (!hit && type !== 'inner') rows.push([...ra, ...blankB]);
      }
      if (type === 'full') b.rows.forEach((rb, j) => usedB.has(j) || rows.push([...blankA, ...rb]));
      return { table: new DataTable(columns, rows) };
    },
  },
  {
    id: 'Variables.ConvertDataTableToList',
    group: 'Variables',
    displayName: 'Convert data table to list',
    description: 'The rows of a data table as a list of custom objects (by column name) or of lists (by position).',
    params: [
      tableValue('dataTable', 'Data table'),
      {
        name: 'as',
        type: 'text',
        displayName: 'Rows as',
        default: 'objects',
        options: [
          { value: 'objects', title: 'Custom objects' },
          { value: 'lists', title: 'Lists' },
        ],
      },
    ],
    produces: [{ key: 'list', defaultName: 'List', type: 'list' }],
    run(_ctx, p) {
      const t = tableParam(p, 'dataTable');
      return {
        list:
          option(p, 'as', ['objects', 'lists'], 'objects') === 'lists' ? t.rows.map((r) => [...r]) : tableToObjects(t),
      };
    },
  },
  {
    id: 'Variables.ConvertListToDataTable',
    group: 'Variables',
    displayName: 'Convert list to data table',
    description:
      'A list of custom objects (keys become columns), of lists, or of single values (one column) as a data table.',
    params: [
      { name: 'list', type: 'list', displayName: 'List', required: true },
      { name: 'firstItemIsHeader', type: 'boolean', displayName: 'First list holds the column names', default: false },
      {
        name: 'columnName',
        type: 'text',
        displayName: 'Column name',
        description: 'For a list of single values.',
        default: 'Value',
      },
    ],
    produces: [{ key: 'table', defaultName: 'DataTable', type: 'datatable' }],
    run(_ctx, p) {
      const items = list(p, 'list');
      if (items.length > 0 && items.every((x) => !Array.isArray(x) && !isValueObject(x) && !(x instanceof DataRow)))
        return {
          table: new DataTable(
            [text(p, 'columnName', 'Value')],
            items.map((x) => [x]),
          ),
        };
      try {
        return { table: bool(p, 'firstItemIsHeader') ? tableFromLists(items, true) : tableFromList(items) };
      } catch (e) {
        throw paramError('list', (e as Error).message.replace(/^The list/, 'the list') + '.');
      }
    },
  },
  {
    id: 'Variables.ConvertDataTableToJson',
    group: 'Variables',
    displayName: 'Convert data table to JSON',
    description: 'Writes a data table as a JSON array of objects, one per row (or {"columns", "rows"}).',
    params: [
      tableValue('dataTable', 'Data table'),
      {
        name: 'shape',
        type: 'text',
        displayName: 'JSON shape',
        default: 'objects',
        options: [
          { value: 'objects', title: 'Array of row objects' },
          { value: 'columnsRows', title: '{"columns", "rows"}' },
        ],
      },
      { name: 'indent', type: 'boolean', displayName: 'Indent', default: false },
    ],
    produces: [{ key: 'json', defaultName: 'DataTableAsJson', type: 'text' }],
    run(_ctx, p) {
      const t = tableParam(p, 'dataTable');
      const v: Value = option(p, 'shape', ['objects', 'columnsRows'], 'objects') === 'objects' ? tableToObjects(t) : t;
      return { json: toJsonText(v, { indent: bool(p, 'indent'), param: 'dataTable' }) };
    },
  },
  {
    id: 'Variables.ConvertJsonToDataTable',
    group: 'Variables',
    displayName: 'Convert JSON to data table',
    description:
      'Reads a JSON array of objects (keys become columns) or {"columns": [...], "rows": [[...]]} into a data table.',
    params: [{ name: 'json', type: 'text', displayName: 'JSON', required: true }],
    produces: [{ key: 'table', defaultName: 'JsonAsDataTable', type: 'datatable' }],
    run(_ctx, p) {
      const data = fromJsonText(text(p, 'json'), 'json');
      const t =
        Array.isArray(data) && data.length > 0 && data.every(Array.isArray)
          ? tableFromLists(data, true)
          : tableFromJsonData(data);
      if (!t)
        throw paramError(
          'json',
          'the JSON is neither an array of objects nor {"columns": [...], "rows": [[...]]}.',
          'e.g. [{"Name": "Ada", "Age": 36}]',
        );
      return { table: t };
    },
  },
];
