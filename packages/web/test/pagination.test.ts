/**
 * Pagination as Power Automate shows it: a pageable connector action's
 * dialog has "Pagination" and "Threshold"; off, the run reads one page; on,
 * it gathers pages up to the threshold, and the flow file keeps the setting.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, startService, type Designer } from './support.js';
import { dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

const TOTAL = 9;
const PAGE = 2;
let designer: Designer;
let browser: Browser;
let service: Awaited<ReturnType<typeof startService>>;

function journalApi(baseUrl: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Journal', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ api_key: [] }],
    paths: {
      '/lines': {
        get: {
          operationId: 'ListLines',
          summary: 'List lines',
          'x-ms-pageable': { nextLinkName: 'next', itemName: 'value' },
          parameters: [{ name: 'from', in: 'query', schema: { type: 'integer' } }],
          responses: {
            200: {
              description: 'One page of lines',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { value: { type: 'array', items: { type: 'object' } }, next: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  });
}

beforeAll(async () => {
  service = await startService((r) => {
    if (r.headers['x-api-key'] !== 'journal-key') return { status: 401, body: { error: 'bad key' } };
    const from = Number(new URL(r.path, 'http://x').searchParams.get('from') ?? 0);
    const value = Array.from({ length: Math.min(PAGE, TOTAL - from) }, (_, i) => ({ line: from + i + 1 }));
    const next = from + PAGE < TOTAL ? `${service.url}/lines?from=${from + PAGE}` : undefined;
    return { status: 200, body: { value, ...(next ? { next } : {}) } };
  });
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  await service?.close();
});

it('turns pagination on with a threshold in the action dialog, and the run gathers pages up to it', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', { openapi: journalApi(service.url) });
  const { connection } = await callApi<{ connection: { id: string } }>(
    context,
    url,
    'POST',
    '/api/envs/default/connections',
    {
      connectorId: 'journal',
      displayName: 'Journal (me)',
      scheme: 'api_key',
      secrets: { api_key: 'journal-key' },
      baseUrl: service.url,
    },
  );
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_journal',
    displayName: 'Journal',
    connectorId: 'journal',
    connectionId: connection.id,
  });
  const flow = await callApi<{ id: string }>(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Read the journal',
      outputs: { Lines: { type: 'object' } },
      steps: [],
    },
  });

  await page.reload();
  await page.getByRole('button', { name: 'Read the journal', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  await workspace.waitFor();
  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('list lines');
  await dragFromLibrary(page, actions.getByRole('button', { name: 'List lines', exact: true }));

  const dialog = page.getByRole('dialog', { name: 'Journal: List lines' });
  await dialog.waitFor();
  const pagination = dialog.getByRole('switch', { name: 'Pagination' });
  const threshold = dialog.getByRole('spinbutton', { name: 'Threshold' });
  expect(await pagination.isChecked()).toBe(false);
  expect(await threshold.isDisabled()).toBe(true);
  await pagination.check();
  await threshold.fill('5');
  await dialog.getByRole('textbox', { name: 'Variable name for body' }).fill('Lines');
  await shot(page, 'pagination', '01-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await saveFlow(page);

  expect(await runFlow(page)).toBe('succeeded');
  // Pages of 2: three requests gather 6 lines, cut to the threshold of 5.
  expect(service.received.map((r) => r.path)).toEqual(['/lines', '/lines?from=2', '/lines?from=4']);
  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    url,
    'GET',
    `/api/flows/${flow.id}`,
  );
  expect(saved.definition.steps[0]).toMatchObject({
    connector: 'journal',
    operation: 'ListLines',
    connectionReference: 'pb_journal',
    pagination: { threshold: 5 },
  });
  const outputs = await page.getByRole('table', { name: 'Run outputs' }).innerText();
  expect(outputs).toContain('"line":5');
  expect(outputs).not.toContain('"line":6');
  await context.close();
}, 90_000);
