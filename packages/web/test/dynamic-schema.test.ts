/**
 * Dynamic schemas end to end, as Power Automate shows them: after the user
 * picks a list, the action dialog shows the fields the service gives for
 * that list, the Variables pane shows the typed fields of the response, and
 * the run sends what was filled in.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, startService, type Designer } from './support.js';
import { dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

let designer: Designer;
let browser: Browser;
let service: Awaited<ReturnType<typeof startService>>;

const LIST_SCHEMA = {
  type: 'object',
  required: ['Title'],
  properties: {
    Title: { type: 'string', 'x-ms-summary': 'Title' },
    Due: { type: 'string', format: 'date', 'x-ms-summary': 'Due date' },
    Points: { type: 'integer', 'x-ms-summary': 'Points' },
  },
};

/** A Power Platform style definition: a list picked from dynamic values, an item shaped by the list's schema. */
function listsApi(baseUrl: string): string {
  const u = new URL(baseUrl);
  const bySchema = { operationId: 'GetListSchema', parameters: { listId: { parameter: 'listId' } } };
  return JSON.stringify({
    swagger: '2.0',
    info: { title: 'Lists', version: '1.0' },
    host: u.host,
    basePath: '/',
    schemes: ['http'],
    securityDefinitions: { api_key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    security: [{ api_key: [] }],
    paths: {
      '/lists': {
        get: {
          operationId: 'ListLists',
          'x-ms-visibility': 'internal',
          responses: { 200: { description: 'Lists', schema: { type: 'array', items: { type: 'object' } } } },
        },
      },
      '/lists/{listId}/schema': {
        get: {
          operationId: 'GetListSchema',
          'x-ms-visibility': 'internal',
          parameters: [{ name: 'listId', in: 'path', required: true, type: 'string' }],
          responses: { 200: { description: 'The schema of an item', schema: { type: 'object' } } },
        },
      },
      '/lists/{listId}/items': {
        post: {
          operationId: 'CreateItem',
          summary: 'Create item',
          parameters: [
            {
              name: 'listId',
              in: 'path',
              required: true,
              type: 'string',
              'x-ms-summary': 'List',
              'x-ms-dynamic-values': { operationId: 'ListLists', 'value-path': 'id', 'value-title': 'name' },
            },
            {
              name: 'item',
              in: 'body',
              required: true,
              'x-ms-summary': 'Item',
              schema: { type: 'object', 'x-ms-dynamic-schema': bySchema },
            },
          ],
          responses: {
            200: { description: 'The item', schema: { type: 'object', 'x-ms-dynamic-schema': bySchema } },
          },
        },
      },
    },
  });
}

beforeAll(async () => {
  service = await startService((r) => {
    if (r.headers['x-api-key'] !== 'lists-key') return { status: 401, body: { error: 'bad key' } };
    if (r.path === '/lists') return { status: 200, body: [{ id: 'tasks', name: 'Tasks' }] };
    if (r.path === '/lists/tasks/schema') return { status: 200, body: LIST_SCHEMA };
    if (r.method === 'POST' && r.path === '/lists/tasks/items')
      return { status: 200, body: { id: 7, ...(r.body as object) } };
    return { status: 404, body: { error: `no ${r.path}` } };
  });
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  await service?.close();
});

it('shows the fields the service gives once the list is picked, types the response, and the run sends them', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', { openapi: listsApi(service.url) });
  const { connection } = await callApi<{ connection: { id: string } }>(
    context,
    url,
    'POST',
    '/api/envs/default/connections',
    {
      connectorId: 'lists',
      displayName: 'Lists (me)',
      scheme: 'api_key',
      secrets: { api_key: 'lists-key' },
      baseUrl: service.url,
    },
  );
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_lists',
    displayName: 'Lists',
    connectorId: 'lists',
    connectionId: connection.id,
  });
  const flow = await callApi<{ id: string }>(context, url, 'POST', '/api/envs/default/flows', {
    definition: { schema: 'patchbay/flow@1', name: 'Add a task', steps: [] },
  });

  await page.reload();
  await page.getByRole('button', { name: 'Add a task', exact: true }).click();
  await page.getByRole('listbox', { name: 'Workspace' }).waitFor();
  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('create item');
  await dragFromLibrary(page, actions.locator('[data-action-id="lists/CreateItem"]'));

  const dialog = page.getByRole('dialog', { name: 'Lists: Create item' });
  await dialog.waitFor();
  await dialog.getByText('Choose "List" to load the fields of Item.').waitFor();
  const list = dialog.getByRole('combobox', { name: 'List' });
  await list.click();
  await page.getByRole('option', { name: 'Tasks' }).click();
  const fields = dialog.getByRole('group', { name: 'Fields of Item' });
  await fields.waitFor();
  await fields.getByRole('textbox', { name: 'Title' }).fill('Buy milk');
  await fields.getByRole('textbox', { name: 'Points' }).fill('3');
  await dialog.getByRole('textbox', { name: 'Variable name for body' }).fill('Task');
  await shot(page, 'dynamic-schema', '01-fields');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  const typed = page.getByRole('list', { name: 'Fields of Task' });
  await typed.waitFor();
  expect(await typed.getByRole('listitem').allInnerTexts()).toEqual([
    expect.stringMatching(/^Task\.Title\s+string$/),
    expect.stringMatching(/^Task\.Due\s+string$/),
    expect.stringMatching(/^Task\.Points\s+integer$/),
  ]);
  await shot(page, 'dynamic-schema', '02-variables');
  await saveFlow(page);
  expect(await runFlow(page)).toBe('succeeded');

  const post = service.received.find((r) => r.method === 'POST');
  expect(post?.path).toBe('/lists/tasks/items');
  expect(post?.body).toEqual({ Title: 'Buy milk', Points: 3 });
  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    url,
    'GET',
    `/api/flows/${flow.id}`,
  );
  expect(saved.definition.steps[0]).toMatchObject({
    connector: 'lists',
    operation: 'CreateItem',
    params: { listId: 'tasks', Title: 'Buy milk', Points: 3 },
  });
  await context.close();
}, 90_000);
