/**
 * Runs: `start` resolves every connection reference for the runner (their
 * own, else embedded, else the environment's binding) and records a queued
 * run — or fails with `connection.unresolved` before any step, naming each
 * reference and how to bind it. `execute` runs a queued run through the
 * platform's `FlowExecutor` (a runner process; this process only with
 * PATCHBAY_RUN_LOCAL=1), streaming and recording redacted step records, and
 * records the outcome. The queue itself belongs to the server.
 */
import {
  PatchbayError,
  endpointRulesOf,
  evaluateFlowPolicies,
  parseFlowText,
  toErrorData,
  walkSteps,
  type ConnectionResolver,
  type ErrorData,
  type Flow as FlowDefinition,
  type Logger,
  type Policy,
  type RunLimits,
  type RunResult,
  type StepEvent,
} from '@patchbay/core';
import { createNodeHost, nodeClock, type FlowExecutor } from '@patchbay/runtime';
import { referencesOf, type Repositories, type Run, type RunStep, type RunStepAggregate } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { ConnectorsService } from './connectors.js';
import type { PlatformContext } from './context.js';
import { actionRegistry, connectorUses, usesConnectors, type FlowsService } from './flows.js';
import type { Resolution } from './resolver.js';
import { Scrubber } from './scrub.js';
import { RecordingSettingsError, RunRecorder, recordingSettings, type RecordingSettings } from './run-recorder.js';
import { policiesIn, violationError } from './policies.js';
import { requireRole } from './roles.js';

/** Kept in the run row beside the inputs, so any worker can execute the run. */
const CONTEXT_KEY = '$patchbay';
interface RunContext {
  connections?: Record<string, string>;
  recording?: Partial<RecordingSettings>;
  definition?: FlowDefinition;
}

export interface StartRunInput {
  /** A stored flow (its current version), or… */
  flowId?: string;
  /** …a definition (object or flow file text) run without saving it. */
  definition?: FlowDefinition | string;
  /** Required with `definition`; with `flowId`, must match the flow's environment when given. */
  environment?: string;
  inputs?: Record<string, unknown>;
  /** The runner's own connections, by reference logical name. */
  connections?: Record<string, string>;
  /** How this run's steps are recorded; over the flow's own `recording` settings and the defaults. */
  recording?: Partial<RecordingSettings>;
  /**
   * The machine group that takes the run (a machine on another computer);
   * default the flow's own. The run waits queued until a machine of the group takes it.
   */
  machineGroup?: string;
}

export interface ExecuteOptions {
  /** Receives the flow's own log messages (Log.Message); the platform's logger when not given. */
  logger?: Logger;
  /** Loop and call-depth limits for this run. */
  limits?: Partial<RunLimits>;
  signal?: AbortSignal;
  onEvent?: (event: StepEvent) => void;
  workerId?: string;
  /** The queued run as the caller just read it (spares reading it again). */
  queued?: Run;
  /** Where this run executes instead of the platform's executor (a machine's link). */
  executor?: FlowExecutor;
}

const HEARTBEAT_MS = 10_000;
/** Parsed flow versions kept per process: a version never changes once saved, so a kept one is never stale. */
const DEFINITIONS_KEPT = 500;

