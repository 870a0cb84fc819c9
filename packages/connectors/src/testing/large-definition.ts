/**
 * Generated OpenAPI 3.0 definitions the size of the largest real APIs, for
 * tests and `npm run bench:connectors`: many named schemas that refer to each
 * other through `anyOf: [string, $ref]` (a payment API's expandable fields),
 * `allOf`, arrays of themselves and a ring of parents (cycles everywhere),
 * and operations whose bodies and responses use them. Deterministic for a
 * given size.
 */

export interface LargeDefinitionOptions {
  /** Stop adding operations once the JSON text is at least this long. */
  bytes?: number;
  /** Or: exactly this many operations (two per path). */
  operations?: number;
  title?: string;
}

export interface LargeDefinition {
  /** The definition as JSON text. */
  text: string;
  operations: number;
  schemas: number;
}

/** A small deterministic generator (LCG). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['account', 'balance', 'charge', 'invoice', 'ledger', 'payout', 'refund', 'source', 'transfer', 'tax'];

export function largeDefinition(opts: LargeDefinitionOptions): LargeDefinition {
  const rnd = random(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const title = opts.title ?? 'Generated';
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const ref = (i: number) => ({ $ref: `#/components/schemas/S${i}` });
  let size = 200;
  let count = 0;
  for (let unit = 0; ; unit++) {
    if (opts.operations !== undefined ? count >= opts.operations : size >= (opts.bytes ?? 1_000_000)) break;
    const name = `S${unit}`;
    const properties: Record<string, unknown> = {
      id: { type: 'string', description: `Unique identifier of the ${pick(WORDS)}.` },
      amount: { type: 'integer', format: 'int64', description: 'Amount in the smallest currency unit.' },
      created: { type: 'string', format: 'date-time' },
      status: { type: 'string', enum: ['active', 'pending', 'closed'] },
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
      children: { type: 'array', items: ref(unit) },
    };
    // Expandable references to earlier schemas, and a ring: S0's parent is the newest schema at read time.
    for (let k = 0; k < 6 && unit > 0; k++) {
      const target = Math.floor(rnd() * unit);
      properties[`${pick(WORDS)}_${k}`] = {
        anyOf: [{ type: 'string', maxLength: 5000 }, ref(target)],
        description: `The ${pick(WORDS)} this refers to: its id, or the object when expanded.`,
        nullable: true,
      };
    }
    properties.parent = unit > 0 ? ref(unit - 1) : { $ref: '#/components/schemas/Root' };
    schemas[name] = {
      title: `${pick(WORDS)} ${unit}`,
      description: `A ${pick(WORDS)} object of the generated API, number ${unit}.`,
      ...(unit % 5 === 4
        ? { allOf: [ref(unit - 1), { type: 'object', properties: { extra: { type: 'string' } } }] }
        : {}),
      type: 'object',
      properties,
      required: ['id'],
    };
    const body = { content: { 'application/json': { schema: ref(unit) } } };
    const ok = { description: 'OK', content: { 'application/json': { schema: ref(unit) } } };
    const list = {
      description: 'OK',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { data: { type: 'array', items: ref(unit) }, has_more: { type: 'boolean' } },
          },
        },
      },
    };
    const path = {
      get: {
        operationId: `List${name}`,
        summary: `List ${pick(WORDS)} ${unit}`,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
          { name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: { '200': list },
      },
      post: {
        operationId: `Create${name}`,
        summary: `Create ${pick(WORDS)} ${unit}`,
        requestBody: body,
        responses: { '200': ok },
      },
    };
    paths[`/v1/${pick(WORDS)}s/${unit}`] = path;
    count += 2;
    size += JSON.stringify(schemas[name]).length + JSON.stringify(path).length + 40;
  }
  const last = Object.keys(schemas).length - 1;
  const definition = {
    openapi: '3.0.3',
    info: { title, version: '1.0.0', description: 'A generated API with shared, cyclic schemas.' },
    servers: [{ url: 'https://api.generated.example.test' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      },
      schemas: { ...schemas, Root: { ...ref(Math.max(last, 0)) } },
    },
    security: [{ bearer: [] }, { key: [] }],
    paths,
  };
  return { text: JSON.stringify(definition), operations: count, schemas: Object.keys(schemas).length + 1 };
}
