import type { Migration } from 'kysely';
import * as m20261121_0001 from './20261121_0001_sandbox_services.ts';
import * as m20261208_0002 from './20261208_0002_virtual_pet.ts';

/**
 * Every migration, by name; applied in name order. A new migration file is listed here too (a test fails
 * when a file in this folder is missing from the list).
 */
export const migrations: Record<string, Migration> = {
  '20261121_0001_sandbox_services': m20261121_0001,
  '20261208_0002_virtual_pet': m20261208_0002,
};
