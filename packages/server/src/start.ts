/**
 * `startServer` (`patchbay serve`): opens the platform, makes sure an owner
 * account exists and can sign in (a generated password is printed once), starts the run queue (in-process, or BullMQ when a Redis
 * URL is given) and listens. `close()` stops taking requests and runs, lets
 * running runs finish within the grace period, and closes the store.
 */
import pino from 'pino';
import type { Logger } from '@patchbay/core';
import { openPlatform, type Platform } from '@patchbay/platform';
import { buildServer, type BuildServerOptions } from './app.js';
import { BullRunQueue } from './queue/bullmq.js';
import { InProcessQueue } from './queue/in-process.js';
import type { RunQueue } from './queue/types.js';
import { startWorker, type RunWorker } from './worker.js';

export interface StartServerOptions {
  /** Default 5170; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  home?: string;
  /** Default PATCHBAY_DATABASE_URL. */
  databaseUrl?: string;
  /** Default PATCHBAY_REDIS_URL; switches runs to the BullMQ queue. */
  redisUrl?: string;
  masterKey?: string;
  /** Default PATCHBAY_OWNER_EMAIL / PATCHBAY_OWNER_PASSWORD. */
  ownerEmail?: string;
  ownerPassword?: string;
  /** Where browsers reach the server, when not at http://host:port (a proxy). */
  publicUrl?: string;
  webRoot?: string;
  /** Runs at once with the in-process queue (default 4). */
  concurrency?: number;
  /** With Redis: also run a worker inside the server (default false: run `patchbay worker`). */
  worker?: boolean;
  /** BullMQ queue name and key prefix (tests). */
  queueName?: string;
  prefix?: string;
  /** Log level for the pino logger, or false for none; default `info`. */
  log?: string | false;
  /** Where log lines go; default stdout. */
  logDestination?: pino.DestinationStream;
  /** Where the one-time owner password notice goes; default stdout. */
  print?: (line: string) => void;
  /** An open platform to serve instead of opening one (closed by `close()`). */
  platform?: Platform;
  /** Settings of the machine hub (machines on other computers; tests shorten the grace period). */
  machines?: BuildServerOptions['machines'];
}

export interface RunningServer {
  url: string;
  platform: Platform;
  queue: RunQueue;
  close(opts?: { graceMs?: number }): Promise<void>;
}

function coreLogger(log: pino.Logger): Logger {
  return {
    debug: (message, data) => log.debug(data ?? {}, message),
    info: (message, data) => log.info(data ?? {}, message),
    warn: (message, data) => log.warn(data ?? {}, message),
    error: (message, data) => log.error(data ?? {}, message),
  };
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const port = opts.port ?? 5170;
  const host = opts.host ?? '127.0.0.1';
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = pino(
    {
      level: opts.log === false ? 'silent' : (opts.log ?? 'info'),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
    },
    opts.logDestination ?? pino.destination(1),
  );
  const logger = coreLogger(log);
  const redisUrl = opts.redisUrl ?? process.env.PATCHBAY_REDIS_URL;
  const platform =
    opts.platform ??
    (await openPlatform({
      ...(opts.home !== undefined ? { home: opts.home } : {}),
      ...(opts.databaseUrl !== undefined ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.masterKey !== undefined ? { masterKey: opts.masterKey } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      logger,
    }));
  let queue: RunQueue | undefined;
  let worker: RunWorker | undefined;
  try {
    const email = opts.ownerEmail ?? process.env.PATCHBAY_OWNER_EMAIL;
    const password = opts.ownerPassword ?? process.env.PATCHBAY_OWNER_PASSWORD;
    const owner = await platform.users.ensureOwner({ ...(email ? { email } : {}), ...(password ? { password } : {}) });
    // Generated only here (the command that serves the sign-in form), and shown this once.
    if (owner.password) {
      print(
        `Patchbay ${owner.created ? 'created the owner account' : 'gave the owner account a password'}. Sign in once with:\n  Email:    ${owner.user.email}\n  Password: ${owner.password}\n(This password is shown only now. Set PATCHBAY_OWNER_EMAIL and PATCHBAY_OWNER_PASSWORD to choose your own on a new install.)`,
      );
    }
    const names = {
      ...(opts.queueName ? { queueName: opts.queueName } : {}),
      ...(opts.prefix ? { prefix: opts.prefix } : {}),
    };
    if (redisUrl) {
      queue = await BullRunQueue.open({ redisUrl, ...names, logger });
      if (opts.worker)
        worker = await startWorker({
          redisUrl,
          platform,
          logger,
          ...names,
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
        });
    } else {
      const q = new InProcessQueue({
        platform,
        logger,
        ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      });
      await q.start();
      queue = q;
    }
    const app = await buildServer({
      platform,
      queue,
      logger: log.child({ component: 'http' }),
      ...(opts.webRoot ? { webRoot: opts.webRoot } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      ...(opts.machines ? { machines: opts.machines } : {}),
    });
    await app.listen({ port, host });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    log.info({ url, queue: queue.kind }, 'Patchbay is listening.');
    const q = queue;
    let closing: Promise<void> | undefined;
    return {
      url,
      platform,
      queue: q,
      close(closeOpts = {}) {
        closing ??= (async () => {
          await app.close();
          if (worker) await worker.close(closeOpts);
          await q.close(closeOpts);
          await platform.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await worker?.close({ graceMs: 0 }).catch(() => undefined);
    await queue?.close({ graceMs: 0 }).catch(() => undefined);
    await platform.close().catch(() => undefined);
    throw e;
  }
}
