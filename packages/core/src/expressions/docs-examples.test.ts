/**
 * Runs every example row of docs/expressions.md: the variables table sets
 * the scope, each `| \`expression\` | \`result\` | type |` row must evaluate
 * to that result and type, and each error row must fail with that message.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import { typeOfValue, VALUE_TYPES, type Value, type ValueType } from '../values.js';
import { toJsonData } from './format.js';
import { coerceValue, compileTemplate, formatValue, type Scope } from './index.js';

const doc = readFileSync(new URL('../../../../docs/expressions.md', import.meta.url), 'utf8');
const lines = doc.split('\n');

const vars: Record<string, Value> = {};
for (const line of lines) {
  const m = /^\| (\w+) +\| (\w+) +\| `(.*)` +\|$/.exec(line);
  if (m && (VALUE_TYPES as readonly string[]).includes(m[2]))
    vars[m[1]] = coerceValue(m[3], m[2] as ValueType, `Example variable ${m[1]}`);
}
const scope: Scope = { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };

const rows = lines
  .map((line) => /^\| `(.*?)` +\| `(.*)` +\| ([\w.]+) +\|$/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null);
const valueRows = rows.filter((m) => !m[3].startsWith('expression.'));
const errorRows = rows.filter((m) => m[3].startsWith('expression.'));

describe('docs/expressions.md', () => {
  it('has its example variables and rows', () => {
    expect(Object.keys(vars)).toEqual([
      'Name',
      'Padded',
      'Count',
      'Price',
      'Paid',
      'Items',
      'Customer',
      'Due',
      'Table',
    ]);
    expect(valueRows.length).toBeGreaterThan(60);
    expect(errorRows.length).toBeGreaterThan(8);
  });

  it.each(valueRows.map((m) => [m[1], m[2], m[3]]))('%s is %s (%s)', (expression, result, type) => {
    const v = compileTemplate(expression).evaluate(scope);
    expect(typeOfValue(v)).toBe(type);
    if (['list', 'object', 'datatable', 'datarow'].includes(type)) expect(toJsonData(v)).toEqual(JSON.parse(result));
    else expect(formatValue(v)).toBe(result);
  });

  it.each(errorRows.map((m) => [m[1], m[2], m[3]]))('%s fails: %s', (expression, message, code) => {
    let error: unknown;
    try {
      compileTemplate(expression).evaluate(scope);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatchbayError);
    expect((error as PatchbayError).code).toBe(code);
    expect((error as PatchbayError).message).toBe(message);
  });
});
