import { ScheduleListSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ScheduleState } from '../../platform/jobs/scheduler.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toSchedule(state: ScheduleState) {
  return {
    ...state,
    nextRunAt: iso(state.nextRunAt),
    lastStartedAt: iso(state.lastStartedAt),
    lastFinishedAt: iso(state.lastFinishedAt),
  };
}

/** The scheduler's periodic tasks with their last and next runs. */
export function schedulesRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/admin/system/schedules',
    {
      config: { permission: 'system:read' },
      schema: {
        tags: ['system'],
        summary: 'Periodic tasks: what runs how often, where, and how the last run ended',
        response: { 200: ScheduleListSchema },
      },
    },
    async () => ({
      data: (await app.scheduler.list()).map(toSchedule),
      instance: app.scheduler.instance,
    }),
  );
}
