import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import { Jobs } from './jobs.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

/** The job runner: features register handlers; it runs from ready to close (decision 0004). */
export const jobsPlugin = fp(
  (app: FastifyInstance) => {
    const jobs = new Jobs(
      app.db,
      app.log.child({ component: 'jobs' }) as Logger,
      app.notifications,
    );
    app.decorate('jobs', jobs);
    app.addHook('onReady', () => {
      jobs.start();
      return Promise.resolve();
    });
    app.addHook('onClose', () => jobs.stop());
  },
  { name: 'jobs', dependencies: ['database'] },
);
