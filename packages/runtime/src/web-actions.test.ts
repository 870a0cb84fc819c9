import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { actionError, nodeContext, runAction, tempFolder } from './actions.test-support.js';

let server: Server;
let base: string;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.pathname) {
        case '/api':
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.end(
            JSON.stringify({
              method: req.method,
              contentType: req.headers['content-type'] ?? null,
              accept: req.headers.accept ?? null,
              key: req.headers['x-key'] ?? null,
              body: Buffer.concat(chunks).toString('utf8'),
              rawHeaderNames: req.rawHeaders.filter((_h, i) => i % 2 === 0).map((h) => h.toLowerCase()),
            }),
          );
          return;
        case '/latin1':
          res.setHeader('content-type', 'text/plain; charset=iso-8859-1');
          res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
          return;
        case '/report':
          res.setHeader('content-disposition', 'attachment; filename="Q1 report.csv"');
          res.end('a,b\n1,2\n');
          return;
        case '/files/data.bin':
          res.end(Buffer.from([1, 2, 3]));
          return;
        case '/slow':
          res.flushHeaders();
          setTimeout(() => res.end('late'), 5000).unref();
          return;
        case '/echo-token':
          res.end(`{"token": ${req.headers['x-key'] ?? ''}`);
          return;
        default:
          res.statusCode = 500;
          res.end('{"broken": ');
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
beforeEach(async () => ({ dir, cleanup } = await tempFolder()));
afterEach(() => cleanup());

describe('Web.InvokeWebService', () => {
  it('sends a JSON body with headers and parses the JSON response', async () => {
    const out = await runAction('Web.InvokeWebService', {
      url: `${base}/api`,
      method: 'POST',
      headers: { 'X-Key': 'k1' },
      body: { Name: 'Ada' },
      parseJson: true,
    });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({
      method: 'POST',
      contentType: 'application/json',
      accept: 'application/json, text/plain, */*',
      key: 'k1',
      body: '{"Name":"Ada"}',
      rawHeaderNames: expect.any(Array),
    });
    expect((out.headers as Record<string, string>)['content-type']).toMatch(/application\/json/);
  });

  it('sends a Content-Type or Accept given in the custom headers once, in place of the fields', async () => {
    const out = await runAction('Web.InvokeWebService', {
      url: `${base}/api`,
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', ACCEPT: 'text/xml' },
      body: '<a/>',
      parseJson: true,
    });
    const seen = out.body as { contentType: string; accept: string; rawHeaderNames: string[] };
    expect(seen).toMatchObject({ contentType: 'text/xml', accept: 'text/xml' });
    expect(seen.rawHeaderNames.filter((h) => h === 'content-type' || h === 'accept')).toEqual(
      expect.arrayContaining(['content-type', 'accept']),
    );
    expect(seen.rawHeaderNames.filter((h) => h === 'content-type' || h === 'accept')).toHaveLength(2);
  });

  it('takes headers as "Name: value" lines and decodes the response charset', async () => {
    const out = await runAction('Web.InvokeWebService', {
      url: `${base}/api`,
      headers: 'X-Key: from-text\n',
      parseJson: true,
    });
    expect((out.body as { key: string }).key).toBe('from-text');
    expect((await runAction('Web.InvokeWebService', { url: `${base}/latin1` })).body).toBe('café');
    expect(
      (await actionError('Web.InvokeWebService', { url: `${base}/api`, headers: 'no colon here' })).message,
    ).toMatch(/Parameter 'headers': line 1 is not "Name: value"/);
  });

  it('gives error statuses unless asked to fail, and explains bad JSON', async () => {
    expect((await runAction('Web.InvokeWebService', { url: `${base}/boom?secret=1` })).status).toBe(500);
    const e = await actionError('Web.InvokeWebService', { url: `${base}/boom?secret=1`, failOnErrorStatus: true });
    expect(e).toMatchObject({
      code: 'action.failed',
      status: 500,
      retryable: true,
      message: `GET ${base}/boom answered with status 500.`,
    });
    expect((await actionError('Web.InvokeWebService', { url: `${base}/boom`, parseJson: true })).message).toMatch(
      /is not valid JSON/,
    );
    const echoed = await actionError('Web.InvokeWebService', {
      url: `${base}/echo-token`,
      headers: { 'X-Key': 'tok-5ecret' },
      parseJson: true,
    });
    expect(echoed.message).toBe(
      `The response of GET ${base}/echo-token (status 200, 20 characters) is not valid JSON.`,
    );
  });

  it('times out and is cancelled mid-request', async () => {
    expect((await actionError('Web.InvokeWebService', { url: `${base}/slow`, timeoutSeconds: 0.2 })).message).toMatch(
      /timed out after 0.2 s/,
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect(
      (await actionError('Web.InvokeWebService', { url: `${base}/slow` }, nodeContext({ signal: ac.signal }))).code,
    ).toBe('run.cancelled');
  });
});

describe('Web.DownloadFile', () => {
  it('saves under the name the server gives, or the URL names', async () => {
    const out = await runAction('Web.DownloadFile', { url: `${base}/report`, destinationFolder: dir });
    expect(out.file).toMatchObject({ Name: 'Q1 report.csv', Size: 8 });
    expect(await readFile(path.join(dir, 'Q1 report.csv'), 'utf8')).toBe('a,b\n1,2\n');
    await runAction('Web.DownloadFile', { url: `${base}/files/data.bin?x=1`, destinationFolder: dir });
    expect([...(await readFile(path.join(dir, 'data.bin')))]).toEqual([1, 2, 3]);
  });

  it('keeps the download as binary data', async () => {
    expect((await runAction('Web.DownloadFile', { url: `${base}/files/data.bin`, saveTo: 'binary' })).binary).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });

  it('follows the if-exists policy and leaves no part file after a failure', async () => {
    await writeFile(path.join(dir, 'keep.csv'), 'old');
    expect(
      (
        await actionError('Web.DownloadFile', {
          url: `${base}/report`,
          destinationFolder: dir,
          fileName: 'keep.csv',
          ifFileExists: 'fail',
        })
      ).message,
    ).toMatch(/already exists/);
    expect(
      (
        await runAction('Web.DownloadFile', {
          url: `${base}/report`,
          destinationFolder: dir,
          fileName: 'keep.csv',
          ifFileExists: 'doNothing',
        })
      ).file,
    ).toBeNull();
    expect(await readFile(path.join(dir, 'keep.csv'), 'utf8')).toBe('old');
    expect((await actionError('Web.DownloadFile', { url: `${base}/boom`, destinationFolder: dir })).status).toBe(500);
    expect(
      (await actionError('Web.DownloadFile', { url: `${base}/slow`, destinationFolder: dir, timeoutSeconds: 0.2 }))
        .message,
    ).toMatch(/timed out/);
    expect(await readdir(dir)).toEqual(['keep.csv']);
    expect((await actionError('Web.DownloadFile', { url: `${base}/report` })).message).toMatch(
      /Parameter 'destinationFolder'/,
    );
  });
});
