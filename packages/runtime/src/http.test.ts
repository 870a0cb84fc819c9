import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { httpRequest } from './http.js';
import { tempFolder } from './actions.test-support.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-multi', ['a', 'b']);
        res.end(
          JSON.stringify({
            method: req.method,
            body: Buffer.concat(chunks).toString('utf8'),
            auth: req.headers.authorization ?? null,
          }),
        );
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.end('late'), 5000).unref();
      } else if (url.pathname === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', '/echo');
        res.end();
      } else if (url.pathname === '/loop') {
        res.statusCode = 302;
        res.setHeader('location', '/loop');
        res.end();
      } else {
        res.statusCode = 404;
        res.end('not here');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('host HTTP', () => {
  it('sends method, headers and body, and returns status, headers and body', async () => {
    const res = await httpRequest({
      method: 'post',
      url: `${base}/echo`,
      headers: { authorization: 'Bearer t' },
      body: 'hello',
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-multi']).toBe('a, b');
    expect(JSON.parse(new TextDecoder().decode(res.body))).toEqual({ method: 'POST', body: 'hello', auth: 'Bearer t' });
  });

  it('returns error statuses as they are and follows redirects', async () => {
    expect((await httpRequest({ method: 'GET', url: `${base}/missing` })).status).toBe(404);
    expect((await httpRequest({ method: 'GET', url: `${base}/redirect` })).status).toBe(200);
  });

  it('times out with a clear error that leaves the query out', async () => {
    const e = httpRequest({ method: 'GET', url: `${base}/slow?token=secret`, timeoutMs: 200 });
    await expect(e).rejects.toMatchObject({
      code: 'action.failed',
      retryable: true,
      message: `GET ${base}/slow timed out after 0.2 s.`,
    });
  });

  it('is cancelled mid-request through the signal', async () => {
    const ac = new AbortController();
    const pending = httpRequest({ method: 'GET', url: `${base}/slow`, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(pending).rejects.toMatchObject({ code: 'run.cancelled' });
  });

  it('explains bad URLs, refused connections and redirect loops', async () => {
    await expect(httpRequest({ method: 'GET', url: 'not a url' })).rejects.toMatchObject({
      code: 'action.param',
      message: expect.stringMatching(/not a valid URL/),
    });
    await expect(httpRequest({ method: 'GET', url: 'ftp://127.0.0.1/x' })).rejects.toThrow(/ftp: is not supported/);
    for (const url of [
      'http://exa mple.com/reports?token=s3cret-q',
      'https://bot:s3cret-pw@exa mple.com/x',
      'https://[bad/#s3cret-f',
    ]) {
      const e = await httpRequest({ method: 'GET', url }).then(
        () => new Error('expected a failure'),
        (err: unknown) => err as Error,
      );
      expect(e).toMatchObject({ code: 'action.param', message: expect.stringMatching(/not a valid URL/) });
      expect(e.message).not.toMatch(/s3cret/);
    }
    await expect(httpRequest({ method: 'GET', url: 'http://exa mple.com/reports?token=s3cret-q' })).rejects.toThrow(
      '"http://exa mple.com/reports" is not a valid URL.',
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(httpRequest({ method: 'GET', url: `http://user:pw@127.0.0.1:${port}/x?k=v` })).rejects.toMatchObject({
      message: `GET http://127.0.0.1:${port}/x failed: the connection was refused.`,
    });
    await expect(httpRequest({ method: 'GET', url: `${base}/loop` })).rejects.toThrow(/redirected too many times/);
  });

  it('streams a download into a file', async () => {
    const { dir, cleanup } = await tempFolder();
    try {
      const target = path.join(dir, 'out.json');
      const res = await httpRequest({ method: 'GET', url: `${base}/echo`, saveTo: target });
      expect(res.body.length).toBe(0);
      expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ method: 'GET' });
    } finally {
      await cleanup();
    }
  });
});
