/**
 * Environment variables of the current environment: every definition with its
 * value here. Definitions are shared by all environments; values are set per
 * environment. Secret values are write-only: the server never answers them,
 * the page only says whether one is set.
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
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';

export const ENV_VAR_TYPES = ['text', 'number', 'boolean', 'json', 'secret'] as const;
export type EnvVarType = (typeof ENV_VAR_TYPES)[number];
export interface EnvVariable {
  schemaName: string;
  displayName?: string;
  type: EnvVarType;
  value: unknown;
  hasValue: boolean;
}

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
});

/** Typed text to the value the API stores; throws a message for the person typing. */
export function readEnvValue(type: EnvVarType, text: string): unknown {
  if (type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new Error('Type a number, e.g. 42 or 2.5.');
    return Number(text);
  }
  if (type === 'boolean') return text === 'true';
  if (type === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`Type JSON, e.g. {"Key": "value"}: ${(e as Error).message}`);
    }
  }
  return text;
}

const keysOf = (env: string) => ['variables', env] as const;

function VariableDialog({ env, existing, onClose }: { env: string; existing?: EnvVariable; onClose(): void }) {
  const s = useStyles();
  const qc = useQueryClient();
  const [schemaName, setSchemaName] = useState(existing?.schemaName ?? '');
  const [displayName, setDisplayName] = useState(existing?.displayName ?? '');
  const [type, setType] = useState<EnvVarType>(existing?.type ?? 'text');
  const [text, setText] = useState(
    existing && existing.type !== 'secret' && existing.value !== null && existing.value !== undefined
      ? typeof existing.value === 'string'
        ? existing.value
        : JSON.stringify(existing.value)
      : type === 'boolean'
        ? 'false'
        : '',
  );
  const [error, setError] = useState<unknown>(null);
  async function save() {
    setError(null);
    try {
      const value = readEnvValue(type, text);
      await api(
        'PUT',
        `/api/envs/${enc(env)}/variables/${enc(schemaName.trim())}`,
        existing ? { value } : { value, type, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
      );
      await qc.invalidateQueries({ queryKey: keysOf(env) });
      onClose();
    } catch (e) {
      setError(e);
    }
  }
  const title = existing ? `Set ${existing.schemaName}` : 'New environment variable';
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label={title}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={s.form}>
              {!existing && (
                <>
                  <Field
                    label="Schema name"
                    hint="Flows and deployment settings name the variable by it, e.g. contoso_ApiBase."
                    required
                  >
                    <Input value={schemaName} onChange={(_, d) => setSchemaName(d.value)} autoFocus />
                  </Field>
                  <Field label="Display name">
                    <Input value={displayName} onChange={(_, d) => setDisplayName(d.value)} />
                  </Field>
                  <Field label="Data type">
                    <Dropdown
                      value={type}
                      selectedOptions={[type]}
                      onOptionSelect={(_, d) =>
                        d.optionValue &&
                        (setType(d.optionValue as EnvVarType), setText(d.optionValue === 'boolean' ? 'false' : ''))
                      }
                    >
                      {ENV_VAR_TYPES.map((t) => (
                        <Option key={t} value={t}>
                          {t}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                </>
              )}
              <Field
                label={`Value in ${env}`}
                hint={
                  type === 'secret'
                    ? 'Write-only: stored encrypted, never shown again.'
                    : type === 'json'
                      ? 'JSON'
                      : undefined
                }
              >
                {type === 'boolean' ? (
                  <Dropdown
                    value={text}
                    selectedOptions={[text]}
                    onOptionSelect={(_, d) => setText(d.optionValue ?? 'false')}
                  >
                    <Option value="true">true</Option>
                    <Option value="false">false</Option>
                  </Dropdown>
                ) : (
                  <Input
                    type={type === 'secret' ? 'password' : 'text'}
                    autoComplete="off"
                    value={text}
                    onChange={(_, d) => setText(d.value)}
                  />
                )}
              </Field>
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={!schemaName.trim()}>
                Save
              </Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function shown(v: EnvVariable): string {
  if (v.type === 'secret') return v.hasValue ? '•••••• (set)' : 'Not set';
  if (!v.hasValue || v.value === null || v.value === undefined) return 'Not set';
  return typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
}

export default function VariablesPage() {
  const s = useStyles();
  const { env } = useEnv();
  const vars = useQuery({
    queryKey: keysOf(env),
    queryFn: () => api<EnvVariable[]>('GET', `/api/envs/${enc(env)}/variables`),
  });
  const [dialog, setDialog] = useState<{ existing?: EnvVariable } | null>(null);
  return (
    <Page
      title="Environment variables"
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setDialog({})}>
          New environment variable
        </Button>
      }
    >
      <ErrorBar error={vars.error} />
      <Text>
        Values below are for the environment &quot;{env}&quot;; switch environments at the top to set the others.
      </Text>
      {vars.isPending ? (
        <Spinner label="Loading environment variables…" />
      ) : (
        <Table aria-label="Environment variables" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Schema name</TableHeaderCell>
              <TableHeaderCell>Display name</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Value in {env}</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(vars.data ?? []).map((v) => (
              <TableRow key={v.schemaName} data-schema-name={v.schemaName}>
                <TableCell>{v.schemaName}</TableCell>
                <TableCell>{v.displayName ?? ''}</TableCell>
                <TableCell>{v.type}</TableCell>
                <TableCell className={s.mono}>{shown(v)}</TableCell>
                <TableCell>
                  <Button size="small" aria-label={`Set ${v.schemaName}`} onClick={() => setDialog({ existing: v })}>
                    Set value
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {vars.data?.length === 0 && <p>No environment variables yet.</p>}
      {dialog && (
        <VariableDialog
          key={dialog.existing?.schemaName ?? 'new'}
          env={env}
          existing={dialog.existing}
          onClose={() => setDialog(null)}
        />
      )}
    </Page>
  );
}
