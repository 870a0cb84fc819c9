import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
