import type { ResourceDescription } from '@backoffice/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { captureDownloads } from '../../test/blob.ts';
import { fakeApi, meResponse, problem } from '../../test/fakeApi.ts';
import { USER_ID, userDetail } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
});

const field = (over: Partial<ResourceDescription['fields'][number]>) => ({
  label: over.name ?? '',
  type: 'text' as const,
  values: null,
  nullable: false,
  pii: false,
  filter: false,
  sortable: false,
  list: true,
  links: null,
  name: '',
  ...over,
});

const PETS: ResourceDescription = {
  name: 'pets',
  title: 'Pets',
  singular: 'pet',
  description: 'Pets across owners',
  permission: 'pets:read',
  key: 'id',
  defaultSort: '-createdAt',
  fields: [
    field({ name: 'id', label: 'Pet', type: 'uuid', filter: true, sortable: true }),
    field({ name: 'name', label: 'Name', sortable: true }),
    field({
      name: 'species',
      label: 'Species',
      type: 'enum',
      values: ['CAT', 'DRAGON'],
      filter: true,
    }),
    field({ name: 'ownerId', label: 'Owner', type: 'uuid', filter: true, links: 'users' }),
    field({ name: 'level', label: 'Level', type: 'integer', filter: true, sortable: true }),
    field({ name: 'createdAt', label: 'Created', type: 'timestamp', filter: true, sortable: true }),
    field({ name: 'note', label: 'Note', nullable: true, list: false }),
  ],
};

const OWNER = '0b9a6c1e-2f3d-4e5f-8a7b-9c0d1e2f3a4b';
const EMBER = '11111111-2222-4333-8444-555555555555';
const ember = {
  id: EMBER,
  name: 'Ember',
  species: 'DRAGON',
  ownerId: OWNER,
  level: 7,
  createdAt: '2026-02-01T11:00:00.000Z',
  note: null,
};

function api(list: (url: URL) => Response = () => pageOf([ember])) {
  return fakeApi({
    'GET /v1/admin/auth/me': () => Response.json(meResponse()),
    'GET /v1/admin/resources': () => Response.json({ data: [PETS] }),
    'GET /v1/admin/pets': ({ url }) => list(url),
    [`GET /v1/admin/pets/${EMBER}`]: () => Response.json(ember),
    'GET /v1/admin/pets/export': ({ url }) =>
      new Response(`id,name\n${EMBER},Ember\n`, {
        headers: {
          'content-type': 'text/csv',
          'content-disposition': `attachment; filename="pets-2026.${url.searchParams.get('format') ?? ''}"`,
        },
      }),
  });
}

const pageOf = (data: unknown[]) =>
  Response.json({
    data,
    page: 1,
    limit: 25,
    total: data.length,
    totalIsLowerBound: false,
    nextCursor: null,
  });

describe('a resource a pack declares, on its generic screens', () => {
  it('is in the navigation under Records, and lists its items with links to the item and the owner', async () => {
    setToken('tok');
    api();
    renderApp('/records/pets');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByText('Pets')).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Pets' });
    const row = (await within(table).findByText('Ember')).closest('tr')!;
    expect(row).toHaveTextContent('Dragon');
    expect(within(row).getByRole('link', { name: /^11111111/ })).toHaveAttribute(
      'href',
      `/records/pets/${EMBER}`,
    );
    expect(within(row).getByRole('link', { name: /^0b9a6c1e/ })).toHaveAttribute(
      'href',
      `/users/${OWNER}`,
    );
    expect(screen.getByText(/1 pet match/)).toBeInTheDocument();
  });

  it('applies the URL’s filters as the API takes them, and says which it cannot use', async () => {
    setToken('tok');
    const { calls } = api();
    renderApp(
      '/records/pets?species=dragon&levelMin=3&levelMax=lots&createdAtFrom=2026-02-01&sort=name',
    );
    await screen.findByRole('table', { name: 'Pets' });
    const listed = calls.filter((c) => c.startsWith('GET /v1/admin/pets'));
    expect(listed.length).toBeGreaterThan(0);
    const requested = vi
      .mocked(fetch)
      .mock.calls.map(
        ([input]) => new URL(input instanceof Request ? input.url : input, 'http://x'),
      )
      .find((url) => url.pathname === '/v1/admin/pets')!;
    expect(requested.searchParams.get('species')).toBe('DRAGON');
    expect(requested.searchParams.get('levelMin')).toBe('3');
    expect(requested.searchParams.has('levelMax')).toBe(false);
    expect(requested.searchParams.get('sort')).toBe('name');
    expect(requested.searchParams.get('createdAtFrom')).toMatch(/^2026-0[12]-\d\dT/);
    expect(await screen.findByText(/levelMax/)).toBeInTheDocument();
  });

  it('shows an item with every field, and the owner as a link', async () => {
    setToken('tok');
    api();
    renderApp(`/records/pets/${EMBER}`);
    expect(await screen.findByRole('heading', { name: 'Pet' })).toBeInTheDocument();
    expect(await screen.findByText('Ember')).toBeInTheDocument();
    expect(screen.getByText('Note')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^0b9a6c1e/ })).toHaveAttribute(
      'href',
      `/users/${OWNER}`,
    );
    expect(screen.getByRole('link', { name: 'Back to pets' })).toHaveAttribute(
      'href',
      '/records/pets',
    );
  });

  it('says so when the item does not exist, with the way back to the list', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/resources': () => Response.json({ data: [PETS] }),
      'GET /v1/admin/pets/nope': () => problem(404, { title: 'Not found', detail: 'No pet nope.' }),
    });
    renderApp('/records/pets/nope');
    expect(await screen.findByText('No pet with that id')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to pets' })).toBeInTheDocument();
  });

  it('treats a resource this person may not read (or that does not exist) as not found', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/resources': () => Response.json({ data: [] }),
    });
    renderApp('/records/payments');
    expect(await screen.findByText('Not found')).toBeInTheDocument();
  });

  it('exports the current filter through the server (streamed and audited there)', async () => {
    setToken('tok');
    api();
    const { saved, restore } = captureDownloads();
    try {
      renderApp('/records/pets?species=cat');
      await screen.findByRole('table', { name: 'Pets' });
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(saved[0]?.name).toBe('pets-2026.csv'));
      expect(await saved[0]?.text).toContain('Ember');
      const exported = vi
        .mocked(fetch)
        .mock.calls.map(
          ([input]) => new URL(input instanceof Request ? input.url : input, 'http://x'),
        )
        .find((url) => url.pathname === '/v1/admin/pets/export');
      expect(exported?.searchParams.get('species')).toBe('CAT');
      expect(exported?.searchParams.get('format')).toBe('csv');
      expect(await screen.findByText('Pets exported')).toBeInTheDocument();
    } finally {
      restore();
    }
  });

  it('adds a tab to the user’s page for each resource about users, listing that user’s items', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/resources': () => Response.json({ data: [PETS] }),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(userDetail()),
      'GET /v1/admin/pets': ({ url }) =>
        url.searchParams.get('ownerId') === USER_ID
          ? pageOf([{ ...ember, ownerId: USER_ID }])
          : problem(400, { detail: 'expected the user as ownerId' }),
    });
    renderApp(`/users/${USER_ID}?tab=pets`);
    const tab = await screen.findByRole('tab', { name: 'Pets', selected: true });
    expect(tab).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Pets' });
    expect(await within(table).findByText('Ember')).toBeInTheDocument();
    // The owner is the user whose page this is: no column for it.
    expect(within(table).queryByText('Owner')).not.toBeInTheDocument();
  });
});
