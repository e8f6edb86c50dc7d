import { z } from 'zod';

/** The Transaction Service's answer for one transaction (loose: new fields never break us). */
export const UpstreamTransactionSchema = z.looseObject({
  id: z.uuid(),
  user_id: z.uuid(),
  amount: z.string(),
  description: z.string().nullish(),
  date: z.string(),
  transaction_type: z.enum(['EXPENSE', 'INCOME']),
  category_id: z.string().nullish(),
  category_name: z.string().nullish(),
  reviewed_at: z.string().nullish(),
  reviewed_by: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

export type UpstreamTransaction = z.infer<typeof UpstreamTransactionSchema>;
