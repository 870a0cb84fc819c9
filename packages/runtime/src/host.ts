/** The Node.js `Host`: what a run touches on this machine. */
import os from 'node:os';
import { PatchbayError, type Host } from '@patchbay/core';
import { nodeFs, nodePathApi } from './fs.js';
import { httpRequest } from './http.js';
import { runShell } from './shell.js';
import { runJavaScript, DEFAULT_SCRIPT_LIMITS, type ScriptLimits } from './script.js';
import { isPatchbaySecretEnv } from './secret-env.js';

export interface NodeHostOptions {
  /** Upper limits for `Scripting.RunJavaScript`; a step may ask for less, never more. Default 30 s and 64 MB. */
  scriptLimits?: Partial<ScriptLimits>;
  /** Allows `System.RunCommand`. Default `true` (a desktop flow on one's own machine); servers may turn it off. */
  allowShell?: boolean;
  /** Folder that relative paths and commands start from. Default: the process's working folder. */
  cwd?: string;
}

export function createNodeHost(opts: NodeHostOptions = {}): Host {
  const limits: ScriptLimits = { ...DEFAULT_SCRIPT_LIMITS, ...opts.scriptLimits };
  const allowShell = opts.allowShell ?? true;
  const cwd = () => opts.cwd ?? process.cwd();
  return {
    fs: nodeFs,
    path: { ...nodePathApi, resolve: (...parts) => nodePathApi.resolve(cwd(), ...parts) },
    http: { request: httpRequest },
    shell: {
      run(command, runOpts) {
        if (!allowShell) {
          return Promise.reject(
            new PatchbayError('action.failed', 'Running commands is turned off on this Patchbay host.', {
              hint: 'Ask an administrator to allow shell commands, or run the flow on a machine that allows them.',
            }),
          );
        }
        return runShell(command, { ...runOpts, cwd: runOpts.cwd ?? cwd() });
      },
    },
    script: { runJavaScript: (code, runOpts) => runJavaScript(code, runOpts, limits) },
    env: {
      get: (name) => (isPatchbaySecretEnv(name) ? undefined : process.env[name]),
      tempDir: () => os.tmpdir(),
      cwd,
    },
  };
}
