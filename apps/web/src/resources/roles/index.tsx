import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { RoleList } from './RoleList.tsx';
import { RoleShow } from './RoleShow.tsx';

export const roles: ResourceDefinition = {
  name: 'roles',
  label: 'Roles',
  icon: <SafetyCertificateOutlined aria-hidden />,
  path: '/access/roles',
  group: 'Access',
  access: (canAccess) => canAccess('roles', 'manage'),
  routes: [
    { index: true, element: <RoleList /> },
    { path: ':id', element: <RoleShow /> },
  ],
};
