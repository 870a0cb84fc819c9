import { readFile } from 'node:fs/promises';
import { PatchbayError, parseFlowText } from '@patchbay/core';

/** The text of a flow file; a missing file, a folder or an unreadable file is a `flow.invalid` error that names it. */
export async function readFlowFileText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new PatchbayError('flow.invalid', `No flow file at ${file}`, { place: { file }, hint: 'Check the path.' });
    if (code === 'EISDIR')
      throw new PatchbayError('flow.invalid', `${file} is a folder, not a flow file`, {
        place: { file },
        hint: 'Give the path of a *.flow.json file.',
      });
    throw new PatchbayError('flow.invalid', `Cannot read ${file}: ${(e as Error).message}`, {
      place: { file },
      hint: "Check the file's permissions.",
    });
  }
}

/** Reads and parses a `*.flow.json` file; errors name the file, line and column. */
export async function readFlowFile(file: string) {
  const text = await readFlowFileText(file);
  return { flow: parseFlowText(text, file), text };
}
