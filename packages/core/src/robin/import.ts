/**
 * Robin → a Patchbay flow. Blocks become Patchbay blocks, PAD actions map
 * through the one table (table.ts), connector actions become connector steps
 * on a connection reference, and a statement Patchbay cannot run becomes a
 * disabled `Robin.Unsupported` step that keeps its exact Robin text.
 */
import { PatchbayError } from '../errors.js';
import type { ErrorHandling, Flow, InputDeclaration, OutputDeclaration, Step, Subflow } from '../flow/schema.js';
import { VALUE_TYPES, type ValueType } from '../values.js';
import { parseWholeExpr, printPatchbay, printRobin, splitTemplate, type RExpr } from './expr.js';
import { robinError } from './lexer.js';
import {
  parseRobin,
  splitTrailer,
  type ActionStmt,
  type Arg,
  type Cond,
  type Declaration,
  type ErrorHandler,
  type RobinDocument,
  type Stmt,
} from './parser.js';
import { argSpec, conditionForPad, mappingForPad } from './table.js';
import { UNSUPPORTED_ACTION } from './pad-actions.js';
import { PATCHBAY_COMMENT } from './export.js';

export interface RobinImportOptions {
  /** The flow's name (default: "Imported from Power Automate for desktop"). */
  name?: string;
  /** The file the text came from, for error places. */
  file?: string;
}

export interface UnsupportedStatement {
  /** JSON pointer of the disabled step that keeps the Robin text. */
  pointer: string;
  line: number;
  column: number;
  /** PAD's action (or statement) name. */
  action: string;
  reason: string;
}

export interface ImportedReference {
  logicalName: string;
  displayName?: string;
  connectorId: string;
}

export interface RobinImport {
  flow: Flow;
  unsupported: UnsupportedStatement[];
  connectionReferences: ImportedReference[];
}

interface TrailerReference {
  ConnectorId?: string;
  DisplayName?: string;
  InternalId?: string;
  LogicalName?: string;
}

const POWER_PLATFORM_ID = /^\/providers\/Microsoft\.PowerApps\/apis\/shared_(.+)$/i;

class Unsupported extends Error {}

const TYPE_NAMES: Record<string, ValueType> = {
  text: 'text',
  numeric: 'number',
  number: 'number',
  boolean: 'boolean',
  list: 'list',
  'custom object': 'object',
  customobject: 'object',
  object: 'object',
  datetime: 'datetime',
  binary: 'binary',
  any: 'any',
  // Data tables and rows are their own types once Patchbay has them; until then any value.
  datatable: tableType('datatable'),
  'data table': tableType('datatable'),
  datarow: tableType('datarow'),
  'data row': tableType('datarow'),
};

function tableType(name: string): ValueType {
  return (VALUE_TYPES as readonly string[]).includes(name) ? (name as ValueType) : 'any';
}

class Importer {
  readonly unsupported: UnsupportedStatement[] = [];
  readonly references = new Map<string, ImportedReference>();
  private readonly trailerRefs: TrailerReference[];
  private tempCount = 0;

  constructor(
    private readonly text: string,
    trailer: TrailerReference[],
    private readonly names: Set<string>,
  ) {
    this.trailerRefs = trailer;
  }

  // ---- values ----

  /** A parameter value: numbers and booleans as they are, text as a template, anything else as one %expression%. */
  param(e: RExpr, at: { line: number; column: number }): unknown {
    if (e.t === 'num') return Number(e.text);
    if (e.t === 'unary' && e.op === '-' && e.e.t === 'num') return -Number(e.e.text);
    if (e.t === 'bool') return e.value;
    if (e.t === 'str') return e.value.replace(/%/g, '%%');
    if (e.t === 'istr') {
      this.checkTemplate(e.template, at);
      return e.template;
    }
    return `%${printPatchbay(e)}%`;
  }

  checkTemplate(template: string, at: { line: number; column: number }) {
    for (const part of splitTemplate(template)) {
      if (!('expr' in part)) continue;
      try {
        parseWholeExpr(part.expr);
      } catch (e) {
        const detail = e instanceof PatchbayError ? e.message.replace(/^Robin line \d+, column \d+: /, '') : String(e);
        throw robinError(`The expression %${part.expr}% in this text is not valid: ${detail}`, at);
      }
    }
  }

