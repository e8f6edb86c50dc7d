import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featuresFor } from '../../packs/index.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { ResourceDefinition } from './resource.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

/**
 * A fixture pack adds a resource the documented way (docs/resources.md): one migration (its table) and
 * one declaration. Everything else (list, filters, sort, cursor pages, detail, export, OpenAPI entries,
 * permission checks, masking of personal data) comes from the declaration.
 */
const MIGRATION = sql`
  CREATE TABLE fixture_parcels (
    id uuid PRIMARY KEY,
    sender_email text NOT NULL,
    label text NOT NULL,
    status text NOT NULL,
    weight_grams integer NOT NULL,
    price numeric(12, 2) NOT NULL,
    fragile boolean NOT NULL,
    sent_at timestamptz NOT NULL,
    note text
  )
`;

const parcels: ResourceDefinition = {
  name: 'parcels',
  title: 'Parcels',
  singular: 'parcel',
  description: 'Parcels of the fixture pack',
  table: 'fixture_parcels',
  key: 'id',
  permission: 'transactions:read',
  subject: 'id',
  defaultSort: '-sentAt',
  fields: [
    { name: 'id', column: 'id', type: 'uuid', filter: true, sortable: true },
    { name: 'senderEmail', column: 'sender_email', type: 'text', pii: 'email', filter: true },
    { name: 'label', column: 'label', type: 'text', sortable: true },
    {
      name: 'status',
      column: 'status',
      type: 'enum',
      values: ['sent', 'delivered', 'lost'],
      filter: true,
    },
    { name: 'weightGrams', column: 'weight_grams', type: 'integer', filter: true, sortable: true },
    { name: 'price', column: 'price', type: 'decimal', filter: true },
    { name: 'fragile', column: 'fragile', type: 'boolean', filter: true },
    { name: 'sentAt', column: 'sent_at', type: 'timestamp', filter: true, sortable: true },
    { name: 'note', column: 'note', type: 'text', nullable: true, list: false },
  ],
};

const fixtureFeature: FeatureModule = { name: 'parcels', resources: [parcels] };

