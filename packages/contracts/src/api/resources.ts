import { z } from 'zod';

/** The types a declared resource's field may have (docs/resources.md). */
export const RESOURCE_FIELD_TYPES = [
  'text',
  'uuid',
  'integer',
  'decimal',
  'timestamp',
  'enum',
  'boolean',
] as const;

export type ResourceFieldType = (typeof RESOURCE_FIELD_TYPES)[number];

/** What the UI is told of a declared resource, to render its list, filters and detail. */
export const ResourceDescriptionSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    singular: z.string(),
    description: z.string(),
    permission: z.string(),
    key: z.string(),
    defaultSort: z.string(),
    fields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        type: z.enum(RESOURCE_FIELD_TYPES),
        values: z.array(z.string()).nullable(),
        nullable: z.boolean(),
        pii: z.boolean(),
        filter: z.boolean(),
        sortable: z.boolean(),
        list: z.boolean(),
        links: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ResourceDescription' });

export type ResourceDescription = z.infer<typeof ResourceDescriptionSchema>;
export type ResourceFieldDescription = ResourceDescription['fields'][number];

export const ResourceDescriptionListSchema = z.object({
  data: z.array(ResourceDescriptionSchema),
});

/** An item of a declared resource, as its list and detail answer it (its fields, by name). */
export const ResourceItemSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

export type ResourceItem = z.infer<typeof ResourceItemSchema>;

/** A page of a declared resource's list (each resource documents its own item schema). */
export const ResourcePageSchema = z.object({
  data: z.array(ResourceItemSchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalIsLowerBound: z.boolean(),
  nextCursor: z.string().nullable(),
});
