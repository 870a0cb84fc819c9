/**
 * One run's events as a server-sent event stream: `step` (a StepEvent),
 * `status` ({status}) and `done` ({status, outputs, error?}). A client that
 * connects late first gets what already happened — the step records in the
 * store, then the events this server saw — then live events, each step event
 * once. The stream ends after `done`; if a `done` event is ever missed (a
 * Redis hiccup), a slow check of the run's status ends it anyway.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StepEvent } from '@patchbay/core';
import type { Run, RunStep } from '@patchbay/store';
import { doneEvent } from '../queue/execute.js';
import type { RunQueueEvent } from '../queue/types.js';
import type { RunEventHub } from './run-events.js';

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export interface StreamOptions {
  request: FastifyRequest;
  reply: FastifyReply;
  run: Run;
  steps: RunStep[];
  events: RunEventHub;
  reload: () => Promise<Run>;
  /** How often the run's status is checked in case a `done` event was missed; default 2 s. */
  checkEveryMs?: number;
}

/** Step events rebuilt from a step record (what the store knows of a step that ran before the stream opened). */
export function stepEventsOf(s: RunStep): StepEvent[] {
  const started: StepEvent = {
    type: 'step.started',
    runStep: s.seq,
    stepPath: s.stepPath,
    action: s.action,
    at: s.startedAt,
    inputs: s.inputs ?? {},
  };
  const durationMs = s.durationMs ?? 0;
  const at = new Date(Date.parse(s.startedAt) + durationMs).toISOString();
  if (s.status === 'succeeded')
    return [
      started,
      {
        type: 'step.finished',
        runStep: s.seq,
        stepPath: s.stepPath,
        action: s.action,
        at,
        durationMs,
        outputs: s.outputs ?? {},
      },
    ];
  if (s.status === 'failed' && s.error)
    return [
      started,
      {
        type: 'step.failed',
        runStep: s.seq,
        stepPath: s.stepPath,
        action: s.action,
        at,
        durationMs,
        error: s.error,
        willRetry: false,
      },
    ];
  return [started];
}

const keyOf = (e: StepEvent): string | undefined => (e.type === 'log' ? undefined : `${e.type}:${e.runStep}`);

export async function streamRunEvents(opts: StreamOptions): Promise<void> {
  const { request, reply, run, events } = opts;
  const sent = new Set<string>();
  let ended = false;
  let live = false;
  const buffer: RunQueueEvent[] = [];
  const raw = reply.raw;

  const write = (event: string, data: unknown) => {
    if (!ended) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const send = (e: RunQueueEvent) => {
    if (ended) return;
    if (e.kind === 'step') {
      const k = keyOf(e.event);
      if (k) {
        if (sent.has(k)) return;
        sent.add(k);
      }
      write('step', e.event);
    } else if (e.kind === 'status') {
      write('status', { status: e.status });
    } else {
      write('done', { status: e.status, outputs: e.outputs, ...(e.error ? { error: e.error } : {}) });
      finish();
    }
  };

  // Subscribe and take the snapshot in the same tick, so no event falls between them.
  const unsubscribe = events.subscribe(run.id, (e) => (live ? send(e) : buffer.push(e)));
  const seen = events.seen(run.id);
  const timers: NodeJS.Timeout[] = [];
  function finish() {
    if (ended) return;
    ended = true;
    unsubscribe();
    for (const t of timers) clearInterval(t);
    raw.end();
  }
  request.raw.on('close', finish);

  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(': patchbay run events\n\n');

  const seenKeys = new Set(seen.flatMap((e) => (e.kind === 'step' ? [keyOf(e.event)] : [])).filter(Boolean));
  for (const s of opts.steps)
    for (const e of stepEventsOf(s)) if (!seenKeys.has(keyOf(e))) send({ runId: run.id, kind: 'step', event: e });
  for (const e of seen) send(e);
  if (ended) return;
  const now = await opts.reload().catch(() => run);
  if (FINAL.has(now.status)) {
    send(doneEvent(now));
    return;
  }
  write('status', { status: now.status });
  for (const e of buffer.splice(0)) send(e);
  live = true;
  const check = setInterval(() => {
    void opts.reload().then(
      (r) => {
        if (FINAL.has(r.status)) send(doneEvent(r));
      },
      () => undefined,
    );
  }, opts.checkEveryMs ?? 2000);
  const ping = setInterval(() => {
    if (!ended) raw.write(': ping\n\n');
  }, 15_000);
  check.unref();
  ping.unref();
  timers.push(check, ping);
}
