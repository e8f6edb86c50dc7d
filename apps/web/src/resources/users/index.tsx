import { TeamOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { UserList } from './UserList.tsx';
import { UserShow } from './UserShow.tsx';

export const users: ResourceDefinition = {
  name: 'users',
  label: 'Users',
  icon: <TeamOutlined aria-hidden />,
  path: '/users',
  access: (canAccess) => canAccess('users', 'read'),
  routes: [
    { index: true, element: <UserList /> },
    { path: ':id', element: <UserShow /> },
  ],
};
