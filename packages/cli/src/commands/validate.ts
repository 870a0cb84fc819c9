import { createActionRegistry, standardActions, blockActions, validateFlow } from '@patchbay/core';
import { CliExit, printJson } from '../output.js';
import { readFlowFile } from '../flow-file.js';

export async function validateCommand(file: string, opts: { json?: boolean }): Promise<void> {
  const { flow, text } = await readFlowFile(file);
  const diagnostics = validateFlow(flow, {
    actions: createActionRegistry([...standardActions, ...blockActions]),
    sourceText: text,
    file,
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (opts.json) printJson({ valid: errors.length === 0, diagnostics });
  else {
    for (const d of diagnostics) {
      const where = d.line ? `${file}:${d.line}:${d.column ?? 1}` : file;
      process.stderr.write(
        `${where}: ${d.severity}: ${d.stepPath ? `step ${d.stepPath}${d.action ? ` (${d.action})` : ''}: ` : ''}${d.message}${d.hint ? ` — ${d.hint}` : ''}\n`,
      );
    }
    if (errors.length === 0)
      process.stdout.write(
        `${file}: valid${diagnostics.length ? ` (${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'})` : ''}\n`,
      );
  }
  // Scripts reading --json get the diagnostics on stdout; the one-line reason goes to stderr either way.
  if (errors.length > 0) throw new CliExit(1, `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}`);
}
