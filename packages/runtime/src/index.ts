/** `@patchbay/runtime`: the Node.js host for the engine (files, HTTP, commands, sandboxed scripts) and the real clock. */
export { createNodeHost, type NodeHostOptions } from './host.js';
export { nodeClock } from './clock.js';
export type { ScriptLimits } from './script.js';
export { inProcessExecutor, type FlowExecutor, type ExecuteFlowOptions } from './runner/executor.js';
export { RunnerPool, runnerSettingsFromEnv, runnerEnvironment, type RunnerPoolOptions } from './runner/pool.js';
export type * from './runner/protocol.js';
export { PROTOCOL_VERSION } from './runner/protocol.js';
export { runMachine, RUN_PROTOCOL_TYPE, type MachineOptions } from './runner/machine.js';
export { runOverLink, linkExecutor, type RunnerLink, type LinkExecutorOptions } from './runner/remote.js';
