import type { Database } from '../db/database.ts';

/**
 * Reveals of one person's personal data ("subject") to one staff member, until a time. The masking
 * path leaves a revealed subject's data unmasked for that staff member only.
 */
export class PiiRevealsRepository {
  constructor(private readonly db: Database) {}

  async grant(
    executor: Database,
    reveal: { staffId: string; subjectId: string; reason: string; expiresAt: Date },
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

  /** Until when this staff member may see this subject; null when no reveal lasts. */
  async revealedUntil(staffId: string, subjectId: string): Promise<Date | null> {
    const row = await this.db
      .selectFrom('pii_reveals')
      .select((eb) => eb.fn.max('expires_at').as('until'))
      .where('staff_id', '=', staffId)
      .where('subject_id', '=', subjectId)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row?.until ?? null;
  }
}