const STATUSES = ['sent', 'delivered', 'lost'] as const;
const COUNT = 57;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('a resource declared by a pack (fixture pack: parcels)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: { headers: { authorization: string } };
  let staff: { headers: { authorization: string } };

  beforeAll(async () => {
    database = await createTestDatabase();
    await MIGRATION.execute(database.db);
    for (let n = 1; n <= COUNT; n++) {
      await sql`
        INSERT INTO fixture_parcels VALUES (
          ${id(n)}, ${`sender${n}@parcels.example`},
          ${n === 7 ? '=HYPERLINK("http://evil.example")' : `Parcel ${n}`},
          ${STATUSES[n % 3]}, ${n * 100}, ${`${n}.50`}, ${n % 2 === 0},
          ${new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString()},
          ${n === 1 ? 'handle with care' : null}
        )
      `.execute(database.db);
    }
    ({ app } = await buildTestApp(
      database,
      {},
      {
        features: [...featuresFor(['money-planner']), fixtureFeature],
      },
    ));
    admin = await signedIn(app, database.db, ['Admin']);
    staff = await signedIn(app, database.db, ['Staff']);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const get = (url: string, who: { headers: { authorization: string } } = admin) =>
    app.inject({ method: 'GET', url, headers: who.headers });

  type Page = {
    data: Record<string, unknown>[];
    total: number;
    totalIsLowerBound: boolean;
    nextCursor: string | null;
  };

  it('lists items in the default sort, with a total, and pages through all of them by cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(
        `/v1/admin/parcels?limit=10${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(response.statusCode).toBe(200);
      const page = response.json<Page>();
      expect(page.total).toBe(COUNT);
      expect(page.totalIsLowerBound).toBe(false);
      seen.push(...page.data.map((item) => item.id as string));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(6);
    // Newest first, each once.
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => id(COUNT - i)));
  });

  it('serves a page by number too (offset), for tables with page numbers', async () => {
    const response = await get('/v1/admin/parcels?limit=10&page=6');
    expect(response.statusCode).toBe(200);
    const page = response.json<Page & { page: number }>();
    expect(page.page).toBe(6);
    expect(page.data.map((item) => item.id)).toEqual(
      Array.from({ length: COUNT - 50 }, (_, i) => id(COUNT - 50 - i)),
    );
    expect(page.nextCursor).toBeNull();
  });

  it('filters by enum (several values, any case), range, timestamp range, boolean and equality', async () => {
    const ids = async (query: string) => {
      const response = await get(`/v1/admin/parcels?limit=100&sort=weightGrams&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<Page>().data.map((item) => Number((item.id as string).slice(-12)));
    };
    const all = Array.from({ length: COUNT }, (_, i) => i + 1);
    expect(await ids('status=LOST,delivered')).toEqual(all.filter((n) => n % 3 !== 0));
    expect(await ids('weightGramsMin=1000&weightGramsMax=1500')).toEqual([10, 11, 12, 13, 14, 15]);
    expect(await ids('priceMin=55')).toEqual([55, 56, 57]);
    expect(await ids('sentAtFrom=2026-01-01T05:00:00Z&sentAtTo=2026-01-01T08:00:00Z')).toEqual([
      5, 6, 7,
    ]);
    expect(await ids('fragile=true&weightGramsMax=800')).toEqual([2, 4, 6, 8]);
    expect(await ids(`senderEmail=sender9@parcels.example`)).toEqual([9]);
    expect(await ids(`id=${id(3)}`)).toEqual([3]);
  });

  it('pages through items that differ below the millisecond without skipping or repeating one', async () => {
    // Eight parcels sent within the same millisecond, a microsecond apart (a now() default does this).
    // A cursor that carried the instant as JSON shows it (milliseconds) skipped those after the page end.
    const micro = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
    for (let n = 1; n <= 8; n++)
      await sql`
        INSERT INTO fixture_parcels VALUES (
          ${micro(n)}, 'micro@parcels.example', ${`Micro ${n}`}, 'sent', 1, 1, false,
          ${`2027-03-01T00:00:00.000${n}00Z`}::timestamptz, NULL
        )
      `.execute(database.db);
    try {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await get(
          `/v1/admin/parcels?limit=3&sentAtFrom=2027-03-01T00:00:00Z${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json<Page>();
        seen.push(...page.data.map((item) => item.id as string));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual([8, 7, 6, 5, 4, 3, 2, 1].map(micro));
    } finally {
      await sql`DELETE FROM fixture_parcels WHERE label LIKE 'Micro %'`.execute(database.db);
    }
  });

  it('refuses a malformed id filter (compared as uuid, an index serves it) and finds no item by one', async () => {
    const malformed = await get('/v1/admin/parcels?id=not-an-id');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ detail: string }>().detail).toContain('must be an id');
    expect((await get('/v1/admin/parcels/not-an-id')).statusCode).toBe(404);
  });

  it('answers 400 for an unknown enum value, a sort that is not declared, or a broken cursor', async () => {
    for (const query of ['status=stolen', 'sort=note', 'cursor=bm90LWpzb24', 'weightGramsMin=x']) {
      const response = await get(`/v1/admin/parcels?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('shows one item, and 404 for one that does not exist', async () => {
    const found = await get(`/v1/admin/parcels/${id(1)}`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      id: id(1),
      senderEmail: 'sender1@parcels.example',
      weightGrams: 100,
      price: '1.50',
      fragile: false,
      sentAt: '2026-01-01T01:00:00.000Z',
      note: 'handle with care',
    });
    const missing = await get(`/v1/admin/parcels/${id(999)}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ detail: `No parcel ${id(999)}.` });
  });

  it('masks personal data for a caller without the personal-data permission, in list, detail and export', async () => {
    const list = (await get('/v1/admin/parcels?limit=100', staff)).json<Page>();
    expect(list.data).toHaveLength(COUNT);
    const detail = (await get(`/v1/admin/parcels/${id(9)}`, staff)).json<{ senderEmail: string }>();
    const exported = (await get('/v1/admin/parcels/export?format=ndjson', staff)).body;
    for (const body of [JSON.stringify(list), JSON.stringify(detail), exported])
      expect(body).not.toMatch(/sender\d+@/);
    expect(detail.senderEmail).toBe('s***@parcels.example');
  });

  it('checks the permission on every route, and signs nobody in for free', async () => {
    const role = await app.inject({
      method: 'POST',
      url: '/v1/admin/roles',
      headers: admin.headers,
      payload: { name: 'Dashboard only', grants: ['dashboard:read'] },
    });
    expect(role.statusCode, role.body).toBe(201);
    const viewer = await signedIn(app, database.db, ['Dashboard only']);
    for (const url of [
      '/v1/admin/parcels',
      `/v1/admin/parcels/${id(1)}`,
      '/v1/admin/parcels/export',
    ]) {
      expect((await get(url, viewer)).statusCode, url).toBe(403);
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    const described = (await get('/v1/admin/resources', viewer)).json<{ data: unknown[] }>();
    expect(described.data).toEqual([]);
  });

  it('exports the filter as CSV (formula-safe cells) or NDJSON, streamed, and audits the export', async () => {
    const csv = await get(
      '/v1/admin/parcels/export?format=csv&sort=weightGrams&weightGramsMax=700',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="parcels-.*\.csv"/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,senderEmail,label,status,weightGrams,price,fragile,sentAt,note');
    expect(lines).toHaveLength(8);
    expect(lines[7]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

    const ndjson = await get('/v1/admin/parcels/export?format=ndjson&status=lost');
    const items = ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { status: string });
    expect(items).toHaveLength(
      Array.from({ length: COUNT }, (_, i) => i + 1).filter((n) => n % 3 === 2).length,
    );
    expect(new Set(items.map((item) => item.status))).toEqual(new Set(['lost']));

    const audit = await get('/v1/admin/system/audit-logs?action=resources.export');
    const entries = audit.json<{ data: { resource: { type: string }; metadata: unknown }[] }>()
      .data;
    expect(entries.map((e) => e.resource.type)).toContain('parcels');
    expect(entries.map((e) => e.metadata)).toContainEqual(
      expect.objectContaining({ format: 'csv', filter: { weightGramsMax: 700 }, masked: false }),
    );
  });

  it('documents its routes and schemas in the OpenAPI document, under its own tag', async () => {
    const document = (await get('/docs/json')).json<{
      paths: Record<string, Record<string, { tags: string[]; parameters?: { name: string }[] }>>;
      tags: { name: string }[];
    }>();
    expect(document.tags.map((t) => t.name)).toContain('parcels');
    for (const path of ['/v1/admin/parcels', '/v1/admin/parcels/{id}', '/v1/admin/parcels/export'])
      expect(document.paths[path]?.get?.tags, path).toEqual(['parcels']);
    expect(document.paths['/v1/admin/parcels']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'status',
        'weightGramsMin',
        'sentAtFrom',
        'fragile',
        'sort',
        'cursor',
      ]),
    );
  });

  it('describes itself to the UI: fields, filters, sort, personal data', async () => {
    const described = (await get('/v1/admin/resources', staff)).json<{
      data: { name: string; fields: { name: string; pii: boolean; list: boolean }[] }[];
    }>();
    const mine = described.data.find((r) => r.name === 'parcels');
    expect(mine?.fields.find((f) => f.name === 'senderEmail')).toMatchObject({ pii: true });
    expect(mine?.fields.find((f) => f.name === 'note')).toMatchObject({ list: false });
  });
});
