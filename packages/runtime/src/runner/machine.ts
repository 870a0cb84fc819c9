/**
 * The machine side of `patchbay runner --server URL --token-env VAR`: this
 * computer runs flows for a Patchbay server. It holds only its machine
 * token: no store, no master key, no credential. It opens a session, then
 * relays the run protocol between the server (a long poll for messages in, a
 * post for messages out) and a runner process of its own — the same runner a
 * server forks, started with a scrubbed environment (not even the token) in
 * a working folder of its own. Connector steps become gateway calls the
 * server answers; step events, outputs and log lines go back in the batches
 * the runner makes.
 *
 * A runner that stops mid-run fails that run ("the runner on machine NAME
 * stopped: signal SIGKILL") and is replaced. A refused token ends the
 * command (exit code 1); a server that cannot be reached is tried again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { PatchbayError } from '@patchbay/core';
import { runnerEnvironment } from './pool.js';
import { PROTOCOL_VERSION, type FromRunner, type ToRunner } from './protocol.js';

export const RUN_PROTOCOL_TYPE = 'application/x-patchbay-run-protocol';

export interface MachineOptions {
  /** The server's base URL (`https://patchbay.example.com`). */
  server: string;
  token: string;
  /** One line of progress for the person watching (stderr). */
  print?: (line: string) => void;
  /** Stops the machine (SIGTERM / SIGINT). */
  signal?: AbortSignal;
  /** The runner's entry file; default `@patchbay/runtime/runner`. */
  entry?: string;
  /** How long a cancelled run may take before its runner is stopped; default 5 s. */
  cancelGraceMs?: number;
}

interface Session {
  session: string;
  machine: { name: string; group: string; environment: string };
  pollHoldMs: number;
}

class Refused extends PatchbayError {}

