/**
 * Environment roles: who is Environment admin, Environment maker or Basic user
 * in the current environment. The owner and the environment's admins grant and
 * remove roles here; anyone else sees the server's refusal.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { useEnv } from '../app/env.js';
import { ConfirmDialog, ErrorBar, Page } from './common.js';

export type EnvironmentRole = 'admin' | 'maker' | 'user';

export interface EnvironmentRoles {
  environment: string;
  defaultRole: EnvironmentRole | null;
  entries: { userId: string; email: string; role: EnvironmentRole; source: 'owner' | 'grant' }[];
}

/** Power Platform's names for the roles. */
export const ROLE_NAMES: Record<EnvironmentRole, string> = {
  admin: 'Environment admin',
  maker: 'Environment maker',
  user: 'Basic user',
};

const useStyles = makeStyles({
  form: { display: 'flex', gap: '12px', alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: '16px' },
});

export default function RolesPage() {
  const s = useStyles();
  const { env } = useEnv();
  const qc = useQueryClient();
  const key = ['roles', env];
  const roles = useQuery({
    queryKey: key,
    queryFn: () => api<EnvironmentRoles>('GET', `/api/envs/${enc(env)}/roles`),
    retry: false,
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<EnvironmentRole>('maker');
  const [removing, setRemoving] = useState<string | null>(null);
  const grant = useMutation({
    mutationFn: () => api('PUT', `/api/envs/${enc(env)}/roles`, { email: email.trim(), role }),
    onSuccess: async () => {
      setEmail('');
      await qc.invalidateQueries({ queryKey: key });
    },
  });

  return (
    <Page title="Roles">
      <form
        className={s.form}
        aria-label="Grant a role"
        onSubmit={(e) => {
          e.preventDefault();
          grant.mutate();
        }}
      >
        <Field label="User email" required>
          <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} placeholder="someone@example.com" />
        </Field>
        <Field label="Role">
          <Select value={role} onChange={(_, d) => setRole(d.value as EnvironmentRole)}>
            {(Object.keys(ROLE_NAMES) as EnvironmentRole[]).map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" type="submit" disabled={!email.trim() || grant.isPending}>
          Grant role
        </Button>
      </form>
      <ErrorBar error={grant.error ?? roles.error} />
      {roles.isPending && <Spinner label="Loading roles…" />}
      {roles.data && (
        <>
          <Text as="p">
            {roles.data.defaultRole
              ? `Every other signed-in user has the role ${ROLE_NAMES[roles.data.defaultRole]} here.`
              : 'Users without a role here have no access to this environment.'}
          </Text>
          <Table aria-label="Environment roles" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>User</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Source</TableHeaderCell>
                <TableHeaderCell />
              </TableRow>
            </TableHeader>
            <TableBody>
              {roles.data.entries.map((r) => (
                <TableRow key={r.userId} data-email={r.email} data-role={r.role}>
                  <TableCell>{r.email}</TableCell>
                  <TableCell>
                    <Badge appearance="tint">{ROLE_NAMES[r.role]}</Badge>
                  </TableCell>
                  <TableCell>{r.source === 'owner' ? 'Instance owner' : 'Granted'}</TableCell>
                  <TableCell>
                    {r.source === 'grant' && (
                      <Button
                        size="small"
                        aria-label={`Remove role of ${r.email}`}
                        onClick={() => setRemoving(r.email)}
                      >
                        Remove
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Remove role"
        message={
          <Text>
            {env === 'default'
              ? `${removing ?? ''} goes back to the default: Environment maker.`
              : `${removing ?? ''} loses access to environment "${env}".`}
          </Text>
        }
        confirm="Remove role"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          await api('DELETE', `/api/envs/${enc(env)}/roles/${enc(removing ?? '')}`);
          await qc.invalidateQueries({ queryKey: key });
        }}
      />
    </Page>
  );
}
