/**
 * The actions pane's content: standard action groups and the Cloud connectors
 * group (one sub-group per connector). Internal operations and triggers are
 * left out; advanced and deprecated ones are folded under "More". Search
 * matches partial names in any case across every group, including folded items.
 */
import type { ActionInfo, ConnectorSummary } from '../api/types.js';

export interface LibraryItem {
  key: string;
  displayName: string;
  description: string;
  group: string;
  /** Standard actions and blocks. */
  actionId?: string;
  /** Connector operations. */
  connectorId?: string;
  operationId?: string;
  iconUrl?: string;
  brandColor?: string;
  /** Lower-case text the search looks in. */
  haystack: string;
}

export interface LibraryGroup {
  key: string;
  name: string;
  items: LibraryItem[];
  /** Folded under "More": advanced or deprecated operations. */
  more: LibraryItem[];
  iconUrl?: string;
  brandColor?: string;
}

export interface Library {
  standard: LibraryGroup[];
  connectors: LibraryGroup[];
}

function item(i: Omit<LibraryItem, 'haystack'>): LibraryItem {
  return { ...i, haystack: `${i.displayName}\n${i.actionId ?? i.operationId ?? ''}\n${i.group}`.toLowerCase() };
}

export function buildLibrary(actions: readonly ActionInfo[], connectors: readonly ConnectorSummary[]): Library {
  const groups = new Map<string, LibraryGroup>();
  for (const a of actions) {
    if (a.kind === 'connector') continue;
    let g = groups.get(a.group);
    if (!g) groups.set(a.group, (g = { key: `std:${a.group}`, name: a.group, items: [], more: [] }));
    g.items.push(
      item({
        key: `action:${a.id}`,
        displayName: a.displayName,
        description: a.description,
        group: a.group,
        actionId: a.id,
      }),
    );
  }
  const standard = [...groups.values()].sort((x, y) => x.name.localeCompare(y.name));
  const connectorGroups: LibraryGroup[] = [];
  for (const c of [...connectors].sort((x, y) => x.displayName.localeCompare(y.displayName))) {
    const g: LibraryGroup = {
      key: `conn:${c.id}`,
      name: c.displayName,
      items: [],
      more: [],
      iconUrl: c.iconUrl,
      brandColor: c.brandColor,
    };
    for (const op of c.operations) {
      if (op.isTrigger || op.usableAsAction === false || op.visibility === 'internal') continue;
      const it = item({
        key: `op:${c.id}:${op.id}`,
        displayName: op.summary || op.id,
        description: op.description ?? '',
        group: c.displayName,
        connectorId: c.id,
        operationId: op.id,
        iconUrl: c.iconUrl,
        brandColor: c.brandColor,
      });
      if (op.visibility === 'advanced' || op.deprecated) g.more.push(it);
      else g.items.push(it);
    }
    if (g.items.length + g.more.length > 0) connectorGroups.push(g);
  }
  return { standard, connectors: connectorGroups };
}

function filterGroups(groups: readonly LibraryGroup[], q: string): LibraryGroup[] {
  const out: LibraryGroup[] = [];
  for (const g of groups) {
    const groupHit = g.name.toLowerCase().includes(q);
    const items = groupHit ? [...g.items, ...g.more] : [...g.items, ...g.more].filter((i) => i.haystack.includes(q));
    if (items.length) out.push({ ...g, items, more: [] });
  }
  return out;
}

/** Groups holding the items whose name, id or group contains `query` (any case). Folded items are unfolded while searching. */
export function searchLibrary(lib: Library, query: string): Library {
  const q = query.trim().toLowerCase();
  if (!q) return lib;
  return { standard: filterGroups(lib.standard, q), connectors: filterGroups(lib.connectors, q) };
}
