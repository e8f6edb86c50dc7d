import { z } from 'zod';

/** A periodic task of the scheduler (GET /v1/admin/system/schedules). */
export const ScheduleSchema = z
  .object({
    name: z.string().meta({ description: '`<owner>.<what>`, e.g. `audit.checkpoint`' }),
    description: z.string(),
    scope: z.enum(['cluster', 'instance']).meta({
      description:
        '`cluster`: runs once per period across all instances; `instance`: on each instance (this one’s state is shown)',
    }),
    everyMs: z.number().int(),
    running: z.boolean().meta({ description: 'Running on this instance now' }),
    nextRunAt: z.iso.datetime().nullable(),
    lastStartedAt: z.iso.datetime().nullable(),
    lastFinishedAt: z.iso.datetime().nullable(),
    lastOutcome: z.enum(['succeeded', 'failed']).nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    lastInstance: z.string().nullable(),
    runs: z.number().int(),
    failures: z.number().int(),
  })
  .meta({ id: 'Schedule' });

export const ScheduleListSchema = z.object({
  data: z.array(ScheduleSchema),
  instance: z.string().meta({ description: 'The instance that answered' }),
});

export type Schedule = z.infer<typeof ScheduleSchema>;
