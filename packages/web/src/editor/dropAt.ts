/**
 * Where a drop lands. dnd-kit's `over` and `delta` are React state that trail
 * the pointer by a commit or more, and the droppable rectangles behind `over`
 * are measured in an effect after the drag starts: a quick press-move-release
 * (a flick, or a busy machine) can end with `over` empty, or naming a zone the
 * pointer is no longer on, and the drop is lost or lands in the wrong place.
 * Drop zones carry their target as `data-drop-parent` / `data-drop-index`; a
 * pointer drag drops on the zone under the point where the pointer was
 * released, read from the page as it is then. A keyboard drag has no pointer
 * and keeps dnd-kit's `over`.
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

/** The last pointer position the page saw, recorded before dnd-kit's own listeners run. */
let lastPointer: { x: number; y: number } | undefined;
const record = (e: PointerEvent) => {
  lastPointer = { x: e.clientX, y: e.clientY };
};
if (typeof window !== 'undefined') {
  // Capture on the window runs before dnd-kit's listeners on the document, so the position is
  // the release's own when onDragEnd runs from dnd-kit's pointerup handler.
  for (const type of ['pointerdown', 'pointermove', 'pointerup'] as const)
    window.addEventListener(type, record, { capture: true, passive: true });
}

/** Whether the drag was started with a pointer (mouse, pen or touch) rather than the keyboard. */
function isPointerDrag(e: DragEndEvent): boolean {
  const start = e.activatorEvent as Partial<PointerEvent> | null;
  return typeof start?.clientX === 'number' && typeof start.clientY === 'number';
}

/**
 * The drop target of a finished drag: for a pointer drag, the zone under the release point (none when the
 * pointer was released outside every zone); for a keyboard drag, dnd-kit's `over`.
 */
export function dropTargetOf(
  e: DragEndEvent,
  release: { x: number; y: number } | undefined = lastPointer,
): DropTarget | undefined {
  if (isPointerDrag(e) && release) return dropTargetAt(release.x, release.y);
  return e.over?.data.current?.dropTarget as DropTarget | undefined;
}
