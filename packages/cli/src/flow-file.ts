import { readFile } from 'node:fs/promises';
import { PatchbayError, parseFlowText } from '@patchbay/core';

/** Reads and parses a `*.flow.json` file; errors name the file, line and column. */
export async function readFlowFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PatchbayError('flow.invalid', code === 'ENOENT' ? `No flow file at ${file}` : `Cannot read ${file}: ${(e as Error).message}`, {
      place: { file },
      hint: code === 'ENOENT' ? 'Check the path.' : undefined,
    });
  }
  return { flow: parseFlowText(text, file), text };
}
