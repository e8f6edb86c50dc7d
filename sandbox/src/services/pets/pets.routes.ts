import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../platform/http.ts';
import { cursorPageSchema, IdParams } from '../../platform/schemas.ts';
import {
  CreatePetBody,
  PetListQuery,
  PetResourceSchema,
  TransferBody,
  UpdatePetBody,
} from './pets.schemas.ts';
import type { PetsService } from './pets.service.ts';

/** The Pet Service's API; every route needs a service token. */
export function petsRoutes(server: FastifyInstance, pets: PetsService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/pets',
    {
      schema: { querystring: PetListQuery, response: { 200: cursorPageSchema(PetResourceSchema) } },
    },
    (request) => pets.list(request.query),
  );

  app.get(
    '/v1/pets/:id',
    { schema: { params: IdParams, response: { 200: PetResourceSchema } } },
    (request) => pets.get(request.params.id),
  );

  app.post(
    '/v1/pets',
    { schema: { body: CreatePetBody, response: { 201: PetResourceSchema } } },
    async (request, reply) =>
      reply.code(201).send(await pets.create(request.body, contextOf(request))),
  );

  app.patch(
    '/v1/pets/:id',
    { schema: { params: IdParams, body: UpdatePetBody, response: { 200: PetResourceSchema } } },
    (request) => pets.update(request.params.id, request.body, contextOf(request)),
  );

  app.post(
    '/v1/pets/:id/transfer',
    { schema: { params: IdParams, body: TransferBody, response: { 200: PetResourceSchema } } },
    (request) => pets.transfer(request.params.id, request.body.to_owner_id, contextOf(request)),
  );

  app.delete(
    '/v1/pets/:id',
    { schema: { params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await pets.delete(request.params.id, contextOf(request));
      return reply.code(204).send(null);
    },
  );
}
