/**
 * Budget periods: the calendar week (Monday to Sunday), month or year, in UTC. A budget's `spent` covers
 * the period containing "now". The generator calls these for every expense, so they use day arithmetic
 * rather than Date objects.
 */
export const PERIOD_TYPES = ['WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Year and month (1–12) of a day number (civil_from_days). */
function civilFromDays(days: number): { year: number; month: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month };
}

/** Start (epoch ms, inclusive) of the period of `type` containing `ms`. */
export function periodStart(type: PeriodType, ms: number): number {
  const days = Math.floor(ms / DAY_MS);
  switch (type) {
    case 'WEEKLY':
      // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
      return (Math.floor((days + 3) / 7) * 7 - 3) * DAY_MS;
    case 'MONTHLY': {
      const { year, month } = civilFromDays(days);
      return daysFromCivil(year, month, 1) * DAY_MS;
    }
    case 'YEARLY':
      return daysFromCivil(civilFromDays(days).year, 1, 1) * DAY_MS;
  }
}

/** End (epoch ms, exclusive) of the period of `type` containing `ms`: the next period's start. */
export function periodEnd(type: PeriodType, ms: number): number {
  const start = periodStart(type, ms);
  switch (type) {
    case 'WEEKLY':
      return start + 7 * DAY_MS;
    case 'MONTHLY':
      return periodStart(type, start + 32 * DAY_MS);
    case 'YEARLY':
      return periodStart(type, start + 367 * DAY_MS);
  }
}
