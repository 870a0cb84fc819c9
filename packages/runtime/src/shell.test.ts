import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runShell } from './shell.js';
import { createNodeHost } from './host.js';

/** Whether a process still runs (a zombie waiting for its reaper does not count). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync(`/proc/${pid}/stat`)) return true;
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  return state !== 'Z' && state !== 'X';
}

describe.skipIf(process.platform === 'win32')('shell commands', () => {
  it('returns stdout, stderr and the exit code', async () => {
    expect(await runShell('echo hello; echo oops >&2')).toEqual({ stdout: 'hello\n', stderr: 'oops\n', exitCode: 0 });
    expect((await runShell("sh -c 'exit 3'")).exitCode).toBe(3);
    expect((await runShell('no-such-command-patchbay')).exitCode).toBe(127);
  });

  it('runs in the working folder with extra environment variables', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-shell-'));
    try {
      const r = await runShell('pwd; echo "$PB_GREETING"', { cwd: dir, env: { PB_GREETING: 'hi there' } });
      expect(r.stdout.split('\n').slice(0, 2)).toEqual([realpathSync(dir), 'hi there']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly when the working folder does not exist', async () => {
    await expect(runShell('echo x', { cwd: '/no/such/folder/patchbay' })).rejects.toThrow(
      /working folder \/no\/such\/folder\/patchbay does not exist/,
    );
  });

  it('stops the whole process tree at the timeout', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-shell-'));
    const pidFile = path.join(dir, 'pid');
    try {
      await expect(runShell(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 })).rejects.toMatchObject({
        code: 'action.failed',
        message: expect.stringMatching(/did not finish within 0.3 s/),
      });
      const pid = Number((await readFile(pidFile, 'utf8')).trim());
      await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is cancelled through the abort signal', async () => {
    const ac = new AbortController();
    const running = runShell('sleep 10', { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'run.cancelled' });
  });

  it('refuses to run when the host turns commands off', async () => {
    const host = createNodeHost({ allowShell: false });
    await expect(host.shell.run('echo hi', {})).rejects.toThrow(/turned off/);
  });
});
