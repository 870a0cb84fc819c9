/**
 * Control flow that is not an error: leaving or continuing a loop, jumping
 * to a label, stopping the flow, leaving a subflow, and a step failure that its own policy has
 * already handled (so enclosing blocks do not apply step policies twice).
 */
import type { PatchbayError } from '../errors.js';

export class LoopSignal {
  constructor(
    readonly kind: 'exit' | 'next',
    readonly stepPath: string,
  ) {}
}

export class GoToSignal {
  constructor(
    readonly label: string,
    readonly stepPath: string,
  ) {}
}

export class StopSignal {
  constructor(
    readonly mode: 'success' | 'error',
    readonly message: string,
    readonly stepPath: string,
  ) {}
}

/** Subflow.Exit: leaves the running subflow; its outputs are handed back as they are. */
export class ReturnSignal {
  constructor(readonly stepPath: string) {}
}

/** A step failed and its error policy let it through; carries the error up to a Block or the run. */
export class StepFailure {
  constructor(readonly error: PatchbayError) {}
}

export function isControlSignal(e: unknown): e is LoopSignal | GoToSignal | StopSignal | ReturnSignal {
  return e instanceof LoopSignal || e instanceof GoToSignal || e instanceof StopSignal || e instanceof ReturnSignal;
}
