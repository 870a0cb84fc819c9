/**
 * Validation without running: the schema, then every step (action, params,
 * expressions), the variables each step reads against those set before it,
 * loops, labels and subflow calls. Each diagnostic carries the JSON pointer,
 * line:column when the source text is given, the step path and the action.
 */
import type { ActionRegistry, ConnectorCatalog } from '../contracts.js';
import type { ErrorHandling, Flow, InputDeclaration, Step, VariableDeclaration, OnErrorPolicy } from './schema.js';
import { ERROR_CODES, ERROR_GROUPS, isErrorKind, ruleKinds } from './error-kinds.js';
import { schemaProblems } from './parse.js';
import { pointerSegment, SourceMap } from './location.js';
import { childLists } from './walk.js';
import { nearest } from './suggest.js';
import { subflowScope, type SubflowScope } from './scope.js';
import { checkParams, checkRetry, checkValue, namesSetBy, QUIET, resolveStep, type Finding } from './validate-step.js';

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  pointer: string;
  line?: number;
  column?: number;
  stepPath: string;
  action?: string;
}

export interface ValidateOptions {
  actions: ActionRegistry;
  connectors?: ConnectorCatalog;
  sourceText?: string;
  file?: string;
  /** Names readable without being set by the flow (environment variables). */
  knownVariables?: Iterable<string>;
}

const LOOPS = new Set(['Loop', 'LoopWhile', 'Loop.ForEach']);
const BODY_KEYS = ['then', 'elseIf', 'else', 'cases', 'default', 'do', 'onBlockError'] as const;

interface FrameDecl {
  name?: string;
  /** Global frames (the main flow and Global subflows) share one set of variables. */
  scope: SubflowScope;
  pointer: string;
  steps: Step[];
  inputs?: Record<string, InputDeclaration>;
  outputs?: Record<string, unknown>;
  variables?: Record<string, VariableDeclaration>;
}

class Validator {
  readonly out: Diagnostic[] = [];
  private readonly map?: SourceMap;
  private readonly globals: Set<string>;
  private everSet = new Set<string>();
  private disabledSet = new Set<string>();
  private inSubflow = false;
  /** Names the flow's shared variables may hold: set anywhere in the main flow or a Global subflow, or declared there. */
  private shared = new Set<string>();
  /** Names this frame may read without setting them first (set in another frame that shares its variables). */
  private extraKnown = new Set<string>();

  constructor(
    private readonly flow: Flow,
    private readonly opts: ValidateOptions,
  ) {
    this.map = opts.sourceText === undefined ? undefined : new SourceMap(opts.sourceText);
    this.globals = new Set(['LastError', ...(opts.knownVariables ?? [])]);
  }

  private subflowOutputs = (name: string): string[] | undefined => {
    const s = this.flow.subflows && Object.hasOwn(this.flow.subflows, name) ? this.flow.subflows[name] : undefined;
    return s ? Object.keys(s.outputs ?? {}) : undefined;
  };

  private add(f: Finding, stepPath: string, action?: string): void {
    const pointer = f.pointer ?? stepPath;
    const pos = this.map?.locate(pointer);
    const d: Diagnostic = { severity: f.severity, code: f.code, message: f.message, pointer, stepPath };
    if (f.hint !== undefined) d.hint = f.hint;
    if (action !== undefined) d.action = action;
    if (pos) {
      d.line = pos.line;
      // An expression error: its column inside the text, past the opening quote.
      d.column =
        f.textColumn !== undefined && this.map?.locate(pointer) ? this.valueColumn(pointer, f.textColumn) : pos.column;
    }
    this.out.push(d);
  }

  private valueColumn(pointer: string, textColumn: number): number {
    const at = this.map?.locateValue(pointer);
    return at ? at.column + textColumn : textColumn;
  }

