/**
 * Lenient `$ref` resolution for connector definitions. swagger-parser's
 * `dereference` rejects files that Power Platform accepts (dangling refs,
 * invalid bits) and turns cycles into object cycles that cannot be stored as
 * JSON, so the importer resolves local refs itself: a dangling or external
 * ref becomes an empty schema plus a warning, a cycle is cut with an
 * `x-patchbay-cycle` marker, and `allOf` is merged into its parent.
 */
import { isObject, type Warnings } from './util.js';
import type { JsonSchema } from '../model.js';

const MAX_DEPTH = 48;
/** Nodes one expanded schema may hold (shared sub-schemas counted each time): stops definitions that multiply through refs. */
const MAX_NODES = 50_000;
const MAX_HOPS = 32;
/** Keys whose values are data, not schemas: never expanded. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'default', 'const', 'x-example', 'x-ms-test-value']);

function unescapePointer(token: string): string {
  let t = token;
  try {
    t = decodeURIComponent(t);
  } catch {
    // keep as written
  }
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

export class RefResolver {
  private readonly memo = new Map<string, { schema: JsonSchema; size: number }>();
  /** Nodes in the schema being expanded. */
  private nodes = 0;
  /** Cycle markers produced so far; a ref whose expansion produced none is memoised. */
  private cycles = 0;

  constructor(
    private readonly root: unknown,
    private readonly warnings: Warnings,
  ) {}

  /** The value at a local ref (`#/definitions/X`), or undefined (with a warning) when it is external or dangling. */
  lookup(ref: string): unknown {
    if (!ref.startsWith('#')) {
      this.warnings.add(`External reference "${ref}" is not supported; it was treated as empty.`);
      return undefined;
    }
    const path = ref.slice(1);
    if (path === '' || path === '/') return this.root;
    let node: unknown = this.root;
    for (const raw of path.replace(/^\//, '').split('/')) {
      const key = unescapePointer(raw);
      if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
      else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, key)) node = node[key];
      else {
        this.warnings.add(`Reference "${ref}" points to nothing; it was treated as empty.`);
        return undefined;
      }
    }
    return node;
  }

  /** Follows a chain of `$ref`s at this node (parameters, responses, path items). Siblings of the first `$ref` win over the target's keys. */
  deref(node: unknown): unknown {
    let current = node;
    const seen = new Set<string>();
    let siblings: Record<string, unknown> | undefined;
    for (let hops = 0; hops < MAX_HOPS && isObject(current) && typeof current.$ref === 'string'; hops++) {
      const ref = current.$ref;
      if (seen.has(ref)) {
        this.warnings.add(`Reference "${ref}" refers to itself; it was treated as empty.`);
        return siblings ?? {};
      }
      seen.add(ref);
      const { $ref: _ref, ...rest } = current;
      if (Object.keys(rest).length > 0) siblings = { ...rest, ...siblings };
      current = this.lookup(ref);
    }
    if (siblings) {
      if (!isObject(current)) return siblings;
      const { $ref: _target, ...target } = current;
      return { ...target, ...siblings };
    }
    return current;
  }

  /** A schema with every ref resolved, `allOf` merged and cycles cut; safe to store as JSON. */
  expand(schema: unknown): JsonSchema {
    if (!isObject(schema)) return {};
    this.nodes = 0;
    return this.expandNode(schema, [], 0) as JsonSchema;
  }

  private expandNode(node: unknown, stack: string[], depth: number): unknown {
    if (Array.isArray(node)) return node.map((n) => this.expandNode(n, stack, depth + 1));
    if (!isObject(node)) return node;
    if (depth > MAX_DEPTH) return { 'x-patchbay-truncated': true };
    if (++this.nodes > MAX_NODES) {
      this.warnings.add(`A schema expands to more than ${MAX_NODES} parts through its references; it was cut short.`);
      return { 'x-patchbay-truncated': true };
    }
    if (typeof node.$ref === 'string') return this.expandRef(node, stack, depth);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'allOf') continue;
      out[key] =
        DATA_KEYS.has(key) || key.startsWith('x-ms-') || typeof value !== 'object' || value === null
          ? value
          : this.expandNode(value, stack, depth + 1);
    }
    if (Array.isArray(node.allOf))
      return mergeAllOf(
        out,
        node.allOf.map((part) => this.expandNode(part, stack, depth + 1)),
      );
    return out;
  }

  private expandRef(node: Record<string, unknown>, stack: string[], depth: number): unknown {
    const ref = node.$ref as string;
    const { $ref: _ref, ...siblings } = node;
    const extra =
      Object.keys(siblings).length > 0
        ? (this.expandNode(siblings, stack, depth + 1) as Record<string, unknown>)
        : undefined;
    let resolved: unknown;
    if (stack.includes(ref)) {
      const target = this.lookup(ref);
      resolved = {
        'x-patchbay-cycle': ref,
        ...(isObject(target) && typeof target.type === 'string' ? { type: target.type } : {}),
      };
    } else if (this.memo.has(ref)) {
      const hit = this.memo.get(ref)!;
      this.nodes += hit.size;
      resolved = this.nodes > MAX_NODES ? { 'x-patchbay-truncated': true } : hit.schema;
    } else {
      const target = this.lookup(ref);
      const before = this.cycles;
      const nodesBefore = this.nodes;
      resolved = target === undefined ? {} : this.expandNode(target, [...stack, ref], depth + 1);
      if (this.cycles === before && this.nodes <= MAX_NODES && isObject(resolved))
        this.memo.set(ref, { schema: resolved, size: this.nodes - nodesBefore });
    }
    if (isObject(resolved) && resolved['x-patchbay-cycle'] !== undefined) this.cycles++;
    return extra ? { ...(isObject(resolved) ? resolved : {}), ...extra } : resolved;
  }
}

/** Merges `allOf` parts into one object schema: properties and `required` united, the parent's own keys winning. */
export function mergeAllOf(parent: Record<string, unknown>, parts: unknown[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of [...parts, parent]) {
    if (!isObject(part)) continue;
    for (const [k, v] of Object.entries(part)) {
      if (k === 'properties' && isObject(v)) Object.assign(properties, v);
      else if (k === 'required' && Array.isArray(v)) {
        for (const r of v) if (typeof r === 'string') required.add(r);
      } else merged[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) {
    merged.properties = properties;
    if (merged.type === undefined) merged.type = 'object';
  }
  if (required.size > 0) merged.required = [...required];
  return merged;
}
