/**
 * Patchbay's expression language: Power Automate for desktop's `%…%`
 * notation. See docs/expressions.md for the language as users read it.
 */
export type { Expr, BinaryOp, UnaryOp } from './ast.js';
export type { Scope } from './compile.js';
export type { Template } from './template.js';
export { compileTemplate } from './template.js';
export { parseExpression } from './parser.js';
export { evaluateExpression } from './compile.js';
export { formatValue } from './format.js';
export { toNumber, toBoolean, toText, coerceValue, valuesEqual } from './convert.js';
export {
  CONDITION_OPERATORS,
  CONDITION_OPERATOR_TITLES,
  isUnaryOperator,
  isEmptyValue,
  testCondition,
  type ConditionOperator,
} from './conditions.js';
export {
  appendToTable,
  cellsForTable,
  defaultColumns,
  rowToObject,
  tableFromJsonData,
  tableFromList,
  tableFromLists,
  tableFromObjects,
  tableToObjects,
} from './tables.js';
export { toJsonData } from './format.js';