  private collect(
    list: Step[],
    pointer: string,
    disabled: boolean,
    into: { ever: Set<string>; disabled: Set<string> },
  ): void {
    list.forEach((step, i) => {
      const path = `${pointer}/${i}`;
      const off = disabled || step.disabled === true;
      const def = resolveStep(step, this.opts, path, QUIET).def;
      for (const n of namesSetBy(step, def, this.subflowOutputs)) (off ? into.disabled : into.ever).add(n);
      for (const child of childLists(step, path)) this.collect(child.steps, child.pointer, off, into);
    });
  }

  /** Collects the names the main flow and the Global subflows set or declare. */
  collectShared(decls: FrameDecl[]): void {
    for (const d of decls) {
      const sets = { ever: new Set<string>(), disabled: new Set<string>() };
      this.collect(d.steps, d.pointer, false, sets);
      // A Local subflow shares only what it sets as global.Name.
      const names =
        d.scope === 'global'
          ? [...Object.keys(d.inputs ?? {}), ...Object.keys(d.variables ?? {}), ...sets.ever]
          : [...sets.ever].filter((n) => n.startsWith('global.'));
      for (const n of names) this.shared.add(n.replace(/^global\./, ''));
    }
  }

  frame(decl: FrameDecl): void {
    this.inSubflow = decl.name !== undefined;
    this.extraKnown = new Set(decl.scope === 'global' ? this.shared : []);
    for (const n of this.shared) this.extraKnown.add(`global.${n}`);
    const sets = {
      ever: new Set<string>([...Object.keys(decl.inputs ?? {}), ...Object.keys(decl.variables ?? {})]),
      disabled: new Set<string>(),
    };
    this.collect(decl.steps, decl.pointer, false, sets);
    this.everSet = sets.ever;
    this.disabledSet = sets.disabled;
    const defined = new Set<string>([...Object.keys(decl.inputs ?? {}), ...Object.keys(decl.variables ?? {})]);
    this.list(decl.steps, decl.pointer, defined, 0, []);
    const outPointer = decl.name === undefined ? '/outputs' : `/subflows/${pointerSegment(decl.name)}/outputs`;
    for (const [name, o] of Object.entries(decl.outputs ?? {})) {
      const hasDefault = typeof o === 'object' && o !== null && 'default' in o;
      if (!this.everSet.has(name) && !hasDefault) {
        this.add(
          {
            severity: 'warning',
            code: 'flow.output_unset',
            message: `No step sets the output "${name}"; it will be blank.`,
            pointer: `${outPointer}/${pointerSegment(name)}`,
            hint: 'Set it with Variables.Set or give it a default.',
          },
          outPointer,
        );
      }
    }
  }

  private checkReads(reads: { name: string; pointer: string }[], defined: Set<string>, findings: Finding[]): void {
    for (const { name, pointer } of reads) {
      if (defined.has(name) || this.globals.has(name)) continue;
      if (this.extraKnown.has(name) && !this.everSet.has(name)) continue;
      if (this.everSet.has(name)) {
        findings.push({
          severity: 'warning',
          code: 'flow.variable_before_set',
          message: `The variable "${name}" is used before any step could set it.`,
          pointer,
          hint: 'Set it earlier, or declare it under "variables" with a default.',
        });
      } else if (this.disabledSet.has(name)) {
        findings.push({
          severity: 'error',
          code: 'flow.disabled_variable',
          message: `The variable "${name}" is only set by a disabled step.`,
          pointer,
          hint: 'Enable that step, or set the variable elsewhere.',
        });
      } else {
        const guess = nearest(name, [...this.everSet, ...defined, ...this.globals]);
        findings.push({
          severity: 'error',
          code: 'flow.undefined_variable',
          message: `The variable "${name}" is never set.`,
          pointer,
          hint: guess
            ? `Did you mean "${guess}"?`
            : 'Set it with a step, or declare it as an input or under "variables".',
        });
      }
    }
  }

