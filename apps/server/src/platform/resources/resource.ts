import {
  BooleanQuerySchema,
  DateTimeSchema,
  PageQuerySchema,
  pii,
  piiSubject,
  queryEnum,
  TextSchema,
  type ResourceDescription,
  type ResourceFieldType,
  type Permission,
  type PiiKind,
} from '@backoffice/contracts';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../http/export.ts';

export type FieldType = ResourceFieldType;

/** One field of a resource: a column of its table, as the API names and shows it. */
export interface ResourceField {
  /** Its name in the API (camelCase). */
  readonly name: string;
  /** Its column in the table. */
  readonly column: string;
  readonly type: FieldType;
  /** Its heading in screens and exports' documentation; default: the name. */
  readonly label?: string;
  /** `enum`: the values it takes (filters accept them in any case). */
  readonly values?: readonly [string, ...string[]];
  readonly nullable?: boolean;
  /** Personal data: masked for callers without the personal-data permission, everywhere. */
  readonly pii?: PiiKind;
  /**
   * Filterable: text and uuid by equality, enum by one or several values (`a,b`), integer and
   * decimal by range (`<name>Min`, `<name>Max`), timestamp by range (`<name>From`, `<name>To`),
   * boolean by `true`/`false`.
   */
  readonly filter?: boolean;
  /** Sortable (`sort=<name>` or `-<name>`); a sortable field may not be nullable. */
  readonly sortable?: boolean;
  /** Shown in the list (default: true); the detail shows every field. */
  readonly list?: boolean;
  /** A link to another resource's detail: its name (`parcels` links `/parcels/<id>`). */
  readonly links?: string;
}

/**
 * A resource a pack declares: a read-model table it gets list, filters, sort, cursor pages, capped
 * totals, detail, a streamed and audited export (CSV, NDJSON) and their OpenAPI entries for, without a
 * hand-written route or screen. Personal data (`pii`) is masked per permission through the same path
 * as every other response; each route checks `permission`.
 */
export interface ResourceDefinition {
  /** Its path and API tag: `/v1/admin/<name>`, lower case, plural (`parcels`). */
  readonly name: string;
  /** Its title in screens (`Parcels`) and what one item is called (`parcel`). */
  readonly title: string;
  readonly singular: string;
  readonly description: string;
  /** The read-model table (written by the owning feature's projection). */
  readonly table: string;
  /** The field that identifies an item (its detail's `{id}`). */
  readonly key: string;
  /** Needed to list, read and export. */
  readonly permission: Permission;
  readonly fields: readonly ResourceField[];
  /** `<field>` or `-<field>` (descending), of a sortable field. */
  readonly defaultSort: string;
  /** The field naming the person an item is about: a reveal of that person unmasks their items. */
  readonly subject?: string;
}

/** At most this many items are counted: above it, `total` is a lower bound. */
export const COUNT_CAP = 1_000;
const NAME = /^[a-z][a-z0-9-]*$/;
const FIELD = /^[a-z][A-Za-z0-9]*$/;
const COLUMN = /^[a-z_][a-z0-9_]*$/;

/** Throws on a declaration that cannot work, when the application is built (not at a request). */
export function checkResource(resource: ResourceDefinition): void {
  const fail = (why: string) => {
    throw new Error(`Resource ${resource.name}: ${why}`);
  };
  if (!NAME.test(resource.name)) fail('its name must be lower case letters, digits and dashes');
  if (!COLUMN.test(resource.table)) fail(`"${resource.table}" is not a table name`);
  const names = new Set<string>();
  for (const field of resource.fields) {
    if (!FIELD.test(field.name)) fail(`"${field.name}" is not a camelCase field name`);
    if (!COLUMN.test(field.column)) fail(`"${field.column}" is not a column name`);
    if (names.has(field.name)) fail(`field "${field.name}" is declared twice`);
    names.add(field.name);
    if (field.type === 'enum' && (field.values?.length ?? 0) === 0)
      fail(`enum field "${field.name}" needs its values`);
    if (field.sortable === true && field.nullable === true)
      fail(`sortable field "${field.name}" may not be nullable (cursor pages need a value)`);
  }
  const key = resource.fields.find((f) => f.name === resource.key);
  if (key === undefined || key.nullable === true) fail(`its key "${resource.key}" is not a field`);
  if (resource.subject !== undefined && !names.has(resource.subject))
    fail(`its subject "${resource.subject}" is not a field`);
  const sorted = resource.fields.find((f) => f.name === resource.defaultSort.replace(/^-/, ''));
  if (sorted?.sortable !== true) fail(`its default sort "${resource.defaultSort}" is not sortable`);
}

export const fieldNamed = (resource: ResourceDefinition, name: string): ResourceField => {
  const field = resource.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`Resource ${resource.name}: no field ${name}`);
  return field;
};

