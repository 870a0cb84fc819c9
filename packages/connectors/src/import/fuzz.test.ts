import { fileURLToPath } from 'node:url';
/**
 * Random mutations of real fixture JSON: the importer either returns a
 * connector that is plain JSON, or throws a PatchbayError saying what is
 * wrong (never `internal`, never anything else).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPatchbayError } from '@patchbay/core';
import { importConnectorFromObjects, importConnectorFromText } from './load.js';

const ROOT = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const SAMPLES = [
  'certified-connectors/JIRA',
  'certified-connectors/Asite (Hong Kong)',
  'independent-publisher-connectors/Open Data Network',
  'certified-connectors/Office 365 Users',
  'certified-connectors/Zoho Mail',
  'independent-publisher-connectors/Annature',
  'certified-connectors/Jedox OData Hub',
];
const load = (dir: string, file: string) => readFileSync(join(ROOT, dir, file), 'utf8').replace(/^\uFEFF/, '');
const samples = SAMPLES.map((dir) => ({
  dir,
  definition: load(dir, 'apiDefinition.swagger.json'),
  properties: load(dir, 'apiProperties.json'),
}));

type Path = (string | number)[];
function paths(value: unknown, limit = 4000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(value, []);
  return out;
}

type Mutation = {
  target: 'definition' | 'properties';
  at: number;
  kind: 'replace' | 'delete' | 'ref' | 'selfref' | 'type';
  value: unknown;
};

function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc);
  const path = all[m.at % all.length];
  if (path.length === 0) return m.kind === 'replace' ? m.value : doc;
  let parent = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  switch (m.kind) {
    case 'replace':
      parent[key] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'ref':
      parent[key] = { $ref: `#/${String(m.value)}` };
      break;
    case 'selfref':
      parent[key] = { $ref: `#/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` };
      break;
    case 'type':
      parent[key] = { type: m.value, properties: { a: { $ref: '#/definitions' } }, allOf: [m.value, { $ref: '#' }] };
      break;
  }
  return doc;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  target: fc.constantFrom('definition' as const, 'definition' as const, 'properties' as const),
  at: fc.nat(),
  kind: fc.constantFrom('replace' as const, 'delete' as const, 'ref' as const, 'selfref' as const, 'type' as const),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('definitions/x', 'paths', 'parameters', 'string', 'object', 'array', 'file', null, 42),
  ),
});

function expectConnectorOrClearError(run: () => unknown): void {
  try {
    const c = run();
    expect(typeof JSON.stringify(c)).toBe('string');
  } catch (e) {
    if (!isPatchbayError(e)) throw e;
    expect(['connector.invalid', 'connector.unsupported']).toContain(e.code);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('importer under random mutations of fixture JSON', () => {
  it('never crashes on mutated documents', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, mutations) => {
        let definition: unknown = JSON.parse(samples[i].definition);
        let properties: unknown = JSON.parse(samples[i].properties);
        for (const m of mutations) {
          if (m.target === 'definition') definition = mutate(definition, m);
          else properties = mutate(properties, m);
        }
        expectConnectorOrClearError(() =>
          importConnectorFromObjects({ definition, apiProperties: properties, path: samples[i].dir }),
        );
      }),
      { numRuns: 300 },
    );
  }, 180_000);

  it('never crashes on mutated text', () => {
    fc.assert(
      fc.property(
        fc.nat(samples.length - 1),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 4 }),
        (i, at, cut, insert) => {
          const text = samples[i].definition;
          const pos = at % text.length;
          const mutated = text.slice(0, pos) + insert + text.slice(pos + cut);
          expectConnectorOrClearError(() =>
            importConnectorFromText(mutated, {
              fileName: 'apiDefinition.swagger.json',
              apiProperties: samples[i].properties,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  }, 180_000);
});
