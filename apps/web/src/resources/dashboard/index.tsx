import { DashboardOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { DashboardPage } from './DashboardPage.tsx';

export const dashboard: ResourceDefinition = {
  name: 'dashboard',
  label: 'Dashboard',
  icon: <DashboardOutlined aria-hidden />,
  path: '/dashboard',
  access: (canAccess) => canAccess('dashboard', 'read'),
  routes: [{ index: true, element: <DashboardPage /> }],
};
