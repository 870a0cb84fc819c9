export { runFlow, type RunResult, type RunOptions, type StepRecord } from './run.js';
export { createActionRegistry } from './registry.js';
export { REDACTED } from './redact.js';
