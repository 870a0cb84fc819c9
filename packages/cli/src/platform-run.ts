/** Runs a flow file with connector steps through the local platform: references resolve to this machine's connections. */
import { PatchbayError, type Flow, type RunResult, type StepEvent } from '@patchbay/core';

export interface PlatformRunOptions {
  flow: Flow;
  text: string;
  file: string;
  inputs: Record<string, unknown>;
  env: string;
  connections: Record<string, string>;
  signal: AbortSignal;
  onEvent?: (e: StepEvent) => void;
}

export async function runWithPlatform(_opts: PlatformRunOptions): Promise<RunResult> {
  throw new PatchbayError('connection.unresolved', 'Connector steps need the local store, which this build does not include yet.');
}
