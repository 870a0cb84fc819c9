/**
 * Machines: the computers that run flows for this server (`patchbay runner`
 * on them), with their group, environment, whether they are online now and
 * when they were last seen. The owner and environment admins see them;
 * registering and revoking stay on the command line, where the token is
 * printed once (docs/server.md).
 */
import {
  Badge,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';

export interface MachineInfo {
  name: string;
  group: string;
  environment: string;
  status: 'active' | 'revoked';
  online: boolean;
  lastSeenAt: string | null;
}

export function machineState(m: MachineInfo): { label: string; color: 'success' | 'informative' | 'danger' } {
  if (m.status === 'revoked') return { label: 'Revoked', color: 'danger' };
  return m.online ? { label: 'Online', color: 'success' } : { label: 'Offline', color: 'informative' };
}

export default function MachinesPage() {
  const { env } = useEnv();
  const url = `/api/machines?env=${encodeURIComponent(env)}`;
  const machines = useQuery({
    queryKey: ['machines', env],
    queryFn: () => api<MachineInfo[]>('GET', url),
    retry: false,
    refetchInterval: 5000,
  });
  return (
    <Page title="Machines">
      <ErrorBar error={machines.error} />
      {machines.isPending && <Spinner label="Loading machines…" />}
      {machines.data && machines.data.length === 0 && (
        <Text>
          No machine is registered in this environment. Register one with{' '}
          <code>patchbay machine register NAME --group GROUP --env {env}</code>.
        </Text>
      )}
      {machines.data && machines.data.length > 0 && (
        <Table aria-label="Registered machines" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Group</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell>Last seen</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {machines.data.map((m) => {
              const state = machineState(m);
              return (
                <TableRow key={m.name} data-machine={m.name} data-state={state.label.toLowerCase()}>
                  <TableCell>{m.name}</TableCell>
                  <TableCell>{m.group}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={state.color}>
                      {state.label}
                    </Badge>
                  </TableCell>
                  <TableCell>{m.lastSeenAt ? new Date(m.lastSeenAt).toLocaleString() : 'never'}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Page>
  );
}
