import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../test-support.js';

let s: TestServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'patchbay-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root">designer</div>');
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  s = await testServer({ webRoot: root });
});
afterAll(async () => {
  await s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the designer files', () => {
  it('serves the built files, with the app for any page path, 404 for missing assets, JSON for API paths', async () => {
    const index = await s.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('designer');
    expect((await s.app.inject({ method: 'GET', url: '/assets/app-1a2b.js' })).body).toContain('console.log');
    const deep = await s.app.inject({ method: 'GET', url: '/envs/default/flows/flow_1' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('designer');
    expect((await s.app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    // Unknown API paths are not the app: signed out, they answer 401 JSON (signed in, 404 JSON).
    const api = await s.app.inject({ method: 'GET', url: '/api/missing' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('auth.denied');
  });

  it('serves asset files that a rebuild added after the server started, and still nothing outside the folder', async () => {
    mkdirSync(join(root, 'assets', 'chunks'));
    writeFileSync(join(root, 'assets', 'app-9f8e.js'), 'console.log("rebuilt")');
    writeFileSync(join(root, 'assets', 'chunks', 'flows-77aa.css'), '.flows{}');
    const added = await s.app.inject({ method: 'GET', url: '/assets/app-9f8e.js?v=2' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toBe('console.log("rebuilt")');
    expect(added.headers['content-type']).toMatch(/javascript/);
    const nested = await s.app.inject({ method: 'GET', url: '/assets/chunks/flows-77aa.css' });
    expect(nested.statusCode).toBe(200);
    expect(nested.body).toBe('.flows{}');
    // A file beside the designer's folder must stay out of reach.
    writeFileSync(`${root}-outside.txt`, 'secret');
    try {
      for (const url of [
        `/..%2f${basename(root)}-outside.txt`,
        `/assets/%2e%2e/%2e%2e/${basename(root)}-outside.txt`,
      ]) {
        const r = await s.app.inject({ method: 'GET', url });
        expect(r.statusCode, url).toBe(404);
        expect(r.body, url).not.toContain('secret');
      }
    } finally {
      rmSync(`${root}-outside.txt`);
    }
    // A folder and a page path are still the app.
    expect((await s.app.inject({ method: 'GET', url: '/assets/chunks' })).body).toContain('designer');
    expect((await s.app.inject({ method: 'GET', url: '/runs/run_1' })).body).toContain('designer');
  });
});
