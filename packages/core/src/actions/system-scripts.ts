/**
 * PAD's "Run PowerShell script", "Run Python script" and "Get Windows
 * special folder". A script runs only where its interpreter is installed;
 * otherwise the action fails naming the interpreter it looked for.
 */
import { PatchbayError } from '../errors.js';
import type { ActionContext, ActionDefinition } from '../contracts.js';
import { num, option, paramError, text } from './variables-params.js';

interface Interpreter {
  /** Commands tried in order, e.g. pwsh then powershell. */
  commands: readonly string[];
  name: string;
  ext: string;
  args: (file: string) => string;
  install: string;
}

const POWERSHELL: Interpreter = {
  commands: ['pwsh', 'powershell'],
  name: 'PowerShell (pwsh or powershell)',
  ext: '.ps1',
  args: (file) => `-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "${file}"`,
  install: 'Install PowerShell (https://aka.ms/powershell) on the machine that runs the flow.',
};

const PYTHON: Interpreter = {
  commands: ['python3', 'python'],
  name: 'Python (python3 or python)',
  ext: '.py',
  args: (file) => `"${file}"`,
  install: 'Install Python 3 on the machine that runs the flow, with python3 or python on the PATH.',
};

async function findInterpreter(ctx: ActionContext, it: Interpreter): Promise<string> {
  for (const cmd of it.commands) {
    const probe = await ctx.host.shell.run(`${cmd} ${it === PYTHON ? '--version' : '-NoProfile -Command "exit 0"'}`, {
      timeoutMs: 20_000,
      signal: ctx.signal,
    });
    if (probe.exitCode === 0) return cmd;
  }
  throw new PatchbayError('action.failed', `${it.name} was not found on this machine.`, { hint: it.install });
}

function scriptAction(id: string, displayName: string, it: Interpreter, prefix: string): ActionDefinition {
  return {
    id,
    group: 'Scripting',
    displayName,
    description: `Runs a ${displayName.replace('Run ', '')} with the machine's interpreter (${it.commands.join(' or ')}) and gives its output. Fails naming the interpreter when it is not installed.`,
    params: [
      {
        name: 'script',
        type: 'text',
        displayName: 'Script to run',
        required: true,
        description: 'Flow values go in with %…% as in any text parameter.',
      },
      {
        name: 'timeoutSeconds',
        type: 'number',
        displayName: 'Timeout (seconds)',
        default: 60,
        description: '0 waits without limit.',
      },
    ],
    produces: [
      { key: 'output', defaultName: `${prefix}Output`, type: 'text' },
      { key: 'error', defaultName: 'ScriptError', type: 'text' },
      { key: 'exitCode', defaultName: `${prefix}ExitCode`, type: 'number' },
    ],
    async run(ctx, p) {
      const script = text(p, 'script');
      if (script.trim() === '') throw paramError('script', 'the script is empty.');
      const seconds = num(p, 'timeoutSeconds', 60);
      if (seconds < 0) throw paramError('timeoutSeconds', `must be 0 or more, got ${seconds}.`);
      const cmd = await findInterpreter(ctx, it);
      const file = ctx.host.path.join(
        ctx.host.env.tempDir(),
        `patchbay-script-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${it.ext}`,
      );
      await ctx.host.fs.writeFile(file, new TextEncoder().encode(script));
      try {
        const r = await ctx.host.shell.run(`${cmd} ${it.args(file)}`, {
          timeoutMs: seconds > 0 ? seconds * 1000 : undefined,
          signal: ctx.signal,
        });
        return { output: r.stdout.replace(/\r?\n$/, ''), error: r.stderr, exitCode: r.exitCode };
      } finally {
        await ctx.host.fs.remove(file).catch(() => undefined);
      }
    },
  };
}

const SPECIAL_FOLDERS = [
  'Desktop',
  'Documents',
  'Downloads',
  'Music',
  'Pictures',
  'Videos',
  'Home',
  'Temp',
  'AppData',
] as const;

const getSpecialFolder: ActionDefinition = {
  id: 'Folder.GetSpecialFolder',
  group: 'Folder',
  displayName: 'Get special folder',
  description:
    "The path of one of the user's special folders (Desktop, Documents, …) on the machine that runs the flow.",
  params: [
    {
      name: 'folder',
      type: 'text',
      displayName: 'Special folder name',
      default: 'Desktop',
      options: SPECIAL_FOLDERS,
    },
  ],
  produces: [{ key: 'path', defaultName: 'SpecialFolderPath', type: 'text' }],
  run(ctx, p) {
    const which = option(p, 'folder', SPECIAL_FOLDERS, 'Desktop');
    if (which === 'Temp') return { path: ctx.host.env.tempDir() };
    const home = ctx.host.env.get('USERPROFILE') ?? ctx.host.env.get('HOME');
    if (!home)
      throw new PatchbayError(
        'action.failed',
        'The user has no home folder on this machine (neither HOME nor USERPROFILE is set).',
      );
    if (which === 'Home') return { path: home };
    if (which === 'AppData')
      return {
        path: ctx.host.env.get('APPDATA') ?? ctx.host.env.get('XDG_CONFIG_HOME') ?? ctx.host.path.join(home, '.config'),
      };
    return { path: ctx.host.path.join(home, which) };
  },
};

export const scriptActions: ActionDefinition[] = [
  scriptAction('Scripting.RunPowerShellScript', 'Run PowerShell script', POWERSHELL, 'Powershell'),
  scriptAction('Scripting.RunPythonScript', 'Run Python script', PYTHON, 'Python'),
  getSpecialFolder,
];
