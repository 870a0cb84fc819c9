import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPatchbayError, type PatchbayError } from '@patchbay/core';
import { guarded, importConnector, importConnectorFromText } from './load.js';
import type { Connector } from '../model.js';
import { schemaView } from '../schemas.js';
import { resolveOperation } from '../resolve-operation.js';
import { normalizeConnectorId } from './id.js';

const tmp = mkdtempSync(join(tmpdir(), 'patchbay-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function failure(f: () => unknown): PatchbayError {
  try {
    f();
  } catch (e) {
    if (isPatchbayError(e)) return e;
    throw e;
  }
  throw new Error('expected a PatchbayError');
}
async function asyncFailure(p: Promise<unknown>): Promise<PatchbayError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isPatchbayError(e)) throw new Error(`expected a PatchbayError, got ${String(e)}`);
  return e;
}

const minimal = (extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      swagger: '2.0',
      info: { title: 'Mini Api' },
      host: 'mini.example.com',
      paths: { '/ping': { get: { operationId: 'Ping', responses: {} } } },
      ...extra,
    },
    null,
    2,
  );

describe('file encodings', () => {
  it('reads definitions saved as UTF-16 (little or big endian) or UTF-8 with a byte order mark', async () => {
    const text = minimal({ info: { title: 'Café Api' } });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    const files: [string, Buffer][] = [
      ['utf16le.json', le],
      ['utf16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['utf8bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      [
        'utf16le.yaml',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(
            "swagger: '2.0'\ninfo:\n  title: Café Api\npaths:\n  /ping:\n    get:\n      operationId: Ping\n      responses: {}\n",
            'utf16le',
          ),
        ]),
      ],
    ];
    for (const [name, bytes] of files) {
      const file = join(tmp, name);
      writeFileSync(file, bytes);
      const c = await importConnector(file);
      expect([name, c.id, c.displayName, c.operations.map((o) => o.id)]).toEqual([
        name,
        'cafe-api',
        'Café Api',
        ['Ping'],
      ]);
    }
  });
});

describe('JSON syntax errors', () => {
  it('names the line, column and what was expected', () => {
    const e = failure(() =>
      importConnectorFromText('{\n  "swagger": "2.0",\n  "info": {"title": "x"}\n  "paths": {}\n}', {
        fileName: 'api.json',
      }),
    );
    expect(e.code).toBe('connector.invalid');
    expect(e.place).toEqual({ file: 'api.json', line: 4, column: 3 });
    expect(e.message).toBe('Expected a comma or closing brace (found ""paths"").');
  });

  it('reports a trailing comma, a missing value and an unterminated string', () => {
    expect(failure(() => importConnectorFromText('{"a": 1,}', { fileName: 'a.json' })).message).toMatch(
      /^Expected a property name in double quotes/,
    );
    expect(failure(() => importConnectorFromText('{"a": }', { fileName: 'a.json' })).message).toMatch(
      /^Expected a value/,
    );
    expect(failure(() => importConnectorFromText('{"a": "x', { fileName: 'a.json' })).message).toMatch(
      /^Unterminated string/,
    );
  });

  it('says so when the file ends too early, and accepts a byte order mark', () => {
    const e = failure(() => importConnectorFromText('{"swagger": "2.0", "paths": {', { fileName: 'a.json' }));
    expect(e.message).toMatch(/the file ends too early/);
    expect(importConnectorFromText(`\uFEFF${minimal()}`, { fileName: 'a.json' }).id).toBe('mini-api');
  });

  it('reports YAML errors with line and column', () => {
    const e = failure(() =>
      importConnectorFromText('openapi: 3.0.0\ninfo:\n  title: x\n paths: {}\n', { fileName: 'api.yaml' }),
    );
    expect(e.code).toBe('connector.invalid');
    expect(e.place.file).toBe('api.yaml');
    expect(e.place.line).toBe(4);
    expect(e.message).toBe('YAML syntax error: All mapping items must start at the same column.');
  });

  it('reads a YAML file that starts with a flow mapping', () => {
    expect(
      importConnectorFromText('{openapi: 3.0.0, info: {title: Flow Style}, paths: {}}', { fileName: 'api.yaml' }).id,
    ).toBe('flow-style');
  });
});

