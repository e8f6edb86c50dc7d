import { Checkbox, Input, Select, Table } from 'antd';
import type { TableProps } from 'antd';
import type { ComponentProps, ReactNode } from 'react';
import { useMemo } from 'react';
import { Badge } from '../atoms/Badge.tsx';
import type { Option } from '../types.ts';
import { SkeletonRows } from './SkeletonRows.tsx';

interface EditorBase<T, V> {
  get: (row: T) => V;
  set: (row: T, value: V) => T;
  /** Names the cell's control for assistive technology, e.g. "users:read granted". */
  label: (row: T) => string;
  disabled?: (row: T) => boolean;
}

export type CellEditor<T> =
  | ({ type: 'checkbox' } & EditorBase<T, boolean>)
  | ({ type: 'text'; placeholder?: string } & EditorBase<T, string>)
  | ({ type: 'select'; options: readonly Option[] } & EditorBase<T, string>);

export interface EditableColumn<T> {
  key: string;
  title: ReactNode;
  /** Read-only content; ignored when the column has an editor. */
  render?: (row: T) => ReactNode;
  editor?: CellEditor<T>;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
}

export interface EditableRowTableProps<T> {
  /** The table's accessible name. */
  label: string;
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  columns: readonly EditableColumn<T>[];
  /** Every edit gives back all rows, the edited one replaced. */
  onChange: (rows: T[]) => void;
  /** Editors show their value but cannot change it. */
  readOnly?: boolean;
  /** Marks rows that differ from what is saved. */
  isChanged?: (row: T) => boolean;
  size?: 'small' | 'middle';
}

function editorCell<T>(
  editor: CellEditor<T>,
  row: T,
  disabled: boolean,
  update: (next: T) => void,
): ReactNode {
  const label = editor.label(row);
  switch (editor.type) {
    case 'checkbox':
      return (
        <Checkbox
          aria-label={label}
          checked={editor.get(row)}
          disabled={disabled}
          onChange={(event) => update(editor.set(row, event.target.checked))}
        />
      );
    case 'text':
      return (
        <Input
          aria-label={label}
          size="small"
          value={editor.get(row)}
          disabled={disabled}
          placeholder={editor.placeholder}
          onChange={(event) => update(editor.set(row, event.target.value))}
        />
      );
    case 'select':
      return (
        <Select
          aria-label={label}
          size="small"
          style={{ minWidth: 140 }}
          value={editor.get(row)}
          disabled={disabled}
          options={editor.options.map((o) => ({ value: o.value, label: o.label }))}
          onChange={(value: string) => update(editor.set(row, value))}
        />
      );
  }
}

/**
 * A grid edited in place (the permission matrix, inline lists): every editable cell is a labelled
 * control; edits are reported as the whole new list, so the parent decides when to save (SaveBar).
 */
export function EditableRowTable<T extends object>({
  label,
  rows,
  rowKey,
  columns,
  onChange,
  readOnly = false,
  isChanged,
  size = 'small',
}: EditableRowTableProps<T>) {
  const tableComponents = useMemo(
    () => ({
      table: (props: ComponentProps<'table'>) => <table {...props} aria-label={label} />,
    }),
    [label],
  );
  if (rows === undefined) {
    return (
      <SkeletonRows
        label={label}
        columns={columns.map((c) => ({ ...c, key: c.key }))}
        rows={8}
        size={size}
      />
    );
  }

  const update = (next: T) => {
    const key = rowKey(next);
    onChange(rows.map((row) => (rowKey(row) === key ? next : row)));
  };

  const antColumns: TableProps<T>['columns'] = [
    ...columns.map((column) => ({
      key: column.key,
      title: column.title,
      width: column.width,
      align: column.align,
      render: (_: unknown, row: T) => {
        if (column.editor !== undefined) {
          const disabled = readOnly || (column.editor.disabled?.(row) ?? false);
          return editorCell(column.editor, row, disabled, update);
        }
        return column.render?.(row) ?? null;
      },
    })),
    ...(isChanged === undefined
      ? []
      : [
          {
            key: '__changed',
            title: <span style={{ position: 'absolute', clip: 'rect(0 0 0 0)' }}>Changed</span>,
            width: 90,
            render: (_: unknown, row: T) =>
              isChanged(row) ? <Badge tone="warning">Changed</Badge> : null,
          },
        ]),
  ];

  return (
    <Table<T>
      components={tableComponents}
      size={size}
      rowKey={rowKey}
      columns={antColumns}
      dataSource={[...rows]}
      pagination={false}
      rowClassName={(row) => (isChanged?.(row) === true ? 'bo-row-changed' : '')}
    />
  );
}
