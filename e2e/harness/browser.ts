import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { docsScreenshotDir, screenshotDir } from './paths.ts';

/** The flags of issue 8: Debian's chromium, headless, nothing running in the background. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Connects to the Chromium the global setup launched (Playwright gives it a fresh, temporary
 * --user-data-dir of its own); every session below is a separate browser context.
 */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserEndpoint'));
}

/** Pages of the running test, screenshotted by harness/setup.ts if it fails. */
export const openPages = new Set<Page>();

/** What went wrong inside the pages without failing a step: uncaught errors, CSP violations. */
export const pageProblems: string[] = [];

/** A separate browser profile (storage, cookies) at the server's URL. */
export async function newSession(
  browser: Browser,
  baseURL: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1366, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-GB',
  });
  // Generous: CI machines are shared (a click waited more than 20 s for the menu beside the server's
  // tests on 2 cores); a healthy run waits far less.
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.on('pageerror', (error) => pageProblems.push(`uncaught error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy'))
      pageProblems.push(message.text());
  });
  return { context, page };
}

/** Saves the screen as e2e/screenshots/<name>.png (git-ignored), once the page has settled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.png`),
    fullPage: true,
    // Drawers and dialogs slide in: capture where they end, not half-way.
    animations: 'disabled',
  });
}

/**
 * With E2E_DOCS_SCREENSHOTS=1, also saves the visible screen (not the whole page) as
 * docs/screenshots/<name>.png, the pictures the README shows. Off by default: a test run should not
 * change files that are checked in.
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_DOCS_SCREENSHOTS !== '1') return;
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({
    path: path.join(docsScreenshotDir, `${name}.png`),
    animations: 'disabled',
  });
}
