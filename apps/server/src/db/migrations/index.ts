import type { Migration } from 'kysely';
import * as m20261120_0001 from './20261120_0001_instance_settings.ts';
import * as m20261121_0002 from './20261121_0002_event_ingestion.ts';
import * as m20261121_0003 from './20261121_0003_read_model.ts';
import * as m20261121_0004 from './20261121_0004_identity.ts';
import * as m20261121_0005 from './20261121_0005_jobs.ts';
import * as m20261121_0006 from './20261121_0006_audit.ts';
import * as m20261121_0007 from './20261121_0007_users_search.ts';
import * as m20261121_0008 from './20261121_0008_session_roles.ts';
import * as m20261121_0009 from './20261121_0009_user_sort_keys.ts';
import * as m20261121_0010 from './20261121_0010_user_summaries_writes.ts';
import * as m20261121_0011 from './20261121_0011_user_state_key.ts';
import * as m20261203_0012 from './20261203_0012_audit_occurred_at.ts';
import * as m20261203_0013 from './20261203_0013_pii_reveals.ts';
import * as m20261203_0014 from './20261203_0014_dead_letter_raw_encoding.ts';
import * as m20261203_0015 from './20261203_0015_change_notifications.ts';
import * as m20261203_0016 from './20261203_0016_user_email_prefix.ts';
import * as m20261203_0017 from './20261203_0017_user_summaries_statistics.ts';
import * as m20261204_0018 from './20261204_0018_schedules.ts';
import * as m20261207_0019 from './20261207_0019_budgets_list.ts';
import * as m20261207_0020 from './20261207_0020_virtual_pet.ts';

/**
 * Every migration, by name; applied in name order. A new migration file is listed here too (a test
 * fails when a file in this folder is missing from the list).
 */
export const migrations: Record<string, Migration> = {
  '20261120_0001_instance_settings': m20261120_0001,
  '20261121_0002_event_ingestion': m20261121_0002,
  '20261121_0003_read_model': m20261121_0003,
  '20261121_0004_identity': m20261121_0004,
  '20261121_0005_jobs': m20261121_0005,
  '20261121_0006_audit': m20261121_0006,
  '20261121_0007_users_search': m20261121_0007,
  '20261121_0008_session_roles': m20261121_0008,
  '20261121_0009_user_sort_keys': m20261121_0009,
  '20261121_0010_user_summaries_writes': m20261121_0010,
  '20261121_0011_user_state_key': m20261121_0011,
  '20261203_0012_audit_occurred_at': m20261203_0012,
  '20261203_0013_pii_reveals': m20261203_0013,
  '20261203_0014_dead_letter_raw_encoding': m20261203_0014,
  '20261203_0015_change_notifications': m20261203_0015,
  '20261203_0016_user_email_prefix': m20261203_0016,
  '20261203_0017_user_summaries_statistics': m20261203_0017,
  '20261204_0018_schedules': m20261204_0018,
  '20261207_0019_budgets_list': m20261207_0019,
  '20261207_0020_virtual_pet': m20261207_0020,
};
