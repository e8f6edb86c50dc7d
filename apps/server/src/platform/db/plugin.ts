import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './database.ts';
import { pendingMigrations } from './migrations.ts';
import { Notifications } from './notifications.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    /** LISTEN/NOTIFY on one shared connection: what other instances committed. */
    notifications: Notifications;
  }
}

/**
 * Makes the database available to features and tells `/readyz` whether it answers and is migrated.
 * The connection pool belongs to whoever created it (main.ts, or a test), which closes it after the app;
 * one of its connections LISTENs for the others' notifications from ready to close.
 */
export const databasePlugin = fp(
  (app: FastifyInstance, options: { db: Database; pool: pg.Pool }) => {
    const { db } = options;
    app.decorate('db', db);
    const notifications = new Notifications(
      options.pool,
      app.log.child({ component: 'notifications' }) as Logger,
    );
    app.decorate('notifications', notifications);
    app.addHook('onReady', () => notifications.start());
    app.addHook('onClose', () => notifications.stop());

    app.readiness.add('database', async () => {
      await sql`SELECT 1`.execute(db);
      return { ok: true };
    });

    // Once every migration is applied it stays so for the life of the process: ask until then.
    let migrated = false;
    app.readiness.add('migrations', async () => {
      if (!migrated) {
        const pending = await pendingMigrations(db);
        if (pending.length > 0) return { ok: false, detail: `pending: ${pending.join(', ')}` };
        migrated = true;
      }
      return { ok: true };
    });
  },
  { name: 'database', dependencies: ['readiness'] },
);
