import { BUDGET_PERIODS, BUDGET_STATUSES } from '@backoffice/contracts';
import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { budgetsProjection } from './budgets.projection.ts';

/**
 * Budgets: their projection, and a declared resource (docs/resources.md): the list with filters,
 * detail and export come from the declaration; analytics come with issue 13.
 */
export const budgetsFeature: FeatureModule = {
  name: 'budgets',
  permissions: ['budgets:read'],
  projections: () => [budgetsProjection],
  resources: [
    {
      name: 'budgets',
      title: 'Budgets',
      singular: 'budget',
      description: 'Budgets across users, as the Budget Service reported them (read model)',
      table: 'budget_summaries',
      key: 'id',
      permission: 'budgets:read',
      defaultSort: '-createdAt',
      fields: [
        { name: 'id', column: 'id', type: 'uuid', label: 'Budget', filter: true, sortable: true },
        { name: 'name', column: 'name', type: 'text', label: 'Name', sortable: true },
        {
          name: 'userId',
          column: 'user_id',
          type: 'uuid',
          label: 'User',
          filter: true,
          links: 'users',
        },
        {
          name: 'periodType',
          column: 'period_type',
          type: 'enum',
          label: 'Period',
          values: BUDGET_PERIODS,
          filter: true,
        },
        {
          name: 'status',
          column: 'status',
          type: 'enum',
          label: 'Status',
          values: BUDGET_STATUSES,
          filter: true,
        },
        {
          name: 'amount',
          column: 'amount',
          type: 'decimal',
          label: 'Amount',
          filter: true,
          sortable: true,
        },
        { name: 'spent', column: 'spent', type: 'decimal', label: 'Spent', filter: true },
        {
          name: 'categoryId',
          column: 'category_id',
          type: 'uuid',
          label: 'Category',
          nullable: true,
          list: false,
        },
        {
          name: 'createdAt',
          column: 'created_at',
          type: 'timestamp',
          label: 'Created',
          filter: true,
          sortable: true,
        },
        { name: 'updatedAt', column: 'updated_at', type: 'timestamp', label: 'Updated' },
      ],
    },
  ],
  upstreams: [
    {
      id: 'budget-service',
      name: 'Budget Service',
      url: (config) => config.upstream.budgetServiceUrl,
    },
  ],
};
