import { audit } from './audit/index.tsx';
import { dashboard } from './dashboard/index.tsx';
import { deadLetters } from './dead-letters/index.tsx';
import { declared } from './declared/index.tsx';
import { ingestion } from './ingestion/index.tsx';
import { roles } from './roles/index.tsx';
import { schedules } from './schedules/index.tsx';
import { sessions } from './sessions/index.tsx';
import { staff } from './staff/index.tsx';
import type { ResourceDefinition } from './types.ts';
import { users } from './users/index.tsx';

/** Every resource of the UI, in navigation order. */
export const resources: readonly ResourceDefinition[] = [
  dashboard,
  users,
  declared,
  audit,
  roles,
  staff,
  sessions,
  ingestion,
  deadLetters,
  schedules,
];
