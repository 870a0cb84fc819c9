/**
 * An OAuth2 connection made in the browser: a connector action with an
 * authorization-code scheme, "Add new connection reference" with a new
 * connection, Sign in in a popup against a local authorization server
 * (oauth2-mock-server), back through the server's /api/oauth/callback; the
 * connection ends up connected, and a run calls the service with the token.
 * A denied sign-in retried signs the same connection in; a sign-in window
 * closed early and then Cancel offers to delete the connection it left.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OAuth2Server, type MutableRedirectUri } from 'oauth2-mock-server';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, startService, type Designer } from './support.js';
import { addOutputVariable, createFlow, dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

const CLIENT_SECRET = 'vault-client-secret-5d2e';
let designer: Designer;
let browser: Browser;
let vault: Awaited<ReturnType<typeof startService>>;
const auth = new OAuth2Server();
/** Token requests the authorization server answered, by grant type. */
const grants: string[] = [];
/** Access tokens the authorization server issued; the service accepts only these. */
const live = new Set<string>();

function vaultOpenApi(api: string, issuer: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Vault', version: '1.0.0' },
    servers: [{ url: api }],
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${issuer}/authorize`,
              tokenUrl: `${issuer}/token`,
              refreshUrl: `${issuer}/token`,
              scopes: { 'vault.read': 'Read' },
            },
          },
        },
      },
    },
    security: [{ oauth: ['vault.read'] }],
    paths: {
      '/me': {
        get: {
          operationId: 'Me',
          summary: 'Who am I',
          responses: {
            200: {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'object', properties: { user: { type: 'string' } } } } },
            },
          },
        },
      },
    },
  });
}

beforeAll(async () => {
  await auth.issuer.keys.generate('RS256');
  await auth.start(0, '127.0.0.1');
  auth.service.on(
    'beforeResponse',
    (
      res: { body: Record<string, unknown> },
      req: { body: Record<string, string>; headers: Record<string, string> },
    ) => {
      grants.push(req.body.grant_type);
      if (typeof res.body.access_token === 'string') live.add(res.body.access_token);
    },
  );
  vault = await startService((r) =>
    live.has(String(r.headers.authorization ?? '').replace(/^Bearer /, ''))
      ? { status: 200, body: { user: 'johndoe' } }
      : { status: 401, body: { error: 'invalid_token' } },
  );
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  await vault?.close();
  await auth.stop();
});

it('signs in to an OAuth2 connection in a popup through the server callback; the connection is connected and a run uses its token', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  await callApi(context, designer.url, 'POST', '/api/envs/default/connectors', {
    openapi: vaultOpenApi(vault.url, String(auth.issuer.url)),
  });

  await createFlow(page, 'Who am I');
  await addOutputVariable(page, 'Me', 'object');
  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('who am');
  await dragFromLibrary(page, actions.getByRole('button', { name: 'Who am I', exact: true }));
  await page
    .getByRole('dialog', { name: 'Connection reference needed' })
    .getByRole('button', { name: 'Add new connection reference' })
    .click();

  const addRef = page.getByRole('dialog', { name: 'Add new connection reference' });
  await addRef.getByRole('textbox', { name: 'Connection name' }).fill('My vault');
  await addRef.getByRole('textbox', { name: 'Client ID' }).fill('patchbay-designer');
  await addRef.getByLabel('Client secret').fill(CLIENT_SECRET);
  expect(await addRef.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
  await shot(page, 'oauth', '01-new-reference');

  const visited: string[] = [];
  context.on('request', (r) => visited.push(r.url()));
  const popupOpened = page.waitForEvent('popup');
  await addRef.getByRole('button', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await popup.waitForEvent('close', { timeout: 15_000 });
  await addRef.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor();
  expect(grants).toEqual(['authorization_code']);
  const authorize = new URL(
    visited.find((u) => u.startsWith(`${String(auth.issuer.url)}/authorize`)) ?? 'http://missing',
  );
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${designer.url}/api/oauth/callback`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(visited.some((u) => u.startsWith(`${designer.url}/api/oauth/callback?`))).toBe(true);
  await shot(page, 'oauth', '02-signed-in');
  await addRef.getByRole('button', { name: 'Create' }).click();
  await addRef.waitFor({ state: 'detached' });

  const dialog = page.getByRole('dialog', { name: 'Vault: Who am I' });
  await dialog.getByTestId('chosen-reference').filter({ hasText: 'Vault — My vault (connected)' }).waitFor();
  await dialog.getByRole('textbox', { name: 'Variable name for body' }).fill('Me');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await saveFlow(page);
  expect(await runFlow(page)).toBe('succeeded');
  expect(await page.getByRole('table', { name: 'Run outputs' }).innerText()).toContain('johndoe');
  expect(vault.received).toHaveLength(1);
  await shot(page, 'oauth', '03-run');

  await page.getByRole('tab', { name: 'Connections' }).click();
  const row = page.getByRole('table', { name: 'Connections' }).getByRole('row').filter({ hasText: 'My vault' });
  await row.getByText('connected', { exact: true }).waitFor();
  await shot(page, 'oauth', '04-connections');
  const [connection] = await callApi<{ status: string; params: Record<string, string> }[]>(
    context,
    designer.url,
    'GET',
    '/api/envs/default/connections?connectorId=vault',
  );
  expect(connection.status).toBe('connected');
  expect(connection.params).toEqual({ client_id: 'patchbay-designer' });
  expect(await page.content()).not.toContain(CLIENT_SECRET);
  await context.close();
}, 90_000);

