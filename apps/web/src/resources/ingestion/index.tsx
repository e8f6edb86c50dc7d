import { CloudServerOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { IngestionPage } from './IngestionPage.tsx';

export const ingestion: ResourceDefinition = {
  name: 'ingestion',
  label: 'Ingestion',
  icon: <CloudServerOutlined aria-hidden />,
  path: '/system/ingestion',
  group: 'System',
  access: (canAccess) => canAccess('system', 'read'),
  routes: [{ index: true, element: <IngestionPage /> }],
};
