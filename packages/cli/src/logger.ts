/** The CLI's logger: flow log messages and warnings on stderr, debug only with PATCHBAY_DEBUG. */
import type { Logger } from '@patchbay/core';

export function createCliLogger(stream: NodeJS.WriteStream = process.stderr): Logger {
  const write = (level: string, msg: string) => stream.write(`${level}: ${msg}\n`);
  return {
    debug: (msg) => {
      if (process.env.PATCHBAY_DEBUG) write('debug', msg);
    },
    info: (msg) => write('info', msg),
    warn: (msg) => write('warn', msg),
    error: (msg) => write('error', msg),
  };
}
