/**
 * JSON pointers (RFC 6901) into a flow, restricted to the places steps live:
 * step lists (`/steps`, `/subflows/Cleanup/steps`, `/steps/2/then`,
 * `/steps/2/elseIf/0/then`, `/steps/4/cases/1/do`, `/steps/4/default`) and
 * steps (a list pointer plus an index). Parsing checks that grammar, so a
 * typo gets an error that says what a valid path looks like.
 */
import { PatchbayError } from '../errors.js';

/** Keys that hold a step list directly on a block step. */
export const BODY_KEYS = ['then', 'else', 'do', 'default'] as const;
/** Keys that hold a list of branches, each with its own step list (`elseIf/N/then`, `cases/N/do`). */
export const BRANCH_KEYS = { elseIf: 'then', cases: 'do' } as const;

const LIST_HINT =
  'Use /steps, /subflows/NAME/steps, or a block body such as /steps/2/then, /steps/2/else, /steps/2/do, /steps/2/default, /steps/2/elseIf/0/then or /steps/2/cases/0/do.';

export function parsePointer(pointer: string): string[] {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
    throw new PatchbayError('flow.invalid', `"${String(pointer)}" is not a JSON pointer.`, {
      place: { pointer: String(pointer) },
      hint: 'A path starts with "/", e.g. /steps/0.',
    });
  }
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function isIndex(token: string | undefined): boolean {
  return token !== undefined && /^(0|[1-9][0-9]*)$/.test(token);
}

/** Checks that `tokens` name a step list; throws `flow.invalid` naming the pointer otherwise. */
export function checkListTokens(tokens: readonly string[], pointer: string): void {
  const fail = (why: string): never => {
    throw new PatchbayError('flow.invalid', `${pointer || '(empty path)'} is not a step list: ${why}`, {
      place: { pointer },
      hint: LIST_HINT,
    });
  };
  let i: number;
  if (tokens[0] === 'steps') i = 1;
  else if (tokens[0] === 'subflows' && tokens.length >= 3 && tokens[2] === 'steps') i = 3;
  else return fail('it must start with /steps or /subflows/NAME/steps.');
  while (i < tokens.length) {
    if (!isIndex(tokens[i])) return fail(`"${tokens[i]}" should be a step number.`);
    const key = tokens[i + 1];
    if (key === undefined) return fail('it ends at a step, not at one of its bodies.');
    if ((BODY_KEYS as readonly string[]).includes(key)) {
      i += 2;
    } else if (key === 'elseIf' || key === 'cases') {
      if (!isIndex(tokens[i + 2])) return fail(`"${key}" must be followed by a branch number.`);
      if (tokens[i + 3] !== BRANCH_KEYS[key])
        return fail(`a branch of "${key}" holds its steps in "${BRANCH_KEYS[key]}".`);
      i += 4;
    } else {
      return fail(`"${key}" is not a block body.`);
    }
  }
}

/** Splits a step pointer into its list's tokens and its index. */
export function parseStepPointer(pointer: string): { list: string[]; index: number } {
  const tokens = parsePointer(pointer);
  const last = tokens[tokens.length - 1];
  if (!isIndex(last)) {
    throw new PatchbayError(
      'flow.invalid',
      `${pointer || '(empty path)'} is not a step: it must end with the step's number.`,
      { place: { pointer }, hint: 'A step path looks like /steps/2 or /steps/2/then/0.' },
    );
  }
  const list = tokens.slice(0, -1);
  checkListTokens(list, pointer);
  return { list, index: Number(last) };
}

export function parseListPointer(pointer: string): string[] {
  const tokens = parsePointer(pointer);
  checkListTokens(tokens, pointer);
  return tokens;
}
