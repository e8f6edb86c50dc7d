import { PERSONAL_DATA_PERMISSION } from '@backoffice/contracts';
import type { AuditContext, AuditWriter } from '../audit/writer.ts';
import { can, type Principal } from '../auth/principal.ts';
import { maskPii } from '../auth/pii-masking.ts';
import type { Database } from '../db/database.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { exportLines, type ExportFormat } from '../http/export.ts';
import type { ResourceDefinition, ResourceSchemas } from './resource.ts';
import { COUNT_CAP } from './resource.ts';
import type {
  PageRow,
  Position,
  ResourceFilter,
  ResourceRecord,
  ResourceRepository,
} from './resource.repository.ts';

const EXPORT_BATCH = 1_000;

function encodeCursor({ value, key }: Position): string {
  return Buffer.from(JSON.stringify([value, key])).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) return { value: parsed[0], key: parsed[1] };
  } catch {
    // answered below
  }
  throw new BadRequestError('The cursor is not valid for this list: start again.');
}

/** A declared resource's list, detail and export, for one resource. */
export class ResourceService {
  constructor(
    private readonly db: Database,
    readonly resource: ResourceDefinition,
    private readonly schemas: ResourceSchemas,
    private readonly repository: ResourceRepository,
    private readonly audit: AuditWriter,
  ) {}

  /**
   * One page: after `cursor` when given (any depth, the same cost), else page `page` by offset (what a
   * table with page numbers asks for). Either way `nextCursor` continues from its last item.
   */
  async page(
    filter: ResourceFilter,
    sort: string,
    { page, limit, cursor }: { page: number; limit: number; cursor?: string | undefined },
  ) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const skip = after === undefined ? (page - 1) * limit : 0;
    const [rows, counted] = await Promise.all([
      this.repository.page(filter, sort, limit + 1, after, skip),
      this.repository.count(filter),
    ]);
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return {
      data: data.map((row) => row.record),
      page,
      limit,
      total: Math.min(counted, COUNT_CAP),
      totalIsLowerBound: counted > COUNT_CAP,
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.position) : null,
    };
  }

  async get(id: string): Promise<ResourceRecord> {
    const record = await this.repository.find(id);
    if (record === undefined)
      throw new NotFoundError(`No ${this.resource.singular} ${id}.`, {
        extensions: { resource: this.resource.name },
      });
    return record;
  }

  /**
   * Records the export (its filters and format), then yields its lines batch by batch in `sort` order.
   * Personal data is masked for callers without the personal-data permission (a reveal of one person
   * does not unmask a bulk export).
   */
  async export(
    context: AuditContext,
    principal: Principal | null,
    filter: ResourceFilter,
    sort: string,
    format: ExportFormat,
  ): Promise<AsyncGenerator<string>> {
    const masked = !can(principal, PERSONAL_DATA_PERMISSION);
    await this.audit.record(this.db, context, {
      action: 'resources.export',
      resourceType: this.resource.name,
      metadata: { format, filter, sort, masked },
    });
    const { repository, schemas } = this;
    async function* batches() {
      let after: Position | undefined;
      for (;;) {
        const rows: PageRow[] = await repository.page(filter, sort, EXPORT_BATCH, after);
        if (rows.length === 0) return;
        const records = rows.map((row) => row.record);
        yield masked ? records.map((r) => maskPii(schemas.item, r) as ResourceRecord) : records;
        if (rows.length < EXPORT_BATCH) return;
        after = rows.at(-1)!.position;
      }
    }
    return exportLines(
      format,
      this.resource.fields.map((field) => field.name),
      batches(),
    );
  }
}
