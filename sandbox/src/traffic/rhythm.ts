/** What live users do. */
export const ACTIONS = [
  'transaction',
  'login',
  'logout',
  'sign-up',
  'transaction-correction',
  'transaction-deletion',
  'budget-change',
  'budget-creation',
  'budget-deletion',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What the history tells directly: how many of these happened, by hour of the day (UTC). */
export type HistoryKind = 'sign-up' | 'login' | 'transaction';
export interface HistoryCount {
  kind: HistoryKind;
  /** 0–23, UTC. */
  hour: number;
  count: number;
}

/** Expected actions of each kind in each hour of the day (UTC): 24 numbers per action. */
export type HourlyRates = Record<Action, number[]>;

/**
 * Actions the history does not count one by one, relative to what it does: sessions end about as
 * often as they start (the active sessions stay steady), and corrections and budget changes keep the
 * proportions live traffic has always had to the transactions.
 */
const PER_TRANSACTION = {
  'transaction-correction': 5 / 55,
  'transaction-deletion': 2 / 55,
  'budget-change': 8 / 55,
  'budget-creation': 3 / 55,
  'budget-deletion': 1 / 55,
} as const;

const HOUR_MS = 3_600_000;

/** The average day of `days` days of history, hour by hour, as expected live actions per hour. */
export function ratesFromHistory(counts: readonly HistoryCount[], days: number): HourlyRates {
  const perHour = (kind: HistoryKind) => {
    const hours = new Array<number>(24).fill(0);
    for (const c of counts) if (c.kind === kind) hours[c.hour] = (hours[c.hour] ?? 0) + c.count;
    return hours.map((n) => n / days);
  };
  const transaction = perHour('transaction');
  const login = perHour('login');
  const scaled = (factor: number) => transaction.map((n) => n * factor);
  return {
    transaction,
    login,
    logout: [...login],
    'sign-up': perHour('sign-up'),
    'transaction-correction': scaled(PER_TRANSACTION['transaction-correction']),
    'transaction-deletion': scaled(PER_TRANSACTION['transaction-deletion']),
    'budget-change': scaled(PER_TRANSACTION['budget-change']),
    'budget-creation': scaled(PER_TRANSACTION['budget-creation']),
    'budget-deletion': scaled(PER_TRANSACTION['budget-deletion']),
  };
}

/**
 * When the next live action happens, and which: a Poisson process whose rate follows the hour of the
 * day, so that by any time of day as many actions of each kind have happened as on an average day of
 * the history by then. `random` gives uniform values in [0, 1) (seeded in tests).
 */
export class Rhythm {
  private readonly totals: number[];

  constructor(
    private readonly rates: HourlyRates,
    private readonly random: () => number,
  ) {
    this.totals = Array.from({ length: 24 }, (_, hour) =>
      ACTIONS.reduce((sum, action) => sum + (rates[action][hour] ?? 0), 0),
    );
  }

  /** Actions expected in an average day. */
  get perDay(): number {
    return this.totals.reduce((a, b) => a + b, 0);
  }

  /** The next action after `now` (ms since the epoch); undefined when the history has none at all. */
  next(now: number): { at: number; action: Action } | undefined {
    if (this.perDay <= 0) return undefined;
    // An exponential waiting time in "expected actions", spent hour by hour at each hour's rate.
    let budget = -Math.log(1 - this.random());
    let t = now;
    for (;;) {
      const hourIndex = Math.floor(t / HOUR_MS);
      const hour = hourIndex % 24;
      const end = (hourIndex + 1) * HOUR_MS;
      const perMs = (this.totals[hour] ?? 0) / HOUR_MS;
      if (perMs * (end - t) >= budget) {
        const at = t + budget / perMs;
        return { at, action: this.pick(hour) };
      }
      budget -= perMs * (end - t);
      t = end;
    }
  }

  private pick(hour: number): Action {
    let x = this.random() * (this.totals[hour] ?? 0);
    for (const action of ACTIONS) {
      x -= this.rates[action][hour] ?? 0;
      if (x < 0) return action;
    }
    return 'transaction';
  }
}
