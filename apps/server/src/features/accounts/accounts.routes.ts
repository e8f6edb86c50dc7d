import { BlockRequestSchema, IdParamsSchema, UserActionResultSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditContext } from '../../platform/audit/writer.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import type { FeatureContext } from '../../platform/modules/feature-module.ts';
import { usersService } from '../users/users.routes.ts';

/** Disable / enable a user's account (paths under /v1/admin/users, like block / unblock). */
export function accountsRoutes(app: FastifyInstance, { config }: FeatureContext): void {
  const service = usersService(app, config);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  for (const action of ['disable', 'enable'] as const) {
    routes.post(
      `/v1/admin/users/:id/${action}`,
      {
        config: { permission: 'users:block' },
        schema: {
          tags: ['users'],
          summary: `${action === 'disable' ? 'Disable' : 'Enable'} a user’s account (through the User Service), with a reason`,
          description:
            action === 'disable'
              ? 'The person can no longer sign in and their sessions end. Idempotent: an account already disabled answers 200 with changed: false.'
              : 'The account can be used again. Idempotent: an active account answers 200 with changed: false.',
          params: IdParamsSchema,
          body: BlockRequestSchema,
          response: {
            200: UserActionResultSchema,
            ...problemResponses(400, 404, 409, 502, 503),
          },
        },
      },
      (request) =>
        service.changeState(auditContext(request), request.params.id, action, request.body.reason),
    );
  }
}
