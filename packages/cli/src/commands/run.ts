import {
  blockActions,
  createActionRegistry,
  describeError,
  parseInputValue,
  runFlow,
  standardActions,
  validateFlow,
  toErrorData,
  walkSteps,
  PatchbayError,
  type Flow,
  type RunResult,
} from '@patchbay/core';
import { RunnerPool, createNodeHost, nodeClock, runnerSettingsFromEnv } from '@patchbay/runtime';
import { readFlowFile } from '../flow-file.js';
import { CliExit, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { createCliLogger, sensitiveTexts } from '../logger.js';
import type { RecordedSteps } from '../platform-run.js';

export interface RunOptions {
  env?: string;
  input?: Record<string, string>;
  connection?: Record<string, string>;
  json?: boolean;
  maxLoopIterations?: number;
  record?: 'all' | 'summary' | 'none';
}

/** Reads `--input NAME=VALUE` as each declared input's type. */
export function readInputs(flow: Flow, raw: Record<string, string> = {}): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const declared = flow.inputs ?? {};
  for (const [name, text] of Object.entries(raw)) {
    const spec = declared[name];
    if (!spec) {
      const known = Object.keys(declared);
      throw new PatchbayError('flow.invalid', `The flow has no input '${name}'`, {
        hint: known.length ? `Its inputs are: ${known.join(', ')}.` : 'It declares no inputs.',
      });
    }
    inputs[name] = parseInputValue(text, spec.type ?? 'any', name);
  }
  return inputs;
}

/**
 * Runs go through the local platform, which resolves connection references
 * and environment variables and records the run (`patchbay runs list`).
 * PATCHBAY_RUN_LOCAL=1 runs a flow without connector steps on the engine
 * alone, with no store (nothing recorded).
 */
function recordRun(flow: Flow): boolean {
  if (process.env.PATCHBAY_RUN_LOCAL !== '1') return true;
  let connectors = false;
  walkSteps(flow, (step) => {
    if ('connector' in step) connectors = true;
  });
  return connectors;
}

export async function runCommand(file: string, opts: RunOptions): Promise<void> {
  try {
    await runFile(file, opts);
  } catch (e) {
    // Scripts reading --json get the failure as data too; the one-line reason still goes to stderr.
    if (opts.json && !(e instanceof CliExit))
      printJson({ status: 'failed', outputs: {}, variables: {}, error: toErrorData(e), steps: [] });
    throw e;
  }
}

async function runFile(file: string, opts: RunOptions): Promise<void> {
  // A recorded run goes through a runner: it starts now, while this process opens the store.
  const pool = process.env.PATCHBAY_RUN_LOCAL === '1' ? undefined : new RunnerPool(runnerSettingsFromEnv());
  try {
    pool?.warm();
    await runWith(file, opts, pool);
  } finally {
    await pool?.close();
  }
}

async function runWith(file: string, opts: RunOptions, pool: RunnerPool | undefined): Promise<void> {
  const { flow, text } = await readFlowFile(file);
  const inputs = readInputs(flow, opts.input);
  const progress = opts.json ? undefined : createProgress();
  const limits = opts.maxLoopIterations ? { maxLoopIterations: opts.maxLoopIterations } : undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: RunResult;
  let recorded: RecordedSteps | undefined;
  try {
    if (recordRun(flow)) {
      const { runWithPlatform } = await import('../platform-run.js');
      const done = await runWithPlatform({
        flow,
        text,
        file,
        inputs,
        env: opts.env ?? 'default',
        connections: opts.connection ?? {},
        signal: controller.signal,
        onEvent: progress?.onEvent,
        limits,
        ...(opts.record ? { recording: { mode: opts.record } } : {}),
        ...(pool ? { executor: pool } : {}),
      });
      ({ recorded, ...result } = done);
    } else {
      const actions = createActionRegistry([...standardActions, ...blockActions]);
      const errors = validateFlow(flow, { actions, sourceText: text, file }).filter((d) => d.severity === 'error');
      if (errors.length) {
        const d = errors[0];
        throw new PatchbayError('flow.invalid', d.message, {
          place: { file, line: d.line, column: d.column, stepPath: d.stepPath, action: d.action },
          hint: d.hint,
        });
      }
      result = await runFlow(flow, {
        inputs,
        resources: {
          actions,
          host: createNodeHost(),
          clock: nodeClock,
          logger: createCliLogger(process.stderr, sensitiveTexts(flow.inputs ?? {}, inputs)),
          signal: controller.signal,
          limits,
          onEvent: progress?.onEvent,
        },
      });
    }
  } finally {
    progress?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (opts.json)
    printJson({
      status: result.status,
      outputs: result.outputs,
      variables: result.variables ?? {},
      ...(result.error ? { error: result.error } : {}),
      ...(recorded ?? { steps: result.steps, aggregates: [] }),
    });
  else if (result.status === 'succeeded') {
    process.stderr.write(`Run succeeded in ${result.stepCount} step${result.stepCount === 1 ? '' : 's'}.\n`);
    if (Object.keys(result.outputs).length) printJson(result.outputs);
  }
  if (result.status !== 'succeeded') {
    const reason = result.error ? describeError(result.error) : `the run ${result.status}`;
    throw new CliExit(result.status === 'cancelled' ? 130 : 1, `run ${result.status}: ${reason}`);
  }
}
