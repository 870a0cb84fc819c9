/**
 * Robin statements: a syntax tree of what PAD writes, each node with its
 * line, column and source range (an action Patchbay lacks keeps its exact
 * text). The whole text is parsed before anything is imported, so text that
 * is not Robin is refused with its place and nothing is half-imported.
 */
import { robinError, tokenize, type Token } from './lexer.js';
import { Cursor, parseExpr, type RExpr } from './expr.js';

export interface Arg {
  name: string;
  /** `@name:` connector parameters. */
  at: boolean;
  value: RExpr;
  tok: Token;
}
export interface Output {
  name: string;
  at: boolean;
  variable: string;
}
export interface ErrorHandler {
  retry?: { times: RExpr; wait?: RExpr };
  body: Stmt[];
}
export type Cond = { kind: 'expr'; expr: RExpr } | { kind: 'action'; action: ActionStmt };
export interface ActionStmt {
  kind: 'action';
  name: string;
  args: Arg[];
  outputs: Output[];
  onError?: ErrorHandler;
}

interface Base {
  line: number;
  column: number;
  start: number;
  end: number;
  annotations: [string, RExpr][];
  disabled?: boolean;
}

export type Stmt = Base &
  (
    | ActionStmt
    | { kind: 'set'; variable: string; value: RExpr }
    | { kind: 'if'; branches: { cond: Cond; body: Stmt[] }[]; else?: Stmt[] }
    | { kind: 'switch'; value: RExpr; cases: { op?: string; values: RExpr[]; body: Stmt[] }[]; default?: Stmt[] }
    | { kind: 'foreach'; variable: string; items: RExpr; body: Stmt[] }
    | { kind: 'loop'; variable: string; from: RExpr; to: RExpr; step: RExpr; body: Stmt[] }
    | { kind: 'while'; cond: RExpr; body: Stmt[] }
    | { kind: 'exitLoop' | 'nextLoop' | 'exitFunction' | 'throw' }
    | { kind: 'label' | 'goto'; name: string }
    | { kind: 'call'; name: string; args: Arg[]; outputs: Output[] }
    | { kind: 'exit'; args: Arg[] }
    | { kind: 'wait'; seconds: RExpr }
    | { kind: 'block'; name: string; body: Stmt[]; handler: ErrorHandler }
    | { kind: 'error'; variable: string; args: Arg[] }
    | { kind: 'comment'; text: string; block: boolean }
    | { kind: 'region' | 'endregion'; name: string }
    /** A statement this importer reads only as text (WAIT for a window, …). */
    | { kind: 'opaque' }
  );

export interface Declaration {
  kind: 'input' | 'output';
  name: string;
  annotations: [string, RExpr][];
  line: number;
  column: number;
}
export interface FunctionDef {
  name: string;
  scope: string;
  body: Stmt[];
  annotations: [string, RExpr][];
  declarations: Declaration[];
  sensitive: string[];
  line: number;
}
export interface RobinDocument {
  /** Statements outside any FUNCTION (a clipboard copy). */
  body: Stmt[];
  functions: FunctionDef[];
  /** `@@` lines before the first FUNCTION or declaration. */
  header: [string, RExpr][];
  /** Declarations and `@SENSITIVE` outside a FUNCTION of their own (they belong to Main). */
  declarations: Declaration[];
  sensitive: string[];
}

/** `@@` keys that describe the `@INPUT` / `@OUTPUT` after them. */
const DECLARATION_KEYS = new Set([
  'type',
  'description',
  'defaultvalue',
  'default',
  'isoptional',
  'optional',
  'issensitive',
]);

const BLOCK_ENDS = new Set(['END', 'ELSE', 'CASE', 'DEFAULT', 'ON']);

class Parser {
  c: Cursor;
  constructor(
    readonly text: string,
    tokens: Token[],
  ) {
    this.c = new Cursor(tokens);
  }

  skipBlank() {
    while (this.c.peek.kind === 'newline') this.c.next();
  }

  endOfLine() {
    const t = this.c.peek;
    if (t.kind === 'newline') {
      this.c.next();
      return;
    }
    if (t.kind === 'eof') return;
    throw this.c.unexpected('the end of the line');
  }

