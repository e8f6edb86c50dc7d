import { IdcardOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { StaffList } from './StaffList.tsx';
import { StaffShow } from './StaffShow.tsx';

export const staff: ResourceDefinition = {
  name: 'staff',
  label: 'Staff',
  icon: <IdcardOutlined aria-hidden />,
  path: '/access/staff',
  group: 'Access',
  access: (canAccess) => canAccess('staff', 'manage'),
  routes: [
    { index: true, element: <StaffList /> },
    { path: ':id', element: <StaffShow /> },
  ],
};
