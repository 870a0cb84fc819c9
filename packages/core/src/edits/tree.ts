/**
 * Immutable reads and writes along a path of a JSON tree: a write copies only
 * the objects and arrays on the path and shares everything else, so undo
 * stacks of whole flows stay cheap.
 */
import { PatchbayError } from '../errors.js';
import { formatPointer } from './pointer.js';

type Node = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Node {
  return typeof v === 'object' && v !== null;
}

function child(node: Node, token: string): unknown {
  if (Array.isArray(node)) return node[Number(token)];
  return Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
}

/** The value at `tokens`, or undefined. */
export function getIn(root: unknown, tokens: readonly string[]): unknown {
  let node = root;
  for (const token of tokens) {
    if (!isContainer(node)) return undefined;
    node = child(node, token);
  }
  return node;
}

/**
 * Returns a copy of `root` where the value at `tokens` is `update(old)`.
 * Every container on the way must exist, except the last key, whose old
 * value may be undefined (a block body not written yet).
 */
export function updateIn(
  root: unknown,
  tokens: readonly string[],
  update: (old: unknown) => unknown,
  depth = 0,
): unknown {
  if (depth === tokens.length) return update(root);
  if (!isContainer(root)) {
    throw new PatchbayError(
      'flow.invalid',
      `${formatPointer(tokens.slice(0, depth)) || 'The flow'} is not an object or a list.`,
      { place: { pointer: formatPointer(tokens) }, hint: 'Check the path and the flow document.' },
    );
  }
  const token = tokens[depth];
  const old = child(root, token);
  if (old === undefined && depth < tokens.length - 1) throw describeMissingFrom(root, tokens, depth);
  const next = updateIn(old, tokens, update, depth + 1);
  if (Array.isArray(root)) {
    const i = Number(token);
    if (!(i >= 0 && i < root.length)) throw describeMissingFrom(root, tokens, depth);
    const copy = root.slice();
    copy[i] = next;
    return copy;
  }
  return { ...root, [token]: next };
}

function describeMissingFrom(node: Node, tokens: readonly string[], depth: number): PatchbayError {
  const at = formatPointer(tokens.slice(0, depth + 1));
  const size = Array.isArray(node)
    ? ` (${formatPointer(tokens.slice(0, depth))} has ${node.length} item${node.length === 1 ? '' : 's'})`
    : '';
  return new PatchbayError('flow.invalid', `Nothing at ${at}${size}.`, {
    place: { pointer: formatPointer(tokens) },
    hint: 'The flow may have changed; reload it and try again.',
  });
}