  document(): RobinDocument {
    const doc: RobinDocument = { body: [], functions: [], header: [], declarations: [], sensitive: [] };
    let pending: [string, RExpr][] = [];
    /** `@@` lines before declarations that do not describe them: they belong to the next FUNCTION (or the flow). */
    let carried: [string, RExpr][] = [];
    let decls: Declaration[] = [];
    let sensitive: string[] = [];
    let sawFunction = false;
    for (;;) {
      this.skipBlank();
      const t = this.c.peek;
      if (t.kind === 'eof') break;
      if (this.c.isPunct('@@')) {
        pending.push(this.annotation());
        continue;
      }
      if (this.c.isPunct('@') && this.c.at(1).kind === 'ident') {
        const word = this.c.at(1).value.toUpperCase();
        if (word === 'INPUT' || word === 'OUTPUT') {
          this.c.next();
          this.c.next();
          const name = this.c.expectIdent('the variable name').value;
          this.endOfLine();
          carried.push(...pending.filter(([k]) => !DECLARATION_KEYS.has(k.toLowerCase())));
          decls.push({
            kind: word === 'INPUT' ? 'input' : 'output',
            name,
            annotations: pending.filter(([k]) => DECLARATION_KEYS.has(k.toLowerCase())),
            line: t.line,
            column: t.column,
          });
          pending = [];
          continue;
        }
        if (word === 'SENSITIVE') {
          this.c.next();
          this.c.next();
          this.c.expectPunct(':');
          this.c.expectPunct('[');
          while (!this.c.isPunct(']')) {
            sensitive.push(this.c.expectIdent('a variable name').value);
            if (this.c.isPunct(',')) this.c.next();
            else if (!this.c.isPunct(']')) throw this.c.unexpected("',' or ']'");
          }
          this.c.next();
          this.endOfLine();
          continue;
        }
      }
      if (this.c.isWord('FUNCTION')) {
        if (doc.body.length)
          throw robinError('Statements outside FUNCTION … END FUNCTION', {
            line: doc.body[0].line,
            column: doc.body[0].column,
          });
        sawFunction = true;
        this.c.next();
        const name = this.c.expectIdent('the subflow name').value;
        const scope = this.c.peek.kind === 'ident' ? this.c.next().value.toUpperCase() : 'GLOBAL';
        this.endOfLine();
        const body = this.statements(true);
        this.c.expectWord('END');
        this.c.expectWord('FUNCTION');
        this.endOfLine();
        const isMain = name.toLowerCase() === 'main';
        doc.functions.push({
          name,
          scope,
          body,
          annotations: [...carried, ...pending],
          declarations: isMain ? [] : decls,
          sensitive: isMain ? [] : sensitive,
          line: t.line,
        });
        if (isMain) {
          doc.declarations.push(...decls);
          doc.sensitive.push(...sensitive);
        }
        pending = [];
        carried = [];
        decls = [];
        sensitive = [];
        continue;
      }
      if (sawFunction) throw robinError('Statements after END FUNCTION must be inside a FUNCTION', t);
      doc.header.push(...carried);
      carried = [];
      doc.declarations.push(...decls);
      doc.sensitive.push(...sensitive);
      decls = [];
      sensitive = [];
      const s = this.statement(pending);
      pending = [];
      if (s) doc.body.push(s);
    }
    if (pending.length && (doc.body.length || doc.functions.length))
      throw robinError('This @@ annotation is not followed by a statement', this.c.peek);
    doc.header.push(...carried, ...pending);
    doc.declarations.push(...decls);
    doc.sensitive.push(...sensitive);
    return doc;
  }

  annotation(): [string, RExpr] {
    this.c.expectPunct('@@');
    const t = this.c.peek;
    let key: string;
    if (t.kind === 'ident' || t.kind === 'string') key = this.c.next().value;
    else throw this.c.unexpected('an annotation name');
    this.c.expectPunct(':');
    const value = parseExpr(this.c);
    this.endOfLine();
    return [key, value];
  }

