/**
 * Power Platform deployment settings:
 *
 *     {"EnvironmentVariables": [{"SchemaName": "…", "Value": "…"}],
 *      "ConnectionReferences": [{"LogicalName": "…", "ConnectionId": "…", "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_x"}]}
 *
 * `settingsTemplate` writes the template for a solution; `parseSettings`
 * reads a file's text or an object and names the place (line:column for
 * broken JSON, a JSON pointer for a wrong shape) and the fix.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { PatchbayError } from '@patchbay/core';
import type { SolutionBundle } from './bundle.js';

export interface DeploymentSettings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

/** `ledger` → `/providers/Microsoft.PowerApps/apis/shared_ledger`. */
export function powerPlatformConnectorId(id: string): string {
  return `/providers/Microsoft.PowerApps/apis/shared_${id}`;
}

export function settingsTemplate(bundle: SolutionBundle): DeploymentSettings {
  return {
    EnvironmentVariables: bundle.variables.map((v) => ({ SchemaName: v.schemaName, Value: '' })),
    ConnectionReferences: bundle.references.map((r) => ({
      LogicalName: r.logicalName,
      ConnectionId: '',
      ConnectorId: powerPlatformConnectorId(r.connectorId),
    })),
  };
}

function bad(
  message: string,
  place: { pointer?: string; line?: number; column?: number; file?: string },
  hint: string,
): PatchbayError {
  return new PatchbayError('store.invalid', message, { place, hint });
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Reads settings from text (a file's content) or an object; `file` names it in errors. */
export function parseSettings(input: string | unknown, file = 'settings.json'): DeploymentSettings {
  let doc: unknown = input;
  if (typeof input === 'string') {
    const errors: ParseError[] = [];
    doc = parseJsonc(input, errors, { allowTrailingComma: false, disallowComments: true });
    if (errors.length) {
      const p = position(input, errors[0].offset);
      throw bad(
        `${file} is not valid JSON at line ${p.line}, column ${p.column} (${printParseErrorCode(errors[0].error)}).`,
        { file, ...p },
        'Fix the JSON there; `patchbay solution create-settings DIR --out FILE` writes a valid template.',
      );
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw bad(
      `${file} must be a JSON object with EnvironmentVariables and ConnectionReferences.`,
      { file, pointer: '' },
      'Start from the template `patchbay solution create-settings` writes.',
    );
  const o = doc as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'EnvironmentVariables' && key !== 'ConnectionReferences')
      throw bad(
        `${file} has an unknown property "${key}".`,
        { file, pointer: `/${key}` },
        'Only EnvironmentVariables and ConnectionReferences are allowed (names are case-sensitive).',
      );
  }
  const arr = (key: 'EnvironmentVariables' | 'ConnectionReferences') => {
    const v = o[key] ?? [];
    if (!Array.isArray(v))
      throw bad(`${key} in ${file} must be a list.`, { file, pointer: `/${key}` }, `Write "${key}": [ … ].`);
    return v as unknown[];
  };
  const entry = (key: string, i: number, v: unknown, fields: string[]): Record<string, string> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw bad(
        `Entry ${i} of ${key} in ${file} must be an object.`,
        { file, pointer: `/${key}/${i}` },
        `Give {${fields.map((f) => `"${f}": "…"`).join(', ')}}.`,
      );
    const e = v as Record<string, unknown>;
    for (const f of Object.keys(e))
      if (!fields.includes(f))
        throw bad(
          `Entry ${i} of ${key} in ${file} has an unknown property "${f}".`,
          { file, pointer: `/${key}/${i}/${f}` },
          `Its properties are ${fields.join(', ')}.`,
        );
    for (const f of fields) {
      if (typeof e[f] !== 'string')
        throw bad(
          `${key}[${i}].${f} in ${file} must be text${e[f] === undefined ? ' and is missing' : ''}.`,
          { file, pointer: `/${key}/${i}/${f}` },
          f === 'ConnectionId'
            ? 'Give a connection id from `patchbay connection list --env ENV`, or "" to leave it unbound.'
            : `Give "${f}" as text.`,
        );
    }
    return e as Record<string, string>;
  };
  return {
    EnvironmentVariables: arr('EnvironmentVariables').map((v, i) => {
      const e = entry('EnvironmentVariables', i, v, ['SchemaName', 'Value']);
      return { SchemaName: e.SchemaName, Value: e.Value };
    }),
    ConnectionReferences: arr('ConnectionReferences').map((v, i) => {
      const e = entry('ConnectionReferences', i, v, ['LogicalName', 'ConnectionId', 'ConnectorId']);
      return { LogicalName: e.LogicalName, ConnectionId: e.ConnectionId, ConnectorId: e.ConnectorId };
    }),
  };
}
