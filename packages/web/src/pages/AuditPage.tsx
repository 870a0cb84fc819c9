/**
 * The audit log: security events newest first, with filters. The owner reads
 * every entry (or all environments at once), an environment admin the
 * entries of the current environment; anyone else sees the server's refusal.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
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
  makeStyles,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { useEnv } from '../app/env.js';
import { ErrorBar, Page } from './common.js';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string | null; email: string | null };
  environment: string | null;
  action: string;
  target: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditFilters {
  allEnvironments: boolean;
  actor: string;
  action: string;
  /** A `datetime-local` value (local time), or empty. */
  since: string;
}

const useStyles = makeStyles({
  filters: { display: 'flex', gap: '12px', alignItems: 'flex-end', flexWrap: 'wrap' },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
});

/** The API query for the filters in environment `env`. */
export function auditQuery(env: string, f: AuditFilters): string {
  const q = new URLSearchParams({ limit: '500' });
  if (!f.allEnvironments) q.set('env', env);
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action.trim()) q.set('action', f.action.trim());
  if (f.since) {
    const t = new Date(f.since);
    q.set('since', Number.isNaN(t.getTime()) ? f.since : t.toISOString());
  }
  return `/api/audit?${q.toString()}`;
}

const OUTCOME_COLOR = { ok: 'success', denied: 'danger', failed: 'warning' } as const;

export default function AuditPage() {
  const s = useStyles();
  const { env } = useEnv();
  const empty: AuditFilters = { allEnvironments: false, actor: '', action: '', since: '' };
  const [draft, setDraft] = useState<AuditFilters>(empty);
  const [applied, setApplied] = useState<AuditFilters>(empty);
  const url = auditQuery(env, applied);
  const entries = useQuery({ queryKey: ['audit', url], queryFn: () => api<AuditEntry[]>('GET', url), retry: false });

  return (
    <Page title="Audit log">
      <form
        className={s.filters}
        aria-label="Audit log filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        <Checkbox
          label="All environments"
          checked={draft.allEnvironments}
          onChange={(_, d) => setDraft({ ...draft, allEnvironments: d.checked === true })}
        />
        <Field label="Actor email">
          <Input
            type="email"
            value={draft.actor}
            onChange={(_, d) => setDraft({ ...draft, actor: d.value })}
            placeholder="someone@example.com"
          />
        </Field>
        <Field label="Action">
          <Input
            value={draft.action}
            onChange={(_, d) => setDraft({ ...draft, action: d.value })}
            placeholder="connection.share"
          />
        </Field>
        <Field label="Since">
          <Input
            type="datetime-local"
            value={draft.since}
            onChange={(_, d) => setDraft({ ...draft, since: d.value })}
          />
        </Field>
        <Button appearance="primary" type="submit">
          Apply filters
        </Button>
      </form>
      <ErrorBar error={entries.error} />
      {entries.isPending && <Spinner label="Loading the audit log…" />}
      {entries.data && entries.data.length === 0 && <Text>No entries match.</Text>}
      {entries.data && entries.data.length > 0 && (
        <Table aria-label="Audit log entries" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Time</TableHeaderCell>
              <TableHeaderCell>Actor</TableHeaderCell>
              <TableHeaderCell>Environment</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Detail</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.data.map((e) => (
              <TableRow key={e.id} data-action={e.action} data-outcome={e.outcome}>
                <TableCell>{new Date(e.at).toLocaleString()}</TableCell>
                <TableCell>{e.actor.email ?? '—'}</TableCell>
                <TableCell>{e.environment ?? '(instance)'}</TableCell>
                <TableCell className={s.mono}>{e.action}</TableCell>
                <TableCell className={s.mono}>{e.target ?? ''}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={OUTCOME_COLOR[e.outcome]}>
                    {e.outcome}
                  </Badge>
                </TableCell>
                <TableCell className={s.mono}>
                  {Object.entries(e.detail)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(' ')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Page>
  );
}
