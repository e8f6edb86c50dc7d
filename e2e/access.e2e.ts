import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { choose, gone, heading, signOut, submitSignIn, visible } from './harness/actions.ts';
import { connectBrowser, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './harness/server.ts';

describe('Access: roles, the permission matrix and staff accounts', () => {
  const server = { url: inject('serverUrl') };
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a custom role, grants permissions in the matrix, and shows the change in its history', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('menuitem', { name: 'Roles' })
      .click();
    await visible(heading(page, 'Roles'));
    await visible(page.getByRole('table', { name: 'Roles' }).getByRole('link', { name: 'Admin' }));
    await screenshot(page, 'roles');

    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog', { name: 'New role' });
    await dialog.getByLabel('Name').fill('Support leads');
    await dialog.getByLabel('Description').fill('Support staff who also read the audit trail');
    await dialog.getByRole('button', { name: 'Create role' }).click();

    await visible(heading(page, /Support leads/));
    const matrix = page.getByRole('table', { name: 'Permissions of Support leads' });
    await visible(matrix);
    const usersRead = matrix.getByRole('checkbox', { name: 'Grant users:read', exact: true });
    expect(await usersRead.isChecked()).toBe(false);
    await usersRead.check();
    await matrix.getByRole('checkbox', { name: 'Grant audit:export', exact: true }).check();

    const saveBar = page.getByRole('region', { name: 'Unsaved changes' });
    await visible(saveBar.getByText('2 permissions changed'));
    await saveBar.getByLabel('Reason for the change').fill('Team leads handle escalations');
    await screenshot(page, 'role-matrix-unsaved');
    await saveBar.getByRole('button', { name: 'Save changes' }).click();
    await gone(saveBar);
    await visible(page.getByText('Permissions saved'));
    expect(
      await matrix.getByRole('checkbox', { name: 'Grant users:read', exact: true }).isChecked(),
    ).toBe(true);

    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByRole('table', { name: 'Role history' });
    const entry = history.getByRole('row').filter({ hasText: 'Permissions changed' });
    await visible(entry);
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('granted');
    expect(text).toContain('users:read');
    expect(text).toContain('audit:export');
    expect(text).toContain('Team leads handle escalations');
    expect(text).toContain(ADMIN_EMAIL);
    await visible(history.getByRole('row').filter({ hasText: 'Created' }));
    await screenshot(page, 'role-history');
    await context.close();
  });

  it('creates a Staff account whose holder signs in with the temporary password, changes it, and has no Access menu', async () => {
    const admin = await newSession(browser, server.url);
    await submitSignIn(admin.page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(admin.page, 'Dashboard'));
    await admin.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('menuitem', { name: 'Staff' })
      .click();
    await visible(heading(admin.page, 'Staff'));

    await admin.page.getByRole('button', { name: 'New staff account' }).click();
    const form = admin.page.getByRole('dialog', { name: 'New staff account' });
    await form.getByLabel('Email').fill('sam@example.com');
    await form.getByLabel('Name').fill('Sam Support');
    await choose(admin.page, form.getByLabel('Roles'), 'Staff');
    await form.getByRole('button', { name: 'Create account' }).click();

    const created = admin.page.getByRole('dialog', { name: 'Staff account created' });
    const password = (
      (await (await visible(created.getByTestId('temporary-password'))).textContent()) ?? ''
    ).trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await screenshot(admin.page, 'staff-created');
    await created.getByRole('button', { name: 'Done' }).click();

    // The list is filterable, and the filter lives in the URL.
    await admin.page.getByRole('searchbox', { name: 'Search staff' }).fill('sam@');
    await admin.page.waitForURL(/search=sam/);
    const staffTable = admin.page.getByRole('table', { name: 'Staff accounts' });
    await visible(staffTable.getByRole('link', { name: 'sam@example.com' }));
    await gone(staffTable.getByRole('link', { name: ADMIN_EMAIL }));
    await screenshot(admin.page, 'staff-list');
    await admin.context.close();

    const staff = await newSession(browser, server.url);
    await submitSignIn(staff.page, 'sam@example.com', password);
    await visible(heading(staff.page, 'Change your password'));
    await screenshot(staff.page, 'forced-password-change');
    await staff.page.getByLabel('Temporary password', { exact: true }).fill(password);
    await staff.page.getByLabel('New password', { exact: true }).fill('a passphrase of my own 42');
    await staff.page
      .getByLabel('New password again', { exact: true })
      .fill('a passphrase of my own 42');
    await staff.page.getByRole('button', { name: 'Change password' }).click();

    await visible(heading(staff.page, 'Dashboard'));
    const nav = staff.page.getByRole('navigation', { name: 'Main' });
    await visible(nav.getByRole('menuitem', { name: 'Users' }));
    expect(await nav.getByText('Access', { exact: true }).count()).toBe(0);
    expect(await nav.getByRole('menuitem', { name: 'Roles' }).count()).toBe(0);
    expect(await nav.getByRole('menuitem', { name: 'Staff' }).count()).toBe(0);
    expect(await nav.getByRole('menuitem', { name: 'Ingestion' }).count()).toBe(0);
    await screenshot(staff.page, 'staff-dashboard');

    // Typing the address of a screen the roles do not open says so.
    await staff.page.goto('/access/roles');
    await visible(staff.page.getByText('Access denied'));

    // The new password works from now on.
    await signOut(staff.page);
    await submitSignIn(staff.page, 'sam@example.com', 'a passphrase of my own 42');
    await visible(heading(staff.page, 'Dashboard'));
    await staff.context.close();
  });

  it('disables a staff account deliberately (typed confirmation and reason), ending its sessions', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    await page.goto('/access/staff?search=sam%40example.com');
    await page
      .getByRole('table', { name: 'Staff accounts' })
      .getByRole('link', { name: 'sam@example.com' })
      .click();
    await visible(heading(page, 'Sam Support'));
    const sessions = page.getByRole('table', { name: 'Live sessions' });
    await visible(
      sessions.getByRole('button', { name: /Revoke session of sam@example.com/ }).first(),
    );

    await page.getByRole('button', { name: 'Disable account' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable sam@example.com?' });
    const disable = confirm.getByRole('button', { name: 'Disable account' });
    await confirm.getByLabel(/to confirm/).fill('DISABLE');
    expect(await disable.isDisabled()).toBe(true);
    await confirm.getByLabel('Reason').fill('Left the support team');
    await screenshot(page, 'staff-disable-confirm');
    await disable.click();
    await gone(confirm);

    await visible(page.getByText('Account disabled'));
    await visible(page.getByRole('button', { name: 'Enable account' }));
    await visible(page.getByText('No live sessions'));
    await screenshot(page, 'staff-detail');
    await context.close();
  });
});
