/**
 * Engine speed: microseconds per step for a flow that loops 1,000,000 times
 * over Variables.Set + Variables.Increase with step events on, beside the
 * same loop written as plain JavaScript, and their ratio; then the same flow
 * through a runner process (step events crossing back in batches). Target:
 * the runner within 10 % of in-process per step, both recording the run the
 * same way (summary: the same event reduction in this process).
 */
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  runFlow,
  standardActions,
  type Clock,
  type Host,
  type StepEvent,
} from '../packages/core/src/index.js';

const ITERATIONS = Number(process.argv[2] ?? 1_000_000);

const flowOf = (iterations: number) =>
  parseFlowText(
    JSON.stringify({
      schema: 'patchbay/flow@1',
      name: 'Engine bench',
      outputs: { Counter: { type: 'number' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Counter', value: '%0%' } },
        {
          action: 'Loop',
          params: { from: 1, to: iterations },
          do: [
            { action: 'Variables.Set', params: { name: 'Last', value: '%LoopIndex%' } },
            { action: 'Variables.Increase', params: { name: 'Counter', by: 1 } },
          ],
        },
      ],
    }),
  );
const flow = flowOf(ITERATIONS);

const refuse = (): never => {
  throw new Error('the bench flow does no I/O');
};
const host = {
  fs: {},
  path: {},
  http: { request: refuse },
  shell: { run: refuse },
  script: { runJavaScript: refuse },
  env: {},
} as unknown as Host;
const clock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const silent = (): void => undefined;

/** One run of the bench flow in this process, each step event handed to `onEvent`. */
async function timedRun(onEvent: (e: StepEvent) => void): Promise<{ ms: number; steps: number; counter: unknown }> {
  const t0 = performance.now();
  const r = await runFlow(flow, {
    resources: {
      actions: createActionRegistry([...blockActions, ...standardActions]),
      host,
      clock,
      logger: { debug: silent, info: silent, warn: silent, error: silent },
      onEvent,
    },
  });
  const ms = performance.now() - t0;
  if (r.status !== 'succeeded') throw new Error(`bench flow failed: ${JSON.stringify(r.error ?? r.outputs)}`);
  return { ms, steps: r.stepCount, counter: r.outputs.Counter };
}

async function engineRun(): Promise<{ ms: number; steps: number; events: number }> {
  let events = 0;
  const r = await timedRun(() => {
    events++;
  });
  if (r.counter !== ITERATIONS) throw new Error(`bench flow counted ${String(r.counter)}, not ${ITERATIONS}`);
  return { ms: r.ms, steps: r.steps, events };
}

function plainRun(): { ms: number; steps: number } {
  const vars = new Map<string, unknown>();
  const t0 = performance.now();
  vars.set('Counter', 0);
  for (let i = 1; i <= ITERATIONS; i++) {
    vars.set('LoopIndex', i);
    vars.set('Last', vars.get('LoopIndex'));
    vars.set('Counter', (vars.get('Counter') as number) + 1);
  }
  const ms = performance.now() - t0;
  if (vars.get('Counter') !== ITERATIONS) throw new Error('plain loop miscounted');
  return { ms, steps: ITERATIONS * 2 + 2 };
}

await engineRun(); // warm-up
const runs = [await engineRun(), await engineRun(), await engineRun()].sort((a, b) => a.ms - b.ms);
const e = runs[1];
plainRun();
const plain = [plainRun(), plainRun(), plainRun()].sort((a, b) => a.ms - b.ms)[1];
const usEngine = (e.ms * 1000) / e.steps;
const usPlain = (plain.ms * 1000) / plain.steps;
console.log(
  `engine: ${ITERATIONS.toLocaleString('en-US')} iterations, ${e.steps.toLocaleString('en-US')} steps, ${e.events.toLocaleString('en-US')} events in ${e.ms.toFixed(0)} ms = ${usEngine.toFixed(3)} µs/step (median of 3)`,
);
console.log(`plain JavaScript: ${plain.ms.toFixed(1)} ms = ${usPlain.toFixed(4)} µs/step`);
console.log(`ratio: ${(usEngine / usPlain).toFixed(0)}x`);

// Through a runner: the same flow, interpreted in a pooled runner process. Recorded as `patchbay run` records
// it by default (summary: the first 1,000 and last 100 steps in full, aggregates for the rest), the runner sends
// only those events and the aggregates across; with every event wanted (record all), every event crosses.
{
  const { RunnerPool } = await import('../packages/runtime/src/index.js');
  const pool = new RunnerPool();
  const runnerRun = async (
    mode: 'summary' | 'all',
    iterations: number,
  ): Promise<{ ms: number; steps: number; events: number; aggregated: number; batches: number }> => {
    const f = iterations === ITERATIONS ? flow : flowOf(iterations);
    let events = 0;
    let aggregated = 0;
    let batches = 0;
    const t0 = performance.now();
    const r = await pool.run(f, {
      resources: {
        actions: createActionRegistry([...blockActions, ...standardActions]),
        host,
        clock,
        logger: { debug: silent, info: silent, warn: silent, error: silent },
        onEvent: () => {
          events++;
        },
      },
      reduce: { mode, head: 1000, tail: 100 },
      onAggregate: (item) => {
        batches++;
        for (const a of item.aggregates) aggregated += a.count;
      },
    });
    const ms = performance.now() - t0;
    if (r.status !== 'succeeded' || r.outputs.Counter !== iterations)
      throw new Error(`bench flow failed in the runner: ${JSON.stringify(r.error ?? r.outputs)}`);
    return { ms, steps: r.stepCount, events, aggregated, batches };
  };
  // The same recording in this process: the events go through the same reduction (the first 1,000 and last 100
  // steps kept, aggregates for the rest) that a runner does before its batches cross, so the runner line below
  // compares the same flow recorded the same way, and what remains is the process boundary.
  const { EventReducer } = await import('../packages/runtime/src/runner/reduce.js');
  const summaryRun = async (): Promise<{ ms: number; steps: number }> => {
    let kept = 0;
    const reducer = new EventReducer({ mode: 'summary', head: 1000, tail: 100 }, () => {
      kept++;
    });
    const r = await timedRun((ev) => reducer.event(ev));
    reducer.end();
    if (kept === 0) throw new Error('bench flow kept no step with summary recording');
    return { ms: r.ms, steps: r.steps };
  };
  await summaryRun();
  const sr = [await summaryRun(), await summaryRun(), await summaryRun()].sort((a, b) => a.ms - b.ms)[1];
  const usSummary = (sr.ms * 1000) / sr.steps;
  console.log(
    `in-process engine (summary recording, the reduction a runner does): ${sr.steps.toLocaleString('en-US')} steps in ${sr.ms.toFixed(0)} ms = ${usSummary.toFixed(3)} µs/step (median of 3)`,
  );
  try {
    await runnerRun('summary', ITERATIONS); // warm-up (starts the runner)
    const rr = [
      await runnerRun('summary', ITERATIONS),
      await runnerRun('summary', ITERATIONS),
      await runnerRun('summary', ITERATIONS),
    ].sort((a, b) => a.ms - b.ms)[1];
    const usRunner = (rr.ms * 1000) / rr.steps;
    console.log(
      `through a runner (summary recording): ${rr.steps.toLocaleString('en-US')} steps in ${rr.ms.toFixed(0)} ms = ${usRunner.toFixed(3)} µs/step (median of 3), ${(((usRunner - usSummary) / usSummary) * 100).toFixed(1)} % against in-process (target: within 10 %); crossed: ${rr.events.toLocaleString('en-US')} events, ${rr.aggregated.toLocaleString('en-US')} steps as aggregates in ${rr.batches} deltas`,
    );
    const n = Math.min(ITERATIONS, 100_000);
    await runnerRun('all', n);
    const ra = [await runnerRun('all', n), await runnerRun('all', n), await runnerRun('all', n)].sort(
      (a, b) => a.ms - b.ms,
    )[1];
    console.log(
      `through a runner (record all, every event crosses in batches): ${ra.steps.toLocaleString('en-US')} steps, ${ra.events.toLocaleString('en-US')} events in ${ra.ms.toFixed(0)} ms = ${((ra.ms * 1000) / ra.steps).toFixed(3)} µs/step`,
    );
  } finally {
    await pool.close();
  }
}

// Cold start: the median wall time of `patchbay run` on a one-step flow, as a
// user starts it (a new Node.js process, the built command, a fresh home on
// first use), beside `node -e 0` — the floor any Node.js command pays.
{
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const repo = process.env.PATCHBAY_REPO ?? process.cwd();
  const bin = join(repo, 'packages/cli/bin/patchbay.js');
  const bundle = join(repo, 'packages/cli/dist/patchbay.js');
  if (!existsSync(bundle))
    spawnSync(process.execPath, [join(repo, 'scripts/build.mjs'), '--cli-only'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-'));
  const file = join(dir, 'one.flow.json');
  writeFileSync(
    file,
    JSON.stringify({
      schema: 'patchbay/flow@1',
      name: 'One step',
      steps: [{ action: 'Variables.Set', params: { name: 'A', value: '1' } }],
    }),
  );
  const env = {
    ...process.env,
    PATCHBAY_HOME: join(dir, 'home'),
    PATCHBAY_OWNER_EMAIL: 'bench@localhost',
    PATCHBAY_OWNER_PASSWORD: 'bench-password-1',
  };
  const time = (args: string[], extra: Record<string, string> = {}): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const N = 15;
  time([bin, 'run', file]); // first use creates the home, key and owner
  const node = median(Array.from({ length: N }, () => time(['-e', '0'])));
  const recorded = median(Array.from({ length: N }, () => time([bin, 'run', file])));
  const localMs = median(Array.from({ length: N }, () => time([bin, 'run', file], { PATCHBAY_RUN_LOCAL: '1' })));
  console.log(
    `cold start, median of ${N}: patchbay run (recorded in the store) ${recorded.toFixed(0)} ms (target ≤ 200); PATCHBAY_RUN_LOCAL=1 (engine only) ${localMs.toFixed(0)} ms (target ≤ 150); node -e 0 ${node.toFixed(0)} ms`,
  );

  // End to end: `patchbay run FLOW --json` of a 200,000-iteration two-step loop with typical expressions, as a
  // user runs it (a separate process, the store on, a runner), beside the same loop in this process's engine.
  // µs/step leaves out the one-step run's cold start; peak memory is the command's and its runner's together.
  const E2E = 200_000;
  const loop = (n: number) => ({
    schema: 'patchbay/flow@1',
    name: 'Loop',
    outputs: { Total: { type: 'number' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
      {
        action: 'Loop',
        params: { from: 1, to: n },
        produces: { index: 'i' },
        do: [
          { action: 'Variables.Set', params: { name: 'X', value: '%i * 2%' } },
          { action: 'Variables.Increase', params: { name: 'Total', by: '%X - 2 * i + 1%' } },
        ],
      },
    ],
  });
  const loopFile = join(dir, 'loop.flow.json');
  writeFileSync(loopFile, JSON.stringify(loop(E2E)));
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const rssKb = (pid: number): number => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const own = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return own + children.reduce((n, c) => n + rssKb(Number(c)), 0);
    } catch {
      return 0;
    }
  };
  const endToEnd = (extra: Record<string, string> = {}) =>
    new Promise<{ ms: number; peakMb: number; stdout: number; stderr: number; out: string }>((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, [bin, 'run', loopFile, '--json'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let peak = 0;
      const poll = setInterval(() => (peak = Math.max(peak, rssKb(child.pid ?? 0))), 10);
      const out: Buffer[] = [];
      let stderr = 0;
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => (stderr += b.length));
      child.on('error', reject);
      child.on('close', (code) => {
        clearInterval(poll);
        const ms = performance.now() - t0;
        const text = Buffer.concat(out).toString('utf8');
        if (code !== 0) return reject(new Error(`patchbay run of the loop failed (${code}): ${text.slice(0, 500)}`));
        resolve({ ms, peakMb: peak / 1024, stdout: Buffer.byteLength(text), stderr, out: text });
      });
    });
  const e2e = [await endToEnd(), await endToEnd(), await endToEnd()].sort((a, b) => a.ms - b.ms)[1];
  const parsed = JSON.parse(e2e.out) as { status: string; outputs: { Total: number } };
  if (parsed.status !== 'succeeded' || parsed.outputs.Total !== E2E)
    throw new Error(`the loop run did not succeed: ${e2e.out.slice(0, 500)}`);
  const steps = 2 * E2E + 2;
  const us = (ms: number, cold: number) => (((ms - cold) * 1000) / steps).toFixed(2);
  const local = [
    await endToEnd({ PATCHBAY_RUN_LOCAL: '1' }),
    await endToEnd({ PATCHBAY_RUN_LOCAL: '1' }),
    await endToEnd({ PATCHBAY_RUN_LOCAL: '1' }),
  ].sort((a, b) => a.ms - b.ms)[1];
  // The same loop in this process's engine (no store, events counted).
  const inProcess = async () => {
    const f = parseFlowText(JSON.stringify(loop(E2E)));
    let events = 0;
    const t0 = performance.now();
    const r = await runFlow(f, {
      resources: {
        actions: createActionRegistry([...blockActions, ...standardActions]),
        host,
        clock,
        logger: { debug: silent, info: silent, warn: silent, error: silent },
        onEvent: () => void events++,
      },
    });
    if (r.status !== 'succeeded') throw new Error(`the loop failed in process: ${JSON.stringify(r.error)}`);
    return performance.now() - t0;
  };
  await inProcess();
  const engineMs = [await inProcess(), await inProcess(), await inProcess()].sort((a, b) => a - b)[1];
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `end to end, ${E2E.toLocaleString('en-US')}-iteration loop with expressions (%i * 2%), ${steps.toLocaleString('en-US')} steps, median of 3:`,
  );
  console.log(
    `  patchbay run --json (recorded in the store, through a runner): ${e2e.ms.toFixed(0)} ms = ${us(e2e.ms, recorded)} µs/step beyond the one-step run (target ≤ 1), peak ${e2e.peakMb.toFixed(0)} MB (target ≤ 200), --json ${kb(e2e.stdout)} (≤ 1 MB), stderr ${kb(e2e.stderr)} (≤ 100 KB)`,
  );
  console.log(
    `  PATCHBAY_RUN_LOCAL=1 patchbay run --json: ${local.ms.toFixed(0)} ms = ${us(local.ms, localMs)} µs/step beyond the one-step run, peak ${local.peakMb.toFixed(0)} MB, --json ${kb(local.stdout)}, stderr ${kb(local.stderr)}`,
  );
  console.log(
    `  in-process engine: ${engineMs.toFixed(0)} ms = ${((engineMs * 1000) / steps).toFixed(3)} µs/step (target ≤ 0.5); node -e 0 ${node.toFixed(0)} ms`,
  );
}
