/**
 * The normalised view `patchbay connector inspect --json` prints: what a user
 * needs to build a connection and call operations, without the raw schemas.
 * Holds no secrets (a connector model holds none: only parameter definitions).
 */
import { resolveOperation } from '../resolve-operation.js';
import type { AuthScheme, Connector, Operation } from '../model.js';

export interface ConnectorDescription {
  id: string;
  displayName: string;
  description: string;
  publisher?: string;
  version?: string;
  brandColor: string;
  baseUrl: string;
  source: Connector['source'];
  testOperationId?: string;
  authSchemes: {
    name: string;
    displayName: string;
    type: AuthScheme['type'];
    apiKey?: AuthScheme['apiKey'];
    oauth2?: { identityProvider: string; flow: string; authorizationUrl?: string; tokenUrl?: string; scopes: string[] };
    parameters: {
      name: string;
      type: string;
      displayName: string;
      required: boolean;
      secret: boolean;
      hidden?: boolean;
      allowedValues?: string[];
    }[];
  }[];
  operations: {
    id: string;
    method: string;
    path: string;
    summary: string;
    visibility: Operation['visibility'];
    deprecated: boolean;
    usableAsAction: boolean;
    notUsableReason?: string;
    needsCustomCode?: boolean;
    pageable?: boolean;
    bodyKind: Operation['bodyKind'];
    inputs: {
      name: string;
      key: string;
      in: string;
      type: string;
      required: boolean;
      visibility: string;
      dynamicValues?: string;
      dynamicSchema?: string;
    }[];
    outputs: { key: string; type: string; inArray?: boolean }[];
    policies?: string[];
  }[];
  policies: { templateId: string; title: string; operations?: string[] }[];
  warnings: string[];
}

function describeScheme(s: AuthScheme): ConnectorDescription['authSchemes'][number] {
  const d: ConnectorDescription['authSchemes'][number] = {
    name: s.name,
    displayName: s.displayName,
    type: s.type,
    parameters: s.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      displayName: p.displayName,
      required: p.required,
      secret: p.secret,
      ...(p.hidden ? { hidden: true } : {}),
      ...(p.allowedValues ? { allowedValues: p.allowedValues.map((v) => v.value) } : {}),
    })),
  };
  if (s.apiKey) d.apiKey = s.apiKey;
  if (s.oauth2) {
    const { identityProvider, flow, authorizationUrl, tokenUrl, scopes } = s.oauth2;
    d.oauth2 = {
      identityProvider,
      flow,
      scopes,
      ...(authorizationUrl ? { authorizationUrl } : {}),
      ...(tokenUrl ? { tokenUrl } : {}),
    };
  }
  return d;
}

function describeOperation(o: Operation): ConnectorDescription['operations'][number] {
  const d: ConnectorDescription['operations'][number] = {
    id: o.id,
    method: o.method,
    path: o.path,
    summary: o.summary,
    visibility: o.visibility,
    deprecated: o.deprecated,
    usableAsAction: o.usableAsAction,
    bodyKind: o.bodyKind,
    inputs: o.inputs.map((i) => ({
      name: i.name,
      key: i.key,
      in: i.in,
      type: i.type,
      required: i.required,
      visibility: i.visibility,
      ...(i.dynamicValues ? { dynamicValues: i.dynamicValues.operationId || i.dynamicValues.capability || '' } : {}),
      ...(i.dynamicSchema ? { dynamicSchema: i.dynamicSchema.operationId } : {}),
    })),
    outputs: o.outputs.fields.map((f) => ({ key: f.key, type: f.type, ...(f.inArray ? { inArray: true } : {}) })),
  };
  if (o.notUsableReason) d.notUsableReason = o.notUsableReason;
  if (o.needsCustomCode) d.needsCustomCode = true;
  if (o.pageable) d.pageable = true;
  if (o.policies.length > 0) d.policies = o.policies.map((p) => p.templateId);
  return d;
}

/** The JSON `patchbay connector inspect --json` prints. */
export function describeConnector(c: Connector): ConnectorDescription {
  const d: ConnectorDescription = {
    id: c.id,
    displayName: c.displayName,
    description: c.description,
    brandColor: c.brandColor,
    baseUrl: c.baseUrl,
    source: c.source,
    authSchemes: c.authSchemes.map(describeScheme),
    operations: c.operations.map((o) => describeOperation(resolveOperation(c, o))),
    policies: c.policies.map((p) => ({
      templateId: p.templateId,
      title: p.title,
      ...(p.operations ? { operations: p.operations } : {}),
    })),
    warnings: c.warnings,
  };
  if (c.publisher) d.publisher = c.publisher;
  if (c.version) d.version = c.version;
  if (c.testOperationId) d.testOperationId = c.testOperationId;
  return d;
}
