/** Standard and connector actions: call `run` with an ActionContext, then set the produced variables. */
import type { ActionContext, ActionResult, Logger } from '../../contracts.js';
import { PatchbayError } from '../../errors.js';
import type { Value } from '../../values.js';
import type { CompiledStep } from '../compile.js';
import { REDACTED, type Redactor } from '../redact.js';
import type { Frame } from '../state.js';
import type { Executor } from './types.js';
import { policyRetries } from '../../flow/error-kinds.js';
import { endpointSetsFor } from '../../policy/endpoints.js';
import { guardedHost } from '../../policy/host.js';

/**
 * The step as actions see it. Retries of a connector step never multiply:
 * with `onError.retry` the engine retries the whole step and the connector
 * sends each attempt once; otherwise the connector retries transient HTTP
 * failures by the step's `retry` (or its default policy).
 */
function stepInfo(cs: CompiledStep, frame: Frame): ActionContext['step'] {
  if (!cs.ctxStep) {
    const s = cs.step;
    cs.ctxStep = { path: cs.path, action: cs.action };
    if (s.connectionReference !== undefined) cs.ctxStep.connectionReference = s.connectionReference;
    if (s.pagination) cs.ctxStep.pagination = { threshold: s.pagination.threshold };
    if (policyRetries(s.onError)) {
      cs.ctxStep.retry = { count: 0 };
      if (s.retry)
        frame.state.resources.logger.warn(
          `Step ${cs.path} (${cs.action}) has both "retry" and "onError.retry"; onError.retry retries the step and the connector sends each attempt once.`,
        );
    } else if (s.retry)
      cs.ctxStep.retry = {
        count: s.retry.count,
        intervalMs: s.retry.intervalSeconds === undefined ? undefined : s.retry.intervalSeconds * 1000,
      };
  }
  return cs.ctxStep;
}

function show(frame: Frame, name: string, v: Value): unknown {
  const r = frame.state.redactor;
  return r.isSensitiveName(name) ? REDACTED : r.value(v);
}

function produce(cs: CompiledStep, frame: Frame, result: ActionResult): Record<string, unknown> | undefined {
  let shown = frame.written;
  frame.written = undefined;
  if (result) {
    for (const p of cs.produces) {
      if (p.name === null || !Object.hasOwn(result, p.key)) continue;
      const v = result[p.key];
      frame.set(p.name, v);
      (shown ??= {})[p.name] = show(frame, p.name, v);
    }
  }
  return shown;
}

/** The logger actions see: sensitive values are scrubbed from every message, whatever host the run is on. */
const loggers = new WeakMap<object, Logger>();
function actionLogger(state: { resources: { logger: Logger }; redactor: Redactor }): Logger {
  let logger = loggers.get(state);
  if (!logger) {
    const { resources, redactor } = state;
    const scrub = (data?: Record<string, unknown>) =>
      data === undefined ? undefined : (redactor.value(data) as Record<string, unknown>);
    logger = {
      debug: (msg, data) => resources.logger.debug(redactor.text(msg), scrub(data)),
      info: (msg, data) => resources.logger.info(redactor.text(msg), scrub(data)),
      warn: (msg, data) => resources.logger.warn(redactor.text(msg), scrub(data)),
      error: (msg, data) => resources.logger.error(redactor.text(msg), scrub(data)),
    };
    loggers.set(state, logger);
  }
  return logger;
}

export const runAction: Executor = (cs, frame, params) => {
  const def = cs.def;
  if (!def?.run)
    throw new PatchbayError('action.failed', `${cs.action} has nothing to run.`, {
      place: { stepPath: cs.path, action: cs.action },
    });
  let ctx = cs.ctx;
  if (!ctx || cs.ctxFrame !== frame) {
    const state = frame.state;
    const res = state.resources;
    const rules = res.endpointRules?.length ? res.endpointRules : undefined;
    const guarded = rules && def.kind !== 'connector' && endpointSetsFor(rules, { action: cs.action }).length > 0;
    ctx = {
      host: guarded ? guardedHost(res.host, rules, cs.action) : res.host,
      logger: actionLogger(state),
      clock: res.clock,
      signal: state.signal,
      connections: res.connections,
      ...(rules ? { endpointRules: rules } : {}),
      step: stepInfo(cs, frame),
      getVariable: frame.getVariable,
      setVariable: frame.setVariable,
    };
    cs.ctx = ctx;
    cs.ctxFrame = frame;
  }
  frame.written = undefined;
  const r = def.run(ctx, params);
  if (r instanceof Promise) return r.then((out: ActionResult) => produce(cs, frame, out));
  return produce(cs, frame, r);
};
