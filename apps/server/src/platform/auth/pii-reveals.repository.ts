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

  /** The subjects this staff member may see now. */
  async activeSubjects(staffId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('pii_reveals')
      .select('subject_id')
      .distinct()
      .where('staff_id', '=', staffId)
      .where('expires_at', '>', new Date())
      .execute();
    return new Set(rows.map((r) => r.subject_id));
  }
}
