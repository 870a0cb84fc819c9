/**
 * The editor's document state: undo and redo as a stack of whole flows
 * (cheap, since edits share untouched parts), and what to send on save. Each
 * entry remembers the edits that lead from the last saved version to it, so a
 * save sends `POST …/edits`; when that chain is unknown (after undoing past a
 * save), it sends the whole definition instead.
 */
import { applyFlowEdits, type FlowEdit } from '@patchbay/core';
import type { FlowDoc } from '../api/types.js';

interface Entry {
  flow: FlowDoc;
  edits: FlowEdit[] | null;
}

export interface History {
  past: Entry[];
  present: Entry;
  future: Entry[];
  /** The definition the server holds at `baseVersion`. */
  saved: FlowDoc;
  baseVersion: number;
}

export type SavePlan =
  | { kind: 'none' }
  | { kind: 'edits'; baseVersion: number; edits: FlowEdit[] }
  | { kind: 'definition'; baseVersion: number; definition: FlowDoc };

const LIMIT = 200;

export function initHistory(flow: FlowDoc, version: number): History {
  return { past: [], present: { flow, edits: [] }, future: [], saved: flow, baseVersion: version };
}

/** Applies edits (throws the PatchbayError of a bad edit, leaving the history as it was). */
export function edit(h: History, edits: FlowEdit[]): History {
  if (edits.length === 0) return h;
  const flow = applyFlowEdits(h.present.flow, edits);
  const chain = h.present.edits ? [...h.present.edits, ...edits] : null;
  return { ...h, past: [...h.past, h.present].slice(-LIMIT), present: { flow, edits: chain }, future: [] };
}

export function undo(h: History): History {
  const prev = h.past[h.past.length - 1];
  if (!prev) return h;
  return { ...h, past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  const [next, ...rest] = h.future;
  if (!next) return h;
  return { ...h, past: [...h.past, h.present], present: next, future: rest };
}

export function isDirty(h: History): boolean {
  return h.present.flow !== h.saved;
}

export function savePlan(h: History): SavePlan {
  if (!isDirty(h)) return { kind: 'none' };
  if (h.present.edits && h.present.edits.length > 0)
    return { kind: 'edits', baseVersion: h.baseVersion, edits: h.present.edits };
  return { kind: 'definition', baseVersion: h.baseVersion, definition: h.present.flow };
}

/** After the server accepted a save: its definition is the new base; older entries' chains no longer apply. */
export function saved(h: History, flow: FlowDoc, version: number): History {
  const forget = (e: Entry): Entry => ({ flow: e.flow, edits: null });
  return {
    past: h.past.map(forget),
    present: { flow, edits: [] },
    future: h.future.map(forget),
    saved: flow,
    baseVersion: version,
  };
}