  /** Statements up to a closing keyword (END, ELSE, CASE, DEFAULT, ON BLOCK ERROR) or the end. */
  statements(inFunction = false): Stmt[] {
    const out: Stmt[] = [];
    let pending: [string, RExpr][] = [];
    for (;;) {
      this.skipBlank();
      const t = this.c.peek;
      if (t.kind === 'eof') break;
      if (t.kind === 'ident' && BLOCK_ENDS.has(t.value.toUpperCase())) {
        if (t.value.toUpperCase() !== 'ON' || this.c.isWord('BLOCK', 1)) break;
      }
      if (inFunction && this.c.isWord('END') && this.c.isWord('FUNCTION', 1)) break;
      if (this.c.isPunct('@@')) {
        pending.push(this.annotation());
        continue;
      }
      const s = this.statement(pending);
      pending = [];
      if (s) out.push(s);
    }
    if (pending.length) throw robinError('This @@ annotation is not followed by a statement', this.c.peek);
    return out;
  }

  body(): Stmt[] {
    this.endOfLine();
    return this.statements();
  }

  statement(annotations: [string, RExpr][]): Stmt | undefined {
    const t = this.c.peek;
    const base = { line: t.line, column: t.column, start: t.start, annotations };
    const done = <S extends object>(s: S): Stmt =>
      ({ ...base, end: this.c.tokens[this.c.i - 1].end, ...s }) as unknown as Stmt;
    if (t.kind === 'comment' || t.kind === 'blockcomment') {
      this.c.next();
      this.endOfLine();
      return done({ kind: 'comment', text: t.value, block: t.kind === 'blockcomment' });
    }
    if (t.kind === 'region' || t.kind === 'endregion') {
      this.c.next();
      this.endOfLine();
      return done({ kind: t.kind, name: t.value });
    }
    if (t.kind !== 'ident')
      throw robinError(
        `Expected a Robin statement, found '${t.kind === 'istring' ? "$'''" : t.value}'`,
        t,
        'Robin statements start with a keyword (SET, IF, LOOP, …) or an action such as Text.Replace.',
      );
    const word = t.value.toUpperCase();
    const c = this.c;
    switch (word) {
      case 'DISABLE': {
        c.next();
        const s = this.statement(annotations);
        if (!s) throw c.unexpected('a statement after DISABLE');
        return { ...s, line: base.line, column: base.column, start: base.start, disabled: true };
      }
      case 'SET': {
        if (c.at(1).kind !== 'ident' || !c.isWord('TO', 2)) break;
        c.next();
        const variable = c.next().value;
        c.next();
        const value = parseExpr(c);
        const s = done({ kind: 'set', variable, value });
        this.endOfLine();
        return s;
      }
      case 'IF': {
        c.next();
        const branches: { cond: Cond; body: Stmt[] }[] = [];
        let cond = this.condition();
        c.expectWord('THEN');
        branches.push({ cond, body: this.body() });
        let elseBody: Stmt[] | undefined;
        while (c.isWord('ELSE')) {
          c.next();
          if (c.isWord('IF')) {
            c.next();
            cond = this.condition();
            c.expectWord('THEN');
            branches.push({ cond, body: this.body() });
          } else {
            elseBody = this.body();
            break;
          }
        }
        c.expectWord('END');
        const s = done({ kind: 'if', branches, else: elseBody });
        this.endOfLine();
        return s;
      }
      case 'SWITCH': {
        c.next();
        const value = parseExpr(c);
        this.endOfLine();
        this.skipBlank();
        const cases: { op?: string; values: RExpr[]; body: Stmt[] }[] = [];
        let def: Stmt[] | undefined;
        while (c.isWord('CASE')) {
          c.next();
          let op: string | undefined;
          const p = c.peek;
          if (p.kind === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(p.value)) op = c.next().value;
          else if (p.kind === 'ident' && /^(IsEmpty|IsNotEmpty)$/i.test(p.value) && c.at(1).kind === 'newline')
            op = c.next().value;
          else if (
            p.kind === 'ident' &&
            /^(Contains|NotContains|StartsWith|NotStartsWith|EndsWith|NotEndsWith)$/i.test(p.value) &&
            !c.isPunct('(', 1)
          )
            op = c.next().value;
          const values: RExpr[] = [];
          if (!op || !/^is/i.test(op)) {
            values.push(parseExpr(c));
            while (c.isPunct(',')) {
              c.next();
              values.push(parseExpr(c));
            }
          }
          cases.push({ op, values, body: this.body() });
        }
        if (c.isWord('DEFAULT')) {
          c.next();
          def = this.body();
        }
        c.expectWord('END');
        const s = done({ kind: 'switch', value, cases, default: def });
        this.endOfLine();
        return s;
      }
      case 'LOOP': {
        c.next();
        let s: Stmt;
        if (c.isWord('FOREACH')) {
          c.next();
          const variable = c.expectIdent('the variable that holds the current item').value;
          c.expectWord('IN');
          const items = parseExpr(c);
          const body = this.body();
          c.expectWord('END');
          s = done({ kind: 'foreach', variable, items, body });
        } else if (c.isWord('WHILE')) {
          c.next();
          const cond = parseExpr(c);
          const body = this.body();
          c.expectWord('END');
          s = done({ kind: 'while', cond, body });
        } else {
          const variable = c.expectIdent('FOREACH, WHILE or the loop index variable').value;
          c.expectWord('FROM');
          const from = parseExpr(c);
          c.expectWord('TO');
          const to = parseExpr(c);
          c.expectWord('STEP');
          const step = parseExpr(c);
          const body = this.body();
          c.expectWord('END');
          s = done({ kind: 'loop', variable, from, to, step, body });
        }
        this.endOfLine();
        return s;
      }
      case 'EXIT': {
        c.next();
        let s: Stmt;
        if (c.isWord('LOOP')) {
          c.next();
          s = done({ kind: 'exitLoop' });
        } else if (c.isWord('FUNCTION')) {
          c.next();
          s = done({ kind: 'exitFunction' });
        } else s = done({ kind: 'exit', args: this.argsAndOutputs().args });
        this.endOfLine();
        return s;
      }
      case 'NEXT': {
        c.next();
        c.expectWord('LOOP');
        const s = done({ kind: 'nextLoop' });
        this.endOfLine();
        return s;
      }
      case 'LABEL':
      case 'GOTO': {
        c.next();
        const name = c.expectIdent('a label name').value;
        const s = done({ kind: word === 'LABEL' ? 'label' : 'goto', name });
        this.endOfLine();
        return s;
      }
      case 'CALL': {
        c.next();
        const name = c.expectIdent('the subflow name').value;
        const { args, outputs } = this.argsAndOutputs();
        const s = done({ kind: 'call', name, args, outputs });
        this.endOfLine();
        return s;
      }
      case 'THROW': {
        c.next();
        c.expectWord('ERROR');
        const s = done({ kind: 'throw' });
        this.endOfLine();
        return s;
      }
      case 'WAIT': {
        c.next();
        if (c.isPunct('(') && this.isActionAhead(1)) {
          this.skipLine();
          return done({ kind: 'opaque' });
        }
        const seconds = parseExpr(c);
        const s = done({ kind: 'wait', seconds });
        this.endOfLine();
        return s;
      }
      case 'BLOCK': {
        c.next();
        const name = c.peek.kind === 'newline' ? '' : this.blockName();
        const body = this.body();
        c.expectWord('ON');
        c.expectWord('BLOCK');
        c.expectWord('ERROR');
        const handler = this.handler();
        const s = done({ kind: 'block', name, body, handler });
        this.endOfLine();
        return s;
      }
      case 'ERROR': {
        if (!c.isPunct('=>', 1)) break;
        c.next();
        c.next();
        const variable = c.expectIdent('the variable for the last error').value;
        const { args } = this.argsAndOutputs();
        const s = done({ kind: 'error', variable, args });
        this.endOfLine();
        return s;
      }
      case 'IMPORT':
        // Kept as text (PAD's control and image repositories): nothing is dropped.
        this.skipLine();
        return done({ kind: 'opaque' });
    }
    if (c.isPunct('.', 1)) {
      const a = this.action();
      const s = done(a);
      this.endOfLine();
      this.skipBlank();
      if (c.isWord('ON') && c.isWord('ERROR', 1)) {
        c.next();
        c.next();
        a.onError = this.handler();
        const withHandler = done(a);
        this.endOfLine();
        return withHandler;
      }
      return s;
    }
    throw robinError(
      `'${t.value}' is not a Robin statement`,
      t,
      'Robin statements start with a keyword (SET, IF, LOOP, …) or an action such as Text.Replace.',
    );
  }

