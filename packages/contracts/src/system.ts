import { z } from 'zod';

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    uptimeSeconds: z.number(),
  })
  .meta({ id: 'Health' });

export const CheckResultSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.record(z.string(), CheckResultSchema),
  })
  .meta({ id: 'Readiness' });

export type Health = z.infer<typeof HealthSchema>;
export type ReadinessReport = z.infer<typeof ReadinessSchema>;
