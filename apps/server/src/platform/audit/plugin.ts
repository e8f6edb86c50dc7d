import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { AuditWriter, createCheckpointSigner } from './writer.ts';
import { inTransaction } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditWriter;
  }
}

/**
 * The audit writer for the whole app, with its readiness check (failing while the trail cannot be
 * written) and a timer that signs the chain head, so even the latest entries are covered by a
 * checkpoint within AUDIT_CHECKPOINT_MINUTES.
 */
export const auditPlugin = fp(
  (app: FastifyInstance, options: { config: Config; signingKeyPem: string }) => {
    const logger = app.log.child({ component: 'audit' }) as Logger;
    const writer = new AuditWriter({
      fallbackFile: path.join(options.config.dataDir, 'audit-fallback.ndjson'),
      signer: createCheckpointSigner(options.signingKeyPem),
      checkpointEvery: options.config.audit.checkpointEvery,
      checkpointExportDir: options.config.audit.checkpointExportDir,
      logger,
    });
    app.decorate('audit', writer);

    app.readiness.add('audit', async () => {
      const failing = writer.failing;
      if (failing === undefined) return { ok: true };
      // Probe whether the trail is writable again (a refused instance gets no actions to prove it).
      const writable = await inTransaction(app.db, async (trx) => {
        await sql`SET LOCAL lock_timeout = '1s'`.execute(trx);
        await trx
          .selectFrom('audit_chain_head')
          .select('seq')
          .forUpdate()
          .executeTakeFirstOrThrow();
        const privileges = await sql<{ ok: boolean }>`
            SELECT has_table_privilege('audit_logs', 'INSERT') AND has_table_privilege('audit_chain_head', 'UPDATE') AS ok
          `.execute(trx);
        return privileges.rows[0]?.ok === true;
      }).catch(() => false);
      return writable
        ? { ok: true, detail: `recovered; writes failed from ${failing.since.toISOString()}` }
        : {
            ok: false,
            detail: `cannot be written since ${failing.since.toISOString()}: ${failing.error}`,
          };
    });

    app.scheduler.register({
      name: 'audit.checkpoint',
      description: 'Signs the audit chain’s head, so a rewrite of older entries is detectable',
      everyMs: options.config.audit.checkpointMinutes * 60_000,
      scope: 'cluster',
      run: () => writer.checkpointHead(app.db),
    });
  },
  { name: 'audit', dependencies: ['database', 'readiness', 'jobs'] },
);
