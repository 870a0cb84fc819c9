/**
 * "Import connector": a Power Platform connector folder's files
 * (apiDefinition.swagger.json, apiProperties.json, optional icon.png) or one
 * OpenAPI file (JSON or YAML), and an optional id. A broken file shows the
 * server's error with its file, line and column.
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
  Field,
  Input,
  MessageBar,
  type FieldControlProps,
  MessageBarBody,
  Radio,
  RadioGroup,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { keys } from '../api/queries.js';
import type { ConnectorSummary } from '../api/types.js';
import {
  DEFINITION_FILE,
  ICON_FILE,
  PROPERTIES_FILE,
  connectorUploadBody,
  importErrorText,
  toBase64,
  type PickedFile,
} from './connectorUpload.js';

async function readText(file: File | undefined): Promise<PickedFile | null> {
  return file ? { name: file.name, text: await file.text() } : null;
}

export function ConnectorImportDialog({
  env,
  onClose,
  onImported,
}: {
  env: string;
  onClose(): void;
  onImported(c: ConnectorSummary): void;
}) {
  const qc = useQueryClient();
  const [kind, setKind] = useState<'folder' | 'openapi'>('folder');
  const [definition, setDefinition] = useState<File | undefined>();
  const [properties, setProperties] = useState<File | undefined>();
  const [icon, setIcon] = useState<File | undefined>();
  const [openapi, setOpenapi] = useState<File | undefined>();
  const [id, setId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = kind === 'folder' ? Boolean(definition && properties) : Boolean(openapi);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const body = connectorUploadBody(
        kind === 'openapi'
          ? { kind, file: await readText(openapi) }
          : {
              kind,
              definition: await readText(definition),
              properties: await readText(properties),
              ...(icon ? { iconBase64: toBase64(new Uint8Array(await icon.arrayBuffer())) } : {}),
            },
        id,
      );
      if ('missing' in body) {
        setError(body.missing);
        return;
      }
      const connector = await api<ConnectorSummary>('POST', `/api/envs/${enc(env)}/connectors`, body);
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.connectors(env) }),
        qc.invalidateQueries({ queryKey: ['operation-action', env, connector.id] }),
      ]);
      onImported(connector);
      onClose();
    } catch (e) {
      setError(importErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  // A Field's render function: the file input gets the field's label, id and aria attributes.
  const fileInput = (accept: string, set: (f: File | undefined) => void) => (fieldProps: FieldControlProps) => (
    <input {...fieldProps} type="file" accept={accept} onChange={(e) => set(e.target.files?.[0])} />
  );

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Import connector">
        <DialogBody>
          <DialogTitle>Import connector</DialogTitle>
          <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
            <Field label="Source">
              <RadioGroup
                value={kind}
                onChange={(_, d) => setKind(d.value === 'openapi' ? 'openapi' : 'folder')}
                layout="horizontal"
              >
                <Radio value="folder" label="Power Platform connector folder" />
                <Radio value="openapi" label="OpenAPI file" />
              </RadioGroup>
            </Field>
            {kind === 'folder' ? (
              <>
                <Field label={`API definition (${DEFINITION_FILE})`} required>
                  {fileInput('.json,application/json', setDefinition)}
                </Field>
                <Field label={`API properties (${PROPERTIES_FILE})`} required>
                  {fileInput('.json,application/json', setProperties)}
                </Field>
                <Field label={`Icon (${ICON_FILE})`} hint="Optional.">
                  {fileInput('.png,image/png', setIcon)}
                </Field>
              </>
            ) : (
              <Field label="OpenAPI file (JSON or YAML)" required>
                {fileInput('.json,.yaml,.yml,application/json,application/yaml', setOpenapi)}
              </Field>
            )}
            <Field
              label="Connector id"
              hint="Optional. Patchbay derives one from the connector's title when left empty; importing again with the same id replaces the connector."
            >
              <Input value={id} onChange={(_, d) => setId(d.value)} />
            </Field>
            {error && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!ready || busy} onClick={() => void submit()}>
              Import
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
