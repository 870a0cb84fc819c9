/**
 * Runs every example flow with the real Node.js host (files, sandbox) and the
 * standard actions, and checks its outputs. Each example must also validate
 * without errors.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  runFlow,
  standardActions,
  validateFlow,
  type Value,
} from '@patchbay/core';
import { createNodeHost, nodeClock } from '@patchbay/runtime';

const dir = dirname(fileURLToPath(import.meta.url));
const actions = createActionRegistry([...blockActions, ...standardActions]);
const silent = (): void => undefined;

async function runExample(
  file: string,
  inputs: Record<string, unknown> = {},
): Promise<{ status: string; outputs: Record<string, Value>; error?: unknown }> {
  const text = readFileSync(join(dir, file), 'utf8');
  const flow = parseFlowText(text, file);
  const errors = validateFlow(flow, { actions, sourceText: text, file }).filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  const r = await runFlow(flow, {
    inputs,
    resources: {
      actions,
      host: createNodeHost(),
      clock: nodeClock,
      logger: { debug: silent, info: silent, warn: silent, error: silent },
    },
  });
  return { status: r.status, outputs: r.outputs, error: r.error };
}

const expected: Record<string, Record<string, Value>> = {
  'text-cleanup.flow.json': { Clean: 'Ada Lovelace, Grace Hopper, Alan Turing', Count: 3 },
  'csv-report.flow.json': {
    Total: 250,
    Report: JSON.stringify({
      Rows: [
        { Region: 'North', Amount: 120 },
        { Region: 'South', Amount: 80.5 },
        { Region: 'North', Amount: 30 },
        { Region: 'South', Amount: 19.5 },
      ],
      Total: 250,
    }),
  },
  'nested-loops-switch.flow.json': { Grid: 'ssoQ\nsQee\noeQe\nQeeQ', Squares: 5 },
  'error-handling.flow.json': { Sum: 16.5, Skipped: 1, BlockSum: 12.5, BlockError: '' },
  'subflows.flow.json': { Invoice: '3 x Cable = 12\n1 x Switch = 25', Total: 33.3 },
  'javascript.flow.json': { Mean: 3.875, Max: 9, Sorted: '1 1 2 3 4 5 6 9' },
};

describe('examples', () => {
  it('has at least six example flows, each with expected outputs', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.flow.json'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files).toEqual(Object.keys(expected).sort());
  });

  for (const [file, outputs] of Object.entries(expected)) {
    it(`runs ${file}`, async () => {
      const r = await runExample(file);
      expect(r.error).toBeUndefined();
      expect(r.status).toBe('succeeded');
      if (file === 'error-handling.flow.json') {
        expect(r.outputs).toMatchObject({ Sum: 16.5, Skipped: 1, BlockSum: 12.5 });
        expect(String(r.outputs.BlockError)).toMatch(/not a number.*\(at \/steps\/5\/do\/0\/do\/0\)/);
      } else {
        expect(r.outputs).toEqual(outputs);
      }
    });
  }
});
