import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import { Jobs } from './jobs.ts';
import { Scheduler } from './scheduler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
    /** Periodic work: plugins and features register their tasks before the application is ready. */
    scheduler: Scheduler;
  }
}

/**
 * The job runner and the scheduler: features register handlers and periodic tasks; both run from
 * ready to close (decisions 0004 and 0005).
 */
export const jobsPlugin = fp(
  (app: FastifyInstance) => {
    const jobs = new Jobs(
      app.db,
      app.log.child({ component: 'jobs' }) as Logger,
      app.notifications,
    );
    const scheduler = new Scheduler(
      app.db,
      app.log.child({ component: 'scheduler' }) as Logger,
      app.metrics,
    );
    app.decorate('jobs', jobs);
    app.decorate('scheduler', scheduler);
    app.addHook('onReady', () => {
      jobs.start();
      scheduler.start();
      return Promise.resolve();
    });
    app.addHook('onClose', async () => {
      await Promise.all([scheduler.stop(), jobs.stop()]);
    });
  },
  { name: 'jobs', dependencies: ['database', 'metrics'] },
);
