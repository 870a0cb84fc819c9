/** A small hash router: `#/flows`, `#/flows/ID`, `#/connectors`, `#/connections`, `#/references`, `#/solutions`, `#/variables`, `#/audit`, `#/policies`, `#/machines`, `#/roles`. */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'flows' }
  | { page: 'editor'; flowId: string }
  | { page: 'connectors' }
  | { page: 'connections' }
  | { page: 'references' }
  | { page: 'solutions' }
  | { page: 'variables' }
  | { page: 'audit' }
  | { page: 'policies' }
  | { page: 'machines' }
  | { page: 'roles' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'flows' && parts[1]) return { page: 'editor', flowId: parts[1] };
  if (parts[0] === 'connectors') return { page: 'connectors' };
  if (parts[0] === 'connections') return { page: 'connections' };
  if (parts[0] === 'references') return { page: 'references' };
  if (parts[0] === 'solutions') return { page: 'solutions' };
  if (parts[0] === 'variables') return { page: 'variables' };
  if (parts[0] === 'audit') return { page: 'audit' };
  if (parts[0] === 'policies') return { page: 'policies' };
  if (parts[0] === 'machines') return { page: 'machines' };
  if (parts[0] === 'roles') return { page: 'roles' };
  return { page: 'flows' };
}

export function routeHash(r: Route): string {
  return r.page === 'editor' ? `#/flows/${encodeURIComponent(r.flowId)}` : `#/${r.page}`;
}

/** Guards run before leaving a page (the editor's unsaved-changes confirm). */
let leaveGuard: (() => boolean) | null = null;
export function setLeaveGuard(guard: (() => boolean) | null): void {
  leaveGuard = guard;
}

export function navigate(r: Route): void {
  if (leaveGuard && !leaveGuard()) return;
  window.location.hash = routeHash(r);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
