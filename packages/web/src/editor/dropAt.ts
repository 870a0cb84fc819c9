/**
 * Where a drop lands when dnd-kit has not caught up: its `over` is React
 * state set one commit after the pointer moves, so a quick press-move-release
 * (a flick, or a busy machine) ends with `over` still empty and the drop is
 * lost. Drop zones carry their target as `data-drop-parent` /
 * `data-drop-index`; this reads the one under the pointer where the drag ended.
 */
import type { DragEndEvent } from '@dnd-kit/core';
import type { DropTarget } from './rows.js';

/** The drop target under the viewport point (x, y), if any. */
export function dropTargetAt(x: number, y: number, doc: Document = document): DropTarget | undefined {
  for (const el of doc.elementsFromPoint(x, y)) {
    const zone = el.closest('[data-drop-parent]');
    const parentPath = zone?.getAttribute('data-drop-parent');
    const index = Number(zone?.getAttribute('data-drop-index'));
    if (parentPath && Number.isInteger(index) && index >= 0) return { parentPath, index };
  }
  return undefined;
}

/** The point where the pointer was released: where it went down, moved by the drag's delta. */
function releasePoint(e: DragEndEvent): { x: number; y: number } | undefined {
  const start = e.activatorEvent as Partial<PointerEvent> | null;
  if (typeof start?.clientX !== 'number' || typeof start.clientY !== 'number') return undefined;
  return { x: start.clientX + e.delta.x, y: start.clientY + e.delta.y };
}

/** The drop target of a finished drag: dnd-kit's `over`, else the zone under the release point. */
export function dropTargetOf(e: DragEndEvent): DropTarget | undefined {
  const fromOver = e.over?.data.current?.dropTarget as DropTarget | undefined;
  if (fromOver) return fromOver;
  const p = releasePoint(e);
  return p ? dropTargetAt(p.x, p.y) : undefined;
}
