/**
 * The workspace: numbered lines, nested bodies indented, End markers; rows
 * are drop targets for library actions and other rows (reorder), selectable
 * (Shift+click or Shift+Up/Down for a range, Ctrl+click to add or remove one, Ctrl+A for all), with a context
 * menu (Edit, Copy, Paste, Disable/Enable action, Delete).
 */
import { memo, useState, type ClipboardEvent, type KeyboardEvent, type MouseEvent } from 'react';
import {
  Badge,
  Menu,
  MenuDivider,
  MenuItem,
  MenuList,
  MenuPopover,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { ErrorCircleRegular } from '@fluentui/react-icons';
import type { Row } from './rows.js';
import type { SelectHow } from './selection.js';
import type { StepDoc } from '../api/types.js';
import { UNSUPPORTED_ACTION } from './clipboard.js';
import { BRANCH_LABEL, addableBranches, branchSummary, type Branch } from './branches.js';

/** A branch change asked for from the context menu or by double-clicking a marker line. */
export type BranchRequest =
  | { type: 'add'; path: string; kind: Branch['kind'] }
  | { type: 'edit'; path: string; branch: Branch }
  | { type: 'remove'; path: string; branch: Branch };

export interface StepLook {
  title: string;
  detail: string;
}
export interface StepRunState {
  status: 'running' | 'succeeded' | 'failed' | 'retrying';
  durationMs?: number;
  error?: string;
}

const useStyles = makeStyles({
  list: { outline: 'none', padding: '8px 0', minHeight: '100%', boxSizing: 'border-box' },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    minHeight: '34px',
    paddingRight: '12px',
    cursor: 'default',
    borderLeft: '3px solid transparent',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  line: {
    width: '36px',
    textAlign: 'right',
    color: tokens.colorNeutralForeground3,
    flexShrink: 0,
    fontVariantNumeric: 'tabular-nums',
  },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover },
  },
  over: { boxShadow: `inset 0 2px 0 ${tokens.colorBrandStroke1}` },
  disabled: { opacity: 0.45, textDecorationLine: 'line-through' },
  running: {
    borderLeft: `3px solid ${tokens.colorPaletteYellowBorderActive}`,
    backgroundColor: tokens.colorPaletteYellowBackground1,
  },
  failed: { borderLeft: `3px solid ${tokens.colorPaletteRedBorderActive}` },
  succeeded: { borderLeft: `3px solid ${tokens.colorPaletteGreenBorderActive}` },
  title: { fontWeight: tokens.fontWeightSemibold },
  detail: {
    color: tokens.colorNeutralForeground3,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    flexGrow: 1,
    minWidth: 0,
  },
  marker: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  empty: { color: tokens.colorNeutralForeground4, fontStyle: 'italic' },
  endZone: { minHeight: '80px' },
  error: { color: tokens.colorPaletteRedForeground1 },
  badge: { whiteSpace: 'nowrap', flexShrink: 0 },
});

/** A step's time as people read it: whole milliseconds under a second, else seconds with one decimal. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

interface RowProps {
  row: Row;
  look?: StepLook;
  selected: boolean;
  problems?: string[];
  /** Data-loss-prevention policy violations of the step. */
  violations?: string[];
  run?: StepRunState;
  /** Marker lines of branches: the condition or case test shown after the label. */
  markerDetail?: string;
  onSelect(path: string, how?: SelectHow): void;
  onOpen(path: string): void;
  onContext(path: string, e: MouseEvent, branch?: Branch): void;
  onOpenBranch?(path: string, branch: Branch): void;
}

