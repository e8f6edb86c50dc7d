import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { fakeApi, meResponse } from '../../test/fakeApi.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { fill } from '../../test/typing.ts';

const ROLE_ID = '00000000-0000-4000-8000-0000000000aa';

function role(builtin = false) {
  return {
    id: ROLE_ID,
    name: builtin ? 'Admin' : 'Support leads',
    description: '',
    builtin,
    grants: builtin ? ['*'] : ['audit:read', 'system:*'],
    staffCount: 0,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

function matrix(grants: string[], editable = true) {
  const all = ['users:read', 'audit:read', 'system:read', 'events:replay'];
  return {
    roleId: ROLE_ID,
    grants,
    editable,
    permissions: all.map((permission) => {
      const viaWildcard =
        !grants.includes(permission) &&
        (grants.includes('*') || grants.includes(`${permission.split(':')[0]}:*`));
      return {
        permission,
        description: `Allows ${permission}`,
        granted: grants.includes(permission) || viaWildcard,
        viaWildcard,
      };
    }),
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('the permission matrix', () => {
  it('saves the grants ticked in the grid, with the reason, keeping wildcards', async () => {
    setToken('tok');
    const saved: unknown[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      [`GET /v1/admin/roles/${ROLE_ID}`]: () => Response.json(role()),
      [`GET /v1/admin/roles/${ROLE_ID}/permissions`]: () =>
        Response.json(matrix(['audit:read', 'system:*'])),
      [`PUT /v1/admin/roles/${ROLE_ID}/permissions`]: ({ body }) => {
        saved.push(body);
        return Response.json(matrix((body as { grants: string[] }).grants));
      },
    });
    renderApp(`/access/roles/${ROLE_ID}`);
    const grid = await screen.findByRole('table', { name: 'Permissions of Support leads' });
    expect(within(grid).getByRole('checkbox', { name: 'Grant system:read' })).toBeDisabled();
    expect(within(grid).getByRole('checkbox', { name: 'Grant system:read' })).toBeChecked();
    expect(screen.queryByRole('region', { name: 'Unsaved changes' })).not.toBeInTheDocument();

    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Grant users:read' }));
    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Grant audit:read' }));
    const bar = screen.getByRole('region', { name: 'Unsaved changes' });
    expect(bar).toHaveTextContent('2 permissions changed');
    await fill(within(bar).getByLabelText('Reason for the change'), 'Escalations');
    await userEvent.click(within(bar).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Permissions saved')).toBeInTheDocument();
    expect(saved).toEqual([{ grants: ['system:*', 'users:read'], reason: 'Escalations' }]);
    expect(screen.queryByRole('region', { name: 'Unsaved changes' })).not.toBeInTheDocument();
  });

  it('discards the draft', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      [`GET /v1/admin/roles/${ROLE_ID}`]: () => Response.json(role()),
      [`GET /v1/admin/roles/${ROLE_ID}/permissions`]: () => Response.json(matrix(['audit:read'])),
    });
    renderApp(`/access/roles/${ROLE_ID}`);
    const grid = await screen.findByRole('table', { name: 'Permissions of Support leads' });
    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Grant users:read' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(within(grid).getByRole('checkbox', { name: 'Grant users:read' })).not.toBeChecked();
  });

  it('shows the built-in Admin role read-only, without rename or delete', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      [`GET /v1/admin/roles/${ROLE_ID}`]: () => Response.json(role(true)),
      [`GET /v1/admin/roles/${ROLE_ID}/permissions`]: () => Response.json(matrix(['*'], false)),
    });
    renderApp(`/access/roles/${ROLE_ID}`);
    expect(
      await screen.findByText('The built-in Admin role cannot be changed'),
    ).toBeInTheDocument();
    const grid = screen.getByRole('table', { name: 'Permissions of Admin' });
    for (const box of within(grid).getAllByRole('checkbox')) expect(box).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument();
  });
});
