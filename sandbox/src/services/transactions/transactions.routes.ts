import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../platform/http.ts';
import { IdParams, PageQuery, UserIdParams, pageSchema } from '../../platform/schemas.ts';
import {
  ReviewBody,
  ReviewResponse,
  TransactionListQuery,
  TransactionResourceSchema,
} from './transactions.schemas.ts';
import type { TransactionsService } from './transactions.service.ts';

/** The Transaction Service's API; every route needs a service token. */
export function transactionsRoutes(
  server: FastifyInstance,
  transactions: TransactionsService,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/transactions/:id',
    { schema: { params: IdParams, response: { 200: TransactionResourceSchema } } },
    (request) => transactions.get(request.params.id),
  );

  app.get(
    '/v1/users/:userId/transactions',
    {
      schema: {
        params: UserIdParams,
        querystring: TransactionListQuery.extend(PageQuery.shape),
        response: { 200: pageSchema(TransactionResourceSchema) },
      },
    },
    (request) => transactions.listOfUser(request.params.userId, request.query),
  );

  app.post(
    '/v1/transactions/:id/review',
    {
      // The body (a note) is optional: a bare POST reviews the transaction.
      schema: { params: IdParams, body: ReviewBody.nullish(), response: { 200: ReviewResponse } },
    },
    (request) => transactions.review(request.params.id, request.body?.note, contextOf(request)),
  );
}