const WorkspaceRow = memo(function WorkspaceRow({
  row,
  look,
  selected,
  problems,
  violations,
  run,
  markerDetail,
  onSelect,
  onOpen,
  onContext,
  onOpenBranch,
}: RowProps) {
  const s = useStyles();
  const isStep = row.kind === 'step';
  const drop = useDroppable({ id: `row:${row.key}`, data: { dropTarget: row.dropTarget } });
  const drag = useDraggable({ id: `step:${row.path}`, data: { path: row.path }, disabled: !isStep });
  const ref = (el: HTMLElement | null) => {
    drop.setNodeRef(el);
    if (isStep) drag.setNodeRef(el);
  };
  const indent = 8 + row.depth * 24;
  const label = isStep
    ? `${row.line} ${look?.title ?? ''}`
    : row.kind === 'marker'
      ? `${row.line} ${row.label}`
      : 'Empty block: drop actions here';
  return (
    <div
      ref={ref}
      {...(isStep ? drag.attributes : {})}
      {...(isStep ? drag.listeners : {})}
      role="option"
      aria-selected={selected}
      aria-label={label}
      aria-disabled={row.disabled || undefined}
      tabIndex={isStep ? 0 : -1}
      data-step-path={isStep ? row.path : undefined}
      data-drop-parent={row.dropTarget.parentPath}
      data-drop-index={row.dropTarget.index}
      data-line={row.line || undefined}
      data-status={run?.status}
      className={mergeClasses(
        s.row,
        selected && s.selected,
        drop.isOver && s.over,
        row.disabled && s.disabled,
        run?.status === 'running' && s.running,
        run?.status === 'failed' && s.failed,
        run?.status === 'succeeded' && s.succeeded,
      )}
      onClick={(e) => isStep && onSelect(row.path, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only')}
      onDoubleClick={() => {
        if (isStep) onOpen(row.path);
        else if (row.branch && (row.branch.kind === 'elseIf' || row.branch.kind === 'case'))
          onOpenBranch?.(row.path, row.branch);
      }}
      onContextMenu={(e) => {
        if (!isStep && !row.branch) return;
        e.preventDefault();
        // A right-click inside the selection keeps it, so the menu's Copy and Delete act on all of it.
        if (isStep && !selected) onSelect(row.path);
        onContext(row.path, e, row.branch);
      }}
    >
      <span className={s.line}>{row.line || ''}</span>
      <span style={{ width: indent, flexShrink: 0 }} />
      {row.kind === 'step' && (
        <>
          <Text className={s.title}>{look?.title}</Text>
          <Text className={s.detail}>{look?.detail}</Text>
        </>
      )}
      {row.kind === 'marker' && <Text className={s.marker}>{row.label}</Text>}
      {row.kind === 'marker' && markerDetail && <Text className={s.detail}>{markerDetail}</Text>}
      {row.kind === 'empty' && <Text className={s.empty}>Drop actions here</Text>}
      {row.step?.action === UNSUPPORTED_ACTION && (
        <Tooltip
          content="Power Automate for desktop action that Patchbay does not have: kept disabled with its Robin text, and exported back unchanged."
          relationship="description"
        >
          <Badge
            className={s.badge}
            appearance="tint"
            color="warning"
            role="img"
            aria-label="Not available in Patchbay: kept as Robin text"
          >
            PAD only
          </Badge>
        </Tooltip>
      )}
      {problems && problems.length > 0 && (
        <Tooltip content={problems.join('\n')} relationship="description">
          <ErrorCircleRegular className={s.error} aria-label={`Error: ${problems.join(' ')}`} role="img" />
        </Tooltip>
      )}
      {violations && violations.length > 0 && (
        <Tooltip content={violations.join('\n')} relationship="description">
          <Badge
            className={s.badge}
            appearance="filled"
            color="danger"
            role="img"
            aria-label={`Policy violation: ${violations.join(' ')}`}
          >
            Policy
          </Badge>
        </Tooltip>
      )}
      {run && (
        <Badge
          className={s.badge}
          appearance="tint"
          color={run.status === 'failed' ? 'danger' : run.status === 'succeeded' ? 'success' : 'warning'}
          aria-label={`Status: ${run.status}`}
        >
          {run.status}
          {run.durationMs !== undefined ? ` · ${formatMs(run.durationMs)}` : ''}
        </Badge>
      )}
      {run?.error && <Text className={s.error}>{run.error}</Text>}
    </div>
  );
});

export interface WorkspaceProps {
  rows: Row[];
  stepAt(path: string): StepDoc | undefined;
  look(step: StepDoc): StepLook;
  /** The selected steps' paths. */
  selection: readonly string[];
  problems: Map<string, string[]>;
  /** Data-loss-prevention violations by step path. */
  violations?: Map<string, string[]>;
  runState: Map<string, StepRunState>;
  endTarget: { parentPath: string; index: number };
  canPaste: boolean;
  onSelect(path: string | null, how?: SelectHow): void;
  onOpen(path: string): void;
  /** Delete and Copy from a line's menu: the whole selection when the line is in it. */
  onDelete(path: string): void;
  onToggleDisabled(path: string): void;
  onCopy(path: string): void;
  onPaste(): void;
  onKeyDown(e: KeyboardEvent): void;
  /** Ctrl+V: the system clipboard's content (Patchbay steps or Robin text). */
  onClipboardPaste?(e: ClipboardEvent): void;
  /** Adds, edits or deletes an If / Switch branch; without it the branch menu items are hidden. */
  onBranch?(request: BranchRequest): void;
}

export function Workspace(props: WorkspaceProps) {
  const s = useStyles();
  const [menu, setMenu] = useState<{ path: string; x: number; y: number; branch?: Branch } | null>(null);
  const end = useDroppable({ id: 'row:end', data: { dropTarget: props.endTarget } });
  const menuStep = menu ? props.stepAt(menu.path) : undefined;
  return (
    <>
      <div
        role="listbox"
        aria-label="Workspace"
        aria-multiselectable
        tabIndex={-1}
        className={s.list}
        onKeyDown={props.onKeyDown}
        onPaste={props.onClipboardPaste}
      >
        {props.rows.map((row) => (
          <WorkspaceRow
            key={row.key}
            row={row}
            look={row.step ? props.look(row.step) : undefined}
            selected={row.kind === 'step' && props.selection.includes(row.path)}
            problems={row.kind === 'step' ? props.problems.get(row.path) : undefined}
            violations={row.kind === 'step' ? props.violations?.get(row.path) : undefined}
            run={row.kind === 'step' ? props.runState.get(row.path) : undefined}
            markerDetail={row.branch ? branchSummary(props.stepAt(row.path) ?? {}, row.branch) : undefined}
            onSelect={props.onSelect}
            onOpen={props.onOpen}
            onContext={(path, e, branch) =>
              setMenu({ path, x: e.clientX, y: e.clientY, ...(branch ? { branch } : {}) })
            }
            onOpenBranch={(path, branch) => props.onBranch?.({ type: 'edit', path, branch })}
          />
        ))}
        <div
          ref={end.setNodeRef}
          className={mergeClasses(s.endZone, end.isOver && s.over)}
          data-drop="end"
          data-drop-parent={props.endTarget.parentPath}
          data-drop-index={props.endTarget.index}
          onClick={() => props.onSelect(null)}
        >
          {props.rows.length === 0 && (
            <Text className={s.empty}>Drag actions here from the Actions pane, or double-click an action.</Text>
          )}
        </div>
      </div>
      <Menu
        open={menu !== null}
        onOpenChange={(_, d) => !d.open && setMenu(null)}
        positioning={{
          target: menu ? { getBoundingClientRect: () => new DOMRect(menu.x, menu.y, 0, 0) } : undefined,
          position: 'below',
          align: 'start',
        }}
      >
        <MenuPopover>
          {menu?.branch ? (
            <BranchMenu path={menu.path} branch={menu.branch} step={menuStep} onBranch={props.onBranch} />
          ) : (
            <MenuList>
              <MenuItem onClick={() => menu && props.onOpen(menu.path)}>Edit</MenuItem>
              <MenuItem onClick={() => menu && props.onCopy(menu.path)}>Copy</MenuItem>
              <MenuItem disabled={!props.canPaste} onClick={props.onPaste}>
                Paste
              </MenuItem>
              <MenuDivider />
              <MenuItem onClick={() => menu && props.onToggleDisabled(menu.path)}>
                {menuStep?.disabled ? 'Enable action' : 'Disable action'}
              </MenuItem>
              <MenuItem onClick={() => menu && props.onDelete(menu.path)}>Delete</MenuItem>
              {menu && menuStep && props.onBranch && addableBranches(menuStep).length > 0 && <MenuDivider />}
              {menu &&
                menuStep &&
                props.onBranch &&
                addableBranches(menuStep).map((kind) => (
                  <MenuItem key={kind} onClick={() => props.onBranch?.({ type: 'add', path: menu.path, kind })}>
                    {`Add ${BRANCH_LABEL[kind]}`}
                  </MenuItem>
                ))}
            </MenuList>
          )}
        </MenuPopover>
      </Menu>
    </>
  );
}

/** The context menu of a branch line (Else if, Else, Case, Default case): edit its test, add a sibling branch, delete it. */
function BranchMenu({
  path,
  branch,
  step,
  onBranch,
}: {
  path: string;
  branch: Branch;
  step?: StepDoc;
  onBranch?(r: BranchRequest): void;
}) {
  if (!onBranch || !step) return <MenuList />;
  const lastCase = branch.kind === 'case' && (step.cases?.length ?? 0) <= 1;
  return (
    <MenuList>
      {branch.kind === 'elseIf' && (
        <MenuItem onClick={() => onBranch({ type: 'edit', path, branch })}>Edit condition</MenuItem>
      )}
      {branch.kind === 'case' && (
        <MenuItem onClick={() => onBranch({ type: 'edit', path, branch })}>Edit case</MenuItem>
      )}
      {addableBranches(step).map((kind) => (
        <MenuItem key={kind} onClick={() => onBranch({ type: 'add', path, kind })}>
          {`Add ${BRANCH_LABEL[kind]}`}
        </MenuItem>
      ))}
      <MenuDivider />
      <MenuItem disabled={lastCase} onClick={() => onBranch({ type: 'remove', path, branch })}>
        {`Delete ${BRANCH_LABEL[branch.kind]}`}
      </MenuItem>
    </MenuList>
  );
}
