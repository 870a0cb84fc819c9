/**
 * Step progress for `patchbay run`: a live line on a terminal (step number,
 * action, elapsed), plain lines otherwise. Reads redacted step events only.
 */
import type { StepEvent } from '@patchbay/core';

export interface Progress {
  onEvent(e: StepEvent): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = Boolean(stream.isTTY) && !process.env.CI;
  const started = Date.now();
  let current = '';
  let timer: NodeJS.Timeout | undefined;
  const render = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${current}  ${secs}s`);
  };
  if (live) {
    timer = setInterval(render, 100);
    timer.unref();
  }
  return {
    onEvent(e) {
      if (e.type === 'step.started') {
        current = `[${e.runStep}] ${e.action} ${e.stepPath}`;
        if (live) render();
      } else if (e.type === 'step.failed') {
        const line = `[${e.runStep}] ${e.action} ${e.stepPath} failed${e.willRetry ? ' (retrying)' : ''}: ${e.error.message}`;
        if (live) stream.write(`\r\x1b[2K${line}\n`);
        else stream.write(line + '\n');
      } else if (e.type === 'step.finished') {
        if (!live) stream.write(`[${e.runStep}] ${e.action} ${e.stepPath} ${e.durationMs.toFixed(1)} ms\n`);
      } else if (e.type === 'log') {
        const line = `${e.level}: ${e.message}`;
        if (live) stream.write(`\r\x1b[2K${line}\n`);
        else stream.write(line + '\n');
      }
    },
    done() {
      if (timer) clearInterval(timer);
      if (live) stream.write('\r\x1b[2K');
    },
  };
}
