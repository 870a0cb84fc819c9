/** TanStack Query hooks for what the designer reads, keyed by environment. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc } from './client.js';
import type {
  ActionInfo,
  Connection,
  ConnectorGroups,
  ConnectorSummary,
  EmbeddedReference,
  Environment,
  FlowRecord,
  FlowShare,
  FlowSummary,
  PolicyRecord,
  Reference,
  RunDetail,
  RunSummary,
  Session,
  Solution,
} from './types.js';

export const keys = {
  me: ['me'] as const,
  actions: ['actions'] as const,
  environments: ['environments'] as const,
  connectors: (env: string) => ['connectors', env] as const,
  connections: (env: string) => ['connections', env] as const,
  references: (env: string) => ['references', env] as const,
  flows: (env: string) => ['flows', env] as const,
  flow: (id: string) => ['flow', id] as const,
  policies: ['policies'] as const,
  connectorGroups: (env: string) => ['policies', 'connectors', env] as const,
  runs: (flowId: string) => ['runs', flowId] as const,
  run: (id: string) => ['run', id] as const,
  solutions: (env: string) => ['solutions', env] as const,
  embedded: (flowId: string) => ['embedded', flowId] as const,
  shares: (flowId: string) => ['shares', flowId] as const,
  operationAction: (env: string, connectorId: string, operationId: string) =>
    ['operation-action', env, connectorId, operationId] as const,
};

export const useMe = () =>
  useQuery({ queryKey: keys.me, queryFn: () => api<Session>('GET', '/api/auth/me'), retry: false });
export const useActions = () =>
  useQuery({ queryKey: keys.actions, queryFn: () => api<ActionInfo[]>('GET', '/api/actions'), staleTime: Infinity });
export const useEnvironments = () =>
  useQuery({ queryKey: keys.environments, queryFn: () => api<Environment[]>('GET', '/api/environments') });
export const useConnectors = (env: string) =>
  useQuery({
    queryKey: keys.connectors(env),
    queryFn: () => api<ConnectorSummary[]>('GET', `/api/envs/${enc(env)}/connectors`),
  });
export const useConnections = (env: string) =>
  useQuery({
    queryKey: keys.connections(env),
    queryFn: () => api<Connection[]>('GET', `/api/envs/${enc(env)}/connections`),
  });
export const useReferences = (env: string) =>
  useQuery({
    queryKey: keys.references(env),
    queryFn: () => api<Reference[]>('GET', `/api/envs/${enc(env)}/references`),
  });
/** Flows change from other tabs, people and the CLI: read again whenever the list is shown or the window regains focus. */
export const useFlows = (env: string) =>
  useQuery({
    queryKey: keys.flows(env),
    queryFn: () => api<FlowSummary[]>('GET', `/api/envs/${enc(env)}/flows`),
    refetchOnMount: 'always',
    refetchOnWindowFocus: 'always',
  });
/** Data-loss-prevention policies: the editor evaluates the current flow against them as it changes. */
export const usePolicies = () =>
  useQuery({ queryKey: keys.policies, queryFn: () => api<PolicyRecord[]>('GET', '/api/policies') });
export const useConnectorGroups = (env: string) =>
  useQuery({
    queryKey: keys.connectorGroups(env),
    queryFn: () => api<ConnectorGroups>('GET', `/api/policies/_connectors?env=${enc(env)}`),
  });
export const useFlow = (id: string) =>
  useQuery({
    queryKey: keys.flow(id),
    queryFn: () => api<FlowRecord>('GET', `/api/flows/${enc(id)}`),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
export const useRuns = (flowId: string) =>
  useQuery({
    queryKey: keys.runs(flowId),
    queryFn: () => api<RunSummary[]>('GET', `/api/runs?flowId=${enc(flowId)}&limit=20`),
  });
export const useRun = (id: string | undefined) =>
  useQuery({
    queryKey: keys.run(id ?? ''),
    queryFn: () => api<RunDetail>('GET', `/api/runs/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
export const useEmbeddedReferences = (flowId: string) =>
  useQuery({
    queryKey: keys.embedded(flowId),
    queryFn: () => api<EmbeddedReference[]>('GET', `/api/flows/${enc(flowId)}/embedded-references`),
  });
export const useFlowShares = (flowId: string, enabled = true) =>
  useQuery({
    queryKey: keys.shares(flowId),
    queryFn: () => api<FlowShare[]>('GET', `/api/flows/${enc(flowId)}/shares`),
    enabled,
  });
export const useSolutions = (env: string) =>
  useQuery({ queryKey: keys.solutions(env), queryFn: () => api<Solution[]>('GET', `/api/envs/${enc(env)}/solutions`) });

/** The action form of one connector operation (params, produces), fetched once per operation. */
export const useOperationAction = (env: string, connectorId: string | undefined, operationId: string | undefined) =>
  useQuery({
    queryKey: keys.operationAction(env, connectorId ?? '', operationId ?? ''),
    queryFn: () =>
      api<ActionInfo>(
        'GET',
        `/api/envs/${enc(env)}/connectors/${enc(connectorId ?? '')}/operations/${enc(operationId ?? '')}/action`,
      ),
    enabled: Boolean(connectorId && operationId),
    staleTime: Infinity,
  });

/** One field of a dynamic schema, as the server flattens it. */
export interface DynamicFieldInfo {
  name: string;
  key: string;
  displayName: string;
  description?: string;
  type: string;
  format?: string;
  required: boolean;
  visibility: string;
  enum?: unknown[];
}

export interface DynamicSchemaRequest {
  env: string;
  connectorId: string;
  operationId: string;
  /** The input whose schema is asked for; the operation's output when left out. */
  parameter?: string;
  connectionReference?: string;
  /** The values of the parameters the schema depends on. */
  params: Record<string, unknown>;
}

/**
 * A dynamic schema (`x-ms-dynamic-schema`) through the caller's connection
 * reference, once every parameter it depends on has a literal value (an
 * expression is only known at run time).
 */
export function dynamicSchemaQuery(r: DynamicSchemaRequest | undefined, dependsOn: readonly string[]) {
  const ready =
    r !== undefined &&
    Boolean(r.connectionReference) &&
    dependsOn.every((n) => {
      const v = r.params[n];
      return v !== undefined && v !== '' && !(typeof v === 'string' && v.includes('%'));
    });
  const params = Object.fromEntries(dependsOn.map((n) => [n, r?.params[n]]));
  return {
    queryKey: [
      'dynamic-schema',
      r?.env,
      r?.connectorId,
      r?.operationId,
      r?.parameter ?? '',
      r?.connectionReference ?? '',
      JSON.stringify(params),
    ] as const,
    queryFn: () =>
      api<{ fields: DynamicFieldInfo[] }>(
        'POST',
        `/api/envs/${enc(r?.env ?? '')}/connectors/${enc(r?.connectorId ?? '')}/operations/${enc(r?.operationId ?? '')}/dynamic-schema`,
        {
          ...(r?.parameter ? { parameter: r.parameter } : {}),
          connectionReference: r?.connectionReference,
          params,
        },
      ),
    enabled: ready,
    staleTime: 5 * 60_000,
    retry: false,
  };
}

export const useDynamicSchema = (r: DynamicSchemaRequest | undefined, dependsOn: readonly string[]) =>
  useQuery(dynamicSchemaQuery(r, dependsOn));

/** Invalidates everything the connection and reference pages show. */
export function useInvalidateLinks(env: string): () => Promise<void> {
  const qc = useQueryClient();
  return async () => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: keys.connections(env) }),
      qc.invalidateQueries({ queryKey: keys.references(env) }),
    ]);
  };
}