describe('files that are not API definitions', () => {
  it('rejects an empty file, a list and an object without a version or paths', () => {
    expect(failure(() => importConnectorFromText('  ', { fileName: 'a.json' })).message).toMatch(/empty/);
    expect(failure(() => importConnectorFromText('[1, 2]', { fileName: 'a.json' })).message).toMatch(
      /not an API definition: expected a JSON or YAML object, found a list/,
    );
    expect(failure(() => importConnectorFromText('name: hello\n', { fileName: 'a.yaml' })).message).toMatch(
      /no "swagger" or "openapi" version and no "paths"/,
    );
  });

  it('says which versions are supported', () => {
    const old = failure(() => importConnectorFromText('{"swagger": "1.2", "apis": []}', { fileName: 'old.json' }));
    expect(old.code).toBe('connector.unsupported');
    expect(old.message).toMatch(/Swagger 1\.2; Patchbay imports Swagger 2\.0 and OpenAPI 3\.0 \/ 3\.1/);
    expect(failure(() => importConnectorFromText('openapi: 4.0.0\npaths: {}\n', { fileName: 'new.yaml' })).code).toBe(
      'connector.unsupported',
    );
  });

  it('imports a definition without paths or host, with warnings', () => {
    const c = importConnectorFromText('{"swagger": "2.0", "info": {"title": "Empty"}}', { fileName: 'e.json' });
    expect(c.operations).toEqual([]);
    expect(c.baseUrl).toBe('');
    expect(c.authSchemes).toEqual([{ name: 'none', displayName: 'No authentication', type: 'none', parameters: [] }]);
    expect(c.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/no "paths"/), expect.stringMatching(/no host/)]),
    );
  });
});

describe('hostile definitions', () => {
  it('rejects JSON nested too deeply to read, as connector.invalid', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const e = failure(() =>
      importConnectorFromText(
        `{"swagger":"2.0","paths":{"/a":{"get":{"parameters":[{"name":"q","in":"query","default":${deep}}]}}}}`,
        { fileName: 'deep.json' },
      ),
    );
    expect(e.code).toBe('connector.invalid');
    expect(e.message).toMatch(/nested too deeply/);
  });

  it('treats a parameter that refers to itself as empty, with a warning', () => {
    const c = importConnectorFromText(
      JSON.stringify({
        swagger: '2.0',
        info: { title: 'Loop' },
        paths: { '/x': { get: { operationId: 'X', parameters: [{ $ref: '#/paths/~1x/get/parameters/0' }] } } },
      }),
      { fileName: 'loop.json' },
    );
    expect(c.operations[0].inputs).toEqual([]);
    expect(c.warnings).toContain('Reference "#/paths/~1x/get/parameters/0" refers to itself; it was treated as empty.');
  });

  it('keeps schemas that multiply through references shared, and cuts their expansion short', () => {
    const definitions: Record<string, unknown> = { d0: { type: 'string' } };
    for (let i = 1; i < 40; i++)
      definitions[`d${i}`] = {
        type: 'object',
        properties: { a: { $ref: `#/definitions/d${i - 1}` }, b: { $ref: `#/definitions/d${i - 1}` } },
      };
    const c = importConnectorFromText(
      JSON.stringify({
        swagger: '2.0',
        info: { title: 'Bomb' },
        definitions,
        paths: { '/a': { get: { operationId: 'A', responses: { 200: { schema: { $ref: '#/definitions/d39' } } } } } },
      }),
      { fileName: 'bomb.json' },
    );
    expect(JSON.stringify(c).length).toBeLessThan(20_000);
    expect(Object.keys(c.components ?? {})).toHaveLength(40);
    const a = c.operations.find((o) => o.id === 'A')!;
    expect(resolveOperation(c, a).outputs.fields.length).toBeGreaterThan(10);
    expect(JSON.stringify(schemaView(c).expand(a.outputs.schema))).toContain('x-patchbay-truncated');
  });
});

