/** The run panel under the workspace: live status of the current run, its outputs and error, and the run history with each run's steps. */
import { useState } from 'react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useRun, useRuns } from '../api/queries.js';
import type { RunView } from './runStream.js';
import { formatMs } from './Workspace.js';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    gap: '16px',
    padding: '8px 12px',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    height: '100%',
    boxSizing: 'border-box',
    overflow: 'auto',
  },
  col: { flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, whiteSpace: 'pre-wrap', wordBreak: 'break-all' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function RunPanel({ flowId, live }: { flowId: string; live: RunView | null }) {
  const s = useStyles();
  const runs = useRuns(flowId);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const detail = useRun(picked);
  return (
    <section className={s.panel} aria-label="Run">
      <div className={s.col}>
        <Text weight="semibold">Current run</Text>
        <Text role="status" aria-label="Run status" data-run-status={live?.status ?? 'none'} data-run-id={live?.runId}>
          {live ? `Run status: ${live.status}` : 'Not run yet. Choose Run to start.'}
        </Text>
        {live?.error && <Text className={s.error}>{live.error.message}</Text>}
        {live?.outputs && (
          <Table size="extra-small" aria-label="Run outputs">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Output</TableHeaderCell>
                <TableHeaderCell>Value</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {Object.entries(live.outputs).map(([k, v]) => (
                <TableRow key={k}>
                  <TableCell>{k}</TableCell>
                  <TableCell className={s.mono}>{show(v)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      <div className={s.col}>
        <Text weight="semibold">Run history</Text>
        <Table size="extra-small" aria-label="Run history">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Started</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Steps</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(runs.data ?? []).map((r) => (
              <TableRow key={r.id} aria-selected={picked === r.id}>
                <TableCell>{new Date(r.startedAt ?? r.queuedAt ?? Date.now()).toLocaleString()}</TableCell>
                <TableCell>{r.status}</TableCell>
                <TableCell>
                  <Button size="small" onClick={() => setPicked(r.id)} aria-label={`Show steps of run ${r.id}`}>
                    Show
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {picked && detail.data && (
        <div className={s.col}>
          <Text weight="semibold">Steps of the run</Text>
          <Table size="extra-small" aria-label="Run steps">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Step</TableHeaderCell>
                <TableHeaderCell>Action</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Time</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {detail.data.steps.map((st) => (
                <TableRow key={st.seq}>
                  <TableCell>{st.stepPath}</TableCell>
                  <TableCell>{st.action}</TableCell>
                  <TableCell>
                    {st.status}
                    {st.error ? `: ${st.error.message}` : ''}
                  </TableCell>
                  <TableCell>{st.durationMs !== undefined ? formatMs(st.durationMs) : ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
