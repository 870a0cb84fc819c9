/**
 * Lenient `$ref` handling for connector definitions. swagger-parser's
 * `dereference` rejects files that Power Platform accepts (dangling refs,
 * invalid bits) and turns cycles into object cycles that cannot be stored as
 * JSON, so the importer handles local refs itself: parameters, responses and
 * path items are followed (`deref`); schemas keep their references, each
 * referenced schema becoming one shared component of the model (`share`,
 * see `../schemas.ts`), so a model stays the size of its definition. A
 * dangling or external ref becomes an empty schema plus a warning.
 */
import { isObject, type Warnings } from './util.js';
import type { JsonSchema } from '../model.js';
import { componentRef, schemaView, type SchemaView } from '../schemas.js';

/** Nesting of one schema as written (references do not count: each component starts again). */
const MAX_NESTING = 256;
const MAX_HOPS = 32;
/** Keys whose values are maps of schemas by name. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
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
  /** The connector's shared schemas, by name. */
  readonly components: Record<string, JsonSchema> = {};
  /** Reads schemas in the shared form (references followed, `allOf` merged). */
  readonly view: SchemaView = schemaView(this);
  /** Component name of each definition ref met (undefined: dangling or external). */
  private readonly names = new Map<string, string | undefined>();
  private readonly pending: [string, unknown][] = [];
  /** Nodes already in the shared form. */
  private readonly converted = new WeakSet<object>();

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

  /**
   * A schema in the model's shared form: every `$ref` to a schema of the
   * definition becomes `{"$ref": "#/components/NAME"}` and that schema a
   * component (converted once, cycles kept as references); a dangling or
   * external ref becomes an empty schema (with a warning). Idempotent.
   */
  share(schema: unknown): JsonSchema {
    if (!isObject(schema)) return {};
    const out = this.convert(schema, 0) as JsonSchema;
    this.drain();
    return out;
  }

  private drain(): void {
    for (let next = this.pending.pop(); next; next = this.pending.pop()) {
      const [name, target] = next;
      this.components[name] = isObject(target) ? (this.convert(target, 0) as JsonSchema) : {};
    }
  }

  private convert(node: unknown, depth: number): unknown {
    if (Array.isArray(node)) return node.map((n) => this.convert(n, depth + 1));
    if (!isObject(node) || this.converted.has(node)) return node;
    if (depth > MAX_NESTING) {
      this.warnings.add(`A schema nests more than ${MAX_NESTING} levels deep; it was cut short.`);
      return { 'x-patchbay-truncated': true };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') continue;
      if (SCHEMA_MAPS.has(key) && isObject(value)) {
        const map: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) map[k] = this.convert(v, depth + 1);
        out[key] = map;
      } else
        out[key] =
          DATA_KEYS.has(key) || key.startsWith('x-ms-') || typeof value !== 'object' || value === null
            ? value
            : this.convert(value, depth + 1);
    }
    const result = typeof node.$ref === 'string' ? this.refTo(node.$ref, out) : out;
    this.converted.add(result);
    return result;
  }

  /** `{"$ref": "#/components/NAME"}` (with the node's other keys) for a definition's ref. */
  private refTo(ref: string, siblings: Record<string, unknown>): Record<string, unknown> {
    let name = this.names.get(ref);
    if (!this.names.has(ref)) {
      const target = this.lookup(ref);
      name = target === undefined ? undefined : this.newName(ref);
      this.names.set(ref, name);
      if (name !== undefined) {
        this.components[name] = {};
        this.pending.push([name, target]);
      }
    }
    return name === undefined ? siblings : { $ref: componentRef(name), ...siblings };
  }

  /** `Pet` for `#/definitions/Pet` and `#/components/schemas/Pet`, else the pointer's path; `_2`… when taken. */
  private newName(ref: string): string {
    const tokens = ref.replace(/^#\/?/, '').split('/').map(unescapePointer);
    const base =
      (tokens.length === 2 && tokens[0] === 'definitions') ||
      (tokens.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas')
        ? tokens[tokens.length - 1]
        : tokens.join('/') || 'root';
    let name = base;
    for (let n = 2; Object.prototype.hasOwnProperty.call(this.components, name); n++) name = `${base}_${n}`;
    return name;
  }
}
