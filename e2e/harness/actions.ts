import type { Locator, Page } from 'playwright-core';

/** Waits until the element is visible (Playwright's auto-wait, without @playwright/test's expect). */
export async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

export async function gone(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden' });
}

/** Fills the sign-in form and submits it. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The page's h1. */
export function heading(page: Page, name: string | RegExp): Locator {
  return page.getByRole('heading', { level: 1, name });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await visible(heading(page, 'Sign in'));
}

/** Chooses an option of an Ant Design select (a combobox with a list in a popup). */
export async function choose(page: Page, combobox: Locator, option: string): Promise<void> {
  await combobox.click();
  const popup = page.locator('.ant-select-dropdown:visible');
  await popup.getByTitle(option, { exact: true }).click();
  // A multiple select stays open after a choice. Escape closes it (and goes no further while it is
  // open, so a dialog around it stays); Tab would toggle the active option.
  if (await popup.isVisible()) await combobox.press('Escape');
  await gone(popup);
}

/** Polls `probe` until it returns a value, for at most `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
