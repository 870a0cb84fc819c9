import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from './schema.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../schema/flow.schema.json');

describe('published flow schema', () => {
  it('packages/core/schema/flow.schema.json matches the TypeBox schema (rewritten when stale; rerun to pass)', () => {
    const expected = JSON.stringify(flowJsonSchema, null, 2) + '\n';
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = '';
    }
    if (current !== expected) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, expected);
    }
    expect(current, 'flow.schema.json was stale and has been regenerated; commit it').toBe(expected);
  });

  it('is plain JSON Schema with the step definition shared by every step list', () => {
    const s = flowJsonSchema as { $defs: Record<string, { properties: Record<string, unknown> }>; $ref: string };
    expect(s.$ref).toBe('Flow');
    expect(Object.keys(s.$defs)).toEqual(['Step', 'Subflow', 'Flow']);
    expect(s.$defs.Step.properties.then).toEqual({ type: 'array', items: { $ref: 'Step' } });
  });
});
