import { DesktopOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { SessionList } from './SessionList.tsx';

export const sessions: ResourceDefinition = {
  name: 'sessions',
  label: 'Sessions',
  icon: <DesktopOutlined aria-hidden />,
  path: '/access/sessions',
  group: 'Access',
  access: (canAccess) => canAccess('staff', 'manage'),
  routes: [{ index: true, element: <SessionList /> }],
};
