/**
 * Which connection references a flow definition names. Derived by the store on
 * every save, so `patchbay ref usage` is always current whatever saved the
 * flow. A connector step is any object with string `connector` and
 * `connectionReference` fields, wherever it sits (steps, bodies, subflows).
 */
import { invalid } from '../context.js';

export interface UsedReference {
  logicalName: string;
  connectorId: string;
  /** JSON pointer of the first step naming it. */ pointer: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function referencesOf(definition: unknown): UsedReference[] {
  const found = new Map<string, UsedReference>();
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${pointer}/${i}`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (typeof o.connectionReference === 'string' && typeof o.connector === 'string') {
      if (!NAME.test(o.connectionReference) || !NAME.test(o.connector)) {
        throw invalid(
          `${pointer}: "${o.connectionReference}" / "${o.connector}" is not a valid connection reference / connector id.`,
          'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.',
        );
      }
      const prev = found.get(o.connectionReference);
      if (prev && prev.connectorId !== o.connector) {
        throw invalid(
          `${pointer}: connection reference "${o.connectionReference}" is used for connector "${o.connector}" here but for "${prev.connectorId}" at ${prev.pointer}.`,
          'A reference belongs to one connector; use a separate reference for each connector.',
        );
      }
      if (!prev)
        found.set(o.connectionReference, { logicalName: o.connectionReference, connectorId: o.connector, pointer });
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'object' && v !== null) walk(v, `${pointer}/${escape(k)}`);
  };
  walk(definition, '');
  return [...found.values()];
}
