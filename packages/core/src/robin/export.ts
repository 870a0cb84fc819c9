/**
 * A Patchbay flow → Robin that Power Automate for desktop can paste. A flow
 * with subflows, inputs or outputs is written as a stored definition
 * (`FUNCTION Main GLOBAL … END FUNCTION`); otherwise as a clipboard copy.
 * A step PAD has no counterpart for is written as a comment that holds the
 * step as JSON (`# [Patchbay] {…}`), which import reads back.
 */
import type { ErrorHandling, Flow, InputDeclaration, OutputDeclaration, Step } from '../flow/schema.js';
import { parseWholeExpr, printRobin, robinTemplate, splitTemplate } from './expr.js';
import { encodeRobinText } from './lexer.js';
import { argSpec, mappingsForAction, robinConditionTable, type RobinActionMapping } from './table.js';
import { UNSUPPORTED_ACTION } from './pad-actions.js';
import type { ActionDefinition } from '../contracts.js';

/** Where the exporter looks up an action's parameter defaults and produced variable names (an action registry, or the designer's catalog). */
export interface RobinActionLookup {
  get(id: string): Pick<ActionDefinition, 'params' | 'produces'> | undefined;
}

export interface RobinExportOptions {
  /** The actions, to tell a parameter left at its default and a produced variable's default name. */
  actions?: RobinActionLookup;
}

export interface RobinExport {
  text: string;
  /** Steps written as `# [Patchbay]` comments (PAD has no counterpart), with why. */
  notExported: { pointer: string; action: string; reason: string }[];
}

export const PATCHBAY_COMMENT = '[Patchbay] ';
const INDENT = '    ';

class NotExportable extends Error {}

/** Plain Robin text in quotes, on one line. */
const robinString = (s: string) => `'${encodeRobinText(s).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

/** A parameter value as Robin: a bare expression for one %expr%, `$'''…'''` for text. */
export function robinValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return "$''''''";
  if (typeof v === 'string') {
    const parts = splitTemplate(v);
    const exprs = parts.map((p) => {
      if (!('expr' in p)) return undefined;
      try {
        return parseWholeExpr(p.expr, true);
      } catch {
        throw new NotExportable(`the expression %${p.expr}% is not valid`);
      }
    });
    if (parts.length === 1 && exprs[0]) return printRobin(exprs[0]);
    return robinTemplate(v);
  }
  if (Array.isArray(v)) return `[${v.map(robinValue).join(', ')}]`;
  if (typeof v === 'object')
    return `{ ${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${robinString(k)}: ${robinValue(x)}`)
      .join(', ')} }`;
  throw new NotExportable(`a value of type ${typeof v}`);
}

/** A condition: the expression inside `%…%`, written bare. */
function robinCondition(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v !== 'string') throw new NotExportable('a condition that is not an expression');
  const parts = splitTemplate(v);
  if (parts.length === 1 && 'expr' in parts[0]) return printRobin(parseWholeExpr(parts[0].expr, true));
  throw new NotExportable('a condition that is not one %expression%');
}

/** An operand of a condition as Robin writes it: a `%…%` expression bare, anything else as a literal. */
function robinOperand(v: unknown): string {
  if (typeof v === 'string') {
    const parts = splitTemplate(v);
    if (parts.length === 1 && 'expr' in parts[0]) return printRobin(parseWholeExpr(parts[0].expr, true));
    // Plain text reads as PAD writes it in a condition: 'ADA'.
    if (!v.includes('%')) return robinString(v);
  }
  return robinValue(v ?? '');
}

/** PAD's text operators as the Robin functions its conditions call. */
const ROBIN_CONDITION_FUNCTIONS: Record<string, string> = {
  contains: 'Contains',
  notContains: 'NotContains',
  startsWith: 'StartsWith',
  notStartsWith: 'NotStartsWith',
  endsWith: 'EndsWith',
  notEndsWith: 'NotEndsWith',
};

/**
 * A condition in either of its forms: PAD's first operand, operator, second
 * operand and Ignore case (`IF A = 3 THEN`, `IF Contains(A, 'x', True) THEN`,
 * `IF IsEmpty(A) THEN`), or one `%expression%`.
 */
