import type {
  AuditEntry,
  AuditEntryDetail,
  DashboardHealth,
  DashboardMetrics,
  TransactionDetail,
  TransactionItem,
  UserDetail,
  UserListItem,
} from '../api/types.ts';

/** Answers of the API as the server gives them, for the fake API of screen tests. */

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() - offset * DAY).toISOString().slice(0, 10);

export function metricsResponse(
  overrides: {
    total?: number;
    todayCount?: number;
    catchingUp?: { behind: number; since: string } | null;
    tiles?: { key: string; label: string; value: number }[];
  } = {},
) {
  const total = overrides.total ?? 1_234;
  const todayCount = overrides.todayCount ?? 57;
  const dayTotals = (offset: number, count: number) => ({
    date: day(offset),
    count,
    volume: (count * 12.5).toFixed(2),
    income: (count * 5).toFixed(2),
    expense: (count * 7.5).toFixed(2),
    users: Math.ceil(count / 3),
  });
  return {
    users: {
      total,
      active30d: 800,
      withActiveSessions: 120,
      activeSessions: 150,
      blocked: 7,
      registrations7d: 42,
      registrations30d: 180,
      byRole: { Customer: total - 3, Staff: 2, Admin: 1 },
    },
    growth: {
      daily: Array.from({ length: 90 }, (_, i) => ({
        date: day(89 - i),
        registrations: i % 5,
        total: total - (89 - i) * 2,
      })),
      weekly: Array.from({ length: 26 }, (_, i) => ({
        weekStart: day((25 - i) * 7),
        registrations: 14,
        total: total - (25 - i) * 14,
      })),
    },
    transactions: {
      total: 99_000,
      today: dayTotals(0, todayCount),
      daily: Array.from({ length: 30 }, (_, i) => dayTotals(29 - i, i === 29 ? todayCount : 40)),
    },
    budgets: { total: 300 },
    tiles: overrides.tiles ?? [],
    catchingUp: overrides.catchingUp ?? null,
    computedAt: new Date().toISOString(),
    active30dComputedAt: new Date(Date.now() - 30_000).toISOString(),
  } satisfies DashboardMetrics;
}

export function healthResponse() {
  return {
    services: [
      {
        service: 'user-service',
        name: 'User Service',
        url: 'http://users.internal',
        status: 'up',
        latencyMs: 12,
        circuit: 'closed',
        checkedAt: new Date().toISOString(),
        error: null,
      },
      {
        service: 'transaction-service',
        name: 'Transaction Service',
        url: 'http://transactions.internal',
        status: 'down',
        latencyMs: null,
        circuit: 'open',
        checkedAt: new Date().toISOString(),
        error: 'connect ECONNREFUSED',
      },
    ],
    database: { status: 'up', latencyMs: 1.5 },
    sources: [
      {
        name: 'webhook',
        enabled: true,
        connected: null,
        lag: null,
        lastEventAt: new Date().toISOString(),
        eventsPerSecond: 4.2,
      },
      {
        name: 'kafka',
        enabled: true,
        connected: true,
        lag: 17,
        lastEventAt: new Date().toISOString(),
        eventsPerSecond: 120,
      },
    ],
    checkedAt: new Date().toISOString(),
  } satisfies DashboardHealth;
}

export const USER_ID = '00000000-0000-4000-8000-0000000000b1';
export const OTHER_USER_ID = '00000000-0000-4000-8000-0000000000b2';

export function userItem(overrides: Partial<UserListItem> = {}): UserListItem {
  return {
    id: USER_ID,
    email: 'maria.lopez@example.com',
    name: 'Maria Lopez',
    role: 'Customer',
    state: 'Active',
    pending: false,
    pendingSince: null,
    createdAt: '2026-10-01T09:00:00.000Z',
    lastLoginAt: '2026-11-19T18:30:00.000Z',
    lastActivityAt: '2026-11-20T08:00:00.000Z',
    activeSessions: 1,
    totalTransactions: 12,
    totalBudgets: 2,
    ...overrides,
  };
}

export function userList(items: UserListItem[], page = 1, limit = 25, total = items.length) {
  return {
    data: items,
    page,
    limit,
    total,
    totalIsEstimate: false,
    totalIsLowerBound: false,
    nextCursor: null,
  };
}

export const TRANSACTION_ID = '00000000-0000-4000-8000-0000000000c1';

export function transactionItem(overrides: Partial<TransactionItem> = {}): TransactionItem {
  return {
    id: TRANSACTION_ID,
    userId: USER_ID,
    amount: '42.50',
    description: 'Groceries',
    transactionType: 'EXPENSE',
    categoryId: 'food',
    categoryName: 'Food',
    date: '2026-11-18T12:00:00.000Z',
    createdAt: '2026-11-18T12:00:00.000Z',
    updatedAt: '2026-11-18T12:00:00.000Z',
    ...overrides,
  };
}

export function transactionDetail(overrides: Partial<TransactionDetail> = {}): TransactionDetail {
  return {
    ...transactionItem(),
    source: 'transaction-service',
    stale: false,
    reviewedAt: null,
    reviewedBy: null,
    ...overrides,
  };
}

export const AUDIT_ID = '00000000-0000-4000-8000-0000000000a1';

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: AUDIT_ID,
    seq: 41,
    at: '2026-11-20T10:00:00.000Z',
    occurredAt: '2026-11-20T10:00:00.000Z',
    source: 'backoffice',
    sourceService: null,
    actor: {
      type: 'staff',
      id: '00000000-0000-4000-8000-000000000001',
      email: 'ann@example.com',
      label: 'Ann Admin',
      person: null,
    },
    action: 'users.block',
    resource: { type: 'user', id: USER_ID, label: null, email: 'jane@example.com' },
    outcome: 'success',
    reason: 'Chargeback fraud',
    before: { state: 'Active' },
    after: { state: 'Blocked' },
    ip: '10.0.0.1',
    userAgent: 'Mozilla/5.0 Chrome/130.0',
    correlationId: 'web-abc',
    eventId: null,
    linkedEventIds: [],
    metadata: { changed: true },
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
    ...overrides,
  };
}

export function auditDetail(overrides: Partial<AuditEntryDetail> = {}): AuditEntryDetail {
  return {
    ...auditEntry(),
    changes: [{ path: '/state', before: 'Active', after: 'Blocked' }],
    ...overrides,
  };
}

export function userDetail(overrides: Partial<UserDetail> = {}): UserDetail {
  return {
    ...userItem(),
    updatedAt: '2026-11-20T08:00:00.000Z',
    blockedAt: null,
    blockedBy: null,
    blockedByActor: null,
    blockReason: null,
    sessions: [
      {
        sessionId: 'sess-1',
        createdAt: '2026-11-20T07:00:00.000Z',
        expiresAt: '2026-11-21T07:00:00.000Z',
        ip: '192.0.2.10',
        userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1',
      },
    ],
    recentTransactions: [transactionItem()],
    budgets: [
      {
        id: '00000000-0000-4000-8000-0000000000d1',
        name: 'Groceries',
        amount: '400.00',
        spent: '120.50',
        periodType: 'MONTHLY',
        status: 'ACTIVE',
        categoryId: 'food',
        createdAt: '2026-10-02T09:00:00.000Z',
        updatedAt: '2026-11-18T12:00:00.000Z',
      },
    ],
    recentAudit: [auditEntry()],
    piiRevealedUntil: null,
    ...overrides,
  };
}
