import type { ResourceDescription } from '@backoffice/contracts';
import {
  DataTable,
  EmptyState,
  FilterToolbar,
  PageHeader,
  Spinner,
  type DataTableColumn,
  type SortState,
} from '@backoffice/ui';
import { Flex } from 'antd';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import type { ResourceItem } from '@backoffice/contracts';
import { resourcesApi } from '../../api/resources.ts';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import { ErrorView, NotFound } from '../../errors/ErrorViews.tsx';
import { plural } from '../../format.ts';
import { useListState } from '../../hooks/useListState.ts';
import {
  apiQueryOf,
  filterControlsOf,
  filterFieldsOf,
  renderValue,
  textOf,
  type DeclaredFilter,
} from './fields.tsx';
import { useDeclaredList, useDeclaredResources } from './queries.ts';

const sortStateOf = (sort: string): SortState => ({
  key: sort.replace(/^-/, ''),
  order: sort.startsWith('-') ? 'desc' : 'asc',
});

/** `/records/:resource`: the list of a resource a pack declares, built from its description. */
export function DeclaredListPage() {
  const { resource: name = '' } = useParams();
  const described = useDeclaredResources();
  if (described.isError)
    return <ErrorView error={described.error} onRetry={() => void described.refetch()} />;
  if (described.data === undefined) return <Spinner label="Loading" />;
  const resource = described.data.find((r) => r.name === name);
  // Not declared, or not readable by this person: the server lists only what they may read.
  if (resource === undefined) return <NotFound />;
  // A new resource starts with its own filters (the list keeps its parsers for its lifetime).
  return <DeclaredList key={resource.name} resource={resource} />;
}

function DeclaredList({ resource }: { resource: ResourceDescription }) {
  const fields = useMemo(() => filterFieldsOf(resource), [resource]);
  const { filter, rejected, page, limit, setFilter, setPage } =
    useListState<DeclaredFilter>(fields);
  const query = useMemo(() => apiQueryOf(resource, filter), [resource, filter]);
  const list = useDeclaredList(resource, query, page, limit);
  const sort = sortStateOf(filter.sort ?? resource.defaultSort);

  const columns: DataTableColumn<ResourceItem>[] = resource.fields.map((field) => ({
    key: field.name,
    title: field.label,
    sortable: field.sortable,
    hiddenByDefault: !field.list,
    align: field.type === 'integer' || field.type === 'decimal' ? 'right' : undefined,
    render: (item) => renderValue(resource, field, item[field.name]),
    value: (item) => textOf(field, item[field.name]),
  }));

  const { sort: _sort, ...filters } = filter;
  const subtitle =
    list.data === undefined
      ? resource.description
      : `${resource.description}. ${
          list.data.totalIsLowerBound
            ? `More than ${plural(list.data.total, resource.singular)} match.`
            : `${plural(list.data.total, resource.singular)} match.`
        }`;

  return (
    <>
      <PageHeader title={resource.title} subtitle={subtitle} />
      <IgnoredFilters rejected={rejected} />
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<ResourceItem>
          label={resource.title}
          columns={columns}
          rowKey={(item) => String(item[resource.key])}
          result={list.data}
          loading={list.isFetching}
          sort={sort}
          onSortChange={(next) =>
            setFilter({
              ...filter,
              sort:
                next === undefined
                  ? undefined
                  : `${next.order === 'desc' ? '-' : ''}${next.key}` === resource.defaultSort
                    ? undefined
                    : `${next.order === 'desc' ? '-' : ''}${next.key}`,
            })
          }
          onPageChange={setPage}
          toolbar={
            <Flex gap={8} wrap align="flex-start">
              <FilterToolbar<DeclaredFilter>
                value={filters}
                onChange={(next) => setFilter({ ...next, sort: filter.sort })}
                filters={filterControlsOf(resource)}
                actions={
                  <ExportButtons
                    title={`${resource.title} exported`}
                    disabled={list.data === undefined || list.data.total === 0}
                    run={(format) => resourcesApi.export(resource.name, query, format)}
                  />
                }
              />
            </Flex>
          }
          empty={
            <EmptyState
              compact
              title={`No ${resource.title.toLowerCase()} match`}
              description={
                Object.keys(filters).length > 0
                  ? 'Change or clear the filters.'
                  : `None has arrived from the platform yet.`
              }
            />
          }
        />
      )}
    </>
  );
}