function robinConditionOf(fields: {
  condition?: unknown;
  first?: unknown;
  operator?: unknown;
  second?: unknown;
  ignoreCase?: unknown;
}): string {
  const op = fields.operator;
  if (op === undefined || op === null || op === '') return robinCondition(fields.condition);
  if (typeof op !== 'string') throw new NotExportable('a condition operator that is not text');
  const ignoreCase = fields.ignoreCase === undefined ? false : fields.ignoreCase;
  const first = robinOperand(fields.first);
  if (op === 'isEmpty' || op === 'isNotEmpty') return `${op === 'isEmpty' ? 'IsEmpty' : 'IsNotEmpty'}(${first})`;
  const fn = ROBIN_CONDITION_FUNCTIONS[op];
  if (fn) return `${fn}(${first}, ${robinOperand(fields.second)}, ${robinOperand(ignoreCase)})`;
  if (!['=', '<>', '<', '<=', '>', '>='].includes(op)) throw new NotExportable(`the condition operator "${op}"`);
  // Robin's comparisons have no Ignore case of their own.
  if (ignoreCase !== false && ignoreCase !== 'false' && ignoreCase !== 'False')
    throw new NotExportable('a comparison with Ignore case');
  return `${first} ${op} ${robinOperand(fields.second)}`;
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && /^[\p{L}_][\p{L}\p{N}_]*$/u.test(v);
}

function metaValue(v: unknown): string {
  if (typeof v === 'string') return robinString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return robinValue(v);
  return robinString(JSON.stringify(v));
}

class Exporter {
  readonly notExported: RobinExport['notExported'] = [];
  readonly references = new Map<string, string>();

  constructor(private readonly opts: RobinExportOptions) {}

  defaultOf(action: string, param: string): unknown {
    return this.opts.actions?.get(action)?.params.find((p) => p.name === param)?.default;
  }

