import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { TEST_AUDIT_KEY, buildTestApp } from '../../../test/helpers/app.ts';
import { testAuditWriter } from '../../../test/helpers/audit.ts';
import { fillAuditChain } from '../../../test/helpers/audit-fill.ts';
import { createStaff, signIn, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import type { AuditContext } from '../../platform/audit/writer.ts';

const VERIFIER = fileURLToPath(
  new URL('../../../../../scripts/verify-audit-export.mjs', import.meta.url),
);
const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url));
const context = (email: string): AuditContext => ({
  actor: { type: 'staff', id: uuid(), email },
  ip: '203.0.113.9',
  userAgent: 'test',
  correlationId: uuid(),
});

describe('the audit trail', () => {
  describe('hash chain', () => {
    it('stays gapless and valid with many concurrent writers', async () => {
      const database = await createTestDatabase();
      try {
        const writers = [testAuditWriter(), testAuditWriter(), testAuditWriter()];
        await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            database.db.transaction().execute((trx) =>
              (writers[i % 3] ?? writers[0])!.record(trx, context(`w${i}@x.test`), {
                action: 'audit.verify',
                resourceType: 'test',
                resourceId: String(i),
              }),
            ),
          ),
        );
        const seqs = (
          await database.db.selectFrom('audit_logs').select('seq').orderBy('seq').execute()
        ).map((r) => r.seq);
        expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 60 });
      } finally {
        await database.drop();
      }
    });

    it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
      const database = await createTestDatabase();
      try {
        await testAuditWriter().record(database.db, context('a@x.test'), {
          action: 'audit.verify',
          resourceType: 'test',
        });
        await expect(
          sql`UPDATE audit_logs SET reason = 'nothing happened'`.execute(database.db),
        ).rejects.toThrow(/append-only/);
        await expect(sql`DELETE FROM audit_logs`.execute(database.db)).rejects.toThrow(
          /append-only/,
        );
        await expect(sql`TRUNCATE audit_logs CASCADE`.execute(database.db)).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await database.drop();
      }
    });

    /** What only the owner or a superuser can do: switch the trail's triggers off (or on again). */
    const superuser = async (db: TestDatabase['db'], toggle: 'DISABLE' | 'ENABLE') => {
      for (const table of ['audit_logs', 'audit_checkpoints', 'audit_chain_head'])
        await sql`ALTER TABLE ${sql.table(table)} ${sql.raw(toggle)} TRIGGER USER`.execute(db);
    };

    /** 30 entries with a checkpoint every 10, tampered with by `tamper` with the trigger disabled. */
    async function tampered(tamper: (db: TestDatabase['db']) => Promise<void>) {
      const database = await createTestDatabase();
      const writer = testAuditWriter({ checkpointEvery: 10 });
      for (let i = 1; i <= 30; i++) {
        await writer.record(database.db, context(`t${i}@x.test`), {
          action: 'users.block',
          resourceType: 'user',
          resourceId: `u${i}`,
          before: { state: 'Active' },
          after: { state: 'Blocked' },
        });
      }
      await superuser(database.db, 'DISABLE');
      await tamper(database.db);
      await superuser(database.db, 'ENABLE');
      const result = await verifyAuditChain(database.db, {
        publicKeyPem: writer.signer.publicKeyPem,
        keyId: writer.signer.keyId,
      });
      await database.drop();
      return result;
    }

    it('verifies an untouched chain and its signed checkpoints', async () => {
      expect(await tampered(() => Promise.resolve())).toEqual({
        ok: true,
        checked: 30,
        firstBrokenSeq: null,
        reason: null,
        checkpointsVerified: 3,
      });
    });

    it.each([
      [
        'an altered field',
        (db: TestDatabase['db']) =>
          sql`UPDATE audit_logs SET reason = 'it was fine' WHERE seq = 12`.execute(db),
        12,
        /altered/,
      ],
      [
        'an altered time of happening',
        (db: TestDatabase['db']) =>
          sql`UPDATE audit_logs SET occurred_at = occurred_at - interval '90 days' WHERE seq = 12`.execute(
            db,
          ),
        12,
        /altered/,
      ],
      [
        'a time of happening removed',
        (db: TestDatabase['db']) =>
          sql`UPDATE audit_logs SET occurred_at = NULL WHERE seq = 12`.execute(db),
        12,
        /altered/,
      ],
      [
        'a deleted entry',
        (db: TestDatabase['db']) => sql`DELETE FROM audit_logs WHERE seq = 12`.execute(db),
        12,
        /missing/,
      ],
      [
        'an inserted entry',
        async (db: TestDatabase['db']) => {
          await sql`UPDATE audit_logs SET seq = seq + 1000 WHERE seq >= 12`.execute(db);
          await sql`UPDATE audit_logs SET seq = seq - 999 WHERE seq >= 1012`.execute(db);
          await sql`INSERT INTO audit_logs (seq, id, at, actor_type, action, resource_type, outcome, prev_hash, hash)
                    SELECT 12, gen_random_uuid(), now(), 'staff', 'users.unblock', 'user', 'success', hash, repeat('f', 64)
                    FROM audit_logs WHERE seq = 11`.execute(db);
        },
        12,
        /altered/,
      ],
      [
        'two entries swapped',
        async (db: TestDatabase['db']) => {
          await sql`UPDATE audit_logs SET seq = -1 WHERE seq = 12`.execute(db);
          await sql`UPDATE audit_logs SET seq = 12 WHERE seq = 13`.execute(db);
          await sql`UPDATE audit_logs SET seq = 13 WHERE seq = -1`.execute(db);
        },
        12,
        /does not follow/,
      ],
      [
        'entries removed from the end',
        (db: TestDatabase['db']) => sql`DELETE FROM audit_logs WHERE seq > 27`.execute(db),
        28,
        /removed from the end/,
      ],
    ])('finds %s at the first affected entry', async (_name, tamper, seq, reason) => {
      const result = await tampered(async (db) => {
        await tamper(db);
      });
      expect(result.ok).toBe(false);
      expect(result.firstBrokenSeq).toBe(seq);
      expect(result.reason).toMatch(reason);
    });

    it('still verifies entries written before the time of happening was stored', async () => {
      const database = await createTestDatabase();
      try {
        // As the writer hashed them before: no occurred_at, no occurredAt key in the hashed document.
        const { GENESIS_HASH, chainHash } = await import('../../platform/audit/chain.ts');
        const { hashedEntryOf } = await import('../../platform/audit/writer.ts');
        let previous = GENESIS_HASH;
        for (let seq = 1; seq <= 5; seq++) {
          const row = {
            seq,
            id: uuid(),
            at: new Date(Date.UTC(2026, 6, seq)),
            occurred_at: null,
            actor_type: 'staff',
            actor_id: null,
            actor_email: 'old@x.test',
            action: 'users.block',
            resource_type: 'user',
            resource_id: `u${seq}`,
            outcome: 'success' as const,
            reason: null,
            before: null,
            after: null,
            ip: null,
            user_agent: null,
            correlation_id: null,
            event_id: null,
            metadata: null,
            prev_hash: previous,
            hash: '',
            search_text: '',
          };
          expect(hashedEntryOf(row)).not.toHaveProperty('occurredAt');
          row.hash = chainHash(previous, hashedEntryOf(row));
          const { search_text: _, ...columns } = row;
          await database.db.insertInto('audit_logs').values(columns).execute();
          await database.db.updateTable('audit_chain_head').set({ seq, hash: row.hash }).execute();
          previous = row.hash;
        }

        await testAuditWriter().record(database.db, context('new@x.test'), {
          action: 'audit.verify',
          resourceType: 'test',
        });
        expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 6 });
      } finally {
        await database.drop();
      }
    });

    it('moves the chain head only forward, onto an entry that exists', async () => {
      const database = await createTestDatabase();
      try {
        const writer = testAuditWriter();
        for (let i = 0; i < 3; i++)
          await writer.record(database.db, context('h@x.test'), {
            action: 'audit.verify',
            resourceType: 'test',
          });
        const second = await database.db
          .selectFrom('audit_logs')
          .select(['seq', 'hash'])
          .where('seq', '=', 2)
          .executeTakeFirstOrThrow();
        await expect(
          database.db.updateTable('audit_chain_head').set(second).execute(),
        ).rejects.toThrow(/only moves forward/);
        await expect(
          database.db
            .updateTable('audit_chain_head')
            .set({ seq: 4, hash: 'f'.repeat(64) })
            .execute(),
        ).rejects.toThrow(/only moves forward/);
        await expect(sql`DELETE FROM audit_chain_head`.execute(database.db)).rejects.toThrow(
          /only moves forward/,
        );
        await expect(sql`TRUNCATE audit_chain_head`.execute(database.db)).rejects.toThrow(
          /only moves forward/,
        );
        expect(
          await database.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow(),
        ).toEqual({ seq: 3 });
      } finally {
        await database.drop();
      }
    });

    it('finds a tail removed with its checkpoints and head by a superuser, against the exported checkpoints', async () => {
      const database = await createTestDatabase();
      const exportDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-checkpoints-'));
      try {
        const writer = testAuditWriter({ checkpointEvery: 10, checkpointExportDir: exportDir });
        const write = async (count: number) => {
          for (let i = 0; i < count; i++)
            await writer.record(database.db, context(`t${i}@x.test`), {
              action: 'users.block',
              resourceType: 'user',
              resourceId: `u${i}`,
            });
        };
        await write(25);
        // The timer's work: sign the head (25) and export 10, 20 and 25.
        await writer.checkpointHead(database.db);
        expect((await fs.readdir(exportDir)).sort()).toEqual([
          'audit-checkpoint-0000000000000010.json',
          'audit-checkpoint-0000000000000020.json',
          'audit-checkpoint-0000000000000025.json',
        ]);

        await superuser(database.db, 'DISABLE');
        await sql`DELETE FROM audit_logs WHERE seq > 18`.execute(database.db);
        await sql`DELETE FROM audit_checkpoints WHERE seq > 18`.execute(database.db);
        await sql`UPDATE audit_chain_head SET (seq, hash) = (SELECT seq, hash FROM audit_logs WHERE seq = 18)`.execute(
          database.db,
        );
        await superuser(database.db, 'ENABLE');
        // New entries continue the shortened chain: it is consistent in the database alone.
        await write(4);
        const key = { publicKeyPem: writer.signer.publicKeyPem, keyId: writer.signer.keyId };
        expect(await verifyAuditChain(database.db, key)).toMatchObject({ ok: true, checked: 22 });

        const { readCheckpointFiles } = await import('../../platform/audit/checkpoint-files.ts');
        const exportedCheckpoints = await readCheckpointFiles(exportDir);
        const result = await verifyAuditChain(database.db, { ...key, exportedCheckpoints });
        expect(result).toMatchObject({ ok: false, firstBrokenSeq: 20 });
        expect(result.reason).toMatch(/exported outside the database/);

        // A copy in the directory that the key did not sign is ignored, not trusted.
        const forged = { ...exportedCheckpoints[1]!, hash: 'f'.repeat(64) };
        expect(
          await verifyAuditChain(database.db, { ...key, exportedCheckpoints: [forged] }),
        ).toMatchObject({ ok: true });

        const keyFile = path.join(exportDir, '..', `key-${path.basename(exportDir)}.pem`);
        await fs.writeFile(keyFile, TEST_AUDIT_KEY);
        try {
          const cli = spawnSync(
            process.execPath,
            ['--import', 'tsx', CLI, 'verify-audit', '--against', exportDir],
            {
              encoding: 'utf8',
              env: {
                ...process.env,
                DATABASE_URL: database.url,
                BACKOFFICE_DATA_DIR: exportDir,
                BACKOFFICE_SANDBOX: 'off',
                AUDIT_SIGNING_KEY_FILE: keyFile,
              },
            },
          );
          expect(cli.stdout).toMatch(/Comparing with 3 checkpoints exported/);
          expect(cli.stdout).toMatch(/BROKEN at entry 20: .*exported outside the database/);
          expect(cli.status).toBe(1);
        } finally {
          await fs.rm(keyFile, { force: true });
        }
      } finally {
        await database.drop();
        await fs.rm(exportDir, { recursive: true, force: true });
      }
    });

    it('finds a whole tail rewritten with valid hashes, by its signed checkpoint', async () => {
      const result = await tampered(async (db) => {
        // Rewrite 15..30 consistently (as someone with database access and this code could), without the key.
        const rows = await db
          .selectFrom('audit_logs')
          .selectAll()
          .where('seq', '>=', 15)
          .orderBy('seq')
          .execute();
        const { chainHash } = await import('../../platform/audit/chain.ts');
        const { hashedEntryOf } = await import('../../platform/audit/writer.ts');
        let previous = (
          await db
            .selectFrom('audit_logs')
            .select('hash')
            .where('seq', '=', 14)
            .executeTakeFirstOrThrow()
        ).hash;
        for (const row of rows) {
          const forged = { ...row, reason: 'rewritten', prev_hash: previous };
          forged.hash = chainHash(previous, hashedEntryOf(forged));
          await sql`UPDATE audit_logs SET reason = 'rewritten', prev_hash = ${previous}, hash = ${forged.hash} WHERE seq = ${row.seq}`.execute(
            db,
          );
          previous = forged.hash;
        }
        await db.updateTable('audit_chain_head').set({ hash: previous }).execute();
      });
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: 20, checkpointsVerified: 1 });
      expect(result.reason).toMatch(/signed checkpoint/);
    });
  });

  describe('through the API', () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let admin: Awaited<ReturnType<typeof signedIn>>;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-audit-'));
      database = await createTestDatabase();
      ({ app } = await buildTestApp(database, {
        BACKOFFICE_DATA_DIR: dataDir,
        INGEST_WEBHOOK_SECRET: 's',
      }));
      await app.ready();
      admin = await signedIn(app, database.db, ['Admin']);
    });
    afterAll(async () => {
      await app.close();
      await database.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      url: string,
      payload?: object,
      headers = admin.headers,
    ) =>
      app.inject({
        method,
        url,
        headers: { ...headers, 'x-correlation-id': `c-${uuid()}` },
        ...(payload === undefined ? {} : { payload }),
      });
    const entriesOf = async (correlationId: string) =>
      database.db
        .selectFrom('audit_logs')
        .selectAll()
        .where('correlation_id', '=', correlationId)
        .execute();

    it('leaves exactly one entry, with before and after, for each state-changing action', async () => {
      const person = await createStaff(database.db, { roles: ['Admin'] });
      const staffRole = (
        await database.db
          .selectFrom('roles')
          .select('id')
          .where('name', '=', 'Staff')
          .executeTakeFirstOrThrow()
      ).id;
      const actions: [string, () => ReturnType<typeof call>][] = [
        [
          'roles.create',
          () => call('POST', '/v1/admin/roles', { name: `R${Date.now()}`, grants: ['users:read'] }),
        ],
        [
          'staff.update',
          () => call('PATCH', `/v1/admin/staff/${person.id}`, { name: 'Renamed Person' }),
        ],
        [
          'staff.roles_changed',
          () =>
            call('PUT', `/v1/admin/staff/${person.id}/roles`, {
              roleIds: [staffRole],
              reason: 'moved team',
            }),
        ],
        [
          'staff.disable',
          () =>
            call('PATCH', `/v1/admin/staff/${person.id}`, { status: 'disabled', reason: 'left' }),
        ],
      ];
      for (const [action, request] of actions) {
        const response = await request();
        expect(response.statusCode, action).toBeLessThan(300);
        const entries = await entriesOf(response.headers['x-correlation-id'] as string);
        expect(
          entries.map((e) => e.action),
          action,
        ).toEqual([action]);
      }
      const disabled = await entriesOf(
        (await call('PATCH', `/v1/admin/staff/${person.id}`, { status: 'active' })).headers[
          'x-correlation-id'
        ] as string,
      );
      expect(disabled[0]).toMatchObject({
        action: 'staff.enable',
        before: { status: 'disabled' },
        after: { status: 'active' },
      });
    });

    it('records sign-ins, failed sign-ins and denied attempts', async () => {
      const person = await createStaff(database.db, { roles: ['Staff'] });
      const failed = await app.inject({
        method: 'POST',
        url: '/v1/admin/auth/login',
        payload: { email: person.email, password: 'not it at all' },
      });
      expect(await entriesOf(failed.headers['x-correlation-id'] as string)).toMatchObject([
        {
          action: 'auth.login',
          outcome: 'failed',
          reason: 'wrong password',
          actor_type: 'anonymous',
          actor_email: person.email,
        },
      ]);
      const token = await signIn(app, person.email);
      const denied = await call('GET', '/v1/admin/roles', undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(denied.statusCode).toBe(403);
      expect(await entriesOf(denied.headers['x-correlation-id'] as string)).toMatchObject([
        {
          action: 'access.denied',
          outcome: 'denied',
          resource_id: 'GET /v1/admin/roles',
          actor_email: person.email,
        },
      ]);
    });

    it('lists with filters and cursor pages, newest first, and shows what changed', async () => {
      const first = await call('GET', '/v1/admin/system/audit-logs?action=staff.*&limit=2');
      const page = first.json<{
        data: { seq: number; action: string; id: string }[];
        nextCursor: number;
      }>();
      expect(page.data).toHaveLength(2);
      expect(page.data[0]!.seq).toBeGreaterThan(page.data[1]!.seq);
      expect(page.data.every((e) => e.action.startsWith('staff.'))).toBe(true);
      const next = await call(
        'GET',
        `/v1/admin/system/audit-logs?action=staff.*&limit=2&cursor=${page.nextCursor}`,
      );
      expect(next.json<{ data: { seq: number }[] }>().data[0]!.seq).toBeLessThan(page.data[1]!.seq);

      const roleChange = (
        await call('GET', '/v1/admin/system/audit-logs?action=staff.roles_changed')
      ).json<{ data: { id: string }[] }>();
      const detail = await call('GET', `/v1/admin/system/audit-logs/${roleChange.data[0]!.id}`);
      expect(detail.json()).toMatchObject({ reason: 'moved team', changes: [{ path: '/roles' }] });

      const text = await call('GET', '/v1/admin/system/audit-logs?q=moved%20team');
      expect(text.json<{ data: unknown[] }>().data).toHaveLength(1);
    });

    it('masks personal data inside before and after for callers without users:read_pii', async () => {
      await testAuditWriter().record(database.db, context('ops@x.test'), {
        action: 'users.update',
        resourceType: 'user',
        resourceId: 'u-42',
        before: { email: 'jane.doe@example.com', name: 'Jane Doe', plan: 'free' },
        after: { email: 'jane@example.org', name: 'Jane Doe', plan: 'pro' },
      });
      const staff = await signedIn(app, database.db, ['Staff']);
      const masked = await call(
        'GET',
        '/v1/admin/system/audit-logs?resourceId=u-42',
        undefined,
        staff.headers,
      );
      expect(masked.json<{ data: unknown[] }>().data[0]).toMatchObject({
        before: { email: 'j***@example.com', name: 'J*** D***', plan: 'free' },
        after: { email: 'j***@example.org', plan: 'pro' },
      });
      expect(masked.body).not.toContain('jane.doe');
      const clear = await call('GET', '/v1/admin/system/audit-logs?resourceId=u-42');
      expect(clear.body).toContain('jane.doe@example.com');
    });

    it('brings upstream actions into the trail, linked to their event, without copying ours', async () => {
      const userId = uuid();
      const blockedByOutsider = events.userBlocked(
        userId,
        uuid(),
        'spam',
        '2026-07-14T09:30:00.000Z',
      );
      await app.projector.ingest([{ body: blockedByOutsider, position: { source: 'webhook' } }]);
      const upstream = await database.db
        .selectFrom('audit_logs')
        .selectAll()
        .where('event_id', '=', blockedByOutsider.event_id)
        .execute();
      expect(upstream).toMatchObject([
        { actor_type: 'upstream', action: 'user.blocked', resource_id: userId, reason: 'spam' },
      ]);
      // Dated when it happened, apart from when it was ingested.
      expect(upstream[0]!.occurred_at).toEqual(new Date('2026-07-14T09:30:00.000Z'));
      expect(upstream[0]!.at.getTime()).toBeGreaterThan(Date.parse('2026-11-01T00:00:00Z'));

      // The backoffice blocked someone (its own entry), then the User Service's event confirms it.
      const correlationId = uuid();
      await testAuditWriter().record(
        database.db,
        {
          ...context(admin.email),
          actor: { type: 'staff', id: admin.id, email: admin.email },
          correlationId,
        },
        {
          action: 'users.block',
          resourceType: 'user',
          resourceId: 'u-ours',
        },
      );
      const confirmation = {
        ...events.userBlocked('00000000-0000-4000-8000-00000000beef', admin.id),
        metadata: { source_service: 'user-service', correlation_id: correlationId },
      };
      await app.projector.ingest([{ body: confirmation, position: { source: 'webhook' } }]);
      await app.projector.ingest([{ body: { ...confirmation }, position: { source: 'webhook' } }]);
      expect(await entriesOf(correlationId)).toHaveLength(1);
      const list = await call('GET', `/v1/admin/system/audit-logs?resourceId=u-ours`);
      expect(list.json<{ data: { linkedEventIds: string[] }[] }>().data[0]!.linkedEventIds).toEqual(
        [confirmation.event_id],
      );
    });

    it('shows when a platform action happened and when it was recorded, and who did what to whom, by name', async () => {
      const platformAdmin = uuid();
      const target = uuid();
      await app.projector.ingest(
        [
          events.userCreated({ id: platformAdmin, email: 'platform.admin@example.com' }),
          events.userCreated({ id: target, email: 'jane.target@example.com' }),
        ].map((body) => ({ body, position: { source: 'webhook' as const } })),
      );
      const block = events.userBlocked(target, platformAdmin, 'spam', '2026-07-02T08:15:00.000Z');
      await app.projector.ingest([{ body: block, position: { source: 'webhook' } }]);
      const role = await call('POST', '/v1/admin/roles', { name: `Named ${Date.now()}` });
      expect(role.statusCode).toBe(201);

      type Entry = {
        seq: number;
        at: string;
        occurredAt: string;
        source: string;
        action: string;
        actor: { label: string; person: string | null };
        resource: { type: string; id: string; label: string | null; email: string | null };
      };
      const list = async (query: string, headers = admin.headers) =>
        (await call('GET', `/v1/admin/system/audit-logs?${query}`, undefined, headers)).json<{
          data: Entry[];
        }>().data;

      const [platform] = await list(`source=platform&resourceId=${target}`);
      expect(platform).toMatchObject({
        source: 'platform',
        sourceService: 'user-service',
        occurredAt: '2026-07-02T08:15:00.000Z',
        actor: {
          type: 'upstream',
          label: 'User Service (platform)',
          person: 'platform.admin@example.com',
        },
        resource: { type: 'user', id: target, email: 'jane.target@example.com' },
      });
      expect(Date.parse(platform!.at)).toBeGreaterThan(Date.parse(platform!.occurredAt));
      expect(await list(`source=backoffice&resourceId=${target}`)).toEqual([]);

      const [created] = await list('action=roles.create&source=backoffice');
      expect(created).toMatchObject({
        source: 'backoffice',
        actor: { label: 'Test Person', email: admin.email, person: null },
        resource: { type: 'role', label: role.json<{ name: string }>().name },
      });
      expect(created!.occurredAt).toBe(created!.at);

      // Sorted and filtered by when it happened: the July block comes after today's entries.
      const all = await list('limit=200');
      const blockIndex = all.findIndex(
        (e) => e.resource.id === target && e.action === 'user.blocked',
      );
      const earlierSeq = all.findIndex((e) => e.seq < platform!.seq);
      expect(blockIndex).toBeGreaterThan(earlierSeq);
      expect(
        (await list('from=2026-07-02T00:00:00Z&to=2026-07-03T00:00:00Z')).map((e) => e.seq),
      ).toEqual([platform!.seq]);

      const staff = await signedIn(app, database.db, ['Staff']);
      const [masked] = await list(`source=platform&resourceId=${target}`, staff.headers);
      expect(masked).toMatchObject({
        actor: { label: 'User Service (platform)', person: 'p***@example.com' },
        resource: { email: 'j***@example.com' },
      });

      const user = await call('GET', `/v1/admin/users/${target}`);
      expect(user.json()).toMatchObject({
        blockedBy: platformAdmin,
        blockedByActor: {
          type: 'upstream',
          label: 'User Service (platform)',
          person: 'platform.admin@example.com',
        },
        recentAudit: [{ occurredAt: '2026-07-02T08:15:00.000Z', source: 'platform' }],
      });
    });

    it('verifies the chain as a job with progress and a result', async () => {
      const started = await call('POST', '/v1/admin/system/audit-logs/verify');
      expect(started.statusCode).toBe(202);
      const { id } = started.json<{ id: string }>();
      let job: { status: string; result: { ok: boolean; checked: number } | null } = {
        status: 'queued',
        result: null,
      };
      for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(job.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await call('GET', `/v1/admin/system/jobs/${id}`)).json();
      }
      expect(job, JSON.stringify(job)).toMatchObject({ status: 'succeeded', result: { ok: true } });
      expect(job.result?.checked).toBeGreaterThan(5);
    });

    it('refuses the action, writes the fallback file and reports unreadiness when the trail cannot be written', async () => {
      const name = `Unwritable ${Date.now()}`;
      await sql`ALTER TABLE audit_logs RENAME TO audit_logs_away`.execute(database.db);
      try {
        const refused = await call('POST', '/v1/admin/roles', { name });
        expect(refused.statusCode).toBe(503);
        expect(refused.json<{ detail: string }>().detail).toMatch(/audit trail cannot be written/);
        expect(
          await database.db.selectFrom('roles').select('id').where('name', '=', name).execute(),
        ).toEqual([]);
        const fallback = await fs.readFile(path.join(dataDir, 'audit-fallback.ndjson'), 'utf8');
        expect(fallback).toContain('"action":"roles.create"');
        const ready = await app.inject({ method: 'GET', url: '/readyz' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json()).toMatchObject({ checks: { audit: { ok: false } } });
      } finally {
        await sql`ALTER TABLE audit_logs_away RENAME TO audit_logs`.execute(database.db);
      }
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await call('POST', '/v1/admin/roles', { name })).statusCode).toBe(201);
    });
  });

  describe('export', () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let dir: string;

    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-export-'));
      database = await createTestDatabase();
      await fillAuditChain(database.db, 100_000);
      ({ app } = await buildTestApp(database));
      await app.listen({ port: 0, host: '127.0.0.1' });
      headers = (await signedIn(app, database.db, ['Admin'])).headers;
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await database.drop();
      await fs.rm(dir, { recursive: true, force: true });
    });

    const url = (query: string) => {
      const address = app.server.address();
      return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/v1/admin/system/audit-logs/export?${query}`;
    };

    it('streams 100,000 entries without holding them, and an independent verifier accepts the file', async () => {
      const file = path.join(dir, 'audit.ndjson');
      const handle = await fs.open(file, 'w');
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc === undefined) throw new Error('run with --expose-gc (vitest.config.ts sets it)');
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let bytes = 0;
      let chunks = 0;
      const response = await fetch(url('format=ndjson'), { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toMatch(
        /attachment; filename="audit-.*\.ndjson"/,
      );
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        bytes += chunk.byteLength;
        chunks++;
        // Live memory only: collect first, then read what is still held.
        if (chunks % 10 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
      }
      await handle.close();
      expect(bytes).toBeGreaterThan(50_000_000);
      expect(chunks).toBeGreaterThan(50);
      // Server and client share this process: holding the export would keep ~its size on the heap.
      expect(peak).toBeLessThan(bytes / 5);

      // 100,000 filled, plus the sign-in's and the export's own entries.
      const total = (
        await database.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow()
      ).seq;
      expect(total).toBeGreaterThan(100_000);
      const verified = spawnSync(process.execPath, [VERIFIER, file], { encoding: 'utf8' });
      expect(verified.stdout).toMatch(new RegExp(`^OK: ${total} entries verified`));
      expect(verified.status).toBe(0);

      const lines = (await fs.readFile(file, 'utf8')).split('\n');
      lines[500] = lines[500]!.replace('chargeback fraud', 'nothing to see');
      await fs.writeFile(file, lines.join('\n'));
      const broken = spawnSync(process.execPath, [VERIFIER, file], { encoding: 'utf8' });
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/^BROKEN at entry 501/);
    }, 120_000);

    it('exports CSV whose canonical column hashes to each row’s hash', async () => {
      const text = await (
        await fetch(url('format=csv&action=users.block&to=2100-01-01T00:00:00Z'), { headers })
      ).text();
      const [header, first] = text.split('\r\n');
      expect(header).toBe(
        'seq,id,at,occurred_at,actor_type,actor_id,actor_email,action,resource_type,resource_id,outcome,reason,before,after,ip,user_agent,correlation_id,event_id,metadata,prev_hash,hash,canonical',
      );
      const cells = parseCsvLine(first ?? '');
      expect(cells).toHaveLength(22);
      const [prevHash, hash, canonical] = cells.slice(-3);
      expect(
        createHash('sha256')
          .update(prevHash! + canonical!)
          .digest('hex'),
      ).toBe(hash);
    });
  });
});

/** RFC 4180: fields separated by commas, quoted when they hold commas or quotes ("" is a quote). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}
