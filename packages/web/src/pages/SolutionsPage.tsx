/** Solutions: create one from flows, export it as a zip, import a zip with a deployment settings file. */
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { AddRegular, ArrowDownloadRegular, ArrowUploadRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, download, enc, upload } from '../api/client.js';
import { keys, useFlows, useSolutions } from '../api/queries.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';

interface ImportResult {
  flows: { id: string; name: string; enabled: boolean }[];
  unbound: { logicalName: string; connectorId?: string; flows: unknown }[];
}

/** Saves JSON as a file the browser downloads (the deployment settings template). */
function saveJson(data: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CreateDialog({ env, onClose }: { env: string; onClose(): void }) {
  const flows = useFlows(env);
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  async function create() {
    try {
      await api('POST', `/api/envs/${enc(env)}/solutions`, { name: name.trim(), flowIds: chosen });
      await qc.invalidateQueries({ queryKey: keys.solutions(env) });
      onClose();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="New solution">
        <DialogBody>
          <DialogTitle>New solution</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Field label="Solution name" required>
              <Input value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            <Text weight="semibold">Flows</Text>
            {(flows.data ?? []).map((f) => (
              <Checkbox
                key={f.id}
                label={f.name}
                checked={chosen.includes(f.id)}
                onChange={(_, d) => setChosen((o) => (d.checked ? [...o, f.id] : o.filter((x) => x !== f.id)))}
              />
            ))}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!name.trim() || chosen.length === 0} onClick={() => void create()}>
              Create
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function ImportDialog({ env, onClose }: { env: string; onClose(): void }) {
  const qc = useQueryClient();
  const [zip, setZip] = useState<File | null>(null);
  const [settings, setSettings] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    if (!zip) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('solution', zip, zip.name);
      if (settings) form.append('settings', settings, settings.name);
      setResult(await upload<ImportResult>(`/api/envs/${enc(env)}/solutions/import`, form));
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.solutions(env) }),
        qc.invalidateQueries({ queryKey: keys.flows(env) }),
        qc.invalidateQueries({ queryKey: keys.references(env) }),
      ]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function template() {
    if (!zip) return;
    setError(null);
    try {
      const settings = await upload<unknown>(`/api/envs/${enc(env)}/solutions/settings`, zip, 'application/zip');
      saveJson(settings, `${zip.name.replace(/\.zip$/i, '')}.settings.json`);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Import solution">
        <DialogBody>
          <DialogTitle>Import solution</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Field label="Solution file (.zip)" required>
              {(fieldProps) => (
                <input
                  {...fieldProps}
                  type="file"
                  accept=".zip,application/zip"
                  onChange={(e) => setZip(e.target.files?.[0] ?? null)}
                />
              )}
            </Field>
            <Field label="Deployment settings file (.json)">
              {(fieldProps) => (
                <input
                  {...fieldProps}
                  type="file"
                  accept=".json,application/json"
                  onChange={(e) => setSettings(e.target.files?.[0] ?? null)}
                />
              )}
            </Field>
            {result && (
              <div role="status">
                <Text>
                  Imported {result.flows.length} flow(s): {result.flows.map((f) => f.name).join(', ')}.
                </Text>
                {result.unbound.length > 0 && (
                  <Text block>
                    Unbound connection references (bind them before running):{' '}
                    {result.unbound.map((u) => u.logicalName).join(', ')}.
                  </Text>
                )}
                {result.unbound.length > 0 && (
                  <ul aria-label="Unbound connection references">
                    {result.unbound.map((u) => (
                      <li key={u.logicalName}>
                        {u.logicalName}
                        {u.connectorId ? ` (${u.connectorId})` : ''}: bind it on the Connection references page, or give
                        its ConnectionId in the deployment settings file.
                      </li>
                    ))}
                  </ul>
                )}
                {result.unbound.length === 0 && (
                  <Text block>Every connection reference is bound in this environment.</Text>
                )}
              </div>
            )}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!zip || busy} onClick={() => void run()}>
              Import
            </Button>
            <Button
              disabled={!zip || busy}
              onClick={() => void template()}
              title="The deployment settings file this solution takes, with every environment variable and connection reference to fill in"
            >
              Download settings template
            </Button>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

export default function SolutionsPage() {
  const { env } = useEnv();
  const solutions = useSolutions(env);
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Page
      title="Solutions"
      actions={
        <>
          <Button icon={<ArrowUploadRegular />} onClick={() => setDialog('import')}>
            Import
          </Button>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setDialog('create')}>
            New solution
          </Button>
        </>
      }
    >
      <ErrorBar error={solutions.error ?? error} />
      {solutions.isPending ? (
        <Spinner label="Loading solutions…" />
      ) : (
        <Table aria-label="Solutions" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Flows</TableHeaderCell>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(solutions.data ?? []).map((sol) => (
              <TableRow key={sol.name}>
                <TableCell>{sol.name}</TableCell>
                <TableCell>{sol.flows.map((f) => f.name).join(', ')}</TableCell>
                <TableCell>{sol.version ?? ''}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    icon={<ArrowDownloadRegular />}
                    aria-label={`Export ${sol.name}`}
                    onClick={() =>
                      download(`/api/envs/${enc(env)}/solutions/${enc(sol.name)}/export`, `${sol.name}.zip`).catch(
                        setError,
                      )
                    }
                  >
                    Export
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {dialog === 'create' && <CreateDialog env={env} onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportDialog env={env} onClose={() => setDialog(null)} />}
    </Page>
  );
}
