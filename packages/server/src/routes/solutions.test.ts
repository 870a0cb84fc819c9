import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, countingFlow, login, testServer, type Caller, type TestServer } from '../test-support.js';

let s: TestServer;
let owner: Caller;

beforeAll(async () => {
  s = await testServer();
  owner = await login(s.app, OWNER.email, OWNER.password);
});
afterAll(async () => s.close());

function multipart(parts: { name: string; file: string; type: string; body: Buffer }[]): {
  payload: Buffer;
  contentType: string;
} {
  const boundary = `----patchbay${Date.now()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.file}"\r\nContent-Type: ${p.type}\r\n\r\n`,
      ),
      p.body,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('solutions', () => {
  it('exports a zip, answers its settings template, and imports it into another environment', async () => {
    const flow = (await owner.call('POST', '/api/envs/default/flows', { definition: countingFlow('Shipped') })).json();
    expect(
      (await owner.call('POST', '/api/envs/default/solutions', { name: 'Shipping', flowIds: [flow.id] })).statusCode,
    ).toBe(200);
    const list = (await owner.call('GET', '/api/envs/default/solutions')).json();
    expect(list).toEqual([expect.objectContaining({ name: 'Shipping', flows: [{ id: flow.id, name: 'Shipped' }] })]);

    const zip = await owner.call('GET', '/api/envs/default/solutions/Shipping/export');
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');

    const settings = await owner.call('POST', '/api/envs/default/solutions/settings', zip.rawPayload, {
      'content-type': 'application/zip',
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({
      EnvironmentVariables: expect.any(Array),
      ConnectionReferences: expect.any(Array),
    });

    await owner.call('POST', '/api/environments', { name: 'prod' });
    const form = multipart([
      { name: 'solution', file: 'Shipping.zip', type: 'application/zip', body: zip.rawPayload },
      { name: 'settings', file: 'settings.json', type: 'application/json', body: Buffer.from(settings.body) },
    ]);
    const imported = await owner.call('POST', '/api/envs/prod/solutions/import', form.payload, {
      'content-type': form.contentType,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().flows).toEqual([expect.objectContaining({ name: 'Shipped', enabled: true })]);
    expect((await owner.call('GET', '/api/envs/prod/flows')).json().map((f: { name: string }) => f.name)).toEqual([
      'Shipped',
    ]);
    // The import is in the audit log of the environment it went into.
    expect((await owner.call('GET', '/api/audit?env=prod&action=solution.import')).json()).toEqual([
      expect.objectContaining({
        actor: { id: owner.user.id, email: OWNER.email },
        target: 'Shipping',
        outcome: 'ok',
        detail: expect.objectContaining({ flows: 1 }),
      }),
    ]);
  });

  it('refuses an import without a solution file, naming the field', async () => {
    const form = multipart([
      { name: 'settings', file: 'settings.json', type: 'application/json', body: Buffer.from('{}') },
    ]);
    const r = await owner.call('POST', '/api/envs/default/solutions/import', form.payload, {
      'content-type': form.contentType,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.pointer).toBe('/body/solution');
  });

  it('answers 400 for a body that is not a zip', async () => {
    const r = await owner.call('POST', '/api/envs/default/solutions/settings', Buffer.from('not a zip'), {
      'content-type': 'application/zip',
    });
    expect(r.statusCode).toBe(400);
  });
});
