import { PAYMENT_METHODS, PAYMENT_STATUSES } from '@backoffice/contracts';
import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { paymentsProjection } from './payments.projection.ts';

/**
 * Payments (Virtual Pet pack): their projection from the Payment Service's events, and a declared
 * resource (docs/resources.md): list, filters by status, method, amount and date, detail and export,
 * all from the declaration.
 */
export const paymentsFeature: FeatureModule = {
  name: 'payments',
  permissions: ['payments:read'],
  tiles: [
    { counter: 'payments.total', label: 'Payments' },
    { counter: 'payments.failed', label: 'Failed payments' },
  ],
  projections: () => [paymentsProjection],
  resources: [
    {
      name: 'payments',
      title: 'Payments',
      singular: 'payment',
      description: 'Payments across users, as the Payment Service reported them (read model)',
      table: 'payments',
      key: 'id',
      permission: 'payments:read',
      defaultSort: '-createdAt',
      fields: [
        { name: 'id', column: 'id', type: 'uuid', label: 'Payment', filter: true, sortable: true },
        {
          name: 'userId',
          column: 'user_id',
          type: 'uuid',
          label: 'User',
          filter: true,
          links: 'users',
        },
        {
          name: 'amount',
          column: 'amount',
          type: 'decimal',
          label: 'Amount',
          filter: true,
          sortable: true,
        },
        { name: 'currency', column: 'currency', type: 'text', label: 'Currency', filter: true },
        {
          name: 'method',
          column: 'method',
          type: 'enum',
          label: 'Method',
          values: PAYMENT_METHODS,
          filter: true,
        },
        {
          name: 'status',
          column: 'status',
          type: 'enum',
          label: 'Status',
          values: PAYMENT_STATUSES,
          filter: true,
        },
        {
          name: 'description',
          column: 'description',
          type: 'text',
          label: 'Description',
          nullable: true,
          list: false,
        },
        {
          name: 'failureReason',
          column: 'failure_reason',
          type: 'text',
          label: 'Failure reason',
          nullable: true,
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
      id: 'payment-service',
      name: 'Payment Service',
      url: (config) => config.upstream.paymentServiceUrl,
    },
  ],
};
