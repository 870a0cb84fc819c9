/**
 * The runner process: interprets one flow at a time for its parent, over the
 * run protocol (`protocol.ts`). It holds no secret and no store: connector
 * steps go to the parent's connector gateway, and step events and log lines
 * go back in batches. Built into `dist/runner.js` (plain Node.js, no loader).
 */
import {
  PatchbayError,
  blockActions,
  createActionRegistry,
  fromErrorData,
  runFlow,
  standardActions,
  toErrorData,
  type ActionDefinition,
  type ActionResult,
  type ConnectorCatalog,
  type Logger,
  type RunResources,
  type RunResult,
  type StepEvent,
  type Value,
} from '@patchbay/core';
import { Socket } from 'node:net';
import { EventReducer } from './reduce.js';
import { encodeFrame, frameReader } from './frames.js';
import { createNodeHost } from '../host.js';
import { nodeClock } from '../clock.js';
import {
  BATCH_MAX_ITEMS,
  BATCH_MAX_MS,
  PROTOCOL_VERSION,
  type BatchItem,
  type FromRunner,
  type GatewayMessage,
  type GatewayResultMessage,
  type OperationDefinition,
  type RunMessage,
  type ToRunner,
} from './protocol.js';

const send = (m: FromRunner): void => {
  process.send?.(m);
};

/**
 * The gateway pipe (fd 4), when the parent opened one (`--gateway-pipe`): connector-gateway calls and their
 * results pass on it as frames (`frames.ts`), quicker than the IPC channel. Without it (a machine's runner),
 * they use the IPC channel like every other message.
 */
const gatewayPipe = process.argv.includes('--gateway-pipe')
  ? new Socket({ fd: 4, readable: true, writable: true })
  : undefined;
const sendGateway = (m: GatewayMessage): void => {
  if (gatewayPipe) gatewayPipe.write(encodeFrame(m));
  else send(m);
};

interface Current {
  runId: string;
  controller: AbortController;
  calls: Map<number, { resolve: (v: ActionResult) => void; reject: (e: unknown) => void }>;
}

let current: Current | undefined;
let nextCall = 1;
const actions = createActionRegistry([...standardActions, ...blockActions]);

/**
 * Step events and log lines, sent every BATCH_MAX_MS or BATCH_MAX_ITEMS, and before `done`. A quick loop may
 * not give timers a turn, so the time is also checked every so many events. `drain` runs before each send
 * (the reducer's aggregates and live states).
 */
function batcher(runId: string) {
  let items: BatchItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  let draining = false;
  let lastSend = Date.now();
  let drain: (() => void) | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (drain) {
      draining = true;
      drain();
      draining = false;
    }
    lastSend = Date.now();
    if (!items.length) return;
    const out = items;
    items = [];
    send({ type: 'batch', runId, items: out });
  };
  const push = (item: BatchItem) => {
    items.push(item);
    if (draining) return;
    if (items.length >= BATCH_MAX_ITEMS) flush();
    else timer ??= setTimeout(flush, BATCH_MAX_MS);
  };
  let ticks = 0;
  /** Called for each event the reducer takes: sends what is due even when the loop never yields. */
  const tick = () => {
    timer ??= setTimeout(flush, BATCH_MAX_MS);
    if ((++ticks & 1023) === 0 && Date.now() - lastSend >= BATCH_MAX_MS) flush();
  };
  return {
    push,
    flush,
    tick,
    setDrain: (d: () => void) => {
      drain = d;
    },
  };
}

const reducerOf = new WeakMap<ReturnType<typeof batcher>, EventReducer>();

/** Where the run's step events go: straight into the batch, or through a reducer when the parent records a summary. */
function eventSink(msg: RunMessage, batch: ReturnType<typeof batcher>): (e: StepEvent) => void {
  const reduce = msg.reduce;
  if (!reduce || reduce.mode === 'all') return (e) => batch.push(e);
  const reducer = new EventReducer(reduce, batch.push);
  reducerOf.set(batch, reducer);
  batch.setDrain(() => reducer.drain());
  return (e) => {
    reducer.event(e);
    batch.tick();
  };
}

