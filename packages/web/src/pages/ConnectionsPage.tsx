/** Connections: name, connector, owner, status; Test, Reconnect, Share, Delete; and New connection. */
import { useState } from 'react';
import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
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
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { api, enc } from '../api/client.js';
import { useConnections, useConnectors, useInvalidateLinks, useReferences } from '../api/queries.js';
import type { Connection, ConnectorSummary } from '../api/types.js';
import { useEnv } from '../app/env.js';
import { AuthForm, splitAuthValues } from '../editor/NewReferenceDialog.js';
import { openPopup, waitForOAuth } from '../editor/oauth.js';
import { ErrorBar, Page, PromptDialog } from './common.js';
import { DeleteConnectionDialog, ReconnectDialog } from './ConnectionDialogs.js';

export function StatusBadge({ status, reason }: { status: string; reason?: string }) {
  const color = status === 'connected' ? 'success' : status === 'error' ? 'danger' : 'warning';
  return (
    <Badge appearance="tint" color={color} title={reason}>
      {status}
    </Badge>
  );
}

function NewConnectionDialog({
  env,
  connectors,
  onClose,
  onDone,
}: {
  env: string;
  connectors: ConnectorSummary[];
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const [connectorId, setConnectorId] = useState(connectors[0]?.id ?? '');
  const connector = connectors.find((c) => c.id === connectorId);
  const [name, setName] = useState('');
  const [scheme, setScheme] = useState(connector?.authSchemes[0]?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [baseUrl, setBaseUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const schemeInfo = connector?.authSchemes.find((x) => x.name === scheme);
  const oauth = Boolean(schemeInfo && /oauth/i.test(schemeInfo.type));

  async function create() {
    const popup = oauth ? openPopup() : null;
    setBusy(true);
    setError(null);
    try {
      const { params, secrets } = splitAuthValues(schemeInfo, values);
      const res = await api<{ connection: Connection; authorizeUrl?: string }>(
        'POST',
        `/api/envs/${enc(env)}/connections`,
        {
          connectorId,
          displayName: name.trim(),
          ...(scheme ? { scheme } : {}),
          params,
          secrets,
          ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        },
      );
      if (res.authorizeUrl) {
        if (popup) popup.location.href = res.authorizeUrl;
        const r = await waitForOAuth(popup, res.connection.id);
        if (!r.ok) throw new Error(r.error ?? 'Sign-in failed.');
      } else popup?.close();
      await onDone();
      onClose();
    } catch (e) {
      popup?.close();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="New connection">
        <DialogBody>
          <DialogTitle>New connection</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
            <Field label="Connector" required>
              <Dropdown
                value={connector?.displayName ?? ''}
                selectedOptions={[connectorId]}
                onOptionSelect={(_, d) => {
                  const c = connectors.find((x) => x.id === d.optionValue);
                  setConnectorId(d.optionValue ?? '');
                  setScheme(c?.authSchemes[0]?.name ?? '');
                  setValues({});
                }}
              >
                {connectors.map((c) => (
                  <Option key={c.id} value={c.id}>
                    {c.displayName}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label="Connection name" required>
              <Input value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            {connector && (
              <AuthForm
                connector={connector}
                scheme={scheme}
                setScheme={setScheme}
                values={values}
                setValue={(n, v) => setValues((o) => ({ ...o, [n]: v }))}
                baseUrl={baseUrl}
                setBaseUrl={setBaseUrl}
              />
            )}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy || !name.trim() || !connector} onClick={() => void create()}>
              {oauth ? 'Sign in' : 'Create'}
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

type Pending = { kind: 'share' | 'delete' | 'reconnect'; connection: Connection } | { kind: 'new' } | null;

export default function ConnectionsPage() {
  const { env } = useEnv();
  const connections = useConnections(env);
  const connectors = useConnectors(env);
  const references = useReferences(env);
  const refresh = useInvalidateLinks(env);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const schemeOf = (c: Connection) => {
    const connector = connectors.data?.find((x) => x.id === c.connectorId);
    return (
      connector?.authSchemes.find((x) => x.name === c.scheme) ??
      (connector?.authSchemes.length === 1 ? connector.authSchemes[0] : undefined)
    );
  };
  const names = new Map((connectors.data ?? []).map((c) => [c.id, c.displayName]));

  async function run(fn: () => Promise<unknown>) {
    setError(null);
    setNotice('');
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
    await refresh();
  }

  /** OAuth2 connections sign in again in a popup; the others are asked for new secrets. */
  function startReconnect(c: Connection) {
    if (/oauth/i.test(schemeOf(c)?.type ?? '')) void run(() => reconnect(c));
    else setPending({ kind: 'reconnect', connection: c });
  }

  async function test(c: Connection) {
    const r = await api<{ status: string; statusReason?: string }>('POST', `/api/connections/${enc(c.id)}/test`);
    setNotice(`${c.displayName}: ${r.status}${r.statusReason ? ` — ${r.statusReason}` : ''}`);
  }

  async function reconnect(c: Connection) {
    const popup = openPopup();
    const res = await api<{ connection?: Connection; authorizeUrl?: string }>(
      'POST',
      `/api/connections/${enc(c.id)}/reconnect`,
      {},
    ).catch((e: unknown) => {
      popup?.close();
      throw e;
    });
    if (res.authorizeUrl && popup) {
      popup.location.href = res.authorizeUrl;
      const r = await waitForOAuth(popup, c.id);
      if (!r.ok) throw new Error(r.error ?? 'Sign-in failed.');
    } else popup?.close();
  }

  return (
    <Page
      title="Connections"
      actions={
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => setPending({ kind: 'new' })}
          disabled={!connectors.data?.length}
        >
          New connection
        </Button>
      }
    >
      <ErrorBar error={connections.error ?? error} />
      {notice && (
        <MessageBar
          intent={/: connected$/.test(notice) ? 'success' : 'warning'}
          role="status"
          aria-label="Connection test result"
        >
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {connections.isPending ? (
        <Spinner label="Loading connections…" />
      ) : (
        <Table aria-label="Connections" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Connector</TableHeaderCell>
              <TableHeaderCell>Owner</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(connections.data ?? []).map((c) => (
              <TableRow key={c.id} data-connection-id={c.id}>
                <TableCell>{c.displayName}</TableCell>
                <TableCell>{names.get(c.connectorId) ?? c.connectorId}</TableCell>
                <TableCell>
                  {c.owner.email}
                  {c.sharedWithMe ? ' (shared with you)' : ''}
                </TableCell>
                <TableCell>
                  <StatusBadge status={c.status} reason={c.statusReason} /> {c.statusReason ?? ''}
                </TableCell>
                <TableCell>
                  <Button size="small" aria-label={`Test ${c.displayName}`} onClick={() => void run(() => test(c))}>
                    Test
                  </Button>{' '}
                  <Button
                    size="small"
                    aria-label={`Reconnect ${c.displayName}`}
                    disabled={c.canManage === false}
                    onClick={() => startReconnect(c)}
                  >
                    Reconnect
                  </Button>{' '}
                  <Button
                    size="small"
                    aria-label={`Share ${c.displayName}`}
                    disabled={c.canManage === false}
                    onClick={() => setPending({ kind: 'share', connection: c })}
                  >
                    Share
                  </Button>{' '}
                  <Button
                    size="small"
                    aria-label={`Delete ${c.displayName}`}
                    disabled={c.canManage === false}
                    onClick={() => setPending({ kind: 'delete', connection: c })}
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {pending?.kind === 'new' && (
        <NewConnectionDialog
          env={env}
          connectors={connectors.data ?? []}
          onClose={() => setPending(null)}
          onDone={refresh}
        />
      )}
      {pending?.kind === 'share' && (
        <PromptDialog
          open
          title={`Share ${pending.connection.displayName}`}
          label="Email"
          confirm="Share"
          onClose={() => setPending(null)}
          onSubmit={async (email) => {
            await api('POST', `/api/connections/${enc(pending.connection.id)}/shares`, { email });
            await refresh();
          }}
        />
      )}
      {pending?.kind === 'delete' && (
        <DeleteConnectionDialog
          connection={pending.connection}
          references={references.data ?? []}
          onClose={() => setPending(null)}
          onDone={refresh}
        />
      )}
      {pending?.kind === 'reconnect' && (
        <ReconnectDialog
          connection={pending.connection}
          scheme={schemeOf(pending.connection)}
          onClose={() => setPending(null)}
          onDone={refresh}
        />
      )}
    </Page>
  );
}
