/** Steps the journeys share, driven by the designer's stable roles and names (docs/designer.md). */
import type { Locator, Page } from 'playwright-core';

const FINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Flows page → New flow → name → Create; waits for the editor's workspace. */
export async function createFlow(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New flow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New flow' });
  await dialog.getByRole('textbox', { name: 'Flow name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('listbox', { name: 'Workspace' }).waitFor();
  await page.getByTestId('flow-name').filter({ hasText: name }).waitFor();
}

/** Variables pane → Add output variable → name and type → Save. */
export async function addOutputVariable(page: Page, name: string, type: string): Promise<void> {
  await page.getByRole('button', { name: 'Add output variable' }).click();
  const dialog = page.getByRole('dialog', { name: 'New output variable' });
  await dialog.getByRole('textbox', { name: 'Variable name' }).fill(name);
  await dialog.getByRole('combobox', { name: 'Data type' }).click();
  await page.getByRole('option', { name: type, exact: true }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: `Edit output ${name}` }).waitFor();
}

/** Drags a library item onto the workspace's end drop zone (appends). */
export async function dragFromLibrary(page: Page, item: Locator): Promise<void> {
  await item.dragTo(page.locator('[data-drop="end"]'));
}

/** The toolbar's Save; waits until the editor has no unsaved changes. */
export async function saveFlow(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Flow' }).getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
}

/** The toolbar's Run; waits for a new run to reach a final state and returns its status. */
export async function runFlow(page: Page): Promise<string> {
  const status = page.getByRole('status', { name: 'Run status' });
  const before = (await status.getAttribute('data-run-id')) ?? '';
  await page.getByRole('toolbar', { name: 'Flow' }).getByRole('button', { name: 'Run', exact: true }).click();
  const handle = await page.waitForFunction(
    ({ final, previous }) => {
      const el = document.querySelector('[aria-label="Run status"]');
      const id = el?.getAttribute('data-run-id') ?? '';
      const s = el?.getAttribute('data-run-status') ?? '';
      return id !== '' && id !== previous && final.includes(s) ? s : false;
    },
    { final: FINAL, previous: before },
    { timeout: 20_000 },
  );
  return String(await handle.jsonValue());
}
