// Shared by the `ui` and `web` test projects (jsdom; a few web tests run in node): jest-dom matchers, cleanup between tests, and the
// browser APIs Ant Design uses that jsdom lacks.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// `findBy…` and `waitFor` wait up to 60 s: a busy machine renders Ant Design slowly, a healthy one
// finds the element far sooner (the wait ends as soon as it is there). 15 s was not enough beside two
// other full test runs on 2 cores (load average 10): a table stayed loading, a list did not render.
configure({ asyncUtilTimeout: 60_000 });

// Ant Design reports deprecated or wrong usage through console.error in development: fail the test.
const antdWarnings: string[] = [];
for (const level of ['error', 'warn'] as const) {
  /* eslint-disable no-console -- listens to the console, still writing everything through */
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (text.includes('[antd:')) antdWarnings.push(text);
    original(...args);
  };
  /* eslint-enable no-console */
}

const browser = typeof window !== 'undefined';

afterEach(() => {
  if (browser) {
    cleanup();
    window.localStorage.clear();
  }
  const warnings = antdWarnings.splice(0);
  if (warnings.length > 0) throw new Error(`Ant Design warned:\n${warnings.join('\n')}`);
});

if (browser && typeof window.matchMedia !== 'function') {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as MediaQueryList,
  });
}

if (browser && typeof window.ResizeObserver !== 'function') {
  window.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

// jsdom does not implement pseudo-element styles and logs an error each time Ant Design measures one.
if (browser) {
  const getComputedStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (element: Element) => getComputedStyle(element);
}
