/**
 * `patchbay connector call`: tries one operation the way Power Platform's
 * "Test operation" does. Auth values come from a JSON file or PATCHBAY_AUTH_*
 * environment variables, never from argv; the printed request is redacted.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PatchbayError, parseInputValue, type ResolvedConnection, type Value } from '@patchbay/core';
import {
  closeConnectorPools,
  findOperation,
  importConnector,
  invokeOperation,
  type Connector,
} from '@patchbay/connectors';
import { jsonReplacer, printJson } from '../../output.js';
import { findConnector } from '../../connectors.js';

export interface CallOptions {
  env?: string;
  param?: Record<string, string>;
  baseUrl?: string;
  authFile?: string;
  scheme?: string;
  timeout?: string;
  retries?: string;
  json?: boolean;
}

export async function loadConnector(pathOrId: string, env = 'default', operationId?: string): Promise<Connector> {
  if (existsSync(pathOrId)) return importConnector(pathOrId);
  return findConnector(pathOrId, env, operationId);
}

async function readAuth(file: string | undefined): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('PATCHBAY_AUTH_') && v !== undefined) values[k.slice('PATCHBAY_AUTH_'.length).toLowerCase()] = v;
  }
  if (!file) return values;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PatchbayError('connector.invalid', `Cannot read the auth file ${file}: ${(e as Error).message}`, {
      place: { file },
      hint: 'Give a JSON object of connection parameter values, e.g. {"api_key": "…"}.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text it could not read, which here is secret.
    throw new PatchbayError('connector.invalid', `The auth file ${file} is not valid JSON`, {
      place: { file },
      hint: 'Give a JSON object of connection parameter values, e.g. {"api_key": "…"}.',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PatchbayError('connector.invalid', `The auth file ${file} must hold a JSON object`, {
      place: { file },
      hint: 'e.g. {"api_key": "…"}',
    });
  }
  return { ...values, ...(parsed as Record<string, unknown>) };
}

export async function connectorCallCommand(pathOrId: string, operationId: string, opts: CallOptions): Promise<void> {
  const connector = await loadConnector(pathOrId, opts.env, operationId);
  const op = findOperation(connector, operationId);
  const params: Record<string, Value> = {};
  for (const [name, text] of Object.entries(opts.param ?? {})) {
    const input = op.inputs.find((i) => i.name === name);
    if (!input)
      throw new PatchbayError('action.param', `Operation ${op.id} has no parameter '${name}'`, {
        hint: `Its parameters are: ${op.inputs.map((i) => i.name).join(', ') || 'none'}.`,
      });
    const type =
      input.type === 'integer' || input.type === 'number'
        ? 'number'
        : input.type === 'boolean'
          ? 'boolean'
          : input.type === 'array'
            ? 'list'
            : input.type === 'object'
              ? 'object'
              : 'text';
    params[name] = parseInputValue(text, type, name);
  }
  const retries = Number(opts.retries ?? 0);
  if (!Number.isInteger(retries) || retries < 0)
    throw new PatchbayError('action.param', `--retries expects a whole number of 0 or more, not '${opts.retries}'`, {
      hint: 'e.g. --retries 2',
    });
  const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeout !== undefined && !(timeout > 0))
    throw new PatchbayError('action.param', `--timeout expects a number of seconds above 0, not '${opts.timeout}'`, {
      hint: 'e.g. --timeout 30',
    });
  const auth = await readAuth(opts.authFile);
  const token =
    typeof auth.token === 'string' ? auth.token : typeof auth.access_token === 'string' ? auth.access_token : undefined;
  const connection: ResolvedConnection = {
    connectionId: 'cli',
    connectorId: connector.id,
    scheme: opts.scheme,
    params: auth,
    baseUrl: opts.baseUrl,
    getAccessToken: token ? async () => token : undefined,
  };
  try {
    const result = await invokeOperation({
      connector,
      operation: op.id,
      params,
      connection,
      timeoutMs: timeout === undefined ? undefined : timeout * 1000,
      retry: { count: retries },
    });
    if (opts.json)
      printJson({
        request: result.request,
        response: { status: result.status, headers: result.headers, body: result.body },
      });
    else {
      process.stdout.write(`${result.request.method} ${result.request.url}\n`);
      for (const [k, v] of Object.entries(result.request.headers)) process.stdout.write(`${k}: ${v}\n`);
      process.stdout.write(`\n→ ${result.status}\n`);
      process.stdout.write(
        (typeof result.body === 'string' ? result.body : JSON.stringify(result.body, jsonReplacer, 2)) + '\n',
      );
    }
  } finally {
    await closeConnectorPools();
  }
}
