/**
 * The import pipeline from parsed documents: detect the version, extract
 * auth, extract operations (schemas mapped on the way), attach policies and
 * read the connector's metadata. Lenient: what Power Platform would accept
 * imports, with warnings for what Patchbay cannot use.
 */
import { PatchbayError } from '@patchbay/core';
import { DEFAULT_BRAND_COLOR, type AuthScheme, type Connector } from '../model.js';
import { extractOpenApiAuth, operationSecurity } from './auth-openapi.js';
import { extractPowerPlatformAuth } from './auth-power-platform.js';
import { normalizeConnectorId } from './id.js';
import { extractOperations } from './operations.js';
import { attachPolicies, extractPolicies } from './policies.js';
import { RefResolver } from './refs.js';
import { extractEvents } from './events.js';
import { isObject, list, obj, str, strings, Warnings } from './util.js';

/** What a connector is built from; `apiProperties` makes it a Power Platform connector. */
export interface ConnectorDocuments {
  definition: unknown;
  apiProperties?: unknown;
  /** `icon.png` bytes. */
  icon?: Uint8Array;
  /** `script.csx` text, when the folder has one. */
  script?: string;
  /** Folder or file the documents came from (for `source.path` and error places). */
  path?: string;
  /** Name of the definition file, for error places (`apiDefinition.swagger.json`). */
  definitionFile?: string;
}

export interface ImportOptions {
  /** Overrides the id derived from the title. */
  id?: string;
}

function detectVersion(def: unknown, file: string): { isOpenApi3: boolean; specVersion: string } {
  if (!isObject(def))
    throw new PatchbayError(
      'connector.invalid',
      `${file} is not an API definition: expected a JSON or YAML object, found ${Array.isArray(def) ? 'a list' : def === null ? 'null' : typeof def}.`,
      { place: { file }, hint: 'Give a Swagger 2.0 or OpenAPI 3.x definition.' },
    );
  const swagger = def.swagger;
  const openapi = def.openapi;
  if (swagger !== undefined) {
    if (String(swagger).trim() === '2.0' || String(swagger).trim() === '2')
      return { isOpenApi3: false, specVersion: '2.0' };
    throw new PatchbayError(
      'connector.unsupported',
      `${file} is Swagger ${String(swagger)}; Patchbay imports Swagger 2.0 and OpenAPI 3.0 / 3.1.`,
      {
        place: { file, pointer: '/swagger' },
        hint: 'Convert the definition to OpenAPI 3 (for example with swagger2openapi or the Swagger editor).',
      },
    );
  }
  if (openapi !== undefined) {
    if (/^3\.[01](\.\d+)?(-.+)?$/.test(String(openapi).trim()))
      return { isOpenApi3: true, specVersion: String(openapi).trim() };
    throw new PatchbayError(
      'connector.unsupported',
      `${file} is OpenAPI ${String(openapi)}; Patchbay imports Swagger 2.0 and OpenAPI 3.0 / 3.1.`,
      { place: { file, pointer: '/openapi' } },
    );
  }
  if (isObject(def.paths)) return { isOpenApi3: false, specVersion: '2.0' };
  throw new PatchbayError(
    'connector.invalid',
    `${file} is not an API definition: it has no "swagger" or "openapi" version and no "paths".`,
    {
      place: { file },
      hint: 'Give a Swagger 2.0 or OpenAPI 3.x definition (a Power Platform folder holds it in apiDefinition.swagger.json).',
    },
  );
}

