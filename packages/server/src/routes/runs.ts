/**
 * Runs: start (recorded as queued by the platform, then handed to the queue),
 * list, read with step records, cancel, and the live event stream (SSE) that
 * replays what happened before the client connected.
 */
import { Type } from 'typebox';
import { PatchbayError } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import type { Run, RunStep } from '@patchbay/store';
import { requireActor } from '../http/auth.js';
import { streamRunEvents } from '../http/sse.js';
import type { App, RouteDeps } from '../http/types.js';
import { AnyObject, IdParams } from './schemas.js';

/** Names for ids, looked up once per answer. */
class Names {
  private readonly users = new Map<string, Promise<string>>();
  private readonly flows = new Map<string, Promise<string>>();
  constructor(private readonly platform: Platform) {}
  user(id: string | null): Promise<string | undefined> {
    if (!id) return Promise.resolve(undefined);
    if (!this.users.has(id))
      this.users.set(
        id,
        this.platform.users.get(id).then(
          (u) => u.email,
          () => '',
        ),
      );
    return this.users.get(id) as Promise<string>;
  }
  flow(id: string | null): Promise<string | undefined> {
    if (!id) return Promise.resolve(undefined);
    if (!this.flows.has(id))
      this.flows.set(
        id,
        this.platform.store.flows.get(id).then(
          (f) => f.name,
          () => '',
        ),
      );
    return this.flows.get(id) as Promise<string>;
  }
}

async function runView(r: Run, names: Names) {
  return {
    id: r.id,
    flowId: r.flowId,
    flowName: (await names.flow(r.flowId)) || r.adHocName || '',
    environment: r.environment,
    status: r.status,
    startedBy: (await names.user(r.startedBy)) ?? '',
    queuedAt: r.queuedAt,
    ...(r.startedAt ? { startedAt: r.startedAt } : {}),
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    attempt: r.attempt,
    ...(r.machineGroup ? { machineGroup: r.machineGroup } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

function stepView(s: RunStep) {
  return {
    seq: s.seq,
    stepPath: s.stepPath,
    action: s.action,
    status: s.status,
    startedAt: s.startedAt,
    ...(s.durationMs !== null ? { durationMs: s.durationMs } : {}),
    inputs: s.inputs ?? {},
    outputs: s.outputs ?? {},
    ...(s.error ? { error: s.error } : {}),
  };
}

export async function runRoutes(app: App, { platform, queue, events }: RouteDeps): Promise<void> {
  app.post(
    '/api/flows/:id/runs',
    {
      config: { access: 'user', permission: 'flow.run' },
      schema: {
        tags: ['runs'],
        params: IdParams,
        body: Type.Optional(
          Type.Object({
            inputs: Type.Optional(AnyObject),
            connections: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
            machineGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          }),
        ),
      },
    },
    async (request) => {
      const run = await platform.runs.start(requireActor(request), {
        flowId: request.params.id,
        ...(request.body?.machineGroup ? { machineGroup: request.body.machineGroup } : {}),
        ...(request.body?.inputs ? { inputs: request.body.inputs } : {}),
        ...(request.body?.connections ? { connections: request.body.connections } : {}),
      });
      await queue.enqueue(run.id);
      return { runId: run.id };
    },
  );

  app.get(
    '/api/runs',
    {
      config: { access: 'user', permission: 'signed-in' },
      schema: {
        tags: ['runs'],
        querystring: Type.Object({
          flowId: Type.Optional(Type.String({ minLength: 1 })),
          environment: Type.Optional(Type.String({ minLength: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const runs = await platform.runs.list(requireActor(request), {
        ...(q.flowId ? { flowId: q.flowId } : {}),
        ...(q.environment ? { environment: q.environment } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      const names = new Names(platform);
      return Promise.all(runs.map((r) => runView(r, names)));
    },
  );

  app.get(
    '/api/runs/:id',
    { config: { access: 'user', permission: 'run.read' }, schema: { tags: ['runs'], params: IdParams } },
    async (request) => {
      const { run, steps } = await platform.runs.get(requireActor(request), request.params.id);
      return {
        run: {
          ...(await runView(run, new Names(platform))),
          outputs: run.outputs ?? {},
          variables: run.variables ?? {},
        },
        steps: steps.map(stepView),
      };
    },
  );

  app.post(
    '/api/runs/:id/cancel',
    { config: { access: 'user', permission: 'run.read' }, schema: { tags: ['runs'], params: IdParams } },
    async (request) => {
      const actor = requireActor(request);
      try {
        const run = await platform.runs.cancel(actor, request.params.id);
        return { status: run.status };
      } catch (e) {
        // Running on another worker: ask it over the queue.
        if (!(e instanceof PatchbayError && e.code === 'store.conflict')) throw e;
        if (!(await queue.requestCancel(request.params.id))) throw e;
        return { status: 'cancelling' };
      }
    },
  );

  app.get(
    '/api/runs/:id/events',
    {
      config: { access: 'user', permission: 'run.read' },
      schema: {
        tags: ['runs'],
        params: IdParams,
        description:
          'text/event-stream: `step` (a StepEvent), `status` ({status}), `done` ({status, outputs, error?}); replays what happened before the client connected.',
      },
    },
    async (request, reply) => {
      const { run, steps } = await platform.runs.get(requireActor(request), request.params.id);
      await streamRunEvents({ request, reply, run, steps, events, reload: () => platform.store.runs.get(run.id) });
    },
  );
}
