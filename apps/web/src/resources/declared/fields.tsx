import type {
  ResourceDescription,
  ResourceFieldDescription,
  ResourceItem,
} from '@backoffice/contracts';
import type { FilterDefinition } from '@backoffice/ui';
import { humanize } from '@backoffice/ui';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { QueryValue } from '../../api/client.ts';
import { dayToIso, formatDateTime, isMasked } from '../../format.ts';
import { anyText, calendarDay, oneOf, type FilterFields } from '../../hooks/useListState.ts';

/** The URL's filter of a declared resource's list: one string per control. */
export type DeclaredFilter = Record<string, string | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (raw: string) => (UUID.test(raw.trim()) ? raw.trim().toLowerCase() : undefined);
const number = (raw: string) =>
  /^-?\d+(\.\d+)?$/.test(raw.trim()) ? String(Number(raw.trim())) : undefined;

/** An enum's value in words: `LOGIN_ERROR` → "Login error", `lost` → "Lost". */
export function enumLabel(value: string): string {
  return humanize(value === value.toUpperCase() ? value.toLowerCase() : value);
}

/** The sort values a resource takes: each sortable field, ascending or descending (`-`). */
export function sortsOf(resource: ResourceDescription): string[] {
  return resource.fields.filter((f) => f.sortable).flatMap((f) => [f.name, `-${f.name}`]);
}

/**
 * The URL parameters of a resource's list, each with its parser (a value that does not fit is not
 * applied, and the list says so): enums by their values (any case), ids, numbers by range (`<name>Min`,
 * `<name>Max`), instants by days (`<name>From`, `<name>To`), booleans, text; and `sort`.
 */
export function filterFieldsOf(resource: ResourceDescription): FilterFields<DeclaredFilter> {
  const fields: Record<string, (raw: string) => string | undefined> = {
    sort: oneOf(sortsOf(resource)),
  };
  for (const field of resource.fields.filter((f) => f.filter)) {
    switch (field.type) {
      case 'enum':
        fields[field.name] = oneOf(field.values ?? []);
        break;
      case 'boolean':
        fields[field.name] = oneOf(['true', 'false']);
        break;
      case 'uuid':
        fields[field.name] = uuid;
        break;
      case 'integer':
      case 'decimal':
        fields[`${field.name}Min`] = number;
        fields[`${field.name}Max`] = number;
        break;
      case 'timestamp':
        fields[`${field.name}From`] = calendarDay;
        fields[`${field.name}To`] = calendarDay;
        break;
      case 'text':
        fields[field.name] = anyText;
        break;
    }
  }
  return fields;
}

/** The controls of a resource's filters, in the order of its fields. */
export function filterControlsOf(resource: ResourceDescription): FilterDefinition[] {
  return resource.fields
    .filter((f) => f.filter)
    .flatMap((field): FilterDefinition[] => {
      switch (field.type) {
        case 'enum':
          return [
            {
              type: 'select',
              key: field.name,
              label: field.label,
              options: (field.values ?? []).map((v) => ({ value: v, label: enumLabel(v) })),
            },
          ];
        case 'boolean':
          return [
            {
              type: 'select',
              key: field.name,
              label: field.label,
              options: [
                { value: 'true', label: 'Yes' },
                { value: 'false', label: 'No' },
              ],
            },
          ];
        case 'integer':
        case 'decimal':
          return [
            { type: 'text', key: `${field.name}Min`, label: `${field.label} ≥`, width: 130 },
            { type: 'text', key: `${field.name}Max`, label: `${field.label} ≤`, width: 130 },
          ];
        case 'timestamp':
          return [
            { type: 'date', key: `${field.name}From`, label: `${field.label} from` },
            { type: 'date', key: `${field.name}To`, label: `${field.label} until` },
          ];
        default:
          return [{ type: 'text', key: field.name, label: field.label }];
      }
    });
}

/** The URL's filter as the API takes it: days become instants (the end day included). */
export function apiQueryOf(
  resource: ResourceDescription,
  filter: DeclaredFilter,
): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { sort: filter.sort };
  for (const field of resource.fields.filter((f) => f.filter)) {
    if (field.type === 'timestamp') {
      query[`${field.name}From`] = dayToIso(filter[`${field.name}From`], 'start');
      const until = dayToIso(filter[`${field.name}To`], 'end');
      // The API's end is exclusive: the instant after the day's last millisecond.
      query[`${field.name}To`] =
        until === undefined ? undefined : new Date(Date.parse(until) + 1).toISOString();
    } else if (field.type === 'integer' || field.type === 'decimal') {
      query[`${field.name}Min`] = filter[`${field.name}Min`];
      query[`${field.name}Max`] = filter[`${field.name}Max`];
    } else query[field.name] = filter[field.name];
  }
  return query;
}

/** Where a field's value links to: the item itself (its key), or the resource it names. */
function linkOf(
  resource: ResourceDescription,
  field: ResourceFieldDescription,
  value: string,
): string | undefined {
  if (field.name === resource.key) return `/records/${resource.name}/${encodeURIComponent(value)}`;
  if (field.links === 'users') return `/users/${encodeURIComponent(value)}`;
  if (field.links !== null) return `/records/${field.links}/${encodeURIComponent(value)}`;
  return undefined;
}

/** A field's value as text (the CSV of the table, and the cell without a link). */
export function textOf(
  field: ResourceFieldDescription,
  value: ResourceItem[string] | undefined,
): string {
  if (value === null || value === undefined) return '—';
  if (field.type === 'timestamp' && typeof value === 'string') return formatDateTime(value);
  if (field.type === 'boolean') return value === true ? 'Yes' : 'No';
  if (field.type === 'enum' && typeof value === 'string') return enumLabel(value);
  return String(value);
}

/** A field's value as a cell or a detail shows it: links followed, masked data marked. */
export function renderValue(
  resource: ResourceDescription,
  field: ResourceFieldDescription,
  value: ResourceItem[string] | undefined,
): ReactNode {
  const text = textOf(field, value);
  if (isMasked(value))
    return (
      <Typography.Text type="secondary" title="Personal data, masked for you">
        {text}
      </Typography.Text>
    );
  const to = typeof value === 'string' ? linkOf(resource, field, value) : undefined;
  if (to === undefined)
    return field.type === 'uuid' ? <Typography.Text code>{text}</Typography.Text> : text;
  const short = field.type === 'uuid' ? `${text.slice(0, 8)}…` : text;
  return (
    <Link to={to} title={text}>
      {short}
    </Link>
  );
}
