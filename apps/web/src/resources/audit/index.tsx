import { AuditOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { AuditList } from './AuditList.tsx';

export const audit: ResourceDefinition = {
  name: 'audit',
  label: 'Audit log',
  icon: <AuditOutlined aria-hidden />,
  path: '/audit',
  access: (canAccess) => canAccess('audit', 'read'),
  routes: [{ index: true, element: <AuditList /> }],
};
