import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type {
  BudgetsTable,
  DB,
  PaymentsTable,
  PetsTable,
  SessionEndReason,
  SessionsTable,
  TransactionsTable,
  UsersTable,
  UserState,
} from '../db/schema.ts';

/** Column types of the seeded tables, in the order the rows are sent. */
const COLUMNS = {
  users: {
    id: 'uuid',
    email: 'text',
    name: 'text',
    role: 'text',
    state: 'text',
    password_hash: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  sessions: {
    id: 'text',
    user_id: 'uuid',
    created_at: 'timestamptz',
    expires_at: 'timestamptz',
    ended_at: 'timestamptz',
    end_reason: 'text',
    ip: 'text',
    user_agent: 'text',
  },
  transactions: {
    id: 'uuid',
    user_id: 'uuid',
    amount: 'numeric',
    description: 'text',
    date: 'timestamptz',
    transaction_type: 'text',
    category_id: 'uuid',
    category_name: 'text',
    reviewed_at: 'timestamptz',
    reviewed_by: 'text',
    review_note: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  budgets: {
    id: 'uuid',
    user_id: 'uuid',
    name: 'text',
    amount: 'numeric',
    period_type: 'text',
    status: 'text',
    category_id: 'uuid',
    spent: 'numeric',
    period_start: 'timestamptz',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  pets: {
    id: 'uuid',
    owner_id: 'uuid',
    name: 'text',
    species: 'text',
    level: 'int4',
    health: 'int4',
    happiness: 'int4',
    status: 'text',
    adopted_at: 'timestamptz',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    deleted_at: 'timestamptz',
  },
  payments: {
    id: 'uuid',
    user_id: 'uuid',
    amount: 'numeric',
    currency: 'text',
    method: 'text',
    status: 'text',
    description: 'text',
    failure_reason: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
} as const;

type SeededTable = keyof typeof COLUMNS;

/**
 * Bulk writes for seeding. A batch of rows travels as one array parameter per column, expanded by
 * unnest: binding thousands of separate parameters was the slowest part of seeding.
 */
export class SeedingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async hasUsers(): Promise<boolean> {
    return (
      (await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined
    );
  }

  /** Serialises seeding between processes starting at the same time (held until the transaction ends). */
  async lock(): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext('backoffice-sandbox-seed'))`.execute(this.db);
  }

  private async insert<T extends SeededTable>(
    table: T,
    rows: readonly Partial<Record<keyof (typeof COLUMNS)[T], unknown>>[],
    onConflict: RawBuilder<unknown> = sql``,
  ): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.entries(COLUMNS[table]) as [keyof (typeof COLUMNS)[T], string][];
    const arrays = columns.map(
      ([column, type]) => sql`${rows.map((row) => row[column] ?? null)}::${sql.raw(type)}[]`,
    );
    await sql`
      INSERT INTO ${sql.table(table)} (${sql.join(columns.map(([column]) => sql.ref(String(column))))})
      SELECT * FROM unnest(${sql.join(arrays)})
      ${onConflict}`.execute(this.db);
  }

  /** Inserts users, or replaces the profile of existing ones (their password stays). */
  upsertUsers(rows: readonly Insertable<UsersTable>[]): Promise<void> {
    return this.insert(
      'users',
      rows,
      sql`ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
        role = excluded.role, state = excluded.state, updated_at = excluded.updated_at`,
    );
  }

  async setUserStates(
    changes: readonly { id: string; state: UserState; at: string }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await sql`
      UPDATE users SET state = v.state, updated_at = v.at
      FROM json_to_recordset(${JSON.stringify(changes)}) AS v(id uuid, state text, at timestamptz)
      WHERE users.id = v.id`.execute(this.db);
  }

  insertSessions(rows: readonly Insertable<SessionsTable>[]): Promise<void> {
    return this.insert('sessions', rows);
  }

  async endSessions(
    changes: readonly { id: string; endedAt: string; reason: SessionEndReason }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await sql`
      UPDATE sessions SET ended_at = v."endedAt", end_reason = v.reason
      FROM json_to_recordset(${JSON.stringify(changes)}) AS v(id text, "endedAt" timestamptz, reason text)
      WHERE sessions.id = v.id`.execute(this.db);
  }

  upsertTransactions(rows: readonly Insertable<TransactionsTable>[]): Promise<void> {
    return this.insert(
      'transactions',
      rows,
      sql`ON CONFLICT (id) DO UPDATE SET amount = excluded.amount,
        description = excluded.description, category_id = excluded.category_id,
        category_name = excluded.category_name, updated_at = excluded.updated_at`,
    );
  }

  async deleteTransactions(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.deleteFrom('transactions').where('id', 'in', ids).execute();
  }

  upsertBudgets(rows: readonly Insertable<BudgetsTable>[]): Promise<void> {
    return this.insert(
      'budgets',
      rows,
      sql`ON CONFLICT (id) DO UPDATE SET name = excluded.name, amount = excluded.amount,
        status = excluded.status, spent = excluded.spent, period_start = excluded.period_start,
        updated_at = excluded.updated_at`,
    );
  }

  async deleteBudgets(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.deleteFrom('budgets').where('id', 'in', ids).execute();
  }

  upsertPets(rows: readonly Insertable<PetsTable>[]): Promise<void> {
    return this.insert(
      'pets',
      rows,
      sql`ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, name = excluded.name,
        level = excluded.level, health = excluded.health, happiness = excluded.happiness,
        status = excluded.status, adopted_at = excluded.adopted_at,
        updated_at = excluded.updated_at, deleted_at = excluded.deleted_at`,
    );
  }

  /** Deleted pets are kept, marked (the Pet Service's soft delete). */
  async markPetsDeleted(changes: readonly { id: string; at: string }[]): Promise<void> {
    if (changes.length === 0) return;
    await sql`
      UPDATE pets SET deleted_at = v.at, updated_at = v.at
      FROM json_to_recordset(${JSON.stringify(changes)}) AS v(id uuid, at timestamptz)
      WHERE pets.id = v.id`.execute(this.db);
  }

  upsertPayments(rows: readonly Insertable<PaymentsTable>[]): Promise<void> {
    return this.insert(
      'payments',
      rows,
      sql`ON CONFLICT (id) DO UPDATE SET status = excluded.status,
        failure_reason = excluded.failure_reason, updated_at = excluded.updated_at`,
    );
  }
}
