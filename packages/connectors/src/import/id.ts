/** Connector ids (DESIGN.md §1): a title in lower-case kebab form, or the name inside a Power Platform api id. */

/**
 * `HubSpot CRM V2` → `hubspot-crm-v2`; `/providers/Microsoft.PowerApps/apis/shared_office365` → `office365`;
 * `shared_x` → `x`. Accents are dropped; an id with no letters or digits left becomes `connector`.
 */
export function normalizeConnectorId(value: string): string {
  const api = /(?:^|\/)apis\/([^/?#]+)\/?$/i.exec(value.trim());
  const base = (api ? api[1] : value.trim()).replace(/^shared_/i, '');
  if (api) return base.toLowerCase();
  const kebab = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return kebab === '' ? 'connector' : kebab;
}
