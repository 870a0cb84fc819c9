/**
 * Parameter values compiled once per step: strings are %…% templates,
 * numbers/booleans/null are taken as they are, lists and objects are
 * evaluated item by item. A compiled value is a function of the scope.
 */
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { compileTemplate } from '../expressions/index.js';
import type { Scope } from './state.js';

export type Evaluator = (scope: Scope) => Value;

export interface CompiledValue {
  evaluate: Evaluator;
  /** Variables the value reads (for redaction and validation). */
  variables: readonly string[];
}

const constant = (v: Value): CompiledValue => ({ evaluate: () => v, variables: [] });

/** Compiles one parameter value; a syntax error carries the pointer of the parameter. */
export function compileValue(raw: unknown, pointer: string): CompiledValue {
  if (raw === null || raw === undefined) return constant(null);
  if (typeof raw === 'number' || typeof raw === 'boolean') return constant(raw);
  if (typeof raw === 'string') {
    let t;
    try {
      t = compileTemplate(raw);
    } catch (e) {
      throw e instanceof PatchbayError ? e.at({ pointer }) : e;
    }
    if (t.isLiteral) return constant(t.evaluate({ get: () => undefined }));
    return { evaluate: (scope) => t.evaluate(scope), variables: t.variables };
  }
  if (Array.isArray(raw)) {
    const items = raw.map((x, i) => compileValue(x, `${pointer}/${i}`));
    return { evaluate: (scope) => items.map((c) => c.evaluate(scope)), variables: items.flatMap((c) => c.variables) };
  }
  if (typeof raw === 'object') {
    const entries = Object.entries(raw).map(
      ([k, x]) => [k, compileValue(x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)] as const,
    );
    return {
      evaluate: (scope) => {
        const out: Record<string, Value> = {};
        for (const [k, c] of entries) out[k] = c.evaluate(scope);
        return out;
      },
      variables: entries.flatMap(([, c]) => c.variables),
    };
  }
  throw new PatchbayError('flow.invalid', `Unsupported parameter value at ${pointer}.`, { place: { pointer } });
}
