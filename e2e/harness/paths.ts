import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const webRoot = path.join(repoRoot, 'apps/web');
export const webDist = path.join(webRoot, 'dist');
export const screenshotDir = path.join(repoRoot, 'e2e/screenshots');
export const docsScreenshotDir = path.join(repoRoot, 'docs/screenshots');

/** Debian's chromium; CHROMIUM_PATH points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
