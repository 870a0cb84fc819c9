/**
 * Selecting several actions, as in PAD's designer: a click selects one,
 * Shift+click the range of lines from the last plain or Ctrl+click,
 * Ctrl+click adds or removes one, Ctrl+A selects every line, and the arrow
 * keys move to the step line above or below (with Shift, extending the range). Copy and Delete act on the selection's
 * roots: a selected block brings everything inside it, in workspace order.
 */
import type { Row } from './rows.js';

export interface Selection {
  /** Selected step paths, in the order they were selected. */
  paths: string[];
  /** Where a Shift+click range starts. */
  anchor: string | null;
  /** The step clicked last: Enter edits it. */
  focus: string | null;
}

export const EMPTY_SELECTION: Selection = { paths: [], anchor: null, focus: null };

export type SelectHow = 'only' | 'toggle' | 'range';

/** The selection after clicking `path` (null: clicking off the steps) with `how`. */
export function select(sel: Selection, rows: readonly Row[], path: string | null, how: SelectHow = 'only'): Selection {
  if (path === null) return EMPTY_SELECTION;
  if (how === 'toggle') {
    if (sel.paths.includes(path)) {
      const paths = sel.paths.filter((p) => p !== path);
      return { paths, anchor: path, focus: paths[paths.length - 1] ?? null };
    }
    return { paths: [...sel.paths, path], anchor: path, focus: path };
  }
  if (how === 'range' && sel.anchor) {
    const steps = rows.filter((r) => r.kind === 'step').map((r) => r.path);
    const from = steps.indexOf(sel.anchor);
    const to = steps.indexOf(path);
    if (from >= 0 && to >= 0)
      return { paths: steps.slice(Math.min(from, to), Math.max(from, to) + 1), anchor: sel.anchor, focus: path };
  }
  return { paths: [path], anchor: path, focus: path };
}

/** The step line above (-1) or below (+1) `path`; the first line when none is focused; undefined past the ends. */
export function stepBeside(rows: readonly Row[], path: string | null, by: 1 | -1): string | undefined {
  const steps = rows.filter((r) => r.kind === 'step').map((r) => r.path);
  if (path === null) return steps[0];
  const i = steps.indexOf(path);
  return i < 0 ? steps[0] : steps[i + by];
}

/** Every step of the shown list (Ctrl+A). */
export function selectAll(rows: readonly Row[]): Selection {
  const paths = rows.filter((r) => r.kind === 'step').map((r) => r.path);
  return { paths, anchor: paths[0] ?? null, focus: paths[paths.length - 1] ?? null };
}

/**
 * The selected steps that are not inside another selected step, in
 * workspace order: what Copy copies (each block whole) and Delete removes.
 */
export function selectionRoots(paths: readonly string[], rows: readonly Row[]): string[] {
  const chosen = new Set(paths);
  const inOrder = rows.filter((r) => r.kind === 'step' && chosen.has(r.path)).map((r) => r.path);
  return inOrder.filter((p) => !inOrder.some((q) => q !== p && p.startsWith(`${q}/`)));
}
