import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gone, heading, submitSignIn, until, visible } from './harness/actions.ts';
import { api, apiSignIn } from './harness/api.ts';
import { connectBrowser, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './harness/server.ts';

/** Small: the Virtual Pet world of 80 people seeds in seconds. */
const SANDBOX = { users: 80 };

interface Pet {
  id: string;
  name: string;
  ownerId: string;
}
interface UserItem {
  id: string;
  email: string;
  name: string | null;
  role: string;
  state: string;
}

/**
 * `BACKOFFICE_PACKS=virtual-pet npm start`: the Virtual Pet platform's sandbox (User Service, Pet and
 * Payment services, a Keycloak-like identity provider) in-process, and the journey of seed 001's
 * administrator: sign in → pets → a pet's owner → their payments and sign-ins → disable the account →
 * the audit entry.
 */
describe('demo mode, Virtual Pet pack: from a pet to its owner’s account', () => {
  let server: RunningServer;
  let browser: Browser;
  let pet: Pet;
  let owner: UserItem;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer('virtual-pet', {
        BACKOFFICE_SANDBOX: 'auto',
        BACKOFFICE_PACKS: 'virtual-pet',
        SANDBOX_USERS: String(SANDBOX.users),
        SANDBOX_RATE: '0',
        SANDBOX_SEED: '42',
      }),
      connectBrowser(),
    ]);
    const token = await apiSignIn(server.url);
    const get = <T>(path: string) => api<T>(server.url, token, 'GET', path);
    // An active customer who owns a pet and has paid, once the read model has them.
    [pet, owner] = await until('a pet whose active owner has payments and sign-ins', async () => {
      const pets = await get<{ data: Pet[] }>('/v1/admin/pets?limit=100');
      for (const candidate of pets.data) {
        const user = await get<UserItem>(`/v1/admin/users/${candidate.ownerId}`).catch(
          () => undefined,
        );
        if (user?.state !== 'Active' || user.role !== 'Customer' || user.name === null) continue;
        const [payments, signIns] = await Promise.all([
          get<{ data: unknown[] }>(`/v1/admin/payments?userId=${user.id}&limit=1`),
          get<{ data: unknown[] }>(`/v1/admin/sign-ins?userId=${user.id}&limit=1`),
        ]);
        if (payments.data.length > 0 && signIns.data.length > 0)
          return [candidate, user] as [Pet, UserItem];
      }
      return undefined;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('goes from a pet to its owner, their payments and sign-ins, and disables the account, audited', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    // The pack's figures are on the dashboard.
    await visible(page.getByText('Pets', { exact: true }).first());

    // Records → Pets: the list the pack declares, then this owner's pets (the Owner filter, in the URL).
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('menuitem', { name: 'Pets' }).click();
    await visible(heading(page, 'Pets'));
    const pets = page.getByRole('table', { name: 'Pets' });
    await visible(pets.getByRole('row').nth(1));
    await screenshot(page, 'virtual-pet-pets');
    await page.goto(`/records/pets?ownerId=${owner.id}`);
    const row = pets.getByRole('row').filter({ hasText: pet.name }).first();
    await row.getByRole('link', { name: `${pet.id.slice(0, 8)}…` }).click();

    // The pet, and its owner.
    await visible(heading(page, 'Pet'));
    await visible(page.getByText(pet.name, { exact: true }));
    await screenshot(page, 'virtual-pet-pet');
    await page.getByRole('link', { name: `${owner.id.slice(0, 8)}…` }).click();
    await visible(heading(page, owner.name ?? owner.email));
    // Only the tabs of what runs here: no Money Planner transactions or budgets.
    expect(await page.getByRole('tab', { name: /^(Transactions|Budgets)/ }).count()).toBe(0);

    // Their payments and their Keycloak sign-ins, on their own tabs.
    await page.getByRole('tab', { name: 'Payments' }).click();
    await visible(page.getByRole('table', { name: 'Payments' }).getByRole('row').nth(1));
    await screenshot(page, 'virtual-pet-user-payments');
    await page.getByRole('tab', { name: 'Sign-in history' }).click();
    await visible(page.getByRole('table', { name: 'Sign-in history' }).getByRole('row').nth(1));

    // Disable the account, deliberately: typed confirmation and a reason.
    await page.getByRole('button', { name: 'Disable account', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Disable the account of ${owner.email}?` });
    await confirm.getByLabel(/to confirm/).fill('DISABLE');
    await confirm.getByLabel(/Reason/).fill('Chargebacks on three payments this week');
    await confirm.getByRole('button', { name: 'Disable account', exact: true }).click();
    await gone(confirm);
    const state = page.locator('header').getByText(/^(Active|Blocked|Disabled)$/);
    await visible(state.filter({ hasText: 'Disabled' }));
    // Final when the User Service's user.disabled event comes back through the webhook.
    await gone(page.locator('header').getByText('Pending confirmation'));
    await visible(page.getByRole('button', { name: 'Enable account', exact: true }));
    await screenshot(page, 'virtual-pet-user-disabled');

    // The audit entry, on the user's audit tab.
    await page.getByRole('tab', { name: 'Audit' }).click();
    const entry = page
      .getByRole('table', { name: 'Recent audit entries' })
      .getByRole('row')
      .filter({ hasText: 'users.disable' });
    await visible(entry.getByText('Chargebacks on three payments this week'));
    await screenshot(page, 'virtual-pet-audit');
    expect(await state.textContent()).toBe('Disabled');
    await context.close();
  });
});
