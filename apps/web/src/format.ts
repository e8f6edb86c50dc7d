import { MASK } from '@backoffice/contracts';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

export function formatDateTime(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? '—' : dayjs(iso).format('YYYY-MM-DD HH:mm:ss');
}

/** "3 minutes ago", with the exact time for a title attribute. */
export function formatAgo(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? 'never' : dayjs(iso).fromNow();
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined
    ? '—'
    : value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** A decimal string of the API (`"1234.50"`) as money: grouped, two decimals, no currency sign. */
export function formatMoney(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  return number.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A value the server masked for this person (`a***@example.com`, `***`): personal data they may not see. */
export function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.includes(MASK);
}

/** A `YYYY-MM-DD` day of a date field as the API's instant: the start (or end) of that local day. */
export function dayToIso(day: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const parsed = dayjs(day);
  if (!parsed.isValid()) return undefined;
  return (edge === 'start' ? parsed.startOf('day') : parsed.endOf('day')).toISOString();
}
