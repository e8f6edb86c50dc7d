import type { ResourceDescription, ResourceItem } from '@backoffice/contracts';
import { DataTable, EmptyState, type DataTableColumn } from '@backoffice/ui';
import { useState } from 'react';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { renderValue, textOf } from './fields.tsx';
import { useDeclaredList, useDeclaredResources } from './queries.ts';

/**
 * The items of a declared resource about one thing (a user's pets, payments, sign-ins), embedded in
 * another screen: a fixed filter, the resource's default order, its own pages (not in the URL).
 */
export function DeclaredTable({
  resource,
  filter,
}: {
  resource: ResourceDescription;
  filter: Record<string, string>;
}) {
  const [{ page, limit }, setPage] = useState({ page: 1, limit: 10 });
  const list = useDeclaredList(resource, filter, page, limit);
  const fixed = new Set(Object.keys(filter));
  const columns: DataTableColumn<ResourceItem>[] = resource.fields
    .filter((field) => !fixed.has(field.name))
    .map((field) => ({
      key: field.name,
      title: field.label,
      hiddenByDefault: !field.list,
      align: field.type === 'integer' || field.type === 'decimal' ? 'right' : undefined,
      render: (item) => renderValue(resource, field, item[field.name]),
      value: (item) => textOf(field, item[field.name]),
    }));
  if (list.isError) return <ErrorView error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <DataTable<ResourceItem>
      label={resource.title}
      size="small"
      columns={columns}
      rowKey={(item) => String(item[resource.key])}
      result={list.data}
      loading={list.isFetching}
      onPageChange={(nextPage, nextLimit) => setPage({ page: nextPage, limit: nextLimit })}
      empty={<EmptyState compact title={`No ${resource.title.toLowerCase()}`} />}
    />
  );
}

/**
 * The declared resources that can list what one user has (a field linking to users that filters),
 * with that field: the user's page shows a tab for each.
 */
export function useResourcesAboutUsers(except: ReadonlySet<string>) {
  const described = useDeclaredResources();
  return (described.data ?? []).flatMap((resource) => {
    if (except.has(resource.name)) return [];
    const field = resource.fields.find((f) => f.links === 'users' && f.filter);
    return field === undefined ? [] : [{ resource, field: field.name }];
  });
}
