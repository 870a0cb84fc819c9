/** "New connection reference" on the Connection references page: display name, optional logical name, connector, and optionally a compatible connection to bind. */
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
  makeStyles,
} from '@fluentui/react-components';
import { api, enc } from '../api/client.js';
import type { Connection, ConnectorSummary } from '../api/types.js';
import { ErrorBar } from './common.js';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '10px' } });

/** Logical names as the server takes them: a letter or digit, then letters, digits, dots, dashes and underscores. */
export const LOGICAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function ReferenceCreateDialog({
  env,
  connectors,
  connections,
  onClose,
  onDone,
}: {
  env: string;
  connectors: ConnectorSummary[];
  connections: Connection[];
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const s = useStyles();
  const [displayName, setDisplayName] = useState('');
  const [logicalName, setLogicalName] = useState('');
  const [connectorId, setConnectorId] = useState(connectors[0]?.id ?? '');
  const [connectionId, setConnectionId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const compatible = connections.filter((c) => c.connectorId === connectorId);
  const badName = logicalName.trim() !== '' && !LOGICAL_NAME.test(logicalName.trim());

  async function create() {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/envs/${enc(env)}/references`, {
        displayName: displayName.trim(),
        connectorId,
        ...(logicalName.trim() ? { logicalName: logicalName.trim() } : {}),
        ...(connectionId ? { connectionId } : {}),
      });
      await onDone();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="New connection reference">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <DialogBody>
            <DialogTitle>New connection reference</DialogTitle>
            <DialogContent className={s.form}>
              <Field label="Display name" required>
                <Input value={displayName} onChange={(_, d) => setDisplayName(d.value)} autoFocus />
              </Field>
              <Field
                label="Logical name"
                hint="Flows name the reference by it; left empty, one is made from the display name."
                validationState={badName ? 'error' : 'none'}
                validationMessage={
                  badName
                    ? 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.'
                    : undefined
                }
              >
                <Input value={logicalName} onChange={(_, d) => setLogicalName(d.value)} />
              </Field>
              <Field label="Connector" required>
                <Dropdown
                  value={connectors.find((c) => c.id === connectorId)?.displayName ?? ''}
                  selectedOptions={[connectorId]}
                  onOptionSelect={(_, d) => {
                    setConnectorId(d.optionValue ?? '');
                    setConnectionId('');
                  }}
                >
                  {connectors.map((c) => (
                    <Option key={c.id} value={c.id}>
                      {c.displayName}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field
                label="Connection"
                hint={
                  compatible.length
                    ? 'Optional: bind it now, or later with Rebind.'
                    : 'No connection of this connector yet: bind one later with Rebind.'
                }
              >
                <Dropdown
                  placeholder="Not bound"
                  value={compatible.find((c) => c.id === connectionId)?.displayName ?? ''}
                  selectedOptions={connectionId ? [connectionId] : []}
                  onOptionSelect={(_, d) => setConnectionId(d.optionValue ?? '')}
                  disabled={compatible.length === 0}
                >
                  {compatible.map((c) => (
                    <Option key={c.id} value={c.id} text={c.displayName}>
                      {`${c.displayName} (${c.owner.email}, ${c.status})`}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                type="submit"
                disabled={busy || !displayName.trim() || !connectorId || badName}
              >
                Create
              </Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
