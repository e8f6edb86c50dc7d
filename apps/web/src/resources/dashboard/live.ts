import {
  DashboardHealthSchema,
  DashboardMetricsSchema,
  type ActivityItem,
  type ServerMessage,
} from '@backoffice/contracts';
import type { DashboardHealth, DashboardMetrics } from '../../api/types.ts';

/** How many activity items the feed keeps per channel. */
export const ACTIVITY_LIMIT = 20;

/** The metrics a `dashboard.metrics` snapshot or update carries (validated), if this is one. */
export function metricsOf(message: ServerMessage): DashboardMetrics | undefined {
  if (message.channel !== 'dashboard.metrics') return undefined;
  if (message.type !== 'snapshot' && message.type !== 'update') return undefined;
  const parsed = DashboardMetricsSchema.safeParse(message.data);
  return parsed.success ? parsed.data : undefined;
}

const ServicesSchema = DashboardHealthSchema.shape.services;

/**
 * The health after a `system.health` message: a snapshot carries the whole report; an update, the
 * services' latest checks only (the database and the sources keep their last polled values).
 */
export function healthOf(
  message: ServerMessage,
  previous: DashboardHealth | undefined,
): DashboardHealth | undefined {
  if (message.channel !== 'system.health') return undefined;
  if (message.type !== 'snapshot' && message.type !== 'update') return undefined;
  const whole = DashboardHealthSchema.safeParse(message.data);
  if (whole.success) return whole.data;
  const services = ServicesSchema.safeParse(message.data);
  if (!services.success || previous === undefined) return undefined;
  return { ...previous, services: services.data, checkedAt: message.at };
}

export interface Activity {
  users: ActivityItem[];
  transactions: ActivityItem[];
}

export const NO_ACTIVITY: Activity = { users: [], transactions: [] };

function isActivityItem(value: unknown): value is ActivityItem {
  const item = value as Partial<ActivityItem> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.kind === 'string' &&
    typeof item.at === 'string' &&
    typeof item.userId === 'string'
  );
}

/** The feed after an activity message: a snapshot replaces the channel's items, events add to them. */
export function activityAfter(message: ServerMessage, previous: Activity): Activity {
  const key =
    message.channel === 'users.activity'
      ? 'users'
      : message.channel === 'transactions.activity'
        ? 'transactions'
        : undefined;
  if (key === undefined || (message.type !== 'snapshot' && message.type !== 'event'))
    return previous;
  if (!Array.isArray(message.data)) return previous;
  const items = message.data.filter(isActivityItem);
  const base = message.type === 'snapshot' ? [] : previous[key];
  return { ...previous, [key]: [...base, ...items].slice(-ACTIVITY_LIMIT) };
}

/** Both channels' items, newest first. */
export function feedOf(activity: Activity): ActivityItem[] {
  return [...activity.users, ...activity.transactions]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, ACTIVITY_LIMIT);
}
