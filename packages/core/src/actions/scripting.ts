/**
 * Scripting: JavaScript in the host's sandbox (QuickJS in the Node host).
 * The script is the body of an async function: `return` gives the result,
 * `await` works, the inputs are global variables, `console.log` goes to
 * JavascriptOutput. The script text is taken as written (JavaScript's `%`
 * is an operator), so values come in through the inputs.
 */
import type { ActionDefinition } from '../contracts.js';
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { rowToObject, tableToObjects } from '../expressions/tables.js';
import { describeType, num, paramError, text } from './variables-params.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const runJavaScript: ActionDefinition = {
  id: 'Scripting.RunJavaScript',
  group: 'Scripting',
  displayName: 'Run JavaScript',
  description:
    'Runs JavaScript in a sandbox (no files, network or Node.js APIs) with a time and memory limit, and gives its return value.',
  params: [
    {
      name: 'script',
      type: 'text',
      displayName: 'JavaScript to run',
      required: true,
      raw: true,
      description: 'The body of a function: use return to give a result. Taken as written; pass flow values as inputs.',
    },
    {
      name: 'inputs',
      type: 'object',
      displayName: 'Inputs',
      default: {},
      description: 'A custom object; each property becomes a global variable of the script.',
    },
    { name: 'timeoutSeconds', type: 'number', displayName: 'Time limit (seconds)', default: 30, advanced: true },
    { name: 'memoryMB', type: 'number', displayName: 'Memory limit (MB)', default: 64, advanced: true },
  ],
  produces: [
    {
      key: 'result',
      defaultName: 'JavascriptResult',
      type: 'any',
      description: 'What the script returned (text, number, boolean, datetime, list, custom object, binary), or empty.',
    },
    {
      key: 'output',
      defaultName: 'JavascriptOutput',
      type: 'text',
      description: 'What the script wrote with console.log, one call a line.',
    },
  ],
  async run(ctx, p) {
    const script = text(p, 'script');
    if (script.trim() === '')
      throw paramError('script', 'the script is empty.', 'Write some JavaScript, e.g. return 1 + 1;');
    const given = p.inputs ?? {};
    if (!isValueObject(given))
      throw paramError(
        'inputs',
        `expected a custom object, got ${describeType(given)}.`,
        "Give inputs as %{'Name': Value}%.",
      );
    // A data table reaches the script as an array of row objects, a data row as an object.
    const inputs: Record<string, Value> = {};
    for (const [k, v] of Object.entries(given))
      inputs[k] = v instanceof DataTable ? tableToObjects(v) : v instanceof DataRow ? rowToObject(v) : v;
    if (!isValueObject(inputs))
      throw paramError(
        'inputs',
        `expected a custom object, got ${describeType(inputs)}.`,
        "Give inputs as %{'Name': Value}%.",
      );
    for (const name of Object.keys(inputs)) {
      if (!IDENTIFIER.test(name))
        throw paramError(
          'inputs',
          `'${name}' is not a JavaScript variable name.`,
          'Use letters, digits, _ and $, not starting with a digit.',
        );
    }
    const seconds = num(p, 'timeoutSeconds', 30);
    const mb = num(p, 'memoryMB', 64);
    if (seconds <= 0) throw paramError('timeoutSeconds', `must be more than 0, got ${seconds}.`);
    if (mb < 1) throw paramError('memoryMB', `must be at least 1, got ${mb}.`);
    const lines: string[] = [];
    const result = await ctx.host.script.runJavaScript(script, {
      inputs,
      timeoutMs: seconds * 1000,
      memoryBytes: Math.round(mb * 1024 * 1024),
      signal: ctx.signal,
      onConsole: (_level, line) => lines.push(line),
    });
    return { result, output: lines.join('\n') };
  },
};

export const scriptingActions: ActionDefinition[] = [runJavaScript];