  private checkPolicy(
    policy: OnErrorPolicy | undefined,
    key: string,
    path: string,
    labels: Set<string>[],
    findings: Finding[],
    reads: { name: string; pointer: string }[],
  ): void {
    if (!policy) return;
    const parts: [ErrorHandling, string][] = [
      [policy, `${path}/${key}`],
      ...(policy.rules ?? []).map((r, i): [ErrorHandling, string] => [r, `${path}/${key}/rules/${i}`]),
    ];
    (policy.rules ?? []).forEach((rule, i) => {
      ruleKinds(rule).forEach((kind, j) => {
        if (isErrorKind(kind)) return;
        const guess = nearest(kind, [...ERROR_CODES, ...ERROR_GROUPS]);
        const pointer =
          typeof rule.when === 'string' ? `${path}/${key}/rules/${i}/when` : `${path}/${key}/rules/${i}/when/${j}`;
        findings.push({
          severity: 'error',
          code: 'flow.invalid',
          message: `"${kind}" is not a kind of error.`,
          pointer,
          hint: guess
            ? `Did you mean "${guess}"?`
            : `Use an error code such as connector.http or action.failed, or a group: ${ERROR_GROUPS.join(', ')}.`,
        });
      });
    });
    for (const [h, at] of parts) {
      if (h.then === 'goto' && !h.label)
        findings.push({
          severity: 'error',
          code: 'flow.invalid',
          message: `${key} says "goto" but names no label.`,
          pointer: at,
          hint: 'Add "label".',
        });
      if (h.then === 'goto' && h.label && !labels.some((l) => l.has(h.label as string)))
        findings.push({
          severity: 'error',
          code: 'flow.unknown_label',
          message: `There is no label "${h.label}" this step can go to.`,
          pointer: `${at}/label`,
        });
      if (h.runSubflow && !this.subflowOutputs(h.runSubflow))
        findings.push({
          severity: 'error',
          code: 'flow.unknown_subflow',
          message: `There is no subflow "${h.runSubflow}".`,
          pointer: `${at}/runSubflow`,
          hint: this.subflowHint(h.runSubflow),
        });
      if (h.setVariable) checkValue(h.setVariable.value, `${at}/setVariable/value`, findings, reads);
    }
  }

  private subflowHint(name: string): string {
    const names = Object.keys(this.flow.subflows ?? {});
    const guess = nearest(name, names);
    return guess
      ? `Did you mean "${guess}"?`
      : names.length
        ? `The subflows are: ${names.join(', ')}.`
        : 'Add it under "subflows".';
  }

