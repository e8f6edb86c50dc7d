import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../platform/http.ts';
import { cursorPageSchema, IdParams } from '../../platform/schemas.ts';
import {
  InitiatePaymentBody,
  PaymentListQuery,
  PaymentResourceSchema,
  RefundBody,
  RefundResponse,
} from './payments.schemas.ts';
import type { PaymentsService } from './payments.service.ts';

/** The Payment Service's API; every route needs a service token. */
export function paymentsRoutes(server: FastifyInstance, payments: PaymentsService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/payments',
    {
      schema: {
        querystring: PaymentListQuery,
        response: { 200: cursorPageSchema(PaymentResourceSchema) },
      },
    },
    (request) => payments.list(request.query),
  );

  app.get(
    '/v1/payments/:id',
    { schema: { params: IdParams, response: { 200: PaymentResourceSchema } } },
    (request) => payments.get(request.params.id),
  );

  app.post(
    '/v1/payments',
    { schema: { body: InitiatePaymentBody, response: { 201: PaymentResourceSchema } } },
    async (request, reply) =>
      reply.code(201).send(await payments.initiate(request.body, contextOf(request))),
  );

  app.post(
    '/v1/payments/:id/refund',
    {
      // The body (a reason) is optional: a bare POST refunds the payment.
      schema: { params: IdParams, body: RefundBody.nullish(), response: { 200: RefundResponse } },
    },
    (request) => payments.refund(request.params.id, request.body?.reason, contextOf(request)),
  );
}
