/**
 * The text (and file name) each flow was parsed from, so run-time errors can name line:column. Apart from the
 * parser and its schema, so the engine (and the runner process) reach it without TypeBox.
 */
import type { Flow } from './schema.js';

const sources = new WeakMap<Flow, { text: string; file?: string }>();

/** The text (and file name) a flow was parsed from. */
export function flowSource(flow: Flow): { text: string; file?: string } | undefined {
  return sources.get(flow);
}

/** Remembers what `flow` was parsed from. */
export function rememberSource(flow: Flow, text: string, file?: string): void {
  sources.set(flow, { text, file });
}