  private checkCall(step: Step, path: string, findings: Finding[]): void {
    const name = step.params?.subflow;
    if (typeof name !== 'string') return;
    const sub = this.flow.subflows && Object.hasOwn(this.flow.subflows, name) ? this.flow.subflows[name] : undefined;
    if (!sub) {
      findings.push({
        severity: 'error',
        code: 'flow.unknown_subflow',
        message: `There is no subflow "${name}".`,
        pointer: `${path}/params/subflow`,
        hint: this.subflowHint(name),
      });
      return;
    }
    const inputs = step.params?.inputs;
    const declared = sub.inputs ?? {};
    if (inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs)) {
      for (const k of Object.keys(inputs))
        if (!Object.hasOwn(declared, k))
          findings.push({
            severity: 'error',
            code: 'action.param',
            message: `Subflow "${name}" has no input "${k}".`,
            pointer: `${path}/params/inputs/${pointerSegment(k)}`,
            hint: `Its inputs are: ${Object.keys(declared).join(', ') || 'none'}.`,
          });
      for (const [k, d] of Object.entries(declared))
        if (d.required && d.default === undefined && !Object.hasOwn(inputs, k))
          findings.push({
            severity: 'error',
            code: 'action.param',
            message: `Subflow "${name}" needs the input "${k}".`,
            pointer: `${path}/params/inputs`,
          });
    }
    for (const k of Object.keys(step.produces ?? {}))
      if (!Object.hasOwn(sub.outputs ?? {}, k))
        findings.push({
          severity: 'error',
          code: 'flow.invalid',
          message: `Subflow "${name}" has no output "${k}".`,
          pointer: `${path}/produces/${pointerSegment(k)}`,
        });
  }

  private list(
    list: Step[],
    pointer: string,
    defined: Set<string>,
    loopDepth: number,
    outerLabels: Set<string>[],
  ): void {
    const labels = new Set<string>();
    list.forEach((s, i) => {
      const n = s.action === 'Label' && !s.disabled ? s.params?.name : undefined;
      if (typeof n !== 'string') return;
      if (labels.has(n))
        this.add(
          {
            severity: 'error',
            code: 'flow.invalid',
            message: `The label "${n}" appears twice in this step list.`,
            pointer: `${pointer}/${i}/params/name`,
          },
          `${pointer}/${i}`,
          'Label',
        );
      labels.add(n);
    });
    const scopes = [labels, ...outerLabels];
    list.forEach((step, i) => {
      if (step.disabled) return;
      const path = `${pointer}/${i}`;
      const findings: Finding[] = [];
      const reads: { name: string; pointer: string }[] = [];
      const info = resolveStep(step, this.opts, path, findings);
      checkParams(step, info, path, findings, reads);
      const def = info.def;
      if (def) {
        for (const key of BODY_KEYS) {
          if (step[key] !== undefined && !(def.bodies ?? []).includes(key))
            findings.push({
              severity: 'error',
              code: 'flow.invalid',
              message: `${info.action} does not hold "${key}".`,
              pointer: `${path}/${key}`,
              hint: def.bodies?.length
                ? `It holds: ${def.bodies.join(', ')}.`
                : 'Only blocks such as If, Switch, loops and Block hold steps.',
            });
        }
        if (step.action === 'CallSubflow') this.checkCall(step, path, findings);
        else {
          const keys = new Set(def.produces.map((p) => p.key));
          for (const k of Object.keys(step.produces ?? {}))
            if (!keys.has(k))
              findings.push({
                severity: 'error',
                code: 'flow.invalid',
                message: `${info.action} produces no variable "${k}".`,
                pointer: `${path}/produces/${pointerSegment(k)}`,
                hint: keys.size ? `It produces: ${[...keys].join(', ')}.` : 'It produces no variables.',
              });
        }
      }
      step.elseIf?.forEach((b, j) => {
        for (const key of ['condition', 'first', 'second', 'ignoreCase'] as const)
          if (b[key] !== undefined) checkValue(b[key], `${path}/elseIf/${j}/${key}`, findings, reads);
        if (b.condition === undefined && b.operator === undefined) findings.push(noCondition(`${path}/elseIf/${j}`));
      });
      if (
        CONDITION_BLOCKS.has(step.action ?? '') &&
        step.params?.condition === undefined &&
        step.params?.operator === undefined
      )
        findings.push(noCondition(`${path}/params`));
      step.cases?.forEach((c, j) => {
        if (c.values) c.values.forEach((v, k) => checkValue(v, `${path}/cases/${j}/values/${k}`, findings, reads));
        else if (c.value !== undefined) checkValue(c.value, `${path}/cases/${j}/value`, findings, reads);
      });
      if (step.action === 'Subflow.Exit' && !this.inSubflow)
        findings.push({
          severity: 'error',
          code: 'flow.invalid',
          message: 'Subflow.Exit is not inside a subflow.',
          hint: 'Use StopFlow to end the main flow, or move this step into a subflow.',
        });
      if ((step.action === 'Loop.Exit' || step.action === 'Loop.Next') && loopDepth === 0)
        findings.push({
          severity: 'error',
          code: 'flow.invalid',
          message: `${step.action} is not inside a loop.`,
          hint: 'Put it inside Loop, LoopWhile or Loop.ForEach.',
        });
      if (
        step.action === 'GoTo' &&
        typeof step.params?.label === 'string' &&
        !scopes.some((l) => l.has(step.params?.label as string))
      ) {
        const guess = nearest(
          step.params.label,
          scopes.flatMap((l) => [...l]),
        );
        findings.push({
          severity: 'error',
          code: 'flow.unknown_label',
          message: `There is no label "${step.params.label}" this GoTo can reach.`,
          pointer: `${path}/params/label`,
          hint: guess ? `Did you mean "${guess}"?` : 'Add a Label step in this step list or an enclosing one.',
        });
      }
      this.checkPolicy(step.onError, 'onError', path, scopes, findings, reads);
      checkRetry(step, path, findings);
      this.checkPolicy(step.onBlockError, 'onBlockError', path, scopes, findings, reads);
      const sets = namesSetBy(step, def, this.subflowOutputs);
      const isLoop = LOOPS.has(step.action ?? '');
      if (isLoop) {
        // Later iterations see what earlier ones set.
        const inner = { ever: new Set<string>(), disabled: new Set<string>() };
        this.collect(step.do ?? [], `${path}/do`, false, inner);
        this.checkReads(reads, defined, findings);
        for (const n of [...sets, ...inner.ever]) defined.add(n);
      } else {
        this.checkReads(reads, defined, findings);
      }
      for (const f of findings) this.add(f, path, info.action);
      if (!isLoop) for (const n of sets) defined.add(n);
      for (const child of childLists(step, path))
        this.list(
          child.steps,
          child.pointer,
          defined,
          isLoop && child.pointer.endsWith('/do') ? loopDepth + 1 : loopDepth,
          scopes,
        );
    });
  }
}