async function call(
  opts: MachineOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: Buffer,
  timeoutMs = 60_000,
): Promise<Buffer> {
  const url = new URL(path, opts.server.endsWith('/') ? opts.server : `${opts.server}/`);
  const { request } = await import('undici');
  const res = await request(url, {
    method,
    headers: {
      authorization: `Machine ${opts.token}`,
      ...(body ? { 'content-type': RUN_PROTOCOL_TYPE } : {}),
    },
    ...(body ? { body } : {}),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const data = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode === 401 || res.statusCode === 403)
    throw new Refused('auth.denied', `The server refused this machine: ${errorMessage(data)}`, {
      hint: 'Ask an administrator to register the machine again (patchbay machine register NAME) and use the new token.',
    });
  if (res.statusCode === 409) throw new PatchbayError('store.conflict', errorMessage(data), { retryable: true });
  if (res.statusCode >= 300)
    throw new PatchbayError('internal', `The server answered ${res.statusCode}: ${errorMessage(data)}`, {
      retryable: true,
    });
  return data;
}

function errorMessage(data: Buffer): string {
  try {
    const j = JSON.parse(data.toString('utf8')) as { error?: { message?: string }; message?: string };
    return j.error?.message ?? j.message ?? 'no reason given';
  } catch {
    return data.toString('utf8').slice(0, 200) || 'no reason given';
  }
}

/** The runner process of this machine, replaced when it stops. */
class LocalRunner {
  private child: ChildProcess | undefined;
  private folder: string | undefined;
  private stderr = '';
  current: string | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly entry: string,
    private readonly onMessage: (m: FromRunner) => void,
    private readonly onStopped: (runId: string, reason: string) => void,
  ) {}

  private start(): ChildProcess {
    const folder = mkdtempSync(join(tmpdir(), 'patchbay-machine-runner-'));
    const child = fork(this.entry, [], {
      cwd: folder,
      env: runnerEnvironment(folder),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    this.folder = folder;
    this.stderr = '';
    child.stderr?.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString('utf8')).slice(-4096)));
    child.on('message', (m: FromRunner) => {
      if (m?.type === 'ready') return;
      if (m?.type === 'done' && m.runId === this.current) {
        this.current = undefined;
        if (this.killTimer) clearTimeout(this.killTimer);
      }
      this.onMessage(m);
    });
    child.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      rmSync(folder, { recursive: true, force: true });
      if (this.killTimer) clearTimeout(this.killTimer);
      const runId = this.current;
      this.current = undefined;
      if (runId) this.onStopped(runId, signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`);
    });
    return child;
  }

  send(m: ToRunner, cancelGraceMs: number): void {
    if (m.type === 'run') {
      if (this.current) {
        // One run at a time: the server never sends two, but a confused one is answered, not obeyed.
        this.onMessage({
          type: 'done',
          runId: m.runId,
          result: {
            status: 'failed',
            outputs: {},
            error: { code: 'internal', message: 'The machine is busy with another run.', retryable: true },
            steps: [],
            stepCount: 0,
          },
        });
        return;
      }
      this.current = m.runId;
    }
    const child = this.child ?? this.start();
    if (child.connected) child.send(m, (err) => void err);
    if (m.type === 'cancel' && m.runId === this.current) {
      if (this.killTimer) clearTimeout(this.killTimer);
      this.killTimer = setTimeout(() => child.kill('SIGKILL'), cancelGraceMs);
    }
  }

  warm(): void {
    this.child ??= this.start();
  }

  /** Stops the run in progress (the server already counts it as failed). */
  abandon(): void {
    if (this.current) this.child?.kill('SIGKILL');
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** Runs this computer as a machine until `signal` aborts or the server refuses its token. */
export async function runMachine(opts: MachineOptions): Promise<void> {
  const print = opts.print ?? (() => undefined);
  const entry = opts.entry ?? createRequire(import.meta.url).resolve('@patchbay/runtime/runner');
  const grace = opts.cancelGraceMs ?? 5000;
  let session: Session | undefined;
  let outbox: FromRunner[] = [];
  let sending: Promise<void> | undefined;

  const flush = (): void => {
    if (sending || !outbox.length || !session) return;
    const s = session;
    const batch = outbox;
    outbox = [];
    sending = call(opts, 'POST', `api/machine/send?session=${encodeURIComponent(s.session)}`, serialize(batch))
      .then(() => undefined)
      .catch((e: unknown) => {
        // The session ended (server restarted, machine replaced): the server has failed that run already.
        if (!(e instanceof PatchbayError)) print(`Could not send to the server: ${String(e)}`);
      })
      .finally(() => {
        sending = undefined;
        flush();
      });
  };

  const runner = new LocalRunner(
    entry,
    (m) => {
      outbox.push(m);
      flush();
    },
    (runId, reason) => {
      print(`The runner stopped during run ${runId}: ${reason}.`);
      outbox.push({
        type: 'done',
        runId,
        result: {
          status: 'failed',
          outputs: {},
          error: {
            code: 'run.stopped',
            message: `The run failed because the runner on machine ${session?.machine.name ?? ''} stopped: ${reason}.`,
            retryable: true,
          },
          steps: [],
          stepCount: 0,
        },
      });
      flush();
    },
  );
  runner.warm();

  try {
    let backoff = 500;
    while (!opts.signal?.aborted) {
      try {
        if (!session) {
          session = JSON.parse((await call(opts, 'POST', 'api/machine/connect')).toString('utf8')) as Session;
          print(
            `Connected to ${opts.server} as machine ${session.machine.name} (group ${session.machine.group}, environment ${session.machine.environment}).`,
          );
          backoff = 500;
        }
        const data = await call(
          opts,
          'POST',
          `api/machine/poll?session=${encodeURIComponent(session.session)}`,
          undefined,
          session.pollHoldMs + 30_000,
        );
        const messages = deserialize(data) as ToRunner[];
        for (const m of messages) {
          if (m.type === 'run' && m.version !== PROTOCOL_VERSION) {
            outbox.push({
              type: 'done',
              runId: m.runId,
              result: {
                status: 'failed',
                outputs: {},
                error: {
                  code: 'internal',
                  message: `The machine speaks run protocol ${PROTOCOL_VERSION}, not ${m.version}: update Patchbay on it.`,
                  retryable: false,
                },
                steps: [],
                stepCount: 0,
              },
            });
            flush();
            continue;
          }
          if (m.type === 'run') print(`Running ${m.flow.name} (${m.runId}).`);
          runner.send(m, grace);
        }
      } catch (e) {
        if (e instanceof Refused) throw e;
        if (opts.signal?.aborted) break;
        if (session) print(`Lost the server (${e instanceof Error ? e.message : String(e)}); connecting again.`);
        session = undefined;
        runner.abandon();
        await sleep(backoff, opts.signal);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  } finally {
    runner.stop();
  }
}
