/**
 * Sessions live in the store: two servers (two platforms on one database, as
 * two machines behind a load balancer) share a sign-in, its CSRF token and its
 * sign-out, on SQLite and PostgreSQL. The database holds no session id.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '@patchbay/platform';
import { type TestDatabase, testDialects } from '../../../store/src/testDialects.js';
import { buildServer } from '../app.js';
import { InProcessQueue } from '../queue/in-process.js';
import { OWNER, login } from '../test-support.js';

const dialects = await testDialects();

describe.each(dialects)('sessions shared by two servers on $name', (dialect) => {
  let db: TestDatabase;
  const platforms: Platform[] = [];
  const apps: FastifyInstance[] = [];
  const queues: InProcessQueue[] = [];

  async function server(sessionTtlMs?: number): Promise<FastifyInstance> {
    const platform = await openPlatform({ store: await db.open() });
    const queue = new InProcessQueue({ platform });
    const app = await buildServer({
      platform,
      queue,
      webRoot: `${db.home}/no-web`,
      ...(sessionTtlMs ? { sessionTtlMs } : {}),
    });
    await app.ready();
    platforms.push(platform);
    queues.push(queue);
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    const first = await openPlatform({ store: await db.open() });
    await first.users.ensureOwner(OWNER);
    await first.close();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const q of queues) await q.close();
    for (const p of platforms) await p.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('a session started on one server is used, checked for CSRF and ended on the other', async () => {
    const [a, b] = [await server(), await server()];
    const caller = await login(a, OWNER.email, OWNER.password);
    expect(await db.rawContent()).not.toContain(caller.cookie.split('=')[1]);

    const me = await b.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: caller.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: OWNER.email } });
    // The CSRF token handed out by server A is good on server B, and required there.
    const token = await b.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: caller.cookie, 'x-csrf-token': caller.csrfToken },
      payload: { name: 'from b' },
    });
    expect(token.statusCode).toBe(200);
    const tokenFromB = (me.json() as { csrfToken: string }).csrfToken;
    expect(
      (
        await a.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { cookie: caller.cookie, 'x-csrf-token': tokenFromB },
          payload: { name: 'from a' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await b.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { cookie: caller.cookie },
          payload: { name: 'no csrf' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await b.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { cookie: caller.cookie, 'x-csrf-token': 'forged' },
          payload: { name: 'forged' },
        })
      ).statusCode,
    ).toBe(403);

    // A made-up or tampered cookie signs nobody in.
    expect(
      (await b.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${caller.cookie.slice(0, -2)}xx` } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await b.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'patchbay_session=../../etc' } }))
        .statusCode,
    ).toBe(401);

    // Signing out on B ends the session on A.
    expect(
      (
        await b.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: caller.cookie, 'x-csrf-token': caller.csrfToken },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await a.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: caller.cookie } })).statusCode,
    ).toBe(401);
  });

  run('an expired session signs nobody in on any server and is cleared away', async () => {
    const app = await server();
    const store = platforms[0].store;
    const owner = await platforms[0].users.owner();
    const used = await store.sessions.create(owner.id, 1);
    const unused = await store.sessions.create(owner.id, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `patchbay_session=${used.id}` } }))
        .statusCode,
    ).toBe(401);
    expect(await store.sessions.touch(used.id, 60_000)).toBeUndefined();
    expect(await store.sessions.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.sessions.touch(unused.id, 60_000)).toBeUndefined();
    await expect(store.sessions.create(owner.id, 0)).rejects.toMatchObject({ code: 'store.invalid' });
  });
});
