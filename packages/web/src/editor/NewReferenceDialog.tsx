/**
 * "Add new connection reference": a display name, and either an existing
 * compatible connection or a new one made with the connector's auth form
 * (or OAuth2 sign-in in a popup). Creates the reference bound to it.
 *
 * A sign-in that fails or is cancelled leaves its connection waiting
 * (`needs-reauth`): Sign in again signs that same connection in (with what
 * was typed since), and Cancel offers to delete it.
 */
import { useState } from 'react';
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
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
  Radio,
  RadioGroup,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { keys, useConnections } from '../api/queries.js';
import type { AuthScheme, Connection, ConnectorSummary, Reference } from '../api/types.js';
import { ErrorBar } from '../pages/common.js';
import { openPopup, waitForOAuth } from './oauth.js';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '10px' } });

const isOAuth = (s: AuthScheme | undefined) => Boolean(s && /oauth/i.test(s.type));

export function AuthForm(props: {
  connector: ConnectorSummary;
  scheme: string;
  setScheme(s: string): void;
  values: Record<string, string>;
  setValue(name: string, v: string): void;
  baseUrl: string;
  setBaseUrl(v: string): void;
}) {
  const { connector } = props;
  const scheme = connector.authSchemes.find((x) => x.name === props.scheme);
  return (
    <>
      {connector.authSchemes.length > 1 && (
        <Field label="Authentication type" required>
          <Dropdown
            value={scheme?.displayName ?? props.scheme}
            selectedOptions={[props.scheme]}
            onOptionSelect={(_, d) => d.optionValue && props.setScheme(d.optionValue)}
          >
            {connector.authSchemes.map((x) => (
              <Option key={x.name} value={x.name}>
                {x.displayName || x.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      {(scheme?.parameters ?? [])
        .filter((p) => !p.hidden)
        .map((p) =>
          p.allowedValues && p.allowedValues.length > 0 ? (
            <Field key={p.name} label={p.displayName || p.name} hint={p.description} required={p.required}>
              <Dropdown
                value={props.values[p.name] ?? ''}
                selectedOptions={[props.values[p.name] ?? '']}
                onOptionSelect={(_, d) => props.setValue(p.name, d.optionValue ?? '')}
              >
                {p.allowedValues.map((v) => (
                  <Option key={v} value={v}>
                    {v}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          ) : (
            <Field key={p.name} label={p.displayName || p.name} hint={p.description} required={p.required}>
              <Input
                type={p.secret ? 'password' : 'text'}
                autoComplete="off"
                value={props.values[p.name] ?? ''}
                onChange={(_, d) => props.setValue(p.name, d.value)}
              />
            </Field>
          ),
        )}
      <Accordion collapsible>
        <AccordionItem value="advanced">
          <AccordionHeader size="small">Advanced</AccordionHeader>
          <AccordionPanel>
            <Field label="Base URL" hint="Overrides the connector's host, e.g. a sandbox or self-hosted instance.">
              <Input type="url" value={props.baseUrl} onChange={(_, d) => props.setBaseUrl(d.value)} />
            </Field>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </>
  );
}

/** Splits typed auth values into non-secret params and secrets, as the API wants them. */
export function splitAuthValues(
  scheme: AuthScheme | undefined,
  values: Record<string, string>,
): { params: Record<string, string>; secrets: Record<string, string> } {
  const params: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const p of scheme?.parameters ?? []) {
    const v = values[p.name];
    if (v === undefined || v === '') continue;
    (p.secret ? secrets : params)[p.name] = v;
  }
  return { params, secrets };
}

export function NewReferenceDialog(props: {
  env: string;
  connector: ConnectorSummary;
  onClose(): void;
  onCreated(ref: Reference): void;
}) {
  const s = useStyles();
  const qc = useQueryClient();
  const { connector, env } = props;
  const connections = useConnections(env);
  const compatible = (connections.data ?? []).filter((c) => c.connectorId === connector.id);
  const [displayName, setDisplayName] = useState(connector.displayName);
  const [mode, setMode] = useState<'existing' | 'new'>('new');
  const [connectionId, setConnectionId] = useState('');
  const [connName, setConnName] = useState(`${connector.displayName} connection`);
  const [scheme, setScheme] = useState(connector.authSchemes[0]?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [baseUrl, setBaseUrl] = useState('');
  const [signedIn, setSignedIn] = useState<Connection | null>(null);
  /** The connection an unfinished sign-in created; a retry signs it in instead of making another. */
  const [pending, setPending] = useState<Connection | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const schemeInfo = connector.authSchemes.find((x) => x.name === scheme);
  const oauth = isOAuth(schemeInfo);
  const effectiveMode = compatible.length === 0 ? 'new' : mode;

  async function createConnection(): Promise<{ connection: Connection; authorizeUrl?: string }> {
    const { params, secrets } = splitAuthValues(schemeInfo, values);
    const body: Record<string, unknown> = { connectorId: connector.id, displayName: connName.trim(), params, secrets };
    if (scheme) body.scheme = scheme;
    if (baseUrl.trim()) body.baseUrl = baseUrl.trim();
    return api('POST', `/api/envs/${enc(env)}/connections`, body);
  }

  /** Starts the sign-in: a new connection, or the unfinished one again with what was typed since. */
  async function startSignIn(): Promise<{ connection: Connection; authorizeUrl?: string }> {
    if (pending && (pending.scheme ?? '') !== scheme) {
      // Another authentication type: the unfinished connection cannot become it.
      await api('DELETE', `/api/connections/${enc(pending.id)}`);
      setPending(null);
    } else if (pending) {
      const { params, secrets } = splitAuthValues(schemeInfo, values);
      await api('PATCH', `/api/connections/${enc(pending.id)}`, {
        displayName: connName.trim(),
        params,
        baseUrl: baseUrl.trim() || null,
        ...(Object.keys(secrets).length ? { secrets } : {}),
      });
      return api('POST', `/api/connections/${enc(pending.id)}/reconnect`, {});
    }
    const created = await createConnection();
    setPending(created.connection);
    return created;
  }

  async function signIn() {
    const popup = openPopup();
    setBusy(true);
    setError(null);
    try {
      const { connection, authorizeUrl } = await startSignIn();
      if (!authorizeUrl) throw new Error('The server did not return a sign-in address for this connection.');
      if (popup) popup.location.href = authorizeUrl;
      else window.open(authorizeUrl, 'patchbay-oauth', 'width=520,height=680');
      const r = await waitForOAuth(popup, connection.id);
      if (!r.ok) throw new Error(r.error ?? 'Sign-in failed.');
      setSignedIn({ ...connection, status: 'connected' });
      setPending(null);
    } catch (e) {
      popup?.close();
      setError(e);
    } finally {
      await qc.invalidateQueries({ queryKey: keys.connections(env) });
      setBusy(false);
    }
  }

  async function create() {
    setBusy(true);
    setError(null);
    try {
      let id = connectionId;
      if (effectiveMode === 'new') {
        if (oauth) {
          if (!signedIn) throw new Error('Sign in first.');
          id = signedIn.id;
        } else {
          id = (await createConnection()).connection.id;
        }
      }
      if (!id) throw new Error('Choose a connection.');
      const ref = await api<Reference>('POST', `/api/envs/${enc(env)}/references`, {
        displayName: displayName.trim(),
        connectorId: connector.id,
        connectionId: id,
      });
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.references(env) }),
        qc.invalidateQueries({ queryKey: keys.connections(env) }),
      ]);
      props.onCreated(ref);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  /** Cancel: asks first when an unfinished sign-in left a connection behind. */
  function requestClose() {
    if (pending) setConfirmDiscard(true);
    else props.onClose();
  }

  if (confirmDiscard && pending) {
    return (
      <DiscardConnectionDialog
        connection={pending}
        onDone={async () => {
          await qc.invalidateQueries({ queryKey: keys.connections(env) });
          props.onClose();
        }}
      />
    );
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && requestClose()}>
      <DialogSurface aria-label="Add new connection reference">
        <DialogBody>
          <DialogTitle>Add new connection reference</DialogTitle>
          <DialogContent className={s.form}>
            <Text>
              A connection reference lets this flow use a {connector.displayName} connection without holding its
              credentials.
            </Text>
            <Field label="Display name" required>
              <Input value={displayName} onChange={(_, d) => setDisplayName(d.value)} />
            </Field>
            {compatible.length > 0 && (
              <RadioGroup
                aria-label="Connection"
                value={effectiveMode}
                onChange={(_, d) => setMode(d.value as 'existing' | 'new')}
              >
                <Radio value="existing" label="Use an existing connection" />
                <Radio value="new" label="Create a new connection" />
              </RadioGroup>
            )}
            {effectiveMode === 'existing' ? (
              <Field label="Connection" required>
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
            ) : (
              <>
                <Field label="Connection name" required>
                  <Input value={connName} onChange={(_, d) => setConnName(d.value)} />
                </Field>
                <AuthForm
                  connector={connector}
                  scheme={scheme}
                  setScheme={setScheme}
                  values={values}
                  setValue={(n, v) => setValues((old) => ({ ...old, [n]: v }))}
                  baseUrl={baseUrl}
                  setBaseUrl={setBaseUrl}
                />
                {oauth && (
                  <div>
                    <Button onClick={() => void signIn()} disabled={busy || Boolean(signedIn)}>
                      Sign in
                    </Button>{' '}
                    <Text role="status">
                      {signedIn
                        ? 'Signed in.'
                        : pending
                          ? 'Sign-in did not finish. Sign in again to finish it.'
                          : 'Not signed in yet.'}
                    </Text>
                  </div>
                )}
              </>
            )}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={busy || !displayName.trim() || (effectiveMode === 'new' && oauth && !signedIn)}
              onClick={() => void create()}
            >
              Create
            </Button>
            <Button onClick={requestClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Cancelling after an unfinished sign-in: delete the waiting connection, or keep it to reconnect later from Connections. */
function DiscardConnectionDialog({ connection, onDone }: { connection: Connection; onDone(): Promise<void> }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/connections/${enc(connection.id)}`);
      await onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && void onDone()}>
      <DialogSurface aria-label="Unfinished connection">
        <DialogBody>
          <DialogTitle>Unfinished connection</DialogTitle>
          <DialogContent>
            <Text block>
              The sign-in for the connection "{connection.displayName}" did not finish, so it cannot be used yet. Delete
              it, or keep it and reconnect it later on the Connections page.
            </Text>
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy} onClick={() => void remove()}>
              Delete connection
            </Button>
            <Button disabled={busy} onClick={() => void onDone()}>
              Keep connection
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
