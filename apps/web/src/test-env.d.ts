// The jest-dom matchers the shared test setup (packages/ui/src/test/setup.ts) installs.
/// <reference types="@testing-library/jest-dom/vitest" />
