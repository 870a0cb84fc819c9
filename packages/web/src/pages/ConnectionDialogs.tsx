/**
 * The Connections page's dialogs that talk back: Reconnect with new secrets
 * (API keys, passwords; OAuth2 connections sign in again in a popup instead)
 * and Delete, which first asks the server and, when references are bound to
 * the connection (409), lists them and offers to delete anyway.
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
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { ApiError, api, enc } from '../api/client.js';
import type { AuthScheme, Connection, Reference } from '../api/types.js';
import { ErrorBar } from './common.js';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '10px' } });

/** The secret parameters a connection of this scheme holds: what Reconnect asks for again. */
export function secretParameters(scheme: AuthScheme | undefined) {
  return (scheme?.parameters ?? []).filter((p) => p.secret && !p.hidden);
}

export function ReconnectDialog({
  connection,
  scheme,
  onClose,
  onDone,
}: {
  connection: Connection;
  scheme: AuthScheme | undefined;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const s = useStyles();
  const params = secretParameters(scheme);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api(
        'POST',
        `/api/connections/${enc(connection.id)}/reconnect`,
        Object.keys(filled).length ? { secrets: filled } : {},
      );
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
      <DialogSurface aria-label={`Reconnect ${connection.displayName}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <DialogBody>
            <DialogTitle>Reconnect {connection.displayName}</DialogTitle>
            <DialogContent className={s.form}>
              <Text>
                {params.length
                  ? 'Enter new values for the secrets this connection holds. Fields left empty keep their current value.'
                  : 'This connection holds no secrets; reconnecting marks it connected again.'}
              </Text>
              {params.map((p) => (
                <Field key={p.name} label={p.displayName || p.name} hint={p.description}>
                  <Input
                    type="password"
                    autoComplete="off"
                    value={values[p.name] ?? ''}
                    onChange={(_, d) => setValues((o) => ({ ...o, [p.name]: d.value }))}
                  />
                </Field>
              ))}
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                type="submit"
                disabled={busy || (params.length > 0 && Object.keys(filled).length === 0)}
              >
                Reconnect
              </Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** References of the connection's environment bound to it (the page's reference list), for the refusal. */
export function boundReferences(connection: Connection, references: readonly Reference[]): Reference[] {
  return references.filter((r) => r.connection?.id === connection.id);
}

export function DeleteConnectionDialog({
  connection,
  references,
  onClose,
  onDone,
}: {
  connection: Connection;
  references: readonly Reference[];
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const bound = boundReferences(connection, references);
  async function remove(force: boolean) {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/connections/${enc(connection.id)}${force ? '?force=true' : ''}`);
      await onDone();
      onClose();
    } catch (e) {
      if (!force && e instanceof ApiError && e.status === 409) setRefused(e);
      else setError(e);
      await onDone();
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Delete connection">
        <DialogBody>
          <DialogTitle>Delete connection</DialogTitle>
          <DialogContent>
            {refused ? (
              <div role="alert">
                <Text block>{refused.message}</Text>
                {bound.length > 0 && (
                  <ul aria-label="Bound connection references">
                    {bound.map((r) => (
                      <li key={r.logicalName}>
                        {r.displayName} ({r.logicalName})
                        {r.usedBy.length ? ` — used by ${r.usedBy.map((f) => f.flowName).join(', ')}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
                <Text block>
                  Delete anyway to unbind them: flows that use them cannot run until they are bound to another
                  connection.
                </Text>
              </div>
            ) : (
              <Text>Delete &quot;{connection.displayName}&quot;? Its secrets are erased.</Text>
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
