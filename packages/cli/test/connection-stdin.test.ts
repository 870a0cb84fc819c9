// `patchbay connection create --secrets-stdin`: each secret is a JSON string (or number, or boolean), never a nested value.
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { ledgerOpenApi, reasonLines, writeTemp } from './services.js';

describe('patchbay connection create --secrets-stdin', () => {
  it('refuses a nested value by its name, without the value, and stores nothing', async () => {
    const home = tempHome();
    expect(
      (await patchbay(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi('http://127.0.0.1:9'))], { home }))
        .code,
    ).toBe(0);
    for (const stdin of [
      '{"api_key": {"value": "nested-s3cret"}}',
      '{"api_key": ["nested-s3cret"]}',
      '{"api_key": null}',
    ]) {
      const r = await patchbay(['connection', 'create', 'ledger', '--name', 'Nested', '--secrets-stdin'], {
        home,
        stdin,
      });
      expect(r.code, stdin).toBe(1);
      expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/"api_key" must be text/)]);
      expect(r.stdout + r.stderr).not.toContain('nested-s3cret');
    }
    expect(JSON.parse((await patchbay(['connection', 'list', '--json'], { home })).stdout)).toEqual([]);
    const numeric = await patchbay(['connection', 'create', 'ledger', '--name', 'Numeric', '--secrets-stdin'], {
      home,
      stdin: '{"api_key": 4711}',
    });
    expect(numeric.code, numeric.stderr).toBe(0);
  });
});
