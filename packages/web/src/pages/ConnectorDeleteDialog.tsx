/**
 * Delete connector: asks first; when flows use the connector (409) it shows
 * the server's message naming them and offers "Delete anyway", which flows
 * then cannot run until a connector with that id is imported again.
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
  Text,
} from '@fluentui/react-components';
import { ApiError, api, enc } from '../api/client.js';
import type { ConnectorSummary } from '../api/types.js';
import { ErrorBar } from './common.js';

export function ConnectorDeleteDialog({
  env,
  connector,
  onClose,
  onDone,
}: {
  env: string;
  connector: ConnectorSummary;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function remove(force: boolean) {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/envs/${enc(env)}/connectors/${enc(connector.id)}${force ? '?force=true' : ''}`);
      await onDone();
      onClose();
    } catch (e) {
      if (!force && e instanceof ApiError && e.status === 409) setRefused(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Delete connector">
        <DialogBody>
          <DialogTitle>Delete connector</DialogTitle>
          <DialogContent>
            {refused ? (
              <div role="alert">
                <Text block>{refused.message}</Text>
                <Text block>
                  Delete anyway: those flows cannot run until a connector with the id &quot;{connector.id}&quot; is
                  imported again.
                </Text>
              </div>
            ) : (
              <Text>
                Delete &quot;{connector.displayName}&quot; ({connector.id}) from this environment? Connections to it
                stay, but cannot be used until it is imported again.
              </Text>
            )}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy} onClick={() => void remove(refused !== null)}>
              {refused ? 'Delete anyway' : 'Delete'}
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
