/**
 * Variables: set, increase, decrease, truncate/round, random numbers. The
 * list and custom-object actions live in `variables-lists.ts` and
 * `variables-objects.ts`.
 *
 * Set and Increase are the interpreter's hot path (the engine bench runs them
 * a million times): they read one parameter, check the name and write.
 */
import type { ActionContext, ActionDefinition } from '../contracts.js';
import { failed, int, num, option, paramError, variableName, describeType, type Params } from './variables-params.js';
import { finite } from '../expressions/operators.js';
import { listActions } from './variables-lists.js';
import { objectActions } from './variables-objects.js';
import { dataTableActions } from './variables-datatables.js';
import { listSetActions } from './variables-list-sets.js';

const nameParam = {
  name: 'name',
  type: 'text',
  displayName: 'Variable',
  description: "The variable's name, e.g. Total (letters, digits and underscores).",
  required: true,
  raw: true,
} as const;

function step(ctx: ActionContext, p: Params, sign: 1 | -1): void {
  const name = variableName(p, 'name');
  const current = ctx.getVariable(name);
  const by = p.by;
  const amount = typeof by === 'number' ? by : num(p, 'by', 1);
  if (typeof current === 'number') {
    // Decimal arithmetic, as the expression language does it: 0.1 + 0.2 is 0.3.
    ctx.setVariable(name, finite(current + sign * amount));
    return;
  }
  if (current === undefined)
    throw paramError('name', `variable '${name}' does not exist.`, `Set it to a number first with Variables.Set.`);
  const n = typeof current === 'string' && current.trim() !== '' ? Number(current) : NaN;
  if (!Number.isFinite(n)) {
    throw failed(
      `Variable '${name}' holds ${typeof current === 'string' ? 'text that is not a number' : `${describeType(current)}, not a number`}.`,
      `Set '${name}' to a number first, e.g. %0%.`,
    );
  }
  ctx.setVariable(name, finite(n + sign * amount));
}

/** Rounds half away from zero at `decimals` places, on the decimal digits rather than the binary value (1.005 → 1.01). */
export function roundHalfAwayFromZero(n: number, decimals: number): number {
  const sign = n < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(n)}e${decimals}`));
  const back = Number(`${shifted}e${-decimals}`);
  return Number.isFinite(back) ? sign * back : n;
}

/** The fractional part as written in decimal (12.345 → 0.345, not 0.34499…). */
export function decimalPart(n: number): number {
  const s = String(Math.abs(n));
  const dot = s.indexOf('.');
  if (s.includes('e') || dot < 0) return n - Math.trunc(n);
  const part = Number(`0${s.slice(dot)}`);
  return n < 0 ? -part : part;
}

export const variablesActions: ActionDefinition[] = [
  {
    id: 'Variables.Set',
    group: 'Variables',
    displayName: 'Set variable',
    description: 'Creates a variable or gives an existing one a new value.',
    params: [
      nameParam,
      {
        name: 'value',
        type: 'any',
        displayName: 'Value',
        description: 'The value to store: text, a number or any %expression%.',
        default: '',
      },
    ],
    produces: [],
    run(ctx, p) {
      const v = p.value;
      ctx.setVariable(variableName(p, 'name'), v === undefined ? '' : v);
    },
  },
  {
    id: 'Variables.Increase',
    group: 'Variables',
    displayName: 'Increase variable',
    description: 'Adds an amount to a numeric variable.',
    params: [nameParam, { name: 'by', type: 'number', displayName: 'Increase by', default: 1 }],
    produces: [],
    run(ctx, p) {
      step(ctx, p, 1);
    },
  },
  {
    id: 'Variables.Decrease',
    group: 'Variables',
    displayName: 'Decrease variable',
    description: 'Subtracts an amount from a numeric variable.',
    params: [nameParam, { name: 'by', type: 'number', displayName: 'Decrease by', default: 1 }],
    produces: [],
    run(ctx, p) {
      step(ctx, p, -1);
    },
  },
  {
    id: 'Variables.TruncateNumber',
    group: 'Variables',
    displayName: 'Truncate number',
    description: 'Gets the integer or decimal part of a number, or rounds it to a number of decimal places.',
    params: [
      { name: 'number', type: 'number', displayName: 'Number to truncate', required: true },
      {
        name: 'operation',
        type: 'text',
        displayName: 'Operation',
        default: 'integerPart',
        options: [
          { value: 'integerPart', title: 'Get integer part' },
          { value: 'decimalPart', title: 'Get decimal part' },
          { value: 'round', title: 'Round number' },
        ],
      },
      { name: 'decimals', type: 'number', displayName: 'Decimal places', description: 'For Round number.', default: 0 },
    ],
    produces: [{ key: 'result', defaultName: 'TruncatedValue', type: 'number' }],
    run(_ctx, p) {
      const n = num(p, 'number');
      const op = option(p, 'operation', ['integerPart', 'decimalPart', 'round'], 'integerPart');
      if (op === 'integerPart') return { result: Math.trunc(n) + 0 };
      if (op === 'decimalPart') return { result: decimalPart(n) };
      const decimals = int(p, 'decimals', 0);
      if (decimals < 0 || decimals > 15)
        throw paramError('decimals', `${decimals} is out of range.`, 'Use 0 to 15 decimal places.');
      return { result: roundHalfAwayFromZero(n, decimals) + 0 };
    },
  },
  {
    id: 'Variables.GenerateRandomNumber',
    group: 'Variables',
    displayName: 'Generate random number',
    description: 'Generates a random whole number between a minimum and a maximum, both included.',
    params: [
      { name: 'minimum', type: 'number', displayName: 'Minimum value', default: 0 },
      { name: 'maximum', type: 'number', displayName: 'Maximum value', default: 100 },
    ],
    produces: [{ key: 'result', defaultName: 'RandomNumber', type: 'number' }],
    run(_ctx, p) {
      const min = int(p, 'minimum', 0);
      const max = int(p, 'maximum', 100);
      if (min > max)
        throw paramError(
          'maximum',
          `the maximum ${max} is below the minimum ${min}.`,
          'Make the maximum at least the minimum.',
        );
      if (!Number.isSafeInteger(max - min))
        throw paramError(
          'maximum',
          'the range is too large.',
          `Keep maximum − minimum below ${Number.MAX_SAFE_INTEGER}.`,
        );
      return { result: min + Math.floor(Math.random() * (max - min + 1)) };
    },
  },
  ...listActions,
  ...objectActions,
  ...dataTableActions,
  ...listSetActions,
];
