import { DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Popover, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { ComponentProps, ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { downloadFile, toCsv, type CsvValue } from '../csv.ts';
import { EmptyState } from '../molecules/EmptyState.tsx';
import { useToast } from '../molecules/Toast.tsx';
import type { ListPage, SortState } from '../types.ts';
import { PaginationBar } from './PaginationBar.tsx';
import { SkeletonRows } from './SkeletonRows.tsx';

export interface DataTableColumn<T> {
  key: string;
  title: string;
  /** The cell's content; by default the row's property named `key`. */
  render?: (row: T) => ReactNode;
  /** The cell's value for the CSV export (and the default cell); by default the row's property `key`. */
  value?: (row: T) => CsvValue;
  /** Leave the column out of the CSV export. */
  exportable?: boolean;
  sortable?: boolean;
  /** Hidden until chosen in the column chooser. */
  hiddenByDefault?: boolean;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
}

export interface DataTableSelection<T> {
  selectedKeys: readonly string[];
  onChange: (keys: string[]) => void;
  /** Names a row for its checkbox ("Select alice@example.com"). */
  rowLabel: (row: T) => string;
  /** Bulk actions for the selected rows, shown while some are selected. */
  actions?: (keys: readonly string[]) => ReactNode;
}

export interface DataTableExport<T> {
  fileName: string;
  /** Every row of the current filter (see `fetchAllPages`), or a server export. */
  fetchRows: () => Promise<T[]>;
}

export interface DataTableProps<T> {
  /** The table's accessible name. */
  label: string;
  columns: readonly DataTableColumn<T>[];
  rowKey: (row: T) => string;
  /** The current page from the server; undefined until the first one arrives. */
  result: ListPage<T> | undefined;
  loading?: boolean;
  sort?: SortState | undefined;
  onSortChange?: (sort: SortState | undefined) => void;
  onPageChange?: (page: number, limit: number) => void;
  pageSizeOptions?: readonly number[];
  selection?: DataTableSelection<T>;
  exportCsv?: DataTableExport<T>;
  /** Shown when the list is empty. */
  empty?: ReactNode;
  /** Left of the table's own buttons: usually a FilterToolbar. */
  toolbar?: ReactNode;
  /** Rows of the first-load skeleton. */
  skeletonRows?: number;
  size?: 'small' | 'middle';
  /** Exposed for tests: replaces the browser download. */
  download?: (fileName: string, content: string) => void;
}

function defaultValue<T>(row: T, key: string): CsvValue {
  const value = (row as Record<string, unknown>)[key];
  if (value === null || value === undefined) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as CsvValue;
}

function cellValue<T>(column: DataTableColumn<T>, row: T): CsvValue {
  return column.value === undefined ? defaultValue(row, column.key) : column.value(row);
}

/**
 * A server-driven table bound to the list contract `{ data, page, limit, total }` (and, where the
 * count stops, `totalIsLowerBound` with `nextCursor`): the parent owns page, sort and filters (keep
 * them in the URL) and fetches; the table shows, sorts, selects, hides columns and exports.
 */
export function DataTable<T extends object>({
  label,
  columns,
  rowKey,
  result,
  loading = false,
  sort,
  onSortChange,
  onPageChange,
  pageSizeOptions,
  selection,
  exportCsv,
  empty,
  toolbar,
  skeletonRows = 5,
  size = 'middle',
  download = downloadFile,
}: DataTableProps<T>) {
  const toast = useToast();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(
    () => new Set(columns.filter((c) => c.hiddenByDefault === true).map((c) => c.key)),
  );
  const [exporting, setExporting] = useState(false);
  const visible = columns.filter((c) => !hidden.has(c.key));

  const tableComponents = useMemo(
    () => ({
      table: (props: ComponentProps<'table'>) => <table {...props} aria-label={label} />,
    }),
    [label],
  );

  const antColumns: TableProps<T>['columns'] = visible.map((column) => ({
    key: column.key,
    title: column.title,
    width: column.width,
    align: column.align,
    sorter: column.sortable === true,
    sortDirections: ['ascend', 'descend'],
    sortOrder: sort?.key === column.key ? (sort.order === 'asc' ? 'ascend' : 'descend') : null,
    render: (_: unknown, row: T) => {
      if (column.render !== undefined) return column.render(row);
      const value = cellValue(column, row);
      return value === null || value === undefined ? '—' : String(value);
    },
  }));

  const runExport = async () => {
    if (exportCsv === undefined) return;
    setExporting(true);
    try {
      const rows = await exportCsv.fetchRows();
      const exported = visible.filter((c) => c.exportable !== false);
      download(
        exportCsv.fileName,
        toCsv(
          exported.map((c) => c.title),
          rows.map((row) => exported.map((c) => cellValue(c, row))),
        ),
      );
      toast.success(`Exported ${rows.length.toLocaleString()} rows`, exportCsv.fileName);
    } catch (error) {
      toast.problem(error, { title: 'The export failed' });
    } finally {
      setExporting(false);
    }
  };

  const chooser = (
    <Popover
      trigger="click"
      placement="bottomRight"
      title="Columns"
      content={
        <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
          <legend style={{ position: 'absolute', clip: 'rect(0 0 0 0)' }}>Visible columns</legend>
          <Flex vertical gap={4}>
            {columns.map((column, index) => (
              <Checkbox
                key={column.key}
                autoFocus={index === 0}
                checked={!hidden.has(column.key)}
                // The last visible column cannot go: a table with no columns helps nobody.
                disabled={!hidden.has(column.key) && visible.length === 1}
                onChange={(event) => {
                  const next = new Set(hidden);
                  if (event.target.checked) next.delete(column.key);
                  else next.add(column.key);
                  setHidden(next);
                }}
              >
                {column.title}
              </Checkbox>
            ))}
          </Flex>
        </fieldset>
      }
    >
      <Button icon={<SettingOutlined aria-hidden />} aria-haspopup="dialog">
        Columns
      </Button>
    </Popover>
  );

  const selectedCount = selection?.selectedKeys.length ?? 0;

  return (
    <div>
      <Flex justify="space-between" align="flex-start" gap={8} wrap>
        <div style={{ flex: '1 1 auto' }}>{toolbar}</div>
        <Flex gap={8} style={{ marginBottom: 12 }}>
          {exportCsv === undefined ? null : (
            <Button
              icon={<DownloadOutlined aria-hidden />}
              loading={exporting}
              disabled={result === undefined || result.total === 0}
              onClick={() => void runExport()}
            >
              Export CSV
            </Button>
          )}
          {chooser}
        </Flex>
      </Flex>
      {selection !== undefined && selectedCount > 0 ? (
        <Flex
          role="region"
          aria-label="Bulk actions"
          align="center"
          gap={8}
          wrap
          style={{ marginBottom: 8 }}
        >
          <Typography.Text strong>{selectedCount.toLocaleString()} selected</Typography.Text>
          {selection.actions?.(selection.selectedKeys)}
          <Button type="link" onClick={() => selection.onChange([])}>
            Clear selection
          </Button>
        </Flex>
      ) : null}
      {result === undefined ? (
        <SkeletonRows label={label} columns={visible} rows={skeletonRows} size={size} />
      ) : (
        <Table<T>
          components={tableComponents}
          size={size}
          rowKey={rowKey}
          columns={antColumns}
          dataSource={result.data}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          showSorterTooltip={false}
          locale={{
            emptyText: empty ?? <EmptyState compact title="Nothing matches" />,
          }}
          {...(selection === undefined
            ? {}
            : {
                rowSelection: {
                  selectedRowKeys: [...selection.selectedKeys],
                  preserveSelectedRowKeys: true,
                  onChange: (keys) => selection.onChange(keys.map(String)),
                  getCheckboxProps: (row: T) => ({
                    'aria-label': `Select ${selection.rowLabel(row)}`,
                  }),
                },
              })}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== 'sort' || onSortChange === undefined) return;
            const single = Array.isArray(sorter) ? sorter[0] : sorter;
            if (single?.order === undefined || single.order === null) onSortChange(undefined);
            else
              onSortChange({
                key: String(single.columnKey),
                order: single.order === 'ascend' ? 'asc' : 'desc',
              });
          }}
        />
      )}
      {result !== undefined && result.total > 0 && onPageChange !== undefined ? (
        <PaginationBar
          page={result.page}
          limit={result.limit}
          total={result.total}
          onChange={onPageChange}
          disabled={loading}
          label={`${label} pages`}
          openEnded={
            result.totalIsLowerBound === true
              ? {
                  hasNextPage:
                    result.nextCursor === undefined
                      ? result.data.length === result.limit
                      : result.nextCursor !== null,
                  rows: result.data.length,
                }
              : undefined
          }
          {...(pageSizeOptions === undefined ? {} : { pageSizeOptions })}
        />
      ) : null}
    </div>
  );
}
