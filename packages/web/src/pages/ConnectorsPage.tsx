/** Connectors: the environment's built-in and imported connectors (with owners), "Import connector" and Delete. */
import { useState } from 'react';
import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useConnectors } from '../api/queries.js';
import type { ConnectorSummary } from '../api/types.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';
import { ConnectorDeleteDialog } from './ConnectorDeleteDialog.js';
import { ConnectorImportDialog } from './ConnectorImportDialog.js';

function authTypes(c: ConnectorSummary): string {
  if (c.authSchemes.length === 0) return 'None';
  return c.authSchemes.map((a) => a.displayName || a.type).join(', ');
}

export default function ConnectorsPage() {
  const { env } = useEnv();
  const connectors = useConnectors(env);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<ConnectorSummary | null>(null);
  const [deleting, setDeleting] = useState<ConnectorSummary | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const queryClient = useQueryClient();

  return (
    <Page
      title="Connectors"
      actions={
        <Button appearance="primary" icon={<ArrowUploadRegular />} onClick={() => setImporting(true)}>
          Import connector
        </Button>
      }
    >
      <ErrorBar error={connectors.error} />
      {imported && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>
            Imported {imported.displayName} ({imported.id}) with {imported.operations.length} operation(s).
          </MessageBarBody>
        </MessageBar>
      )}
      {deleted && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>Deleted connector {deleted}.</MessageBarBody>
        </MessageBar>
      )}
      {connectors.isPending ? (
        <Spinner label="Loading connectors…" />
      ) : (
        <Table aria-label="Connectors" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Id</TableHeaderCell>
              <TableHeaderCell>Operations</TableHeaderCell>
              <TableHeaderCell>Authentication</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Owner</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(connectors.data ?? []).map((c) => (
              <TableRow key={c.id}>
                <TableCell>{c.displayName}</TableCell>
                <TableCell>{c.id}</TableCell>
                <TableCell>{c.operations.length}</TableCell>
                <TableCell>{authTypes(c)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={c.builtin ? 'informative' : 'brand'}>
                    {c.builtin ? 'Built-in' : 'Imported'}
                  </Badge>
                </TableCell>
                <TableCell>
                  {c.builtin
                    ? ''
                    : [c.owner?.email ?? '—', ...(c.coOwners ?? []).map((o) => `${o.email} (co-owner)`)].join(', ')}
                </TableCell>
                <TableCell>
                  {!c.builtin && (
                    <Button size="small" aria-label={`Delete ${c.displayName}`} onClick={() => setDeleting(c)}>
                      Delete
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {connectors.data?.length === 0 && (
        <p>No connectors in this environment yet. Choose Import connector to add one.</p>
      )}
      {importing && <ConnectorImportDialog env={env} onClose={() => setImporting(false)} onImported={setImported} />}
      {deleting && (
        <ConnectorDeleteDialog
          env={env}
          connector={deleting}
          onClose={() => setDeleting(null)}
          onDone={async () => {
            setDeleted(deleting.id);
            setImported(null);
            await queryClient.invalidateQueries({ queryKey: ['connectors', env] });
          }}
        />
      )}
    </Page>
  );
}
