import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { searchCondition } from './users.repository.ts';

interface UserList {
  data: { id: string; email: string }[];
  page: number;
  limit: number;
  total: number;
  totalIsEstimate: boolean;
  totalIsLowerBound: boolean;
  nextCursor: string | null;
}

/** Markers that appear in no other row, so each search below knows exactly what it must find. */
const tag = randomUUID().slice(0, 8);
const MANY = 1_500;
const ESTIMATED = 10_050;
const DOMAIN = `dom${tag}.example`;

/**
 * The users search on a read model of thousands of rows, inserted directly: how each kind of `q` is
 * answered (complete address, start of an address, any other text) and how far a search is counted.
 */
describe('GET /v1/admin/users: search', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let headers: { authorization: string };

  const list = async (query: Record<string, string | number>) => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/admin/users',
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<UserList>();
  };
  const emails = async (q: string) =>
    (await list({ q, limit: 100 })).data.map((u) => u.email).sort();

  const insertUsers = async (count: number, email: string, name: string, role: string) => {
    await sql`
      INSERT INTO user_summaries (id, email, name, role, state, created_at)
      SELECT gen_random_uuid(), format(${email}, i), ${name}, ${role}, 'Active',
             now() - make_interval(secs => i)
      FROM generate_series(1, ${count}) AS i
    `.execute(database.db);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database));
    ({ headers } = await signedIn(app, database.db, ['Admin']));
    // More text matches than a search counts; more filter matches than are counted exactly.
    await insertUsers(MANY, `many${tag}-%s@bulk.example`, 'Bulk Customer', 'Customer');
    await insertUsers(ESTIMATED, `est${tag}-%s@bulk.example`, 'Bulk Staff', 'Staff');
    await insertUsers(3, `sup${tag}-%s@bulk.example`, 'Admin Person', 'Admin');
    const addresses = [
      `Anna.K@Dom${tag}.Example`, // stored as the User Service sent it, in mixed case
      `xanna.k@${DOMAIN}`,
      `anna.k@${DOMAIN}.org`,
      `under_${tag}@x.example`,
      `underX${tag}@x.example`,
      `xunder_${tag}@x.example`,
      `pct%${tag}@x.example`,
      `pctABC${tag}@x.example`,
    ];
    await database.db
      .insertInto('user_summaries')
      .values(
        addresses.map((email) => ({
          id: randomUUID(),
          email,
          name: 'Single Person',
          role: 'Customer',
          state: 'Active',
          created_at: new Date(),
        })),
      )
      .execute();
    // Statistics, and the visibility map autovacuum would set at some moment of its choosing: the
    // plans below must not depend on whether it has come yet (under load, it came during the test).
    await sql`VACUUM ANALYZE user_summaries`.execute(database.db);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe('counting', () => {
    it('counts a text search up to 1,000 and then says "more than 1,000", never estimating', async () => {
      const first = await list({ q: `many${tag}`, limit: 100 });
      expect(first).toMatchObject({ total: 1000, totalIsEstimate: true, totalIsLowerBound: true });
      expect(first.data).toHaveLength(100);
      expect(first.nextCursor).not.toBeNull();

      // Past the count, pages go on: by number, and by cursor to the last match.
      const page41 = await list({ q: `many${tag}`, limit: 25, page: 41 });
      expect(page41.data).toHaveLength(25);
      expect(page41.nextCursor).not.toBeNull();
      const seen = new Set(first.data.map((u) => u.id));
      let cursor = first.nextCursor;
      while (cursor !== null) {
        const next = await list({ q: `many${tag}`, limit: 100, cursor });
        expect(next.totalIsLowerBound).toBe(true);
        for (const user of next.data) seen.add(user.id);
        cursor = next.nextCursor;
      }
      expect(seen.size).toBe(MANY);
    });

    it('counts a text search of up to 1,000 matches exactly', async () => {
      const few = await list({ q: `many${tag}-1`, limit: 5 }); // 1, 10–19, 100–199, 1000–1500
      expect(few).toMatchObject({ total: 612, totalIsEstimate: false, totalIsLowerBound: false });
    });

    it('counts filters without `q` exactly up to 1,000, and estimates beyond', async () => {
      const admins = await list({ role: 'Admin', limit: 1 });
      expect(admins).toMatchObject({ total: 3, totalIsEstimate: false, totalIsLowerBound: false });
      const customers = await list({ role: 'Customer', limit: 1 });
      expect(customers).toMatchObject({ totalIsEstimate: true, totalIsLowerBound: false });
      expect(customers.total).toBeGreaterThan(1_000);
      const staff = await list({ role: 'Staff', limit: 1 });
      expect(staff.total).toBeGreaterThan(10_000);
      expect(staff).toMatchObject({ totalIsEstimate: true, totalIsLowerBound: false });
    });
  });

  describe('what `q` finds', () => {
    it('finds a complete address only, in any case', async () => {
      expect(await emails(`anna.k@${DOMAIN}`)).toEqual([`Anna.K@Dom${tag}.Example`]);
      expect(await emails(`ANNA.K@${DOMAIN.toUpperCase()}`)).toEqual([`Anna.K@Dom${tag}.Example`]);
      expect(await emails(`nobody@${DOMAIN}`)).toEqual([]);
    });

    it('finds the addresses that begin with the start of one, up to its @ or beyond', async () => {
      expect(await emails(`Anna.K@dom${tag}`)).toEqual([
        `Anna.K@Dom${tag}.Example`,
        `anna.k@${DOMAIN}.org`,
      ]);
      expect(await emails(`anna.k@`)).toEqual([`Anna.K@Dom${tag}.Example`, `anna.k@${DOMAIN}.org`]);
    });

    it('takes % and _ in the start of an address literally', async () => {
      expect(await emails(`under_${tag}@x`)).toEqual([`under_${tag}@x.example`]);
      expect(await emails(`pct%${tag}@`)).toEqual([`pct%${tag}@x.example`]);
    });

    it('finds any contained part of an email or name otherwise, a domain included', async () => {
      expect(await emails(`@${DOMAIN}`)).toEqual([
        `Anna.K@Dom${tag}.Example`,
        `anna.k@${DOMAIN}.org`,
        `xanna.k@${DOMAIN}`,
      ]);
      expect(await emails(`nna.k@${DOMAIN}`)).toEqual([]); // a complete address: no longer contained
      expect((await list({ q: `dom${tag}`, limit: 100 })).total).toBe(3);
    });
  });

  it('says in the OpenAPI document how `q` searches and when `total` is a lower bound', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    const doc = response.json<{
      paths: Record<string, { get: { parameters: { name: string; description?: string }[] } }>;
      components: {
        schemas: Record<
          string,
          { required: string[]; properties: Record<string, { description?: string }> }
        >;
      };
    }>();
    const q = doc.paths['/v1/admin/users']?.get.parameters.find((p) => p.name === 'q');
    expect(q?.description).toMatch(/complete email address .* finds that address only/);
    const list = doc.components.schemas.UserList;
    expect(list?.required).toEqual(
      expect.arrayContaining(['totalIsEstimate', 'totalIsLowerBound']),
    );
    expect(list?.properties.totalIsLowerBound?.description).toMatch(/more than `total`/);
  });

  describe('plans', () => {
    /** The plan of the search's condition, with sequential scans priced out as on a large table. */
    const plan = (q: string) =>
      database.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const result = await sql<{ 'QUERY PLAN': string }>`
          EXPLAIN SELECT * FROM user_summaries WHERE email IS NOT NULL AND ${searchCondition(q)}
        `.execute(trx);
        return result.rows.map((r) => r['QUERY PLAN']).join('\n');
      });

    it('answers a complete address and the start of one through btree indexes on lower(email)', async () => {
      const exact = await plan(`anna.k@${DOMAIN}`);
      expect(exact).toMatch(/user_summaries_email_(prefix|id)_idx/);
      expect(exact).toMatch(/Index Cond: \(lower\(email\) = /);
      // A LIKE prefix becomes a range: on any server's collation through the byte-ordered index, and
      // through the sort's index too where the collation is bytewise (the embedded server's).
      expect(await plan(`anna.k@dom${tag}`)).toMatch(
        /user_summaries_email_(prefix|id)_idx[\s\S]*Index Cond: \(\(lower\(email\) (~>=~|>=) /,
      );
      expect(await plan(`many${tag}`)).toContain('user_summaries_search_idx');
    });

    it('knows how many users are in a state (statistics on the state expression)', async () => {
      // Without them (the index is partial), 0.5% was guessed: 5,002 "Active" of 1M for 982,900.
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        EXPLAIN SELECT * FROM user_summaries
        WHERE email IS NOT NULL AND coalesce(pending_state, state) = 'Active'
      `.execute(database.db);
      const estimated = Number(/rows=(\d+)/.exec(rows[0]?.['QUERY PLAN'] ?? '')?.[1]);
      expect(estimated).toBeGreaterThan(MANY + ESTIMATED / 2);
    });

    it('knows that an address matches about one user (statistics on lower(email))', async () => {
      // Without them, the planner guessed 0.5% of the users for any lower(email) condition, and walked
      // the whole registration-order index for the first page of an exact-address search.
      expect(await plan(`anna.k@${DOMAIN}`)).toMatch(/\(cost=[\d.]+ rows=1 width=\d+\)/);
    });
  });
});