describe('folders and files on disk', () => {
  it('says when nothing is at the path', async () => {
    const e = await asyncFailure(importConnector(join(tmp, 'nope')));
    expect(e.code).toBe('connector.invalid');
    expect(e.message).toMatch(/No file or folder at/);
  });

  it('says when a folder has no definition, or when given apiProperties.json itself', async () => {
    const dir = join(tmp, 'empty-folder');
    mkdirSync(dir);
    expect((await asyncFailure(importConnector(dir))).message).toMatch(/has no apiDefinition\.swagger\.json/);
    writeFileSync(join(dir, 'apiProperties.json'), '{"properties": {}}');
    expect((await asyncFailure(importConnector(join(dir, 'apiProperties.json')))).message).toMatch(
      /connection settings, not an API definition, and its folder has no apiDefinition/,
    );
  });

  it('imports the whole folder when given one of its two files', async () => {
    const dir = join(tmp, 'pair');
    mkdirSync(dir);
    writeFileSync(join(dir, 'apiDefinition.swagger.json'), minimal());
    writeFileSync(
      join(dir, 'apiProperties.json'),
      JSON.stringify({ properties: { connectionParameters: { api_key: { type: 'securestring' } } } }),
    );
    for (const file of ['apiDefinition.swagger.json', 'apiProperties.json']) {
      const c = await importConnector(join(dir, file));
      expect(c.source).toMatchObject({ kind: 'power-platform', path: dir });
      expect(c.authSchemes[0].parameters.map((p) => p.name)).toEqual(['api_key']);
    }
  });

  it('reads the icon, the script operations and the publisher of a folder', async () => {
    const dir = join(tmp, 'scripted');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'apiDefinition.swagger.json'),
      minimal({
        paths: {
          '/a': { get: { operationId: 'A', responses: {} } },
          '/b': { get: { operationId: 'B', responses: {} } },
        },
      }),
    );
    writeFileSync(
      join(dir, 'apiProperties.json'),
      JSON.stringify({
        properties: {
          publisher: 'Contoso',
          iconBrandColor: '#ABCDEF',
          scriptOperations: ['B'],
          connectionParameters: {},
        },
      }),
    );
    writeFileSync(join(dir, 'script.csx'), 'public class Script : ScriptBase {}');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    writeFileSync(join(dir, 'icon.png'), png);
    const c = await importConnector(dir, { id: 'Contoso Mini' });
    expect(c.id).toBe('contoso-mini');
    expect(c.publisher).toBe('Contoso');
    expect(c.brandColor).toBe('#abcdef');
    expect(c.iconData).toBe(`data:image/png;base64,${png.toString('base64')}`);
    expect(c.operations.map((o) => [o.id, o.needsCustomCode ?? false])).toEqual([
      ['A', false],
      ['B', true],
    ]);
    expect(c.warnings.some((w) => w.includes('script.csx'))).toBe(true);
  });

  it('reads a single JSON file as an OpenAPI connector', async () => {
    const file = join(tmp, 'mini.json');
    writeFileSync(file, minimal());
    const c = await importConnector(file);
    expect(c.source).toEqual({ kind: 'openapi', specVersion: '2.0', path: file });
    expect(c.operations.map((o) => o.id)).toEqual(['Ping']);
  });
});

describe('normalizeConnectorId', () => {
  it.each([
    ['HubSpot CRM V2', 'hubspot-crm-v2'],
    ['Ledger', 'ledger'],
    ['Asite (Hong Kong)', 'asite-hong-kong'],
    ['  Café Größe!  ', 'cafe-gro-e'],
    ['/providers/Microsoft.PowerApps/apis/shared_office365', 'office365'],
    ['shared_sharepointonline', 'sharepointonline'],
    ['!!!', 'connector'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeConnectorId(input)).toBe(expected);
  });
});

describe('a model too large to store', () => {
  it('says what happened and which operations weigh most, not that the file nests too deeply', () => {
    const op = (id: string, huge: boolean) => ({
      id,
      toJSON() {
        if (huge) throw new RangeError('Invalid string length');
        return { id };
      },
    });
    const model = {
      id: 'payments',
      operations: [op('ListCharges', false), op('CreateCharge', true), op('GetBalance', false)],
    } as unknown as Connector;
    let err: unknown;
    try {
      guarded('payments.json', () => model);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'connector.invalid' });
    const message = (err as Error).message;
    expect(message).toContain('larger than one JSON text can hold');
    expect(message).toContain('3 operations');
    expect(message).toMatch(/The largest: CreateCharge \(over 512 MB\)/);
    expect(message).not.toContain('nested too deeply');
  });
});
