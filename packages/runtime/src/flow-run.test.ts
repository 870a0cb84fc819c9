import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  runFlow,
  standardActions,
  type RunResources,
  type StepEvent,
} from '@patchbay/core';
import { createNodeHost } from './host.js';
import { nodeClock } from './clock.js';
import { tempFolder } from './actions.test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempFolder()));
afterEach(() => cleanup());

function resources(events: StepEvent[], signal?: AbortSignal): RunResources {
  const silent = (): void => undefined;
  return {
    actions: createActionRegistry([...blockActions, ...standardActions]),
    host: createNodeHost({ cwd: dir }),
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    clock: nodeClock,
    signal,
    onEvent: (e) => events.push(e),
  };
}

describe.skipIf(process.platform === 'win32')('flows on the Node host', () => {
  it('writes a CSV, reads it back, sums it in JavaScript and checks the file with a command', async () => {
    const flow = parseFlowText(
      JSON.stringify({
        schema: 'patchbay/flow@1',
        name: 'Machine actions',
        outputs: { Total: { type: 'number' }, Listed: { type: 'text' } },
        steps: [
          { action: 'Folder.Create', params: { createIn: '.', name: 'out' } },
          {
            action: 'File.WriteCsv',
            params: { table: "%[{'Id': 1, 'Amount': 10}, {'Id': 2, 'Amount': 15}]%", file: '%NewFolder%/rows.csv' },
          },
          { action: 'File.ReadCsv', params: { file: 'out/rows.csv', firstLineIsHeader: true } },
          {
            action: 'Scripting.RunJavaScript',
            params: {
              script: 'return Rows.reduce((s, r) => s + Number(r.Amount) % 100, 0);',
              inputs: { Rows: '%CSVTable%' },
            },
            produces: { result: 'Total' },
          },
          { action: 'System.RunCommand', params: { command: 'ls out' } },
          { action: 'Variables.Set', params: { name: 'Listed', value: '%CommandOutput.Trimmed%' } },
        ],
      }),
    );
    const events: StepEvent[] = [];
    const result = await runFlow(flow, { resources: resources(events) });
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual({ Total: 25, Listed: 'rows.csv' });
  });

  it('fails with the step path and action when a file is missing', async () => {
    const flow = parseFlowText(
      JSON.stringify({
        schema: 'patchbay/flow@1',
        name: 'Missing',
        steps: [{ action: 'File.ReadText', params: { file: 'nope.txt' } }],
      }),
    );
    const result = await runFlow(flow, { resources: resources([]) });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'action.failed',
      stepPath: '/steps/0',
      action: 'File.ReadText',
      message: `Parameter 'file': the file ${dir}/nope.txt does not exist.`,
    });
  });

  it('cancels a run during a command', async () => {
    const flow = parseFlowText(
      JSON.stringify({
        schema: 'patchbay/flow@1',
        name: 'Slow',
        steps: [{ action: 'System.RunCommand', params: { command: 'sleep 10' } }],
      }),
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const result = await runFlow(flow, { resources: resources([], ac.signal) });
    expect(result.status).toBe('cancelled');
  });

  it('keeps request headers out of step events', async () => {
    const server = createServer((req, res) =>
      res.end(req.headers.authorization === 'Bearer s3cret-token' ? 'ok' : 'no'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const flow = parseFlowText(
        JSON.stringify({
          schema: 'patchbay/flow@1',
          name: 'Call',
          outputs: { WebServiceResponse: { type: 'text' } },
          steps: [
            { action: 'Web.InvokeWebService', params: { url, headers: { Authorization: 'Bearer s3cret-token' } } },
          ],
        }),
      );
      const events: StepEvent[] = [];
      const result = await runFlow(flow, { resources: resources(events) });
      expect(result.outputs.WebServiceResponse).toBe('ok');
      expect(JSON.stringify(events)).not.toContain('s3cret-token');
      expect(JSON.stringify(result.steps)).not.toContain('s3cret-token');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
