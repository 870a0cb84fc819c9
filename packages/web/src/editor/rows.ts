/**
 * The workspace as PAD shows it: one numbered line per step, nested bodies
 * indented, and the marker lines a block needs (Else if, Else, Case, Default,
 * End). Each line knows where a dropped action goes (`dropTarget`).
 */
import type { StepDoc } from '../api/types.js';
import type { Branch } from './branches.js';

export interface DropTarget {
  parentPath: string;
  index: number;
}

export interface Row {
  key: string;
  kind: 'step' | 'marker' | 'empty';
  line: number;
  depth: number;
  /** Step rows: the step's JSON pointer. Marker rows: the block's pointer. */
  path: string;
  step?: StepDoc;
  /** Marker rows: "Else if", "Else", "Case", "Default", "End". */
  label?: string;
  /** Marker rows of If and Switch branches: which branch the line opens. */
  branch?: Branch;
  dropTarget: DropTarget;
  /** The step or an enclosing block is disabled. */
  disabled: boolean;
}

/** Which bodies each block action holds, in display order. */
export const BLOCK_BODIES: Record<string, readonly string[]> = {
  If: ['then', 'elseIf', 'else'],
  Switch: ['cases', 'default'],
  Loop: ['do'],
  LoopWhile: ['do'],
  'Loop.ForEach': ['do'],
  Block: ['do'],
};

/** The empty bodies a newly added block starts with. */
export function newBlockBodies(actionId: string): Partial<StepDoc> {
  const bodies = BLOCK_BODIES[actionId];
  if (!bodies) return {};
  if (actionId === 'If') return { then: [] };
  if (actionId === 'Switch') return { cases: [{ value: '', do: [] }] };
  return { do: [] };
}

export function isBlock(step: StepDoc): boolean {
  return typeof step.action === 'string' && step.action in BLOCK_BODIES;
}

interface Ctx {
  rows: Row[];
  disabled: boolean;
}

function pushBody(ctx: Ctx, steps: readonly StepDoc[] | undefined, pointer: string, depth: number): void {
  const list = steps ?? [];
  if (list.length === 0) {
    ctx.rows.push({
      key: `${pointer}#empty`,
      kind: 'empty',
      line: 0,
      depth,
      path: pointer,
      dropTarget: { parentPath: pointer, index: 0 },
      disabled: ctx.disabled,
    });
    return;
  }
  list.forEach((step, i) => pushStep(ctx, step, `${pointer}/${i}`, { parentPath: pointer, index: i }, depth));
}

function marker(
  ctx: Ctx,
  path: string,
  label: string,
  depth: number,
  dropTarget: DropTarget,
  suffix: string,
  branch?: Branch,
): void {
  ctx.rows.push({
    key: `${path}#${suffix}`,
    kind: 'marker',
    line: 0,
    depth,
    path,
    label,
    ...(branch ? { branch } : {}),
    dropTarget,
    disabled: ctx.disabled,
  });
}

function pushStep(ctx: Ctx, step: StepDoc, path: string, dropTarget: DropTarget, depth: number): void {
  const outer = ctx.disabled;
  const disabled = outer || step.disabled === true;
  ctx.rows.push({ key: path, kind: 'step', line: 0, depth, path, step, dropTarget, disabled });
  if (!isBlock(step)) return;
  ctx.disabled = disabled;
  const inner = depth + 1;
  let lastBody = '';
  if (step.action === 'If') {
    pushBody(ctx, step.then, `${path}/then`, inner);
    lastBody = `${path}/then`;
    (step.elseIf ?? []).forEach((branch, i) => {
      const body = `${path}/elseIf/${i}/then`;
      marker(ctx, path, 'Else if', depth, { parentPath: body, index: 0 }, `elseIf${i}`, { kind: 'elseIf', index: i });
      pushBody(ctx, branch.then, body, inner);
      lastBody = body;
    });
    if (step.else) {
      marker(ctx, path, 'Else', depth, { parentPath: `${path}/else`, index: 0 }, 'else', { kind: 'else' });
      pushBody(ctx, step.else, `${path}/else`, inner);
      lastBody = `${path}/else`;
    }
  } else if (step.action === 'Switch') {
    (step.cases ?? []).forEach((c, i) => {
      const body = `${path}/cases/${i}/do`;
      marker(ctx, path, 'Case', depth, { parentPath: body, index: 0 }, `case${i}`, { kind: 'case', index: i });
      pushBody(ctx, c.do, body, inner);
      lastBody = body;
    });
    if (step.default) {
      marker(ctx, path, 'Default case', depth, { parentPath: `${path}/default`, index: 0 }, 'default', {
        kind: 'default',
      });
      pushBody(ctx, step.default, `${path}/default`, inner);
      lastBody = `${path}/default`;
    }
  } else {
    pushBody(ctx, step.do, `${path}/do`, inner);
    lastBody = `${path}/do`;
  }
  const lastLength = lastBody ? bodyLength(step, lastBody.slice(path.length + 1)) : 0;
  marker(ctx, path, 'End', depth, lastBody ? { parentPath: lastBody, index: lastLength } : dropTarget, 'end');
  ctx.disabled = outer;
}

function bodyLength(step: StepDoc, rel: string): number {
  const parts = rel.split('/');
  if (parts[0] === 'elseIf') return step.elseIf?.[Number(parts[1])]?.then?.length ?? 0;
  if (parts[0] === 'cases') return step.cases?.[Number(parts[1])]?.do?.length ?? 0;
  const key = parts[0];
  const list = key === 'then' || key === 'else' || key === 'default' || key === 'do' ? step[key] : undefined;
  return list?.length ?? 0;
}

/** The lines of one step list (the main flow or a subflow), numbered from 1; empty-body placeholders take no number. */
export function flattenFlow(steps: readonly StepDoc[], pointer = '/steps'): Row[] {
  const ctx: Ctx = { rows: [], disabled: false };
  steps.forEach((step, i) => pushStep(ctx, step, `${pointer}/${i}`, { parentPath: pointer, index: i }, 0));
  let line = 0;
  for (const row of ctx.rows) if (row.kind !== 'empty') row.line = ++line;
  return ctx.rows;
}
