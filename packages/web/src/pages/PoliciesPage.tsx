/**
 * Policies: the data-loss-prevention policies (who they apply to, what they
 * block, their endpoint rules) and each connector of the environment with its
 * group under every policy that applies there. Policies are applied with
 * `patchbay policy apply FILE` or `POST /api/policies` (docs/security.md).
 */
import {
  Badge,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { ConnectorGroup } from '@patchbay/core';
import { useConnectorGroups, usePolicies } from '../api/queries.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';

const GROUP: Record<ConnectorGroup, { label: string; color: 'brand' | 'informative' | 'danger' }> = {
  business: { label: 'Business', color: 'brand' },
  nonBusiness: { label: 'Non-business', color: 'informative' },
  blocked: { label: 'Blocked', color: 'danger' },
};

const list = (v: readonly string[] | undefined) => (v && v.length ? v.join(', ') : '—');

export default function PoliciesPage() {
  const { env } = useEnv();
  const policies = usePolicies();
  const groups = useConnectorGroups(env);

  return (
    <Page title="Data-loss-prevention policies">
      <ErrorBar error={policies.error ?? groups.error} />
      {policies.isPending ? (
        <Spinner label="Loading policies…" />
      ) : (policies.data ?? []).length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>
            No policy: every connector and action is allowed. Apply one with patchbay policy apply FILE.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Table aria-label="Policies" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Environments</TableHeaderCell>
              <TableHeaderCell>Unlisted connectors</TableHeaderCell>
              <TableHeaderCell>Blocked modules</TableHeaderCell>
              <TableHeaderCell>Blocked actions</TableHeaderCell>
              <TableHeaderCell>Endpoint rules</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(policies.data ?? []).map(({ name, policy }) => (
              <TableRow key={name}>
                <TableCell>{name}</TableCell>
                <TableCell>{policy.environments.includes('*') ? 'All' : policy.environments.join(', ')}</TableCell>
                <TableCell>{GROUP[policy.connectors?.default ?? 'nonBusiness'].label}</TableCell>
                <TableCell>{list(policy.desktopActions?.blockedModules)}</TableCell>
                <TableCell>{list(policy.desktopActions?.blockedActions)}</TableCell>
                <TableCell>
                  {list(
                    (policy.endpoints ?? []).map(
                      (e) =>
                        `${e.connector ?? e.desktopModule}: ${e.rules.map((r) => (r.allow !== undefined ? `allow ${r.allow}` : `deny ${r.deny}`)).join(', ')}`,
                    ),
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text as="h2" weight="semibold">
        Connector groups in {env}
      </Text>
      {groups.isPending ? (
        <Spinner label="Loading connectors…" />
      ) : (
        <Table aria-label="Connector groups" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Connector</TableHeaderCell>
              <TableHeaderCell>Id</TableHeaderCell>
              {(groups.data?.policies ?? []).map((p) => (
                <TableHeaderCell key={p}>{p}</TableHeaderCell>
              ))}
              {(groups.data?.policies ?? []).length === 0 && <TableHeaderCell>Group</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {(groups.data?.connectors ?? []).map((c) => (
              <TableRow key={c.id}>
                <TableCell>{c.displayName}</TableCell>
                <TableCell>{c.id}</TableCell>
                {(groups.data?.policies ?? []).map((p) => {
                  const g = GROUP[c.groups[p] ?? 'nonBusiness'];
                  return (
                    <TableCell key={p}>
                      <Badge appearance="tint" color={g.color} aria-label={`${c.id} in ${p}: ${g.label}`}>
                        {g.label}
                      </Badge>
                    </TableCell>
                  );
                })}
                {(groups.data?.policies ?? []).length === 0 && <TableCell>Allowed (no policy)</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Page>
  );
}