type Listed = { id: string; displayName: string; status: string };
const vaultConnections = async (context: BrowserContext, name: string) =>
  (await callApi<Listed[]>(context, designer.url, 'GET', '/api/envs/default/connections?connectorId=vault')).filter(
    (c) => c.displayName === name,
  );

/** From a Vault action's dialog: the reference menu → "Add new connection reference", filled in for a new OAuth2 connection. */
async function openNewReference(page: Page, action: Locator, name: string): Promise<Locator> {
  await action.getByRole('button', { name: 'Connection reference' }).click();
  await page.getByRole('menuitem', { name: 'Add new connection reference' }).click();
  const addRef = page.getByRole('dialog', { name: 'Add new connection reference' });
  await addRef.getByRole('textbox', { name: 'Connection name' }).fill(name);
  await addRef.getByRole('textbox', { name: 'Client ID' }).fill('patchbay-designer');
  await addRef.getByLabel('Client secret').fill(CLIENT_SECRET);
  return addRef;
}

it('signs the same connection in again after a denied sign-in, and offers to delete the connection an abandoned sign-in left', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  await createFlow(page, 'Sign in twice');
  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('who am');
  await dragFromLibrary(page, actions.getByRole('button', { name: 'Who am I', exact: true }));
  const action = page.getByRole('dialog', { name: 'Vault: Who am I' });
  await action.waitFor();

  // The provider denies the first sign-in.
  let addRef = await openNewReference(page, action, 'Vault retried');
  auth.service.once('beforeAuthorizeRedirect', (redirect: MutableRedirectUri) => {
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', 'access_denied');
  });
  const denied = page.waitForEvent('popup');
  await addRef.getByRole('button', { name: 'Sign in' }).click();
  await (await denied).waitForEvent('close');
  await addRef.getByRole('status').filter({ hasText: 'Sign-in did not finish' }).waitFor();
  expect(await addRef.getByRole('alert').innerText()).toContain('access_denied');
  const [waiting] = await vaultConnections(context, 'Vault retried');
  expect(waiting.status).toBe('needs-reauth');
  await shot(page, 'oauth', '05-sign-in-denied');

  // Sign in again: the same connection, now connected; no second one.
  const retried = page.waitForEvent('popup');
  await addRef.getByRole('button', { name: 'Sign in' }).click();
  await (await retried).waitForEvent('close');
  await addRef.getByRole('status').filter({ hasText: 'Signed in.' }).waitFor();
  expect(await vaultConnections(context, 'Vault retried')).toEqual([
    expect.objectContaining({ id: waiting.id, status: 'connected' }),
  ]);
  await addRef.getByRole('button', { name: 'Create' }).click();
  await addRef.waitFor({ state: 'detached' });
  await action.getByTestId('chosen-reference').filter({ hasText: 'Vault retried (connected)' }).waitFor();

  // The person closes the sign-in window before it finishes, then cancels: the designer offers to delete the waiting connection.
  addRef = await openNewReference(page, action, 'Vault abandoned');
  await context.route(`${String(auth.issuer.url)}/authorize**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<p>Sign in to Vault</p>' }),
  );
  const abandoned = page.waitForEvent('popup');
  await addRef.getByRole('button', { name: 'Sign in' }).click();
  const popup = await abandoned;
  await popup.getByText('Sign in to Vault').waitFor();
  await popup.close();
  await addRef.getByRole('status').filter({ hasText: 'Sign-in did not finish' }).waitFor();
  expect(await vaultConnections(context, 'Vault abandoned')).toEqual([
    expect.objectContaining({ status: 'needs-reauth' }),
  ]);
  await addRef.getByRole('button', { name: 'Cancel' }).click();
  const discard = page.getByRole('dialog', { name: 'Unfinished connection' });
  await discard.getByText('Vault abandoned').waitFor();
  await shot(page, 'oauth', '06-unfinished-connection');
  await discard.getByRole('button', { name: 'Delete connection' }).click();
  await discard.waitFor({ state: 'detached' });
  expect(await vaultConnections(context, 'Vault abandoned')).toEqual([]);
  expect(await vaultConnections(context, 'Vault retried')).toHaveLength(1);
  await action.waitFor();
  expect(await page.content()).not.toContain(CLIENT_SECRET);
  await context.close();
}, 90_000);
