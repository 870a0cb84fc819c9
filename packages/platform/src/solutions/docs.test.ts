import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '@patchbay/core';
import { parseSettings, powerPlatformConnectorId } from './settings.js';

const doc = readFileSync(join(import.meta.dirname, '../../../../docs/alm.md'), 'utf8');
const block = (info: string): string => {
  const m = new RegExp('```' + info + '\\n([\\s\\S]*?)```').exec(doc);
  if (!m) throw new Error(`docs/alm.md has no \`\`\`${info} block`);
  return m[1];
};

describe('docs/alm.md', () => {
  it('shows a settings file Patchbay reads, with Power Platform connector ids', () => {
    const s = parseSettings(block('json settings'));
    expect(s.ConnectionReferences[0]).toEqual({
      LogicalName: 'pb_ledger',
      ConnectionId: '',
      ConnectorId: powerPlatformConnectorId('ledger'),
    });
    expect(s.EnvironmentVariables[0]).toEqual({ SchemaName: 'pb_ReportRecipient', Value: '' });
  });

  it('shows the error a broken settings file gets, word for word', () => {
    let err: unknown;
    try {
      parseSettings(block('json broken-settings'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchbayError);
    const e = err as PatchbayError;
    const quoted = doc
      .slice(doc.indexOf('> settings.json:'))
      .split('\n\n')[0]
      .replace(/^> ?/gm, '')
      .replace(/\n/g, ' ');
    expect(quoted).toContain(e.message);
    expect(quoted).toContain(`\`${e.place.pointer}\``);
    expect(quoted.replace(/`/g, '')).toContain((e.hint ?? '').replace(/`/g, ''));
  });
});
