import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';

export interface ThrottlePolicy {
  /** Failures in a row (within an hour of each other) before the key is locked. */
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * Failed attempts per key (`account:<email>`, `ip:<address>`, `mfa:<staff id>`). From the threshold on,
 * every failure locks the key for twice as long as the previous one (base, 2×base, … up to max); an
 * hour without failures starts the count again. Keys for unknown emails count too, so a lock reveals
 * nothing about which accounts exist.
 */
export class ThrottleRepository {
  constructor(private readonly db: Database) {}

  /** Seconds until the most locked of these keys opens again; 0 when none is locked. */
  async lockedFor(keys: readonly string[]): Promise<number> {
    const row = await sql<{ seconds: number | null }>`
      SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
      FROM login_throttle WHERE key = ANY(${keys}::text[]) AND locked_until > now()
    `.execute(this.db);
    return Math.max(0, row.rows[0]?.seconds ?? 0);
  }

  async fail(key: string, policy: ThrottlePolicy): Promise<void> {
    await sql`
      WITH next AS (
        SELECT CASE WHEN t.key IS NULL OR t.last_failure_at < now() - interval '1 hour' THEN 1
                    ELSE t.failures + 1 END AS failures
        FROM (SELECT ${key}::text AS key) k LEFT JOIN login_throttle t ON t.key = k.key
      )
      INSERT INTO login_throttle (key, failures, last_failure_at, locked_until)
      SELECT ${key}, failures, now(),
             CASE WHEN failures >= ${policy.threshold}
                  THEN now() + make_interval(secs => least(${policy.maxSeconds}::float8,
                         ${policy.baseSeconds}::float8 * power(2, failures - ${policy.threshold})))
             END
      FROM next
      ON CONFLICT (key) DO UPDATE SET
        failures = EXCLUDED.failures,
        last_failure_at = EXCLUDED.last_failure_at,
        locked_until = coalesce(EXCLUDED.locked_until, login_throttle.locked_until)
    `.execute(this.db);
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  }
}
