import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { heading, signOut, submitSignIn, visible } from './harness/actions.ts';
import { connectBrowser, newSession, screenshot } from './harness/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './harness/server.ts';

/** The code an authenticator app shows for this secret, `stepsAhead` 30-second steps from now. */
function totpCode(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

describe('two-factor authentication with the default policy (Admins must enrol)', () => {
  const server = { url: inject('mfaServerUrl') };
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('makes the Admin enrol before anything else, then asks for a code at sign-in', async () => {
    const { page, context } = await newSession(browser, server.url);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Two-factor authentication'));
    await visible(page.getByText('Your role requires two-factor authentication'));
    expect(new URL(page.url()).pathname).toBe('/account/mfa');

    // Nothing else opens until the enrolment is done.
    await page.goto('/access/roles');
    await visible(heading(page, 'Two-factor authentication'));

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await visible(page.getByRole('img', { name: 'QR code of the authenticator key' }));
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, 'mfa-enrol');

    // A wrong code is refused with a clear message.
    await page.getByLabel('Code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'does not match' }));

    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await visible(codes);
    expect(await codes.getByRole('listitem').count()).toBeGreaterThanOrEqual(8);
    const continueButton = page.getByRole('button', { name: 'Continue' });
    expect(await continueButton.isDisabled()).toBe(true);
    await screenshot(page, 'mfa-recovery-codes');
    await page.getByLabel('I saved these recovery codes').check();
    await continueButton.click();
    // Back where the person wanted to go before the enrolment interrupted.
    await visible(heading(page, 'Roles'));

    await page.goto('/account');
    await visible(
      page
        .getByRole('region', { name: 'Two-factor authentication' })
        .getByText('On', { exact: true }),
    );
    await screenshot(page, 'account');

    // Next sign-in asks for a code. (The enrolment used this time step's code, and a code works once:
    // the app's next one, within the accepted drift, is what a person would type half a minute later.)
    await signOut(page);
    await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await visible(heading(page, 'Two-factor authentication'));
    await page.getByLabel('Authenticator code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'not valid' }));
    await screenshot(page, 'sign-in-totp');
    await page.getByLabel('Authenticator code').fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(heading(page, 'Dashboard'));
    await context.close();
  });
});
