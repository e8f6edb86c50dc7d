import { ProblemSchema } from '@backoffice/contracts';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

/**
 * Route-schema entries documenting error statuses as problem+json. Spread into `schema.response`:
 * `response: { 200: RoleSchema, ...problemResponses(400, 404) }`.
 */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: STATUS_CODES[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}
