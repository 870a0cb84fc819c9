/**
 * Solutions: list, create, export as a zip, the deployment settings template
 * of a zip, and import (multipart: `solution` zip + optional `settings` JSON).
 */
import { Type } from 'typebox';
import { PatchbayError } from '@patchbay/core';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';

const EnvOnly = Type.Object({ env: Type.String({ minLength: 1 }) });
const MAX_ZIP = 64 * 1024 * 1024;

export async function solutionRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.addContentTypeParser(
    ['application/zip', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_ZIP },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/envs/:env/solutions',
    { config: { access: 'user', permission: 'env.read' }, schema: { tags: ['solutions'], params: EnvOnly } },
    async (request) => {
      const env = request.params.env;
      const actor = requireActor(request);
      const solutions = await platform.solutions.list(actor, env);
      const flows = new Map((await platform.flows.list(actor, env)).map((f) => [f.id, f.name]));
      return solutions.map((s) => ({
        name: s.name,
        displayName: s.displayName,
        version: s.version,
        flows: s.flowIds.filter((id) => flows.has(id)).map((id) => ({ id, name: flows.get(id) ?? '' })),
      }));
    },
  );

  app.post(
    '/api/envs/:env/solutions',
    {
      config: { access: 'user', permission: 'env.make' },
      schema: {
        tags: ['solutions'],
        params: EnvOnly,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          flowIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000 }),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
          version: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const s = await platform.solutions.create(requireActor(request), request.params.env, b.name, b.flowIds, {
        ...(b.displayName ? { displayName: b.displayName } : {}),
        ...(b.version ? { version: b.version } : {}),
      });
      return { name: s.name, displayName: s.displayName, version: s.version, flowIds: s.flowIds };
    },
  );

  app.get(
    '/api/envs/:env/solutions/:name/export',
    {
      config: { access: 'user', permission: 'env.make' },
      schema: {
        tags: ['solutions'],
        params: Type.Object({ env: Type.String({ minLength: 1 }), name: Type.String({ minLength: 1 }) }),
        description: 'The solution as application/zip.',
      },
    },
    async (request, reply) => {
      const bytes = await platform.solutions.exportZip(requireActor(request), request.params.env, request.params.name);
      const file = `${request.params.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.zip`;
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(Buffer.from(bytes));
    },
  );

  app.post(
    '/api/envs/:env/solutions/settings',
    {
      config: { access: 'user', permission: 'signed-in' },
      bodyLimit: MAX_ZIP,
      schema: {
        tags: ['solutions'],
        params: EnvOnly,
        description: 'Body: the solution zip (application/zip). Answers its deployment settings template.',
      },
    },
    async (request) => {
      requireActor(request);
      if (!Buffer.isBuffer(request.body))
        throw new PatchbayError(
          'store.invalid',
          'Send the solution zip as the body with content-type application/zip.',
        );
      return platform.solutions.createSettings(new Uint8Array(request.body));
    },
  );

  app.post(
    '/api/envs/:env/solutions/import',
    {
      config: { access: 'user', permission: 'env.make' },
      schema: {
        tags: ['solutions'],
        params: EnvOnly,
        description: 'multipart/form-data: `solution` (zip) and `settings` (deployment settings JSON file, optional).',
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!request.isMultipart())
        throw new PatchbayError(
          'store.invalid',
          'Send multipart/form-data with a `solution` zip and a `settings` JSON file.',
        );
      let zip: Buffer | undefined;
      let settings: string | undefined;
      let settingsFile: string | undefined;
      for await (const part of request.parts({ limits: { fileSize: MAX_ZIP, files: 2, fields: 4 } })) {
        if (part.type !== 'file') continue;
        const bytes = await part.toBuffer();
        if (part.fieldname === 'solution') zip = bytes;
        else if (part.fieldname === 'settings') {
          settings = bytes.toString('utf8');
          settingsFile = part.filename || 'settings.json';
        }
      }
      if (!zip)
        throw new PatchbayError('store.invalid', 'The upload has no `solution` file.', {
          place: { pointer: '/body/solution' },
          hint: 'Attach the exported solution zip as `solution`.',
        });
      const r = await platform.solutions.import(
        actor,
        new Uint8Array(zip),
        request.params.env,
        settings,
        settingsFile ? { settingsFile } : {},
      );
      return {
        flows: r.flows.map((f) => ({ id: f.id, name: f.name, enabled: f.enabled })),
        unbound: r.unbound.map((u) => ({ logicalName: u.logicalName, connectorId: u.connectorId, flows: u.flows })),
        references: r.references,
        variables: r.variables,
        connectors: r.connectors,
      };
    },
  );
}
