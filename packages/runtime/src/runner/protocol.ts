/**
 * The run protocol: every message that passes between a parent (the server,
 * `patchbay worker` or `patchbay run`, which hold the store and the master
 * key) and a runner (the process that interprets a flow). Messages are plain
 * data — values that survive the structured clone (`Uint8Array` and `Date`
 * included) — so the same protocol can later be carried over a socket to a
 * runner on another computer. Nothing in a message to a runner is a secret:
 * no credential, token, key or store handle ever crosses.
 *
 * A run, from the parent's side:
 *
 * ```
 * parent -> runner  run      {runId, flow, inputs, data, operations, events, reduce?}
 * runner -> parent  batch    {runId, items: [step events, log lines, aggregates, live states]}
 *                                                      (many; every ~50 ms or 256 items)
 * runner -> parent  gateway  {runId, callId, reference, connectorId, operationId, params, step}
 * parent -> runner  gateway.result {runId, callId, ok, value | error}
 * parent -> runner  cancel   {runId}                                             (optional)
 * runner -> parent  done     {runId, result}  (after its last batch)
 * ```
 *
 * A runner says `ready` once after it starts. It runs one run at a time and
 * takes the next `run` after `done`.
 *
 * A local runner started with `--gateway-pipe` sends its `gateway` calls on a
 * pipe of their own (fd 4, framed as in `frames.ts`: JSON for plain data, a
 * structured clone otherwise) and the parent answers each call on the channel
 * it came by; every other message uses the IPC channel. A runner without the
 * pipe (a machine's) sends everything on the one channel it has.
 *
 * Changes stay additive: a new field is optional and a new batch item type is
 * ignored by a parent that does not know it. `reduce` (how the run is
 * recorded) lets a runner send the events the parent records and aggregates
 * for the rest; a runner that does not know it sends every event, which the
 * parent reduces itself.
 */
import type { ActionDefinition, ErrorData, Flow, RunResult, StepEvent, Value } from '@patchbay/core';

/** Protocol version; a runner refuses messages of another version. */
export const PROTOCOL_VERSION = 1;

/** A connector operation the runner may call, without its `run` (the gateway runs it in the parent). */
export interface OperationDefinition {
  connectorId: string;
  operationId: string;
  action: Omit<ActionDefinition, 'run'>;
}

/**
 * The plain-data part of the run's `RunResources` (limits, environment
 * variables, sensitive names, and any data field added later): every field
 * that is not one of the parent's live objects is forwarded as it is.
 */
export type RunData = Record<string, unknown>;

export interface RunMessage {
  type: 'run';
  version: number;
  runId: string;
  flow: Flow;
  inputs: Record<string, unknown>;
  data: RunData;
  operations: OperationDefinition[];
  /** Whether the parent wants step events (log lines always come back). */
  events: boolean;
  /** How the parent records the run's steps: the runner sends only what that keeps (see `EventReduction`). */
  reduce?: EventReduction;
}

/**
 * How a run's steps are recorded, as the runner needs to know it: full events
 * for the first `head` steps, the last `tail` and every failed, retried or
 * warned step (`summary`); every step (`all`); none (`none`). Other steps
 * cross only as aggregates and coalesced live states.
 */
export interface EventReduction {
  mode: 'all' | 'summary' | 'none';
  head: number;
  tail: number;
}

export interface CancelMessage {
  type: 'cancel';
  runId: string;
}

export type GatewayResultMessage =
  | { type: 'gateway.result'; runId: string; callId: number; ok: true; value: Record<string, Value> | null }
  | { type: 'gateway.result'; runId: string; callId: number; ok: false; error: ErrorData };

export type ToRunner = RunMessage | CancelMessage | GatewayResultMessage;

export interface ReadyMessage {
  type: 'ready';
  version: number;
}

/** A line for the run's logger (Log.Message, a connector's retry notice); step events of type `log` are separate. */
export interface LogItem {
  type: 'logger';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** Steps that crossed only as counts: per step path, the change since the last aggregate item. */
export interface StepAggregate {
  stepPath: string;
  action: string;
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  lastStatus: 'succeeded' | 'failed';
}

/** Sent with a batch when steps were aggregated (`reduce`): the deltas and the run's step count so far. */
export interface AggregateItem {
  type: 'aggregate';
  stepCount: number;
  aggregates: StepAggregate[];
}

/** The state of a step that did not cross in full, for a live view only (never recorded). */
export interface LiveItem {
  type: 'live';
  event: StepEvent;
}

export type BatchItem = StepEvent | LogItem | AggregateItem | LiveItem;

export interface BatchMessage {
  type: 'batch';
  runId: string;
  items: BatchItem[];
}

/** A connector step asks the parent's connector gateway to call an operation through a reference. */
export interface GatewayCall {
  reference: string;
  connectorId: string;
  operationId: string;
  params: Record<string, Value>;
  step: {
    path: string;
    action: string;
    retry?: { count?: number; intervalMs?: number };
    pagination?: { threshold: number };
  };
}

export interface GatewayMessage extends GatewayCall {
  type: 'gateway';
  runId: string;
  callId: number;
}

export interface DoneMessage {
  type: 'done';
  runId: string;
  result: RunResult;
}

export type FromRunner = ReadyMessage | BatchMessage | GatewayMessage | DoneMessage;

/** Items a runner buffers before it sends a batch, and how long it waits at most. */
export const BATCH_MAX_ITEMS = 256;
export const BATCH_MAX_MS = 50;
