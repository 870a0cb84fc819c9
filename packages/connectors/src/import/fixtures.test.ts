import { fileURLToPath } from 'node:url';
/**
 * Every Power Platform fixture imports, or gives a clear error. Facts are
 * checked against each fixture's own JSON (operation counts, methods and
 * paths, connection parameters, policy template ids, dynamic values, body
 * fields, triggers, script operations) rather than against snapshots.
 */
import { resolveConnector } from '../resolve-operation.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPatchbayError, type PatchbayError } from '@patchbay/core';
import { importConnector } from './load.js';
import type { Connector } from '../model.js';

const ROOT = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const BROKEN: Record<string, { file: string; line: number; message: RegExp }> = {
  'certified-connectors/Shopranos': {
    file: 'apiProperties.json',
    line: 22,
    message: /Expected a comma or closing brace \(the file ends too early\)/,
  },
  'certified-connectors/ZohoSign': {
    file: 'apiDefinition.swagger.json',
    line: 14,
    message: /Unexpected character .*U\+2003/,
  },
  'independent-publisher-connectors/StabilityAI': {
    file: 'apiDefinition.swagger.json',
    line: 16,
    message: /Expected a comma or closing brace/,
  },
};
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, any>;
const folders = ['certified-connectors', 'custom-connectors', 'independent-publisher-connectors'].flatMap((g) =>
  readdirSync(join(ROOT, g)).map((d) => `${g}/${d}`),
);
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));

/** Follows local refs in the raw JSON (tests only; one level is enough for these checks). */
function resolve(doc: Json, node: unknown): Json {
  let n = node as Json;
  for (let i = 0; i < 10 && n && typeof n.$ref === 'string' && n.$ref.startsWith('#/'); i++) {
    n = n.$ref
      .slice(2)
      .split('/')
      .reduce((o: Json | undefined, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Json;
  }
  return n ?? {};
}

function rawOperations(doc: Json): { method: string; path: string; op: Json; pathItem: Json }[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Json)[m] && typeof (item as Json)[m] === 'object').map((m) => ({
      method: m.toUpperCase(),
      path,
      op: (item as Json)[m] as Json,
      pathItem: item as Json,
    })),
  );
}

