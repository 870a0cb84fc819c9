/**
 * The branches of If and Switch blocks as PAD edits them: add an "Else if" or
 * an "Else" to an If, a "Case" or a "Default case" to a Switch, change a
 * branch's condition or case value, and delete a branch with its actions.
 * Each change is plain flow edits (`update_step` to add or change; a
 * `delete_step` + `add_step` pair to remove, since `update_step` keeps bodies
 * the new step omits), so save and undo treat it like any other edit.
 */
import { CONDITION_OPERATOR_TITLES, parsePointer, type FlowEdit, type SwitchOperator } from '@patchbay/core';
import type { StepDoc } from '../api/types.js';

export type Branch =
  { kind: 'elseIf'; index: number } | { kind: 'else' } | { kind: 'case'; index: number } | { kind: 'default' };

/** What a branch holds besides its actions: an Else if's condition, a Case's operator and value. */
export interface BranchSettings {
  /** An Else if written as one expression (older flows); otherwise first / operator / second. */
  condition?: string;
  first?: string;
  operator?: SwitchOperator;
  second?: string;
  value?: string;
  ignoreCase?: boolean;
}

/** An Else if branch's condition fields as the flow file holds them. */
function elseIfOf(settings: BranchSettings): Record<string, unknown> {
  if (settings.condition !== undefined && settings.operator === undefined) return { condition: settings.condition };
  const operator = settings.operator ?? '=';
  const unary = operator === 'isEmpty' || operator === 'isNotEmpty';
  return {
    first: literal(settings.first ?? ''),
    operator,
    ...(unary ? {} : { second: literal(settings.second ?? '') }),
    ...(settings.ignoreCase ? { ignoreCase: true } : {}),
  };
}

/** A plain number stays a number, as in the action dialog. */
function literal(raw: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
}

/** Branches the block at `step` can still take, in PAD's menu order. */
export function addableBranches(step: StepDoc): Branch['kind'][] {
  if (step.action === 'If') return step.else ? ['elseIf'] : ['elseIf', 'else'];
  if (step.action === 'Switch') return step.default ? ['case'] : ['case', 'default'];
  return [];
}

export const BRANCH_LABEL: Record<Branch['kind'], string> = {
  elseIf: 'Else if',
  else: 'Else',
  case: 'Case',
  default: 'Default case',
};

/** The edit that adds an empty branch of `kind` to the block at `path` (a new Else if or Case goes last). */
export function addBranch(path: string, step: StepDoc, kind: Branch['kind'], settings: BranchSettings = {}): FlowEdit {
  const next: Record<string, unknown> = { ...step };
  if (kind === 'elseIf') next.elseIf = [...(step.elseIf ?? []), { ...elseIfOf(settings), then: [] }];
  else if (kind === 'else') next.else = step.else ?? [];
  else if (kind === 'case') next.cases = [...(step.cases ?? []), caseOf(settings, [])];
  else next.default = step.default ?? [];
  return { type: 'update_step', request: { path, step: next } };
}

/** The settings a branch holds now, for its dialog. */
export function branchSettings(step: StepDoc, branch: Branch): BranchSettings {
  if (branch.kind === 'elseIf') {
    const b = step.elseIf?.[branch.index];
    if (b?.operator === undefined && b?.condition !== undefined) return { condition: text(b.condition) };
    return {
      first: text(b?.first),
      operator: (b?.operator as SwitchOperator | undefined) ?? '=',
      second: text(b?.second),
      ignoreCase: b?.ignoreCase === true,
    };
  }
  if (branch.kind === 'case') {
    const c = step.cases?.[branch.index];
    return {
      operator: (c?.operator as SwitchOperator | undefined) ?? '=',
      value: text(c?.value),
      ...(c?.ignoreCase !== undefined ? { ignoreCase: c.ignoreCase } : {}),
    };
  }
  return {};
}

/** The edit that changes an Else if's condition or a Case's operator and value, keeping its actions. */
export function setBranch(path: string, step: StepDoc, branch: Branch, settings: BranchSettings): FlowEdit | null {
  if (branch.kind === 'elseIf' && step.elseIf?.[branch.index]) {
    const elseIf = step.elseIf.map((b, i) => (i === branch.index ? { ...elseIfOf(settings), then: b.then } : b));
    return { type: 'update_step', request: { path, step: { ...step, elseIf } } };
  }
  if (branch.kind === 'case' && step.cases?.[branch.index]) {
    const cases = step.cases.map((c, i) => (i === branch.index ? caseOf(settings, c.do) : c));
    return { type: 'update_step', request: { path, step: { ...step, cases } } };
  }
  return null;
}

/** The edits that delete one branch and the actions inside it. A Switch keeps at least one case. */
export function removeBranch(path: string, step: StepDoc, branch: Branch): FlowEdit[] {
  const next: Record<string, unknown> = { ...step };
  if (branch.kind === 'elseIf') {
    const rest = (step.elseIf ?? []).filter((_, i) => i !== branch.index);
    if (rest.length) next.elseIf = rest;
    else delete next.elseIf;
  } else if (branch.kind === 'else') delete next.else;
  else if (branch.kind === 'default') delete next.default;
  else {
    const rest = (step.cases ?? []).filter((_, i) => i !== branch.index);
    if (rest.length === 0) return [];
    next.cases = rest;
  }
  const at = parsePointer(path);
  const parentPath = `/${at.slice(0, -1).join('/')}`;
  const index = Number(at[at.length - 1]);
  return [
    { type: 'delete_step', request: { path } },
    { type: 'add_step', request: { parentPath, index, step: next } },
  ];
}

/** What a marker line shows after its label: the condition or the case test. */
export function branchSummary(step: StepDoc, branch: Branch): string {
  if (branch.kind === 'elseIf') {
    const b = step.elseIf?.[branch.index];
    if (!b) return '';
    if (b.operator === undefined) return text(b.condition);
    const op = CONDITION_OPERATOR_TITLES[b.operator as SwitchOperator] ?? b.operator;
    const unary = b.operator === 'isEmpty' || b.operator === 'isNotEmpty';
    return `${text(b.first)} ${op.toLowerCase()}${unary ? '' : ` ${text(b.second)}`}${b.ignoreCase === true ? ' (ignore case)' : ''}`;
  }
  if (branch.kind === 'case') {
    const c = step.cases?.[branch.index];
    if (!c) return '';
    const op = c.operator ?? '=';
    if (op === 'isEmpty' || op === 'isNotEmpty') return op === 'isEmpty' ? 'is empty' : 'is not empty';
    const value = c.values ? c.values.map(text).join(', ') : text(c.value);
    return value === '' && op === '=' ? '' : `${op} ${value}`;
  }
  return '';
}

/** A case; a plain number stays a number (as in the action dialog), so `Case = 2` matches the number 2. */
function caseOf(
  settings: BranchSettings,
  body: StepDoc[],
): { operator?: SwitchOperator; value?: string | number; ignoreCase?: boolean; do: StepDoc[] } {
  const operator = settings.operator ?? '=';
  const unary = operator === 'isEmpty' || operator === 'isNotEmpty';
  const value = literal(settings.value ?? '');
  return {
    ...(operator !== '=' ? { operator } : {}),
    ...(unary ? {} : { value }),
    ...(settings.ignoreCase !== undefined ? { ignoreCase: settings.ignoreCase } : {}),
    do: body,
  };
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
