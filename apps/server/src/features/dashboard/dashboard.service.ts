import {
  DashboardMetricsSchema,
  type DashboardHealth,
  type DashboardMetrics,
} from '@backoffice/contracts';
import type { DashboardTile } from '../../platform/modules/feature-module.ts';
import type { IngestionService } from '../ingestion/ingestion.service.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { servicesSeenBy, type Upstreams } from '../../platform/upstream/plugin.ts';
import type { DashboardRepository } from './dashboard.repository.ts';

const DAY = 86_400_000;
const day = (offset: number, now = Date.now()) =>
  new Date(now - offset * DAY).toISOString().slice(0, 10);

/** Monday (UTC) of the week of a day. */
function weekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
}

const money = (value: string | undefined) => value ?? '0.00';

interface MetricsDocument {
  value: DashboardMetrics;
  /** Validated against the contract and serialised once, for every reader. */
  json: string;
  at: number;
}

/**
 * The main spec's Phase 1 statistics and the platform's health. Everything is read from counters,
 * daily aggregates and a periodic snapshot: the cost does not grow with the number of users or
 * transactions.
 */
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly upstream: Upstreams,
    private readonly ingestion: IngestionService,
    /** How long the metrics document is served from memory at most, unless a change evicts it first. */
    private readonly maxAgeMs = 1_000,
    /** The figures the running features add (their counters). */
    private readonly tiles: readonly DashboardTile[] = [],
  ) {}

  private document: MetricsDocument | undefined;
  private computing: Promise<MetricsDocument> | undefined;
  private generation = 0;

  /**
   * The metrics, as one document for every viewer (it holds no personal data): computed at most once
   * per change and per `maxAgeMs`, whatever the number of readers; `invalidate` drops it when
   * the read model changed (a batch committed here or elsewhere).
   */
  async metrics(): Promise<DashboardMetrics> {
    return (await this.current()).value;
  }

  /** The same, serialised: what GET /v1/admin/dashboard/metrics sends as it is. */
  async metricsJson(): Promise<string> {
    return (await this.current()).json;
  }

  invalidate(): void {
    this.generation++;
    this.document = undefined;
    this.computing = undefined; // a reader from now on must not get what was computed before
  }

  private async current(): Promise<MetricsDocument> {
    const document = this.document;
    if (document !== undefined && Date.now() - document.at < this.maxAgeMs) return document;
    if (this.computing === undefined) {
      const computing = this.compute().finally(() => {
        if (this.computing === computing) this.computing = undefined;
      });
      this.computing = computing;
    }
    return this.computing;
  }

  private async compute(): Promise<MetricsDocument> {
    const generation = this.generation;
    const at = Date.now();
    const value = DashboardMetricsSchema.parse(await this.computeMetrics());
    const document = { value, json: JSON.stringify(value), at };
    // A change while it was computed: serve this once, but do not keep it.
    if (generation === this.generation) this.document = document;
    return document;
  }

  /** The metrics computed now, from the read model, without the cache. */
  async computeMetrics(): Promise<DashboardMetrics> {
    const now = Date.now();
    const [counters, registrations, transactions, active] = await Promise.all([
      this.repository.counters(),
      this.repository.registrations(day(181, now)),
      this.repository.transactionsPerDay(day(29, now)),
      this.repository.snapshot('users.active30d'),
    ]);
    const count = (name: string) => counters[name] ?? 0;
    const total = count('users.total');

    // Growth: registrations per day for 90 days, and the running total (counted back from now).
    const perDay = new Map(registrations.map((r) => [r.date, r.registrations]));
    const daily: DashboardMetrics['growth']['daily'] = [];
    let running = total;
    for (let offset = 0; offset < 90; offset++) {
      const date = day(offset, now);
      const registered = perDay.get(date) ?? 0;
      daily.unshift({ date, registrations: registered, total: running });
      running -= registered;
    }
    const weeks = new Map<string, number>();
    for (const r of registrations)
      weeks.set(weekStart(r.date), (weeks.get(weekStart(r.date)) ?? 0) + r.registrations);
    const weekly: DashboardMetrics['growth']['weekly'] = [];
    running = total;
    for (let offset = 0; offset < 26; offset++) {
      const start = weekStart(day(offset * 7, now));
      const registered = weeks.get(start) ?? 0;
      weekly.unshift({ weekStart: start, registrations: registered, total: running });
      running -= registered;
    }
    const sumSince = (days: number) =>
      registrations
        .filter((r) => r.date >= day(days - 1, now))
        .reduce((n, r) => n + r.registrations, 0);

    const byDay = new Map(transactions.map((t) => [t.date, t]));
    const dayTotals = (date: string) => {
      const t = byDay.get(date);
      return {
        date,
        count: t?.total_transactions ?? 0,
        volume: money(t?.total_amount),
        income: money(t?.income_amount),
        expense: money(t?.expense_amount),
        users: t?.total_users ?? 0,
      };
    };

    return {
      users: {
        total,
        active30d: typeof active?.value === 'number' ? active.value : 0,
        withActiveSessions: count('users.with_active_sessions'),
        activeSessions: count('sessions.active'),
        blocked: count('users.blocked'),
        registrations7d: sumSince(7),
        registrations30d: sumSince(30),
        byRole: Object.fromEntries(
          Object.entries(counters)
            .filter(([name]) => name.startsWith('users.role.'))
            .map(([name, value]) => [name.slice('users.role.'.length), value]),
        ),
      },
      growth: { daily, weekly },
      transactions: {
        total: count('transactions.total'),
        today: dayTotals(day(0, now)),
        daily: Array.from({ length: 30 }, (_, i) => dayTotals(day(29 - i, now))),
      },
      budgets: { total: count('budgets.total') },
      tiles: this.tiles.map((tile) => ({
        key: tile.counter,
        label: tile.label,
        value: count(tile.counter),
      })),
      catchingUp: this.ingestion.catchingUp(),
      computedAt: new Date(now).toISOString(),
      active30dComputedAt: active?.computedAt.toISOString() ?? null,
    };
  }

  /** Recounts the users active in the last 30 days (a timer calls this every minute). */
  async refreshSnapshots(): Promise<void> {
    await this.repository.refreshActive30d();
    this.invalidate();
  }

  /** The health document as this person may see it (GET /v1/admin/dashboard/health). */
  async healthSeenBy(viewer: Principal | null): Promise<DashboardHealth> {
    const health = await this.health();
    return { ...health, services: servicesSeenBy(viewer, health.services) };
  }

  /** The whole document: the realtime hub shows each subscriber their own view of it. */
  async health(): Promise<DashboardHealth> {
    let database: DashboardHealth['database'];
    try {
      database = { status: 'up', latencyMs: await this.repository.ping() };
    } catch {
      database = { status: 'down', latencyMs: null };
    }
    const status = await this.ingestion.status().catch(() => ({ sources: [] }));
    return {
      services: this.upstream.health(),
      database,
      sources: status.sources.map((s) => ({
        name: s.name,
        enabled: s.enabled,
        connected: s.connected,
        lag: s.lag,
        lastEventAt: s.lastEventAt,
        eventsPerSecond: s.eventsPerSecond,
      })),
      checkedAt: new Date().toISOString(),
    };
  }
}
