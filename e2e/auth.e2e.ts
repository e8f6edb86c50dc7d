import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { heading, signOut, submitSignIn, visible } from './harness/actions.ts';
import { connectBrowser, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './harness/server.ts';

describe('signing in', () => {
  const server = { url: inject('serverUrl') };
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows an error for a wrong password and stays on the sign-in page', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, 'not the password at all');
    const alert = await visible(
      page.getByRole('alert').filter({ hasText: 'Invalid email or password' }),
    );
    expect(await alert.textContent()).toContain('Invalid email or password');
    await visible(heading(page, 'Sign in'));
    await screenshot(page, 'sign-in-wrong-password');
    await context.close();
  });

  it('signs in to the dashboard, returns to the page asked for, and signs out', async () => {
    const { page, context } = await newSession(browser, server.url);
    await page.goto('/login');
    await screenshot(page, 'sign-in');

    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    await visible(page.getByRole('region', { name: 'Total users' }));
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of [
      'Dashboard',
      'Users',
      'Audit log',
      'Roles',
      'Staff',
      'Ingestion',
      'Dead letters',
    ])
      await visible(nav.getByRole('menuitem', { name: item }));
    await screenshot(page, 'dashboard');

    // A deep link without a session goes through sign-in and comes back.
    await signOut(page);
    await page.goto('/access/roles');
    await visible(heading(page, 'Sign in'));
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/access/roles');
    await page.getByLabel('Email', { exact: true }).fill(ADMIN_EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(heading(page, 'Roles'));
    expect(new URL(page.url()).pathname).toBe('/access/roles');

    // Unknown pages say so.
    await page.goto('/no/such/page');
    await visible(page.getByText('This page does not exist'));
    await context.close();
  });

  it('remembers dark mode', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    const toggle = page.getByRole('switch', { name: 'Dark mode' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await page.reload();
    await visible(heading(page, 'Dashboard'));
    expect(await page.getByRole('switch', { name: 'Dark mode' }).getAttribute('aria-checked')).toBe(
      'true',
    );
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'dashboard-dark');
    await context.close();
  });
});
