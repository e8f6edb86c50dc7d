import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** A user as the users list answers it (the fields the support tests look at). */
export interface UserItem {
  id: string;
  email: string;
  name: string | null;
  role: string;
  state: string;
  pending: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
  totalTransactions: number;
  totalBudgets: number;
}

export interface UserList {
  data: UserItem[];
  page: number;
  limit: number;
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

export interface AuditEntry {
  action: string;
  outcome: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  linkedEventIds: string[];
  metadata: unknown;
}

/**
 * The users API as a signed-in staff member calls it in the support tests: reads that must succeed,
 * posts whose answer the test checks, a user's audit entries, and customers in a given state that no
 * other test of the file has taken yet.
 */
export function usersApi(app: FastifyInstance, headers: { authorization: string }) {
  const get = async <T>(url: string, as = headers) => {
    const response = await app.inject({ method: 'GET', url, headers: as });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const post = (url: string, payload: unknown, as = headers) =>
    app.inject({ method: 'POST', url, headers: as, payload: payload as object });
  const list = (query: string, as = headers) => get<UserList>(`/v1/admin/users?${query}`, as);
  const auditOf = async (id: string) =>
    (
      await get<{ data: AuditEntry[] }>(
        `/v1/admin/system/audit-logs?resourceType=user&resourceId=${id}`,
      )
    ).data;
  const taken = new Set<string>();
  /** A customer in this state that no other test has taken. */
  const customer = async (state: 'Active' | 'Blocked' | 'Disabled' = 'Active') => {
    const { data } = await list(`role=Customer&state=${state}&limit=100`);
    const user = data.find((u) => !taken.has(u.id) && !u.pending);
    if (user === undefined) throw new Error(`no ${state} customer left`);
    taken.add(user.id);
    return user;
  };
  return { get, post, list, auditOf, customer, taken };
}
