/**
 * Run records and their step records. Inputs, outputs and step data arrive
 * already redacted (the engine redacts sensitive values in its step events);
 * the store keeps them as JSON. Queues live elsewhere: a worker marks its runs
 * `running`, heartbeats them, and `findStale` / `markInterrupted` find and
 * close runs whose worker died. Sensitive input values are the exception to
 * "already redacted": they are sealed into the row (`sensitiveInputs`) until
 * the run finishes, so a worker in another process can run with them.
 */
import type { Selectable } from 'kysely';
import type { ErrorData } from '@patchbay/core';
import {
  type RepoContext,
  checkName,
  checkText,
  conflict,
  fromJson,
  invalid,
  newOrderedId,
  notFound,
  now,
  relaxed,
  toJson,
} from '../context.js';
import type { RunStepAggregatesTable, RunStepsTable, RunsTable } from '../schema.js';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type FinishedRunStatus = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type RunStepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface Run {
  id: string;
  flowId: string | null;
  flowVersion: number | null;
  /** For a flow file run without saving it (`patchbay run FILE`). */
  adHocName: string | null;
  environment: string;
  startedBy: string | null;
  status: RunStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: ErrorData | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempt: number;
  workerId: string | null;
  heartbeatAt: string | null;
  /** Steps run so far (set as step records are flushed); null before the first flush. */
  stepCount: number | null;
  /** How the steps were recorded; `cut` when some steps are kept only as aggregates. */
  recording: RunRecording | null;
  /** The machine group that takes the run (a machine on another computer); null for this server's runners. */
  machineGroup: string | null;
  /** Final values of the flow's variables when the run ended (sensitive ones redacted); null before. */
  variables: Record<string, unknown> | null;
}

/** How a run's steps were recorded (see `RunStepAggregate`). */
export interface RunRecording {
  mode: 'all' | 'summary' | 'none';
  /** Full records kept for the first `head` steps and the last `tail` steps (summary mode). */
  head: number;
  tail: number;
  /** Steps recorded in full. */
  recorded: number;
  /** True when some steps are kept only in aggregates. */
  cut: boolean;
}

/** Steps of one path not recorded in full: how many, how long, and how the last one ended. */
export interface RunStepAggregate {
  stepPath: string;
  action: string;
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  lastStatus: RunStepStatus;
}

export interface RunStep {
  runId: string;
  /** Order of the step record within the run (the engine's `runStep`). */
  seq: number;
  stepPath: string;
  action: string;
  status: RunStepStatus;
  startedAt: string;
  durationMs: number | null;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: ErrorData | null;
}

export type NewRunStep = Omit<RunStep, 'runId' | 'durationMs' | 'inputs' | 'outputs' | 'error'> &
  Partial<Pick<RunStep, 'durationMs' | 'inputs' | 'outputs' | 'error'>>;

const FINISHED: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
const STEP_STATUSES: readonly RunStepStatus[] = ['running', 'succeeded', 'failed', 'skipped'];

function toRun({ sealedInputs: _sealed, ...r }: Selectable<RunsTable>): Run {
  return {
    ...r,
    stepCount: r.stepCount ?? null,
    machineGroup: r.machineGroup ?? null,
    recording: fromJson<RunRecording>(r.recording) ?? null,
    status: r.status as RunStatus,
    inputs: fromJson<Record<string, unknown>>(r.inputs) ?? {},
    outputs: fromJson<Record<string, unknown>>(r.outputs) ?? null,
    error: fromJson<ErrorData>(r.error) ?? null,
    variables: fromJson<Record<string, unknown>>(r.variables ?? null) ?? null,
  };
}

/** The most JSON kept of one variable's final value; a larger value is kept as a note of its size. */
export const RUN_VARIABLE_LIMIT = 64 * 1024;

function keptVariables(variables: Record<string, unknown>): string {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    const text = JSON.stringify(value) ?? 'null';
    kept[name] =
      text.length <= RUN_VARIABLE_LIMIT
        ? value
        : `(not kept: ${Math.ceil(text.length / 1024)} KB, over the 64 KB limit)`;
  }
  return JSON.stringify(kept);
}

function toStep(r: Selectable<RunStepsTable>): RunStep {
  return {
    ...r,
    status: r.status as RunStepStatus,
    inputs: fromJson(r.inputs) ?? null,
    outputs: fromJson(r.outputs) ?? null,
    error: fromJson<ErrorData>(r.error) ?? null,
  };
}

