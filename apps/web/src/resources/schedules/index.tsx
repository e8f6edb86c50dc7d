import { FieldTimeOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { SchedulesPage } from './SchedulesPage.tsx';

export const schedules: ResourceDefinition = {
  name: 'schedules',
  label: 'Schedules',
  icon: <FieldTimeOutlined aria-hidden />,
  path: '/system/schedules',
  group: 'System',
  access: (canAccess) => canAccess('system', 'read'),
  routes: [{ index: true, element: <SchedulesPage /> }],
};
