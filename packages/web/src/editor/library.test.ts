import { describe, expect, it } from 'vitest';
import { buildLibrary, searchLibrary } from './library.js';
import type { ActionInfo, ConnectorSummary } from '../api/types.js';

const actions: ActionInfo[] = [
  { id: 'Text.Trim', group: 'Text', displayName: 'Trim text', description: '', params: [], produces: [] },
  { id: 'Variables.Set', group: 'Variables', displayName: 'Set variable', description: '', params: [], produces: [] },
];
const connectors: ConnectorSummary[] = [
  {
    id: 'ledger',
    displayName: 'Ledger',
    brandColor: '#123456',
    authSchemes: [],
    operations: [
      { id: 'CreateEntry', summary: 'Create entry' },
      { id: 'Purge', summary: 'Purge entries', visibility: 'advanced' },
      { id: 'Hidden', summary: 'Hidden op', visibility: 'internal' },
      { id: 'OnNewEntry', summary: 'When an entry is created', isTrigger: true },
    ],
  },
];

describe('action library', () => {
  it('groups standard actions and connector operations, hiding internal ones and triggers and folding advanced ones', () => {
    const lib = buildLibrary(actions, connectors);
    expect(lib.standard.map((g) => g.name)).toEqual(['Text', 'Variables']);
    expect(lib.connectors).toHaveLength(1);
    expect(lib.connectors[0].items.map((i) => i.displayName)).toEqual(['Create entry']);
    expect(lib.connectors[0].more.map((i) => i.displayName)).toEqual(['Purge entries']);
  });

  it('matches partial names in any case across groups, including folded items', () => {
    const lib = buildLibrary(actions, connectors);
    const r = searchLibrary(lib, 'ENTR');
    expect(r.standard).toEqual([]);
    expect(r.connectors[0].items.map((i) => i.displayName)).toEqual(['Create entry', 'Purge entries']);
    expect(searchLibrary(lib, 'set').standard.map((g) => g.items[0].actionId)).toEqual(['Variables.Set']);
    expect(searchLibrary(lib, 'nothing like it')).toEqual({ standard: [], connectors: [] });
    expect(searchLibrary(lib, '  ')).toBe(lib);
  });
});