function gatewayCatalog(run: Current, operations: OperationDefinition[]): ConnectorCatalog {
  const byKey = new Map<string, ActionDefinition>();
  const key = (c: string, o: string) => `${c.toLowerCase()}\u0000${o.toLowerCase()}`;
  for (const op of operations) {
    const def: ActionDefinition = {
      ...op.action,
      run: (ctx, params) =>
        new Promise<ActionResult>((resolve, reject) => {
          if (ctx.signal.aborted) {
            reject(new PatchbayError('run.cancelled', 'The run was cancelled.'));
            return;
          }
          const callId = nextCall++;
          run.calls.set(callId, { resolve, reject });
          sendGateway({
            type: 'gateway',
            runId: run.runId,
            callId,
            reference: ctx.step.connectionReference ?? '',
            connectorId: op.connectorId,
            operationId: op.operationId,
            params: params as Record<string, Value>,
            step: {
              path: ctx.step.path,
              action: ctx.step.action,
              ...(ctx.step.retry ? { retry: ctx.step.retry } : {}),
              ...(ctx.step.pagination ? { pagination: ctx.step.pagination } : {}),
            },
          });
        }),
    };
    byKey.set(key(op.connectorId, op.operationId), def);
  }
  return {
    getOperation: (c, o) => byKey.get(key(c, o)),
    listOperations: (c) => {
      const ids = operations.filter((op) => op.connectorId.toLowerCase() === c.toLowerCase());
      return ids.length ? ids.map((op) => op.operationId) : undefined;
    },
    listConnectors: () => [...new Set(operations.map((op) => op.connectorId))],
  };
}

async function execute(msg: RunMessage): Promise<void> {
  const run: Current = { runId: msg.runId, controller: new AbortController(), calls: new Map() };
  current = run;
  const batch = batcher(msg.runId);
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>): void =>
      batch.push({ type: 'logger', level, message, ...(data === undefined ? {} : { data }) });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  let result: RunResult;
  try {
    // The run's plain data first, then the runner's own live objects: a data field can never replace one.
    const resources: RunResources = {
      ...(msg.data as Partial<RunResources>),
      actions,
      connectors: gatewayCatalog(run, msg.operations),
      host: createNodeHost({ cwd: process.cwd() }),
      logger,
      clock: nodeClock,
      signal: run.controller.signal,
      ...(msg.events ? { onEvent: eventSink(msg, batch) } : {}),
    };
    result = await runFlow(msg.flow, { inputs: msg.inputs, resources });
  } catch (e) {
    result = { status: 'failed', outputs: {}, error: toErrorData(e), steps: [], stepCount: 0 };
  }
  reducerOf.get(batch)?.end();
  batch.flush();
  current = undefined;
  for (const c of run.calls.values()) c.reject(new PatchbayError('run.cancelled', 'The run ended.'));
  send({ type: 'done', runId: msg.runId, result });
}

function onGatewayResult(m: GatewayResultMessage): void {
  const call = current?.runId === m.runId ? current.calls.get(m.callId) : undefined;
  if (!call || !current) return;
  current.calls.delete(m.callId);
  if (m.ok) call.resolve(m.value ?? undefined);
  else call.reject(fromErrorData(m.error));
}

process.on('message', (raw: unknown) => {
  const m = raw as ToRunner;
  switch (m?.type) {
    case 'run':
      if (m.version !== PROTOCOL_VERSION || current) {
        const why = current ? 'this runner is busy with another run' : `protocol version ${String(m.version)}`;
        send({
          type: 'done',
          runId: m.runId,
          result: {
            status: 'failed',
            outputs: {},
            error: { code: 'internal', message: `The runner refused the run: ${why}.`, retryable: true },
            steps: [],
            stepCount: 0,
          },
        });
        return;
      }
      void execute(m);
      return;
    case 'cancel':
      if (current?.runId === m.runId) {
        current.controller.abort();
        for (const c of current.calls.values()) c.reject(new PatchbayError('run.cancelled', 'The run was cancelled.'));
        current.calls.clear();
      }
      return;
    case 'gateway.result':
      onGatewayResult(m);
      return;
    default:
      return;
  }
});

gatewayPipe?.on(
  'data',
  frameReader(
    (m) => {
      if ((m as ToRunner)?.type === 'gateway.result') onGatewayResult(m as GatewayResultMessage);
    },
    () => process.exit(1),
  ),
);
gatewayPipe?.on('error', () => undefined);

// The parent going away (its IPC channel closes) ends the runner.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', version: PROTOCOL_VERSION });
