import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { App } from '../App.tsx';
import { routes } from '../routes.tsx';

/** The whole application at `path`, as the browser would show it (with a fake API, see fakeApi). */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(<App router={router} />);
  return { ...view, router };
}
