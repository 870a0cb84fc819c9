/**
 * Opening the designer straight at a flow (a bookmark, a reload): the flow,
 * the action catalog and the editor's code are requested at once, beside the
 * sign-in check, instead of one after the other once the editor has loaded.
 */
import type { QueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { keys } from '../api/queries.js';
import type { ActionInfo, FlowRecord } from '../api/types.js';
import type { Route } from './route.js';

export function prefetchForRoute(qc: QueryClient, route: Route): void {
  if (route.page !== 'editor') return;
  void import('../editor/FlowEditor.js');
  void qc.prefetchQuery({
    queryKey: keys.flow(route.flowId),
    queryFn: () => api<FlowRecord>('GET', `/api/flows/${enc(route.flowId)}`),
    staleTime: Infinity,
    retry: false,
  });
  void qc.prefetchQuery({
    queryKey: keys.actions,
    queryFn: () => api<ActionInfo[]>('GET', '/api/actions'),
    staleTime: Infinity,
    retry: false,
  });
}
