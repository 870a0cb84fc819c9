/**
 * Runs standard actions against the real Node host, as the interpreter does:
 * declared defaults filled in, a real abort signal, a logger that keeps what
 * it is given. Temp folders come from `fs.mkdtemp` and are removed by `cleanup`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ActionContext, Value } from '@patchbay/core';
import {
  action,
  actionError as coreActionError,
  runAction as coreRunAction,
} from '../../core/src/actions/variables.test-support.js';
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

/** The core helpers, run in a context on the real Node host unless given another. */
export const runAction = (id: string, params: Record<string, Value>, ctx: ActionContext = nodeContext()) =>
  coreRunAction(id, params, ctx);
export const actionError = (id: string, params: Record<string, Value>, ctx: ActionContext = nodeContext()) =>
  coreActionError(id, params, ctx);
export { action };

export async function tempFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
