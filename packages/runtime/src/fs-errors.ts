/** Node's file system errors as PatchbayErrors that name the path and say what to change. */
import { PatchbayError } from '@patchbay/core';

const REASONS: Record<string, { what: string; hint: string; retryable?: boolean }> = {
  ENOENT: { what: 'does not exist', hint: 'Check the path, or create the file or folder first.' },
  EEXIST: { what: 'already exists', hint: 'Choose another name, or allow overwriting.' },
  EACCES: { what: 'cannot be accessed: permission denied', hint: 'Check the permissions of the file or folder.' },
  EPERM: {
    what: 'cannot be changed: operation not permitted',
    hint: 'Check the permissions of the file or folder, and that no other program holds it.',
  },
  EISDIR: { what: 'is a folder, not a file', hint: 'Give the path of a file.' },
  ENOTDIR: { what: 'is not a folder (a part of the path is a file)', hint: 'Give the path of a folder.' },
  ENOTEMPTY: { what: 'is a folder that is not empty', hint: 'Empty the folder first, or delete it with its contents.' },
  EBUSY: {
    what: 'is busy (in use by another program)',
    hint: 'Close the program that holds it and retry.',
    retryable: true,
  },
  EMFILE: { what: 'cannot be opened: too many open files', hint: 'Retry later.', retryable: true },
  ENOSPC: { what: 'cannot be written: no space left on the device', hint: 'Free some disk space.' },
  ENAMETOOLONG: { what: 'has a name that is too long', hint: 'Use a shorter path.' },
  EXDEV: { what: 'is on another device', hint: 'Copy it instead.' },
};

export function fsError(e: unknown, path: string): PatchbayError {
  if (e instanceof PatchbayError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const reason = REASONS[code];
  if (reason) {
    return new PatchbayError('action.failed', `${path} ${reason.what}.`, {
      hint: reason.hint,
      retryable: reason.retryable ?? false,
      place: { file: path },
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new PatchbayError('action.failed', `${path}: ${message}`, { place: { file: path }, cause: e });
}