  condition(e: RExpr): string {
    return `%${printPatchbay(e)}%`;
  }

  meta(annotations: [string, RExpr][]): Record<string, unknown> | undefined {
    if (!annotations.length) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, e] of annotations) {
      out[k] =
        e.t === 'str'
          ? e.value
          : e.t === 'istr'
            ? e.template
            : e.t === 'num'
              ? Number(e.text)
              : e.t === 'bool'
                ? e.value
                : printRobin(e);
    }
    return out;
  }

  // ---- statements ----

  list(stmts: Stmt[], pointer: string): Step[] {
    const out: Step[] = [];
    for (const s of stmts) {
      for (const step of this.statement(s, `${pointer}/${out.length}`)) out.push(step);
    }
    return out;
  }

  statement(s: Stmt, pointer: string): Step[] {
    let steps: Step[];
    const listed = this.unsupported.length;
    try {
      steps = this.convert(s, pointer);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      // The whole statement is kept as text: what was listed inside it goes.
      this.unsupported.length = listed;
      steps = [this.keep(s, pointer, e.message)];
    }
    const meta = this.meta(s.annotations);
    if (meta) steps[steps.length - 1].metadata = { ...steps[steps.length - 1].metadata, ...meta };
    if (s.disabled) steps.forEach((st) => (st.disabled = true));
    return steps;
  }

  keep(s: Stmt, pointer: string, reason: string): Step {
    const name = s.kind === 'action' ? s.name : this.text.slice(s.start, s.end).split(/\s/)[0];
    this.unsupported.push({ pointer, line: s.line, column: s.column, action: name, reason });
    return { action: UNSUPPORTED_ACTION, params: { text: this.text.slice(s.start, s.end) }, disabled: true };
  }

  convert(s: Stmt, pointer: string): Step[] {
    const at = { line: s.line, column: s.column };
    switch (s.kind) {
      case 'set':
        return [{ action: 'Variables.Set', params: { name: s.variable, value: this.param(s.value, at) } }];
      case 'action':
        return [this.action(s)];
      case 'if': {
        const [first, ...rest] = s.branches;
        const pre: Step[] = [];
        const condition = this.cond(first.cond, pre);
        const here = pre.length ? shiftPointer(pointer, pre.length) : pointer;
        const step: Step = { action: 'If', params: { condition }, then: this.list(first.body, `${here}/then`) };
        const elseIf: { condition: unknown; then: Step[] }[] = [];
        for (let i = 0; i < rest.length; i++) {
          const b = rest[i];
          if (b.cond.kind === 'action') {
            // An action condition needs its step first: the remaining branches nest under Else.
            const nested = { ...s, branches: rest.slice(i), annotations: [], disabled: false } as Stmt;
            if (elseIf.length) step.elseIf = elseIf;
            step.else = this.convert(nested, `${here}/else/0`);
            return [...pre, step];
          }
          elseIf.push({
            condition: this.condition(b.cond.expr),
            then: this.list(b.body, `${here}/elseIf/${elseIf.length}/then`),
          });
        }
        if (elseIf.length) step.elseIf = elseIf;
        if (s.else) step.else = this.list(s.else, `${here}/else`);
        return [...pre, step];
      }
      case 'switch': {
        const step: Step = { action: 'Switch', params: { value: this.param(s.value, at) } };
        step.cases = s.cases.map((c, i) => {
          const values = c.values.map((v) => this.param(v, at));
          const op = c.op ? OPERATORS[c.op.toLowerCase()] : undefined;
          if (c.op && !op) throw new Unsupported(`CASE ${c.op} has no Patchbay operator`);
          const out: NonNullable<Step['cases']>[number] = { do: this.list(c.body, `${pointer}/cases/${i}/do`) };
          if (op && op !== '=') out.operator = op as never;
          if (values.length === 1) out.value = values[0];
          else if (values.length > 1) out.values = values;
          return { ...(out.operator ? { operator: out.operator } : {}), ...out };
        });
        if (s.default) step.default = this.list(s.default, `${pointer}/default`);
        return [step];
      }
      case 'foreach':
        return [
          {
            action: 'Loop.ForEach',
            params: { items: this.param(s.items, at) },
            produces: { item: s.variable },
            do: this.list(s.body, `${pointer}/do`),
          },
        ];
      case 'loop':
        return [
          {
            action: 'Loop',
            params: { from: this.param(s.from, at), to: this.param(s.to, at), step: this.param(s.step, at) },
            produces: { index: s.variable },
            do: this.list(s.body, `${pointer}/do`),
          },
        ];
      case 'while':
        return [
          {
            action: 'LoopWhile',
            params: { condition: this.condition(s.cond) },
            do: this.list(s.body, `${pointer}/do`),
          },
        ];
      case 'exitLoop':
        return [{ action: 'Loop.Exit' }];
      case 'nextLoop':
        return [{ action: 'Loop.Next' }];
      case 'exitFunction':
        return [{ action: 'Subflow.Exit' }];
      case 'label':
        return [{ action: 'Label', params: { name: s.name } }];
      case 'goto':
        return [{ action: 'GoTo', params: { label: s.name } }];
      case 'call': {
        const step: Step = { action: 'CallSubflow', params: { subflow: s.name } };
        if (s.args.length) {
          const inputs: Record<string, unknown> = {};
          for (const a of s.args) inputs[a.name] = this.param(a.value, a.tok);
          step.params!.inputs = inputs;
        }
        if (s.outputs.length) step.produces = Object.fromEntries(s.outputs.map((o) => [o.name, o.variable]));
        return [step];
      }
      case 'exit': {
        const code = s.args.find((a) => a.name.toLowerCase() === 'code');
        const message = s.args.find((a) => a.name.toLowerCase() === 'errormessage');
        if (s.args.some((a) => a !== code && a !== message))
          throw new Unsupported('EXIT takes only Code and ErrorMessage');
        if (message) return [{ action: 'StopFlow', params: { mode: 'error', message: this.param(message.value, at) } }];
        if (code && !(code.value.t === 'num' && Number(code.value.text) === 0))
          throw new Unsupported('EXIT with a code other than 0 and no error message');
        return [{ action: 'StopFlow', params: { mode: 'success' } }];
      }
      case 'wait':
        return [{ action: 'Wait', params: { seconds: this.param(s.seconds, at) } }];
      case 'block': {
        const step: Step = { action: 'Block', params: { name: s.name }, do: this.list(s.body, `${pointer}/do`) };
        step.onBlockError = this.policy(s.handler, 'block');
        return [step];
      }
      case 'error': {
        const reset = s.args.find((a) => a.name.toLowerCase() === 'reset');
        if (s.args.some((a) => a !== reset) || (reset && !(reset.value.t === 'bool' && !reset.value.value)))
          throw new Unsupported('Get last error with Reset: True (Patchbay keeps the last error)');
        return [{ action: 'GetLastError', produces: { error: s.variable } }];
      }
      case 'comment':
        if (!s.block && s.text.startsWith(PATCHBAY_COMMENT)) return [this.patchbayStep(s)];
        return [{ action: 'Comment', params: { text: s.text } }];
      case 'region':
        return [{ action: 'Region', params: { name: s.name } }];
      case 'endregion':
        return [{ action: 'EndRegion' }];
      case 'throw':
        throw new Unsupported('THROW ERROR outside ON ERROR');
      case 'opaque':
        throw new Unsupported('Patchbay has no action for this statement');
    }
  }

  /** A step `patchbay robin export` wrote as `# [Patchbay] {…}` because PAD has no counterpart. */
  patchbayStep(s: Stmt & { text: string }): Step {
    try {
      const step: unknown = JSON.parse(s.text.slice(PATCHBAY_COMMENT.length));
      if (step && typeof step === 'object' && !Array.isArray(step)) return step as Step;
    } catch {
      // reported below
    }
    throw robinError('The # [Patchbay] comment does not hold a Patchbay step as JSON', s);
  }

  /** `IF (File.IfFile.Exists File: P) THEN`: a step that answers, then the If on its answer. */
  cond(c: Cond, pre: Step[]): string {
    if (c.kind === 'expr') return this.condition(c.expr);
    const m = conditionForPad(c.action.name);
    if (!m) throw new Unsupported(`Patchbay has no action for the condition ${c.action.name}`);
    if (c.action.outputs.length) throw new Unsupported(`${c.action.name} takes no outputs`);
    const params: Record<string, unknown> = {};
    for (const a of c.action.args) {
      const p = m.args[a.name];
      if (!p || a.at) throw new Unsupported(`Patchbay's ${m.action} has no counterpart for ${a.name}`);
      params[p] = this.param(a.value, a.tok);
    }
    const variable = this.tempName(m.output === 'exists' ? 'FileExists' : 'Condition');
    pre.push({ action: m.action, params, produces: { [m.output]: variable }, metadata: { 'robin:condition': true } });
    return m.negate ? `%NOT ${variable}%` : `%${variable}%`;
  }

  tempName(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}${++this.tempCount}`;
    this.names.add(name);
    return name;
  }

  action(a: ActionStmt): Step {
    const step = a.name.toLowerCase() === 'external.invokecloudconnector' ? this.connector(a) : this.mapped(a);
    if (a.onError) {
      if (step.connector) throw new Unsupported('ON ERROR on a connector action');
      step.onError = this.policy(a.onError, 'action');
    }
    return step;
  }

  mapped(a: ActionStmt): Step {
    const m = mappingForPad(a.name);
    if (!m) throw new Unsupported(`Patchbay has no action for ${a.name}`);
    const params: Record<string, unknown> = { ...(m.implies ?? {}) };
    for (const arg of a.args) {
      if (arg.at) throw new Unsupported(`${a.name} takes no @${arg.name}`);
      const fixed = m.fixed?.[arg.name];
      if (fixed !== undefined) {
        if (printRobin(arg.value) !== printRobin(parseWholeExpr(fixed)))
          throw new Unsupported(`${arg.name}: ${printRobin(arg.value)} (Patchbay does only ${fixed})`);
        continue;
      }
      if (m.ignored && Object.hasOwn(m.ignored, arg.name)) continue;
      const raw = m.args[arg.name];
      if (raw === undefined) throw new Unsupported(`Patchbay's ${m.action} has no counterpart for ${arg.name}`);
      const spec = argSpec(raw);
      if (spec.variable) {
        if (arg.value.t !== 'var') throw new Unsupported(`${arg.name} must name a variable`);
        params[spec.param] = arg.value.name;
      } else if (spec.values) {
        const key = printRobin(arg.value);
        if (!Object.hasOwn(spec.values, key)) throw new Unsupported(`${arg.name}: ${key} has no Patchbay counterpart`);
        params[spec.param] = spec.values[key];
      } else params[spec.param] = this.param(arg.value, arg.tok);
    }
    const produces: Record<string, string | false> = {};
    for (const o of a.outputs) {
      const key = m.outputs?.[o.name];
      if (!key || o.at) throw new Unsupported(`Patchbay's ${m.action} has no output ${o.name}`);
      produces[key] = o.variable;
    }
    for (const key of [...Object.values(m.outputs ?? {}), ...(m.off ?? [])])
      if (!(key in produces)) produces[key] = false;
    const step: Step = { action: m.action };
    if (Object.keys(params).length) step.params = params;
    if (Object.keys(produces).length) step.produces = produces;
    return step;
  }

  connector(a: ActionStmt): Step {
    let connectionArg: Arg | undefined;
    let connectorId: string | undefined;
    let operation: string | undefined;
    const params: Record<string, unknown> = {};
    for (const arg of a.args) {
      if (arg.at) {
        params[arg.name] = this.param(arg.value, arg.tok);
        continue;
      }
      const text = arg.value.t === 'str' ? arg.value.value : arg.value.t === 'istr' ? arg.value.template : undefined;
      if (arg.name === 'Connection') connectionArg = arg;
      else if (arg.name === 'ConnectorId' && text !== undefined) connectorId = text;
      else if (arg.name === 'OperationId' && text !== undefined) operation = text;
      else throw new Unsupported(`External.InvokeCloudConnector: ${arg.name} is not understood`);
    }
    if (!connectorId || !operation)
      throw robinError(
        'External.InvokeCloudConnector needs ConnectorId and OperationId',
        a.args[0]?.tok ?? { line: 0, column: 0 },
      );
    const m = POWER_PLATFORM_ID.exec(connectorId);
    const connector = m ? m[1] : connectorId.split('/').pop()!;
    const connection =
      connectionArg?.value.t === 'str'
        ? connectionArg.value.value
        : connectionArg?.value.t === 'istr'
          ? connectionArg.value.template
          : '';
    const ref =
      this.trailerRefs.find((r) => connection && (r.InternalId === connection || r.LogicalName === connection)) ??
      (() => {
        const same = this.trailerRefs.filter((r) => r.ConnectorId?.toLowerCase() === connectorId!.toLowerCase());
        return same.length === 1 ? same[0] : undefined;
      })();
    // The reference's logical name only: a connection id is never copied into the flow.
    const logicalName = ref?.LogicalName || `${connector.replace(/[^A-Za-z0-9_]/g, '_')}_reference`;
    if (!this.references.has(logicalName))
      this.references.set(logicalName, { logicalName, displayName: ref?.DisplayName, connectorId: connector });
    const step: Step = { connector, operation, connectionReference: logicalName };
    if (Object.keys(params).length) step.params = params;
    const response = a.outputs.find((o) => o.at);
    if (a.outputs.some((o) => !o.at))
      throw new Unsupported('External.InvokeCloudConnector outputs are written @Name=>');
    step.produces = { body: response ? response.variable : false };
    return step;
  }

  /** ON ERROR / ON BLOCK ERROR: `REPEAT n TIMES WAIT s`, then SET, CALL and GOTO, THROW ERROR or nothing (continue). */
  policy(h: ErrorHandler, kind: 'action' | 'block'): ErrorHandling {
    const out: ErrorHandling = {};
    if (h.retry) {
      if (h.retry.times.t !== 'num') throw new Unsupported('REPEAT needs a number of times');
      out.retry = Number(h.retry.times.text);
      if (h.retry.wait) {
        if (h.retry.wait.t !== 'num') throw new Unsupported('WAIT needs a number of seconds');
        out.retryIntervalSeconds = Number(h.retry.wait.text);
      }
    }
    let then: ErrorHandling['then'] = 'continue';
    h.body.forEach((s, i) => {
      const last = i === h.body.length - 1;
      if (s.annotations.length || s.disabled) throw new Unsupported(`an annotated or disabled statement in ON ERROR`);
      if (s.kind === 'set' && !out.setVariable && !out.runSubflow) {
        out.setVariable = { name: s.variable, value: this.param(s.value, s) };
      } else if (s.kind === 'call' && !out.runSubflow && !s.args.length && !s.outputs.length) {
        out.runSubflow = s.name;
      } else if (s.kind === 'goto' && last) {
        then = 'goto';
        out.label = s.name;
      } else if (s.kind === 'throw' && last) {
        then = 'stop';
      } else
        throw new Unsupported(
          `ON ${kind === 'block' ? 'BLOCK ' : ''}ERROR holds a statement Patchbay cannot run there`,
        );
    });
    out.then = then;
    return out;
  }
}

