import {
  ResourceDescriptionListSchema,
  ResourceItemSchema,
  ResourcePageSchema,
} from '@backoffice/contracts';
import { fileNameOf } from './audit.ts';
import { call, type QueryValue } from './client.ts';

export type ExportFormat = 'csv' | 'ndjson';

/**
 * The resources packs declare (docs/resources.md): what they are, and their lists, items and exports.
 * `query` holds the filters by the API's names (`statusMin`, `createdAtFrom`…) and `sort`.
 */
export const resourcesApi = {
  describe: () => call('resources', { schema: ResourceDescriptionListSchema }),
  list: (
    resource: string,
    query: Record<string, QueryValue>,
    { page, limit }: { page: number; limit: number },
  ) =>
    call('resourceList', {
      params: { resource },
      query: { ...query, page, limit },
      schema: ResourcePageSchema,
    }),
  get: (resource: string, id: string) =>
    call('resourceItem', { params: { resource, id }, schema: ResourceItemSchema }),
  /** The whole filtered list as the server streams it (audited there), with its file name. */
  export: (resource: string, query: Record<string, QueryValue>, format: ExportFormat) =>
    call('resourceExport', {
      params: { resource },
      query: { ...query, format },
      read: async (response) => ({
        blob: await response.blob(),
        fileName: fileNameOf(response.headers.get('content-disposition'), `${resource}.${format}`),
      }),
    }),
};
