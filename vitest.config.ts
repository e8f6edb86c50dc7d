import { existsSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The end-to-end tests need a real Chromium. Without one they are skipped, saying so — except under
// CI=true, where they always run (and fail if the browser is missing).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runEndToEnd = process.env.CI === 'true' || existsSync(chromium);
if (!runEndToEnd) {
  // eslint-disable-next-line no-console -- once per run: why the end-to-end tests did not run
  console.warn(
    `Skipping the end-to-end tests: no Chromium at ${chromium}. ` +
      'Install it (Debian/Ubuntu: `apt-get install -y chromium`) or set CHROMIUM_PATH.',
  );
}

const endToEnd: TestProjectInlineConfiguration = {
  // A real browser (Debian's chromium) against the real server: see apps/web/README.md.
  test: {
    name: 'e2e',
    root: 'e2e',
    include: ['**/*.e2e.ts'],
    globalSetup: ['harness/global-setup.ts'],
    setupFiles: ['harness/setup.ts'],
    // One browser and two servers are shared: the files take turns, which on a small machine
    // is faster than competing for it.
    fileParallelism: false,
    // A journey waits for conditions, step by step; the limit only ends one that hangs. The demo
    // journey takes 47 s alone and went past 90 s beside the server's tests on a 2-core CI machine.
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'contracts',
          root: 'packages/contracts',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'embedded-pg',
          root: 'packages/embedded-pg',
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server',
          root: 'apps/server',
          // The export test measures live memory after collecting garbage.
          execArgv: ['--expose-gc'],
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'sandbox',
          root: 'sandbox',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'ui',
          root: 'packages/ui',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['src/test/setup.ts'],
          // Rendering Ant Design in jsdom takes seconds on a busy machine (measured beside other
          // work: 4 s for one dialog test here, 44–58 s for one list test of the web app); the tests
          // wait for conditions, and the time limit only ends a test that hangs.
          testTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'web',
          root: 'apps/web',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['../../packages/ui/src/test/setup.ts'],
          // As the UI kit's.
          testTimeout: 240_000,
        },
      },
      ...(runEndToEnd ? [endToEnd] : []),
    ],
  },
});