function baseUrl(doc: Record<string, unknown>, isOpenApi3: boolean, warnings: Warnings): string {
  if (isOpenApi3) {
    const server = obj(list(doc.servers)[0]);
    let url = str(server.url) ?? '';
    for (const [name, v] of Object.entries(obj(server.variables))) {
      const d = str(obj(v).default);
      if (d !== undefined) url = url.split(`{${name}}`).join(d);
    }
    if (url === '') warnings.add('The definition names no server; each connection must give a base URL.');
    else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
      warnings.add(`The server URL "${url}" is relative; each connection must give a base URL.`);
    return url.replace(/\/+$/, '');
  }
  const host = str(doc.host);
  if (!host) {
    warnings.add('The definition names no host; each connection must give a base URL.');
    return '';
  }
  const schemes = strings(doc.schemes).map((s) => s.toLowerCase());
  const scheme = schemes.includes('https') || schemes.length === 0 ? 'https' : schemes[0];
  const basePath = (str(doc.basePath) ?? '').replace(/^\/*/, '/').replace(/\/+$/, '');
  return `${scheme}://${host.replace(/\/+$/, '')}${basePath}`;
}

function brandColor(props: Record<string, unknown>, doc: Record<string, unknown>): string {
  const fromMetadata = list(doc['x-ms-connector-metadata'])
    .map(obj)
    .find((m) => str(m.propertyName)?.toLowerCase() === 'brandcolor');
  const color = str(props.iconBrandColor) ?? str(fromMetadata?.propertyValue) ?? str(obj(doc.info)['x-ms-brand-color']);
  return color && /^#?[0-9a-f]{3,8}$/i.test(color.trim())
    ? (color.trim().startsWith('#') ? color.trim() : `#${color.trim()}`).toLowerCase()
    : DEFAULT_BRAND_COLOR;
}

function scriptOperations(props: Record<string, unknown>, hasScript: boolean): Set<string> | undefined {
  if (!hasScript) return undefined;
  const listed = strings(props.scriptOperations);
  return new Set(listed.length > 0 ? listed : ['*']);
}

/** Builds the connector model from parsed documents. Throws PatchbayError `connector.invalid` / `connector.unsupported`. */
export function buildConnector(docs: ConnectorDocuments, opts: ImportOptions = {}): Connector {
  const file = docs.definitionFile ?? docs.path ?? 'definition';
  const { isOpenApi3, specVersion } = detectVersion(docs.definition, file);
  const doc = docs.definition as Record<string, unknown>;
  const warnings = new Warnings();
  const refs = new RefResolver(doc, warnings);
  const powerPlatform = docs.apiProperties !== undefined;
  const apiProperties = obj(docs.apiProperties);
  const props = obj(apiProperties.properties);
  if (powerPlatform && !isObject(apiProperties.properties))
    warnings.add(
      'apiProperties.json has no "properties" object; the connector was imported without connection parameters or policies.',
    );
  if (!isObject(doc.paths)) warnings.add('The definition has no "paths"; the connector has no operations.');

  const authSchemes: AuthScheme[] = powerPlatform
    ? extractPowerPlatformAuth(apiProperties, doc, warnings)
    : extractOpenApiAuth(doc, refs, warnings);
  const schemeNames = new Set(authSchemes.map((s) => s.name));
  const operations = extractOperations({
    doc,
    refs,
    warnings,
    isOpenApi3,
    scriptOperations: scriptOperations(props, docs.script !== undefined),
    security: powerPlatform ? undefined : (op) => operationSecurity(op.security, doc.security, schemeNames),
  });
  const { events, warning: eventsWarning } = extractEvents(doc, refs);
  if (eventsWarning) warnings.add(eventsWarning);
  const policies = extractPolicies(apiProperties, warnings);
  attachPolicies(operations, policies, warnings);

  const info = obj(doc.info);
  const title = str(info.title) ?? str(props.displayName);
  const id =
    opts.id !== undefined
      ? normalizeConnectorId(opts.id)
      : normalizeConnectorId(title ?? docs.path?.split(/[\\/]/).filter(Boolean).pop() ?? 'connector');
  if (!title) warnings.add('The definition has no info.title; the id was taken from the file or folder name.');
  const connector: Connector = {
    id,
    displayName: title ?? id,
    description: str(info.description) ?? '',
    brandColor: brandColor(props, doc),
    baseUrl: baseUrl(doc, isOpenApi3, warnings),
    authSchemes,
    operations,
    policies,
    source: { kind: powerPlatform ? 'power-platform' : 'openapi', specVersion },
    warnings: [],
  };
  if (events.length) connector.events = events;
  if (Object.keys(refs.components).length) connector.components = refs.components;
  if (docs.path) connector.source.path = docs.path;
  if (docs.icon && docs.icon.length > 0)
    connector.iconData = `data:image/png;base64,${Buffer.from(docs.icon).toString('base64')}`;
  const iconUrl = str(obj(info['x-logo']).url) ?? str(props.iconUrl);
  if (iconUrl) connector.iconUrl = iconUrl;
  const publisher = str(props.publisher) ?? str(obj(info.contact).name);
  if (publisher) connector.publisher = publisher;
  const version = str(info.version);
  if (version) connector.version = version;
  const capabilities = strings(props.capabilities);
  if (capabilities.length > 0) connector.capabilities = capabilities;
  const test = obj(obj(doc['x-ms-capabilities']).testConnection);
  const testId = str(test.operationId);
  if (testId) {
    if (operations.some((o) => o.id === testId)) connector.testOperationId = testId;
    else
      warnings.add(`The test-connection operation "${testId}" is not in the definition; connections cannot be tested.`);
    if (isObject(test.parameters)) connector.testOperationParameters = test.parameters;
  }
  if (docs.script !== undefined) {
    const n = operations.filter((o) => o.needsCustomCode).length;
    warnings.add(
      `script.csx customises ${n} operation${n === 1 ? '' : 's'}; Patchbay cannot run C# scripts, so calling ${n === 1 ? 'it' : 'them'} fails.`,
    );
  }
  connector.warnings = warnings.list();
  return connector;
}
