import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { connectorUploadBody, errorPlace, importErrorText, toBase64 } from './connectorUpload.js';

describe('connectorUploadBody', () => {
  it('sends an OpenAPI file with its name, so the server reads YAML as YAML', () => {
    expect(
      connectorUploadBody({ kind: 'openapi', file: { name: 'ledger.yaml', text: 'openapi: 3.0.0' } }, ' ledger '),
    ).toEqual({ openapi: 'openapi: 3.0.0', fileName: 'ledger.yaml', id: 'ledger' });
    expect(connectorUploadBody({ kind: 'openapi', file: { name: 'a.json', text: '{}' } }, '')).toEqual({
      openapi: '{}',
      fileName: 'a.json',
    });
  });

  it('sends a folder under the Power Platform file names, whatever the picked files are called', () => {
    const body = connectorUploadBody(
      {
        kind: 'folder',
        definition: { name: 'def (1).json', text: 'D' },
        properties: { name: 'props.json', text: 'P' },
        iconBase64: 'AQI=',
      },
      '',
    );
    expect(body).toEqual({
      files: { 'apiDefinition.swagger.json': 'D', 'apiProperties.json': 'P', 'icon.png': 'AQI=' },
    });
  });

  it('names the missing file', () => {
    expect(connectorUploadBody({ kind: 'openapi', file: null }, '')).toEqual({
      missing: 'Choose an OpenAPI file (JSON or YAML).',
    });
    expect(connectorUploadBody({ kind: 'folder', definition: { name: 'a', text: 'D' }, properties: null }, '')).toEqual(
      { missing: "Choose the folder's apiProperties.json." },
    );
  });
});

describe('importErrorText', () => {
  it('puts the file, line and column first', () => {
    const e = new ApiError(400, {
      error: {
        code: 'connector.invalid',
        message: 'YAML syntax error.',
        hint: 'Fix it.',
        file: 'ledger.yaml',
        line: 3,
        column: 10,
      },
    });
    expect(errorPlace(e)).toBe('ledger.yaml, line 3, column 10');
    expect(importErrorText(e)).toBe('ledger.yaml, line 3, column 10: YAML syntax error. Fix it.');
  });

  it('shows only the message when the server names no place', () => {
    expect(importErrorText(new ApiError(409, { error: { code: 'store.conflict', message: 'Taken.' } }))).toBe('Taken.');
    expect(importErrorText(new Error('offline'))).toBe('offline');
  });
});

it('encodes bytes as base64', () => {
  expect(toBase64(new Uint8Array([137, 80, 78, 71]))).toBe('iVBORw==');
});
