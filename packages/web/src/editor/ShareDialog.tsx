/**
 * "Share flow" in the editor: who the flow is shared with (co-owners edit,
 * run-only users run), sharing with another user by email, and the
 * connections embedded for its references. A co-owner embeds one of their
 * own connections so that the people the flow is shared with run with it;
 * without one, each runner brings their own connection at run time.
 */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { keys, useConnections, useEmbeddedReferences, useFlowShares, useReferences } from '../api/queries.js';
import type { FlowDoc, FlowShare } from '../api/types.js';
import { ErrorBar } from '../pages/common.js';
import { usedReferences } from './runNeeds.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', gap: '8px', alignItems: 'end' },
  grow: { flexGrow: 1 },
});

const ROLE_TITLE: Record<FlowShare['role'], string> = {
  'co-owner': 'Co-owner (can edit)',
  'run-only': 'Run-only user',
};

export function ShareDialog({
  flowId,
  env,
  flow,
  onClose,
}: {
  flowId: string;
  env: string;
  flow: FlowDoc;
  onClose(): void;
}) {
  const s = useStyles();
  const qc = useQueryClient();
  const shares = useFlowShares(flowId);
  const embedded = useEmbeddedReferences(flowId);
  const connections = useConnections(env);
  const references = useReferences(env);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<FlowShare['role']>('run-only');
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const used = usedReferences(flow);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.shares(flowId) }),
        qc.invalidateQueries({ queryKey: keys.embedded(flowId) }),
      ]);
      setBusy(false);
    }
  }

  const share = () =>
    act(async () => {
      await api('POST', `/api/flows/${enc(flowId)}/shares`, { email: email.trim(), role });
      setEmail('');
    });

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Share flow" style={{ maxWidth: 720 }}>
        <DialogBody>
          <DialogTitle>Share flow</DialogTitle>
          <DialogContent className={s.form}>
            <Table aria-label="Shared with" size="extra-small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>User</TableHeaderCell>
                  <TableHeaderCell>Role</TableHeaderCell>
                  <TableHeaderCell>Actions</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {(shares.data ?? []).map((sh) => (
                  <TableRow key={sh.user.id}>
                    <TableCell>{sh.user.email}</TableCell>
                    <TableCell>{ROLE_TITLE[sh.role]}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        disabled={busy}
                        aria-label={`Stop sharing with ${sh.user.email}`}
                        onClick={() =>
                          void act(() => api('DELETE', `/api/flows/${enc(flowId)}/shares/${enc(sh.user.id)}`))
                        }
                      >
                        Stop sharing
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {shares.data?.length === 0 && <Text>Not shared with anyone yet.</Text>}
            <form
              className={s.row}
              onSubmit={(e) => {
                e.preventDefault();
                void share();
              }}
            >
              <Field label="Email" className={s.grow} required>
                <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
              </Field>
              <Field label="Role">
                <Dropdown
                  value={ROLE_TITLE[role]}
                  selectedOptions={[role]}
                  onOptionSelect={(_, d) => d.optionValue && setRole(d.optionValue as FlowShare['role'])}
                >
                  <Option value="co-owner">{ROLE_TITLE['co-owner']}</Option>
                  <Option value="run-only">{ROLE_TITLE['run-only']}</Option>
                </Dropdown>
              </Field>
              <Button appearance="primary" type="submit" disabled={busy || !email.trim()}>
                Share
              </Button>
            </form>
            <Text weight="semibold">Embedded connections</Text>
            <Text>
              People you share the flow with run its connector actions with the connection embedded for each reference;
              where none is embedded, they use the environment&apos;s binding or bring their own connection.
            </Text>
            {used.length === 0 && <Text>This flow uses no connection references.</Text>}
            {used.map((u) => {
              const current = embedded.data?.find((e) => e.logicalName === u.logicalName);
              const own = (connections.data ?? []).filter(
                (c) => !c.sharedWithMe && c.connectorId.toLowerCase() === u.connectorId.toLowerCase(),
              );
              const name = references.data?.find((r) => r.logicalName === u.logicalName)?.displayName ?? u.logicalName;
              return (
                <div key={u.logicalName} className={s.row} data-logical-name={u.logicalName}>
                  <Field
                    label={`Embed a connection for ${name}`}
                    className={s.grow}
                    hint={
                      current
                        ? `Embedded: ${current.connection?.displayName ?? 'a deleted connection'} (by ${current.embeddedBy.email})`
                        : 'Nothing embedded.'
                    }
                  >
                    <Dropdown
                      placeholder={
                        own.length ? 'Choose one of your connections' : `You own no ${u.connectorId} connection`
                      }
                      disabled={own.length === 0}
                      value={own.find((c) => c.id === picks[u.logicalName])?.displayName ?? ''}
                      selectedOptions={picks[u.logicalName] ? [picks[u.logicalName]] : []}
                      onOptionSelect={(_, d) => setPicks((p) => ({ ...p, [u.logicalName]: d.optionValue ?? '' }))}
                    >
                      {own.map((c) => (
                        <Option key={c.id} value={c.id} text={c.displayName}>
                          {`${c.displayName} (${c.status})`}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  <Button
                    disabled={busy || !picks[u.logicalName]}
                    onClick={() =>
                      void act(() =>
                        api('POST', `/api/flows/${enc(flowId)}/embedded-references`, {
                          logicalName: u.logicalName,
                          connectionId: picks[u.logicalName],
                        }),
                      )
                    }
                  >
                    Embed
                  </Button>
                  {current && (
                    <Button
                      disabled={busy}
                      aria-label={`Remove the embedded connection for ${name}`}
                      onClick={() =>
                        void act(() =>
                          api('DELETE', `/api/flows/${enc(flowId)}/embedded-references/${enc(u.logicalName)}`),
                        )
                      }
                    >
                      Remove
                    </Button>
                  )}
                </div>
              );
            })}
            <ErrorBar error={error ?? shares.error} />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