function shiftPointer(pointer: string, by: number): string {
  return pointer.replace(/\/(\d+)$/, (_m, n: string) => `/${Number(n) + by}`);
}

const OPERATORS: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  contains: 'contains',
  notcontains: 'notContains',
  startswith: 'startsWith',
  notstartswith: 'notStartsWith',
  endswith: 'endsWith',
  notendswith: 'notEndsWith',
  isempty: 'isEmpty',
  isnotempty: 'isNotEmpty',
};

function declarationOf(d: Declaration, importer: Importer, sensitive: string[]): InputDeclaration {
  const attrs = new Map(d.annotations.map(([k, v]) => [k.toLowerCase(), v]));
  const typeExpr = attrs.get('type');
  const typeName =
    typeExpr?.t === 'str'
      ? typeExpr.value.toLowerCase()
      : typeExpr?.t === 'istr'
        ? typeExpr.template.toLowerCase()
        : 'any';
  const type = TYPE_NAMES[typeName];
  if (!type)
    throw robinError(`Unknown variable type '${typeName}'`, d, `Use one of: ${Object.keys(TYPE_NAMES).join(', ')}.`);
  const decl: InputDeclaration = { type };
  const desc = attrs.get('description');
  if (desc && (desc.t === 'str' || desc.t === 'istr')) decl.description = desc.t === 'str' ? desc.value : desc.template;
  const def = attrs.get('defaultvalue') ?? attrs.get('default');
  if (def) decl.default = importer.param(def, d) as never;
  if (d.kind === 'input') {
    const optional = attrs.get('isoptional') ?? attrs.get('optional');
    decl.required = !(optional?.t === 'bool' && optional.value) && decl.default === undefined;
  }
  const isSensitive = attrs.get('issensitive');
  if (sensitive.includes(d.name) || (isSensitive?.t === 'bool' && isSensitive.value)) decl.sensitive = true;
  return decl;
}

