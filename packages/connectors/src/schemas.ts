/**
 * Shared schemas. A connector keeps each schema its definition names once,
 * in `components`, and every other schema refers to it as
 * `{"$ref": "#/components/NAME"}` (a JSON pointer into the model; cycles
 * allowed). `schemaView` is the one way to read such schemas: `at` gives one
 * node with its reference followed and its `allOf` merged (what a form, a
 * call or an output type walks, level by level), `expand` a whole schema with
 * every reference resolved, bounded and with cycles cut, for consumers that
 * want plain JSON Schema. Views are cached per `components` object.
 */
import type { JsonSchema } from './model.js';

/** Prefix of a reference to a shared schema. */
export const COMPONENT_PREFIX = '#/components/';
/** References followed one after another before giving up (`A` → `B` → … ). */
const MAX_HOPS = 64;
/** Nesting `expand` follows, and nodes it writes, before cutting a schema short. */
const MAX_DEPTH = 48;
const MAX_NODES = 50_000;
/** Keys whose values are data, not schemas. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'default', 'const', 'x-example', 'x-ms-test-value']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `#/components/NAME` for a component name (JSON pointer escaping). */
export function componentRef(name: string): string {
  return COMPONENT_PREFIX + name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The component a node refers to (`{"$ref": "#/components/NAME"}`), or undefined. */
export function componentName(node: unknown): string | undefined {
  if (!isObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith(COMPONENT_PREFIX)) return undefined;
  return node.$ref.slice(COMPONENT_PREFIX.length).replace(/~1/g, '/').replace(/~0/g, '~');
}

export interface SchemaView {
  /**
   * One node, resolved: a reference followed to its component (the node's
   * other keys win), `allOf` parts merged in (properties and `required`
   * united). Sub-schemas are left as written: walk them with `at` again.
   * A reference to a missing component, or a chain that loops, is `{}`.
   */
  at(node: unknown): JsonSchema;
  /**
   * The whole schema with every reference resolved: nesting and size bounded
   * (`x-patchbay-truncated`), a reference met again inside itself cut to
   * `{"x-patchbay-cycle": NAME, type}`. Cycle-free components are expanded once.
   */
  expand(node: unknown): JsonSchema;
}

const views = new WeakMap<object, SchemaView>();
const EMPTY: Record<string, JsonSchema> = {};

/** The view of a connector's shared schemas (cached per `components` object). */
export function schemaView(connector: { components?: Record<string, JsonSchema> }): SchemaView {
  const components = connector.components ?? EMPTY;
  let view = views.get(components);
  if (!view) {
    view = createView(components);
    views.set(components, view);
  }
  return view;
}

function createView(components: Record<string, JsonSchema>): SchemaView {
  const atCache = new Map<string, JsonSchema>();
  const expanded = new Map<string, { schema: JsonSchema; size: number }>();

  function component(name: string): JsonSchema | undefined {
    return Object.prototype.hasOwnProperty.call(components, name) ? components[name] : undefined;
  }

  /** Follows a chain of references; siblings of earlier links win. */
  function follow(node: Record<string, unknown>): Record<string, unknown> {
    let current: Record<string, unknown> = node;
    let siblings: Record<string, unknown> | undefined;
    const seen = new Set<string>();
    for (let hops = 0; hops < MAX_HOPS; hops++) {
      const name = componentName(current);
      if (name === undefined) break;
      const { $ref: _ref, ...rest } = current;
      if (Object.keys(rest).length) siblings = { ...rest, ...siblings };
      const target = seen.has(name) ? undefined : component(name);
      seen.add(name);
      if (!isObject(target)) return siblings ?? {};
      current = target;
    }
    if (componentName(current) !== undefined) return siblings ?? {};
    return siblings ? { ...current, ...siblings } : current;
  }

  function at(node: unknown, seen = new Set<unknown>()): JsonSchema {
    if (!isObject(node)) return {};
    const name = componentName(node);
    const plain = name !== undefined && Object.keys(node).length === 1;
    if (plain && atCache.has(name)) return atCache.get(name)!;
    const target = follow(node);
    let out: JsonSchema = target;
    if (Array.isArray(target.allOf) && !seen.has(target)) {
      seen.add(target);
      const { allOf, ...own } = target;
      out = mergeAllOf(
        own,
        (allOf as unknown[]).map((part) => at(part, seen)),
      );
    }
    if (plain) atCache.set(name, out);
    return out;
  }

  function expand(node: unknown): JsonSchema {
    const state = { nodes: 0, cycles: 0 };
    const out = expandNode(node, [], 0, state);
    return isObject(out) ? out : {};
  }

  function expandNode(
    node: unknown,
    stack: string[],
    depth: number,
    state: { nodes: number; cycles: number },
  ): unknown {
    if (Array.isArray(node)) return node.map((n) => expandNode(n, stack, depth + 1, state));
    if (!isObject(node)) return node;
    if (depth > MAX_DEPTH || ++state.nodes > MAX_NODES) return { 'x-patchbay-truncated': true };
    const name = componentName(node);
    if (name !== undefined) return expandRef(node, name, stack, depth, state);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'allOf') continue;
      out[key] =
        DATA_KEYS.has(key) || key.startsWith('x-ms-') || typeof value !== 'object' || value === null
          ? value
          : expandNode(value, stack, depth + 1, state);
    }
    if (Array.isArray(node.allOf))
      return mergeAllOf(
        out,
        node.allOf.map((part) => expandNode(part, stack, depth + 1, state)),
      );
    return out;
  }

  function expandRef(
    node: Record<string, unknown>,
    name: string,
    stack: string[],
    depth: number,
    state: { nodes: number; cycles: number },
  ): unknown {
    const { $ref: _ref, ...siblings } = node;
    const extra = Object.keys(siblings).length
      ? (expandNode(siblings, stack, depth + 1, state) as Record<string, unknown>)
      : undefined;
    let resolved: unknown;
    if (stack.includes(name)) {
      const target = component(name);
      state.cycles++;
      resolved = {
        'x-patchbay-cycle': name,
        ...(isObject(target) && typeof target.type === 'string' ? { type: target.type } : {}),
      };
    } else if (expanded.has(name)) {
      const hit = expanded.get(name)!;
      state.nodes += hit.size;
      resolved = state.nodes > MAX_NODES ? { 'x-patchbay-truncated': true } : hit.schema;
    } else {
      const target = component(name);
      const cyclesBefore = state.cycles;
      const nodesBefore = state.nodes;
      resolved = target === undefined ? {} : expandNode(target, [...stack, name], depth + 1, state);
      if (state.cycles === cyclesBefore && state.nodes <= MAX_NODES && isObject(resolved))
        expanded.set(name, { schema: resolved, size: state.nodes - nodesBefore });
    }
    return extra ? { ...(isObject(resolved) ? resolved : {}), ...extra } : resolved;
  }

  return { at: (node) => at(node), expand };
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
