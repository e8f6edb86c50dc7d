import {
  DashboardHealthSchema,
  DashboardMetricsSchema,
  RealtimeTicketSchema,
} from '@backoffice/contracts';
import { call } from './client.ts';

/** The dashboard's statistics and the platform's health (`dashboard:read`), and the live socket's ticket. */
export const dashboardApi = {
  metrics: () => call('dashboardMetrics', { schema: DashboardMetricsSchema }),
  health: () => call('dashboardHealth', { schema: DashboardHealthSchema }),
  ticket: () => call('realtimeTicket', { schema: RealtimeTicketSchema }),
};
