import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, UserIdParams, pageSchema } from '../../platform/schemas.ts';
import { BudgetResourceSchema } from './budgets.schemas.ts';
import type { BudgetsService } from './budgets.service.ts';

/** The Budget Service's read API; every route needs a service token. */
export function budgetsRoutes(server: FastifyInstance, budgets: BudgetsService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/budgets/:id',
    { schema: { params: IdParams, response: { 200: BudgetResourceSchema } } },
    (request) => budgets.get(request.params.id),
  );

  app.get(
    '/v1/users/:userId/budgets',
    {
      schema: {
        params: UserIdParams,
        querystring: PageQuery,
        response: { 200: pageSchema(BudgetResourceSchema) },
      },
    },
    (request) => budgets.listOfUser(request.params.userId, request.query),
  );
}
