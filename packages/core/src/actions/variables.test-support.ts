/**
 * A small, real ActionContext for testing the pure actions: variables in a
 * Map, a fixed clock, and a host that refuses every call (these actions must
 * never do I/O).
 */
import type { ActionContext, ActionDefinition, ActionResult } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { noHost } from '../engine/test-support.js';
import { standardActions } from './index.js';

export interface TestContext extends ActionContext {
  vars: Map<string, Value>;
}

export function testContext(opts: { vars?: Record<string, Value>; now?: Date } = {}): TestContext {
  const vars = new Map<string, Value>(Object.entries(opts.vars ?? {}));
  const now = opts.now ?? new Date('2024-03-10T12:34:56.789Z');
  const silent = (): void => undefined;
  return {
    vars,
    host: noHost,
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    clock: { now: () => new Date(now.getTime()), sleep: () => Promise.resolve() },
    signal: new AbortController().signal,
    step: { path: '/steps/0', action: 'test' },
    getVariable: (name) => vars.get(name),
    setVariable: (name, value) => {
      vars.set(name, value);
    },
  };
}

export function action(id: string): ActionDefinition {
  const def = standardActions.find((a) => a.id === id);
  if (!def?.run) throw new Error(`No runnable action ${id}`);
  return def;
}

/** Runs an action with its declared defaults filled in, as the interpreter does (in a context without I/O unless given one). */
export async function runAction(
  id: string,
  params: Record<string, Value>,
  ctx: ActionContext = testContext(),
): Promise<Record<string, Value>> {
  const def = action(id);
  const full: Record<string, Value> = {};
  for (const spec of def.params) if (spec.default !== undefined) full[spec.name] = spec.default;
  Object.assign(full, params);
  const result: ActionResult = await def.run!(ctx, full);
  return result ?? {};
}

/** The PatchbayError an action throws (fails the test when it does not throw one). */
export async function actionError(
  id: string,
  params: Record<string, Value>,
  ctx?: ActionContext,
): Promise<PatchbayError> {
  try {
    await runAction(id, params, ctx);
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error(`${id} did not fail`);
}
