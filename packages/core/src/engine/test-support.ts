/**
 * Resources for engine tests: the real block executors and standard actions,
 * a real clock (sleep on timers, cancellable), a logger that keeps lines, and
 * a host that refuses every call (the flows under test do no I/O).
 */
import type { ActionDefinition, Clock, RunResources, StepEvent } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import type { Host } from '../host.js';
import { standardActions } from '../actions/index.js';
import { blockActions } from '../flow/blocks.js';
import { parseFlowText } from '../flow/parse.js';
import type { Flow } from '../flow/schema.js';
import { createActionRegistry } from './registry.js';
import { runFlow, type RunResult } from './run.js';

function refuse(area: string): never {
  throw new PatchbayError('internal', `This test flow tried to use host.${area}.`);
}

export const noHost: Host = {
  fs: {
    readFile: () => refuse('fs'),
    writeFile: () => refuse('fs'),
    stat: () => refuse('fs'),
    list: () => refuse('fs'),
    mkdir: () => refuse('fs'),
    remove: () => refuse('fs'),
    copy: () => refuse('fs'),
    move: () => refuse('fs'),
  },
  path: { sep: '/', join: () => refuse('path'), resolve: () => refuse('path'), parse: () => refuse('path') },
  http: { request: () => refuse('http') },
  shell: { run: () => refuse('shell') },
  script: { runJavaScript: () => refuse('script') },
  env: { get: () => refuse('env'), tempDir: () => refuse('env'), cwd: () => refuse('env') },
};

export const timerClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new PatchbayError('run.cancelled', 'The run was cancelled.'));
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new PatchbayError('run.cancelled', 'The run was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface TestRun extends RunResult {
  events: StepEvent[];
  logs: string[];
}

export function testResources(
  opts: { extra?: ActionDefinition[]; events?: StepEvent[]; logs?: string[] } & Partial<RunResources> = {},
): RunResources {
  const { extra = [], events = [], logs = [], ...rest } = opts;
  const log = (level: string) => (msg: string, data?: Record<string, unknown>) =>
    logs.push(`${level} ${msg}${data ? ' ' + JSON.stringify(data) : ''}`);
  return {
    actions: createActionRegistry([...blockActions, ...standardActions, ...extra]),
    host: noHost,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock: timerClock,
    onEvent: (e) => events.push(e),
    ...rest,
  };
}

/** Builds a flow from its steps (and other parts) the way a file would hold it. */
export function flowOf(parts: Partial<Flow> & { steps: unknown[] }): Flow {
  return parseFlowText(JSON.stringify({ schema: 'patchbay/flow@1', name: 'Test', ...parts }));
}

export async function run(
  flow: Flow,
  opts: { inputs?: Record<string, unknown>; extra?: ActionDefinition[] } & Partial<RunResources> = {},
): Promise<TestRun> {
  const events: StepEvent[] = [];
  const logs: string[] = [];
  const { inputs, ...res } = opts;
  const result = await runFlow(flow, { inputs, resources: testResources({ ...res, events, logs }) });
  return { ...result, events, logs };
}
