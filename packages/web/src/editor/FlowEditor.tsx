/**
 * The flow editor: Actions | Workspace | Variables, a toolbar (Save, Run,
 * Undo, Redo), the action dialog and the run panel. Every change is a
 * FlowEdit applied locally (undo = a stack of states) and saved to the server
 * as the same edits.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ClipboardEvent as ReactClipboardEvent,
  type KeyboardEvent,
} from 'react';
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Text,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowRedoRegular,
  ArrowUndoRegular,
  PlayRegular,
  SaveRegular,
  RenameRegular,
  AddRegular,
  ShareRegular,
} from '@fluentui/react-icons';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { evaluateFlowPolicies, getAtPointer, parsePointer, policiesFor, type FlowEdit } from '@patchbay/core';
import { robinForSteps, stepsFromClipboard, STEPS_MIME, UNSUPPORTED_ACTION } from './clipboard.js';
import { ApiError, api, enc } from '../api/client.js';
import {
  dynamicSchemaQuery,
  keys,
  useActions,
  useConnections,
  useConnectors,
  useEmbeddedReferences,
  useFlow,
  usePolicies,
  useReferences,
  useRun,
  useRuns,
} from '../api/queries.js';
import type { ActionInfo, ConnectorSummary, FlowDoc, FlowRecord, StepDoc } from '../api/types.js';
import { useEnv } from '../app/env.js';
import { setLeaveGuard } from '../app/route.js';
import { ErrorBar, PromptDialog } from '../pages/common.js';
import { ActionDialog } from './ActionDialog.js';
import { ActionsPane } from './ActionsPane.js';
import { useDiagnostics, useOperationInfos } from './diagnostics.js';
import { dropTargetOf } from './dropAt.js';
import { edit as applyEdit, initHistory, isDirty, redo, savePlan, saved, undo, type History } from './history.js';
import { buildLibrary, type LibraryItem } from './library.js';
import { flattenFlow, newBlockBodies, type DropTarget } from './rows.js';
import {
  EMPTY_SELECTION,
  select,
  selectAll,
  selectionRoots,
  stepBeside,
  type SelectHow,
  type Selection,
} from './selection.js';
import { RunPanel } from './RunPanel.js';
import { RunDialog } from './RunDialog.js';
import { runNeeds, type RunNeed } from './runNeeds.js';
import { useRunStream } from './runStream.js';
import { enabledSteps, flowVariables } from './variables.js';
import { VariablesPane } from './VariablesPane.js';
import { Workspace, type BranchRequest, type StepLook } from './Workspace.js';
import { BranchDialog } from './BranchDialog.js';
import { ShareDialog } from './ShareDialog.js';
import { addBranch, branchSettings, removeBranch, setBranch, type Branch } from './branches.js';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateRows: 'auto auto 1fr 220px', height: '100%' },
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    padding: '0 12px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  dirty: { color: tokens.colorPaletteDarkOrangeForeground1 },
  panes: { display: 'grid', gridTemplateColumns: '280px 1fr 260px', minHeight: 0 },
  side: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, minHeight: 0 },
  right: { borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, minHeight: 0 },
  center: { overflow: 'auto', minHeight: 0, display: 'flex', flexDirection: 'column' },
  overlay: {
    padding: '4px 8px',
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusMedium,
  },
});

/**
 * Library items start dragging on pointer down (so a plain press-move-release,
 * as test drivers do, drops them); workspace rows wait for 4 px of movement so
 * clicks and double-clicks still select and open them.
 */
class LibraryAwarePointerSensor extends PointerSensor {
  constructor(props: ConstructorParameters<typeof PointerSensor>[0]) {
    const target = props.event.target as Element | null;
    const fromLibrary = Boolean(target?.closest?.('[data-library-item]'));
    super({ ...props, options: { ...props.options, activationConstraint: fromLibrary ? undefined : { distance: 4 } } });
  }
}

/** Dropping a step on its own line, or just after itself, changes nothing. */
function isSamePlace(path: string, target: DropTarget): boolean {
  const i = path.lastIndexOf('/');
  const index = Number(path.slice(i + 1));
  return path.slice(0, i) === target.parentPath && (target.index === index || target.index === index + 1);
}

