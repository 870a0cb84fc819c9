import { readFile } from 'node:fs/promises';
import { PatchbayError } from '@patchbay/core';

/** The text of a Robin file; a missing or unreadable file is an error that names it. */
export async function readRobinFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PatchbayError(
      'flow.invalid',
      code === 'ENOENT' ? `No Robin file at ${file}` : `Cannot read ${file}: ${(e as Error).message}`,
      { place: { file }, hint: 'Save the text copied from Power Automate for desktop to a file and give its path.' },
    );
  }
}