const CONDITION_BLOCKS = new Set(['If', 'LoopWhile', 'WaitForCondition']);

function noCondition(pointer: string): Finding {
  return {
    severity: 'error',
    code: 'flow.invalid',
    message: 'The condition has neither an operator nor a "condition" expression.',
    pointer,
    hint: 'Give "first", "operator" (=, <>, >, contains, isEmpty, …) and "second", or "condition": "%Count > 3%".',
  };
}

/** Checks a flow without running it. Never throws for bad flows: every problem is a diagnostic. */
export function validateFlow(flow: Flow, opts: ValidateOptions): Diagnostic[] {
  const problems = schemaProblems(flow, opts.sourceText);
  if (problems.length) {
    return problems.map((p) => {
      const d: Diagnostic = {
        severity: 'error',
        code: 'flow.invalid',
        message: p.message,
        pointer: p.pointer,
        stepPath: stepPathOf(p.pointer),
      };
      if (p.hint !== undefined) d.hint = p.hint;
      if (p.line !== undefined) d.line = p.line;
      if (p.column !== undefined) d.column = p.column;
      return d;
    });
  }
  const v = new Validator(flow, opts);
  const decls: FrameDecl[] = [
    {
      scope: 'global',
      pointer: '/steps',
      steps: flow.steps,
      inputs: flow.inputs,
      outputs: flow.outputs,
      variables: flow.variables,
    },
    ...Object.entries(flow.subflows ?? {}).map(([name, sub]) => ({
      name,
      scope: subflowScope(sub),
      pointer: `/subflows/${pointerSegment(name)}/steps`,
      steps: sub.steps,
      inputs: sub.inputs,
      outputs: sub.outputs,
      variables: sub.variables,
    })),
  ];
  v.collectShared(decls);
  for (const d of decls) v.frame(d);
  for (const [name, sub] of Object.entries(flow.subflows ?? {}))
    if (sub.scope === 'global' && (Object.keys(sub.inputs ?? {}).length || Object.keys(sub.outputs ?? {}).length))
      v.out.push({
        severity: 'error',
        code: 'flow.invalid',
        message: `Subflow "${name}" is Global, so it cannot declare inputs or outputs.`,
        pointer: `/subflows/${pointerSegment(name)}/scope`,
        stepPath: '',
        hint: 'Make it "scope": "local" to pass inputs and outputs, or remove them: a Global subflow shares every variable.',
      });
  return v.out;
}

const STEP_PATH =
  /^((?:\/subflows\/[^/]+)?\/steps\/\d+(?:\/(?:then|else|default|do|elseIf\/\d+\/then|cases\/\d+\/do)\/\d+)*)/;

/** The step a pointer falls in ('' when it is outside any step). */
export function stepPathOf(pointer: string): string {
  return STEP_PATH.exec(pointer)?.[1] ?? '';
}
