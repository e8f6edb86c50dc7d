import { Skeleton, Table } from 'antd';
import type { ReactNode } from 'react';

interface SkeletonRowsProps {
  label: string;
  columns: readonly { key: string; title: ReactNode; width?: number | string | undefined }[];
  rows?: number;
  size?: 'small' | 'middle';
}

/** The table's own header over grey bars: the page keeps its shape while the first page loads. */
export function SkeletonRows({ label, columns, rows = 5, size = 'middle' }: SkeletonRowsProps) {
  return (
    <div aria-busy="true" aria-label={`${label} (loading)`} role="group">
      <Table<{ key: number }>
        size={size}
        pagination={false}
        dataSource={Array.from({ length: rows }, (_, key) => ({ key }))}
        columns={columns.map((column) => ({
          key: column.key,
          title: column.title,
          width: column.width,
          render: () => <Skeleton.Input active size="small" block style={{ height: 16 }} />,
        }))}
      />
    </div>
  );
}
