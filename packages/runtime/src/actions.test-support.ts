/**
 * Runs standard actions against the real Node host, as the interpreter does:
 * declared defaults filled in, a real abort signal, a logger that keeps what
 * it is given. Temp folders come from `fs.mkdtemp` and are removed by `cleanup`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PatchbayError, standardActions, type ActionContext, type ActionDefinition, type Value } from '@patchbay/core';
import { createNodeHost, type NodeHostOptions } from './host.js';
import { nodeClock } from './clock.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  data?: Record<string, unknown>;
}

export interface NodeTestContext extends ActionContext {
  logs: LogLine[];
  vars: Map<string, Value>;
}

export function nodeContext(opts: { signal?: AbortSignal; host?: NodeHostOptions } = {}): NodeTestContext {
  const logs: LogLine[] = [];
  const vars = new Map<string, Value>();
  const log = (level: LogLine['level']) => (msg: string, data?: Record<string, unknown>) => {
    logs.push({ level, msg, data });
  };
  return {
    logs,
    vars,
    host: createNodeHost(opts.host),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock: nodeClock,
    signal: opts.signal ?? new AbortController().signal,
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

export async function runAction(id: string, params: Record<string, Value>, ctx: ActionContext = nodeContext()): Promise<Record<string, Value>> {
  const def = action(id);
  const full: Record<string, Value> = {};
  for (const spec of def.params) if (spec.default !== undefined) full[spec.name] = spec.default;
  Object.assign(full, params);
  return (await def.run!(ctx, full)) ?? {};
}

/** The PatchbayError an action throws; fails when it succeeds or throws something else. */
export async function actionError(id: string, params: Record<string, Value>, ctx?: ActionContext): Promise<PatchbayError> {
  try {
    await runAction(id, params, ctx);
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error(`${id} did not fail`);
}

export async function tempFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
