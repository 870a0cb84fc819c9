/** Follows one run live over SSE (`/api/runs/:id/events`): step states by path, the run status, and the outputs at the end. */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ErrorData, StepEvent } from '@patchbay/core';
import { keys } from '../api/queries.js';
import type { StepRunState } from './Workspace.js';

export interface RunView {
  runId: string;
  status: string;
  steps: Map<string, StepRunState>;
  /** Step events in order, for the run panel. */
  log: StepEvent[];
  outputs?: Record<string, unknown>;
  error?: ErrorData;
  finished: boolean;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export function applyStepEvent(steps: Map<string, StepRunState>, e: StepEvent): Map<string, StepRunState> {
  if (e.type === 'log') return steps;
  const next = new Map(steps);
  if (e.type === 'step.started') next.set(e.stepPath, { status: 'running' });
  else if (e.type === 'step.finished') next.set(e.stepPath, { status: 'succeeded', durationMs: e.durationMs });
  else
    next.set(e.stepPath, {
      status: e.willRetry ? 'retrying' : 'failed',
      durationMs: e.durationMs,
      error: e.error.message,
    });
  return next;
}

export function useRunStream(runId: string | null, flowId: string): RunView | null {
  const qc = useQueryClient();
  const [view, setView] = useState<RunView | null>(null);
  useEffect(() => {
    if (!runId) return;
    setView({ runId, status: 'queued', steps: new Map(), log: [], finished: false });
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`, { withCredentials: true });
    const parse = (ev: Event): unknown => {
      try {
        return JSON.parse((ev as MessageEvent<string>).data);
      } catch {
        return null;
      }
    };
    source.addEventListener('step', (ev) => {
      const e = parse(ev) as StepEvent | null;
      if (!e || typeof e !== 'object' || !('type' in e)) return;
      setView((v) =>
        v
          ? {
              ...v,
              status: v.status === 'queued' ? 'running' : v.status,
              steps: applyStepEvent(v.steps, e),
              log: [...v.log, e],
            }
          : v,
      );
    });
    source.addEventListener('status', (ev) => {
      const d = parse(ev) as { status?: string } | null;
      if (d?.status) setView((v) => (v ? { ...v, status: d.status ?? v.status } : v));
    });
    source.addEventListener('done', (ev) => {
      const d = (parse(ev) ?? {}) as { status?: string; outputs?: Record<string, unknown>; error?: ErrorData };
      setView((v) =>
        v ? { ...v, status: d.status ?? 'finished', outputs: d.outputs, error: d.error, finished: true } : v,
      );
      source.close();
      void qc.invalidateQueries({ queryKey: keys.runs(flowId) });
    });
    source.onerror = () => {
      // The browser reconnects by itself; the server replays what happened. A closed stream after the end is normal.
      setView((v) => (v && FINAL.has(v.status) ? { ...v, finished: true } : v));
    };
    return () => source.close();
  }, [runId, flowId, qc]);
  return view;
}
