import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import type { CanAccess } from '../auth/access.ts';

/**
 * One resource of the admin UI (react-admin style): a folder under resources/ whose index.tsx exports
 * this. The navigation and the routes are built from the list in resources/index.ts; deleting a folder
 * and its line there removes the screen.
 */
export interface ResourceDefinition {
  name: string;
  label: string;
  icon: ReactNode;
  /** Where its screens live; its routes are relative to it. */
  path: string;
  /** The navigation group it is listed under, if any. */
  group?: 'Access' | 'System';
  /** False when it lists its own entries in the navigation (the declared resources). */
  inMenu?: boolean;
  /** Whether the signed-in person may use it: hidden from the navigation and refused otherwise. */
  access: (canAccess: CanAccess) => boolean;
  /** `index` is the list; others e.g. `:id` for the detail. */
  routes: RouteObject[];
}
