import type { Database } from '../db/database.ts';

/**
 * Reveals of one person's personal data ("subject") to one staff member, until a time. The masking
 * path leaves a revealed subject's data unmasked for that staff member only.
 */
export class PiiRevealsRepository {
  constructor(private readonly db: Database) {}

  async grant(
    reveal: { staffId: string; subjectId: string; reason: string; expiresAt: Date },
    executor: Database = this.db,
  ): Promise<void> {
    await executor
      .insertInto('pii_reveals')
      .values({
        staff_id: reveal.staffId,
        subject_id: reveal.subjectId,
        reason: reveal.reason,
        expires_at: reveal.expiresAt,
      })
      .execute();
  }
}
