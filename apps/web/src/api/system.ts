import {
  DeadLetterSchema,
  IngestionStatusSchema,
  ReplayResultSchema,
  ScheduleListSchema,
} from '@backoffice/contracts';
import { call } from './client.ts';
import { pageOf } from './schemas.ts';
import type { DeadLetterFilter, PageParams } from './types.ts';

const DeadLetterPage = pageOf(DeadLetterSchema);

/** Ingestion sources, dead letters and periodic tasks (`system:read`, `events:replay`). */
export const systemApi = {
  ingestion: () => call('ingestionStatus', { schema: IngestionStatusSchema }),
  schedules: () => call('schedules', { schema: ScheduleListSchema }),
  deadLetters: (filter: DeadLetterFilter, { page, limit }: PageParams) =>
    call('deadLetters', { query: { ...filter, page, limit }, schema: DeadLetterPage }),
  deadLetter: (id: number) => call('deadLetter', { params: { id }, schema: DeadLetterSchema }),
  replay: (id: number) => call('replayDeadLetter', { params: { id }, schema: ReplayResultSchema }),
  discard: (id: number, reason: string) =>
    call('discardDeadLetter', { params: { id }, body: { reason }, schema: DeadLetterSchema }),
};
