import path from 'node:path';
import { afterEach } from 'vitest';
import { openPages, pageProblems } from './browser.ts';
import { screenshotDir } from './paths.ts';

// A failed scenario leaves a picture of every page it had open: e2e/screenshots/FAILED-<test>-<n>.png.
// And a scenario whose pages threw or broke the Content Security Policy fails, even if every step passed.
afterEach(async (context) => {
  const pages = [...openPages];
  openPages.clear();
  const problems = pageProblems.splice(0);
  if (context.task.result?.state !== 'fail') {
    if (problems.length > 0) throw new Error(`the page reported:\n${problems.join('\n')}`);
    return;
  }
  const name = context.task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
  await Promise.all(
    pages.map((page, index) =>
      page
        .screenshot({
          path: path.join(screenshotDir, `FAILED-${name}-${index}.png`),
          fullPage: true,
        })
        .catch(() => undefined),
    ),
  );
});
