import fs from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_FLAGS } from './browser.ts';
import { chromiumPath, screenshotDir } from './paths.ts';
import { startServer } from './server.ts';
import { ensureUiBuilt } from './ui-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server most scenarios use: second factor not required. */
    serverUrl: string;
    /** A server with the default policy: Admins must enrol a second factor. */
    mfaServerUrl: string;
    /** The shared Chromium; each test file connects and opens its own isolated contexts. */
    browserEndpoint: string;
  }
}

/**
 * Once per run: check that the browser exists, build the UI if it is stale, then start the two real
 * servers and one Chromium, shared by the test files (each scenario uses its own accounts and
 * browser contexts, so they do not see each other).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    await fs.access(chromiumPath, fs.constants.X_OK);
  } catch {
    throw new Error(
      `The end-to-end tests drive Chromium at ${chromiumPath}, which is missing. ` +
        'Install it (Debian/Ubuntu: `apt-get install -y chromium`) or set CHROMIUM_PATH.',
    );
  }
  await fs.mkdir(screenshotDir, { recursive: true });
  await ensureUiBuilt();

  const [server, mfaServer, browser] = await Promise.all([
    startServer('main'),
    startServer('mfa', { AUTH_MFA_REQUIRED_ROLES: 'Admin' }),
    chromium.launchServer({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS }),
  ]);
  project.provide('serverUrl', server.url);
  project.provide('mfaServerUrl', mfaServer.url);
  project.provide('browserEndpoint', browser.wsEndpoint());

  return async () => {
    await browser.close();
    await Promise.all([server.stop(), mfaServer.stop()]);
  };
}
