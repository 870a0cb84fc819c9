/**
 * Engine speed: microseconds per step for a flow that loops 1,000,000 times
 * over Variables.Set + Variables.Increase with step events on, beside the
 * same loop written as plain JavaScript, and their ratio.
 */
import { blockActions, createActionRegistry, parseFlowText, runFlow, standardActions, type Clock, type Host, type StepEvent } from '../packages/core/src/index.js';

const ITERATIONS = Number(process.argv[2] ?? 1_000_000);

const flow = parseFlowText(
  JSON.stringify({
    schema: 'patchbay/flow@1',
    name: 'Engine bench',
    outputs: { Counter: { type: 'number' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Counter', value: '%0%' } },
      { action: 'Loop', params: { from: 1, to: ITERATIONS }, do: [
        { action: 'Variables.Set', params: { name: 'Last', value: '%LoopIndex%' } },
        { action: 'Variables.Increase', params: { name: 'Counter', by: 1 } },
      ] },
    ],
  }),
);

const refuse = (): never => {
  throw new Error('the bench flow does no I/O');
};
const host = { fs: {}, path: {}, http: { request: refuse }, shell: { run: refuse }, script: { runJavaScript: refuse }, env: {} } as unknown as Host;
const clock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const silent = (): void => undefined;

async function engineRun(): Promise<{ ms: number; steps: number; events: number }> {
  let events = 0;
  const onEvent = (_e: StepEvent): void => {
    events++;
  };
  const t0 = performance.now();
  const r = await runFlow(flow, {
    resources: { actions: createActionRegistry([...blockActions, ...standardActions]), host, clock, logger: { debug: silent, info: silent, warn: silent, error: silent }, onEvent },
  });
  const ms = performance.now() - t0;
  if (r.status !== 'succeeded' || r.outputs.Counter !== ITERATIONS) throw new Error(`bench flow failed: ${JSON.stringify(r.error ?? r.outputs)}`);
  return { ms, steps: r.stepCount, events };
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
console.log(`engine: ${ITERATIONS.toLocaleString('en-US')} iterations, ${e.steps.toLocaleString('en-US')} steps, ${e.events.toLocaleString('en-US')} events in ${e.ms.toFixed(0)} ms = ${usEngine.toFixed(3)} µs/step (median of 3)`);
console.log(`plain JavaScript: ${plain.ms.toFixed(1)} ms = ${usPlain.toFixed(4)} µs/step`);
console.log(`ratio: ${(usEngine / usPlain).toFixed(0)}x`);
