import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, apiSignIn, ingest } from './harness/api.ts';
import { gone, heading, submitSignIn, visible } from './harness/actions.ts';
import { connectBrowser, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, WEBHOOK_SECRET } from './harness/server.ts';

const OPERATOR = { email: 'olga@example.com', password: 'operator password 2026' };

function userCreated(data: unknown) {
  return {
    event_id: randomUUID(),
    event_type: 'user.created',
    timestamp: new Date().toISOString(),
    version: '1.0',
    data,
    metadata: { source_service: 'user-service', correlation_id: randomUUID() },
  };
}

describe('System: ingestion sources and dead letters', () => {
  const server = { url: inject('serverUrl') };
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
    // One event that projects, one whose payload breaks its contract (a dead letter with personal data).
    const result = await ingest(server.url, WEBHOOK_SECRET, [
      userCreated({
        user: {
          id: randomUUID(),
          email: 'carla@example.com',
          name: 'Carla Customer',
          role: 'Customer',
          state: 'Active',
          created_at: new Date().toISOString(),
        },
      }),
      userCreated({ user: { email: 'dora@example.com', name: 'Dora Broken' } }),
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toHaveLength(1);

    // An operator: may see the system and replay, but not personal data.
    const token = await apiSignIn(server.url);
    const role = await api<{ id: string }>(server.url, token, 'POST', '/v1/admin/roles', {
      name: 'Operators',
      grants: ['system:read', 'events:replay', 'dashboard:read'],
    });
    await api(server.url, token, 'POST', '/v1/admin/staff', {
      email: OPERATOR.email,
      name: 'Olga Operator',
      roleIds: [role.id],
      password: OPERATOR.password,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the webhook source with what it processed, refreshed by polling', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('menuitem', { name: 'Ingestion' })
      .click();
    await visible(heading(page, 'Ingestion'));

    const webhook = page
      .getByRole('table', { name: 'Event sources' })
      .getByRole('row')
      .filter({ hasText: 'webhook' });
    await visible(webhook);
    const cells = await webhook.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('webhook');
    expect(cells).toContain('Accepting');
    await visible(
      page.getByRole('region', { name: 'Pending dead letters' }).getByText('1', { exact: true }),
    );
    await visible(page.getByRole('banner').getByRole('status', { name: /Connection: Polling/ }));
    await screenshot(page, 'ingestion');
    await context.close();
  });

  it('inspects a dead letter and discards it with a reason', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Dashboard'));
    await page.goto('/system/dead-letters?status=pending');
    await visible(heading(page, 'Dead letters'));
    const table = page.getByRole('table', { name: 'Dead letters' });
    const row = table.getByRole('row').filter({ hasText: 'user.created' });
    await visible(row);
    await screenshot(page, 'dead-letters');

    await row.getByRole('button', { name: /Open dead letter/ }).click();
    const drawer = page.getByRole('dialog', { name: /Dead letter #/ });
    await visible(drawer.getByLabel('Payload'));
    expect(await drawer.getByLabel('Payload').textContent()).toContain('dora@example.com');
    await screenshot(page, 'dead-letter-detail');

    await drawer.getByRole('button', { name: 'Discard' }).click();
    const confirm = page.getByRole('dialog', { name: /Discard dead letter/ });
    const discard = confirm.getByRole('button', { name: 'Discard' });
    expect(await discard.isDisabled()).toBe(true);
    await confirm.getByLabel('Reason').fill('Test data from the e2e suite');
    await discard.click();
    await gone(confirm);
    await visible(page.getByText('Dead letter discarded'));
    await visible(drawer.getByText('Discarded', { exact: true }));
    await visible(drawer.getByText(/Test data from the e2e suite/));
    await context.close();
  });

  it('shows a masked payload as masked to someone without users:read_pii', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, OPERATOR.email, OPERATOR.password);
    await visible(heading(page, 'Dashboard'));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await visible(nav.getByRole('menuitem', { name: 'Dead letters' }));
    expect(await nav.getByRole('menuitem', { name: 'Roles' }).count()).toBe(0);
    await nav.getByRole('menuitem', { name: 'Dead letters' }).click();
    const row = page
      .getByRole('table', { name: 'Dead letters' })
      .getByRole('row')
      .filter({ hasText: 'user.created' });
    await row.getByRole('button', { name: /Open dead letter/ }).click();
    const drawer = page.getByRole('dialog', { name: /Dead letter #/ });
    await visible(drawer.getByText('Payload masked'));
    expect(await drawer.textContent()).not.toContain('dora@example.com');
    await screenshot(page, 'dead-letter-masked');
    await context.close();
  });
});
