/**
 * A run on a runner reached through a link rather than a child process this
 * process forked: a machine on another computer (`patchbay runner`). The
 * messages are the run protocol's, unchanged (`protocol.ts`): the run's
 * definition and inputs go in; batches of step events and log lines, the
 * connector-gateway calls and `done` come out. The gateway serves the calls
 * here, so no credential ever crosses the link. A link that closes mid-run
 * fails the run with the link's reason ("the machine NAME went offline").
 */
import { PatchbayError, type Flow, type RunResult } from '@patchbay/core';
import type { ExecuteFlowOptions, FlowExecutor } from './executor.js';
import { gatewayFor } from './gateway.js';
import { deliverBatch, operationsOf, runMessage } from './pool.js';
import type { FromRunner, ToRunner } from './protocol.js';

/** One runner at the other end of a connection. */
export interface RunnerLink {
  /** Sends a message to the runner (dropped when the link is gone). */
  send(message: ToRunner): void;
  /** Receives the runner's messages and the link's end while a run uses it; `undefined` to stop. */
  attach(handlers: { message(m: FromRunner): void; closed(reason: string): void } | undefined): void;
  /** Why the link is gone, once it is (a sentence fragment: "the machine NAME went offline"). */
  readonly gone: string | undefined;
}

export interface LinkExecutorOptions {
  /** Wall time of one run in ms (0: none); default one hour. */
  timeoutMs?: number;
  /** How long a cancelled run may take to stop before it is given up; default 5 s. */
  cancelGraceMs?: number;
  /** Sees every message sent to the runner (tests assert that none holds a secret). */
  onSend?: (message: ToRunner) => void;
}

let nextRun = 1;

/** Runs one flow over `link`, as a `RunnerPool` runs one over a child process. */
export async function runOverLink(
  link: RunnerLink,
  flow: Flow,
  opts: ExecuteFlowOptions,
  settings: LinkExecutorOptions = {},
): Promise<RunResult> {
  const { resources } = opts;
  const runId = `m${Date.now().toString(36)}${(nextRun++).toString(36)}`;
  const operations = operationsOf(flow, resources);
  const allowedOps = new Set(
    operations.map((o) => `${o.connectorId.toLowerCase()}\u0000${o.operationId.toLowerCase()}`),
  );
  const references = opts.references ? new Set(opts.references) : undefined;
  const scrub = opts.scrub ?? (<T>(v: T) => v);
  const timeoutMs = settings.timeoutMs ?? 60 * 60_000;
  const send = (m: ToRunner) => {
    settings.onSend?.(m);
    link.send(m);
  };
  const gateway = gatewayFor({ resources, references, allowedOps, scrub });
  let timer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const stopped = (reason: string) =>
        reject(new PatchbayError('run.stopped', `The run failed because ${reason}.`, { retryable: true }));
      link.attach({
        closed: stopped,
        message: (m) => {
          switch (m.type) {
            case 'batch':
              if (m.runId !== runId) return;
              deliverBatch(m.items, opts);
              return;
            case 'gateway':
              if (m.runId !== runId) return;
              void gateway(m, send);
              return;
            case 'done':
              if (m.runId === runId) resolve(m.result);
              return;
            default:
              return;
          }
        },
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          send({ type: 'cancel', runId });
          reject(
            new PatchbayError(
              'run.timeout',
              `The run took longer than its time limit of ${Math.round(timeoutMs / 1000)} s and was stopped.`,
              { hint: 'An administrator can raise the limit with PATCHBAY_RUN_TIMEOUT (seconds, 0 for none).' },
            ),
          );
        }, timeoutMs);
      }
      onAbort = () => {
        send({ type: 'cancel', runId });
        graceTimer = setTimeout(
          () => reject(new PatchbayError('run.cancelled', 'The run was cancelled (the machine did not stop in time).')),
          settings.cancelGraceMs ?? 5000,
        );
      };
      if (resources.signal?.aborted) onAbort();
      else resources.signal?.addEventListener('abort', onAbort, { once: true });
      if (link.gone) return stopped(link.gone);
      send(runMessage(runId, flow, opts, operations));
    });
  } finally {
    if (timer) clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    if (onAbort) resources.signal?.removeEventListener('abort', onAbort);
    link.attach(undefined);
  }
}

/**
 * A `FlowExecutor` for one run on one link. A machine is another computer:
 * its runs never execute as this server's OS user, so host actions are not
 * limited to the instance owner there (`dropsPrivileges` is true).
 */
export function linkExecutor(link: RunnerLink, settings: LinkExecutorOptions = {}): FlowExecutor {
  return {
    kind: 'machine',
    dropsPrivileges: () => true,
    run: (flow, opts) => runOverLink(link, flow, opts, settings),
    warm: () => undefined,
    close: async () => undefined,
  };
}
