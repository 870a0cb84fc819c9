/**
 * Step progress for `patchbay run`: a live line on a terminal (step number,
 * action, elapsed). Elsewhere (a pipe, a log file, CI) it stays quiet: every
 * failure and flow log line, and at most one status line a second, so a long
 * loop does not write a line per step. Reads redacted step events only.
 */
import type { StepEvent } from '@patchbay/core';

export interface Progress {
  onEvent(e: StepEvent): void;
  done(): void;
}

const STATUS_EVERY_MS = 1000;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = Boolean(stream.isTTY) && !process.env.CI;
  const started = Date.now();
  let current = '';
  let lastStatus = 0;
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
        else if (Date.now() - lastStatus >= STATUS_EVERY_MS) {
          lastStatus = Date.now();
          stream.write(`${current} (${((lastStatus - started) / 1000).toFixed(1)}s)\n`);
        }
      } else if (e.type === 'step.failed') {
        const line = `[${e.runStep}] ${e.action} ${e.stepPath} failed${e.willRetry ? ' (retrying)' : ''}: ${e.error.message}`;
        if (live) stream.write(`\r\x1b[2K${line}\n`);
        else stream.write(line + '\n');
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
