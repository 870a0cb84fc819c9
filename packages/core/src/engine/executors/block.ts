/**
 * Block with an on-block-error policy: an error inside that its own step lets
 * through ends the block, and the policy decides what happens next.
 */
import { PatchbayError } from '../../errors.js';
import { applyPolicy, loopLimitError } from '../policy.js';
import { handlingFor } from '../../flow/error-kinds.js';
import { isControlSignal, StepFailure } from '../signals.js';
import { asStepError, retryWaitSeconds, runList, sleepSeconds } from '../step.js';
import type { Executor } from './types.js';

export const runBlock: Executor = async (cs, frame) => {
  const policy = cs.step.onBlockError;
  let attempt = 0;
  let repeats = 0;
  for (;;) {
    try {
      await runList(cs.step.do ?? [], `${cs.path}/do`, frame);
      return;
    } catch (e) {
      if (isControlSignal(e)) throw e;
      const err: PatchbayError = e instanceof StepFailure ? e.error : asStepError(e, cs);
      if (err.code === 'run.cancelled' || !policy) throw e instanceof StepFailure ? e : new StepFailure(err);
      const handling = handlingFor(policy, err);
      if (attempt < (handling.retry ?? 0)) {
        attempt++;
        await sleepSeconds(retryWaitSeconds(handling.retryIntervalSeconds, err), frame.state, cs.path);
        continue;
      }
      const next = await applyPolicy(handling, err, cs, frame);
      if (next === 'continue') return;
      if (++repeats > frame.state.limits.maxLoopIterations)
        throw new StepFailure(loopLimitError(cs.path, cs.action, frame.state.limits.maxLoopIterations));
      attempt = 0;
    }
  }
};
