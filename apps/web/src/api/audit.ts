import { AuditEntryDetailSchema, AuditPageSchema, JobSchema } from '@backoffice/contracts';
import { call } from './client.ts';
import type { AuditFilter } from './types.ts';

export type AuditExportFormat = 'csv' | 'ndjson';

/** `attachment; filename="audit-….csv"` → the file name. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const name = /filename="?([^";]+)"?/.exec(disposition ?? '')?.[1];
  return name === undefined || name.trim() === '' ? fallback : name.trim();
}

/** The audit trail (`audit:read`, `audit:export`, `audit:verify`) and the jobs that verify it. */
export const auditApi = {
  list: (filter: AuditFilter, limit: number, cursor?: string) =>
    call('auditLogs', { query: { ...filter, limit, cursor }, schema: AuditPageSchema }),
  get: (id: string) => call('auditLog', { params: { id }, schema: AuditEntryDetailSchema }),
  /** The whole filtered trail as the server streams it, with the file name it proposes. */
  export: (filter: AuditFilter, format: AuditExportFormat, signal?: AbortSignal) =>
    call('exportAuditLogs', {
      query: { ...filter, format },
      read: async (response) => ({
        blob: await response.blob(),
        fileName: fileNameOf(response.headers.get('content-disposition'), `audit.${format}`),
      }),
      ...(signal === undefined ? {} : { signal }),
    }),
  verify: () => call('verifyAuditChain', { schema: JobSchema }),
  job: (id: string) => call('job', { params: { id }, schema: JobSchema }),
};
