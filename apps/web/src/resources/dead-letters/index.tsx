import { InboxOutlined } from '@ant-design/icons';
import type { ResourceDefinition } from '../types.ts';
import { DeadLetterList } from './DeadLetterList.tsx';

export const deadLetters: ResourceDefinition = {
  name: 'dead-letters',
  label: 'Dead letters',
  icon: <InboxOutlined aria-hidden />,
  path: '/system/dead-letters',
  group: 'System',
  access: (canAccess) => canAccess('system', 'read'),
  routes: [{ index: true, element: <DeadLetterList /> }],
};
