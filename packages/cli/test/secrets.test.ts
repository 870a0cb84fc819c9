// `patchbay secrets rotate-key`: the new key comes from where the user says, or the command stops.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { reasonLines } from './services.js';

describe('patchbay secrets rotate-key --new-key-env', () => {
  it('stops when the variable is not set, leaving the key file as it was, and uses it when it is', async () => {
    const home = tempHome();
    expect((await patchbay(['env', 'list', '--json'], { home })).code).toBe(0);
    const keyFile = join(home, 'master.key');
    const before = readFileSync(keyFile, 'utf8');

    const missing = await patchbay(['secrets', 'rotate-key', '--new-key-env', 'PB_UNSET_KEY', '--json'], {
      home,
      env: { PB_UNSET_KEY: '' },
    });
    expect(missing.code).toBe(1);
    expect(reasonLines(missing.stderr)).toEqual([expect.stringMatching(/PB_UNSET_KEY.*not set/)]);
    expect(missing.stdout).toBe('');
    expect(readFileSync(keyFile, 'utf8')).toBe(before);

    const chosen = await patchbay(['secrets', 'rotate-key', '--new-key-env', 'PB_NEW_KEY', '--json'], {
      home,
      env: { PB_NEW_KEY: randomBytes(32).toString('base64') },
    });
    expect(chosen.code, chosen.stderr).toBe(0);
    const r = JSON.parse(chosen.stdout) as { keyId: string; previousKeyIds: string[]; generatedKey?: string };
    expect(r.previousKeyIds.length).toBeGreaterThan(0);
    expect(r.previousKeyIds).not.toContain(r.keyId);
    expect(r.generatedKey).toBeUndefined();
  });
});
