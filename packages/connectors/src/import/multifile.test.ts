/**
 * Definitions published as a root file and the files it refers to: from a
 * folder, from a zip, and with operations written as `$ref`s to their own
 * files (not standard, but published that way).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { importConnector } from './load.js';
import { schemaView } from '../schemas.js';
import { resolveConnector } from '../resolve-operation.js';

const tmp = mkdtempSync(join(tmpdir(), 'patchbay-multifile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'openapi.yaml': `openapi: 3.0.3
info: { title: Pet Store Split, version: '1' }
servers: [{ url: 'https://pets.example.com/v1' }]
paths:
  /pets:
    get: { $ref: 'operations/list-pets.yaml' }
    post: { $ref: 'operations/add-pet.yaml' }
  /pets/{petId}:
    $ref: 'paths/pet.yaml'
`,
  'operations/list-pets.yaml': `operationId: ListPets
summary: List pets
parameters:
  - $ref: '../parameters.yaml#/limit'
responses:
  '200':
    description: Pets
    content:
      application/json:
        schema: { type: array, items: { $ref: '../schemas/pet.yaml' } }
`,
  'operations/add-pet.yaml': `operationId: AddPet
requestBody:
  content:
    application/json:
      schema: { $ref: '../schemas/pet.yaml' }
responses:
  '201': { description: Added, content: { application/json: { schema: { $ref: '../schemas/pet.yaml' } } } }
`,
  'paths/pet.yaml': `get:
  operationId: GetPet
  parameters:
    - { name: petId, in: path, required: true, schema: { type: string } }
  responses:
    '200': { description: A pet, content: { application/json: { schema: { $ref: '../schemas/pet.yaml' } } } }
`,
  'parameters.yaml': `limit: { name: limit, in: query, schema: { type: integer, maximum: 100 } }
`,
  'schemas/pet.yaml': `type: object
required: [name]
properties:
  id: { type: string }
  name: { type: string }
  owner: { $ref: './owner.yaml' }
`,
  'schemas/owner.yaml': `type: object
properties:
  email: { type: string, format: email }
  pets: { type: array, items: { $ref: './pet.yaml' } }
`,
};

function writeFolder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function expectPetStore(imported: Awaited<ReturnType<typeof importConnector>>) {
  const c = resolveConnector(imported);
  expect(c.operations.map((o) => o.id).sort()).toEqual(['AddPet', 'GetPet', 'ListPets']);
  const list = c.operations.find((o) => o.id === 'ListPets')!;
  expect(list.inputs.map((i) => i.name)).toEqual(['limit']);
  const add = c.operations.find((o) => o.id === 'AddPet')!;
  expect(add.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(['id', 'name']));
  expect(add.inputs.find((i) => i.name === 'name')?.required).toBe(true);
  const get = c.operations.find((o) => o.id === 'GetPet')!;
  expect(JSON.stringify(schemaView(c).expand(get.outputs.schema))).toContain('email');
  expect(c.warnings.join('\n')).toContain('2 operations are written as a $ref');
  expect(c.warnings.join('\n')).not.toContain('External reference');
}

describe('multi-file definitions', () => {
  it('imports the root file with every file it refers to, following operation-level $refs with a warning', async () => {
    const dir = writeFolder('split', FILES);
    expectPetStore(await importConnector(join(dir, 'openapi.yaml')));
  });

  it('finds the root definition of a folder', async () => {
    const dir = writeFolder('split-folder', FILES);
    const c = await importConnector(dir);
    expectPetStore(c);
    expect(c.source.path).toBe(dir);
  });

  it('imports the same definition from a zip, with or without a top folder', async () => {
    const enc = new TextEncoder();
    const flat = join(tmp, 'flat.zip');
    writeFileSync(flat, zipSync(Object.fromEntries(Object.entries(FILES).map(([p, t]) => [p, enc.encode(t)]))));
    expectPetStore(await importConnector(flat));
    const nested = join(tmp, 'nested.zip');
    writeFileSync(
      nested,
      zipSync(Object.fromEntries(Object.entries(FILES).map(([p, t]) => [`petstore/${p}`, enc.encode(t)]))),
    );
    expectPetStore(await importConnector(nested));
  });

  it('names the file it could not read, and never fetches a reference over HTTP', async () => {
    const dir = writeFolder('broken', {
      'openapi.yaml': FILES['openapi.yaml'].replace("'paths/pet.yaml'", "'paths/missing.yaml'"),
      'operations/list-pets.yaml': FILES['operations/list-pets.yaml'],
      'operations/add-pet.yaml': FILES['operations/add-pet.yaml'],
      'parameters.yaml': FILES['parameters.yaml'],
      'schemas/pet.yaml': FILES['schemas/pet.yaml'].replace("'./owner.yaml'", "'http://127.0.0.1:9/owner.yaml'"),
    });
    const err = await importConnector(join(dir, 'openapi.yaml')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connector.invalid' });
    expect((err as Error).message).toMatch(/missing\.yaml|owner\.yaml/);
    expect((err as { hint?: string }).hint).toContain('folder');
  });

  it('refuses a zip entry that would land outside its folder', async () => {
    const evil = join(tmp, 'evil.zip');
    writeFileSync(evil, zipSync({ '../escape.yaml': new TextEncoder().encode('openapi: 3.0.0') }));
    const err = await importConnector(evil).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connector.invalid' });
    expect(() => readFileSync(join(tmp, 'escape.yaml'))).toThrow();
  });
});
