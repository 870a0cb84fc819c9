import type { Value } from '../../values.js';
import type { CompiledStep } from '../compile.js';
import type { Frame } from '../state.js';

/** Runs one prepared step with its evaluated parameters; returns what the step produced, for events. */
export type Executor = (
  cs: CompiledStep,
  frame: Frame,
  params: Record<string, Value>,
) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