function declarations(
  decls: Declaration[],
  sensitive: string[],
  importer: Importer,
): { inputs?: Record<string, InputDeclaration>; outputs?: Record<string, OutputDeclaration> } {
  const inputs: Record<string, InputDeclaration> = {};
  const outputs: Record<string, OutputDeclaration> = {};
  for (const d of decls) {
    const decl = declarationOf(d, importer, sensitive);
    if (d.kind === 'input') inputs[d.name] = decl;
    else {
      const { required: _r, ...rest } = decl;
      void _r;
      outputs[d.name] = rest;
    }
  }
  return {
    ...(Object.keys(inputs).length ? { inputs } : {}),
    ...(Object.keys(outputs).length ? { outputs } : {}),
  };
}

function readTrailer(trailer: string | undefined, line: number | undefined): TrailerReference[] {
  if (trailer === undefined || !trailer.trim()) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(trailer);
  } catch {
    throw robinError(
      'The text after # [ControlRepository][PowerAutomateDesktop] is not JSON',
      { line: line ?? 1, column: 1 },
      'Copy the flow from Power Automate for desktop again, or remove the trailer.',
    );
  }
  const refs = (doc as { ConnectionReferences?: unknown }).ConnectionReferences;
  return Array.isArray(refs) ? (refs.filter((r) => r && typeof r === 'object') as TrailerReference[]) : [];
}