/** The schema of a field's value in responses (personal data marked). */
function valueSchema(field: ResourceField): z.ZodType {
  const base: z.ZodType = {
    text: z.string(),
    uuid: z.string(),
    integer: z.number().int(),
    decimal: z.string().describe('A decimal number, as text (exact)'),
    timestamp: z.iso.datetime({ offset: true }),
    enum: z.string().describe(`One of: ${field.values?.join(', ') ?? ''}`),
    boolean: z.boolean(),
  }[field.type];
  const marked = field.pii === undefined ? base : pii(base, field.pii);
  return field.nullable === true ? marked.nullable() : marked;
}

const pascal = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());

/** The schemas of a resource's routes, built once from its declaration. */
export function resourceSchemas(resource: ResourceDefinition) {
  const shape = Object.fromEntries(resource.fields.map((f) => [f.name, valueSchema(f)]));
  const object = z.object(shape).meta({ id: `${pascal(resource.name)}Item` });
  const subject = resource.subject;
  const item =
    subject === undefined
      ? object
      : piiSubject(object, (row: Record<string, unknown>) => {
          const id = row[subject];
          return typeof id === 'string' ? id : null;
        });

  const filters: Record<string, z.ZodType> = {};
  for (const field of resource.fields) {
    if (field.filter !== true) continue;
    const label = field.label ?? field.name;
    switch (field.type) {
      case 'text':
        filters[field.name] = TextSchema.max(500).optional().describe(`${label} equals`);
        break;
      case 'uuid':
        filters[field.name] = z
          .guid({ error: 'must be an id (8-4-4-4-12 hexadecimal digits)' })
          .optional()
          .describe(`${label} equals`);
        break;
      case 'enum': {
        const values = field.values ?? [''];
        const one = queryEnum(values as [string, ...string[]]);
        filters[field.name] = TextSchema.max(500)
          .transform((text, context) => {
            const picked: string[] = [];
            for (const part of text.split(',')) {
              const parsed = one.safeParse(part.trim());
              if (!parsed.success) {
                context.addIssue({
                  code: 'custom',
                  message: `"${part.trim()}" is not one of ${values.join(', ')}`,
                });
                return z.NEVER;
              }
              picked.push(parsed.data);
            }
            return picked;
          })
          .optional()
          .describe(`${label}: one or several of ${values.join(', ')}, comma-separated`);
        break;
      }
      case 'integer':
      case 'decimal': {
        const number = z.coerce.number().refine(Number.isFinite, 'must be a number');
        filters[`${field.name}Min`] = number.optional().describe(`${label} at least`);
        filters[`${field.name}Max`] = number.optional().describe(`${label} at most`);
        break;
      }
      case 'timestamp':
        filters[`${field.name}From`] = DateTimeSchema.optional().describe(
          `${label} from (inclusive)`,
        );
        filters[`${field.name}To`] = DateTimeSchema.optional().describe(
          `${label} before (exclusive)`,
        );
        break;
      case 'boolean':
        filters[field.name] = BooleanQuerySchema.optional().describe(`${label} is`);
        break;
    }
  }
  const sorts = resource.fields
    .filter((f) => f.sortable === true)
    .flatMap((f) => [f.name, `-${f.name}`]) as [string, ...string[]];
  const filter = z.object(filters);
  const list = filter.extend({
    sort: queryEnum(sorts).default(resource.defaultSort),
    ...PageQuerySchema.shape,
    cursor: TextSchema.max(1000)
      .optional()
      .describe(
        'nextCursor of the previous page (the same filters and sort): the next page, at any depth ' +
          'at the same cost; `page` is ignored with it',
      ),
  });
  const exportQuery = filter.extend({
    format: queryEnum(EXPORT_FORMATS).default('csv'),
    sort: queryEnum(sorts).default(resource.defaultSort),
  });
  const page = z
    .object({
      data: z.array(item),
      page: z.number().int(),
      limit: z.number().int(),
      total: z.number().int().describe(`How many match, counted up to ${COUNT_CAP}`),
      totalIsLowerBound: z
        .boolean()
        .describe(`true when more than ${COUNT_CAP} match (then \`total\` is ${COUNT_CAP})`),
      nextCursor: z.string().nullable(),
    })
    .meta({ id: `${pascal(resource.name)}Page` });
  return { item, filter, list, exportQuery, page };
}

export type ResourceSchemas = ReturnType<typeof resourceSchemas>;

export function describeResource(resource: ResourceDefinition): ResourceDescription {
  return {
    name: resource.name,
    title: resource.title,
    singular: resource.singular,
    description: resource.description,
    permission: resource.permission,
    key: resource.key,
    defaultSort: resource.defaultSort,
    fields: resource.fields.map((field) => ({
      name: field.name,
      label: field.label ?? field.name,
      type: field.type,
      values: field.values === undefined ? null : [...field.values],
      nullable: field.nullable === true,
      pii: field.pii !== undefined,
      filter: field.filter === true,
      sortable: field.sortable === true,
      list: field.list !== false,
      links: field.links ?? null,
    })),
  };
}
