/** What every routes file receives. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Platform } from '@patchbay/platform';
import type { RunQueue } from '../queue/types.js';
import type { RunEventHub } from './run-events.js';
import type { SessionStore } from './sessions.js';

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface RouteDeps {
  platform: Platform;
  queue: RunQueue;
  sessions: SessionStore;
  events: RunEventHub;
  /** Where browsers reach this server (OAuth redirect URIs); the request's own origin when absent. */
  publicUrl?: string;
}