/** The flow's own log lines (Log.Message) pass the run's scrubber: a flow that logs a secret logs `***`. */
function scrubbedLogger(logger: Logger, scrub: Scrubber): Logger {
  const line = (level: keyof Logger) => (message: string, data?: Record<string, unknown>) =>
    logger[level](scrub.text(message), data === undefined ? undefined : scrub.value(data));
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Modules whose actions reach this computer's files, programs and scripts. */
export const HOST_MODULES = ['System', 'Scripting', 'File', 'Folder'] as const;

/** The host-action modules a flow's steps use (subflows included). */
export function hostModulesOf(definition: FlowDefinition): string[] {
  const used = new Set<string>();
  walkSteps(definition, (step) => {
    const action = 'action' in step && typeof step.action === 'string' ? step.action : '';
    const group = action.split('.')[0];
    if ((HOST_MODULES as readonly string[]).includes(group)) used.add(group);
  });
  return [...used].sort();
}

function publicRun(r: Run): Run {
  const inputs = { ...r.inputs };
  delete inputs[CONTEXT_KEY];
  return { ...r, inputs };
}

export function runsService(
  ctx: PlatformContext,
  deps: { flows: FlowsService; connectors: ConnectorsService; resolution: Resolution; executor: FlowExecutor },
) {
  const { store } = ctx;
  const controllers = new Map<string, AbortController>();
  const definitions = new Map<string, FlowDefinition>();

  /** A stored flow's version, parsed once per process (runs only read it: never change the object returned). */
  async function versionOf(flowId: string, version: number): Promise<FlowDefinition> {
    const key = `${flowId}@${version}`;
    const kept = definitions.get(key);
    if (kept) return kept;
    const { definition } = await store.flows.getVersion<FlowDefinition>(flowId, version);
    if (definitions.size >= DEFINITIONS_KEPT) definitions.delete(definitions.keys().next().value as string);
    definitions.set(key, definition);
    return definition;
  }

  async function definitionOf(run: Run): Promise<FlowDefinition> {
    const rc = run.inputs[CONTEXT_KEY] as RunContext | undefined;
    if (run.flowId)
      return run.flowVersion === null
        ? (await store.flows.getVersion<FlowDefinition>(run.flowId)).definition
        : versionOf(run.flowId, run.flowVersion);
    if (rc?.definition) return rc.definition;
    throw new PatchbayError('store.not_found', `Run ${run.id} has no flow to run (its flow was deleted).`);
  }

  async function visible(actor: Actor, run: Run): Promise<boolean> {
    if (run.startedBy === actor.id) return true;
    if (!run.flowId) return false;
    try {
      return (await deps.flows.roleOf(actor, run.flowId)).role !== 'run-only';
    } catch {
      return false;
    }
  }

  async function plan(
    run: { environment: string; startedBy: string | null; flowId: string | null },
    definition: FlowDefinition,
    connections: Record<string, string>,
  ) {
    return deps.resolution.plan({
      environment: run.environment,
      runnerId: run.startedBy ?? '',
      used: referencesOf(definition),
      overrides: connections,
      ...(run.flowId ? { flowId: run.flowId } : {}),
    });
  }

  /**
   * A flow that violates a data-loss-prevention policy of its environment does not start (`policy.violation`).
   * Returns the policies that apply, read once for the run's checks and its endpoint rules.
   */
  async function refuseViolations(environment: string, definition: FlowDefinition): Promise<Policy[]> {
    const policies = await policiesIn(store, environment);
    const violations = policies.length ? evaluateFlowPolicies(definition, policies) : [];
    if (violations.length)
      throw violationError(violations, {
        flowName: definition.name,
        hint: 'The run was refused before its first step. Change the steps named so the flow complies (docs/security.md), or ask an administrator about the policy.',
      });
    return policies;
  }

  /**
   * A runner that cannot drop privileges reads what this process reads: then
   * host actions are the instance owner's alone. Refused before any step.
   */
  async function checkHostActions(run: Run, definition: FlowDefinition, executor: FlowExecutor): Promise<void> {
    const modules = hostModulesOf(definition);
    if (!modules.length || executor.dropsPrivileges()) return;
    const starter = run.startedBy ? await store.users.get(run.startedBy).catch(() => undefined) : undefined;
    if (starter?.role === 'owner') return;
    throw new PatchbayError(
      'auth.denied',
      `This server cannot run ${modules.join(', ')} actions for you: its runners would run as the same OS user as the server and could read its files, so only the instance owner may run flows with host actions here.`,
      {
        hint: 'An administrator can start the server as root with an unprivileged runner user (PATCHBAY_RUNNER_USER, default patchbay-runner: useradd --system --no-create-home patchbay-runner), or remove those actions from the flow.',
      },
    );
  }

  /** A run that targets a machine group needs one registered (online or not) in its environment. */
  async function machineGroupExists(environment: string, group: string): Promise<void> {
    const machines = await store.machines.list({ environment });
    if (machines.some((m) => m.group === group && m.status === 'active')) return;
    throw new PatchbayError(
      'store.invalid',
      `No machine of group "${group}" is registered in environment "${environment}".`,
      {
        hint: `Register one with \`patchbay machine register NAME --group ${group} --env ${environment}\`, or run without a machine group.`,
      },
    );
  }

  async function start(actor: Actor, input: StartRunInput): Promise<Run> {
    let environment: string;
    let definition: FlowDefinition;
    let flowId: string | undefined;
    let flowVersion: number | undefined;
    let flowOwnerId: string | undefined;
    let machineGroup = input.machineGroup;
    if (input.flowId) {
      const { flow } = await deps.flows.roleOf(actor, input.flowId);
      flowOwnerId = flow.ownerId;
      if (input.environment && input.environment !== flow.environment)
        throw new PatchbayError(
          'store.invalid',
          `Flow "${flow.name}" lives in environment "${flow.environment}", not "${input.environment}".`,
        );
      if (!flow.enabled)
        throw new PatchbayError('store.conflict', `Flow "${flow.name}" is disabled.`, {
          hint: 'Bind its connection references, then enable it (patchbay flow enable ID).',
        });
      environment = flow.environment;
      machineGroup ??= flow.machineGroup ?? undefined;
      flowId = flow.id;
      flowVersion = flow.currentVersion;
      definition = await versionOf(flow.id, flowVersion);
    } else if (input.definition !== undefined) {
      if (!input.environment)
        throw new PatchbayError('store.invalid', 'A run of an unsaved flow needs an environment.', {
          hint: 'Pass --env NAME.',
        });
      environment = await store.environments.require(input.environment);
      await requireRole(ctx, actor, environment, 'maker', 'run a flow that is not saved');
      definition = typeof input.definition === 'string' ? parseFlowText(input.definition) : input.definition;
      const errors = (await deps.flows.validate(actor, environment, definition)).filter((d) => d.severity === 'error');
      if (errors.length) {
        const d = errors[0];
        throw new PatchbayError('flow.invalid', d.message, {
          place: {
            pointer: d.pointer,
            line: d.line,
            column: d.column,
            stepPath: d.stepPath || undefined,
            action: d.action,
          },
          hint: d.hint,
        });
      }
    } else {
      throw new PatchbayError('store.invalid', 'A run needs a flow id or a flow definition.');
    }
    await refuseViolations(environment, definition);
    if (machineGroup) await machineGroupExists(environment, machineGroup);
    const connections = input.connections ?? {};
    const p = await plan({ environment, startedBy: actor.id, flowId: flowId ?? null }, definition, connections);
    if (p.unresolved.length) throw deps.resolution.unresolvedError(p);
    const inputs = input.inputs ?? {};
    const sensitive = Object.entries(definition.inputs ?? {})
      .filter(([, d]) => d.sensitive)
      .map(([n]) => n);
    // Sensitive values are sealed into the run row (opened only by `execute`); the record shows `***`.
    const stored: Record<string, unknown> = { ...inputs };
    const sensitiveInputs: Record<string, unknown> = {};
    for (const n of sensitive) {
      if (!(n in stored)) continue;
      sensitiveInputs[n] = stored[n];
      stored[n] = '***';
    }
    let recording: RecordingSettings;
    try {
      recording = recordingSettings(definition.recording, input.recording);
    } catch (e) {
      if (!(e instanceof RecordingSettingsError)) throw e;
      throw new PatchbayError('store.invalid', e.message, {
        hint: 'Set mode to all, summary or none, and head / tail to whole numbers (patchbay run --record MODE).',
      });
    }
    const rc: RunContext = { connections, recording, ...(flowId ? {} : { definition }) };
    stored[CONTEXT_KEY] = rc;
    const create = (repos: Repositories) =>
      repos.runs.create({
        environment,
        startedBy: actor.id,
        inputs: stored,
        sensitiveInputs,
        ...(machineGroup ? { machineGroup } : {}),
        ...(flowId ? { flowId, flowVersion } : { adHocName: definition.name }),
      });
    // A run of a flow someone else owns (shared with the actor) is a security event; the actor's own runs are not.
    const run =
      flowId && flowOwnerId !== actor.id
        ? await ctx.audit.around(
            { actor, environment, action: 'run.start', target: flowId, detail: { flowName: definition.name } },
            create,
            (r) => ({ detail: { runId: r.id } }),
          )
        : await create(store);
    return publicRun(run);
  }

  async function execute(runId: string, opts: ExecuteOptions = {}): Promise<{ run: Run; result?: RunResult }> {
    const queued = opts.queued?.id === runId ? opts.queued : await store.runs.get(runId);
    const executor = opts.executor ?? deps.executor;
    const rc = (queued.inputs[CONTEXT_KEY] ?? {}) as RunContext;
    const inputs = publicRun(queued).inputs;
    const { sensitiveInputs: sealed } = await store.runs.start(runId, opts.workerId ? { workerId: opts.workerId } : {});
    const controller = new AbortController();
    controllers.set(runId, controller);
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const heartbeat = setInterval(() => void store.runs.heartbeat(runId).catch(() => undefined), HEARTBEAT_MS);
    heartbeat.unref();
    const scrub = new Scrubber();
    const settings = recordingSettings(rc.recording);
    const recorder = new RunRecorder({
      store,
      runId,
      scrub,
      settings,
      logger: ctx.logger,
      ...(opts.onEvent ? { live: opts.onEvent } : {}),
    });
    const onEvent = (e: StepEvent) => recorder.onEvent(e);
    let result: RunResult | undefined;
    let failure: ErrorData | undefined;
    try {
      scrub.addAll(sealed);
      Object.assign(inputs, sealed);
      const definition = await definitionOf(queued);
      // Policies may have changed since the run was queued: checked again before the first step.
      const endpointRules = endpointRulesOf(await refuseViolations(queued.environment, definition));
      await checkHostActions(queued, definition, executor);
      const p = await plan(queued, definition, rc.connections ?? {});
      if (p.unresolved.length) throw deps.resolution.unresolvedError(p);
      const env = await store.envVars.resolve(queued.environment);
      for (const n of env.secretNames) if (typeof env.values[n] === 'string') scrub.add(env.values[n] as string);
      result = await executor.run(definition, {
        inputs,
        references: [...p.references.keys()],
        // Gateway answers are serialized at once: one without a secret goes as it is, without a copy.
        scrub: (v) => scrub.clean(v),
        // A runner sends what the recorder keeps in full, and aggregates for the rest.
        reduce: settings,
        onAggregate: (item) => recorder.onAggregate(item),
        onLive: (e) => recorder.onLive(e),
        resources: {
          actions: actionRegistry(),
          ...(usesConnectors(definition)
            ? { connectors: await deps.connectors.catalog(queued.environment, connectorUses(definition)) }
            : {}),
          connections: deps.resolution.resolverFor(p, (s) => scrub.add(s)),
          host: createNodeHost(),
          logger: scrubbedLogger(opts.logger ?? ctx.logger, scrub),
          clock: nodeClock,
          signal: controller.signal,
          ...(opts.limits ? { limits: opts.limits } : {}),
          onEvent,
          environmentVariables: env.values,
          sensitive: env.secretNames,
          ...(endpointRules.length ? { endpointRules } : {}),
        },
      });
    } catch (e) {
      failure = scrub.value(toErrorData(e));
    } finally {
      clearInterval(heartbeat);
      opts.signal?.removeEventListener('abort', onAbort);
      controllers.delete(runId);
    }
    // The record's summary (step count, recording) is written with the run's ending, in one statement.
    const summary = await recorder.close();
    const status = result ? result.status : controller.signal.aborted ? 'cancelled' : 'failed';
    const error = result?.error ? scrub.value(result.error) : failure;
    let run: Run;
    try {
      run = await store.runs.finish(runId, {
        status,
        outputs: scrub.value(result?.outputs ?? {}),
        ...(error ? { error } : {}),
        ...(result?.variables ? { variables: scrub.value(result.variables) } : {}),
        ...summary,
      });
    } catch (e) {
      // Cancelled while queued/running from elsewhere: the first ending stands, with this run's record summary.
      if (!(e instanceof PatchbayError && e.code === 'store.conflict')) throw e;
      await store.runs.recordBatch(runId, summary).catch(() => undefined);
      run = await store.runs.get(runId);
    }
    return { run: publicRun(run), ...(result ? { result: scrub.value(result) } : {}) };
  }

  return {
    start,
    execute,

    /**
     * A `ConnectionResolver` for the actor over the given references, resolved
     * the way a run resolves them (for design-time calls and benchmarks);
     * `connection.unresolved` when any does not resolve.
     */
    async resolverFor(
      actor: Actor,
      input: {
        environment: string;
        references: { logicalName: string; connectorId: string }[];
        connections?: Record<string, string>;
        flowId?: string;
      },
    ): Promise<ConnectionResolver> {
      await requireRole(ctx, actor, input.environment, 'user', 'use connections');
      const p = await deps.resolution.plan({
        environment: input.environment,
        runnerId: actor.id,
        used: input.references,
        overrides: input.connections ?? {},
        ...(input.flowId ? { flowId: input.flowId } : {}),
      });
      if (p.unresolved.length) throw deps.resolution.unresolvedError(p);
      return deps.resolution.resolverFor(p);
    },

    /** Start and execute in this process (the CLI's `patchbay run`). */
    async runNow(
      actor: Actor,
      input: StartRunInput,
      opts: ExecuteOptions = {},
    ): Promise<{ run: Run; result?: RunResult }> {
      deps.executor.warm();
      const run = await start(actor, input);
      return execute(run.id, opts);
    },

    /** Runs the actor started, or of a flow they own or co-own. */
    async list(actor: Actor, filter: { environment?: string; flowId?: string; limit?: number } = {}): Promise<Run[]> {
      if (filter.flowId) {
        const { role } = await deps.flows.roleOf(actor, filter.flowId);
        const runs = await store.runs.list({
          flowId: filter.flowId,
          ...(filter.limit ? { limit: filter.limit } : {}),
          ...(role === 'run-only' ? { startedBy: actor.id } : {}),
        });
        return runs.map(publicRun);
      }
      if (filter.environment) await requireRole(ctx, actor, filter.environment, 'user', 'list runs');
      return (
        await store.runs.list({
          startedBy: actor.id,
          ...(filter.environment ? { environment: filter.environment } : {}),
          ...(filter.limit ? { limit: filter.limit } : {}),
        })
      ).map(publicRun);
    },

    async get(actor: Actor, id: string): Promise<{ run: Run; steps: RunStep[]; aggregates: RunStepAggregate[] }> {
      const run = await store.runs.get(id);
      if (!(await visible(actor, run)))
        throw new PatchbayError('store.not_found', `Run ${id} was not found.`, {
          hint: 'List runs with `patchbay runs list`.',
        });
      return { run: publicRun(run), steps: await store.runs.steps(id), aggregates: await store.runs.aggregates(id) };
    },

    /** Cancels a queued run, or stops a running one in this process. */
    async cancel(actor: Actor, id: string): Promise<Run> {
      const run = await store.runs.get(id);
      if (!(await visible(actor, run))) throw denied(`You may not cancel run ${id}.`);
      const running = controllers.get(id);
      if (running) {
        running.abort();
        return publicRun(await store.runs.get(id));
      }
      if (run.status === 'queued') {
        return publicRun(
          await store.runs.finish(id, {
            status: 'cancelled',
            error: { code: 'run.cancelled', message: 'The run was cancelled before it started.', retryable: false },
          }),
        );
      }
      if (run.status === 'running')
        throw new PatchbayError('store.conflict', `Run ${id} is running in another process.`, {
          hint: 'Cancel it through the server that runs it.',
        });
      return publicRun(run);
    },
  };
}

export type RunsService = ReturnType<typeof runsService>;
