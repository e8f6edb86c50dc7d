import { DEFAULT_PACKS, type PackName } from '@backoffice/contracts';

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
  'failed-login',
  'pet-creation',
  'pet-care',
  'pet-transfer',
  'pet-deletion',
  'payment',
  'payment-refund',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The pack an action belongs to; the User Service's sign-ups, sign-ins and sign-outs are both's. A
 * failed sign-in is there for the identity provider's LOGIN_ERROR, so it is Virtual Pet's.
 */
export const PACK_OF: Record<Action, PackName | 'both'> = {
  transaction: 'money-planner',
  login: 'both',
  logout: 'both',
  'sign-up': 'both',
  'transaction-correction': 'money-planner',
  'transaction-deletion': 'money-planner',
  'budget-change': 'money-planner',
  'budget-creation': 'money-planner',
  'budget-deletion': 'money-planner',
  'failed-login': 'virtual-pet',
  'pet-creation': 'virtual-pet',
  'pet-care': 'virtual-pet',
  'pet-transfer': 'virtual-pet',
  'pet-deletion': 'virtual-pet',
  payment: 'virtual-pet',
  'payment-refund': 'virtual-pet',
};

export function runsWith(action: Action, packs: readonly PackName[]): boolean {
  const pack = PACK_OF[action];
  return pack === 'both' || packs.includes(pack);
}

/** What the history tells directly: how many of these happened, by hour of the day (UTC). */
export type HistoryKind = 'sign-up' | 'login' | 'transaction' | 'pet' | 'pet-care' | 'payment';
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

/**
 * Virtual Pet's, in the proportions of its generated history: a failed sign-in per twenty sign-ins, a
 * refund per twenty payments, and transfers and deletions beside the owners' visits to their pets.
 */
const PER_LOGIN = { 'failed-login': 0.05 } as const;
const PER_PAYMENT = { 'payment-refund': 0.05 } as const;
const PER_PET_CARE = { 'pet-transfer': 0.02, 'pet-deletion': 0.015 } as const;

const HOUR_MS = 3_600_000;

/**
 * The average day of `days` days of history, hour by hour, as expected live actions per hour; the
 * actions of packs not in `packs` never happen.
 */
export function ratesFromHistory(
  counts: readonly HistoryCount[],
  days: number,
  packs: readonly PackName[] = DEFAULT_PACKS,
): HourlyRates {
  const perHour = (kind: HistoryKind) => {
    const hours = new Array<number>(24).fill(0);
    for (const c of counts) if (c.kind === kind) hours[c.hour] = (hours[c.hour] ?? 0) + c.count;
    return hours.map((n) => n / days);
  };
  const transaction = perHour('transaction');
  const login = perHour('login');
  const payment = perHour('payment');
  const care = perHour('pet-care');
  const scaled = (of: number[], factor: number) => of.map((n) => n * factor);
  const rates: HourlyRates = {
    transaction,
    login,
    logout: [...login],
    'sign-up': perHour('sign-up'),
    'transaction-correction': scaled(transaction, PER_TRANSACTION['transaction-correction']),
    'transaction-deletion': scaled(transaction, PER_TRANSACTION['transaction-deletion']),
    'budget-change': scaled(transaction, PER_TRANSACTION['budget-change']),
    'budget-creation': scaled(transaction, PER_TRANSACTION['budget-creation']),
    'budget-deletion': scaled(transaction, PER_TRANSACTION['budget-deletion']),
    'failed-login': scaled(login, PER_LOGIN['failed-login']),
    'pet-creation': perHour('pet'),
    'pet-care': care,
    'pet-transfer': scaled(care, PER_PET_CARE['pet-transfer']),
    'pet-deletion': scaled(care, PER_PET_CARE['pet-deletion']),
    payment,
    'payment-refund': scaled(payment, PER_PAYMENT['payment-refund']),
  };
  for (const action of ACTIONS) {
    if (!runsWith(action, packs)) rates[action] = new Array<number>(24).fill(0);
  }
  return rates;
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
