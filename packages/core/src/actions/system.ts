/** System and logging: run a command, environment variables, the temporary and working folders, log a message. */
import { scriptActions } from './system-scripts.js';
import { PatchbayError } from '../errors.js';
import type { ActionDefinition } from '../contracts.js';
import { formatValue } from '../expressions/index.js';
import { isValueObject } from '../values.js';
import { bool, describeType, num, option, paramError, text } from './variables-params.js';
import { existingFolder, pathParam } from './files-paths.js';

const runCommand: ActionDefinition = {
  id: 'System.RunCommand',
  group: 'System',
  displayName: 'Run command',
  description:
    'Runs a command line in the system shell (sh, or cmd on Windows) and gives its output and exit code. The whole process tree is stopped on timeout or cancel.',
  params: [
    { name: 'command', type: 'text', displayName: 'Command', required: true },
    {
      name: 'workingFolder',
      type: 'any',
      displayName: 'Working folder',
      description: "Default: Patchbay's working folder.",
    },
    {
      name: 'timeoutSeconds',
      type: 'number',
      displayName: 'Timeout (seconds)',
      default: 60,
      description: '0 waits without limit.',
    },
    {
      name: 'failOnNonZeroExit',
      type: 'boolean',
      displayName: 'Fail when the exit code is not 0',
      default: false,
      advanced: true,
    },
    {
      name: 'environment',
      type: 'object',
      displayName: 'Extra environment variables',
      advanced: true,
      sensitive: true,
    },
  ],
  produces: [
    { key: 'stdout', defaultName: 'CommandOutput', type: 'text' },
    { key: 'stderr', defaultName: 'CommandErrorOutput', type: 'text' },
    { key: 'exitCode', defaultName: 'CommandExitCode', type: 'number' },
  ],
  async run(ctx, p) {
    const command = text(p, 'command');
    if (command.trim() === '')
      throw paramError('command', 'the command is empty.', 'Give a command line, e.g. echo hello.');
    const seconds = num(p, 'timeoutSeconds', 60);
    if (seconds < 0) throw paramError('timeoutSeconds', `must be 0 or more, got ${seconds}.`);
    let cwd: string | undefined;
    if (p.workingFolder !== undefined && p.workingFolder !== null && p.workingFolder !== '') {
      cwd = pathParam(ctx, p, 'workingFolder');
      await existingFolder(ctx, 'workingFolder', cwd);
    }
    const envValue = p.environment ?? null;
    if (envValue !== null && !isValueObject(envValue))
      throw paramError('environment', `expected a custom object, got ${describeType(envValue)}.`);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(envValue ?? {})) env[k] = formatValue(v);
    const r = await ctx.host.shell.run(command, {
      cwd,
      timeoutMs: seconds > 0 ? seconds * 1000 : undefined,
      signal: ctx.signal,
      env,
    });
    if (r.exitCode !== 0 && bool(p, 'failOnNonZeroExit', false)) {
      const firstLine = r.stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
      throw new PatchbayError(
        'action.failed',
        `The command exited with code ${r.exitCode}${firstLine ? `: ${firstLine}` : '.'}`,
        { hint: 'Check the command, or turn off "Fail when the exit code is not 0" and read CommandExitCode.' },
      );
    }
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  },
};

const getEnvironmentVariable: ActionDefinition = {
  id: 'System.GetEnvironmentVariable',
  group: 'System',
  displayName: 'Get environment variable',
  description:
    "Reads an environment variable of the machine that runs the flow (not a Patchbay environment's variables).",
  params: [
    { name: 'name', type: 'text', displayName: 'Environment variable name', required: true },
    {
      name: 'failIfMissing',
      type: 'boolean',
      displayName: 'Fail when it is not set',
      default: true,
      description: 'When off, a missing variable gives empty text.',
    },
  ],
  produces: [{ key: 'value', defaultName: 'EnvironmentVariableValue', type: 'text' }],
  run(ctx, p) {
    const name = text(p, 'name').trim();
    if (name === '') throw paramError('name', 'a variable name is required.', 'Give a name such as PATH or HOME.');
    const value = ctx.host.env.get(name);
    if (value === undefined && bool(p, 'failIfMissing', true)) {
      throw new PatchbayError('action.failed', `The environment variable ${name} is not set.`, {
        hint: 'Set it before starting Patchbay, or turn off "Fail when it is not set".',
      });
    }
    return { value: value ?? '' };
  },
};

const getTempFolder: ActionDefinition = {
  id: 'System.GetTempFolder',
  group: 'System',
  displayName: 'Get temporary folder',
  description: "The full path of the machine's temporary folder.",
  params: [],
  produces: [{ key: 'folder', defaultName: 'TempFolder', type: 'text' }],
  run: (ctx) => ({ folder: ctx.host.env.tempDir() }),
};

const getCurrentDirectory: ActionDefinition = {
  id: 'System.GetCurrentDirectory',
  group: 'System',
  displayName: 'Get working folder',
  description: 'The full path of the folder that relative paths start from.',
  params: [],
  produces: [{ key: 'folder', defaultName: 'CurrentDirectory', type: 'text' }],
  run: (ctx) => ({ folder: ctx.host.env.cwd() }),
};

const LEVELS = ['debug', 'info', 'warning', 'error'] as const;

const logMessage: ActionDefinition = {
  id: 'Log.Message',
  group: 'Logging',
  displayName: 'Log message',
  description: "Writes a message to the run's log.",
  params: [
    { name: 'message', type: 'any', displayName: 'Message', required: true },
    {
      name: 'level',
      type: 'text',
      displayName: 'Level',
      default: 'info',
      options: [
        { value: 'debug', title: 'Debug' },
        { value: 'info', title: 'Information' },
        { value: 'warning', title: 'Warning' },
        { value: 'error', title: 'Error' },
      ],
    },
  ],
  produces: [],
  run(ctx, p) {
    const level = option(p, 'level', LEVELS, 'info');
    const message = formatValue(p.message ?? null);
    const data = { stepPath: ctx.step.path };
    if (level === 'warning') ctx.logger.warn(message, data);
    else ctx.logger[level](message, data);
  },
};

export const systemActions: ActionDefinition[] = [
  ...scriptActions,
  runCommand,
  getEnvironmentVariable,
  getTempFolder,
  getCurrentDirectory,
  logMessage,
];
