import { sql, type Selectable } from 'kysely';
import type { ProviderName, StaffUsersTable } from '../../db/schema.ts';
import { inTransaction, type Database } from '../db/database.ts';

export type StaffAccount = Selectable<StaffUsersTable>;

/** Staff accounts as authentication needs them: lookup, sign-in bookkeeping, TOTP, recovery codes. */
export class AccountsRepository {
  constructor(private readonly db: Database) {}

  findByEmail(email: string): Promise<StaffAccount | undefined> {
    return this.db
      .selectFrom('staff_users')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  }

  findById(id: string): Promise<StaffAccount | undefined> {
    return this.db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The account an external identity maps to, created on first sight (just-in-time provisioning), its
   * email and name kept in step with the identity provider.
   */
  async upsertExternal(
    provider: Exclude<ProviderName, 'builtin'>,
    subject: string,
    email: string,
    name: string | null,
  ): Promise<StaffAccount> {
    return this.db
      .insertInto('staff_users')
      .values({ provider, external_subject: subject, email, name })
      .onConflict((oc) =>
        oc
          .columns(['provider', 'external_subject'])
          .where('external_subject', 'is not', null)
          .doUpdateSet({ email, name, updated_at: sql`now()` }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async recordLogin(id: string): Promise<void> {
    await this.db
      .updateTable('staff_users')
      .set({ last_login_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.db
      .updateTable('staff_users')
      .set({
        password_hash: passwordHash,
        must_change_password: mustChange,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Records that a TOTP step was used, only if it is later than the last one: returns false for a code
   * already used (replay), even by a concurrent request.
   */
  async useTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async setPendingTotp(id: string, sealedSecret: string): Promise<void> {
    await this.db
      .updateTable('staff_users')
      .set({ totp_pending_secret: sealedSecret, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async enableTotp(
    id: string,
    sealedSecret: string,
    step: number,
    recoveryCodeHashes: string[],
  ): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('staff_users')
        .set({
          totp_secret: sealedSecret,
          totp_pending_secret: null,
          totp_enabled_at: sql`now()`,
          totp_last_step: step,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', id).execute();
      await trx
        .insertInto('staff_recovery_codes')
        .values(recoveryCodeHashes.map((code_hash) => ({ staff_id: id, code_hash })))
        .execute();
    });
  }

  async replaceRecoveryCodes(id: string, recoveryCodeHashes: string[]): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', id).execute();
      await trx
        .insertInto('staff_recovery_codes')
        .values(recoveryCodeHashes.map((code_hash) => ({ staff_id: id, code_hash })))
        .execute();
    });
  }

  async disableTotp(id: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('staff_users')
        .set({
          totp_secret: null,
          totp_pending_secret: null,
          totp_enabled_at: null,
          totp_last_step: null,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', id).execute();
    });
  }

  /** Marks an unused recovery code with this hash as used; false when there is none. */
  async useRecoveryCode(id: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_recovery_codes')
      .set({ used_at: sql`now()` })
      .where('staff_id', '=', id)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async remainingRecoveryCodes(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('staff_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('staff_id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
