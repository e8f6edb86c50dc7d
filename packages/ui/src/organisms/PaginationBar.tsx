import {
  LeftOutlined,
  RightOutlined,
  VerticalLeftOutlined,
  VerticalRightOutlined,
} from '@ant-design/icons';
import { Button, Flex, Select, Typography } from 'antd';
import { useId } from 'react';

export const DEFAULT_PAGE_SIZES = [10, 25, 50, 100] as const;

export interface PaginationBarProps {
  /** 1-based. */
  page: number;
  limit: number;
  total: number;
  onChange: (page: number, limit: number) => void;
  pageSizeOptions?: readonly number[];
  disabled?: boolean;
  /** The landmark's name, when a page has more than one list. */
  label?: string;
}

/** Server-side pagination: where we are, how many there are, and buttons to move. */
export function PaginationBar({
  page,
  limit,
  total,
  onChange,
  pageSizeOptions = DEFAULT_PAGE_SIZES,
  disabled = false,
  label = 'Pagination',
}: PaginationBarProps) {
  const sizeId = useId();
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  const sizes = pageSizeOptions.includes(limit)
    ? pageSizeOptions
    : [...pageSizeOptions, limit].sort((a, b) => a - b);
  const go = (target: number) => onChange(Math.min(Math.max(1, target), pages), limit);

  return (
    <nav aria-label={label}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ paddingBlock: 8 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {total === 0
            ? 'No results'
            : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}`}
        </Typography.Text>
        <Flex align="center" gap={4} wrap>
          <label htmlFor={sizeId}>
            <Typography.Text type="secondary">Rows per page</Typography.Text>
          </label>
          <Select
            id={sizeId}
            size="small"
            value={limit}
            disabled={disabled}
            style={{ width: 72 }}
            options={sizes.map((size) => ({ value: size, label: String(size) }))}
            onChange={(size: number) => onChange(1, size)}
          />
          <Button
            size="small"
            type="text"
            icon={<VerticalRightOutlined aria-hidden />}
            aria-label="First page"
            disabled={disabled || page <= 1}
            onClick={() => go(1)}
          />
          <Button
            size="small"
            type="text"
            icon={<LeftOutlined aria-hidden />}
            aria-label="Previous page"
            disabled={disabled || page <= 1}
            onClick={() => go(page - 1)}
          />
          <Typography.Text aria-current="page">
            Page {page.toLocaleString()} of {pages.toLocaleString()}
          </Typography.Text>
          <Button
            size="small"
            type="text"
            icon={<RightOutlined aria-hidden />}
            aria-label="Next page"
            disabled={disabled || page >= pages}
            onClick={() => go(page + 1)}
          />
          <Button
            size="small"
            type="text"
            icon={<VerticalLeftOutlined aria-hidden />}
            aria-label="Last page"
            disabled={disabled || page >= pages}
            onClick={() => go(pages)}
          />
        </Flex>
      </Flex>
    </nav>
  );
}
