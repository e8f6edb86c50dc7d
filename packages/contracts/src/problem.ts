import { z } from 'zod';

/** One invalid input, as listed in a validation problem's `errors`. */
export const FieldErrorSchema = z.object({
  /** Where the value came from: body, querystring, params, headers. */
  location: z.string(),
  /** JSON-pointer-like path inside that location, e.g. `/items/0/email`; empty for the whole location. */
  pointer: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details, as every error of the API is answered. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('URI identifying the problem type (see docs/api.md)'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;
export type FieldError = z.infer<typeof FieldErrorSchema>;
