import { DatabaseOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { DeclaredListPage } from './DeclaredList.tsx';
import { DeclaredShowPage } from './DeclaredShow.tsx';

/**
 * The resources packs declare (pets, payments, budgets, sign-ins…: docs/resources.md), each listed in
 * the navigation under "Records" from `GET /v1/admin/resources` (only those this person may read), and
 * shown by one generic list and detail built from its description.
 */
export const declared: ResourceDefinition = {
  name: 'records',
  label: 'Records',
  icon: <DatabaseOutlined aria-hidden />,
  path: '/records',
  // Each resource's own permission decides: the server lists and serves only what may be read.
  access: () => true,
  inMenu: false,
  routes: [
    { path: ':resource', element: <DeclaredListPage /> },
    { path: ':resource/:id', element: <DeclaredShowPage /> },
  ],
};