  list(steps: Step[], pointer: string, depth: number, out: string[]): void {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const next = steps[i + 1];
      const path = `${pointer}/${i}`;
      // A step that answers an action condition, then the If on its answer: `IF (File.IfFile.Exists …) THEN`.
      if (step.metadata?.['robin:condition'] === true && next?.action === 'If' && !step.disabled === !next.disabled) {
        const lines: string[] = [];
        try {
          this.conditionalIf(step, next, `${pointer}/${i + 1}`, depth, lines);
          out.push(...lines);
          i++;
          continue;
        } catch (e) {
          if (!(e instanceof NotExportable)) throw e;
        }
      }
      const lines: string[] = [];
      try {
        this.step(step, path, depth, lines);
        out.push(...lines);
      } catch (e) {
        if (!(e instanceof NotExportable)) throw e;
        this.notExported.push({ pointer: path, action: stepName(step), reason: e.message });
        out.push(`${INDENT.repeat(depth)}# ${PATCHBAY_COMMENT}${JSON.stringify(step)}`);
      }
    }
  }

  annotations(step: Step, ind: string, out: string[]) {
    for (const [k, v] of Object.entries(step.metadata ?? {})) {
      if (k.startsWith('robin:')) continue;
      out.push(`${ind}@@${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : robinString(k)}: ${metaValue(v)}`);
    }
  }

  conditionalIf(test: Step, ifStep: Step, ifPointer: string, depth: number, out: string[]) {
    const key = Object.keys(test.produces ?? {})[0];
    const variable = key ? test.produces?.[key] : undefined;
    const cond = ifStep.params?.condition;
    if (typeof variable !== 'string' || typeof cond !== 'string') throw new NotExportable('');
    const negate = cond === `%NOT ${variable}%`;
    if (!negate && cond !== `%${variable}%`) throw new NotExportable('');
    const m = robinConditionTable.find((c) => c.action === test.action && c.output === key && c.negate === negate);
    if (!m || test.onError || ifStep.onError) throw new NotExportable('');
    const args = Object.entries(m.args).map(([pad, param]) => {
      if (!Object.hasOwn(test.params ?? {}, param)) throw new NotExportable('');
      return `${pad}: ${robinValue(test.params![param])}`;
    });
    if (Object.keys(test.params ?? {}).length !== args.length) throw new NotExportable('');
    const ind = INDENT.repeat(depth);
    this.annotations(ifStep, ind, out);
    const body: string[] = [];
    this.ifBody(ifStep, ifPointer, depth, `(${[m.pad, ...args].join(' ')})`, body);
    if (ifStep.disabled) body[0] = body[0].replace(/^(\s*)/, '$1DISABLE ');
    out.push(...body);
  }

  ifBody(step: Step, pointer: string, depth: number, firstCondition: string, out: string[]) {
    const ind = INDENT.repeat(depth);
    out.push(`${ind}IF ${firstCondition} THEN`);
    this.list(step.then ?? [], `${pointer}/then`, depth + 1, out);
    (step.elseIf ?? []).forEach((b, j) => {
      out.push(`${ind}ELSE IF ${robinConditionOf(b)} THEN`);
      this.list(b.then, `${pointer}/elseIf/${j}/then`, depth + 1, out);
    });
    if (step.else) {
      out.push(`${ind}ELSE`);
      this.list(step.else, `${pointer}/else`, depth + 1, out);
    }
    out.push(`${ind}END`);
  }

  step(step: Step, pointer: string, depth: number, out: string[]): void {
    const ind = INDENT.repeat(depth);
    if (step.action === UNSUPPORTED_ACTION) {
      const text = step.params?.text;
      if (typeof text !== 'string') throw new NotExportable('a Robin step without its text');
      this.annotations(step, ind, out);
      out.push(ind + text);
      return;
    }
    const lines: string[] = [];
    this.annotations(step, ind, lines);
    if (step.comment !== undefined && step.action !== 'Comment')
      lines.push(`${ind}# ${step.comment.replace(/\n/g, ' ')}`);
    const dis = step.disabled ? 'DISABLE ' : '';
    const body: string[] = [];
    this.statement(step, pointer, depth, body);
    if (step.onError && step.action !== 'Block') this.handler('ON ERROR', step.onError, ind, body);
    if (dis) body[0] = body[0].replace(/^(\s*)/, `$1${dis}`);
    out.push(...lines, ...body);
  }

  handler(head: string, h: ErrorHandling & { rules?: unknown }, ind: string, out: string[]) {
    if (h.rules) throw new NotExportable('on-error rules per kind of error have no Robin form');
    if (h.then === 'repeat') throw new NotExportable('"repeat" after an error has no Robin form');
    const retry = h.retry ? ` REPEAT ${h.retry} TIMES WAIT ${h.retryIntervalSeconds ?? 2}` : '';
    out.push(`${ind}${head}${retry}`);
    if (h.setVariable) out.push(`${ind}${INDENT}SET ${h.setVariable.name} TO ${robinValue(h.setVariable.value)}`);
    if (h.runSubflow) out.push(`${ind}${INDENT}CALL ${h.runSubflow}`);
    if (h.then === 'goto' && h.label) out.push(`${ind}${INDENT}GOTO ${h.label}`);
    else if (h.then === undefined || h.then === 'stop') out.push(`${ind}${INDENT}THROW ERROR`);
    out.push(`${ind}END`);
  }

  statement(step: Step, pointer: string, depth: number, out: string[]): void {
    const ind = INDENT.repeat(depth);
    const p = step.params ?? {};
    const only = (...keys: string[]) => {
      for (const k of Object.keys(p)) if (!keys.includes(k)) throw new NotExportable(`the parameter "${k}"`);
    };
    if (step.connector !== undefined) return this.connector(step, ind, out);
    switch (step.action) {
      case 'Variables.Set': {
        only('name', 'value');
        if (!isName(p.name)) throw new NotExportable('a variable name Robin cannot write');
        if (p.value === '%LastError%') out.push(`${ind}ERROR => ${p.name}`);
        else out.push(`${ind}SET ${p.name} TO ${robinValue(p.value ?? '')}`);
        return;
      }
      case 'If':
        only('condition', 'first', 'operator', 'second', 'ignoreCase');
        return this.ifBody(step, pointer, depth, robinConditionOf(p), out);
      case 'Switch': {
        only('value');
        out.push(`${ind}SWITCH ${robinValue(p.value)}`);
        (step.cases ?? []).forEach((c, j) => {
          const op = c.operator && c.operator !== '=' ? ROBIN_OPERATORS[c.operator] : '';
          const values = c.values ?? (c.value !== undefined ? [c.value] : []);
          out.push(`${ind}${INDENT}CASE ${op ? `${op} ` : ''}${values.map(robinValue).join(', ')}`.trimEnd());
          this.list(c.do, `${pointer}/cases/${j}/do`, depth + 2, out);
        });
        if (step.default) {
          out.push(`${ind}${INDENT}DEFAULT`);
          this.list(step.default, `${pointer}/default`, depth + 2, out);
        }
        out.push(`${ind}END`);
        return;
      }
      case 'Loop.ForEach': {
        only('items');
        const v = step.produces?.item ?? 'CurrentItem';
        if (v === false) throw new NotExportable('a For each without its item variable');
        out.push(`${ind}LOOP FOREACH ${v} IN ${robinValue(p.items)}`);
        this.list(step.do ?? [], `${pointer}/do`, depth + 1, out);
        out.push(`${ind}END`);
        return;
      }
      case 'Loop': {
        only('from', 'to', 'step');
        const v = step.produces?.index ?? 'LoopIndex';
        if (v === false) throw new NotExportable('a Loop without its index variable');
        out.push(
          `${ind}LOOP ${v} FROM ${robinValue(p.from ?? 0)} TO ${robinValue(p.to)} STEP ${robinValue(p.step ?? 1)}`,
        );
        this.list(step.do ?? [], `${pointer}/do`, depth + 1, out);
        out.push(`${ind}END`);
        return;
      }
      case 'LoopWhile':
        only('condition', 'first', 'operator', 'second', 'ignoreCase');
        out.push(`${ind}LOOP WHILE ${robinConditionOf(p)}`);
        this.list(step.do ?? [], `${pointer}/do`, depth + 1, out);
        out.push(`${ind}END`);
        return;
      case 'Loop.Exit':
        out.push(`${ind}EXIT LOOP`);
        return;
      case 'Loop.Next':
        out.push(`${ind}NEXT LOOP`);
        return;
      case 'Subflow.Exit':
        out.push(`${ind}EXIT FUNCTION`);
        return;
      case 'Label':
      case 'GoTo': {
        const name = step.action === 'Label' ? p.name : p.label;
        if (!isName(name)) throw new NotExportable('a label name Robin cannot write');
        out.push(`${ind}${step.action === 'Label' ? 'LABEL' : 'GOTO'} ${name}`);
        return;
      }
      case 'CallSubflow': {
        only('subflow', 'inputs');
        if (!isName(p.subflow)) throw new NotExportable('a subflow name Robin cannot write');
        const inputs = p.inputs ?? {};
        if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))
          throw new NotExportable('subflow inputs that are not an object');
        const args = Object.entries(inputs).map(([k, v]) => `${k}: ${robinValue(v)}`);
        const outs = Object.entries(step.produces ?? {}).map(([k, v]) => {
          if (v === false) throw new NotExportable('a subflow output turned off');
          return `${k}=> ${v}`;
        });
        out.push(`${ind}${['CALL', p.subflow, ...args, ...outs].join(' ')}`);
        return;
      }
      case 'StopFlow':
        only('mode', 'message');
        if (p.mode === 'error') out.push(`${ind}EXIT Code: 1 ErrorMessage: ${robinValue(p.message ?? '')}`);
        else out.push(`${ind}EXIT Code: 0`);
        return;
      case 'GetLastError': {
        only();
        const v = step.produces?.error ?? 'LastError';
        if (!isName(v)) throw new NotExportable('a Get last error without its variable');
        out.push(`${ind}ERROR => ${v}`);
        return;
      }
      case 'Wait':
        only('seconds');
        out.push(`${ind}WAIT ${robinValue(p.seconds)}`);
        return;
      case 'Block': {
        only('name');
        const name = typeof p.name === 'string' && p.name ? ` ${isName(p.name) ? p.name : robinString(p.name)}` : '';
        out.push(`${ind}BLOCK${name}`);
        this.list(step.do ?? [], `${pointer}/do`, depth + 1, out);
        const h = step.onBlockError ?? {};
        const handler: string[] = [];
        this.handler('ON BLOCK ERROR', h, ind, handler);
        out.push(...handler);
        return;
      }
      case 'Comment': {
        const text = typeof p.text === 'string' ? p.text : '';
        if (text.includes('\n')) out.push(`${ind}/# ${text} #/`);
        else out.push(`${ind}# ${text}`);
        return;
      }
      case 'Region':
        out.push(`${ind}**REGION ${typeof p.name === 'string' ? p.name : ''}`.trimEnd());
        return;
      case 'EndRegion':
        out.push(`${ind}**ENDREGION`);
        return;
    }
    if (step.then || step.else || step.elseIf || step.cases || step.default || step.do)
      throw new NotExportable('a block Robin does not have');
    this.action(step, ind, out);
  }

  action(step: Step, ind: string, out: string[]) {
    const candidates = mappingsForAction(step.action ?? '');
    if (!candidates.length) throw new NotExportable(`Power Automate for desktop has no counterpart for ${step.action}`);
    let why = '';
    for (const m of candidates) {
      try {
        out.push(ind + this.mapped(step, m));
        return;
      } catch (e) {
        if (!(e instanceof NotExportable)) throw e;
        why ||= e.message;
      }
    }
    throw new NotExportable(why);
  }

  mapped(step: Step, m: RobinActionMapping): string {
    const action = step.action!;
    const params = { ...(step.params ?? {}) };
    for (const [k, v] of Object.entries(m.implies ?? {})) {
      const given = Object.hasOwn(params, k) ? params[k] : this.defaultOf(action, k);
      if (given !== v) throw new NotExportable(`${k} = ${JSON.stringify(given)}`);
      delete params[k];
    }
    const parts: string[] = [m.pad];
    for (const [pad, raw] of Object.entries(m.args)) {
      const spec = argSpec(raw);
      if (!Object.hasOwn(params, spec.param)) continue;
      const v = params[spec.param];
      delete params[spec.param];
      if (spec.variable) {
        if (!isName(v)) throw new NotExportable(`${spec.param} must name a variable`);
        parts.push(`${pad}: ${v}`);
      } else if (spec.values) {
        const robin = Object.entries(spec.values).find(([, bv]) => bv === v)?.[0];
        if (!robin) throw new NotExportable(`${spec.param} = ${JSON.stringify(v)} has no Robin value`);
        parts.push(`${pad}: ${robin}`);
      } else parts.push(`${pad}: ${robinValue(v)}`);
    }
    const left = Object.keys(params);
    if (left.length) throw new NotExportable(`PAD's ${m.pad} has no argument for ${left.join(', ')}`);
    for (const [pad, v] of Object.entries({ ...(m.fixed ?? {}), ...(m.ignored ?? {}) })) parts.push(`${pad}: ${v}`);
    const produces = step.produces ?? {};
    const def = this.opts.actions?.get(action);
    for (const [pad, key] of Object.entries(m.outputs ?? {})) {
      const name = Object.hasOwn(produces, key) ? produces[key] : def?.produces.find((x) => x.key === key)?.defaultName;
      if (name === false) continue;
      if (name === undefined) throw new NotExportable(`the name of the output ${key}`);
      parts.push(`${pad}=> ${name}`);
    }
    for (const key of Object.keys(produces))
      if (!Object.values(m.outputs ?? {}).includes(key) && produces[key] !== false)
        throw new NotExportable(`PAD's ${m.pad} has no output for ${key}`);
    return parts.join(' ');
  }

  connector(step: Step, ind: string, out: string[]) {
    if (step.retry) throw new NotExportable('connector retries have no Robin form');
    const ref = step.connectionReference ?? '';
    const id = referenceId(ref);
    this.references.set(ref, step.connector!);
    const parts = [
      'External.InvokeCloudConnector',
      `Connection: ${robinString(id)}`,
      `ConnectorId: ${robinString(`/providers/Microsoft.PowerApps/apis/shared_${step.connector}`)}`,
      `OperationId: ${robinString(step.operation ?? '')}`,
    ];
    for (const [k, v] of Object.entries(step.params ?? {}))
      parts.push(`@${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : robinString(k)}: ${robinValue(v)}`);
    const body = step.produces?.body;
    for (const k of Object.keys(step.produces ?? {}))
      if (k !== 'body' && step.produces![k] !== false) throw new NotExportable(`PAD keeps only the response, not ${k}`);
    if (body !== false) parts.push(`@${step.operation}Response=> ${body ?? `${step.operation}Result`}`);
    out.push(ind + parts.join(' '));
  }
}