  blockName(): string {
    const t = this.c.next();
    if (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'istring') return t.value;
    this.c.i--;
    throw this.c.unexpected('the block name');
  }

  /** `REPEAT n TIMES WAIT s` (optional) and the handler's statements up to END. */
  handler(): ErrorHandler {
    const c = this.c;
    let retry: ErrorHandler['retry'];
    if (c.isWord('REPEAT')) {
      c.next();
      const times = parseExpr(c);
      c.expectWord('TIMES');
      let wait: RExpr | undefined;
      if (c.isWord('WAIT')) {
        c.next();
        wait = parseExpr(c);
      }
      retry = { times, wait };
    }
    const body = this.body();
    c.expectWord('END');
    return { retry, body };
  }

  skipLine() {
    while (this.c.peek.kind !== 'newline' && this.c.peek.kind !== 'eof') this.c.next();
  }

  isActionAhead(k: number): boolean {
    return this.c.at(k).kind === 'ident' && this.c.isPunct('.', k + 1) && this.c.at(k + 2).kind === 'ident';
  }

  condition(): Cond {
    // `(Module.Action Arg: value …)` is an action condition (PAD's conditional actions always take arguments);
    // `(Row.Done)` or `(A.B) = 3` is an expression.
    if (this.c.isPunct('(') && this.isActionAhead(1)) {
      let k = 1;
      while (this.c.at(k).kind === 'ident' && this.c.isPunct('.', k + 1)) k += 2;
      if (this.c.at(k + 1).kind === 'ident' && this.c.isPunct(':', k + 2)) {
        this.c.next();
        const action = this.action();
        this.c.expectPunct(')');
        return { kind: 'action', action };
      }
    }
    return { kind: 'expr', expr: parseExpr(this.c) };
  }

