import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blockActions,
  checkPolicy,
  createActionRegistry,
  endpointRulesOf,
  parseFlowText,
  runFlow,
  standardActions,
  type RunResources,
} from '@patchbay/core';
import { createNodeHost } from './host.js';
import { nodeClock } from './clock.js';

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/ok/redirect') {
      res.statusCode = 302;
      res.setHeader('location', '/secret');
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function resources(): RunResources {
  const silent = (): void => undefined;
  const policy = checkPolicy({
    name: 'Intranet',
    environments: ['*'],
    endpoints: [{ desktopModule: 'Web', rules: [{ allow: `${base}/ok/*` }, { deny: '*' }] }],
  });
  return {
    actions: createActionRegistry([...blockActions, ...standardActions]),
    host: createNodeHost(),
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    clock: nodeClock,
    endpointRules: endpointRulesOf([policy]),
  };
}

/** The URL is put together from a variable at run time, so no check before the run can see it. */
function flow(path: string) {
  return parseFlowText(
    JSON.stringify({
      schema: 'patchbay/flow@1',
      name: 'Fetch',
      inputs: { Base: { type: 'text' } },
      outputs: { Got: { type: 'text' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Where', value: path } },
        { action: 'Web.InvokeWebService', params: { url: '%Base%/%Where%' } },
        { action: 'Variables.Set', params: { name: 'Got', value: '%WebServiceResponse%' } },
      ],
    }),
  );
}

describe('endpoint rules for Web actions', () => {
  it('lets an allowed URL through', async () => {
    const r = await runFlow(flow('ok/data'), { inputs: { Base: base }, resources: resources() });
    expect(r.status).toBe('succeeded');
    expect(String(r.outputs.Got)).toContain('/ok/data');
  });

  it('refuses a URL computed at run time, naming the policy and the rule, before any request', async () => {
    hits.length = 0;
    const r = await runFlow(flow('secret'), { inputs: { Base: base }, resources: resources() });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('policy.violation');
    expect(r.error?.message).toContain('policy "Intranet"');
    expect(r.error?.message).toContain('endpoint rule 2 for desktop module "Web": deny "*"');
    expect(r.error?.stepPath).toBe('/steps/1');
    expect(hits).toEqual([]);
  });

  it('checks every redirect hop', async () => {
    hits.length = 0;
    const r = await runFlow(flow('ok/redirect'), { inputs: { Base: base }, resources: resources() });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('policy.violation');
    expect(r.error?.message).toContain(`${base}/secret`);
    expect(hits).toEqual(['/ok/redirect']);
  });

  it('follows redirects as before when no rule covers the module', async () => {
    const res = resources();
    const r = await runFlow(flow('ok/redirect'), {
      inputs: { Base: base },
      resources: { ...res, endpointRules: [{ policy: 'Other', connector: 'http', rules: [{ deny: '*' }] }] },
    });
    expect(r.status).toBe('succeeded');
    expect(String(r.outputs.Got)).toContain('/secret');
  });
});
