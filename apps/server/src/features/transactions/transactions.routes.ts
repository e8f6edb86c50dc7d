import {
  IdParamsSchema,
  TransactionDetailSchema,
  TransactionItemSchema,
  UserTransactionsQuerySchema,
  pageOf,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditContext } from '../../platform/audit/writer.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import { TransactionsRepository } from './transactions.repository.ts';
import { TransactionsService } from './transactions.service.ts';

const tags = ['transactions'];

export function transactionsRoutes(app: FastifyInstance): void {
  const service = new TransactionsService(new TransactionsRepository(app.db), app.upstream);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/users/:id/transactions',
    {
      config: { permission: 'transactions:read' },
      schema: {
        tags,
        summary: 'A user’s transactions, newest first, in a date range (from the read model)',
        params: IdParamsSchema,
        querystring: UserTransactionsQuerySchema,
        response: { 200: pageOf(TransactionItemSchema), ...problemResponses(400) },
      },
    },
    (request) => {
      const { page, limit, ...range } = request.query;
      return service.forUser(request.params.id, range, page, limit);
    },
  );

  routes.get(
    '/v1/admin/transactions/:id',
    {
      config: { permission: 'transactions:read' },
      schema: {
        tags,
        summary:
          'A transaction, from the Transaction Service (the read model’s copy, marked stale, when it is down)',
        params: IdParamsSchema,
        response: { 200: TransactionDetailSchema, ...problemResponses(404, 502, 503) },
      },
    },
    (request) => service.get(auditContext(request), request.params.id),
  );
}
