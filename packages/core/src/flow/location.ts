/**
 * Maps JSON pointers in a flow document to line:column in its source text
 * (jsonc-parser's syntax tree), and escapes pointer segments.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerToSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** 1-based line and column of an offset in a text. */
export function offsetToPosition(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Finds positions of pointers in one source text, parsing it once. */
export class SourceMap {
  private readonly root: Node | undefined;

  constructor(private readonly text: string) {
    this.root = parseTree(text);
  }

  /** The exact position where the value at `pointer` starts (its opening quote for text), when it exists. */
  locateValue(pointer: string): SourcePosition | undefined {
    if (!this.root) return undefined;
    const node = findNodeAtLocation(this.root, pointerToSegments(pointer));
    return node ? offsetToPosition(this.text, node.offset) : undefined;
  }

  /**
   * The position of the value at `pointer`; when `key` is set, the position of
   * that property's name inside the object at `pointer`. Falls back to the
   * nearest enclosing node that exists.
   */
  locate(pointer: string, key?: string): SourcePosition | undefined {
    if (!this.root) return undefined;
    const segments = pointerToSegments(pointer);
    for (let n = segments.length; n >= 0; n--) {
      const node = findNodeAtLocation(this.root, segments.slice(0, n));
      if (!node) continue;
      if (key !== undefined && n === segments.length && node.type === 'object') {
        const prop = node.children?.find((c) => c.children?.[0]?.value === key);
        if (prop) return offsetToPosition(this.text, prop.offset);
      }
      // A property's value: point at its name, where people look.
      const at =
        node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0].offset : node.offset;
      return offsetToPosition(this.text, at);
    }
    return undefined;
  }
}