const ROBIN_OPERATORS: Record<string, string> = {
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  contains: 'Contains',
  notContains: 'NotContains',
  startsWith: 'StartsWith',
  notStartsWith: 'NotStartsWith',
  endsWith: 'EndsWith',
  notEndsWith: 'NotEndsWith',
  isEmpty: 'IsEmpty',
  isNotEmpty: 'IsNotEmpty',
};

function stepName(step: Step): string {
  return step.action ?? `${step.connector}/${step.operation}`;
}

/** A stable id in GUID form for a connection reference (PAD's InternalId), made from its logical name. */
export function referenceId(logicalName: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${logicalName}`) {
      h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619) >>> 0;
      h2 = Math.imul(h2 ^ ch.charCodeAt(0), 2246822519) >>> 0;
    }
    hex.push(((h1 ^ h2) >>> 0).toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const ROBIN_TYPES: Record<string, string> = {
  text: 'Text',
  number: 'Numeric',
  boolean: 'Boolean',
  list: 'List',
  object: 'Custom object',
  datetime: 'Datetime',
  binary: 'Binary',
  any: 'Any',
  datatable: 'Datatable',
  datarow: 'Datarow',
};

function declarationLines(
  inputs: Record<string, InputDeclaration> | undefined,
  outputs: Record<string, OutputDeclaration> | undefined,
): string[] {
  const out: string[] = [];
  const sensitive: string[] = [];
  const write = (kind: 'INPUT' | 'OUTPUT', name: string, d: InputDeclaration | OutputDeclaration) => {
    out.push(`@@type: ${robinString(ROBIN_TYPES[d.type] ?? 'Any')}`);
    if (d.description !== undefined) out.push(`@@description: ${robinString(d.description)}`);
    if (d.default !== undefined) out.push(`@@defaultValue: ${robinValue(d.default)}`);
    if (kind === 'INPUT' && (d as InputDeclaration).required === false && d.default === undefined)
      out.push('@@isOptional: True');
    out.push(`@${kind} ${name}`);
    if (d.sensitive) sensitive.push(name);
  };
  for (const [n, d] of Object.entries(inputs ?? {})) write('INPUT', n, d);
  for (const [n, d] of Object.entries(outputs ?? {})) write('OUTPUT', n, d);
  if (sensitive.length) out.push(`@SENSITIVE: [${sensitive.join(', ')}]`);
  return out;
}

/** Writes a flow as Robin. */
export function exportRobin(flow: Flow, opts: RobinExportOptions = {}): RobinExport {
  const ex = new Exporter(opts);
  const lines: string[] = [];
  const stored =
    Object.keys(flow.subflows ?? {}).length > 0 ||
    Object.keys(flow.inputs ?? {}).length > 0 ||
    Object.keys(flow.outputs ?? {}).length > 0 ||
    Object.keys(flow.metadata ?? {}).length > 0;
  const initial: Step[] = Object.entries(flow.variables ?? {})
    .filter(([, d]) => d.default !== undefined)
    .map(([name, d]) => ({ action: 'Variables.Set', params: { name, value: d.default } }));
  if (!stored) {
    ex.list([...initial, ...flow.steps], '/steps', 0, lines);
  } else {
    for (const [k, v] of Object.entries(flow.metadata ?? {})) lines.push(`@@${k}: ${metaValue(v)}`);
    lines.push(...declarationLines(flow.inputs, flow.outputs));
    lines.push('FUNCTION Main GLOBAL');
    ex.list([...initial, ...flow.steps], '/steps', 1, lines);
    lines.push('END FUNCTION');
    for (const [name, sub] of Object.entries(flow.subflows ?? {})) {
      lines.push('');
      for (const [k, v] of Object.entries(sub.metadata ?? {}))
        if (!k.startsWith('robin:')) lines.push(`@@${k}: ${metaValue(v)}`);
      lines.push(...declarationLines(sub.inputs, sub.outputs));
      lines.push(`FUNCTION ${name} ${sub.metadata?.['robin:scope'] === 'LOCAL' ? 'LOCAL' : 'GLOBAL'}`);
      ex.list(sub.steps, `/subflows/${name}/steps`, 1, lines);
      lines.push('END FUNCTION');
    }
  }
  let text = lines.join('\n') + '\n';
  if (ex.references.size) {
    const trailer = {
      ControlRepositorySymbols: [],
      ImageRepositorySymbol: {
        Name: 'imgrepo',
        ImportMetadata: {},
        Repository: '{\r\n  "Folders": [],\r\n  "Images": [],\r\n  "Version": 1\r\n}',
      },
      ConnectionReferences: [...ex.references].map(([logicalName, connector]) => ({
        ConnectorId: `/providers/Microsoft.PowerApps/apis/shared_${connector}`,
        DisplayName: logicalName,
        InternalId: referenceId(logicalName),
        IsDisabled: false,
        LogicalName: logicalName,
        IsEmbedded: false,
      })),
    };
    text += `\n# [ControlRepository][PowerAutomateDesktop]\n\n${JSON.stringify(trailer, null, 2)}\n`;
  }
  return { text, notExported: ex.notExported };
}
