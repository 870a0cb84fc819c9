import { useState } from 'react';
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { AddRegular, MoreHorizontalRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { keys, useFlows } from '../api/queries.js';
import type { FlowRecord, FlowSummary } from '../api/types.js';
import { useEnv } from '../app/env.js';
import { navigate } from '../app/route.js';
import { ConfirmDialog, ErrorBar, Page, PromptDialog } from './common.js';

type Dialog = { kind: 'new' } | { kind: 'rename'; flow: FlowSummary } | { kind: 'delete'; flow: FlowSummary } | null;

export default function FlowsPage() {
  const { env } = useEnv();
  const qc = useQueryClient();
  const flows = useFlows(env);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: keys.flows(env) });

  async function create(name: string) {
    const flow = await api<FlowRecord>('POST', `/api/envs/${enc(env)}/flows`, {
      definition: { schema: 'patchbay/flow@1', name, steps: [] },
    });
    await refresh();
    navigate({ page: 'editor', flowId: flow.id });
  }

  async function setEnabled(flow: FlowSummary, enabled: boolean) {
    setError(null);
    await api('PATCH', `/api/flows/${enc(flow.id)}`, { enabled }).catch(setError);
    await refresh();
  }

  return (
    <Page
      title="Flows"
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setDialog({ kind: 'new' })}>
          New flow
        </Button>
      }
    >
      <ErrorBar error={flows.error ?? error} />
      {flows.isPending ? (
        <Spinner label="Loading flows…" />
      ) : (
        <Table aria-label="Flows" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Owner</TableHeaderCell>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Modified</TableHeaderCell>
              <TableHeaderCell>Enabled</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(flows.data ?? []).map((f) => (
              <TableRow key={f.id}>
                <TableCell>
                  <Button appearance="transparent" onClick={() => navigate({ page: 'editor', flowId: f.id })}>
                    {f.name}
                  </Button>
                </TableCell>
                <TableCell>{f.owner?.email ?? ''}</TableCell>
                <TableCell>{f.version}</TableCell>
                <TableCell>{new Date(f.updatedAt).toLocaleString()}</TableCell>
                <TableCell>
                  <Switch
                    aria-label={`Enabled: ${f.name}`}
                    checked={f.enabled}
                    onChange={(_, d) => void setEnabled(f, d.checked)}
                  />
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => navigate({ page: 'editor', flowId: f.id })}
                    aria-label={`Edit ${f.name}`}
                  >
                    Edit
                  </Button>{' '}
                  <Menu>
                    <MenuTrigger disableButtonEnhancement>
                      <Button size="small" icon={<MoreHorizontalRegular />} aria-label={`More actions for ${f.name}`} />
                    </MenuTrigger>
                    <MenuPopover>
                      <MenuList>
                        <MenuItem onClick={() => setDialog({ kind: 'rename', flow: f })}>Rename</MenuItem>
                        <MenuItem onClick={() => setDialog({ kind: 'delete', flow: f })}>Delete</MenuItem>
                      </MenuList>
                    </MenuPopover>
                  </Menu>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {flows.data?.length === 0 && <p>No flows in this environment yet. Choose New flow to build one.</p>}
      {dialog?.kind === 'new' && (
        <PromptDialog
          open
          title="New flow"
          label="Flow name"
          confirm="Create"
          onClose={() => setDialog(null)}
          onSubmit={create}
        />
      )}
      {dialog?.kind === 'rename' && (
        <PromptDialog
          open
          title="Rename flow"
          label="Flow name"
          initial={dialog.flow.name}
          confirm="Rename"
          onClose={() => setDialog(null)}
          onSubmit={async (name) => {
            await api('PATCH', `/api/flows/${enc(dialog.flow.id)}`, { name });
            await refresh();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          open
          title="Delete flow"
          message={`Delete the flow "${dialog.flow.name}" and its run history?`}
          confirm="Delete"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await api('DELETE', `/api/flows/${enc(dialog.flow.id)}`);
            await refresh();
          }}
        />
      )}
    </Page>
  );
}
