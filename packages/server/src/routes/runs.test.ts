import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../app.js';
import { InProcessQueue } from '../queue/in-process.js';
import {
  OWNER,
  countingFlow,
  login,
  newUser,
  testServer,
  waitForRun,
  type Caller,
  type TestServer,
} from '../test-support.js';

let s: TestServer;
let owner: Caller;
let base: string;

beforeAll(async () => {
  s = await testServer();
  owner = await login(s.app, OWNER.email, OWNER.password);
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => s.close());

interface SseEvent {
  event: string;
  data: unknown;
}

function parseSse(text: string): SseEvent[] {
  return text.split('\n\n').flatMap((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    return event && data ? [{ event, data: JSON.parse(data) as unknown }] : [];
  });
}

async function readStream(runId: string): Promise<SseEvent[]> {
  const res = await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie: owner.cookie } });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  return parseSse(await res.text());
}

async function createFlow(definition: Record<string, unknown>): Promise<string> {
  const r = await owner.call('POST', '/api/envs/default/flows', { definition });
  expect(r.statusCode).toBe(200);
  return r.json().id as string;
}

describe('runs', () => {
  it('runs a three-step flow with inputs and records every step', async () => {
    const flowId = await createFlow(countingFlow());
    const start = await owner.call('POST', `/api/flows/${flowId}/runs`, { inputs: { Start: 5 } });
    expect(start.statusCode).toBe(200);
    const { run, steps } = await waitForRun(owner, start.json().runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      flowId,
      flowName: 'Counting',
      startedBy: OWNER.email,
      outputs: { Total: 116 },
    });
    expect(steps.map((x) => x.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const list = (await owner.call('GET', `/api/runs?flowId=${flowId}&limit=5`)).json();
    expect(list[0]).toMatchObject({ id: start.json().runId, status: 'succeeded' });
  });

  it('streams a live run over SSE: steps as they happen, then done with the outputs', async () => {
    const flowId = await createFlow({
      ...countingFlow('Slow counting'),
      steps: [{ action: 'Wait', params: { seconds: 0.3 } }, ...(countingFlow().steps as unknown[])],
    });
    const runId = (await owner.call('POST', `/api/flows/${flowId}/runs`, { inputs: { Start: 1 } })).json()
      .runId as string;
    const events = await readStream(runId);
    const steps = events.filter((e) => e.event === 'step').map((e) => e.data as { type: string; runStep: number });
    expect(steps.filter((e) => e.type === 'step.finished')).toHaveLength(4);
    // Each step event once, in order of the steps.
    expect(new Set(steps.map((e) => `${e.type}:${e.runStep}`)).size).toBe(steps.length);
    const done = events.at(-1);
    expect(done).toEqual({ event: 'done', data: { status: 'succeeded', outputs: { Total: 112 } } });
  });

  it('replays a finished run from its records to a late client', async () => {
    const flowId = await createFlow(countingFlow('Replayed'));
    const runId = (await owner.call('POST', `/api/flows/${flowId}/runs`, { inputs: { Start: 0 } })).json()
      .runId as string;
    await waitForRun(owner, runId);
    const expected = [
      'step.started',
      'step.finished',
      'step.started',
      'step.finished',
      'step.started',
      'step.finished',
      'done',
    ];
    const typesOf = (events: SseEvent[]) =>
      events
        .filter((e) => e.event !== 'status')
        .map((e) => (e.event === 'step' ? (e.data as { type: string }).type : e.event));
    // From this server's memory of the run: live events are coalesced (the latest state of each line), so every
    // step's final state and the end arrive, not necessarily each start…
    const events = await readStream(runId);
    const live = typesOf(events);
    expect(live.filter((t) => t === 'step.finished')).toHaveLength(3);
    expect(live.at(-1)).toBe('done');
    expect(events.at(-1)?.data).toMatchObject({ status: 'succeeded', outputs: { Total: 111 } });
    // …and from the store alone, on a server that never saw the run (another machine).
    const other = await buildServer({ platform: s.platform, queue: new InProcessQueue({ platform: s.platform }) });
    const res = await other.inject({
      method: 'GET',
      url: `/api/runs/${runId}/events`,
      headers: { cookie: `patchbay_session=x` },
    });
    expect(res.statusCode).toBe(401);
    const token = (await owner.call('POST', '/api/auth/tokens', { name: 'replay' })).json().apiToken as string;
    const replay = await other.inject({
      method: 'GET',
      url: `/api/runs/${runId}/events`,
      headers: { authorization: `Bearer ${token}` },
    });
    const fromStore = parseSse(replay.body);
    expect(typesOf(fromStore)).toEqual(expected);
    expect(fromStore.at(-1)?.data).toMatchObject({ status: 'succeeded', outputs: { Total: 111 } });
    await other.close();
  });

  it('cancels a running run', async () => {
    const flowId = await createFlow({
      schema: 'patchbay/flow@1',
      name: 'Long wait',
      steps: [{ action: 'Wait', params: { seconds: 30 } }],
    });
    const runId = (await owner.call('POST', `/api/flows/${flowId}/runs`, {})).json().runId as string;
    for (let i = 0; i < 100 && (await owner.call('GET', `/api/runs/${runId}`)).json().run.status !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await owner.call('POST', `/api/runs/${runId}/cancel`)).statusCode).toBe(200);
    const { run } = await waitForRun(owner, runId, 10_000);
    expect(run.status).toBe('cancelled');
  });

  it('keeps runs private to people with a role on the flow', async () => {
    const flowId = await createFlow(countingFlow('Private'));
    const runId = (await owner.call('POST', `/api/flows/${flowId}/runs`, {})).json().runId as string;
    const stranger = await newUser(s.app, owner, 'stranger@patchbay.test');
    expect((await stranger.call('GET', `/api/runs/${runId}`)).statusCode).toBe(404);
    expect((await stranger.call('POST', `/api/flows/${flowId}/runs`, {})).statusCode).toBe(404);
    const res = await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie: stranger.cookie } });
    expect(res.status).toBe(404);
  });

  it('answers a bad flow with 400, its pointer and every diagnostic', async () => {
    const r = await owner.call('POST', '/api/envs/default/flows', {
      definition: { schema: 'patchbay/flow@1', name: 'Broken', steps: [{ action: 'No.Such.Action', params: {} }] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('flow.invalid');
    expect(r.json().error.pointer ?? r.json().error.stepPath).toContain('/steps/0');
    expect(r.json().diagnostics.length).toBeGreaterThan(0);
  });

  it('edits a flow with FlowEdits and refuses a stale base version with 409', async () => {
    const flowId = await createFlow(countingFlow('Edited'));
    const flow = (await owner.call('GET', `/api/flows/${flowId}`)).json();
    const edit = { type: 'delete_step', request: { path: '/steps/2' } };
    const r = await owner.call('POST', `/api/flows/${flowId}/edits`, { baseVersion: flow.version, edits: [edit] });
    expect(r.statusCode).toBe(200);
    expect(r.json().definition.steps).toHaveLength(2);
    expect(r.json().version).toBe(flow.version + 1);
    const stale = await owner.call('POST', `/api/flows/${flowId}/edits`, { baseVersion: flow.version, edits: [edit] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('store.conflict');
    const versions = (await owner.call('GET', `/api/flows/${flowId}/versions`)).json();
    expect(versions.map((v: { version: number }) => v.version).sort()).toEqual([flow.version, flow.version + 1].sort());
  });
});