function toAggregate(r: Selectable<RunStepAggregatesTable>): RunStepAggregate {
  return {
    stepPath: r.stepPath,
    action: r.action,
    count: Number(r.count),
    totalMs: Number(r.totalMs),
    minMs: Number(r.minMs),
    maxMs: Number(r.maxMs),
    lastStatus: r.lastStatus as RunStepStatus,
  };
}

/** Where a run's sealed inputs belong (GCM additional data): a blob copied to another run does not open. */
export function sealContext(runId: string): string {
  return `run:${runId}`;
}

export function runsRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function get(id: string): Promise<Run> {
    const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Run ${id}`, 'List runs with `patchbay runs list`.');
    return toRun(r);
  }

  async function recordBatch(
    runId: string,
    batch: { steps?: NewRunStep[]; aggregates?: RunStepAggregate[]; stepCount?: number; recording?: RunRecording },
  ): Promise<void> {
    // A step's start and finish can arrive in one batch: fold them into one row
    // (PostgreSQL refuses to upsert the same key twice in one statement).
    const bySeq = new Map<number, NewRunStep>();
    for (const s of batch.steps ?? []) {
      const before = bySeq.get(s.seq);
      bySeq.set(s.seq, before ? { ...s, inputs: s.inputs ?? before.inputs } : s);
    }
    const steps = [...bySeq.values()];
    const aggregates = batch.aggregates ?? [];
    const rows = steps.map((s) => {
      if (!STEP_STATUSES.includes(s.status))
        throw invalid(`Step status "${s.status}" is not one of ${STEP_STATUSES.join(', ')}.`);
      return {
        runId,
        seq: s.seq,
        stepPath: s.stepPath,
        action: s.action,
        status: s.status,
        startedAt: s.startedAt,
        durationMs: s.durationMs ?? null,
        inputs: s.inputs ? toJson(s.inputs) : null,
        outputs: s.outputs ? toJson(s.outputs) : null,
        error: s.error ? toJson(s.error) : null,
      };
    });
    if (!rows.length && !aggregates.length && batch.stepCount === undefined && !batch.recording) return;
    try {
      await relaxed(ctx, async (tx) => {
        // Large batches go in chunks: SQLite and PostgreSQL cap the parameters of one statement.
        for (let i = 0; i < rows.length; i += 500)
          await tx.db
            .insertInto('runSteps')
            .values(rows.slice(i, i + 500))
            .onConflict((oc) =>
              oc.columns(['runId', 'seq']).doUpdateSet((eb) => ({
                status: eb.ref('excluded.status'),
                durationMs: eb.ref('excluded.durationMs'),
                inputs: eb.fn.coalesce('excluded.inputs', 'runSteps.inputs'),
                outputs: eb.ref('excluded.outputs'),
                error: eb.ref('excluded.error'),
              })),
            )
            .execute();
        const aggRows = aggregates.map((a) => ({ runId, ...a }));
        for (let i = 0; i < aggRows.length; i += 500)
          await tx.db
            .insertInto('runStepAggregates')
            .values(aggRows.slice(i, i + 500))
            .onConflict((oc) =>
              oc.columns(['runId', 'stepPath']).doUpdateSet((eb) => ({
                action: eb.ref('excluded.action'),
                count: eb.ref('excluded.count'),
                totalMs: eb.ref('excluded.totalMs'),
                minMs: eb.ref('excluded.minMs'),
                maxMs: eb.ref('excluded.maxMs'),
                lastStatus: eb.ref('excluded.lastStatus'),
              })),
            )
            .execute();
        if (batch.stepCount !== undefined || batch.recording)
          await tx.db
            .updateTable('runs')
            .set({
              ...(batch.stepCount !== undefined ? { stepCount: batch.stepCount } : {}),
              ...(batch.recording ? { recording: toJson(batch.recording) } : {}),
            })
            .where('id', '=', runId)
            .execute();
      });
    } catch (e) {
      if (ctx.dialect.isForeignKeyViolation(e)) throw notFound(`Run ${runId}`);
      throw e;
    }
  }

  return {
    get,

    /**
     * Records a queued run. `sensitiveInputs` (values of inputs the flow marks
     * sensitive) are sealed into the row for whichever process executes it;
     * `inputs` should hold `***` in their place.
     */
    async create(input: {
      environment: string;
      flowId?: string;
      flowVersion?: number;
      adHocName?: string;
      startedBy?: string;
      inputs?: Record<string, unknown>;
      sensitiveInputs?: Record<string, unknown>;
      machineGroup?: string | null;
    }): Promise<Run> {
      if (!input.flowId && !input.adHocName)
        throw invalid('A run needs a flow id or a name for the ad-hoc flow it runs.');
      const id = newOrderedId('run');
      const sensitive = input.sensitiveInputs ?? {};
      const r: Selectable<RunsTable> = {
        id,
        flowId: input.flowId ?? null,
        flowVersion: input.flowVersion ?? null,
        adHocName: input.adHocName === undefined ? null : checkText('An ad-hoc flow name', input.adHocName, 1000),
        environment: input.environment,
        startedBy: input.startedBy ?? null,
        stepCount: null,
        recording: null,
        variables: null,
        status: 'queued',
        inputs: toJson(input.inputs ?? {}),
        outputs: null,
        error: null,
        queuedAt: now(),
        startedAt: null,
        finishedAt: null,
        attempt: 0,
        workerId: null,
        heartbeatAt: null,
        machineGroup: input.machineGroup ? checkName('A machine group', input.machineGroup) : null,
        sealedInputs: Object.keys(sensitive).length ? ctx.sealer.seal(toJson(sensitive), sealContext(id)) : null,
      };
      await db.insertInto('runs').values(r).execute();
      return toRun(r);
    },

    async list(
      filter: {
        environment?: string;
        flowId?: string;
        status?: RunStatus;
        startedBy?: string;
        /** A machine group's runs; null for the runs of this server's own runners. */
        machineGroup?: string | null;
        limit?: number;
      } = {},
    ): Promise<Run[]> {
      let q = db.selectFrom('runs').selectAll();
      if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
      if (filter.flowId !== undefined) q = q.where('flowId', '=', filter.flowId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter.startedBy !== undefined) q = q.where('startedBy', '=', filter.startedBy);
      if (filter.machineGroup === null) q = q.where('machineGroup', 'is', null);
      else if (filter.machineGroup !== undefined) q = q.where('machineGroup', '=', filter.machineGroup);
      const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 50)), 1000);
      return (await q.orderBy('queuedAt', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toRun);
    },

    /**
     * The sensitive input values sealed with the run (empty when none, or once
     * the run finished). Plaintext: for `runs.execute` only, never a response,
     * log or record. `secrets.key` when the master key that sealed them is gone.
     */
    async openSensitiveInputs(id: string): Promise<Record<string, unknown>> {
      const r = await db.selectFrom('runs').select('sealedInputs').where('id', '=', id).executeTakeFirst();
      if (!r) throw notFound(`Run ${id}`, 'List runs with `patchbay runs list`.');
      return r.sealedInputs === null
        ? {}
        : (JSON.parse(ctx.sealer.open(r.sealedInputs, sealContext(id))) as Record<string, unknown>);
    },

    /** The queued runs a machine of `group` in `environment` may take, oldest first. */
    async queuedForMachines(environment: string, group: string, limit = 10): Promise<Run[]> {
      return (
        await db
          .selectFrom('runs')
          .selectAll()
          .where('status', '=', 'queued')
          .where('environment', '=', environment)
          .where('machineGroup', '=', group)
          .orderBy('queuedAt')
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map(toRun);
    },

    /**
     * Marks a queued (or interrupted, for a retry) run as running on `workerId`; the attempt count goes up.
     * Returns the run and its sensitive inputs opened (as `openSensitiveInputs`, from the same statement):
     * plaintext for `runs.execute` only.
     */
    async start(
      id: string,
      opts: { workerId?: string } = {},
    ): Promise<{ run: Run; sensitiveInputs: Record<string, unknown> }> {
      const t = now();
      const r = await db
        .updateTable('runs')
        .set((eb) => ({
          status: 'running',
          startedAt: t,
          heartbeatAt: t,
          workerId: opts.workerId ?? null,
          attempt: eb('attempt', '+', 1),
          finishedAt: null,
        }))
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'interrupted'])
        .returningAll()
        .executeTakeFirst();
      if (r)
        return {
          run: toRun(r),
          sensitiveInputs:
            r.sealedInputs === null
              ? {}
              : (JSON.parse(ctx.sealer.open(r.sealedInputs, sealContext(id))) as Record<string, unknown>),
        };
      const run = await get(id);
      throw conflict(`Run ${id} is ${run.status} and cannot start.`);
    },

    /**
     * Records the end of a run, with its step count and recording summary when given (the recorder's last
     * word, in the same statement). A run that already finished keeps its first ending (`store.conflict`).
     */
    async finish(
      id: string,
      result: {
        status: FinishedRunStatus;
        outputs?: Record<string, unknown>;
        error?: ErrorData;
        variables?: Record<string, unknown>;
        stepCount?: number;
        recording?: RunRecording;
      },
    ): Promise<Run> {
      if (!FINISHED.includes(result.status)) throw invalid(`"${result.status}" is not a finished run status.`);
      const t = now();
      const r = await db
        .updateTable('runs')
        .set({
          status: result.status,
          outputs: result.outputs === undefined ? null : toJson(result.outputs),
          error: result.error === undefined ? null : toJson(result.error),
          variables: result.variables === undefined ? null : keptVariables(result.variables),
          finishedAt: t,
          sealedInputs: null,
          ...(result.stepCount !== undefined ? { stepCount: result.stepCount } : {}),
          ...(result.recording ? { recording: toJson(result.recording) } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .returningAll()
        .executeTakeFirst();
      if (r) return toRun(r);
      const run = await get(id);
      throw conflict(`Run ${id} already ended (${run.status}).`);
    },

    /** Records that the run's worker is alive. */
    async heartbeat(id: string): Promise<void> {
      const r = await relaxed(ctx, (tx) =>
        tx.db
          .updateTable('runs')
          .set({ heartbeatAt: now() })
          .where('id', '=', id)
          .where('status', '=', 'running')
          .executeTakeFirst(),
      );
      if (r.numUpdatedRows === 0n) {
        const run = await get(id);
        throw conflict(`Run ${id} is ${run.status}, not running.`);
      }
    },

    /** Running runs whose last heartbeat is older than `olderThanMs`. */
    async findStale(olderThanMs: number): Promise<Run[]> {
      const cutoff = new Date(Date.now() - olderThanMs).toISOString();
      return (
        await db
          .selectFrom('runs')
          .selectAll()
          .where('status', '=', 'running')
          .where('heartbeatAt', '<', cutoff)
          .orderBy('heartbeatAt')
          .execute()
      ).map(toRun);
    },

    /** Runs still `queued` that were queued more than `olderThanMs` ago, oldest first (for the queue's orphan sweep). */
    async findQueuedBefore(olderThanMs: number, limit = 500): Promise<Run[]> {
      const cutoff = new Date(Date.now() - olderThanMs).toISOString();
      return (
        await db
          .selectFrom('runs')
          .selectAll()
          .where('status', '=', 'queued')
          .where('queuedAt', '<', cutoff)
          .orderBy('queuedAt')
          .limit(Math.min(Math.max(1, Math.floor(limit)), 1000))
          .execute()
      ).map(toRun);
    },

    /** Marks every running run of `workerId` interrupted (the worker restarted or died); returns how many. */
    async markInterrupted(workerId: string): Promise<number> {
      const r = await db
        .updateTable('runs')
        .set({
          status: 'interrupted',
          finishedAt: now(),
          sealedInputs: null,
          error: toJson({
            code: 'run.stopped',
            message: `The worker ${workerId} running this flow stopped before it finished.`,
            retryable: true,
          } satisfies ErrorData),
        })
        .where('status', '=', 'running')
        .where('workerId', '=', workerId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    /**
     * Writes step records; a record with the same `seq` is replaced (started →
     * finished). Commits without waiting for the disk (`relaxed`): step records
     * are many and a crash ends the run anyway.
     */
    async recordSteps(runId: string, steps: NewRunStep[]): Promise<void> {
      await recordBatch(runId, { steps });
    },

    /**
     * One flush of a run's recorder, in one transaction: step records
     * (upserted by `seq`), aggregates (replacing the path's previous totals),
     * and the run's step count and recording summary.
     */
    recordBatch,

    async aggregates(runId: string): Promise<RunStepAggregate[]> {
      const rows = await db
        .selectFrom('runStepAggregates')
        .selectAll()
        .where('runId', '=', runId)
        .orderBy('stepPath')
        .execute();
      return rows.map(toAggregate);
    },

    async steps(runId: string): Promise<RunStep[]> {
      return (await db.selectFrom('runSteps').selectAll().where('runId', '=', runId).orderBy('seq').execute()).map(
        toStep,
      );
    },

    async delete(id: string): Promise<void> {
      const r = await db.deleteFrom('runs').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`Run ${id}`);
    },
  };
}

export type RunsRepository = ReturnType<typeof runsRepository>;