describe('Power Platform fixtures', () => {
  it('finds the 37 fixtures', () => {
    expect(folders).toHaveLength(37);
  });

  for (const folder of folders) {
    const dir = join(ROOT, folder);
    if (BROKEN[folder]) {
      it(`${folder}: broken JSON gives file, line, column and what was expected`, async () => {
        const expected = BROKEN[folder];
        const e = (await importConnector(dir).then(
          () => undefined,
          (err: unknown) => err,
        )) as PatchbayError;
        expect(isPatchbayError(e)).toBe(true);
        expect(e.code).toBe('connector.invalid');
        expect(e.place.file).toBe(join(dir, expected.file));
        expect(e.place.line).toBe(expected.line);
        expect(e.place.column).toBeGreaterThan(0);
        expect(e.message).toMatch(expected.message);
        expect(e.message).not.toMatch(/\n\s+at /);
      });
      continue;
    }

    describe(folder, () => {
      const doc = readJson(join(dir, 'apiDefinition.swagger.json'));
      const props = (readJson(join(dir, 'apiProperties.json')).properties ?? {}) as Json;
      const raw = rawOperations(doc);
      let c: Connector;
      const load = async () => (c ??= resolveConnector(await importConnector(dir)));

      it('imports every operation with its method, path and trigger flag', async () => {
        await load();
        expect(c.source.kind).toBe('power-platform');
        expect(c.operations).toHaveLength(raw.length);
        const ids = new Set(c.operations.map((o) => o.id));
        expect(ids.size).toBe(c.operations.length);
        for (const r of raw) {
          const o = c.operations.find((x) => x.method === r.method && x.path === r.path);
          expect(o, `${r.method} ${r.path}`).toBeDefined();
          if (typeof r.op.operationId === 'string') expect(o!.id.startsWith(r.op.operationId)).toBe(true);
          expect(o!.isTrigger).toBe(r.op['x-ms-trigger'] !== undefined);
          expect(o!.usableAsAction).toBe(r.op['x-ms-trigger'] === undefined);
          if (r.op['x-ms-pageable']) expect(o!.pageable?.nextLinkName).toBe(r.op['x-ms-pageable'].nextLinkName ?? null);
        }
      });

      it('keeps every connection parameter of every parameter set', async () => {
        await load();
        const sets: Json[] = props.connectionParameterSets?.values ?? [
          { name: 'default', parameters: props.connectionParameters ?? {} },
        ];
        expect(c.authSchemes.map((s) => s.name)).toEqual(sets.map((s) => s.name));
        for (const set of sets) {
          const scheme = c.authSchemes.find((s) => s.name === set.name)!;
          for (const [name, def] of Object.entries(set.parameters ?? {}) as [string, Json][]) {
            const p = scheme.parameters.find((x) => x.name === name);
            expect(p, `${set.name}/${name}`).toBeDefined();
            expect(p!.required).toBe(String(def.uiDefinition?.constraints?.required) === 'true');
            if (def.type === 'securestring' || def.type === 'oauthSetting') expect(p!.secret).toBe(true);
            if (def.uiDefinition?.displayName) expect(p!.displayName).toBe(def.uiDefinition.displayName);
          }
          const oauth = Object.values(set.parameters ?? {}).find((d: any) => d.type === 'oauthSetting') as
            Json | undefined;
          if (oauth) {
            expect(scheme.type).toBe('oauth2');
            expect(scheme.oauth2?.identityProvider).toBe(String(oauth.oAuthSettings.identityProvider).toLowerCase());
          }
        }
      });

      it('keeps policy templates with lower-cased ids and their operation scope', async () => {
        await load();
        const instances: Json[] = props.policyTemplateInstances ?? [];
        expect(c.policies.map((p) => p.templateId)).toEqual(instances.map((p) => String(p.templateId).toLowerCase()));
        for (const [i, p] of instances.entries()) {
          const scope = p.parameters?.['x-ms-apimTemplate-operationName'];
          expect(c.policies[i].operations).toEqual(
            scope === undefined || [scope].flat().length === 0 ? undefined : [scope].flat(),
          );
          for (const id of c.policies[i].operations ?? []) {
            const o = c.operations.find((x) => x.id === id);
            if (o) expect(o.policies).toContain(c.policies[i]);
          }
        }
      });

      it('reads dynamic values on parameters and flattens object bodies into fields', async () => {
        await load();
        for (const r of raw) {
          const o = c.operations.find((x) => x.method === r.method && x.path === r.path)!;
          const params = [...(r.pathItem.parameters ?? []), ...(r.op.parameters ?? [])].map((p) => resolve(doc, p));
          for (const p of params) {
            const dyn = p['x-ms-dynamic-list'] ?? p['x-ms-dynamic-values'];
            if (p.in !== 'body' && dyn?.operationId) {
              const input = o.inputs.find((i) => i.wireName === p.name && i.in === p.in);
              expect(input?.dynamicValues?.operationId, `${o.id} ${p.name}`).toBe(dyn.operationId);
            }
            if (p.in === 'body') {
              const schema = resolve(doc, p.schema);
              const top = Object.entries(schema.properties ?? {}).filter(([, s]) => !resolve(doc, s).readOnly);
              if (
                top.length > 0 &&
                !schema['x-ms-dynamic-schema'] &&
                !schema['x-ms-dynamic-properties'] &&
                !schema.allOf
              ) {
                for (const [prop] of top)
                  expect(
                    o.inputs.some((i) => i.in === 'body' && i.bodyPath?.[0] === prop),
                    `${o.id} body/${prop}`,
                  ).toBe(true);
              }
            }
          }
        }
      });

      it('marks the operations script.csx covers', async () => {
        await load();
        const hasScript = existsSync(join(dir, 'script.csx'));
        const listed: string[] = props.scriptOperations ?? [];
        for (const o of c.operations) {
          const expected = hasScript && (listed.length === 0 || listed.includes(o.id));
          expect(o.needsCustomCode ?? false, o.id).toBe(expected);
        }
      });

      it('reads brand colour, test operation and base URL', async () => {
        await load();
        if (props.iconBrandColor) expect(c.brandColor).toBe(String(props.iconBrandColor).toLowerCase());
        const test = doc['x-ms-capabilities']?.testConnection?.operationId;
        if (test) expect(c.testOperationId).toBe(test);
        expect(c.baseUrl.startsWith(`https://${doc.host}`)).toBe(true);
        expect(() => JSON.stringify(c)).not.toThrow();
      });
    });
  }
});