type DialogState = { mode: 'add'; target: DropTarget; step: StepDoc } | { mode: 'edit'; path: string; step: StepDoc };

function summarize(params: Record<string, unknown> | undefined): string {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ')
    .slice(0, 160);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(
    el && (el.closest('input, textarea, select, [contenteditable="true"]') || el.closest('[role="dialog"]')),
  );
}

export default function FlowEditor({ flowId }: { flowId: string }) {
  const s = useStyles();
  const { env } = useEnv();
  const qc = useQueryClient();
  const flowQ = useFlow(flowId);
  const actionsQ = useActions();
  const connectorsQ = useConnectors(flowQ.data?.environment ?? env);
  const [history, setHistory] = useState<History | null>(null);
  const [listPointer, setListPointer] = useState('/steps');
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [clipboard, setClipboard] = useState<StepDoc[]>([]);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [asking, setAsking] = useState<'rename' | 'subflow' | 'run' | 'share' | null>(null);
  const [runNeedsList, setRunNeedsList] = useState<RunNeed[]>([]);
  const [branchDialog, setBranchDialog] = useState<{ path: string; kind: 'elseIf' | 'case'; branch?: Branch } | null>(
    null,
  );
  const [dragging, setDragging] = useState<string | null>(null);
  const flowEnv = flowQ.data?.environment ?? env;
  const referencesQ = useReferences(flowEnv);
  const connectionsQ = useConnections(flowEnv);
  const embeddedQ = useEmbeddedReferences(flowId);

  useEffect(() => {
    if (flowQ.data && !history) setHistory(initHistory(flowQ.data.definition, flowQ.data.version));
  }, [flowQ.data, history]);

  const flow = history?.present.flow;
  const dirty = history ? isDirty(history) : false;
  const readOnly = flowQ.data?.role === 'run-only';
  const live = useRunStream(runId, flowId);
  // The Variables pane shows the final values of the last run that ended, as PAD's does.
  const recentRuns = useRuns(flowId);
  const finished = (status: string | undefined) => status !== undefined && !['queued', 'running'].includes(status);
  const lastRunId = live && finished(live.status) ? live.runId : recentRuns.data?.find((r) => finished(r.status))?.id;
  const lastRun = useRun(lastRunId);

  const actionsById = useMemo(() => new Map((actionsQ.data ?? []).map((a) => [a.id, a])), [actionsQ.data]);
  const connectorsById = useMemo(() => new Map((connectorsQ.data ?? []).map((c) => [c.id, c])), [connectorsQ.data]);
  const library = useMemo(
    // A kept Power Automate for desktop action only comes from pasted or imported Robin, never from the pane.
    () =>
      buildLibrary(
        (actionsQ.data ?? []).filter((a) => a.id !== UNSUPPORTED_ACTION),
        connectorsQ.data ?? [],
      ),
    [actionsQ.data, connectorsQ.data],
  );
  const ops = useOperationInfos(flowEnv, flow);
  const diagnostics = useDiagnostics(flow, actionsQ.data, ops);
  // The same evaluation the server makes at save and run start, on the flow as edited.
  const policiesQ = usePolicies();
  const violations = useMemo(() => {
    const byStep = new Map<string, string[]>();
    const policies = policiesFor(
      (policiesQ.data ?? []).map((p) => p.policy),
      flowEnv,
    );
    if (!flow || policies.length === 0) return byStep;
    for (const v of evaluateFlowPolicies(flow, policies))
      byStep.set(v.stepPath, [...(byStep.get(v.stepPath) ?? []), v.message]);
    return byStep;
  }, [flow, policiesQ.data, flowEnv]);
  const lookup = useCallback(
    (step: StepDoc): ActionInfo | undefined =>
      step.connector ? ops.get(`${step.connector}/${step.operation}`) : actionsById.get(step.action ?? ''),
    [ops, actionsById],
  );
  // Connector steps whose response shape the service gives: ask for it, as the action dialog does for inputs.
  const dynamicOutputSteps = useMemo(
    () =>
      flow
        ? enabledSteps(flow).flatMap(({ step, path }) => {
            const info = step.connector ? lookup(step) : undefined;
            return info?.dynamicOutputs ? [{ step, path, dependsOn: info.dynamicOutputs.dependsOn }] : [];
          })
        : [],
    [flow, lookup],
  );
  const outputSchemas = useQueries({
    queries: dynamicOutputSteps.map(({ step, dependsOn }) =>
      dynamicSchemaQuery(
        {
          env: flowEnv,
          connectorId: step.connector ?? '',
          operationId: step.operation ?? '',
          ...(step.connectionReference ? { connectionReference: step.connectionReference } : {}),
          params: step.params ?? {},
        },
        dependsOn,
      ),
    ),
  });
  const outputFieldsKey = outputSchemas.map((q) => q.dataUpdatedAt).join(',');
  const outputFields = useMemo(() => {
    const byPath = new Map<string, { path: string; type: string }[]>();
    dynamicOutputSteps.forEach(({ path }, i) => {
      const fields = outputSchemas[i]?.data?.fields;
      if (fields)
        byPath.set(
          path,
          fields.map((f) => ({ path: f.name.split('/').join('.'), type: f.type })),
        );
    });
    return byPath;
    // outputSchemas is a new array each render; its data changes only with dataUpdatedAt.
  }, [dynamicOutputSteps, outputFieldsKey]);
  const produced = useMemo(() => (flow ? flowVariables(flow, lookup, outputFields) : []), [flow, lookup, outputFields]);
  const variableNames = useMemo(
    () => [...Object.keys(flow?.inputs ?? {}), ...produced.map((v) => v.name)],
    [flow, produced],
  );
  const steps = useMemo(
    () => (flow ? ((getAtPointer(flow, parsePointer(listPointer)) as StepDoc[] | undefined) ?? []) : []),
    [flow, listPointer],
  );
  const rows = useMemo(() => flattenFlow(steps, listPointer), [steps, listPointer]);
  /** The selected steps Copy, Delete and Paste act on: not inside another selected one, in workspace order. */
  const roots = useMemo(() => selectionRoots(selection.paths, rows), [selection.paths, rows]);
  const onSelect = useCallback(
    (path: string | null, how?: SelectHow) => setSelection((sel) => select(sel, rows, path, how)),
    [rows],
  );

  const look = useCallback(
    (step: StepDoc): StepLook => {
      if (step.connector) {
        const c = connectorsById.get(step.connector);
        const op = c?.operations.find((o) => o.id === step.operation);
        return {
          title: `${c?.displayName ?? step.connector}: ${op?.summary || step.operation}`,
          detail: `${step.connectionReference ? `via ${step.connectionReference} · ` : ''}${summarize(step.params)}`,
        };
      }
      return {
        title: actionsById.get(step.action ?? '')?.displayName ?? step.action ?? '?',
        detail: summarize(step.params),
      };
    },
    [actionsById, connectorsById],
  );

  const dispatch = useCallback((edits: FlowEdit[]) => {
    setError(null);
    setHistory((h) => {
      if (!h) return h;
      try {
        return applyEdit(h, edits);
      } catch (e) {
        setError(e);
        return h;
      }
    });
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    if (!history) return false;
    const plan = savePlan(history);
    if (plan.kind === 'none') return true;
    setBusy(true);
    setError(null);
    try {
      const rec =
        plan.kind === 'edits'
          ? await api<FlowRecord>('POST', `/api/flows/${enc(flowId)}/edits`, {
              baseVersion: plan.baseVersion,
              edits: plan.edits,
            })
          : await api<FlowRecord>('PUT', `/api/flows/${enc(flowId)}`, {
              baseVersion: plan.baseVersion,
              definition: plan.definition,
            });
      setHistory((h) => (h ? saved(h, rec.definition, rec.version) : h));
      qc.setQueryData(keys.flow(flowId), rec);
      await qc.invalidateQueries({ queryKey: keys.flows(flowEnv) });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(true);
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, [history, flowId, flowEnv, qc]);

  async function startRun(inputs?: Record<string, unknown>, connections?: Record<string, string>) {
    if (dirty && !(await save())) return;
    setError(null);
    try {
      const body = {
        ...(inputs ? { inputs } : {}),
        ...(connections && Object.keys(connections).length ? { connections } : {}),
      };
      const { runId: id } = await api<{ runId: string }>('POST', `/api/flows/${enc(flowId)}/runs`, body);
      setRunId(id);
    } catch (e) {
      setError(e);
    }
  }

  /** Runs at once, or first asks for input values and for the runner's own connections where a reference would not resolve for them. */
  async function askRun() {
    if (!flow) return;
    const [refs, conns, embedded] = await Promise.all([
      referencesQ.refetch(),
      connectionsQ.refetch(),
      embeddedQ.refetch(),
    ]);
    const needs = runNeeds({
      flow,
      references: refs.data ?? [],
      connections: conns.data ?? [],
      embedded: embedded.data ?? [],
    });
    setRunNeedsList(needs);
    if (Object.keys(flow.inputs ?? {}).length || needs.length) setAsking('run');
    else void startRun();
  }

  async function reload() {
    const rec = await api<FlowRecord>('GET', `/api/flows/${enc(flowId)}`);
    qc.setQueryData(keys.flow(flowId), rec);
    setHistory(initHistory(rec.definition, rec.version));
    setConflict(false);
    setError(null);
  }

  // Unsaved changes are never lost silently.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    setLeaveGuard(() => window.confirm('This flow has unsaved changes. Leave without saving?'));
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      setLeaveGuard(null);
    };
  }, [dirty]);

  const stepAt = useCallback(
    (path: string) => (flow ? (getAtPointer(flow, parsePointer(path)) as StepDoc | undefined) : undefined),
    [flow],
  );

  function newStep(item: LibraryItem): StepDoc {
    if (item.connectorId && item.operationId)
      return { connector: item.connectorId, operation: item.operationId, params: {} };
    const id = item.actionId ?? '';
    return { action: id, params: {}, ...newBlockBodies(id) };
  }

  function openAdd(item: LibraryItem, target: DropTarget) {
    if (readOnly) return;
    setDialog({ mode: 'add', target, step: newStep(item) });
  }

  /** The edit that inserts steps after the last selected one (at the end of the list when none is selected). */
  const insertEdit = useCallback(
    (newSteps: StepDoc[]): FlowEdit[] => {
      if (!newSteps.length || !flow) return [];
      const last = roots[roots.length - 1];
      const at = last ? parsePointer(last) : null;
      const target = at
        ? { parentPath: `/${at.slice(0, -1).join('/')}`, index: Number(at[at.length - 1]) + 1 }
        : { parentPath: listPointer, index: steps.length };
      return [{ type: 'add_steps', request: { ...target, steps: newSteps } }];
    },
    [flow, roots, listPointer, steps.length],
  );
  const insertSteps = useCallback((newSteps: StepDoc[]) => dispatch(insertEdit(newSteps)), [dispatch, insertEdit]);

  const paste = useCallback(() => insertSteps(clipboard), [clipboard, insertSteps]);

  /** Copy: Patchbay's own format and Robin (PAD's text) on the system clipboard, and the editor's own clipboard. */
  const copySteps = useCallback(
    (copied: StepDoc[]) => {
      setClipboard(copied);
      const robin = robinForSteps(copied, flow?.name ?? 'Copied steps', actionsById);
      const write = (e: globalThis.ClipboardEvent) => {
        e.clipboardData?.setData('text/plain', robin);
        e.clipboardData?.setData(STEPS_MIME, JSON.stringify(copied));
        e.preventDefault();
      };
      document.addEventListener('copy', write);
      try {
        document.execCommand('copy');
      } finally {
        document.removeEventListener('copy', write);
      }
    },
    [flow?.name, actionsById],
  );

  /** Paste: Patchbay's steps, or Robin copied from Power Automate for desktop (same rules as `patchbay robin import`). */
  function onClipboardPaste(e: ReactClipboardEvent) {
    if (readOnly || isTyping(e.target)) return;
    e.preventDefault();
    setNotice(null);
    try {
      const got = stepsFromClipboard(e.clipboardData.getData(STEPS_MIME), e.clipboardData.getData('text/plain'));
      if (!got) return paste();
      // Subflows of a pasted stored definition come along when the flow has none of that name.
      const taken = Object.keys(got.subflows).filter((name) => Object.hasOwn(flow?.subflows ?? {}, name));
      const added = Object.entries(got.subflows).filter(([name]) => !taken.includes(name));
      // One edit, so one Undo takes the whole paste back.
      dispatch([
        ...insertEdit(got.steps),
        ...added.flatMap(([name, subSteps]): FlowEdit[] => [
          { type: 'add_subflow', request: { name } },
          { type: 'add_steps', request: { parentPath: `/subflows/${name}/steps`, index: 0, steps: subSteps } },
        ]),
      ]);
      if (taken.length)
        setNotice(
          `The pasted subflow${taken.length === 1 ? '' : 's'} ${taken.join(', ')} ${taken.length === 1 ? 'was' : 'were'} not added: this flow already has ${taken.length === 1 ? 'one' : 'them'} by that name.`,
        );
      else if (got.unsupported.length)
        setNotice(
          `${got.unsupported.length} pasted action${got.unsupported.length === 1 ? ' is' : 's are'} not available in Patchbay and ${got.unsupported.length === 1 ? 'was' : 'were'} kept disabled with ${got.unsupported.length === 1 ? 'its' : 'their'} Robin text: ${got.unsupported.map((u) => `${u.action} (line ${u.line})`).join(', ')}.`,
        );
    } catch (err) {
      setError(err);
    }
  }

  // Editor-wide shortcuts: save, undo, redo.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        void save();
      } else if (isTyping(e.target)) {
        return;
      } else if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        setHistory((h) => (h ? undo(h) : h));
      } else if (k === 'y' || (k === 'z' && e.shiftKey)) {
        e.preventDefault();
        setHistory((h) => (h ? redo(h) : h));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  /** The steps a command from a line's context menu acts on: the selection when the line is in it, else the line alone. */
  function targetsOf(path?: string): string[] {
    return path === undefined || selection.paths.includes(path) ? roots : [path];
  }

  /** Copies steps whole (blocks with their bodies), in workspace order. */
  function copyPaths(paths: string[]) {
    const copied = paths.map(stepAt).filter((st): st is StepDoc => st !== undefined);
    if (copied.length) copySteps(copied.map((st) => structuredClone(st)));
  }

  /** Deletes steps as one edit: the last first, so the paths of the others still hold. */
  function deletePaths(paths: string[]) {
    if (!paths.length) return;
    dispatch([...paths].reverse().map((path): FlowEdit => ({ type: 'delete_step', request: { path } })));
    setSelection(EMPTY_SELECTION);
  }

  function onWorkspaceKey(e: KeyboardEvent) {
    if (isTyping(e.target) || readOnly) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'Delete' && roots.length) {
      e.preventDefault();
      deletePaths(roots);
    } else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      setSelection(selectAll(rows));
    } else if (mod && e.key.toLowerCase() === 'c' && roots.length) {
      e.preventDefault();
      copyPaths(roots);
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !mod) {
      const next = stepBeside(rows, selection.focus, e.key === 'ArrowDown' ? 1 : -1);
      if (!next) return;
      e.preventDefault();
      onSelect(next, e.shiftKey ? 'range' : 'only');
      (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-step-path="${CSS.escape(next)}"]`)?.focus();
    } else if (e.key === 'Enter' && selection.focus) {
      openEdit(selection.focus);
    }
  }

  /** Else and Default case are added at once; an Else if or a Case first asks for its condition or value, as PAD does. */
  function onBranch(r: BranchRequest) {
    const block = stepAt(r.path);
    if (!block) return;
    if (r.type === 'remove') dispatch(removeBranch(r.path, block, r.branch));
    else if (r.type === 'edit') {
      if (r.branch.kind === 'elseIf' || r.branch.kind === 'case')
        setBranchDialog({ path: r.path, kind: r.branch.kind, branch: r.branch });
    } else if (r.kind === 'elseIf' || r.kind === 'case') setBranchDialog({ path: r.path, kind: r.kind });
    else dispatch([addBranch(r.path, block, r.kind)]);
  }

  function openEdit(path: string) {
    const step = stepAt(path);
    if (step && !readOnly) setDialog({ mode: 'edit', path, step });
  }

  const sensors = useSensors(useSensor(LibraryAwarePointerSensor), useSensor(KeyboardSensor));
  function onDragStart(e: DragStartEvent) {
    const item = e.active.data.current?.item as LibraryItem | undefined;
    const path = e.active.data.current?.path as string | undefined;
    setDragging(item?.displayName ?? (path ? look(stepAt(path) ?? {}).title : null));
  }
  function onDragEnd(e: DragEndEvent) {
    setDragging(null);
    const target = dropTargetOf(e);
    if (!target || readOnly) return;
    const item = e.active.data.current?.item as LibraryItem | undefined;
    const path = e.active.data.current?.path as string | undefined;
    if (item) openAdd(item, target);
    else if (path && !isSamePlace(path, target)) dispatch([{ type: 'move_step', request: { from: path, to: target } }]);
  }

  if (flowQ.isPending || !history || !flow)
    return flowQ.error ? (
      <ErrorBar error={flowQ.error} />
    ) : (
      <Spinner label="Opening the flow…" style={{ marginTop: 40 }} />
    );

  const dialogConnector: ConnectorSummary | undefined = dialog?.step.connector
    ? connectorsById.get(dialog.step.connector)
    : undefined;
  const subflowNames = Object.keys(flow.subflows ?? {});

  return (
    <div className={s.root}>
      <div className={s.bar}>
        <Text className={s.name} data-testid="flow-name">
          {flow.name}
        </Text>
        {dirty && (
          <Text className={s.dirty} role="status" aria-label="Unsaved changes">
            ● Unsaved changes
          </Text>
        )}
        <Toolbar aria-label="Flow">
          <ToolbarButton icon={<SaveRegular />} onClick={() => void save()} disabled={busy || !dirty || readOnly}>
            Save
          </ToolbarButton>
          <ToolbarButton
            icon={<PlayRegular />}
            onClick={() => void askRun()}
            disabled={busy || (live !== null && !live.finished)}
          >
            Run
          </ToolbarButton>
          <ToolbarDivider />
          <ToolbarButton
            icon={<ArrowUndoRegular />}
            aria-label="Undo"
            title="Undo (Ctrl+Z)"
            disabled={history.past.length === 0}
            onClick={() => setHistory((h) => (h ? undo(h) : h))}
          />
          <ToolbarButton
            icon={<ArrowRedoRegular />}
            aria-label="Redo"
            title="Redo (Ctrl+Y)"
            disabled={history.future.length === 0}
            onClick={() => setHistory((h) => (h ? redo(h) : h))}
          />
          <ToolbarDivider />
          <ToolbarButton icon={<RenameRegular />} onClick={() => setAsking('rename')} disabled={readOnly}>
            Rename
          </ToolbarButton>
          <ToolbarButton icon={<ShareRegular />} onClick={() => setAsking('share')} disabled={readOnly}>
            Share
          </ToolbarButton>
        </Toolbar>
      </div>
      <div>
        {conflict ? (
          <MessageBar intent="warning" role="alert">
            <MessageBarBody>
              Someone else saved this flow meanwhile. Reload to get their version (your unsaved edits will be dropped).
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => void reload()}>Reload</Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <ErrorBar error={error} />
        )}
        {notice && (
          <MessageBar intent="warning" role="status" aria-label="Paste result">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
        {violations.size > 0 && (
          <MessageBar intent="warning" role="status">
            <MessageBarBody>
              This flow violates data-loss-prevention policies: it is suspended and cannot run until the{' '}
              {violations.size} flagged step{violations.size === 1 ? '' : 's'} comply.
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      <DndContext
        sensors={sensors}
        collisionDetection={pointerWithin}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <div className={s.panes}>
          <div className={s.side}>
            <ActionsPane
              library={library}
              onAppend={(item) => openAdd(item, { parentPath: listPointer, index: steps.length })}
            />
          </div>
          <div className={s.center}>
            <TabList
              size="small"
              selectedValue={listPointer}
              onTabSelect={(_, d) => (setListPointer(String(d.value)), setSelection(EMPTY_SELECTION))}
              aria-label="Subflows"
            >
              <Tab value="/steps">Main</Tab>
              {subflowNames.map((n) => (
                <Tab key={n} value={`/subflows/${n}/steps`}>
                  {n}
                </Tab>
              ))}
              {!readOnly && (
                <Button
                  appearance="subtle"
                  size="small"
                  icon={<AddRegular />}
                  aria-label="Add subflow"
                  onClick={() => setAsking('subflow')}
                />
              )}
            </TabList>
            <Workspace
              rows={rows}
              stepAt={stepAt}
              look={look}
              selection={selection.paths}
              problems={diagnostics.byStep}
              violations={violations}
              runState={live?.steps ?? new Map()}
              endTarget={{ parentPath: listPointer, index: steps.length }}
              canPaste={clipboard.length > 0}
              onSelect={onSelect}
              onOpen={openEdit}
              onDelete={(path) => deletePaths(targetsOf(path))}
              onToggleDisabled={(path) =>
                dispatch([{ type: 'set_disabled', request: { path, disabled: !stepAt(path)?.disabled } }])
              }
              onCopy={(path) => copyPaths(targetsOf(path))}
              onClipboardPaste={onClipboardPaste}
              onPaste={paste}
              onBranch={readOnly ? undefined : onBranch}
              onKeyDown={onWorkspaceKey}
            />
          </div>
          <div className={s.right}>
            <VariablesPane
              inputs={flow.inputs ?? {}}
              outputs={flow.outputs ?? {}}
              produced={produced}
              lastValues={lastRun.data?.run.variables}
              readOnly={readOnly}
              onInputs={(inputs) => dispatch([{ type: 'set_inputs', request: { inputs } }])}
              onOutputs={(outputs) => dispatch([{ type: 'set_outputs', request: { outputs } }])}
            />
          </div>
        </div>
        <DragOverlay dropAnimation={null} style={{ pointerEvents: 'none' }}>
          {dragging ? <div className={s.overlay}>{dragging}</div> : null}
        </DragOverlay>
      </DndContext>
      <RunPanel flowId={flowId} live={live} />
      {dialog && (
        <ActionDialog
          key={dialog.mode === 'edit' ? dialog.path : 'new'}
          env={flowEnv}
          title={look(dialog.step).title}
          step={dialog.step}
          info={dialog.step.action ? actionsById.get(dialog.step.action) : undefined}
          connector={dialogConnector}
          variables={variableNames}
          subflows={subflowNames}
          isNew={dialog.mode === 'add'}
          onCancel={() => setDialog(null)}
          onSave={(step) => {
            if (dialog.mode === 'add') dispatch([{ type: 'add_step', request: { ...dialog.target, step } }]);
            else dispatch([{ type: 'update_step', request: { path: dialog.path, step } }]);
            setDialog(null);
          }}
        />
      )}
      {branchDialog && (
        <BranchDialog
          kind={branchDialog.kind}
          initial={branchDialog.branch ? branchSettings(stepAt(branchDialog.path) ?? {}, branchDialog.branch) : {}}
          variables={variableNames}
          onCancel={() => setBranchDialog(null)}
          onSave={(settings) => {
            const block = stepAt(branchDialog.path);
            const change =
              block &&
              (branchDialog.branch
                ? setBranch(branchDialog.path, block, branchDialog.branch, settings)
                : addBranch(branchDialog.path, block, branchDialog.kind, settings));
            if (change) dispatch([change]);
            setBranchDialog(null);
          }}
        />
      )}
      {asking === 'share' && (
        <ShareDialog flowId={flowId} env={flowEnv} flow={history.saved} onClose={() => setAsking(null)} />
      )}
      {asking === 'rename' && (
        <PromptDialog
          open
          title="Rename flow"
          label="Flow name"
          initial={flow.name}
          confirm="Rename"
          onClose={() => setAsking(null)}
          onSubmit={async (name) => dispatch([{ type: 'rename_flow', request: { name } }])}
        />
      )}
      {asking === 'subflow' && (
        <PromptDialog
          open
          title="New subflow"
          label="Subflow name"
          confirm="Add"
          onClose={() => setAsking(null)}
          onSubmit={async (name) => dispatch([{ type: 'add_subflow', request: { name } }])}
        />
      )}
      {asking === 'run' && (
        <RunDialog
          inputs={flow.inputs ?? {}}
          needs={runNeedsList}
          onClose={() => setAsking(null)}
          onRun={(inputs, connections) => (setAsking(null), void startRun(inputs, connections))}
        />
      )}
    </div>
  );
}

export type { FlowDoc };
