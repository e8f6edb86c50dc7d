import { z } from 'zod';
import { CatchingUpSchema } from './ingestion.ts';

const DayTotalsSchema = z.object({
  date: z.string().describe('UTC day, YYYY-MM-DD'),
  count: z.number().int(),
  volume: z.string(),
  income: z.string(),
  expense: z.string(),
  users: z.number().int(),
});

export const DashboardMetricsSchema = z
  .object({
    users: z.object({
      total: z.number().int(),
      active30d: z
        .number()
        .int()
        .describe('With activity (sign-in or transaction) in the last 30 days'),
      withActiveSessions: z.number().int(),
      activeSessions: z.number().int(),
      blocked: z.number().int(),
      registrations7d: z.number().int(),
      registrations30d: z.number().int(),
      byRole: z.record(z.string(), z.number().int()),
    }),
    growth: z.object({
      daily: z.array(
        z.object({ date: z.string(), registrations: z.number().int(), total: z.number().int() }),
      ),
      weekly: z.array(
        z.object({
          weekStart: z.string(),
          registrations: z.number().int(),
          total: z.number().int(),
        }),
      ),
    }),
    transactions: z.object({
      total: z.number().int(),
      today: DayTotalsSchema,
      daily: z.array(DayTotalsSchema),
    }),
    budgets: z.object({ total: z.number().int() }),
    tiles: z
      .array(z.object({ key: z.string(), label: z.string(), value: z.number().int() }))
      .default([])
      .describe('The figures of the domain packs that run (pets, failed payments…), in order'),
    /** Non-null while the read model is behind: the figures above are incomplete. */
    catchingUp: CatchingUpSchema.nullable(),
    computedAt: z.iso.datetime(),
    /** active30d is recomputed periodically (it is not a counter); when it was last. */
    active30dComputedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'DashboardMetrics' });

export const ServiceHealthSchema = z.object({
  service: z.string(),
  name: z.string(),
  url: z.string().optional().describe('The service’s base URL: only for callers with system:read'),
  status: z.enum(['up', 'down', 'degraded']),
  latencyMs: z.number().nullable(),
  circuit: z.string(),
  checkedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const DashboardHealthSchema = z
  .object({
    services: z.array(ServiceHealthSchema),
    database: z.object({ status: z.enum(['up', 'down']), latencyMs: z.number().nullable() }),
    sources: z.array(
      z.object({
        name: z.string(),
        enabled: z.boolean(),
        connected: z.boolean().nullable(),
        lag: z.number().nullable(),
        lastEventAt: z.string().nullable(),
        eventsPerSecond: z.number(),
      }),
    ),
    checkedAt: z.iso.datetime(),
  })
  .meta({ id: 'DashboardHealth' });

export type DashboardMetrics = z.infer<typeof DashboardMetricsSchema>;
export type DashboardHealth = z.infer<typeof DashboardHealthSchema>;
