import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Expr } from './ast.js';
import { parseExpression } from './parser.js';

/** The tree as compact Lisp-like text, to assert precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'text':
      return `'${e.value}'`;
    case 'boolean':
      return String(e.value);
    case 'variable':
      return e.name;
    case 'property':
      return `${show(e.target)}.${e.name}`;
    case 'index':
      return `${show(e.target)}[${show(e.index)}]`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'list':
      return `[${e.items.map(show).join(' ')}]`;
    case 'object':
      return `{${e.entries.map((x) => `${x.key}:${show(x.value)}`).join(' ')}}`;
    case 'slice':
      return `${show(e.target)}[${e.start ? show(e.start) : ''}:${e.end ? show(e.end) : ''}]`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(' ')})`;
    case 'table':
      return `{${e.header ? `^[${e.header.map(show).join(' ')}] ` : ''}${e.rows.map((r) => `[${r.map(show).join(' ')}]`).join(' ')}}`;
  }
}

function syntaxErrorOf(src: string): PatchbayError {
  try {
    parseExpression(src);
  } catch (e) {
    expect(e).toBeInstanceOf(PatchbayError);
    expect((e as PatchbayError).code).toBe('expression.syntax');
    return e as PatchbayError;
  }
  throw new Error(`expected a syntax error for ${src}`);
}

describe('parseExpression', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['10 - 4 - 3', '((10 - 4) - 3)'],
    ['8 / 2 / 2', '((8 / 2) / 2)'],
    ['7 mod 3 + 1', '((7 mod 3) + 1)'],
    ['7 MOD 3', '(7 mod 3)'],
    ['-2 * 3', '(-2 * 3)'],
    ['-X.Length', '(- X.Length)'],
    ['- (1 + 2)', '(- (1 + 2))'],
    ['A = 1 or B = 2 and C = 3', '((A = 1) or ((B = 2) and (C = 3)))'],
    ['A = 1 OR B = 2', '((A = 1) or (B = 2))'],
    ['not A = B', '(not (A = B))'],
    ['NOT A and B', '((not A) and B)'],
    ['Not(4 <> 4)', '(not (4 <> 4))'],
    ['a != b', '(a <> b)'],
    ['a <= b', '(a <= b)'],
    ['a >= b', '(a >= b)'],
    ['a < b + 1', '(a < (b + 1))'],
    ['X.Y.Z', 'X.Y.Z'],
    ['L[0][1]', 'L[0][1]'],
    ["O['Key'].Length", "O['Key'].Length"],
    ['L[I + 1]', 'L[(I + 1)]'],
    ["[1, 2, 'a']", "[1 2 'a']"],
    ['[]', '[]'],
    ['[[1], []]', '[[1] []]'],
    ["{'a': 1, 'b': X}", '{a:1 b:X}'],
    ['{}', '{}'],
    ['True', 'true'],
    ['FALSE', 'false'],
    ['12.50', '12.5'],
    ["'It\\'s'", "'It's'"],
    ["'C:\\Temp\\new'", "'C:\\Temp\\new'"],
    ["'a\\\\b'", "'a\\b'"],
    ['Größe_1', 'Größe_1'],
    ['  X  ', 'X'],
    ['X.not', 'X.not'],
  ])('%s parses as %s', (src, expected) => {
    expect(show(parseExpression(src))).toBe(expected);
  });

  it('records columns of variables, operators, properties and brackets', () => {
    const e = parseExpression('Ab + L[2].Count');
    expect(e).toMatchObject({
      kind: 'binary',
      column: 4,
      left: { kind: 'variable', column: 1 },
      right: { kind: 'property', name: 'Count', column: 11, target: { kind: 'index', column: 7 } },
    });
  });

  it.each([
    ['(1 + 2', "Expected ')' at column 7", 7],
    ['1 +', 'Expected a value at column 4', 4],
    ['', 'Expected a value at column 1', 1],
    ['1 2', 'Expected an operator or the end of the expression at column 3', 3],
    ['1 + 2)', "Unexpected ')' at column 6", 6],
    ["'abc", "Expected ' to close the text that starts at column 1", 1],
    ['X.', "Expected a property name after '.' at column 3", 3],
    ['X.1', "Expected a property name after '.' at column 3", 3],
    ['L[1', "Expected ']' at column 4", 4],
    ['[1, 2', "Expected ',' or ']' at column 6", 6],
    ['[1 2]', "Expected ',' or ']' at column 4", 4],
    ['a && b', "Unexpected '&' at column 3", 3],
    ['a == b', "Unexpected '==' at column 3", 3],
    ['"text"', "Unexpected '\"' at column 1", 1],
    ['and', "Expected a value before 'and' at column 1", 1],
    ['1 + * 2', 'Expected a value at column 5', 5],
    ['{a: 1}', 'Expected a property name in single quotes at column 2', 2],
    ["{'a' 1}", "Expected ':' at column 6", 6],
    ["{'a': 1", "Expected ',' or '}' at column 8", 8],
    ['#', "Unexpected '#' at column 1", 1],
    ['.5', 'Expected a value at column 1', 1],
  ])('%s is a syntax error: %s', (src, message, column) => {
    const e = syntaxErrorOf(src);
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.place.column).toBe(column);
    expect(e.hint).toBeTruthy();
  });

  it('says what it found and where the bracket opened', () => {
    expect(syntaxErrorOf('(1 + 2').message).toBe(
      "Expected ')' at column 7 (found the end of the expression; the '(' is at column 1)",
    );
  });

  it.each([
    ['deep parentheses', '('.repeat(20_000) + '1' + ')'.repeat(20_000)],
    ['a long chain of +', '1' + ' + 1'.repeat(20_000)],
    ['a long chain of properties', 'X' + '.A'.repeat(20_000)],
    ['many unary minus signs', '-'.repeat(20_000) + '1'],
    ['many nots', 'not '.repeat(20_000) + 'true'],
    ['deep lists', '['.repeat(20_000) + ']'.repeat(20_000)],
  ])('refuses %s with a syntax error rather than exhausting the stack', (_what, src) => {
    expect(syntaxErrorOf(src).message).toMatch(/^The expression nests too deeply at column \d+/);
  });

  it('accepts nesting up to a generous depth', () => {
    expect(show(parseExpression('('.repeat(150) + '1' + ')'.repeat(150)))).toBe('1');
    expect(show(parseExpression('1' + ' + 1'.repeat(150))).length).toBeGreaterThan(150);
  });

  it('hints at the fix for operators from other languages', () => {
    expect(syntaxErrorOf('a || b').hint).toMatch(/or/);
    expect(syntaxErrorOf('!a').hint).toMatch(/not/);
    expect(syntaxErrorOf('"x"').hint).toMatch(/single quotes/);
  });
});