describe('specific fixtures', () => {
  it('JIRA: basic auth, a flattened issue body and dynamic values that refer to another input', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'certified-connectors/JIRA')));
    expect(c.authSchemes[0]).toMatchObject({ type: 'basic' });
    const create = c.operations.find((o) => o.id === 'CreateIssue')!;
    const issueType = create.inputs.find((i) => i.key === 'body/fields/issuetype/id')!;
    expect(issueType).toMatchObject({
      name: 'fields.issuetype.id',
      bodyPath: ['fields', 'issuetype', 'id'],
      required: true,
    });
    expect(issueType.dynamicValues).toMatchObject({
      operationId: 'ListIssueTypes',
      parameters: { projectKey: { parameter: 'projectKey' } },
    });
    expect(create.policies.map((p) => p.templateId)).toEqual(['routerequesttoendpoint', 'dynamichosturl']);
  });

  it('Open Data Network: two parameter sets become an API-key scheme and a basic scheme', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'independent-publisher-connectors/Open Data Network')));
    const [api, basic] = c.authSchemes;
    expect(api).toMatchObject({
      name: 'api-auth',
      type: 'apiKey',
      apiKey: { in: 'header', name: 'X-App-Token', parameter: 'api_key' },
    });
    expect(api.parameters.find((p) => p.name === 'environment')).toMatchObject({
      default: 'api.us.socrata.com',
      allowedValues: [
        { value: 'api.us.socrata.com', title: 'North America' },
        { value: 'api.eu.socrata.com', title: 'EU' },
      ],
    });
    expect(basic).toMatchObject({ name: 'basic-auth', type: 'basic' });
    expect(c.policies.map((p) => p.templateId)).toContain('dynamichosturl');
  });

  it('Office 365 Users: Azure AD with tenant, resource and endpoints', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'certified-connectors/Office 365 Users')));
    expect(c.authSchemes[0].oauth2).toMatchObject({
      identityProvider: 'aad',
      tenantId: 'common',
      resourceUri: 'https://graph.microsoft.com',
      tokenUrl: 'https://login.windows.net/common/oauth2/token',
    });
    expect(c.authSchemes[0].oauth2?.scopes).toEqual(['Sites.Read.All', 'User.ReadBasic.All', 'User.ReadWrite']);
  });

  it('Zoho Mail: generic OAuth2 URL templates', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'certified-connectors/Zoho Mail')));
    expect(c.authSchemes[0].oauth2).toMatchObject({
      identityProvider: 'oauth2generic',
      authorizationUrl: 'https://accounts.zoho{CustomHost}/oauth/v2/auth',
      tokenUrl: 'https://accounts.zoho{CustomHost}/oauth/v2/token',
    });
  });

  it('Annature: two API-key headers, both sent', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'independent-publisher-connectors/Annature')));
    expect(c.authSchemes[0].apiKey).toEqual({ in: 'header', name: 'X-Annature-Key', parameter: 'api_key' });
    expect(c.authSchemes[0].additionalApiKeys).toEqual([
      { in: 'header', name: 'X-Annature-Id', parameter: 'api_client_id' },
    ]);
  });

  it('HubSpot CRM V2: 188 operations from the 1 MB definition', async () => {
    const c = resolveConnector(await importConnector(join(ROOT, 'independent-publisher-connectors/HubSpot CRM V2')));
    expect(c.id).toBe('hubspot-crm-v2');
    expect(c.operations).toHaveLength(188);
  });
});