/** Reads Robin text (a clipboard copy or a stored definition) into a flow; throws `flow.invalid` naming the Robin line and column. */
export function importRobin(text: string, opts: RobinImportOptions = {}): RobinImport {
  try {
    const { robin, trailer, trailerLine } = splitTrailer(text);
    const doc: RobinDocument = parseRobin(robin);
    const names = new Set(robin.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? []);
    const importer = new Importer(robin, readTrailer(trailer, trailerLine), names);
    const flow: Flow = {
      schema: 'patchbay/flow@1',
      name: opts.name ?? 'Imported from Power Automate for desktop',
      steps: [],
    };
    const header = importer.meta(doc.header);
    if (header) flow.metadata = header;
    Object.assign(flow, declarations(doc.declarations, doc.sensitive, importer));
    if (doc.functions.length) {
      const main = doc.functions.find((f) => f.name.toLowerCase() === 'main');
      for (const f of doc.functions) {
        if (f === main) {
          flow.steps = importer.list(f.body, '/steps');
          const meta = importer.meta(f.annotations);
          if (meta) flow.metadata = { ...flow.metadata, ...meta };
          continue;
        }
        if (flow.subflows && Object.hasOwn(flow.subflows, f.name))
          throw robinError(`The subflow ${f.name} is defined twice`, { line: f.line, column: 1 });
        const sub: Subflow = { ...declarations(f.declarations, f.sensitive, importer), steps: [] };
        sub.steps = importer.list(f.body, `/subflows/${f.name}/steps`);
        const meta = { ...importer.meta(f.annotations) };
        if (f.scope === 'LOCAL') meta['robin:scope'] = 'LOCAL';
        if (Object.keys(meta).length) sub.metadata = meta;
        flow.subflows = { ...flow.subflows, [f.name]: sub };
      }
    } else flow.steps = importer.list(doc.body, '/steps');
    return { flow, unsupported: importer.unsupported, connectionReferences: [...importer.references.values()] };
  } catch (e) {
    if (e instanceof PatchbayError && opts.file) {
      throw new PatchbayError(e.code, e.message, {
        place: { ...e.place, file: opts.file },
        hint: e.hint,
      });
    }
    throw e;
  }
}
