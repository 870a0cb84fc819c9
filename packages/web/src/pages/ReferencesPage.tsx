/** Connection references: logical name, display name, connector, bound connection in this environment, flows using it, and Rebind. */
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
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { api, enc } from '../api/client.js';
import { useConnections, useConnectors, useInvalidateLinks, useReferences } from '../api/queries.js';
import type { Reference } from '../api/types.js';
import { useEnv } from '../app/env.js';
import { navigate } from '../app/route.js';
import { StatusBadge } from './ConnectionsPage.js';
import { ConfirmDialog, ErrorBar, Page } from './common.js';
import { ReferenceCreateDialog } from './ReferenceCreateDialog.js';

function RebindDialog({ env, reference, onClose }: { env: string; reference: Reference; onClose(): void }) {
  const connections = useConnections(env);
  const refresh = useInvalidateLinks(env);
  const compatible = (connections.data ?? []).filter((c) => c.connectorId === reference.connectorId);
  const [connectionId, setConnectionId] = useState(reference.connection?.id ?? '');
  const [error, setError] = useState<unknown>(null);
  async function bind() {
    try {
      await api('PUT', `/api/envs/${enc(env)}/references/${enc(reference.logicalName)}/binding`, { connectionId });
      await refresh();
      onClose();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label={`Rebind ${reference.displayName}`}>
        <DialogBody>
          <DialogTitle>Rebind {reference.displayName}</DialogTitle>
          <DialogContent>
            <Field
              label="Connection"
              hint="Every flow that uses this reference will use the chosen connection from its next run."
              required
            >
              <Dropdown
                placeholder="Choose a connection"
                value={compatible.find((c) => c.id === connectionId)?.displayName ?? ''}
                selectedOptions={[connectionId]}
                onOptionSelect={(_, d) => setConnectionId(d.optionValue ?? '')}
              >
                {compatible.map((c) => (
                  <Option key={c.id} value={c.id} text={c.displayName}>
                    {`${c.displayName} (${c.owner.email}, ${c.status})`}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            {compatible.length === 0 && <p>No compatible connection yet: create one on the Connections page.</p>}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!connectionId} onClick={() => void bind()}>
              Save
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

export default function ReferencesPage() {
  const { env } = useEnv();
  const refs = useReferences(env);
  const connectors = useConnectors(env);
  const connections = useConnections(env);
  const refresh = useInvalidateLinks(env);
  const [rebinding, setRebinding] = useState<Reference | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Reference | null>(null);
  const names = new Map((connectors.data ?? []).map((c) => [c.id, c.displayName]));
  return (
    <Page
      title="Connection references"
      actions={
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => setCreating(true)}
          disabled={!connectors.data?.length}
        >
          New connection reference
        </Button>
      }
    >
      <ErrorBar error={refs.error} />
      {refs.isPending ? (
        <Spinner label="Loading connection references…" />
      ) : (
        <Table aria-label="Connection references" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Logical name</TableHeaderCell>
              <TableHeaderCell>Display name</TableHeaderCell>
              <TableHeaderCell>Connector</TableHeaderCell>
              <TableHeaderCell>Connection</TableHeaderCell>
              <TableHeaderCell>Used by</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(refs.data ?? []).map((r) => (
              <TableRow key={r.logicalName} data-logical-name={r.logicalName}>
                <TableCell>{r.logicalName}</TableCell>
                <TableCell>{r.displayName}</TableCell>
                <TableCell>{names.get(r.connectorId) ?? r.connectorId}</TableCell>
                <TableCell>
                  {r.connection ? (
                    <>
                      {r.connection.displayName} <StatusBadge status={r.connection.status} />
                    </>
                  ) : (
                    'Not bound'
                  )}
                </TableCell>
                <TableCell>
                  {r.usedBy.length === 0 && !r.otherFlows
                    ? 'No flows'
                    : r.usedBy.map((f) => (
                        <Button
                          key={f.flowId}
                          appearance="transparent"
                          size="small"
                          onClick={() => navigate({ page: 'editor', flowId: f.flowId })}
                        >
                          {f.flowName}
                        </Button>
                      ))}
                  {r.otherFlows ? (
                    <Text
                      size={200}
                    >{` ${r.otherFlows} other flow${r.otherFlows === 1 ? '' : 's'} you cannot see`}</Text>
                  ) : null}
                </TableCell>
                <TableCell>
                  <Button size="small" aria-label={`Rebind ${r.displayName}`} onClick={() => setRebinding(r)}>
                    Rebind
                  </Button>{' '}
                  <Button size="small" aria-label={`Delete ${r.displayName}`} onClick={() => setDeleting(r)}>
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {rebinding && <RebindDialog env={env} reference={rebinding} onClose={() => setRebinding(null)} />}
      {creating && (
        <ReferenceCreateDialog
          env={env}
          connectors={connectors.data ?? []}
          connections={connections.data ?? []}
          onClose={() => setCreating(false)}
          onDone={refresh}
        />
      )}
      {deleting && (
        <ConfirmDialog
          open
          title="Delete connection reference"
          message={
            deleting.usedBy.length
              ? `"${deleting.displayName}" is used by ${deleting.usedBy.map((f) => f.flowName).join(', ')}. The server refuses to delete a reference that flows use: change those flows first.`
              : `Delete "${deleting.displayName}" (${deleting.logicalName})?`
          }
          confirm="Delete"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await api('DELETE', `/api/envs/${enc(env)}/references/${enc(deleting.logicalName)}`);
            } finally {
              await refresh();
            }
          }}
        />
      )}
    </Page>
  );
}
