/**
 * The Money Planner's transaction categories. Their ids are fixed (not generated) so that every sandbox,
 * whatever its seed, and every test agree on them.
 */
export type TransactionType = 'EXPENSE' | 'INCOME';

export interface Category {
  id: string;
  name: string;
  type: TransactionType;
  /** Relative frequency among the transactions of its type. */
  weight: number;
  /** Plausible amount range, in cents. */
  minCents: number;
  maxCents: number;
  /** Descriptions as they appear on a statement. */
  merchants: readonly string[];
  /** Monthly budget range for this category, in whole currency units (0: not budgeted). */
  monthlyBudget: readonly [number, number];
}

const category = (n: number) => `c47e6a10-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export const CATEGORIES: readonly Category[] = [
  {
    id: category(1),
    name: 'Groceries',
    type: 'EXPENSE',
    weight: 22,
    minCents: 450,
    maxCents: 18_000,
    merchants: ['Whole Foods Market', 'Trader Joe’s', 'Aldi', 'Lidl', 'Safeway', 'Corner Market'],
    monthlyBudget: [250, 800],
  },
  {
    id: category(2),
    name: 'Rent',
    type: 'EXPENSE',
    weight: 3,
    minCents: 60_000,
    maxCents: 250_000,
    merchants: ['Monthly rent', 'Greenview Properties', 'Parkside Apartments'],
    monthlyBudget: [0, 0],
  },
  {
    id: category(3),
    name: 'Utilities',
    type: 'EXPENSE',
    weight: 6,
    minCents: 2_500,
    maxCents: 25_000,
    merchants: ['City Power & Light', 'Water Services', 'Fiber Internet', 'Mobile plan'],
    monthlyBudget: [100, 300],
  },
  {
    id: category(4),
    name: 'Transport',
    type: 'EXPENSE',
    weight: 12,
    minCents: 150,
    maxCents: 8_000,
    merchants: ['Metro card top-up', 'Uber', 'Lyft', 'Shell', 'City Parking', 'Bike share'],
    monthlyBudget: [60, 300],
  },
  {
    id: category(5),
    name: 'Dining',
    type: 'EXPENSE',
    weight: 14,
    minCents: 350,
    maxCents: 12_000,
    merchants: [
      'Starbucks',
      'Chipotle',
      'Luigi’s Trattoria',
      'Sushi Bar',
      'Blue Bottle',
      'Deliveroo',
    ],
    monthlyBudget: [100, 450],
  },
  {
    id: category(6),
    name: 'Entertainment',
    type: 'EXPENSE',
    weight: 8,
    minCents: 500,
    maxCents: 15_000,
    merchants: ['Cinema City', 'Steam', 'Concert tickets', 'Bowling Alley', 'Museum'],
    monthlyBudget: [50, 250],
  },
  {
    id: category(7),
    name: 'Health',
    type: 'EXPENSE',
    weight: 5,
    minCents: 1_000,
    maxCents: 30_000,
    merchants: ['CVS Pharmacy', 'Dental Care', 'Fitness Club', 'Optician'],
    monthlyBudget: [50, 200],
  },
  {
    id: category(8),
    name: 'Shopping',
    type: 'EXPENSE',
    weight: 12,
    minCents: 500,
    maxCents: 40_000,
    merchants: ['Amazon', 'IKEA', 'Zara', 'Best Buy', 'Target', 'Etsy'],
    monthlyBudget: [100, 500],
  },
  {
    id: category(9),
    name: 'Travel',
    type: 'EXPENSE',
    weight: 3,
    minCents: 5_000,
    maxCents: 150_000,
    merchants: ['Delta Air Lines', 'Booking.com', 'Airbnb', 'Amtrak', 'Hertz'],
    monthlyBudget: [200, 1_000],
  },
  {
    id: category(10),
    name: 'Subscriptions',
    type: 'EXPENSE',
    weight: 7,
    minCents: 299,
    maxCents: 6_000,
    merchants: ['Netflix', 'Spotify', 'iCloud Storage', 'New York Times', 'Disney+'],
    monthlyBudget: [20, 100],
  },
  {
    id: category(11),
    name: 'Salary',
    type: 'INCOME',
    weight: 60,
    minCents: 150_000,
    maxCents: 600_000,
    merchants: ['Payroll ACME Corp', 'Salary', 'Payroll Globex'],
    monthlyBudget: [0, 0],
  },
  {
    id: category(12),
    name: 'Freelance',
    type: 'INCOME',
    weight: 25,
    minCents: 10_000,
    maxCents: 250_000,
    merchants: ['Client invoice', 'Upwork payout', 'Consulting fee'],
    monthlyBudget: [0, 0],
  },
  {
    id: category(13),
    name: 'Refund',
    type: 'INCOME',
    weight: 15,
    minCents: 500,
    maxCents: 30_000,
    merchants: ['Amazon refund', 'Store refund', 'Tax refund'],
    monthlyBudget: [0, 0],
  },
];

export const EXPENSE_CATEGORIES = CATEGORIES.filter((c) => c.type === 'EXPENSE');
export const INCOME_CATEGORIES = CATEGORIES.filter((c) => c.type === 'INCOME');
/** Categories a budget can be set for (rent is a fixed cost nobody budgets). */
export const BUDGET_CATEGORIES = EXPENSE_CATEGORIES.filter((c) => c.monthlyBudget[1] > 0);

const byId = new Map(CATEGORIES.map((c) => [c.id, c]));

export function categoryById(id: string): Category | undefined {
  return byId.get(id);
}
