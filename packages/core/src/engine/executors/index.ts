/** The executor table: one small executor per block kind; everything else is an action. */
import type { ActionDefinition } from '../../contracts.js';
import { PatchbayError } from '../../errors.js';
import { runAction } from './action.js';
import { runBlock } from './block.js';
import { runIf, runSwitch } from './conditionals.js';
import {
  runCallSubflow,
  runExitSubflow,
  runGoTo,
  runLabel,
  runStopFlow,
  runWait,
  runWaitForCondition,
} from './flow-control.js';
import { runExit, runForEach, runLoop, runLoopWhile, runNext } from './loops.js';
import type { Executor } from './types.js';

export type { Executor } from './types.js';

const blockExecutors: Record<string, Executor> = {
  If: runIf,
  Switch: runSwitch,
  Loop: runLoop,
  LoopWhile: runLoopWhile,
  'Loop.ForEach': runForEach,
  'Loop.Exit': runExit,
  'Loop.Next': runNext,
  CallSubflow: runCallSubflow,
  'Subflow.Exit': runExitSubflow,
  StopFlow: runStopFlow,
  Wait: runWait,
  WaitForCondition: runWaitForCondition,
  Block: runBlock,
  Label: runLabel,
  GoTo: runGoTo,
};

export function executorFor(def: ActionDefinition): Executor {
  if (def.kind !== 'block') return runAction;
  const ex = Object.hasOwn(blockExecutors, def.id) ? blockExecutors[def.id] : undefined;
  if (ex) return ex;
  return () => {
    throw new PatchbayError('action.unknown', `The block "${def.id}" has no executor in this engine.`);
  };
}
