import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, apiSignIn } from './harness/api.ts';
import { gone, heading, submitSignIn, until, visible } from './harness/actions.ts';
import { connectBrowser, docsScreenshot, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './harness/server.ts';

/** Small enough to seed in seconds, big enough for the charts to have a shape. */
const SANDBOX = { users: 150, transactions: 3_000, rate: 4 };
/** The README's screenshots are taken at this size (E2E_DOCS_SCREENSHOTS=1). */
const VIEWPORT = { width: 1440, height: 900 };
const STAFF = { email: 'stella@example.com', password: 'staff member password 2026' };

interface UserItem {
  id: string;
  email: string;
  name: string | null;
  role: string;
  state: string;
  activeSessions: number;
  totalTransactions: number;
  totalBudgets: number;
}

const DOCS = process.env.E2E_DOCS_SCREENSHOTS === '1';

/** The numbers of the dashboard's statistic cards, by label (empty until they have loaded). */
async function statistics(page: Page): Promise<Map<string, string>> {
  const cards = page.locator('section[aria-labelledby]:has(.ant-statistic)');
  const values = new Map<string, string>();
  for (const card of await cards.all()) {
    const label = (await card.locator('[id]').first().textContent()) ?? '';
    const value = (await card.locator('.ant-statistic-content').textContent()) ?? '';
    if (value !== '' && value !== '—') values.set(label, value);
  }
  return values;
}

function stateOf(page: Page): Locator {
  return page.locator('header').getByText(/^(Active|Blocked)$/);
}

/**
 * `npm start` on a bare machine: demo mode (the sandbox's services in-process, seeded, with live
 * traffic), a fresh data directory. What a new user does first, in the browser.
 */
describe('demo mode: the first hour of a new user', () => {
  let server: RunningServer;
  let browser: Browser;
  let target: UserItem;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer('demo', {
        BACKOFFICE_SANDBOX: 'auto',
        SANDBOX_USERS: String(SANDBOX.users),
        SANDBOX_TRANSACTIONS: String(SANDBOX.transactions),
        SANDBOX_RATE: String(SANDBOX.rate),
        SANDBOX_SEED: '42',
      }),
      connectBrowser(),
    ]);
    const token = await apiSignIn(server.url);
    // The generated users and the sandbox's three known accounts, once the read model has them all.
    const users = await until('the read model to fill', async () => {
      const page = await api<{ total: number; data: UserItem[] }>(
        server.url,
        token,
        'GET',
        '/v1/admin/users?limit=100&role=Customer&state=Active&sort=-createdAt',
      );
      return page.total >= SANDBOX.users * 0.9 ? page.data : undefined;
    });
    // A customer with something on every tab: transactions, budgets, a session.
    const score = (u: UserItem) =>
      (u.activeSessions > 0 ? 1_000_000 : 0) +
      (u.totalBudgets > 0 ? 100_000 : 0) +
      u.totalTransactions;
    target =
      users.filter((u) => u.name !== null).sort((a, b) => score(b) - score(a))[0] ?? users[0]!;

    const roles = await api<{ data: { id: string; name: string }[] }>(
      server.url,
      token,
      'GET',
      '/v1/admin/roles',
    );
    const staffRole = roles.data.find((r) => r.name === 'Staff');
    await api(server.url, token, 'POST', '/v1/admin/staff', {
      email: STAFF.email,
      name: 'Stella Staff',
      roleIds: [staffRole?.id],
      password: STAFF.password,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'shows the dashboard changing with the live traffic, then blocks and unblocks a user, audited',
    async () => {
      const { page, context } = await newSession(browser, server.url, { viewport: VIEWPORT });
      await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await visible(heading(page, 'Dashboard'));
      await visible(page.getByRole('status', { name: 'Connection: Live' }));

      // The numbers appear, then move as the sandbox plays its traffic (over the WebSocket).
      const first = await until('the dashboard numbers', async () => {
        const values = await statistics(page);
        return values.size >= 8 ? values : undefined;
      });
      expect(Number((first.get('Total users') ?? '0').replace(/\D/g, ''))).toBeGreaterThan(
        SANDBOX.users * 0.9,
      );
      await until('a dashboard number to change', async () => {
        const now = await statistics(page);
        return [...now].some(([label, value]) => first.get(label) !== value) ? now : undefined;
      });
      await screenshot(page, 'demo-dashboard');
      if (DOCS) {
        // The count of active users is taken every minute: the first one ran before the data arrived.
        await until(
          'the count of active users',
          async () =>
            ((await statistics(page)).get('Active in the last 30 days') ?? '0') !== '0' ||
            undefined,
          120_000,
        );
        await docsScreenshot(page, 'dashboard');
      }

      // Search the user by email, open the details.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('menuitem', { name: 'Users' })
        .click();
      await visible(heading(page, 'Users'));
      await page.getByRole('searchbox', { name: 'Search users' }).fill(target.email);
      await page.waitForURL(/[?&]q=/);
      const link = page.getByRole('table', { name: 'Users' }).getByRole('link', {
        name: target.email,
        exact: true,
      });
      await visible(link);
      await screenshot(page, 'demo-user-search');
      await link.click();
      const name = target.name ?? target.email;
      await visible(heading(page, name));
      await visible(stateOf(page).filter({ hasText: 'Active' }));
      await page.getByRole('tab', { name: 'Transactions' }).click();
      await visible(page.getByRole('table', { name: 'Transactions' }).getByRole('row').nth(1));
      await screenshot(page, 'demo-user-transactions');
      await docsScreenshot(page, 'user-details');
      await page.getByRole('tab', { name: 'Profile' }).click();
      await screenshot(page, 'demo-user-details');

      // Block, deliberately: typed confirmation and a reason.
      await page.getByRole('button', { name: 'Block user', exact: true }).click();
      const confirm = page.getByRole('dialog', { name: `Block ${target.email}?` });
      await confirm.getByLabel(/to confirm/).fill('BLOCK');
      await confirm.getByLabel(/Reason/).fill('Card testing pattern reported by the bank');
      await confirm.getByRole('button', { name: 'Block user', exact: true }).click();
      await gone(confirm);
      // Blocked at once, and final when the User Service's event comes back through the webhook.
      await visible(stateOf(page).filter({ hasText: 'Blocked' }));
      await gone(page.locator('header').getByText('Pending confirmation'));
      await visible(page.getByRole('button', { name: 'Unblock user', exact: true }));
      await screenshot(page, 'demo-user-blocked');

      // The audit entry: on the user's audit tab, and in the audit log with its before and after.
      await page.getByRole('tab', { name: 'Audit' }).click();
      const recent = page.getByRole('table', { name: 'Recent audit entries' });
      const entry = recent.getByRole('row').filter({ hasText: 'users.block' });
      await visible(entry.getByText('Card testing pattern reported by the bank'));
      await entry.getByRole('link', { name: /Open audit entry/ }).click();
      await visible(heading(page, 'Audit log'));
      const drawer = page.getByRole('dialog', { name: /Audit entry #/ });
      await visible(drawer.getByRole('table', { name: 'Changes' }));
      expect(await drawer.getByRole('deletion').allTextContents()).toContain('Active');
      expect(await drawer.getByRole('insertion').allTextContents()).toContain('Blocked');
      await visible(drawer.getByText('Happened', { exact: true }));
      await visible(drawer.getByText('Recorded', { exact: true }));
      await screenshot(page, 'demo-audit-entry');
      await drawer.getByRole('button', { name: 'Close' }).click();
      await gone(drawer);
      const log = page.getByRole('table', { name: 'Audit entries' });
      const ours = log.getByRole('row').filter({ hasText: 'users.block' }).first();
      await visible(ours);
      // Both times, labelled; where it came from; the actor by name; the resource linking to its screen.
      await visible(log.getByRole('columnheader', { name: 'Happened' }));
      await visible(log.getByRole('columnheader', { name: 'Recorded' }));
      await visible(ours.getByText('Backoffice', { exact: true }));
      await visible(ours.getByText(/Administrator|admin@example\.com/).first());
      await ours.getByRole('link', { name: `Open user ${target.email}` }).click();
      await visible(heading(page, name));
      await page.goBack();
      await visible(heading(page, 'Audit log'));

      // Verify the chain: a job, with its progress, then the result.
      await page.getByRole('button', { name: 'Verify chain' }).click();
      const verification = page.getByRole('dialog', { name: 'Chain verification' });
      await visible(verification.getByText('The chain is intact'));
      await screenshot(page, 'demo-audit-verified');
      await verification.getByRole('button', { name: 'Done' }).click();
      await gone(verification);
      await screenshot(page, 'demo-audit-log');

      // Unblock, with a reason.
      await page.goto(`/users/${target.id}`);
      await visible(heading(page, name));
      await page.getByRole('button', { name: 'Unblock user', exact: true }).click();
      const unblock = page.getByRole('dialog', { name: `Unblock ${target.email}?` });
      await unblock.getByLabel(/Reason/).fill('The bank cleared the card');
      await unblock.getByRole('button', { name: 'Unblock user', exact: true }).click();
      await gone(unblock);
      await visible(stateOf(page).filter({ hasText: 'Active' }));
      await visible(page.getByRole('button', { name: 'Block user', exact: true }));

      // Edit the name: the page shows it once saved, without a reload, and still once the User
      // Service's event has brought it to the read model.
      const renamed = `${name} Jr`;
      await page.getByRole('button', { name: 'Edit profile' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit profile' });
      await edit.getByLabel('Name').fill(renamed);
      await edit.getByLabel('Reason').fill('Name change asked by the customer');
      await edit.getByRole('button', { name: 'Save profile' }).click();
      await gone(edit);
      await visible(heading(page, renamed));
      await gone(page.locator('header').getByText('Pending confirmation'));
      await visible(heading(page, renamed));
      await context.close();
    },
    DOCS ? 360_000 : undefined,
  );

  it('shows a Staff member masked emails, no Access menu, and reveals one user with a reason', async () => {
    const { page, context } = await newSession(browser, server.url, { viewport: VIEWPORT });
    await submitSignIn(page, STAFF.email, STAFF.password);
    await visible(heading(page, 'Dashboard'));
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByText('Access', { exact: true }).count()).toBe(0);

    await nav.getByRole('menuitem', { name: 'Users' }).click();
    const table = page.getByRole('table', { name: 'Users' });
    const links = table.getByRole('link', { name: /\(masked\)$/ });
    await visible(links.first());
    const shown = (await table.textContent()) ?? '';
    expect(shown).toContain('***@');
    expect(shown).not.toContain(target.email);
    await screenshot(page, 'demo-staff-users-masked');

    // Reveal one user, with a justification: their data shows, and the reveal is on their audit tab.
    await page.goto(`/users/${target.id}`);
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const reveal = page.getByRole('dialog', { name: 'Reveal this user’s personal data?' });
    await reveal.getByLabel(/Justification/).fill('Customer called about ticket 4711');
    await reveal.getByRole('button', { name: 'Reveal', exact: true }).click();
    await gone(reveal);
    await visible(page.getByText(target.email, { exact: true }).first());
    await visible(page.getByText(/Revealed to you until/));
    await screenshot(page, 'demo-staff-user-revealed');
    await page.getByRole('tab', { name: 'Audit' }).click();
    const recent = page.getByRole('table', { name: 'Recent audit entries' });
    await visible(
      recent
        .getByRole('row')
        .filter({ hasText: 'users.pii_revealed' })
        .getByText('Customer called about ticket 4711'),
    );
    await context.close();
  });
});
