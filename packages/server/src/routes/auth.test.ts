import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, login, newUser, testServer, type Caller, type TestServer } from '../test-support.js';

let s: TestServer;
let owner: Caller;

beforeAll(async () => {
  s = await testServer();
  owner = await login(s.app, OWNER.email, OWNER.password);
});
afterAll(async () => s.close());

describe('auth', () => {
  it('answers health without a session, and 401 with a code for /api routes', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ ok: true });
    const me = await s.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('auth.denied');
    const flows = await s.app.inject({ method: 'GET', url: '/api/envs/default/flows' });
    expect(flows.statusCode).toBe(401);
  });

  it('signs in with a httpOnly, SameSite=Lax session cookie and answers me with a CSRF token', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: OWNER.email, password: OWNER.password },
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'patchbay_session');
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Lax');
    expect(res.json().user).toMatchObject({ email: OWNER.email, role: 'owner' });
    expect(res.json().user.passwordHash).toBeUndefined();
    const me = await owner.call('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(OWNER.email);
    expect(me.json().csrfToken.length).toBeGreaterThan(10);
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    const a = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: OWNER.email, password: 'wrong-password' },
      remoteAddress: '10.0.0.2',
    });
    const b = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@x.test', password: 'wrong-password' },
      remoteAddress: '10.0.0.2',
    });
    expect(a.statusCode).toBe(403);
    expect(a.json().error.message).toBe(b.json().error.message);
  });

  it('names the missing field of a bad body', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: OWNER.email },
      remoteAddress: '10.0.0.3',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'store.invalid', pointer: '/body/password' });
    expect(r.json().error.message).toContain('body.password');
  });

  it('rate-limits login to 10 a minute per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        (
          await s.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: OWNER.email, password: 'nope' },
            remoteAddress: '10.9.9.9',
          })
        ).statusCode,
      );
    expect(codes.slice(0, 10).every((c) => c === 403)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const last = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: OWNER.email, password: OWNER.password },
      remoteAddress: '10.9.9.9',
    });
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('auth.denied');
    // Another address is not affected.
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: OWNER.email, password: OWNER.password },
          remoteAddress: '10.9.9.8',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('refuses a cookie-authenticated change without the CSRF token, accepts it with one', async () => {
    const without = await s.app.inject({
      method: 'POST',
      url: '/api/environments',
      headers: { cookie: owner.cookie },
      payload: { name: 'dev' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('auth.denied');
    const wrong = await s.app.inject({
      method: 'POST',
      url: '/api/environments',
      headers: { cookie: owner.cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'dev' },
    });
    expect(wrong.statusCode).toBe(403);
    const other = await newUser(s.app, owner, 'csrf-other@patchbay.test');
    const foreign = await s.app.inject({
      method: 'POST',
      url: '/api/environments',
      headers: { cookie: owner.cookie, 'x-csrf-token': other.csrfToken },
      payload: { name: 'dev' },
    });
    expect(foreign.statusCode).toBe(403);
    const ok = await owner.call('POST', '/api/environments', { name: 'dev' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('dev');
  });

  it('accepts API tokens without CSRF, and refuses revoked or unknown ones', async () => {
    const created = await owner.call('POST', '/api/auth/tokens', { name: 'ci' });
    expect(created.statusCode).toBe(200);
    const token = created.json().apiToken as string;
    expect(token.length).toBeGreaterThan(20);
    const list = await owner.call('GET', '/api/auth/tokens');
    expect(JSON.stringify(list.json())).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect(
      (await s.app.inject({ method: 'POST', url: '/api/environments', headers: bearer, payload: { name: 'test' } }))
        .statusCode,
    ).toBe(200);
    await owner.call('DELETE', `/api/auth/tokens/${created.json().id}`);
    const revoked = await s.app.inject({ method: 'GET', url: '/api/environments', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/environments', headers: { authorization: 'Bearer nope' } }))
        .statusCode,
    ).toBe(401);
  });

  it('keeps owner-only routes from members', async () => {
    const member = await newUser(s.app, owner, 'member@patchbay.test');
    const r = await member.call('POST', '/api/environments', { name: 'prod' });
    expect(r.statusCode).toBe(403);
    expect((await member.call('GET', '/api/users')).statusCode).toBe(403);
  });

  it('ends the session on logout', async () => {
    const c = await login(s.app, OWNER.email, OWNER.password);
    expect((await c.call('POST', '/api/auth/logout')).statusCode).toBe(200);
    expect((await c.call('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('answers unknown API routes with a JSON 404 and other paths with the build hint page', async () => {
    const r = await owner.call('GET', '/api/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('store.not_found');
    const page = await s.app.inject({ method: 'GET', url: '/flows/abc' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build');
  });

  it('publishes its OpenAPI document', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/envs/{env}/connections',
        '/api/runs/{id}/events',
        '/api/oauth/callback',
      ]),
    );
  });
});
