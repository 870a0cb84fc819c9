/**
 * The one mapper every JSON response goes through on its way out. The
 * platform already hands out secret-free objects (`toPublicConnection`, no
 * secret environment variable values); this is the last line: any field whose
 * name is one the store uses for a credential is dropped wherever it appears,
 * except inside the user's own documents (flow definitions, redacted step
 * data) and JSON Schemas, whose property names are not values.
 */
import type { FastifyInstance } from 'fastify';

/** Field names that hold credentials in any record the store or platform knows (compared in lower case). */
const SECRET_FIELDS = new Set([
  'secrets',
  'sealedsecrets',
  'sealed',
  'password',
  'passwordhash',
  'tokenhash',
  'accesstoken',
  'access_token',
  'refreshtoken',
  'refresh_token',
  'clientsecret',
  'client_secret',
  'codeverifier',
  'code_verifier',
  'masterkey',
  'cookie',
  'authorization',
  'api_key',
  'apikey',
  'secretvalue',
  'idtoken',
  'id_token',
]);
/** Subtrees that are the user's documents or schemas (flow definitions, step data already redacted by the engine, JSON Schemas). */
const DOCUMENTS = new Set(['definition', 'inputs', 'outputs', 'properties', 'schema']);

export function toPublic(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => toPublic(v, depth + 1));
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_FIELDS.has(k.toLowerCase())) continue;
    out[k] = DOCUMENTS.has(k) ? v : toPublic(v, depth + 1);
  }
  return out;
}

export function installPublicMapper(app: FastifyInstance): void {
  app.addHook('preSerialization', async (_request, _reply, payload) => toPublic(payload));
}