  action(): ActionStmt {
    const c = this.c;
    let name = c.expectIdent('an action').value;
    while (c.isPunct('.')) {
      c.next();
      name += '.' + c.expectIdent('the rest of the action name').value;
    }
    const { args, outputs } = this.argsAndOutputs();
    return { kind: 'action', name, args, outputs };
  }

  argsAndOutputs(): { args: Arg[]; outputs: Output[] } {
    const c = this.c;
    const args: Arg[] = [];
    const outputs: Output[] = [];
    for (;;) {
      const t = c.peek;
      let at = false;
      if (c.isPunct('@')) {
        at = true;
        c.next();
      }
      const n = c.peek;
      if (n.kind !== 'ident' && !(at && n.kind === 'string')) {
        if (at) throw c.unexpected('a parameter name after @');
        return { args, outputs };
      }
      if (c.isPunct(':', 1)) {
        c.next();
        c.next();
        args.push({ name: n.value, at, value: parseExpr(c), tok: t });
      } else if (c.isPunct('=>', 1)) {
        c.next();
        c.next();
        outputs.push({ name: n.value, at, variable: c.expectIdent('the variable to store the output in').value });
      } else if (at) throw robinError(`Expected ':' or '=>' after @${n.value}`, c.at(1));
      else return { args, outputs };
    }
  }
}

export const TRAILER = /^[ \t]*#[ \t]*\[ControlRepository\]\[PowerAutomateDesktop\][ \t]*$/m;

/** Splits off the clipboard's `# [ControlRepository][PowerAutomateDesktop]` trailer (JSON), if any. */
export function splitTrailer(text: string): { robin: string; trailer?: string; trailerLine?: number } {
  const m = TRAILER.exec(text);
  if (!m) return { robin: text };
  const robin = text.slice(0, m.index);
  return { robin, trailer: text.slice(m.index + m[0].length), trailerLine: robin.split('\n').length + 1 };
}

export function parseRobin(text: string): RobinDocument {
  return new Parser(text, tokenize(text)).document();
}
